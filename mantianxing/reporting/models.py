"""The monthly report (月报, DOMAIN §5) and the validation rules it is checked by.

A report is one unit's month, in revisions: revision 0 is the original; an approved revision is
locked for good, and a change after approval is a new revision (an amendment) that points to the
one it amends and says why. So the approved original is always there beside its corrections.

The report holds two kinds of figures:

- the **ledger figures** (`figures`), computed by `mantianxing.monitoring.figures.month_figures`
  and stored as a snapshot: refreshed on every save while the report is editable, frozen at
  submission, so that what the city approved is what it saw, whatever the ledgers say later;
- the **reported fields**, which only the district knows (signed investment projects, scenarios,
  events), filled in by the district officer.

Whether the reported fields agree with each other (亿元以上项目数 ≤ 签约项目数, …) is a validation
rule, not a database constraint: a draft may hold half-entered values; submission is what the rules
block.

State changes go through `mantianxing.reporting.services`; the model guards the one invariant that
must hold whoever writes: an approved row is never saved again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import TrackedModel
from mantianxing.core.scoping import ScopedQuerySet, ScopeKind
from mantianxing.monitoring.choices import Indicator
from mantianxing.reporting.choices import ReportStatus, RuleKind, Severity

# The fields the district fills in, in the order the form shows them.
REPORTED_FIELDS = (
    "investment_projects",
    "investment_projects_major",
    "investment_amount",
    "scenarios_released",
    "events_held",
)
# Statuses in which the district may still change the report.
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class MonthlyReportQuerySet(ScopedQuerySet):
    def current(self) -> MonthlyReportQuerySet:
        """Only the latest revision of each unit's month (the one that counts now)."""
        newer = MonthlyReport.objects.filter(
            unit=models.OuterRef("unit"),
            month=models.OuterRef("month"),
            revision__gt=models.OuterRef("revision"),
        )
        return self.exclude(models.Exists(newer))


