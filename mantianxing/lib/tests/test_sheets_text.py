"""append_as_text: what a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook, load_workbook

from mantianxing.lib.sheets import append_as_text, append_row, new_workbook, workbook_bytes


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


def test_it_makes_a_write_only_sheet_safe_too() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("表")
    append_row(sheet, ["=1+1", "普通", -3, None, 2.5])
    append_row(sheet, ["第二行", 7])
    buffer = io.BytesIO()
    book.save(buffer)

    first, second = load_workbook(io.BytesIO(buffer.getvalue()))["表"].iter_rows()
    assert (first[0].value, first[0].data_type, first[0].quotePrefix) == ("=1+1", "s", True)
    # The cells after a quoted one carry no quote prefix, and numbers stay numbers.
    assert [(c.value, c.quotePrefix) for c in first[1:]] == [
        ("普通", False),
        (-3, False),
        (None, False),
        (2.5, False),
    ]
    assert first[2].data_type == "n"
    assert [c.value for c in second][:2] == ["第二行", 7]


def test_it_drops_the_control_characters_a_workbook_cannot_hold() -> None:
    book = new_workbook()
    sheet = book.create_sheet("表")
    append_row(sheet, ["甲\x00乙\x07丙\x1b", "多行\n文字\t制表", "\x1b=1"])

    (row,) = load_workbook(io.BytesIO(workbook_bytes(book)))["表"].iter_rows()
    assert [c.value for c in row] == ["甲乙丙", "多行\n文字\t制表", "=1"]
    assert row[2].data_type == "s"


def test_it_leaves_no_writer_appending_rows_past_the_helper() -> None:
    # Every export row goes through append_row (or table_sheet, which uses it); a bare
    # `sheet.append(` would write "=…" as a formula again. demo/xlsx.py writes shared strings only.
    package = Path(__file__).resolve().parents[2]
    bare = re.compile(r"\b(?:sheet|notes|guide|ws|book\.active)\.append\(")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts and path.name != "sheets.py" and bare.search(path.read_text())
    ]
    assert offenders == []
