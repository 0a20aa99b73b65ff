"""Stored results for the workbook's formulas, so it reads correctly before anything recalculates it.

openpyxl writes a formula with an empty result; Excel's Protected View, file previews and
pandas then show blanks. This module evaluates cba's own formulas (only IF, SUM, SUMIF and SUMIFS on
an exact text or a comparison with a number, INDEX, MATCH (exact), AND, COUNT, MIN, MAX, ROUND, ROUNDUP
to whole units, LOG10, arithmetic, comparisons, references, ranges and defined names: the workbook uses no
others) in exact Decimal arithmetic over the input cells, and ``xlsx_write`` writes each result into the saved file beside
its formula. The workbook stays live (Excel recalculates on open); the stored figures equal cba's own,
which a test checks against ``--format json``, and a second test checks them against LibreOffice's
recalculation of every formula cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation, localcontext
from typing import ClassVar, cast

from openpyxl.cell.cell import Cell
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook

from cba.render.xlsx_cells import COUNT, COUNT_WHOLE, GBP, GBP_PENCE, NOT_KNOWN, FastCell

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class FormulaError(ValueError):
    """A formula outside the subset cba writes, or an Excel error value (#DIV/0!)."""


Value = Decimal | str | bool | None
_UNSET = object()


def _number(value: object) -> Value:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return str(value)


def _arith(value: Value) -> Decimal:
    """A value as a number in arithmetic: empty is 0, TRUE is 1 (as Excel does)."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(value)
    except InvalidOperation:
        raise FormulaError(f"#VALUE!: {value!r} in arithmetic") from None


class _Parser:
    """A Pratt parser over openpyxl's tokens, producing nested tuples."""

    PRECEDENCE: ClassVar[dict[str, int]] = {
        "=": 1,
        "<>": 1,
        "<": 1,
        ">": 1,
        "<=": 1,
        ">=": 1,
        "&": 2,
        "+": 3,
        "-": 3,
        "*": 4,
        "/": 4,
        "^": 5,
    }

    def __init__(self, formula: str):
        self.tokens = [t for t in Tokenizer(formula).items if t.type != Token.WSPACE]
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self):
        tree = self.expression(0)
        if self.peek() is not None:
            raise FormulaError(f"unexpected {self.peek().value!r}")
        return tree

    def expression(self, floor: int):
        left = self.prefix()
        while True:
            token = self.peek()
            if token is None or token.type != Token.OP_IN or self.PRECEDENCE.get(token.value, 0) <= floor:
                return left
            self.take()
            left = ("op", token.value, left, self.expression(self.PRECEDENCE[token.value]))

    def prefix(self):
        token = self.take()
        if token.type == Token.OP_PRE:
            operand = self.expression(5)
            return ("neg", operand) if token.value == "-" else operand
        if token.type == Token.PAREN and token.subtype == Token.OPEN:
            inner = self.expression(0)
            self.take()  # the closing parenthesis
            return inner
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name, args = token.value[:-1].upper(), []
            while not (self.peek().type == Token.FUNC and self.peek().subtype == Token.CLOSE):
                args.append(self.expression(0))
                if self.peek().type == Token.SEP:
                    self.take()
            self.take()
            return ("call", name, args)
        if token.type == Token.OPERAND:
            if token.subtype == Token.NUMBER:
                return ("value", Decimal(token.value))
            if token.subtype == Token.TEXT:
                return ("value", token.value[1:-1].replace('""', '"'))
            if token.subtype == Token.LOGICAL:
                return ("value", token.value.upper() == "TRUE")
            if token.subtype == Token.RANGE:
                return ("ref", token.value)
        raise FormulaError(f"unsupported token {token.value!r}")


_COMPARISON = re.compile(r"(<=|>=|<>|=|<|>)(.*)", re.S)


