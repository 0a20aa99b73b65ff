"""Saving a workbook: openpyxl writes the package, cba writes each sheet's cells, results included.

openpyxl writes a cell through lxml's incremental writer, an element and its children at a time:
about two thirds of saving a 10,000-line workbook (450,000 cells), where a bare dump of the
inputs alone writes half as many cells (issue 32). And it writes a formula with an empty result,
so the results were put in afterwards by reading the saved package back, editing it and
compressing it again. Here openpyxl still writes everything around the cells (the package,
styles, names, charts, print setup, and each sheet's head and tail), and each sheet's
``<sheetData>`` is written as text in one pass, with each formula's result beside it.

The cells written are those openpyxl would write, with the same types, style ids and text:
tests/test_xlsx_write.py reads both writers' files back cell by cell for every bundled scenario.
A cell of a kind cba does not write itself (a date, an array formula, rich text) is written by
openpyxl's own cell writer, so it comes out as openpyxl writes it.
"""

from __future__ import annotations

import datetime
import queue
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO
from zipfile import ZIP_DEFLATED, ZipFile

from lxml import etree
from openpyxl.cell._writer import etree_write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from cba.render.xlsx_cells import NOT_KNOWN, FastCell
from cba.render.xlsx_values import FormulaError, Value, fit_formats, stored_results

#: Where the cells go in what openpyxl wrote for a sheet with no rows.
_EMPTY = (b"<sheetData></sheetData>", b"<sheetData/>")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _text(value: str) -> str:
    """Character data as lxml escapes it (a carriage return kept as a reference, so it survives parsing)."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.translate(_TEXT)
    return value  # most text (and every number) has nothing to escape: four scans beat a translation


#: The most characters of a number's text kept as written: past them, it has more significant digits than
#: the double a spreadsheet holds it in (17 at most).
_DOUBLE_DIGITS = 17


def _decimal(value: Decimal) -> str:
    """A number result's text: as few digits as show it, at most those of the double a spreadsheet holds."""
    text = str(value)  # a third of format(value, "f")'s time, and the same text unless it has an exponent
    if "E" in text:
        text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
        if len(text) > _DOUBLE_DIGITS:
            text = repr(float(value))
    return "0" if text == "" or text == "-0" else text


#: Whole numbers below this are written the same by str() as by openpyxl's "%.16g".
_EXACT = 10**15


def written(value: Value) -> tuple[str | None, str]:
    """(the cell's t attribute, the text of its <v>) for a result.

    Excel and LibreOffice hold a number as a double: a result with more digits than a double keeps (a
    real-terms figure is a quotient of deflators: 2369.063762626262626262626...) is written as the
    shortest text that reads back as the same double (Python's float repr), so every reader gets the
    double the full text would give it. The exact figure is cba's, in the JSON; the 60-digit text was
    most of a large workbook's bytes.
    """
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, Decimal):
        return None, _decimal(value)
    return "str", "" if value is None else str(value)


class _Collect:
    """Stands in for lxml's incremental writer to take the one element openpyxl's cell writer makes."""

    def __init__(self) -> None:
        self.element: etree._Element | None = None

    def write(self, element: etree._Element) -> None:
        self.element = element


def _by_openpyxl(ws: Worksheet, cell, styled: bool) -> str:
    collect = _Collect()
    links = list(ws._hyperlinks)
    etree_write_cell(collect, ws, cell, styled)
    ws._hyperlinks = links  # openpyxl's cell writer gathers the link again: links_and_comments has
    return etree.tostring(collect.element, encoding="unicode")


def links_and_comments(ws: Worksheet) -> None:
    """Gather the sheet's hyperlinks and comments, as openpyxl's writer does while it writes the cells: the
    sheet's tail (written before its cells are, see ``_BookWriter``) lists them. A FastCell has neither."""
    others = sorted((place, cell) for place, cell in ws._cells.items() if cell.__class__ is not FastCell)
    for _, cell in others:  # in the order the cells are written, as openpyxl gathers them
        if cell.comment is not None:
            ws._comments.append(CommentRecord.from_cell(cell))
        if cell.hyperlink and (cell._value is not None or cell.has_style or cell.comment is not None):
            ws._hyperlinks.append(cell.hyperlink)


#: The most rows a sheet holds in Excel and in LibreOffice.
EXCEL_ROWS = 1_048_576

