"""访问审计: the city office searches who read personal data or changed a record, and exports it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mantianxing.audit.choices import AccessAction, AuditSource
from mantianxing.audit.exports import audit_workbook
from mantianxing.audit.forms import AuditFilterForm
from mantianxing.audit.queries import audit_queryset
from mantianxing.audit.retention import retention_days
from mantianxing.audit.services import record_access
from mantianxing.core.scoping import is_city_office

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def error_texts(form: AuditFilterForm) -> list[str]:
    """Each invalid filter as "label：reason" (the form-wide ones without a label)."""
    texts = []
    for name, messages in form.errors.items():
        label = f"{form.fields[name].label}：" if name in form.fields else ""
        texts.append(label + " ".join(str(message) for message in messages))
    return texts


# Eighteen (or fifteen) characters of an ID number, typed into a free-text filter by mistake.
ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{11,14}([0-9]{3}[0-9Xx])(?![0-9])")


def describe(filters: dict[str, Any]) -> str:
    """The filters of an export as the access log keeps them: the values given, ID numbers masked."""
    given = [
        f"{name}={value}"
        for name, value in filters.items()
        if value not in (None, "", False) and name != "source"
    ]
    return ID_NUMBER.sub(
        lambda match: "*" * (len(match.group(0)) - 4) + match.group(1)[-4:], "，".join(given)
    )


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, Any] | None]:
    """The bound form and its filters; None when a filter is invalid (the page then lists nothing)."""
    if not is_city_office(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    return form, form.cleaned_data if form.is_valid() else None


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    queryset = audit_queryset(filters) if filters is not None else audit_queryset({}).none()
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    given = {key: value for key, value in request.GET.items() if value and key != "page"}
    return render(
        request,
        "audit/audit_list.html",
        {
            "form": form,
            "errors": error_texts(form),
            "retention_days": retention_days(),
            "source": (filters or {}).get("source", AuditSource.ACCESS),
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "object_list": page.object_list,
            "query_string": urlencode(given),
        },
    )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return HttpResponse(
            "筛选条件有误：" + "；".join(error_texts(form)),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    content, rows = audit_workbook(filters["source"], audit_queryset(filters))
    # The audit names who read whom: taking it away is itself a read to account for.
    record_access(
        request.user,
        AccessAction.AUDIT_EXPORT,
        detail=f"{AuditSource(filters['source']).label}，{rows} 行；{describe(filters)}",
        object_repr="访问审计",
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = f"{timezone.localtime():%Y%m%d-%H%M}"
    response["Content-Disposition"] = f'attachment; filename="audit-{filters["source"]}-{stamp}.xlsx"'
    return response
