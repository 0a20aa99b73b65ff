"""A sheet's rows are compressed in a second thread while the next are made (issue 32): what is written
is every chunk in order, and an error on either side reaches the caller with both threads stopped."""

from __future__ import annotations

import io
import threading
import zipfile

import pytest

from cba.render.xlsx_write import write_in_turn


def _chunks(n: int):
    for i in range(n):
        yield f"<row r=\"{i}\"/>" * 50


def test_every_chunk_is_written_in_order_and_reads_back_from_the_archive():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("sheet.xml", "w") as entry:
        write_in_turn(entry, _chunks(500))
    assert zipfile.ZipFile(buffer).read("sheet.xml").decode() == "".join(_chunks(500))


def test_an_error_making_the_rows_is_raised_and_the_writer_stops():
    def broken():
        yield from _chunks(10)
        raise ValueError("a defect in a sheet's rows")

    before = threading.active_count()
    with pytest.raises(ValueError, match="a defect"):
        write_in_turn(io.BytesIO(), broken())
    assert threading.active_count() == before


class _FullDisk(io.BytesIO):
    def write(self, data):  # type: ignore[override]
        if self.tell() > 1000:
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_an_error_writing_is_raised_after_the_rows_stop_being_made():
    made = []

    def counted():
        for chunk in _chunks(10_000):
            made.append(chunk)
            yield chunk

    before = threading.active_count()
    with pytest.raises(OSError, match="No space left"):
        write_in_turn(_FullDisk(), counted())
    assert threading.active_count() == before
    assert len(made) < 10_000  # the maker stopped soon after the writer failed, not at the end


def test_a_sheet_past_the_spreadsheet_row_limit_is_refused_in_one_line(tmp_path):
    from openpyxl import Workbook

    from cba.model.errors import OutputError
    from cba.render.xlsx_cells import fast_cell, style_record
    from cba.render.xlsx_write import save

    wb = Workbook()
    ws = wb.active
    ws.title = "Costs"
    style = style_record(ws, None, None, "0")
    fast_cell(ws, 1_048_576, 1, 1, style)  # the last row a spreadsheet holds: written
    save(wb, tmp_path / "fits.xlsx", {})
    fast_cell(ws, 1_048_577, 1, 1, style)  # one past it
    with pytest.raises(OutputError) as refused:
        save(wb, tmp_path / "too-long.xlsx", {})
    assert str(refused.value) == (
        "the workbook's Costs sheet would need 1,048,577 rows; a spreadsheet holds 1,048,576: nothing was written "
        "(cba run --format json or csv has every figure)"
    )