#: Rows a chunk of ``sheet_rows`` holds: a few hundred kilobytes of XML, compressed while the next is made.
CHUNK_ROWS = 2000


def sheet_rows(ws: Worksheet, results: dict[tuple[int, int], Value]) -> Iterator[str]:
    """The sheet's ``<sheetData>`` in chunks of CHUNK_ROWS rows: every row and cell openpyxl would write, each
    formula with its result (a FastCell's own, else ``results``'). ``links_and_comments`` gathers the rest."""
    wb = ws.parent
    cell_styles = wb._cell_styles
    style_ids: dict[bytes, str | None] = {}
    # A style record shared by many cells (FastCell's) is looked up by identity; the record is kept in the
    # entry, so its id cannot be reused by another object while this runs.
    shared: dict[int, tuple[StyleArray, str]] = {}
    letters: dict[int, str] = {}
    rows: dict[int, list] = defaultdict(list)
    for (row, column), cell in ws._cells.items():
        rows[row].append((column, cell))
    dims = ws.row_dimensions
    for row in dims.keys() - rows.keys():  # a styled row with no cells is still written
        rows[row] = []
    ordered = sorted(rows)
    if ordered and ordered[-1] > EXCEL_ROWS:  # Excel and LibreOffice would refuse the file or drop the rows past it
        from cba.model.errors import OutputError

        raise OutputError(
            f"the workbook's {ws.title} sheet would need {ordered[-1]:,} rows; a spreadsheet holds "
            f"{EXCEL_ROWS:,}: nothing was written (cba run --format json or csv has every figure)"
        )
    out = ["<sheetData>"]
    add = out.append
    for count, row in enumerate(ordered, start=1):
        if count % CHUNK_ROWS == 0:
            yield "".join(out)
            out.clear()
        cells = rows[row]
        cells.sort()  # by column: a row's columns differ, so cells are never compared
        attrs = "".join(f' {k}="{_text(str(v))}"' for k, v in dims[row]) if row in dims else ""
        if not cells:
            add(f'<row r="{row}"{attrs}/>')
            continue
        add(f'<row r="{row}"{attrs}>')
        for column, cell in cells:
            value, style = cell._value, cell._style
            letter = letters.get(column)
            if letter is None:
                letter = letters[column] = get_column_letter(column)
            if cell.__class__ is FastCell:  # a number or cba's own formula, with a shared record: most cells
                hit = shared.get(id(style))
                if hit is None:
                    sid = str(cell_styles.add(style)) if any(style) else None
                    hit = shared[id(style)] = (style, f' s="{sid}"' if sid is not None else "")
                s = hit[1]
                if cell.data_type == "n":
                    # a whole number of up to 15 digits is written by "%.16g" (safe_string) as str() writes it
                    shown = str(value) if value.__class__ is int and -_EXACT < value < _EXACT else safe_string(value)
                    add(f'<c r="{letter}{row}"{s} t="n"><v>{shown}</v></c>')
                    continue
                result = cell.result
                if result.__class__ is Decimal:  # the engine's figure, placed with its formula: most formulas
                    add(f'<c r="{letter}{row}"{s}><f>{_text(value[1:])}</f><v>{_decimal(result)}</v></c>')
                    continue
                if result is NOT_KNOWN:
                    result = results.get((row, column), _MISSING)
            else:
                styled = False
                if style is not None:
                    key = style.tobytes()
                    sid = style_ids.get(key, "")
                    if sid == "":
                        sid = style_ids[key] = str(cell_styles.add(style)) if any(style) else None
                    styled = sid is not None
                kind = cell.data_type
                if value is None and not styled and cell.comment is None:
                    continue
                s = f' s="{sid}"' if styled else ""
                if not (kind == "f" and isinstance(value, str)):
                    where = f"{letter}{row}"
                    if value is None or value == "":
                        add(f'<c r="{where}"{s} t="{kind}"/>' if kind != "s" else f'<c r="{where}"{s} t="inlineStr"/>')
                    elif kind == "n" or kind == "b" or kind == "e":
                        shown = safe_string(value)
                        add(f'<c r="{where}"{s} t="{kind}"><v>{shown if kind == "n" else _text(shown)}</v></c>')
                    elif kind == "s" and isinstance(value, str):
                        space = ' xml:space="preserve"' if value != value.strip() else ""
                        add(f'<c r="{where}"{s} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>')
                    else:  # a date, rich text, an array formula: not written by cba, so written as openpyxl writes it
                        add(_by_openpyxl(ws, cell, styled))
                    continue
                result = results.get((row, column), _MISSING)
            # a formula, with its result
            if result is _MISSING:
                add(f'<c r="{letter}{row}"{s}><f>{_text(value[1:])}</f><v></v></c>')
                continue
            t, shown = written(result)  # type: ignore[arg-type]  # a Value: cba places and evaluates no other
            if t is None:  # a number: nothing to escape
                add(f'<c r="{letter}{row}"{s}><f>{_text(value[1:])}</f><v>{shown}</v></c>')
            else:
                add(f'<c r="{letter}{row}"{s} t="{t}"><f>{_text(value[1:])}</f><v>{_text(shown)}</v></c>')
        add("</row>")
    add("</sheetData>")
    yield "".join(out)


