"""The one door to the monthly report: open, save, check, submit, approve, return, amend.

Every function takes the actor first, owns its transaction and its history entry (`acting_as`),
and raises `PermissionDenied` or `ValidationError` with a Chinese message. The views, the API, the
demo and the tests all come through here. Decisions:

- **Who writes.** A district officer writes its own unit's reports (the scope decides, as
  everywhere); the city office writes any. Read-only roles never write. Approving and returning
  are the city office's alone; so is moving a report's deadline.
- **Locking.** Each state change locks the row (`select_for_update`) and re-reads its status, so
  two officers clicking at once cannot both pass a check that only one may. An approved report is
  never changed: the services refuse (`ReportConflict`) and the model refuses again on save. A
  change after approval is `amend`: a new revision, copied from the approved one, pointing back
  to it, with a reason.
- **Figures snapshot.** The ledger figures are re-read on every save of an editable report and
  frozen at submission (the last refresh is part of `submit`), so what the city approves is what
  the district saw.
- **Conflicts vs. invalid data.** `ReportConflict` (a `ValidationError`) marks a request that the
  report's state refuses — locked, already submitted, not yet submitted — so that the API can
  answer 409 instead of 400.
- **Months.** A report is for a month that has ended; `open_report` refuses the current and future
  months.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mantianxing.core.audit import acting_as
from mantianxing.core.scoping import can_write, check_write, is_city_office
from mantianxing.core.services import stamp
from mantianxing.geo.models import Unit
from mantianxing.monitoring.figures import month_figures
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.deadlines import default_deadline
from mantianxing.reporting.models import REPORTED_FIELDS, MonthlyReport
from mantianxing.reporting.rules import Finding, evaluate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mantianxing.accounts.models import User

    Actor = User | AnonymousUser

# What `save_draft` accepts from a form or a payload; anything else is refused, not ignored.
DRAFT_FIELDS = (*REPORTED_FIELDS, "remarks", "warning_comments")


class ReportConflict(ValidationError):
    """The report's state refuses the request (locked, already submitted, …): HTTP 409."""


def may_edit(user: Actor | None, report: MonthlyReport) -> bool:
    """May `user` fill in and submit `report` as it now stands?"""
    return report.is_editable and can_write(user, report)


def _require_city_office(user: Actor) -> None:
    if not is_city_office(user):
        raise PermissionDenied("只有市专班可以审核、退回月报或调整报送截止日期。")


def _locked_for_update(report: MonthlyReport) -> MonthlyReport:
    """The stored row, locked until the transaction ends; the caller's copy may be stale."""
    return MonthlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)


def _require_editable(report: MonthlyReport) -> None:
    if report.status == ReportStatus.APPROVED:
        raise ReportConflict("该月报已审核锁定，不能修改；如需更改，请申请更正。")
    if report.status == ReportStatus.SUBMITTED:
        raise ReportConflict("该月报已报送，正在等待市专班审核；如需修改，请联系市专班退回。")


def _refresh_figures(report: MonthlyReport) -> None:
    plan, figures = month_figures(report.unit, report.month)
    report.figures = {
        "plan": plan.code if plan else None,
        "taken_at": timezone.now().isoformat(timespec="seconds"),
        "figures": [figure.as_dict() for figure in figures],
    }


def _save(actor: Actor, report: MonthlyReport) -> None:
    report.full_clean()
    stamp(report, actor)  # type: ignore[arg-type]
    report.save()


def open_report(actor: Actor, unit: Unit, month: date, *, today: date | None = None) -> MonthlyReport:
    """The current revision of `unit`'s report for `month`, created as a draft when there is none."""
    today = today or timezone.localdate()
    month = month.replace(day=1)
    if unit.is_city:
        raise ValidationError("月报按区县报送，全市不单独填报。")
    if month >= today.replace(day=1):
        raise ValidationError(f"{month.year}年{month.month}月尚未结束，月底以后才能填报该月月报。")
    current = MonthlyReport.objects.filter(unit=unit, month=month).order_by("-revision").first()
    if current is not None:
        if not MonthlyReport.objects.visible_to(actor).filter(pk=current.pk).exists():
            raise PermissionDenied("该月报不在您的数据范围内。")
        return current
    report = MonthlyReport(unit=unit, month=month, deadline=default_deadline(month))
    check_write(actor, report)
    _refresh_figures(report)
    try:
        with transaction.atomic(), acting_as(actor):
            _save(actor, report)
    except IntegrityError:
        # Someone opened the same month a moment earlier: theirs is the report.
        return MonthlyReport.objects.filter(unit=unit, month=month).order_by("-revision").get()
    except ValidationError as error:
        # full_clean saw the other officer's row before the database did.
        existing = MonthlyReport.objects.filter(unit=unit, month=month).order_by("-revision").first()
        if existing is None:
            raise error from None
        return existing
    return report


def save_draft(actor: Actor, report: MonthlyReport, data: dict[str, Any]) -> MonthlyReport:
    """Store the district's values (and any warning comments) on an editable report."""
    unknown = sorted(set(data) - set(DRAFT_FIELDS))
    if unknown:
        raise ValidationError(f"月报没有可填写的字段：{'、'.join(unknown)}。")
    with transaction.atomic(), acting_as(actor):
        stored = _locked_for_update(report)
        check_write(actor, stored)
        _require_editable(stored)
        for field, value in data.items():
            if field == "warning_comments":
                value = _clean_comments(value)
            elif field == "remarks":
                value = (value or "").strip()
            setattr(stored, field, value)
        _refresh_figures(stored)
        _save(actor, stored)
    return stored


