"""The monthly report pages: the units × months grid, and one report with its actions.

Views stay thin: every change is one call of `mantianxing.reporting.services`; a report outside the
user's scope answers 404 (as if it did not exist), an action the role may not take 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mantianxing.core.audit import change_history
from mantianxing.core.scoping import ScopeKind, can_write, scope_of
from mantianxing.geo.models import Unit
from mantianxing.lib.periods import add_months, parse_month
from mantianxing.reporting import services
from mantianxing.reporting.choices import ReportStatus, Severity
from mantianxing.reporting.deadlines import default_deadline
from mantianxing.reporting.forms import AmendForm, DeadlineForm, MonthlyReportForm, ReturnForm
from mantianxing.reporting.models import REPORTED_FIELDS, MonthlyReport, ValidationRule
from mantianxing.reporting.quality import reporting_quality, units_for

RECENT_MONTHS = 6
COMMENT_PREFIX = "comment-"


def last_complete_month(today: date) -> date:
    return add_months(today.replace(day=1), -1)


@dataclass(frozen=True)
class Cell:
    unit: Unit
    month: date
    report: MonthlyReport | None  # the current revision
    deadline: date
    overdue: bool  # deadline passed and never submitted
    late: bool  # first submitted after the deadline

    @property
    def label(self) -> str:
        if self.report is None:
            return "未开始"
        label = self.report.get_status_display()
        return f"{label}（更正{self.report.revision}）" if self.report.revision else label


def _grid(units: list[Unit], span: list[date], reports: list[MonthlyReport], today: date) -> list[list[Cell]]:
    current: dict[tuple[int, date], MonthlyReport] = {}
    originals: dict[tuple[int, date], MonthlyReport] = {}
    for found in reports:  # ordered by revision: the last one seen is the current one
        current[(found.unit_id, found.month)] = found
        if found.revision == 0:
            originals[(found.unit_id, found.month)] = found
    rows = []
    for unit in units:
        row = []
        for month in span:
            report = current.get((unit.pk, month))
            original = originals.get((unit.pk, month))
            deadline = original.deadline if original else default_deadline(month)
            sent = original is not None and original.first_submitted_at is not None
            late = original is not None and sent and original.submitted_late()
            row.append(Cell(unit, month, report, deadline, overdue=not sent and today > deadline, late=late))
        rows.append(row)
    return rows


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if scope is None or scope.kind not in (ScopeKind.CITY, ScopeKind.UNIT):
        raise PermissionDenied("您的角色不参与月报。")
    today = timezone.localdate()
    last = last_complete_month(today)
    span = [add_months(last, -i) for i in range(RECENT_MONTHS - 1, -1, -1)]
    units = units_for(request.user, today)
    reports = list(
        MonthlyReport.objects.visible_to(request.user)
        .filter(unit__in=units, month__in=span)
        .order_by("unit_id", "month", "revision")
    )
    rows = _grid(units, span, reports, today)
    quality = reporting_quality(span[0], span[-1], today=today, units=units)
    # A district officer comes here to fill in last month's report: put it first, in large type.
    todo = None
    if scope.kind is ScopeKind.UNIT and not scope.read_only and rows:
        todo = rows[0][-1]
    context = {
        "span": span,
        "rows": [(row[0].unit, row, quality.for_unit(row[0].unit.pk)) for row in rows],
        "quality": quality,
        "is_city": scope.kind is ScopeKind.CITY,
        "todo": todo,
    }
    return render(request, "reporting/report_list.html", context)


@login_required
@require_POST
def report_open(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.reporting(), pk=request.POST.get("unit") or 0)
    try:
        month = parse_month(request.POST.get("month", ""))
        report = services.open_report(request.user, unit, month)
    except (ValueError, ValidationError) as error:
        messages.error(request, _text(error))
        return redirect("reporting:report_list")
    return redirect(report)


def _visible_report(request: HttpRequest, pk: int) -> MonthlyReport:
    rows = MonthlyReport.objects.visible_to(request.user).select_related(
        "unit", "amends", "submitted_by", "reviewed_by", "created_by", "updated_by"
    )
    return get_object_or_404(rows, pk=pk)


def _text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error)


def _figure_rows(report: MonthlyReport) -> list[dict[str, Any]]:
    """The snapshot rows with their values as shown: shares as percentages."""
    shown = []
    for row in report.figure_rows:
        percent = row.get("unit_label") == "%"

        def fmt(value: Any, percent: bool = percent) -> str:
            if value is None:
                return "—"
            if percent:
                return f"{value * 100:.2f}"
            return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"

        shown.append(
            row | {"month_shown": fmt(row.get("month_value")), "cumulative_shown": fmt(row.get("cumulative"))}
        )
    return shown


def _taken_at(report: MonthlyReport) -> datetime | None:
    raw = report.figures.get("taken_at") if isinstance(report.figures, dict) else None
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _render_detail(
    request: HttpRequest,
    report: MonthlyReport,
    form: MonthlyReportForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    user = request.user
    editable = services.may_edit(user, report)
    form = form or MonthlyReportForm(instance=report, editable=editable)
    findings = services.check(report) if report.is_editable else []
    comments = report.warning_comments or {}
    rule_names = dict(ValidationRule.objects.values_list("code", "name"))
    revisions = list(
        MonthlyReport.objects.filter(unit=report.unit, month=report.month)
        .select_related("submitted_by", "reviewed_by", "created_by")
        .order_by("revision")
    )
    latest = revisions[-1] if revisions else report
    is_city = services.is_city_office(user)
    context = {
        "report": report,
        "object": report,
        "form": form,
        "editable": editable,
        "figures": _figure_rows(report),
        "taken_at": _taken_at(report),
        "errors": [f for f in findings if f.severity == Severity.ERROR],
        "warnings": [
            (f, extra.get("comments", comments).get(f.rule, ""))
            for f in findings
            if f.severity == Severity.WARNING
        ],
        "explained": [(rule_names.get(code, code), text) for code, text in comments.items()]
        if not report.is_editable
        else [],
        "revisions": revisions,
        "can_review": is_city and report.status == ReportStatus.SUBMITTED,
        "can_amend": report.is_locked and report.pk == latest.pk and can_write(user, report),
        "can_set_deadline": is_city and not report.is_locked,
        "newer": latest if latest.pk != report.pk else None,
        "amend_form": AmendForm(),
        "return_form": ReturnForm(),
        "deadline_form": DeadlineForm(initial={"deadline": report.deadline}),
        "history": change_history(report),
        "late": report.submitted_late(),
        "overdue": report.first_submitted_at is None and timezone.localdate() > report.deadline,
    }
    return render(request, "reporting/report_detail.html", context | extra, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    if request.method != "POST":
        return _render_detail(request, report)
    # Save (and perhaps submit) the district's values: one form, two buttons.
    form = MonthlyReportForm(request.POST, instance=MonthlyReport(), editable=True)
    comments: dict[str, str] = {
        key.removeprefix(COMMENT_PREFIX): str(value)
        for key, value in request.POST.items()
        if key.startswith(COMMENT_PREFIX)
    }
    if not form.is_valid():
        return _render_detail(request, report, form, status=400, comments=comments)
    data = {name: form.cleaned_data[name] for name in (*REPORTED_FIELDS, "remarks")}
    data["warning_comments"] = comments
    try:
        report = services.save_draft(request.user, report, data)
        if request.POST.get("action") == "submit":
            report = services.submit(request.user, report, comments)
            messages.success(request, "月报已报送，等待市专班审核。")
        else:
            messages.success(request, "草稿已保存。")
    except ValidationError as error:
        report.refresh_from_db()
        keep = MonthlyReportForm(
            request.POST, instance=MonthlyReport(), editable=services.may_edit(request.user, report)
        )
        keep.is_valid()
        status = 409 if isinstance(error, services.ReportConflict) else 400
        return _render_detail(
            request, report, keep, status=status, comments=comments, action_error=_text(error)
        )
    return HttpResponseRedirect(report.get_absolute_url())


def _action(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    """Run one service call on a visible report; its refusal becomes a message on the report page."""
    report = _visible_report(request, pk)
    try:
        result = act(report)
    except ValidationError as error:
        messages.error(request, _text(error))
        return HttpResponseRedirect(report.get_absolute_url())
    messages.success(request, done)
    return HttpResponseRedirect(result.get_absolute_url())


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda r: services.approve(request.user, r), "已审核通过，月报已锁定。")


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _action(
        request, pk, lambda r: services.return_report(request.user, r, comment), "已退回区县修改。"
    )


@login_required
@require_POST
def report_amend(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _action(
        request, pk, lambda r: services.amend(request.user, r, reason), "已创建更正版本，请修改后重新报送。"
    )


@login_required
@require_POST
def report_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的截止日期。")
        return HttpResponseRedirect(_visible_report(request, pk).get_absolute_url())
    deadline = form.cleaned_data["deadline"]
    return _action(
        request, pk, lambda r: services.set_deadline(request.user, r, deadline), "截止日期已调整。"
    )
