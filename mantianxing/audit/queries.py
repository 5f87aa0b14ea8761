"""The audit page's two sources, filtered alike: reads of personal data and changes of any record."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from mantianxing.audit.choices import AccessAction, AuditSource
from mantianxing.audit.models import AccessRecord


def content_type_of(label: str) -> ContentType | None:
    app_label, _dot, model = label.partition(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None


def audit_queryset(filters: dict[str, Any]) -> QuerySet[Any]:
    """Access records or history entries matching `filters` (an AuditFilterForm's cleaned data)."""
    if filters.get("source") == AuditSource.CHANGE:
        return change_entries(filters)
    return access_records(filters)


def _common(queryset: QuerySet[Any], filters: dict[str, Any], user_lookup: str) -> QuerySet[Any]:
    if filters.get("user"):
        queryset = queryset.filter(**{f"{user_lookup}__icontains": filters["user"]})
    if filters.get("model"):
        queryset = queryset.filter(content_type=content_type_of(filters["model"]))
    if filters.get("object_pk"):
        queryset = queryset.filter(object_pk=filters["object_pk"])
    if filters.get("remote_addr"):
        queryset = queryset.filter(remote_addr=filters["remote_addr"])
    if filters.get("since"):
        queryset = queryset.filter(timestamp__date__gte=filters["since"])
    if filters.get("until"):
        queryset = queryset.filter(timestamp__date__lte=filters["until"])
    return queryset


def access_records(filters: dict[str, Any]) -> QuerySet[AccessRecord]:
    records = _common(AccessRecord.objects.select_related("content_type"), filters, "actor_name")
    action = filters.get("action")
    if action:
        records = records.filter(action=action) if action in AccessAction.values else records.none()
    if filters.get("salary"):
        records = records.filter(includes_salary=True)
    return records.order_by("-timestamp", "-pk")


def change_entries(filters: dict[str, Any]) -> QuerySet[LogEntry]:
    entries = _common(LogEntry.objects.select_related("actor", "content_type"), filters, "actor__username")
    action = filters.get("action")
    if action:
        entries = entries.filter(action=int(action)) if action.isdigit() else entries.none()
    if filters.get("salary"):
        entries = entries.none()  # "含年薪" is a property of reads; the history holds no such flag
    # The change details are not shown here: a salary's old and new values would leak through them.
    return entries.defer("changes", "changes_text", "additional_data", "serialized_data").order_by(
        "-timestamp", "-pk"
    )