def _criterion(value: Value):
    """A SUMIF/SUMIFS criterion as cba writes one: "=" and a text (with ~ before each * ? ~), or a comparison
    with a number ("<="&year, "="&grade). Returns the test a cell's value must pass."""
    text = str(value or "")
    match = _COMPARISON.fullmatch(text)
    if not match:
        raise FormulaError(f"a SUMIF criterion cba does not write: {text!r}")
    op, operand = match.groups()
    try:
        wanted = Decimal(operand)
    except InvalidOperation:  # a text: only "=" is written, and only text cells match it
        if op != "=":
            raise FormulaError(f"a SUMIF criterion cba does not write: {text!r}") from None
        folded = re.sub(r"~([*?~])", r"\1", operand).casefold()
        return lambda v: isinstance(v, str) and v.casefold() == folded
    compare = {"=": Decimal.__eq__, "<>": Decimal.__ne__, "<": Decimal.__lt__, ">": Decimal.__gt__}
    compare |= {"<=": Decimal.__le__, ">=": Decimal.__ge__}
    test = compare[op]
    if op == "=":  # "=2019" matches the number 2019 and the text "2019" alike (a calendar year's label)
        return lambda v: (isinstance(v, Decimal) and v == wanted) or (isinstance(v, str) and v == operand)
    return lambda v: isinstance(v, Decimal) and test(v, wanted)  # a comparison: numbers only


def sumif_criterion(text: str) -> str:
    """A criterion that matches exactly ``text``: "=" first (so "<5" is not a comparison) and * ? ~ escaped
    (so they are not wildcards), inside a formula's string (its quotes doubled)."""
    escaped = re.sub(r"([*?~])", r"~\1", text)
    return '"=' + escaped.replace('"', '""') + '"'


