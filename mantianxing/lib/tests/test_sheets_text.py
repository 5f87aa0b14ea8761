"""append_as_text: what a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from mantianxing.lib.sheets import append_as_text, new_workbook, workbook_bytes


def test_it_writes_formula_like_cells_as_text() -> None:
    book = new_workbook()
    sheet = book.create_sheet("表")
    payloads = [
        '=HYPERLINK("http://x","y")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "=cmd|' /C calc'!A0",
    ]
    append_as_text(sheet, [*payloads, "普通文字", 42, -3])

    (row,) = load_workbook(io.BytesIO(workbook_bytes(book)))["表"].iter_rows()
    for cell, payload in zip(row, payloads, strict=False):
        assert cell.value == payload
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert [cell.value for cell in row[-3:]] == ["普通文字", 42, -3]
    assert not row[-3].quotePrefix
    assert row[-1].data_type == "n"  # numbers stay numbers
