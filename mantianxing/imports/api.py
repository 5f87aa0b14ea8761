"""/api/imports: import a file into a ledger, browse the batches, download templates and exports.

An import that ran answers 200 even when rows were rejected: the body (the pipeline's own result)
says what was written and why each bad row was not. A file or request that cannot run at all
answers 400, a role that may not import the ledger 403, and 409 when another import kept the
import lock for longer than MTX_IMPORT_LOCK_TIMEOUT (nothing written; try again later).
"""

import tempfile
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from mantianxing.imports import cells
from mantianxing.imports.exports import export_ledger, write_template
from mantianxing.imports.forms import upload_problem
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.limits import max_upload_bytes
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.imports.pipeline import ImportBusy, ImportRefused, run_import
from mantianxing.imports.reading import FileTooLarge, FileUnusable
from mantianxing.imports.views import XLSX, attachment, export_names, parse_month, template_names

router = Router(tags=["数据导入"])

XLSX_RESPONSE = {
    200: {
        "description": "Excel 文件（.xlsx）",
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
    },
    404: {"description": "未知的台账"},
}


class MessageSchema(Schema):
    message: str


class RowErrorSchema(Schema):
    row: int
    column: str
    message: str


class ImportResultSchema(Schema):
    ledger: str
    file: str
    sha256: str
    rows: int
    valid: int
    imported: int
    skipped: int
    errors: list[RowErrorSchema]
    batch: int | None


class BatchSchema(Schema):
    id: int
    ledger: Ledger
    ledger_label: str
    file_name: str
    sha256: str
    created_by: str | None
    created_at: datetime
    rows: int
    valid: int
    imported: int
    skipped: int
    error_count: int

    @staticmethod
    def resolve_ledger_label(obj: ImportBatch) -> str:
        return str(obj.get_ledger_display())

    @staticmethod
    def resolve_created_by(obj: ImportBatch) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None

    @staticmethod
    def resolve_error_count(obj: ImportBatch) -> int:
        return len(obj.errors)


class BatchDetailSchema(BatchSchema):
    run_id: str
    errors: list[RowErrorSchema]


def _unknown(ledger: str) -> str:
    return f"未知的台账“{ledger}”，可选：{'、'.join(LEDGERS)}。"


def _flag(request: HttpRequest, name: str) -> bool:
    """A flag given in the query string instead of the form (`POST …?dry_run=true`)."""
    return request.GET.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@router.get("/batches", response=list[BatchSchema], summary="导入批次列表（按数据范围过滤）")
@paginate
def list_batches(request: HttpRequest, ledger: Ledger | None = None):  # type: ignore[no-untyped-def]
    batches = ImportBatch.objects.visible_to(request.user).select_related("created_by")
    return batches.filter(ledger=ledger) if ledger else batches


@router.get("/batches/{batch_id}", response=BatchDetailSchema, summary="导入批次详情（含逐行错误）")
def get_batch(request: HttpRequest, batch_id: int) -> ImportBatch:
    batch = (
        ImportBatch.objects.visible_to(request.user).select_related("created_by").filter(pk=batch_id).first()
    )
    if batch is None:
        raise HttpError(404, "记录不存在或不在您的数据范围内。")
    return batch


def _xlsx(write: Any, file_name: str, fallback: str) -> HttpResponse:
    with tempfile.TemporaryFile() as stream:
        write(stream)
        stream.seek(0)
        response = HttpResponse(stream.read(), content_type=XLSX)
    response["Content-Disposition"] = attachment(file_name, fallback)
    return response


@router.get(
    "/templates/{ledger}",
    response={200: None},
    openapi_extra={"responses": XLSX_RESPONSE},
    summary="下载台账的空白导入模板（.xlsx，另附填表说明）",
)
def get_template(request: HttpRequest, ledger: str) -> HttpResponse:
    if ledger not in LEDGERS:
        raise HttpError(404, _unknown(ledger))
    return _xlsx(lambda stream: write_template(ledger, stream), *template_names(ledger))


@router.get(
    "/exports/{ledger}",
    response={200: None},
    openapi_extra={"responses": XLSX_RESPONSE},
    summary="按导入模板导出台账（.xlsx，只含调用者数据范围内的记录）",
    description="`unit`：只导出该区县（代码）的记录；`month`：花名册导出哪个月（如 2026-03，默认最近一个月）。",
)
def get_export(
    request: HttpRequest, ledger: str, unit: str | None = None, month: str | None = None
) -> HttpResponse:
    if ledger not in LEDGERS:
        raise HttpError(404, _unknown(ledger))
    try:
        parsed = parse_month(month)
    except cells.CellError as error:
        raise HttpError(400, f"month：{error}") from None

    def write(stream: Any) -> None:
        export_ledger(ledger, stream, user=request.user, unit=unit or None, month=parsed)

    return _xlsx(write, *export_names(ledger))


# Declared last: its path would otherwise also match /batches.
@router.post(
    "/{ledger}",
    response={
        200: ImportResultSchema,
        400: MessageSchema,
        403: MessageSchema,
        409: MessageSchema,
        413: MessageSchema,
    },
    summary="导入文件（Excel/ODS/CSV）到台账",
    description="multipart/form-data，字段 `file` 为文件；`dry_run=true` 只检查不写入，`keep_valid=true` 有错误时"
    "仍写入正确的行（两个开关也可写在查询字符串里）。导入执行了就返回 200，逐行错误在 `errors` 中；"
    "无法读取的文件或未知的台账返回 400，角色不能导入该台账返回 403；导入逐一进行，另一项导入占用超过"
    "等待时限（MTX_IMPORT_LOCK_TIMEOUT，默认 60 秒）时返回 409，不写入任何数据。文件超过大小、解压后大小或"
    "行数上限（MTX_UPLOAD_MAX_MB、MTX_UNZIPPED_MAX_MB、MTX_IMPORT_MAX_ROWS）时返回 413。",
)
def import_file(
    request: HttpRequest,
    ledger: str,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    keep_valid: Form[bool] = False,
) -> Any:
    if ledger not in LEDGERS:
        return Status(400, {"message": _unknown(ledger)})
    if problem := upload_problem(file.name or "", file.size):
        return Status(413 if (file.size or 0) > max_upload_bytes() else 400, {"message": problem})
    try:
        result = run_import(
            ledger,
            file.read(),
            file_name=file.name,
            user=request.user,
            dry_run=dry_run or _flag(request, "dry_run"),
            keep_valid=keep_valid or _flag(request, "keep_valid"),
        )
    except ImportBusy as error:
        return Status(409, {"message": str(error)})
    except ImportRefused as error:  # the ledger is known, so it is the role that may not import it
        return Status(403, {"message": str(error)})
    except FileTooLarge as error:
        return Status(413, {"message": str(error)})
    except FileUnusable as error:
        return Status(400, {"message": str(error)})
    return result.as_dict()
