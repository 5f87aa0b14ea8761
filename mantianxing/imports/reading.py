"""Find a template's header in a messy spreadsheet and stream its data rows in template column order.

Officers bring sheets with title rows, merged cells, extra columns, columns in their own order, header
texts retyped with full-width brackets or line breaks, and total rows at the bottom. `read_sheet` takes
care of all that and gives each row with the number Excel shows at its left, so that an error report
can send the officer straight to the cell.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from mantianxing.imports import limits
from mantianxing.lib.identifiers import to_halfwidth

CALAMINE_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
HEADER_SEARCH_ROWS = 30


class FileUnusable(Exception):
    """The file as a whole cannot be imported; the message is shown to the person who uploaded it."""


class FileTooLarge(FileUnusable):
    """Past a size limit (`imports.limits`): refused before it is unpacked; HTTP 413 in the API."""


@dataclass(frozen=True)
class Sheet:
    sheet_name: str
    header_row: int  # as numbered in the spreadsheet, from 1
    columns: tuple[str, ...]  # the template's columns, in template order
    present: frozenset[str]  # the template columns found in the header
    # (spreadsheet row number, values in template column order with None for a column not present)
    rows: Iterator[tuple[int, tuple[Any, ...]]]


def read_sheet(
    source: str | Path | bytes | IO[bytes],
    file_name: str,
    columns: Iterable[str],
    *,
    aliases: Mapping[str, Iterable[str]] | None = None,
    required: Iterable[str] = (),
) -> Sheet:
    """The first sheet of `source` with a header for `columns`; `file_name` decides the format."""
    columns = tuple(columns)
    required = tuple(required)
    matcher = _HeaderMatcher(columns, aliases or {})
    shortfall: tuple[str, ...] = ()
    sheet_count = 0
    for grid in _grids(source, file_name):
        sheet_count += 1
        top = list(itertools.islice(grid.rows, HEADER_SEARCH_ROWS))
        found = _best_header(top, matcher, columns, required)
        if found is None:
            continue
        index, positions = found
        missing = tuple(c for c in required if c not in positions)
        if missing:
            shortfall = shortfall or missing  # the first sheet that looked like ours names what it lacks
            continue
        return Sheet(
            sheet_name=grid.name,
            header_row=index + 1,
            columns=columns,
            present=frozenset(positions),
            rows=_data_rows(grid, top[index + 1 :], index + 1, columns, positions),
        )
    if shortfall:
        raise FileUnusable(f"表头缺少必填列：{_quoted(shortfall)}。")
    where = "第一张工作表" if sheet_count <= 1 else "各工作表"
    wanted = required or columns
    more = "……等列" if len(wanted) > 3 else "列"
    raise FileUnusable(f"未找到表头：{where}的前 {HEADER_SEARCH_ROWS} 行中没有{_quoted(wanted[:3])}{more}。")


def _quoted(names: Iterable[str]) -> str:
    return "".join(f"“{name}”" for name in names)


# --- Header matching -------------------------------------------------------------------------------

_AREA_UNITS = re.compile(r"平方米|平米")  # to "m2", which NFKC has already made of ㎡ and m²
_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


def _header_key(label: str) -> str:
    """A header text as compared with a template column: "*总建筑面积\n（平方米）：" → "总建筑面积(m2)"."""
    key = "".join(to_halfwidth(label).split()).lower().replace("*", "")
    return _AREA_UNITS.sub("m2", key).rstrip(":")


class _HeaderMatcher:
    """Which template column a header text names.

    A header matches a column when the keys are equal, or when one side adds a bracketed note the other
    lacks: "总建筑面积" and "楼宇名称(必填)" match "总建筑面积（㎡）" and "楼宇名称". Two different
    brackets do not match, so a "年薪（元）" column is never read as "年薪（万元）".
    """

    def __init__(self, columns: tuple[str, ...], aliases: Mapping[str, Iterable[str]]) -> None:
        self.exact: dict[str, str] = {}
        self.by_base: dict[str, str] = {}  # column keys without their bracket, for a bare header
        self.bare: dict[str, str] = {}  # column keys that have no bracket, for a header with one
        for column in columns:
            for label in (column, *aliases.get(column, ())):
                key = _header_key(label)
                base = _TRAILING_BRACKET.sub("", key)
                self.exact.setdefault(key, column)  # on a clash the earlier template column wins
                self.by_base.setdefault(base, column)
                if base == key:
                    self.bare.setdefault(key, column)

    def column(self, label: str) -> str | None:
        key = _header_key(label)
        if (column := self.exact.get(key)) is not None:
            return column
        base = _TRAILING_BRACKET.sub("", key)
        return self.by_base.get(key) if base == key else self.bare.get(base)


def _best_header(
    top: list[list[Any]], matcher: _HeaderMatcher, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[int, dict[str, int]] | None:
    """The header among the top rows: (row index, template column → cell index), or None.

    The row with the most matching cells wins, one that has every required column first; a single
    match is a header only for a one-column template (a title row may well name one column).
    """
    enough = min(2, len(columns))
    best: tuple[bool, int, int, dict[str, int]] | None = None
    for index, row in enumerate(top):
        positions: dict[str, int] = {}
        for cell_index, value in enumerate(row):
            if isinstance(value, str) and value and (column := matcher.column(value)) is not None:
                positions.setdefault(column, cell_index)  # a duplicated header column: the first wins
        usable = len(positions) >= enough and all(c in positions for c in required)
        if best is None or (usable, len(positions)) > best[:2]:
            best = (usable, len(positions), index, positions)
    if best is None or best[1] < enough:
        return None
    return best[2], best[3]


# --- Data rows -------------------------------------------------------------------------------------


@dataclass
class _Grid:
    """One sheet as lists of cell values, blank cells as "".

    `rows` starts at spreadsheet row 1; cell index 0 is the sheet's first used column. Merged ranges
    are ((first row, first cell), (last row, last cell)) in those same coordinates, 0-based.
    """

    name: str
    rows: Iterator[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    ragged: bool = False  # CSV rows stop at their last field; calamine's are all as wide as the sheet


_TOTAL = re.compile(r"(?:合计|总计|小计)(?:[:：].*)?")
_TOTAL_LOOKAHEAD = 3


def _is_total(cells: list[Any]) -> bool:
    """A 合计/总计/小计 row: one of its first three non-blank cells says so."""
    seen = 0
    for value in cells:
        if value.__class__ is str:
            if "计" in value and _TOTAL.fullmatch("".join(value.split())):
                return True
            if not value or value.isspace():
                continue
        seen += 1
        if seen == _TOTAL_LOOKAHEAD:
            break
    return False


def _data_rows(
    grid: _Grid,
    buffered: list[list[Any]],
    first_index: int,
    columns: tuple[str, ...],
    positions: dict[str, int],
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows after the header; `buffered` were already read from `grid.rows` for the header search."""
    # An absent column reads the "" appended to each row (index -1), so one itemgetter builds the tuple.
    absent = len(positions) < len(columns)
    indexes = [positions.get(c, -1) for c in columns]
    first = indexes[0]  # itemgetter of a single index gives the bare value, not a 1-tuple
    pick: Callable[[list[Any]], Any] = (
        itemgetter(*indexes) if len(indexes) > 1 else lambda cells: (cells[first],)
    )
    width = max(positions.values()) + 1
    ragged = grid.ragged
    last_index = limits.max_rows() - 1  # a CSV's rows are counted here; a workbook's before it opens
    fills = _merge_fills(grid.merged, first_index)
    merged_values: dict[tuple[int, int], Any] = {}
    for index, cells in enumerate(itertools.chain(buffered, grid.rows), first_index):
        if index > last_index:
            raise FileTooLarge(str(limits.rows_exceeded()))
        if ragged and len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        if fills and (spans := fills.get(index)):
            _fill(cells, index, spans, merged_values)
        if absent:
            cells.append("")
        values = [(v.strip() or None) if v.__class__ is str else v for v in pick(cells)]
        if values.count(None) == len(values) or _is_total(cells):
            continue
        yield index + 1, tuple(values)


