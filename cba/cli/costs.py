"""`cba costs show` and `cba costs import`: one entry with its uprating arithmetic; imports written safely."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cba.model.errors import Diagnostic, InputError, UsageError
from cba.model.errors import escape_controls as visible

if TYPE_CHECKING:
    from cba.render.costs import BundledTables


def show(cost_id: str, table_path: Path, price_base: str | None, deflator_path: Path | None, fmt: str, console) -> None:
    """``cba costs show``: one entry with its source, and its uprating to ``price_base`` when asked."""
    from cba.io.files import shipped
    from cba.io.reference_data import DEFAULT_DEFLATOR, load_deflator
    from cba.io.unit_cost_table import load_table
    from cba.model.errors import suggest

    table = load_table(table_path)
    entry = table.get(cost_id)
    if entry is None:
        raise InputError(
            [Diagnostic(table.source.name, 1, 1, f"no entry '{cost_id}'{suggest(cost_id, table.entries)}")]
        )
    data = {k: v for k, v in entry.model_dump(mode="json").items()}
    data["file"], data["line"] = table.source.name, table.lines[entry.id]
    uprating: dict[str, str | None] | None = None
    deflator_source = None
    uprated = factor = None
    from cba.model.types import is_financial_year

    if price_base is not None and not is_financial_year(price_base):
        raise UsageError(f"--price-base {price_base}: write a financial year as 2019/20 (April 2019 to March 2020)")
    if price_base is not None:
        deflator = load_deflator(deflator_path or shipped(DEFAULT_DEFLATOR))
        deflator_source = deflator.source
        if entry.price_year == "not stated":
            uprating = {
                "warning": "the price year is not stated, so the entry cannot be uprated; cba takes it as the price base"
            }
        else:
            missing = [y for y in (price_base, entry.price_year) if deflator.key_for(y) is None]
            if missing:
                raise UsageError(f"--price-base: no deflator value for {', '.join(missing)} in {deflator.source.name}")
            base_key, year_key = deflator.key_for(price_base), deflator.key_for(entry.price_year)
            d_base, d_year = deflator.index[base_key], deflator.index[year_key]  # type: ignore[index]
            uprated, factor = entry.value * d_base / d_year, d_base / d_year
            uprating = {
                "price_base": price_base,
                "deflator_file": deflator.source.name,
                "deflator_at_base": str(d_base),
                "deflator_key_for_base": base_key,
                "deflator_at_price_year": str(d_year),
                "deflator_key_for_price_year": year_key,
                "factor": str(d_base / d_year),
                "value_at_price_base": str(uprated),
                "arithmetic": f"{entry.value} x {d_base} / {d_year} = {uprated:.2f}",
            }
    data["uprating"] = uprating
    from cba.render.costs import CostEntry
    from cba.render.output import emit

    emit(CostEntry(entry, table, data, uprating, deflator_source, price_base, uprated, factor), fmt, console)


def run_import(
    source: Path, output: Path, mapping_text: str | None, defaults_text: list[str], skip_invalid: bool, force: bool
) -> None:
    from cba.io.atomic import check_target, write_atomically
    from cba.io.import_costs import import_csv, import_gmca_workbook

    check_target(output, force=force, inputs=[source])
    if output.suffix.lower() != ".csv":
        raise UsageError(f"{output}: an imported unit-cost table is CSV; give a file name ending in .csv")
    if not source.exists() or source.is_dir():
        raise InputError([Diagnostic(str(source), 1, 1, "no such file" if not source.exists() else "is a directory")])
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        if mapping_text or defaults_text:
            raise UsageError("--map and --default are for CSV sources; the GMCA workbook layout is fixed")
        import zipfile

        try:
            result = import_gmca_workbook(source)
        except InputError:
            raise
        except (OSError, ValueError, KeyError, TypeError, SyntaxError, zipfile.BadZipFile) as exc:
            # what openpyxl, its XML parsers and defusedxml raise on a broken or hostile file
            raise InputError([Diagnostic(str(source), 1, 1, f"cannot read the workbook: {str(exc)[:200]}")]) from None
    else:
        mapping, defaults = {}, {}
        for pair in mapping_text.split(",") if mapping_text else []:
            key, sep, value = pair.partition("=")
            if not sep:
                raise UsageError(f"--map {pair}: write FIELD=Column")
            mapping[key.strip()] = value.strip()
        for pair in defaults_text:
            key, sep, value = pair.partition("=")
            if not sep:
                raise UsageError(f"--default {pair}: write FIELD=VALUE")
            defaults[key.strip()] = value.strip()
        from cba.model.unit_cost import COLUMNS

        for key in [*mapping, *defaults]:
            if key not in COLUMNS:
                raise UsageError(f"{key}: not a cba field; fields: {', '.join(COLUMNS)}")
        result = import_csv(source, mapping, defaults)
    for problem in result.problems:
        print(str(problem), file=sys.stderr)
    if result.problems and not skip_invalid:
        raise InputError(
            [
                Diagnostic(
                    str(source),
                    1,
                    1,
                    f"{len(result.problems)} problem(s); nothing written "
                    "(use --skip-invalid to write the valid entries)",
                )
            ]
        )
    if not result.entries:
        raise InputError([Diagnostic(str(source), 1, 1, "no entries found")])
    text = result.csv_text()
    write_atomically(output, lambda temp: temp.write_text(text, encoding="utf-8"), force=force, inputs=[source])
    print(
        f"wrote {visible(str(output))}: {len(result.entries)} entries; {result.skipped} rows without a code or value skipped"
        + (f"; {len(result.problems)} invalid rows left out" if result.problems else "")
        + (f"; licence: {visible(result.licence)}" if result.licence else ""),
        file=sys.stderr,
    )


def bundled_tables() -> BundledTables:
    """Every table shipped with cba, with the sources its entries cite."""
    from collections import Counter

    from cba.io.files import BUNDLED_TABLES, bundled_table, shipped
    from cba.io.unit_cost_table import load_table
    from cba.render.costs import BundledTable, BundledTables

    rows = []
    for name in BUNDLED_TABLES:
        path = bundled_table(name)
        assert path is not None  # a bundled table's own name
        table = load_table(shipped(path))
        sources = Counter(e.source for e in table.entries.values())
        rows.append(
            BundledTable(
                name, len(table.entries), table.source.name, table.source.sha256, [s for s, _ in sources.most_common()]
            )
        )
    return BundledTables(rows)


def list_tables(fmt: str, console) -> None:
    """The bundled unit-cost tables a scenario can name (``unit_costs: NAME``), with their sources and hashes."""
    from cba.render.output import emit

    emit(bundled_tables(), fmt, console)
