"""The audit page's rows as an .xlsx workbook, with any formula-like text written as text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mantianxing.audit.choices import AuditSource
from mantianxing.core.audit import ACTION_LABELS
from mantianxing.lib.sheets import append_as_text, new_workbook, start_table, workbook_bytes

EXPORT_LIMIT = 100_000  # rows; a wider search is narrowed by date first

ACCESS_HEADERS = (
    "时间",
    "用户名",
    "操作",
    "渠道",
    "数据类型",
    "记录编号",
    "记录",
    "含年薪",
    "说明",
    "来源地址",
    "请求编号",
)
CHANGE_HEADERS = ("时间", "用户名", "操作", "数据类型", "记录编号", "记录", "来源地址", "请求编号")


def local(moment: Any) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"


def model_name(content_type: Any) -> str:
    model = content_type.model_class() if content_type is not None else None
    return str(model._meta.verbose_name) if model is not None else ""


def access_rows(records: QuerySet[Any]) -> Iterator[tuple[Any, ...]]:
    for r in records.iterator(chunk_size=2000):
        yield (
            local(r.timestamp),
            r.actor_name,
            r.get_action_display(),
            r.get_channel_display(),
            model_name(r.content_type),
            r.object_pk,
            r.object_repr,
            _("是") if r.includes_salary else _("否"),
            r.detail,
            r.remote_addr or "",
            r.request_id,
        )


def change_rows(entries: QuerySet[Any]) -> Iterator[tuple[Any, ...]]:
    for e in entries.iterator(chunk_size=2000):
        yield (
            local(e.timestamp),
            e.actor.get_username() if e.actor else _("系统"),
            ACTION_LABELS.get(e.action, str(e.action)),
            model_name(e.content_type),
            e.object_pk,
            e.object_repr,
            e.remote_addr or "",
            e.cid or "",
        )


def audit_workbook(source: str, queryset: QuerySet[Any]) -> tuple[bytes, int]:
    """The workbook's bytes and its number of rows (at most EXPORT_LIMIT)."""
    change = source == AuditSource.CHANGE
    total = queryset.count()
    title = _("%(source)s审计（%(when)s 导出，共 %(total)s 条）") % {
        "source": AuditSource(source).label,
        "when": local(timezone.now()),
        "total": total,
    }
    if total > EXPORT_LIMIT:
        title += _("：只含最近的 %(limit)s 条，请按日期分段导出") % {"limit": EXPORT_LIMIT}
    book = new_workbook()
    sheet = start_table(
        book.create_sheet(_("审计")),
        title,
        CHANGE_HEADERS if change else ACCESS_HEADERS,
        (20, 16, 8, 12, 10, 40, 16, 40) if change else (20, 16, 12, 8, 12, 10, 30, 8, 30, 16, 40),
    )
    rows = (change_rows if change else access_rows)(queryset[:EXPORT_LIMIT])
    count = 0
    for row in rows:
        append_as_text(sheet, row)
        count += 1
    return workbook_bytes(book), count
