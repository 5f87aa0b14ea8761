"""Monthly business statistics (经营数据) per enterprise, year-to-date, in 万元 (DOMAIN §4).

Three totals, and how they relate (checked by `totals_errors`, for every door):

- **营业收入** (operating revenue) = 主营业务收入 + 其他业务收入 (the accounting definition), so
  主营业务收入 ≤ 营业收入 holds by definition and is enforced.
- **软件业务收入** (the ministry's software business revenue) is part of what the firm earns, so
  软件业务收入 ≤ 营业收入 holds by definition and is enforced.
- 软件业务收入 ≤ 主营业务收入 does **not** hold by definition: a firm whose main business is not
  software (a manufacturer with an IT-service line) books software revenue as 其他业务收入. It is
  not enforced; 规上 (software ≥ 30% of main business revenue) is judged on the two as filed.

Each relation is checked only when both figures are given: 营业收入 and 主营业务收入 are optional
(files made before they existed still import).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import LedgerRecord
from mantianxing.core.scoping import ScopeKind
from mantianxing.core.validation import validate_month_not_in_future


def money(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True)


# The parts of 软件业务收入; their sum may not exceed it.
REVENUE_PARTS = ("product_revenue", "it_service_revenue", "security_revenue", "embedded_revenue")


class MonthlyStatistics(LedgerRecord):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="statistics"
    )
    month = models.DateField(_("统计月份"), validators=[validate_month_not_in_future])
    software_revenue = money(_("软件业务收入（万元）"))
    product_revenue = money(_("软件产品收入（万元）"))
    it_service_revenue = money(_("信息技术服务收入（万元）"))
    security_revenue = money(_("信息安全收入（万元）"))
    embedded_revenue = money(_("嵌入式系统软件收入（万元）"))
    rd_expense = money(_("研发费用（万元）"))
    headcount = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    operating_revenue = money(_("营业收入（万元）"))
    main_business_revenue = money(_("主营业务收入（万元）"))

    scope_lookups = {ScopeKind.UNIT: "enterprise__unit", ScopeKind.ENTERPRISE: "enterprise"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER})

    class Meta:
        verbose_name = _("经营数据")
        verbose_name_plural = _("经营数据")
        ordering = ["enterprise_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="stats_monthly_unique_month"),
            # The database holds the rules of `totals_errors` too, for writes that skip `clean()`;
            # the rules bind only the figures that are given.
            models.CheckConstraint(
                condition=(Q(operating_revenue__isnull=True) | Q(operating_revenue__gte=0))
                & (Q(main_business_revenue__isnull=True) | Q(main_business_revenue__gte=0)),
                name="stats_monthly_totals_not_negative",
                violation_error_message=_("营业收入和主营业务收入不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(operating_revenue__isnull=True)
                | Q(main_business_revenue__isnull=True)
                | Q(main_business_revenue__lte=F("operating_revenue")),
                name="stats_monthly_main_within_operating",
                violation_error_message=_("主营业务收入不能超过营业收入。"),
            ),
            models.CheckConstraint(
                condition=Q(operating_revenue__isnull=True)
                | Q(software_revenue__isnull=True)
                | Q(software_revenue__lte=F("operating_revenue")),
                name="stats_monthly_software_within_operating",
                violation_error_message=_("软件业务收入不能超过营业收入。"),
            ),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("stats:statistics_detail", args=[self.pk])

    def clean(self) -> None:
        errors = totals_errors(self.operating_revenue, self.main_business_revenue, self.software_revenue)
        if error := parts_error(self.software_revenue, [getattr(self, name) for name in REVENUE_PARTS]):
            errors.setdefault("software_revenue", error)
        if errors:
            raise ValidationError(errors)


def parts_error(total: Decimal | None, parts: list[Decimal | None]) -> str | None:
    """Why the revenue parts do not fit in the total, in Chinese; None when they do."""
    given = [part for part in parts if part is not None]
    if any(part < 0 for part in given) or (total is not None and total < 0):
        return str(_("收入不能为负数。"))
    if given and total is None:
        return str(_("填写了分项收入时，软件业务收入不能为空。"))
    if total is not None and sum(given, Decimal(0)) > total:
        return str(
            _("分项收入之和 %(parts)s 万元超过软件业务收入 %(total)s 万元。")
            % {"parts": sum(given, Decimal(0)), "total": total}
        )
    return None


def fen(amount: Decimal) -> str:
    """An amount in 万元 to the fen, the same whichever database it was read from."""
    return f"{amount:.2f}"


def totals_errors(
    operating: Decimal | None, main_business: Decimal | None, software: Decimal | None
) -> dict[str, str]:
    """Why 营业收入, 主营业务收入 and 软件业务收入 do not fit together, in Chinese, by field."""
    errors: dict[str, str] = {}
    for name, value, label in (
        ("operating_revenue", operating, _("营业收入")),
        ("main_business_revenue", main_business, _("主营业务收入")),
    ):
        if value is not None and value < 0:
            errors[name] = str(_("%(label)s不能为负数。") % {"label": label})
    if errors or operating is None:
        return errors
    # 营业收入 = 主营业务收入 + 其他业务收入, and software business revenue is part of it.
    if main_business is not None and main_business > operating:
        errors["main_business_revenue"] = str(
            _("主营业务收入 %(main)s 万元超过营业收入 %(operating)s 万元。")
            % {"main": fen(main_business), "operating": fen(operating)}
        )
    if software is not None and software >= 0 and software > operating:
        errors["software_revenue"] = str(
            _("软件业务收入 %(software)s 万元超过营业收入 %(operating)s 万元。")
            % {"software": fen(software), "operating": fen(operating)}
        )
    return errors
