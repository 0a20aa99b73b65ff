"""What an environment setting may hold: read by io.files when it reads the input limit, and by the
command line, which drops (and notes) any other value before a command runs. No imports: the check runs
at start-up, before every command, ``--version`` included."""

from __future__ import annotations

#: The largest input limit accepted (1 TiB); more is a typo, and Python cannot read it in one call.
MOST_INPUT_BYTES = 1 << 40


def whole_number(text: str, most: int) -> int | None:
    """A whole number from 1 to ``most`` as a setting writes one ('8_388_608'), else None.

    ASCII digits only: "²".isdigit() is True, and int("²") raises; at most 16 of them, so int() stays cheap."""
    digits = text.strip().replace("_", "")
    if digits.isascii() and digits.isdigit() and len(digits) <= 16 and 0 < int(digits) <= most:
        return int(digits)
    return None
