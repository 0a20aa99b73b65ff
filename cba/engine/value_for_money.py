"""The value-for-money category of a benefit-cost ratio: one scale, stated wherever a category is shown.

The Department for Transport's value-for-money framework, as the Green Book's supplementary guidance for local
appraisals commonly applies it. A category is always "before unmonetised impacts": the faces say so beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

#: (category, lowest BCR in it); a band runs from its lowest BCR (included) to the next band's (excluded).
DFT_BANDS: tuple[tuple[str, Decimal | None], ...] = (
    ("poor", None),
    ("low", Decimal(1)),
    ("medium", Decimal("1.5")),
    ("high", Decimal(2)),
    ("very high", Decimal(4)),
)
BANDS_SOURCE = (
    "Department for Transport, Value for Money Framework: poor (BCR below 1), low (1 to 1.5), medium (1.5 to 2), "
    "high (2 to 4), very high (4 and above); a band includes its lower bound. Categories are before unmonetised "
    "impacts."
)
NOT_DEFINED = "not defined: costs no more than the comparator (judge by NPSV)"


def category(bcr: Decimal | None, bands: Sequence[tuple[str, Decimal | None]] = DFT_BANDS) -> str:
    """The value-for-money category of a BCR; a BCR is not defined where the added cost is not positive."""
    if bcr is None:
        return NOT_DEFINED
    found = bands[0][0]
    for name, lowest in bands:
        if lowest is None or bcr >= lowest:
            found = name
    return found


def band_words(name: str, bands: Sequence[tuple[str, Decimal | None]] = DFT_BANDS) -> str:
    """A category's BCR range in words: 'a BCR below 1', 'a BCR of 1.5 to 2', 'a BCR of 4 or more'."""
    lows = [low for _, low in bands]
    i = [n for n, _ in bands].index(name)
    low, high = lows[i], (lows[i + 1] if i + 1 < len(lows) else None)
    if low is None:
        return f"a BCR below {high:f}"
    return f"a BCR of {low:f} or more" if high is None else f"a BCR of {low:f} to {high:f}"