def _merge_fills(
    merged: list[tuple[tuple[int, int], tuple[int, int]]], first_index: int
) -> dict[int, list[tuple[int, int, int]]]:
    """Row index → (first row, first cell, last cell) of each merged range that covers it.

    Only ranges below the header that span rows: a district merged down over its buildings. A range
    within one row is a note or a title across columns; spread into every column it would make a
    garbage data row instead of a blank one.
    """
    fills: dict[int, list[tuple[int, int, int]]] = {}
    for (top, left), (bottom, right) in merged:
        if top >= first_index and bottom > top:
            for index in range(top, bottom + 1):
                fills.setdefault(index, []).append((top, left, right))
    return fills


def _fill(
    cells: list[Any], index: int, spans: list[tuple[int, int, int]], merged_values: dict[tuple[int, int], Any]
) -> None:
    """Gives each cell of the merged ranges in this row the value of its range's top-left cell."""
    for top, left, right in spans:
        if index == top:
            merged_values[top, left] = value = cells[left]
        else:
            value = merged_values.get((top, left), "")
        cells[left : right + 1] = [value] * (right + 1 - left)


# --- File formats ----------------------------------------------------------------------------------


def _grids(source: str | Path | bytes | IO[bytes], file_name: str) -> Iterator[_Grid]:
    extension = Path(file_name).suffix.lower()
    if extension in CALAMINE_EXTENSIONS:
        return _workbook_grids(_checked(_read(source)), file_name)
    if extension == ".csv":
        return iter([_csv_grid(_checked(_read(source)), file_name)])
    raise FileUnusable(
        f"无法读取文件“{file_name}”：不支持{f'“{extension}”' if extension else '没有扩展名的'}文件，"
        "请上传 .xlsx、.xls、.ods 或 .csv 文件。"
    )