class Evaluator:
    """The value of any cell of an openpyxl workbook cba built, computing formulas on demand."""

    def __init__(self, wb: Workbook, *, stored: bool = True):
        """``stored``: take the figures cba recorded for its formulas as it wrote them (``Book.known``, a
        FastCell's result); without, every formula is computed again (after an edit, as a spreadsheet would)."""
        self.wb = wb
        self.names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
        self.stored = stored
        self.values: dict[tuple[str, int, int], Value] = dict(wb.__dict__.get("_cba_known", {})) if stored else {}
        self.parsed: dict[str, object] = {}
        self.busy: set[tuple[str, int, int]] = set()
        self.cells = {ws.title: ws._cells for ws in wb.worksheets}  # wb[title] walks the sheets each time

    def cell(self, sheet: str, row: int, column: int) -> Value:
        key = (sheet, row, column)
        if key in self.values:
            return self.values[key]
        cell = self.cells[sheet].get((row, column))
        if cell is None or cell._value is None:
            return None
        if cell.data_type != "f":
            return _number(cell._value)
        if cell.__class__ is FastCell and cell.result is not NOT_KNOWN and self.stored:  # the engine's, placed with it
            return cell.result  # type: ignore[return-value]  # cba places only Values
        if key in self.busy:
            raise FormulaError(f"circular reference at {sheet}!{cell.coordinate}")
        self.busy.add(key)
        formula = cell._value
        tree = self.parsed.get(formula)
        if tree is None:
            tree = self.parsed[formula] = _Parser(formula).parse()
        value = self.evaluate(tree, sheet)
        if isinstance(value, list):  # a bare range in a cell: Excel takes its first cell
            value = value[0] if value else None
        if value is None:  # =A1 with A1 empty shows 0 in Excel and LibreOffice
            value = Decimal(0)
        self.busy.discard(key)
        self.values[key] = value
        return value

    def reference(self, text: str, sheet: str) -> Value | list[Value]:
        if text in self.names:
            text = self.names[text]
        if "!" in text:
            sheet_part, text = text.rsplit("!", 1)
            sheet = sheet_part.strip("'").replace("''", "'")
        text = text.replace("$", "")
        if ":" not in text:
            match = re.fullmatch(r"([A-Z]+)(\d+)", text)
            if not match:
                raise FormulaError(f"unknown name {text!r}")
            return self.cell(sheet, int(match.group(2)), column_index_from_string(match.group(1)))
        min_col, min_row, max_col, max_row = range_boundaries(text)
        return self.block(sheet, range(min_row, max_row + 1), range(min_col, max_col + 1))

    def block(self, sheet: str, rows: range, columns: range) -> list[Value]:
        """A range's values, row by row: a FastCell's number or placed result read here as ``cell`` reads it
        (a total over a 10,000-line block reads 10,000 of them), any other cell through ``cell``."""
        cells, stored = self.cells[sheet], self.stored
        out: list[Value] = []
        add = out.append
        for r in rows:
            for c in columns:
                cell = cells.get((r, c))
                if cell.__class__ is FastCell:
                    if cell.data_type == "n":
                        add(_number(cell._value))
                        continue
                    if stored and cell.result is not NOT_KNOWN:
                        add(cell.result)  # type: ignore[arg-type]  # cba places only Values
                        continue
                add(self.cell(sheet, r, c))
        return out

    def evaluate(self, tree, sheet: str):
        kind = tree[0]
        if kind == "value":
            return tree[1]
        if kind == "ref":
            return self.reference(tree[1], sheet)
        if kind == "neg":
            return -_arith(self.scalar(tree[1], sheet))
        if kind == "op":
            return self.operator(tree[1], self.scalar(tree[2], sheet), self.scalar(tree[3], sheet))
        name, args = tree[1], tree[2]
        if name == "IF":
            test = self.scalar(args[0], sheet)
            truth = bool(_arith(test)) if not isinstance(test, bool) else test
            chosen = args[1] if truth else (args[2] if len(args) > 2 else ("value", False))
            return self.scalar(chosen, sheet)
        if name in ("SUMIF", "SUMIFS"):
            # SUMIF(range, criterion, sum range); SUMIFS(sum range, range, criterion, range, criterion, ...)
            if name == "SUMIF":
                sums, pairs = self.evaluate(args[2], sheet), [(args[0], args[1])]
            else:
                sums, pairs = self.evaluate(args[0], sheet), list(zip(args[1::2], args[2::2]))
            keep = [True] * len(sums)
            for where, criterion in pairs:
                test = _criterion(self.scalar(criterion, sheet))
                keep = [k and test(v) for k, v in zip(keep, self.evaluate(where, sheet))]
            return sum((_arith(v) for k, v in zip(keep, sums) if k and v is not None), Decimal(0))
        if name == "MATCH":  # MATCH(value, range, 0): the exact match's position, as a lookup by id writes it
            wanted, cells = self.scalar(args[0], sheet), self.evaluate(args[1], sheet)
            if len(args) < 3 or self.scalar(args[2], sheet) != 0:
                raise FormulaError("MATCH other than exact (0) is not one cba writes")
            key = wanted.casefold() if isinstance(wanted, str) else wanted
            for k, v in enumerate(cells, start=1):
                if (v.casefold() if isinstance(v, str) else v) == key:
                    return Decimal(k)
            raise FormulaError("#N/A")
        if name == "INDEX":  # INDEX(a row or a column, position)
            cells, at = self.evaluate(args[0], sheet), int(_arith(self.scalar(args[1], sheet)))
            if not 1 <= at <= len(cells):
                raise FormulaError("#REF!")
            return cells[at - 1]
        values = []
        for arg in args:
            got = self.evaluate(arg, sheet)
            values += got if isinstance(got, list) else [got]
        numbers = [v for v in values if isinstance(v, Decimal)]
        if name == "SUM":
            return sum(numbers, Decimal(0))
        if name == "COUNT":
            return Decimal(len(numbers))
        if name == "ROUND":  # half away from zero, as Excel and LibreOffice round
            digits = int(numbers[1]) if len(numbers) > 1 else 0
            return numbers[0].quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if name == "LOG10":
            return numbers[0].log10()
        if name == "MIN":
            return min(numbers) if numbers else Decimal(0)
        if name == "MAX":
            return max(numbers) if numbers else Decimal(0)
        if name == "RANK":  # RANK(value, range): 1 + how many are greater (descending, ties share a rank)
            wanted, cells = self.scalar(args[0], sheet), self.evaluate(args[1], sheet)
            return Decimal(1 + sum(1 for v in cells if isinstance(v, Decimal) and v > _arith(wanted)))
        if name == "LARGE":  # LARGE(range, k): the k-th largest number
            cells, k = self.evaluate(args[0], sheet), int(_arith(self.scalar(args[1], sheet)))
            ranked = sorted((v for v in cells if isinstance(v, Decimal)), reverse=True)
            if not 1 <= k <= len(ranked):
                raise FormulaError("#NUM!")
            return ranked[k - 1]
        if name == "ROUNDUP":  # away from zero, to whole units: the year a period ends in
            if len(numbers) > 1 and numbers[1] != 0:
                raise FormulaError("ROUNDUP to other than whole units is not one cba writes")
            return numbers[0].quantize(Decimal(1), rounding=ROUND_UP)
        if name == "AND":
            return all(bool(_arith(v)) if not isinstance(v, bool) else v for v in values if v is not None)
        raise FormulaError(f"function {name} is not one cba writes")

    def scalar(self, tree, sheet: str) -> Value:
        value = self.evaluate(tree, sheet)
        return (value[0] if value else None) if isinstance(value, list) else value

    @staticmethod
    def operator(op: str, left: Value, right: Value) -> Value:
        if op in ("=", "<>", "<", ">", "<=", ">="):
            if isinstance(left, str) or isinstance(right, str):
                # Excel: an empty cell compares as "" against text; any number sorts before any text.
                a_key = (
                    (1, left.casefold()) if isinstance(left, str) else ((1, "") if left is None else (0, _arith(left)))
                )
                b_key = (
                    (1, right.casefold())
                    if isinstance(right, str)
                    else ((1, "") if right is None else (0, _arith(right)))
                )
                if a_key[0] != b_key[0]:
                    a, b = a_key[0], b_key[0]
                else:
                    a, b = a_key[1], b_key[1]  # type: ignore[assignment]
            else:
                a, b = _arith(left), _arith(right)  # type: ignore[assignment]
            return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        if op == "&":
            return f"{left if left is not None else ''}{right if right is not None else ''}"
        x, y = _arith(left), _arith(right)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            if y == 0:
                raise FormulaError("#DIV/0!")
            return x / y
        return x**y