def _clean_comments(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError({"warning_comments": "提示说明应为“规则代码 → 说明”的对象。"})
    return {str(code): str(text or "").strip() for code, text in value.items() if str(text or "").strip()}


def check(report: MonthlyReport) -> list[Finding]:
    """The findings of the active rules on the report as it stands (errors and warnings)."""
    return evaluate(report)


def submit(actor: Actor, report: MonthlyReport, comments: dict[str, str] | None = None) -> MonthlyReport:
    """Send the report to the city: errors block; every warning needs the district's comment."""
    with transaction.atomic(), acting_as(actor):
        stored = _locked_for_update(report)
        check_write(actor, stored)
        _require_editable(stored)
        given = _clean_comments(comments) if comments is not None else dict(stored.warning_comments or {})
        _refresh_figures(stored)  # the last refresh: from here on the snapshot is frozen
        findings = check(stored)
        errors = [f for f in findings if f.is_error]
        if errors:
            raise ValidationError(
                "存在错误，不能报送：" + "；".join(f.message for f in errors), code="rule_errors"
            )
        warnings = [f for f in findings if not f.is_error]
        unexplained = [f for f in warnings if not given.get(f.rule)]
        if unexplained:
            raise ValidationError(
                "以下提示须填写说明后才能报送：" + "；".join(f.message for f in unexplained),
                code="warnings_unexplained",
            )
        # Only the comments on this submission's warnings are kept: they are what the city reads.
        stored.warning_comments = {f.rule: given[f.rule] for f in warnings}
        now = timezone.now()
        stored.status = ReportStatus.SUBMITTED
        stored.submitted_at = now
        stored.submitted_by = actor  # type: ignore[assignment]
        if stored.first_submitted_at is None:
            stored.first_submitted_at = now
        _save(actor, stored)
    return stored


def approve(actor: Actor, report: MonthlyReport) -> MonthlyReport:
    """The city office accepts a submitted report; from now on it is locked."""
    _require_city_office(actor)
    with transaction.atomic(), acting_as(actor):
        stored = _locked_for_update(report)
        if stored.status != ReportStatus.SUBMITTED:
            raise ReportConflict(f"只有已报送的月报才能审核通过（当前状态：{stored.get_status_display()}）。")
        stored.status = ReportStatus.APPROVED
        stored.reviewed_at = timezone.now()
        stored.reviewed_by = actor  # type: ignore[assignment]
        stored.review_comment = ""
        _save(actor, stored)
    return stored


def return_report(actor: Actor, report: MonthlyReport, comment: str) -> MonthlyReport:
    """The city office sends a submitted report back to the district, saying why."""
    _require_city_office(actor)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"review_comment": "退回必须填写退回意见。"})
    with transaction.atomic(), acting_as(actor):
        stored = _locked_for_update(report)
        if stored.status != ReportStatus.SUBMITTED:
            raise ReportConflict(f"只有已报送的月报才能退回（当前状态：{stored.get_status_display()}）。")
        stored.status = ReportStatus.RETURNED
        stored.reviewed_at = timezone.now()
        stored.reviewed_by = actor  # type: ignore[assignment]
        stored.review_comment = comment
        _save(actor, stored)
    return stored


def amend(actor: Actor, report: MonthlyReport, reason: str) -> MonthlyReport:
    """Start a correction of an approved report: a new draft revision; the original stays as it is."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"amendment_reason": "申请更正必须说明原因。"})
    with transaction.atomic(), acting_as(actor):
        stored = _locked_for_update(report)
        check_write(actor, stored)
        if stored.status != ReportStatus.APPROVED:
            raise ReportConflict("只有已审核的月报才能申请更正；未审核的月报请直接修改或请市专班退回。")
        if MonthlyReport.objects.filter(
            unit=stored.unit, month=stored.month, revision__gt=stored.revision
        ).exists():
            raise ReportConflict("该月报已有更新的版本，请在最新版本上申请更正。")
        amendment = MonthlyReport(
            unit=stored.unit,
            month=stored.month,
            revision=stored.revision + 1,
            amends=stored,
            amendment_reason=reason,
            status=ReportStatus.DRAFT,
            deadline=stored.deadline,
            remarks=stored.remarks,
            warning_comments=dict(stored.warning_comments or {}),
            **{field: getattr(stored, field) for field in REPORTED_FIELDS},
        )
        _refresh_figures(amendment)
        _save(actor, amendment)
    return amendment


def set_deadline(actor: Actor, report: MonthlyReport, deadline: date) -> MonthlyReport:
    """The city office moves one report's deadline (before it is approved)."""
    _require_city_office(actor)
    with transaction.atomic(), acting_as(actor):
        stored = _locked_for_update(report)
        if stored.is_locked:
            raise ReportConflict("该月报已审核锁定，不能调整截止日期。")
        if deadline <= stored.month:
            raise ValidationError({"deadline": "截止日期应在报告月份之后。"})
        stored.deadline = deadline
        _save(actor, stored)
    return stored