class MonthlyReport(TrackedModel):
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="monthly_reports"
    )
    month = models.DateField(_("报告月份"), help_text=_("该月第一天。"))
    revision = models.PositiveSmallIntegerField(_("版本"), default=0, help_text=_("0 为原报，1 起为更正。"))
    amends = models.ForeignKey(
        "self",
        verbose_name=_("更正的版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    amendment_reason = models.TextField(_("更正原因"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    deadline = models.DateField(_("报送截止日期"))

    investment_projects = models.PositiveIntegerField(_("签约招商项目数"), null=True, blank=True)
    investment_projects_major = models.PositiveIntegerField(_("其中亿元以上项目数"), null=True, blank=True)
    investment_amount = models.DecimalField(
        _("签约金额（亿元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    scenarios_released = models.PositiveIntegerField(_("发布应用场景数"), null=True, blank=True)
    events_held = models.PositiveIntegerField(_("举办活动场次"), null=True, blank=True)
    remarks = models.TextField(_("备注"), blank=True)

    figures = models.JSONField(
        _("台账数据快照"), default=dict, blank=True, help_text=_("报送时冻结的台账指标（本月值与窗口累计）。")
    )
    warning_comments = models.JSONField(
        _("提示说明"), default=dict, blank=True, help_text=_("校验规则代码 → 区县对提示的说明。")
    )

    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(
        _("首次报送时间"), null=True, blank=True, help_text=_("退回后再报送不改变它；及时率按它计算。")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("退回意见"), blank=True)

    objects: ClassVar[Any] = MonthlyReportQuerySet.as_manager()

    scope_lookups = {ScopeKind.UNIT: "unit"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER})

    class Meta:
        verbose_name = _("月报")
        verbose_name_plural = _("月报")
        ordering = ["-month", "unit__code", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "revision"],
                name="reporting_report_unique_revision",
                violation_error_message=_("该区县该月份的这一版本月报已存在。"),
            ),
            # At most one revision of a month is open at a time: an amendment starts only from
            # the approved latest revision.
            models.UniqueConstraint(
                fields=["unit", "month"],
                condition=~Q(status=ReportStatus.APPROVED),
                name="reporting_report_one_open_revision",
                violation_error_message=_("该区县该月份已有一份未审核的月报。"),
            ),
            models.CheckConstraint(
                condition=Q(revision=0, amends__isnull=True) | Q(revision__gt=0, amends__isnull=False),
                name="reporting_report_amendment_points_back",
                violation_error_message=_("更正版本必须指明所更正的版本，原报不能指向其他版本。"),
            ),
        ]
        indexes = [models.Index(fields=["month", "unit"])]

    def __str__(self) -> str:
        label = f"{self.unit.name} {self.month.year}年{self.month.month}月月报"
        return f"{label}（更正{self.revision}）" if self.revision else label

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def plan_code(self) -> str | None:
        return self.figures.get("plan") if isinstance(self.figures, dict) else None

    @property
    def figure_rows(self) -> list[dict[str, Any]]:
        return list(self.figures.get("figures", [])) if isinstance(self.figures, dict) else []

    def submitted_late(self) -> bool:
        """Was the first submission after the deadline day (in the project's time zone)?"""
        if self.first_submitted_at is None:
            return False
        return timezone.localdate(self.first_submitted_at) > self.deadline

    def clean(self) -> None:
        # Months are stored as their first day, like every monthly ledger.
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("报告月份应为该月第一天。")})
        # An amendment needs its reason: it is what makes a change after approval defensible.
        if self.revision and not self.amendment_reason.strip():
            raise ValidationError({"amendment_reason": _("更正必须说明原因。")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Whoever writes (a service, the admin, a shell), an approved row stays as it was approved.
        if self.pk is not None:
            stored = MonthlyReport.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == ReportStatus.APPROVED:
                raise ValidationError(_("该月报已审核锁定，不能修改；如需更改，请申请更正。"))
        super().save(*args, **kwargs)


def field_label(name: str) -> str:
    return str(getattr(MonthlyReport._meta.get_field(name), "verbose_name", name))


# What a rule's `field` may name: a reported field, or a ledger indicator (its month value).
def rule_field_choices() -> list[tuple[str, str]]:
    reported = [(name, field_label(name)) for name in REPORTED_FIELDS]
    ledger = [(code, f"台账：{label}（本月值）") for code, label in Indicator.choices]
    return reported + ledger


class ValidationRule(TrackedModel):
    """One check of a report, kept as data so that the city office can tune it in the admin.

    `params` by kind:
    - parts_le_total: {"total": "<field>"} — the field may not exceed the total;
    - bounds: {"min": 0, "max": 500} — either end may be left out;
    - requires: {"other": "<field>"} — when the field is above zero, the other must be too;
    - outlier: {"months": 12, "k": 4, "min_history": 3, "floor": 1, "floor_ratio": 0.1} — see
      `mantianxing.reporting.rules.outlier`.

    `message` is a Chinese template; it may use {name}, {value}, {total}, {other}, {min}, {max},
    {median} and {months}.
    """

    code = models.SlugField(_("规则代码"), max_length=50, unique=True)
    name = models.CharField(_("规则名称"), max_length=100)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=RuleKind.choices)
    field = models.CharField(_("校验字段"), max_length=50, help_text=_("填报字段名或台账指标代码。"))
    params = models.JSONField(_("参数"), default=dict, blank=True)
    message = models.CharField(_("提示信息"), max_length=300)
    active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("校验规则")
        verbose_name_plural = _("校验规则")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_severity_display()}）"

    def clean(self) -> None:
        known = {name for name, _label in rule_field_choices()}
        if self.field not in known:
            raise ValidationError(
                {"field": _("“%(field)s”不是填报字段或台账指标代码。") % {"field": self.field}}
            )
        params = self.params if isinstance(self.params, dict) else {}
        if not isinstance(self.params, dict):
            raise ValidationError({"params": _("参数应为 JSON 对象。")})
        # One block per kind: the parameters each kind cannot work without.
        if self.kind == RuleKind.PARTS_LE_TOTAL and params.get("total") not in known:
            raise ValidationError({"params": _("“分项不大于合计”须以 total 指明合计字段。")})
        if self.kind == RuleKind.REQUIRES and params.get("other") not in known:
            raise ValidationError({"params": _("“填报即须有前提”须以 other 指明前提字段。")})
        if self.kind == RuleKind.BOUNDS:
            ends = [params.get("min"), params.get("max")]
            if all(end is None for end in ends) or not all(
                end is None or isinstance(end, (int, float)) for end in ends
            ):
                raise ValidationError({"params": _("“取值范围”须给出数值 min 或 max。")})
        if self.kind == RuleKind.OUTLIER:
            numbers = ("months", "k", "min_history", "floor", "floor_ratio")
            if not all(isinstance(params.get(key, 1), (int, float)) for key in numbers):
                raise ValidationError({"params": _("“异常波动”的 months、k 等参数须为数值。")})
            if params.get("months", 12) < params.get("min_history", 3):
                raise ValidationError({"params": _("历史月数 months 不能少于最少历史月数 min_history。")})
