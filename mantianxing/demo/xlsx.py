"""A small, fast, reproducible .xlsx writer for the demo data set's template sheets.

Why not `mantianxing.imports.workbook.write_workbook` (openpyxl)? Two reasons, both measured:
- without lxml installed (it is not a dependency), openpyxl's write-only mode writes about 2,000
  rows a second here: a month of the city's roster (600,000 rows) would take five minutes;
- openpyxl stamps the file with the time it was saved (docProps/core.xml and every zip entry), so
  the same seed would not give the same bytes, and the import pipeline keys batches by sha256.

This writer emits what Excel itself writes for such a sheet: one worksheet, strings in a shared
string table, dates as serial numbers with a date format, a bold frozen header row. Every zip
entry carries a fixed timestamp, so the bytes depend on the rows alone.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from mantianxing.core.bulk import chunked

EXCEL_EPOCH = date(1899, 12, 30).toordinal()
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry
FLUSH_ROWS = 5_000
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    HEAD + f'<Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    HEAD + f'<Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
# Cell styles: 0 plain, 1 a date (built-in format 14), 2 the header (bold on light blue).
STYLES = (
    HEAD + f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_xlsx(target: str | Path, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write one sheet named `title`: the header `columns`, then `rows`; returns the number of rows.

    Cell values: str (shared string), int / float / Decimal (number), date (serial number shown as
    a date), None or "" (no cell).
    """
    letters = [_letter(index) for index in range(len(columns))]
    strings: dict[str, int] = {}
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(12, min(40, len(c) * 2 + 4))}" customWidth="1"/>'
        for i, c in enumerate(columns, 1)
    )
    count = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as book:
        _put(book, "[Content_Types].xml", CONTENT_TYPES)
        _put(book, "_rels/.rels", ROOT_RELS)
        _put(
            book,
            "xl/workbook.xml",
            HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            f'<sheet name="{escape(title[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        _put(book, "xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        _put(book, "xl/styles.xml", STYLES)
        with book.open(_info("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as sheet:
            sheet.write(
                (
                    HEAD
                    + f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    f"</sheetView></sheetViews><cols>{widths}</cols><sheetData>"
                ).encode()
            )
            header = "".join(
                f'<c r="{letter}1" s="2" t="s"><v>{strings.setdefault(name, len(strings))}</v></c>'
                for letter, name in zip(letters, columns, strict=True)
            )
            parts = [f'<row r="1">{header}</row>']
            for chunk in chunked(rows, FLUSH_ROWS):
                parts.append(_rows_xml(chunk, count + 2, letters, strings))
                count += len(chunk)
                sheet.write("".join(parts).encode())
                parts.clear()
            parts.append("</sheetData></worksheet>")
            sheet.write("".join(parts).encode())
        with book.open(_info("xl/sharedStrings.xml"), "w", force_zip64=True) as table:
            table.write(f'{HEAD}<sst xmlns="{MAIN}" uniqueCount="{len(strings)}">'.encode())
            entries: list[str] = []
            for text in strings:  # dicts keep insertion order: the index each string was given
                entries.append(f"<si><t>{_escape(text)}</t></si>")
                if len(entries) >= FLUSH_ROWS:
                    table.write("".join(entries).encode())
                    entries.clear()
            entries.append("</sst>")
            table.write("".join(entries).encode())
    return count


def _rows_xml(chunk: list[Sequence[Any]], first: int, letters: list[str], strings: dict[str, int]) -> str:
    """The <row> elements of `chunk`, numbered from `first`.

    Built a column at a time: the cells of one column share a kind, so each column is one list
    comprehension instead of a type test per cell (three times faster for a month of rosters).
    """
    numbers = range(first, first + len(chunk))
    index = strings.setdefault
    columns = []
    for j, letter in enumerate(letters):
        values = [row[j] if j < len(row) else None for row in chunk]
        kinds = {value.__class__ for value in values} - {type(None)}
        if kinds <= {str}:
            cells = [
                f'<c r="{letter}{n}" t="s"><v>{index(v, len(strings))}</v></c>' if v else ""
                for v, n in zip(values, numbers, strict=True)
            ]
        elif kinds == {date}:
            cells = [
                f'<c r="{letter}{n}" s="1"><v>{v.toordinal() - EXCEL_EPOCH}</v></c>' if v is not None else ""
                for v, n in zip(values, numbers, strict=True)
            ]
        elif kinds <= {int, float, Decimal}:
            cells = [
                f'<c r="{letter}{n}"><v>{v}</v></c>' if v is not None else ""
                for v, n in zip(values, numbers, strict=True)
            ]
        else:
            cells = [_cell(f"{letter}{n}", v, strings) for v, n in zip(values, numbers, strict=True)]
        columns.append(cells)
    return "".join(
        f'<row r="{n}">{"".join(cells)}</row>' for n, *cells in zip(numbers, *columns, strict=True)
    )


def _cell(ref: str, value: Any, strings: dict[str, int]) -> str:
    """One cell of a column holding values of several kinds."""
    kind = value.__class__
    if value is None or value == "":
        return ""
    if kind is str:
        return f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>'
    if kind is date:
        return f'<c r="{ref}" s="1"><v>{value.toordinal() - EXCEL_EPOCH}</v></c>'
    if kind is int or kind is float or kind is Decimal:
        return f'<c r="{ref}"><v>{value}</v></c>'
    raise TypeError(f"cannot write a {kind.__name__} cell: {value!r}")


def _escape(text: str) -> str:
    return escape(text) if ("&" in text or "<" in text or ">" in text) else text


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    info._compresslevel = 1  # type: ignore[attr-defined]  # fast: the files are written once, read once
    return info


def _put(book: zipfile.ZipFile, name: str, text: str) -> None:
    book.writestr(_info(name), text.encode())


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
