"""The monthly report (月报) over JSON: the same services as the pages, the same scope.

A report outside the caller's scope answers 404; a role that may not act answers 403; invalid
values or rule errors 400; a request the report's state refuses (locked, already submitted, not
yet submitted) 409.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from mantianxing.core.api_helpers import visible_or_404
from mantianxing.core.filtering import Month
from mantianxing.geo.models import Unit
from mantianxing.lib.periods import add_months
from mantianxing.reporting import services
from mantianxing.reporting.filters import MonthlyReportFilterSet
from mantianxing.reporting.models import MonthlyReport
from mantianxing.reporting.quality import reporting_quality, units_for

router = Router(tags=["月报"])
T = TypeVar("T")


class FindingSchema(Schema):
    rule: str
    name: str
    severity: str
    message: str
    field: str


class ReportSchema(Schema):
    id: int
    unit: str
    unit_name: str
    month: str  # YYYY-MM
    revision: int
    amends: int | None
    amendment_reason: str
    status: str
    status_label: str
    deadline: date
    late: bool
    investment_projects: int | None
    investment_projects_major: int | None
    investment_amount: Decimal | None
    scenarios_released: int | None
    events_held: int | None
    remarks: str
    figures: dict[str, Any]
    warning_comments: dict[str, str]
    submitted_at: datetime | None
    first_submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_comment: str

    @staticmethod
    def resolve_unit(obj: MonthlyReport) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: MonthlyReport) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_month(obj: MonthlyReport) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_amends(obj: MonthlyReport) -> int | None:
        return obj.amends_id

    @staticmethod
    def resolve_status_label(obj: MonthlyReport) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_late(obj: MonthlyReport) -> bool:
        return obj.submitted_late()

    @staticmethod
    def resolve_submitted_by(obj: MonthlyReport) -> str | None:
        return obj.submitted_by.username if obj.submitted_by else None

    @staticmethod
    def resolve_reviewed_by(obj: MonthlyReport) -> str | None:
        return obj.reviewed_by.username if obj.reviewed_by else None


class ReportDetailSchema(ReportSchema):
    findings: list[FindingSchema]

    @staticmethod
    def resolve_findings(obj: MonthlyReport) -> list[dict[str, str]]:
        # Checked live while the district can still act on them; afterwards the report is what it is.
        return [f.as_dict() for f in services.check(obj)] if obj.is_editable else []


class OpenIn(Schema):
    unit: str  # code of a current unit
    month: Month  # YYYY-MM


class DraftIn(Schema):
    investment_projects: int | None = None
    investment_projects_major: int | None = None
    investment_amount: Decimal | None = None
    scenarios_released: int | None = None
    events_held: int | None = None
    remarks: str | None = None
    warning_comments: dict[str, str] | None = None


class SubmitIn(Schema):
    comments: dict[str, str] | None = None  # rule code → explanation, one per warning


class ReturnIn(Schema):
    comment: str


class AmendIn(Schema):
    reason: str


class DeadlineIn(Schema):
    deadline: date


class QualityRow(Schema):
    unit: str
    unit_name: str
    due: int
    submitted: int
    on_time: int
    approved: int
    completeness: float | None
    timeliness: float | None
    missing_months: list[str]
    late_months: list[str]


class QualityOut(Schema):
    first: str
    last: str
    as_of: date
    city: QualityRow
    units: list[QualityRow]


@contextmanager
def conflicts_as_409() -> Iterator[None]:
    try:
        yield
    except services.ReportConflict as error:
        raise HttpError(409, error.messages[0]) from error


def _act(call: Callable[[], T]) -> T:
    with conflicts_as_409():
        return call()


def _report(request: HttpRequest, report_id: int) -> MonthlyReport:
    return visible_or_404(request, MonthlyReport, pk=report_id)


def _detail(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_related("unit", "submitted_by", "reviewed_by").get(pk=report.pk)


@router.get("", response=list[ReportSchema], summary="月报列表（按数据范围过滤，含各版本）")
@paginate
def list_reports(request: HttpRequest, filters: Query[MonthlyReportFilterSet]) -> QuerySet[MonthlyReport]:
    rows = MonthlyReport.objects.visible_to(request.user).select_related(
        "unit", "submitted_by", "reviewed_by"
    )
    return filters.filter(rows).order_by("-month", "unit__code", "-revision")


@router.get("/quality", response=QualityOut, summary="报送完整率与及时率（按区县与全市）")
def quality(request: HttpRequest, first: Month | None = None, last: Month | None = None) -> dict[str, Any]:
    today = timezone.localdate()
    last = last or add_months(today.replace(day=1), -1)
    first = first or add_months(last, -11)
    if first > last:
        raise HttpError(400, "起始月份不能晚于截止月份。")
    result = reporting_quality(first, last, today=today, units=units_for(request.user, today))

    def row(
        unit_code: str, unit_name: str, counts: Any, missing: list[date], late: list[date]
    ) -> dict[str, Any]:
        return {
            "unit": unit_code,
            "unit_name": unit_name,
            "due": counts.due,
            "submitted": counts.submitted,
            "on_time": counts.on_time,
            "approved": counts.approved,
            "completeness": counts.completeness,
            "timeliness": counts.timeliness,
            "missing_months": [f"{m:%Y-%m}" for m in missing],
            "late_months": [f"{m:%Y-%m}" for m in late],
        }

    return {
        "first": f"{result.first:%Y-%m}",
        "last": f"{result.last:%Y-%m}",
        "as_of": result.as_of,
        "city": row("500000", "合计", result.city, [], []),
        "units": [
            row(u.unit.code, u.unit.name, u.counts, u.missing_months, u.late_months) for u in result.units
        ],
    }


@router.get("/{report_id}", response=ReportDetailSchema, summary="月报详情（可编辑时含校验结果）")
def get_report(request: HttpRequest, report_id: int) -> MonthlyReport:
    return _detail(_report(request, report_id))


@router.post(
    "",
    response={200: ReportDetailSchema, 201: ReportDetailSchema},
    summary="打开（必要时新建）某区县某月的月报",
)
def open_report(request: HttpRequest, payload: OpenIn) -> Status[MonthlyReport]:
    unit = Unit.objects.reporting().valid_on(timezone.localdate()).filter(code=payload.unit).first()
    if unit is None:
        raise HttpError(400, f"“{payload.unit}”不是现有区县的代码。")
    existed = MonthlyReport.objects.filter(unit=unit, month=payload.month).exists()
    report = _act(lambda: services.open_report(request.user, unit, payload.month))
    return Status(200 if existed else 201, _detail(report))


@router.patch("/{report_id}", response=ReportDetailSchema, summary="保存草稿")
def save_draft(request: HttpRequest, report_id: int, payload: DraftIn) -> MonthlyReport:
    report = _report(request, report_id)
    data = payload.dict(exclude_unset=True)
    return _detail(_act(lambda: services.save_draft(request.user, report, data)))


@router.post(
    "/{report_id}/submit", response=ReportDetailSchema, summary="报送（错误阻止报送，提示须逐条说明）"
)
def submit(request: HttpRequest, report_id: int, payload: SubmitIn) -> MonthlyReport:
    report = _report(request, report_id)
    return _detail(_act(lambda: services.submit(request.user, report, payload.comments)))


@router.post("/{report_id}/approve", response=ReportDetailSchema, summary="审核通过（市专班；通过后锁定）")
def approve(request: HttpRequest, report_id: int) -> MonthlyReport:
    report = _report(request, report_id)
    return _detail(_act(lambda: services.approve(request.user, report)))


@router.post("/{report_id}/return", response=ReportDetailSchema, summary="退回（市专班，须填写退回意见）")
def return_report(request: HttpRequest, report_id: int, payload: ReturnIn) -> MonthlyReport:
    report = _report(request, report_id)
    return _detail(_act(lambda: services.return_report(request.user, report, payload.comment)))


@router.post(
    "/{report_id}/amend", response={201: ReportDetailSchema}, summary="申请更正（仅已审核的月报，须说明原因）"
)
def amend(request: HttpRequest, report_id: int, payload: AmendIn) -> Status[MonthlyReport]:
    report = _report(request, report_id)
    return Status(201, _detail(_act(lambda: services.amend(request.user, report, payload.reason))))


@router.post("/{report_id}/deadline", response=ReportDetailSchema, summary="调整报送截止日期（市专班）")
def set_deadline(request: HttpRequest, report_id: int, payload: DeadlineIn) -> MonthlyReport:
    report = _report(request, report_id)
    return _detail(_act(lambda: services.set_deadline(request.user, report, payload.deadline)))