#: Formula chains as deep as the longest timeline cba takes (a cumulative row over 1,200 months is about
#: 5,000 frames of cell -> evaluate -> reference): run in a thread with room for them.
DEEPEST_CHAIN_FRAMES = 200_000
_STACK_BYTES = 512 * 1024 * 1024


def stored_results(wb: Workbook) -> dict[str, dict[tuple[int, int], Value]]:
    """Sheet title -> cell coordinate -> the result of its formula (``_stored_results``), evaluated where a
    long timeline's chain of cells cannot exhaust Python's default recursion limit of 1,000 frames. A formula
    placed with its result (a FastCell's) is not listed: ``result_of`` gives every formula's."""
    import sys
    import threading

    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = _stored_results(wb)
        except BaseException as exc:  # handed to the caller's thread, where it is reported
            outcome["error"] = exc

    limit, size = sys.getrecursionlimit(), threading.stack_size()
    try:
        sys.setrecursionlimit(max(limit, DEEPEST_CHAIN_FRAMES))
        threading.stack_size(_STACK_BYTES)  # address space only: pages are used as the chain deepens
        thread = threading.Thread(target=work, name="cba-formulas", daemon=True)  # Ctrl-C ends the process
        thread.start()
        thread.join()
    finally:
        threading.stack_size(size)
        sys.setrecursionlimit(limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def result_of(cell: Cell | FastCell, results: dict[tuple[int, int], Value]) -> Value:
    """A formula cell's stored result: the figure it was placed with (a FastCell), else ``stored_results``'."""
    if isinstance(cell, FastCell) and cell.result is not NOT_KNOWN:
        return cast(Value, cell.result)  # cba places only Values
    return results.get((cell.row, cell.column))


def _stored_results(wb: Workbook) -> dict[str, dict[tuple[int, int], Value]]:
    evaluator = Evaluator(wb)
    out: dict[str, dict[tuple[int, int], Value]] = {}
    with localcontext() as ctx:
        ctx.prec = 34
        for ws in wb.worksheets:
            title, values = ws.title, evaluator.values
            sheet: dict[tuple[int, int], Value] = {}
            for (row, column), cell in ws._cells.items():
                if cell.__class__ is FastCell and (cell.data_type == "n" or cell.result is not NOT_KNOWN):
                    continue  # a number, or a formula placed with its result (``result_of``): most of a large workbook
                if cell.data_type == "f" and isinstance(cell._value, str):
                    known = values.get((title, row, column), _UNSET)
                    found = known if known is not _UNSET else evaluator.cell(title, row, column)
                    sheet[(row, column)] = found  # type: ignore[assignment]  # the evaluator's values are all Values
            out[title] = sheet
    return out


_PENNY, _POUND = Decimal("0.01"), Decimal(1)


def shown_as_computed(value: Decimal, number_format: str) -> str:
    """Pence where the figure has pence; a count's decimals only where it has them (no '4,890.')."""
    if number_format in (GBP, GBP_PENCE):
        return GBP_PENCE if has_pence((value,)) else GBP
    return COUNT_WHOLE if value == value.to_integral_value() else COUNT


def has_pence(values: Iterable[Decimal]) -> bool:
    """Whether any of ``values`` shows pence: a row's money format, and (one value) a money cell's. Whole pounds
    need no rounding to see (most figures are); otherwise pence if any are left at the penny."""
    return any(v != v.to_integral_value() and v.quantize(_PENNY) != v.quantize(_POUND) for v in values)


def fit_formats(wb: Workbook, results: dict[str, dict[tuple[int, int], Value]]) -> None:
    """Give every money and count cell the format its figure needs (inputs and stored results alike): a count
    its decimals only where it has them; pounds with pence on every money cell of a row where any figure in
    the row has pence (issue 28: a row never reads "£95,000" beside "£125,500.50")."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE

    # Compare format ids, not format strings: reading cell.number_format costs a lookup per cell.
    custom = list(wb._number_formats)
    ids = {BUILTIN_FORMATS_MAX_SIZE + custom.index(f): f for f in (GBP, GBP_PENCE, COUNT, COUNT_WHOLE) if f in custom}
    if not ids:
        return
    done = wb.__dict__.get("_cba_formatted", set())
    rows_done = wb.__dict__.get("_cba_formatted_rows", {})
    for ws in wb.worksheets:
        if ws.title in done:  # formatted row by row as it was written
            continue
        fitted = rows_done.get(ws.title, ())  # rows of a block the builder formatted as it wrote them
        computed = results.get(ws.title, {})
        money: dict[int, list] = {}  # row -> its money cells
        pence: set[int] = set()  # rows where some money figure has pence
        for cell in ws._cells.values():
            if cell.row in fitted:
                continue
            style = cell._style
            current = ids.get(style.numFmtId) if style is not None else None
            if current is None:
                continue
            value = result_of(cell, computed) if cell.data_type == "f" else _number(cell._value)
            if current in (GBP, GBP_PENCE):
                money.setdefault(cell.row, []).append((cell, current))
                if isinstance(value, Decimal) and shown_as_computed(value, current) == GBP_PENCE:
                    pence.add(cell.row)
            elif isinstance(value, Decimal):
                wanted = shown_as_computed(value, current)
                if wanted != current:
                    cell.number_format = wanted
        for row, cells in money.items():
            wanted = GBP_PENCE if row in pence else GBP
            for cell, current in cells:
                if current != wanted:
                    cell.number_format = wanted