def _checked(data: bytes) -> bytes:
    """`data`, if within the limits on its size and its unpacked content (`imports.limits`)."""
    try:
        limits.check_file(data)
    except limits.TooLarge as error:
        raise FileTooLarge(str(error)) from None
    return data


def _read(source: str | Path | bytes | IO[bytes]) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    return source.read()


def _workbook_grids(data: bytes, file_name: str) -> Iterator[_Grid]:
    # From bytes rather than a path: calamine then tells the format from the content, and an upload
    # stored under a temporary name without the extension still reads.
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise FileUnusable(f"无法读取文件“{file_name}”：文件设有密码，请取消密码后再上传。") from None
    except CalamineError:
        # Many systems export an HTML table named .xls; Excel opens it, calamine rightly does not.
        raise FileUnusable(
            f"无法读取文件“{file_name}”：不是有效的 Excel 文件。如为系统导出的文件，请用 Excel 打开后另存为 .xlsx 再上传。"
        ) from None
    for index, meta in enumerate(workbook.sheets_metadata):
        # Hidden sheets often hold a template's dropdown lists or stale copies; the officer never sees them.
        if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
            continue
        try:
            sheet = workbook.get_sheet_by_index(index)  # parses the whole sheet, so only on demand
        except CalamineError:
            raise FileUnusable(f"无法读取文件“{file_name}”的工作表“{meta.name}”。") from None
        if sheet.start is None:
            continue
        first_column, last_cell = sheet.start[1], sheet.width - 1
        # iter_rows() (python-calamine 0.9) pads the empty rows above the data, so its rows count from
        # spreadsheet row 1, but drops the empty columns to the left: merged ranges, given in sheet
        # coordinates, shift left to match. tests/test_reading.py pins this. A range whose top-left
        # cell lies outside the used area holds no value to fill in.
        merged = [
            ((top, left - first_column), (bottom, min(right - first_column, last_cell)))
            for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()
            if 0 <= left - first_column <= last_cell
        ]
        yield _Grid(meta.name, iter(sheet.iter_rows()), merged)


def _csv_grid(data: bytes, file_name: str) -> _Grid:
    # Excel writes UTF-8 with a BOM ("CSV UTF-8"); older Chinese Windows writes GB18030 (a superset of GBK).
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content = data.decode("gb18030")
        except UnicodeDecodeError:
            raise FileUnusable(
                f"无法读取文件“{file_name}”：无法识别文字编码，请另存为 UTF-8 的 CSV。"
            ) from None
    name = Path(file_name).stem
    return _Grid(name, csv.reader(io.StringIO(content, newline="")), [], ragged=True)
