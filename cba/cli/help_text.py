"""What each command's --help says beyond its options: a summary that fits 80 columns in the command
list, and two or three examples to copy (after pip-tools' epilogs). Declared once, here.

click rewraps an epilog unless a paragraph starts with ``\\b``; each example block does, so the
commands keep their lines.
"""

from __future__ import annotations

#: The command list's summaries: under 55 characters, so the root --help never cuts one at 80 columns.
SUMMARIES = {
    "run": "Appraise a scenario and print the report.",
    "export": "Write the audit workbook, with live formulas.",
    "report": "Write the HTML report for a board.",
    "diff": "An edited workbook's changes, as --set lines and a patch.",
    "compare": "Set scenarios side by side.",
    "options": "Options appraisal against business as usual.",
    "whatif": "Figures at other values of one or more inputs.",
    "breakeven": "Switching values: what brings benefits to cost.",
    "solve": "Goal seek: the input value that gives a figure.",
    "sensitivity": "Optimistic, pessimistic, rate tests, switching.",
    "simulate": "Monte Carlo over the scenario's ranges.",
    "portfolio": "Appraise many scenarios: one row per programme.",
    "schema": "Print a JSON Schema (scenario format or outputs).",
    "init": "Write a starter scenario that validates and runs.",
    "validate": "Check scenarios and tables without running them.",
    "costs": "The unit-cost library: list, search, show, import.",
    "costs list": "List a unit-cost table, one line per entry.",
    "search": "Find unit-cost entries by words.",
    "show": "One entry, its source and its uprating.",
    "import": "Import the GMCA workbook or a CSV table.",
}

_EXAMPLES = {
    "run": [
        ("the report, for people", "cba run scenarios/dorset-rsw.yaml"),
        ("10 fewer looked-after children, appraised", "cba run scenarios/dorset-rsw.yaml --set lac=-10 --green-book"),
        ("the figures as JSON", "cba run scenarios/dorset-rsw.yaml --format json"),
    ],
    "export": [
        ("the audit workbook", "cba export scenarios/dorset-rsw.yaml -o dorset.xlsx"),
        ("replacing last month's", "cba export scenarios/dorset-rsw.yaml -o dorset.xlsx --force"),
    ],
    "diff": [
        ("what an auditor changed in the workbook", "cba diff dorset-edited.xlsx"),
        ("the same, written into the scenario", "cba diff dorset-edited.xlsx --write"),
        ("against a scenario kept elsewhere", "cba diff dorset-edited.xlsx scenarios/dorset-rsw.yaml"),
    ],
    "report": [
        ("the board's page", "cba report scenarios/dorset-rsw.yaml -o dorset.html"),
        ("with 20,000 draws over its ranges", "cba report scenarios/dorset-rsw-uncertain.yaml -o d.html -n 20000"),
    ],
    "options": [
        (
            "the bundled shortlist (business as usual sorts first)",
            "cba options scenarios/options/*.yaml --do-minimum do-minimum",
        ),
        (
            "with the live workbook and the board's page",
            "cba options scenarios/options/*.yaml --xlsx o.xlsx --html o.html",
        ),
    ],
    "sensitivity": [
        ("the set, with the ranges' cases", "cba sensitivity scenarios/dorset-rsw-uncertain.yaml --green-book"),
        ("as JSON", "cba sensitivity scenarios/edge-of-care-example.yaml --format json"),
    ],
    "compare": [
        ("differences against the first", "cba compare scenarios/dorset-rsw.yaml scenarios/court-arms-example.yaml"),
    ],
    "whatif": [
        ("10, 30 or 60 fewer looked-after children", "cba whatif scenarios/dorset-rsw.yaml --vary lac=-10,-30,-60"),
        (
            "a grid: fewer children, dearer care",
            "cba whatif scenarios/dorset-rsw.yaml --vary lac=-60,-30 --vary lac-year=0,+20%",
        ),
    ],
    "breakeven": [
        ("every outcome's and unit cost's switching value", "cba breakeven scenarios/dorset-rsw.yaml"),
        ("on the Green Book appraisal", "cba breakeven scenarios/edge-of-care-example.yaml --green-book"),
    ],
    "solve": [
        (
            "how many fewer looked-after children pay back the grant",
            "cba solve scenarios/dorset-rsw.yaml --vary lac --so net_position=0",
        ),
        (
            "the unit cost at which the BCR is 1.5",
            "cba solve scenarios/edge-of-care-example.yaml --vary eoc-placement --so bcr=1.5",
        ),
    ],
    "simulate": [
        ("percentiles and the chance of paying back", "cba simulate scenarios/dorset-rsw-uncertain.yaml"),
        ("a million draws, another seed", "cba simulate scenarios/dorset-rsw-uncertain.yaml -n 1000000 --seed 7"),
    ],
    "portfolio": [
        ("every scenario in a folder", "cba portfolio scenarios/"),
        ("those with a positive NPV, best first", "cba portfolio scenarios/ --where 'npv>0' --sort npv"),
        ("with a workbook for each", "cba portfolio scenarios/ --xlsx portfolio.xlsx"),
    ],
    "schema": [
        ("for an editor, beside your scenarios", "cba schema --write scenario.schema.json"),
        ("of cba run's JSON", "cba schema run"),
    ],
    "init": [
        ("an evaluation of actual spend", "cba init my-programme.yaml"),
        ("a forecast business case with ranges", "cba init my-case.yaml --kind business-case"),
    ],
    "validate": [
        ("one scenario", "cba validate scenarios/dorset-rsw.yaml"),
        ("a folder of scenarios, and a table", "cba validate scenarios/ unit_costs/children-social-care.csv"),
    ],
    "costs": [
        ("the bundled tables", "cba costs --list-tables"),
        ("find an entry", "cba costs search foster care"),
        ("one entry brought to 2019/20 prices", "cba costs show lac-year --price-base 2019/20"),
    ],
    "search": [("entries with both words", "cba costs search foster care")],
    "show": [("its uprating to a price base", "cba costs show lac-year --price-base 2019/20")],
    "import": [
        ("the GMCA Unit Cost Database", "cba costs import gmca-unit-cost-database.xlsx -o gmca.csv"),
        ("a CSV with cba's columns", "cba costs import unit_costs/edge-of-care-example.csv -o ours.csv"),
    ],
}

#: Examples naming a file a reader brings (not shipped): their test checks the file is what is missing.
BRING_YOUR_OWN = ("gmca-unit-cost-database.xlsx", "dorset-edited.xlsx")


def examples(command: str) -> str:
    """The epilog of a command's --help: its examples, each line kept as written."""
    lines = ["\b", "Examples:"]
    for what, line in _EXAMPLES[command]:
        lines += [f"  # {what}", f"  {line}"]
    return "\n".join(lines)


#: The root --help's epilog: what every command's exit code means, and where to read more.
ROOT_EPILOG = "\n".join(
    [
        "\b",
        "Exit codes:",
        "  0    done",
        "  1    bad input, a line a problem (file:line:column: message),",
        "       or an output that could not be written",
        "  2    command-line misuse (an unknown option, input or setting)",
        "  130  Ctrl-C (143 SIGTERM, 129 SIGHUP); nothing half-written is left",
        "",
        "\b",
        "Start with:  cba run scenarios/dorset-rsw.yaml",
        "Every command's --help ends with examples. The documentation (docs/ in the",
        "source; mkdocs serve) has a guide per role and the scenario format.",
    ]
)


def described(command: str) -> dict[str, str]:
    """``short_help`` and ``epilog`` for ``@app.command(**described(name))``."""
    return {"short_help": SUMMARIES[command], "epilog": examples(command)}
