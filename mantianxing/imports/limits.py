"""How big a file the import reads: checked before calamine opens it, so a hostile file costs nothing.

A 613 KB .xlsx once drove one worker to 2 GB. An .xlsx or .ods is a zip of XML; calamine unpacks a
sheet's XML and builds the whole sheet as one dense grid (python-calamine 0.9 reads no other way), so
the grid's size is the number of rows times the number of columns between the first and the last cell,
whatever lies between. Three checks, each with its setting (see settings.py, `MTX_*`):

1. the file itself: at most `MTX_UPLOAD_MAX_MB` (also the upload form's and the API's limit);
2. the zip: its members at most `MTX_UNZIPPED_MAX_MB` unpacked together, and no member packed more
   than `MAX_RATIO` times (a sheet of millions of identical cells packs ~1000:1; real sheets ~10:1);
3. each worksheet's extent, read from its cell references in one streaming pass over the XML: at most
   `MTX_IMPORT_MAX_ROWS` rows and `MTX_IMPORT_MAX_CELLS` cells in its grid. Two cells, at A1 and at
   XFD1048576, would otherwise make a grid of 17 billion cells.

The rows of a CSV are counted as they are read (`reading.py`), against the same row limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small members (styles, a short sheet) may pack as they like
_CHUNK = 1024 * 1024
_OVERLAP = 64  # bytes carried to the next chunk, so a reference across the cut is still seen
# A reference anywhere (a cell's r="B12", a row's r="12"): rows of either count, columns of cells.
_REFERENCE_ROW = re.compile(rb' r="[A-Z]{0,3}([0-9]{1,7})"')
_REFERENCE_COLUMN = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_DIMENSION_TOO_BIG = "文件过大：%s，超过上限 %s。请分成几个文件导入。"


class TooLarge(Exception):
    """The file is past one of the limits; the message is shown to the person who uploaded it."""


def max_upload_bytes() -> int:
    return int(settings.MTX_UPLOAD_MAX_MB) * 1024 * 1024


def max_rows() -> int:
    return int(settings.MTX_IMPORT_MAX_ROWS)


def rows_exceeded() -> TooLarge:
    return TooLarge(_DIMENSION_TOO_BIG % ("数据行数过多", f"{max_rows():,} 行"))


def check_file(data: bytes) -> None:
    """Raise TooLarge when `data` (any format) or, for a zip-based workbook, its content is past a limit."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise TooLarge(
            _DIMENSION_TOO_BIG % (f"文件大小 {len(data) / 1048576:.1f} MB", f"{limit // 1048576} MB")
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return  # .xls (OLE2) and CSV: bounded by the file size and the row count
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        _check_unpacked(members)
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_extent(archive, member)


def _check_unpacked(members: list[zipfile.ZipInfo]) -> None:
    limit = int(settings.MTX_UNZIPPED_MAX_MB) * 1024 * 1024
    total = sum(member.file_size for member in members)
    if total > limit:
        raise TooLarge(_DIMENSION_TOO_BIG % (f"解压后 {total / 1048576:,.0f} MB", f"{limit // 1048576} MB"))
    for member in members:
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise TooLarge(
                f"文件内容异常：“{member.filename}”的压缩比超过 {MAX_RATIO}:1（常见于大量重复或空白单元格），"
                "请在 Excel 中删除多余的行列后另存再导入。"
            )


def _check_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """The sheet's last row and column from its cell references, read in chunks (never whole)."""
    last_row = 0
    columns: set[bytes] = set()
    carried = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            text = carried + chunk
            # findall and map in C: ~1 s per 200,000 rows of 7 cells; a Python loop per cell took 3 s.
            last_row = max(last_row, max(map(int, _REFERENCE_ROW.findall(text)), default=0))
            columns.update(_REFERENCE_COLUMN.findall(text))
            carried = text[-_OVERLAP:]
    if last_row > max_rows():
        raise rows_exceeded()
    width = max((_column_number(letters) for letters in columns), default=0)
    cells = last_row * width
    if cells > int(settings.MTX_IMPORT_MAX_CELLS):
        raise TooLarge(
            _DIMENSION_TOO_BIG
            % (
                f"工作表范围 {last_row:,} 行 × {width:,} 列",
                f"{int(settings.MTX_IMPORT_MAX_CELLS):,} 个单元格",
            )
            + "如表格右侧或下方远处有零星内容，请删除后再导入。"
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


# Room for the multipart envelope and the form's other fields around the file itself.
_ENVELOPE_BYTES = 1024 * 1024


class RequestSizeLimitMiddleware:
    """A request body past the upload limit is refused before Django reads it (413).

    Django spools a large upload to a temporary file before any view sees it: without this, a client
    could fill the disk with a body no view would ever accept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_upload_bytes()
        if length > limit + _ENVELOPE_BYTES:
            message = f"文件超过 {limit // 1048576} MB，请分成几个文件导入。"
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"message": message}, status=413, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