_MISSING = object()


class _SheetWriter(WorksheetWriter):
    """openpyxl's sheet writer, with no rows: they are put in by ``_BookWriter`` (``sheet_rows``)."""

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pass
        self.xf.send(None)


class _BookWriter(ExcelWriter):
    def __init__(self, workbook: Workbook, archive: ZipFile, results: dict[str, dict[tuple[int, int], Value]]) -> None:
        super().__init__(workbook, archive)
        self.results = results

    def write_worksheet(self, ws: Worksheet) -> None:
        # as ExcelWriter.write_worksheet, with the rows written by sheet_rows between openpyxl's head and tail
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws)  # which empties the sheet's lists of links and comments
        links_and_comments(ws)  # before the tail, which lists them
        writer.write_top()
        writer.write_rows()
        writer.write_tail()
        writer.close()
        ws._rels = writer._rels
        data = writer.read()
        empty = next(e for e in _EMPTY if e in data)
        head, _, tail = data.partition(empty)
        # a sheet past 2 GiB needs ZIP64 fields, which must be asked for before its size is known
        large = len(ws._cells) > _ZIP64_CELLS
        with self._archive.open(ws.path[1:], "w", force_zip64=large) as entry:
            entry.write(head)
            write_in_turn(entry, sheet_rows(ws, self.results.get(ws.title, {})))
            entry.write(tail)
        self.manifest.append(ws)
        writer.cleanup()


#: More cells than this may pass 2 GiB of XML (at most about 200 bytes a cell).
_ZIP64_CELLS = 10_000_000


def write_in_turn(entry: IO[bytes], chunks: Iterable[str]) -> None:
    """Write ``chunks`` to ``entry`` from a second thread, so that zlib compresses one chunk (without the GIL)
    while the next is made: on two cores, a 10,000-line workbook's compression all but disappears from its
    export time, and no sheet is held whole in memory. An error on either side is raised here, after both
    threads have stopped."""
    work: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
    failed: list[BaseException] = []

    def write() -> None:
        chunk = work.get()
        while chunk is not None:
            if not failed:
                try:
                    entry.write(chunk)
                except BaseException as exc:  # raised in the caller's thread, below
                    failed.append(exc)
            chunk = work.get()  # taken to the end, so the maker never waits on a full queue

    writer = threading.Thread(target=write, name="cba-sheet-writer", daemon=True)
    writer.start()
    try:
        for chunk in chunks:
            if failed:
                break
            work.put(chunk.encode("utf-8"))
    finally:
        work.put(None)
        writer.join()
    if failed:
        raise failed[0]


def save(workbook: Workbook, path: Path, results: dict[str, dict[tuple[int, int], Value]]) -> None:
    """``workbook`` saved to ``path`` as openpyxl's ``save`` would, each formula with its result from ``results``."""
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        workbook.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        _BookWriter(workbook, archive, results).save()


def save_with_results(wb: Workbook, path: Path) -> None:
    """Save ``wb`` to ``path`` with every formula's result stored beside it, each figure formatted as computed.

    cba's own formulas always evaluate (tests recalculate every bundled and generated workbook), so a
    FormulaError here is a defect in cba: it is reported as one line, and the atomic write leaves nothing.
    """
    from cba.model.errors import OutputError

    try:
        results = stored_results(wb)
        fit_formats(wb, results)
        save(wb, path, results)
    except FormulaError as exc:
        raise OutputError(
            f"cannot store the workbook's formula results ({exc}); nothing was written. "
            "This is a defect in cba: please report it with the scenario"
        ) from None
