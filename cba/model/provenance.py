"""Which files (with their content hashes) and which command produced a result: read by the loader,
carried by every result to every face."""

from __future__ import annotations

from cba.model.record import record


@record
class InputFile:
    """One file that produced a result."""

    role: str  # "scenario", "unit costs", "deflator", "discount schedule", "optimism-bias grades"
    name: str  # the table's name for unit costs, else the role
    file: str
    sha256: str


@record
class Provenance:
    """Which scenario and tables (and their content hashes) produced a result, and how."""

    scenario: str
    organisation: str
    currency: str
    price_base: str
    periods: tuple[str, ...]
    files: tuple[InputFile, ...]
    cba_version: str
    command: str  # the command line that reproduces the result

    @property
    def scenario_file(self) -> InputFile:
        return self.files[0]
