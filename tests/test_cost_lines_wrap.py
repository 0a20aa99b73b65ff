"""Consistency test: ``cost_lines._wrap``'s one-line shortcut gives textwrap's lines (issue 32).

`cba costs search` spent most of its time wrapping entries that fit on one line; the shortcut
must print exactly what textwrap prints, for every entry of the bundled tables and for text
textwrap treats specially (tabs, newlines, leading spaces, text one character too long).
"""

from __future__ import annotations

import csv
import textwrap

import pytest

from cba.render.cost_lines import _wrap
from tests.conftest import ROOT

TEXTS = [row["description"].strip() for path in sorted((ROOT / "unit_costs").glob("*.csv"))
         for row in csv.DictReader(open(path, encoding="utf-8")) if row.get("description")]
TEXTS += ["a\tb", "a\nb", "   lead", "x" * 40, "y" * 41, "word " * 30 + "end", "ab-cd-ef " * 12 + "gh", ""]


@pytest.mark.parametrize("width", [20, 40, 41, 80, 160])
@pytest.mark.parametrize(("indent", "hyphens", "long_words"), [("", False, False), ("    ", False, True)])
def test_the_shortcut_gives_textwraps_lines(width, indent, hyphens, long_words):
    for text in TEXTS:
        expected = textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent,
                                 break_on_hyphens=hyphens, break_long_words=long_words)
        assert _wrap(text, width, indent, indent, hyphens, long_words) == expected, (text, width)


def test_the_tables_give_the_comparison_something_to_compare():
    assert len(TEXTS) > 100
