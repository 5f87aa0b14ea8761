"""Monthly business statistics (经营数据) per enterprise, year-to-date, in 万元 (DOMAIN §4)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import LedgerRecord
from mantianxing.core.scoping import ScopeKind


def money(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True)


# The parts of 软件业务收入; their sum may not exceed it.
REVENUE_PARTS = ("product_revenue", "it_service_revenue", "security_revenue", "embedded_revenue")


class MonthlyStatistics(LedgerRecord):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="statistics"
    )
    month = models.DateField(_("统计月份"))
    software_revenue = money(_("软件业务收入（万元）"))
    product_revenue = money(_("软件产品收入（万元）"))
    it_service_revenue = money(_("信息技术服务收入（万元）"))
    security_revenue = money(_("信息安全收入（万元）"))
    embedded_revenue = money(_("嵌入式系统软件收入（万元）"))
    rd_expense = money(_("研发费用（万元）"))
    headcount = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)

    scope_lookups = {ScopeKind.UNIT: "enterprise__unit", ScopeKind.ENTERPRISE: "enterprise"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER})

    class Meta:
        verbose_name = _("经营数据")
        verbose_name_plural = _("经营数据")
        ordering = ["enterprise_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="stats_monthly_unique_month")
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("stats:statistics_detail", args=[self.pk])

    def clean(self) -> None:
        if error := parts_error(self.software_revenue, [getattr(self, name) for name in REVENUE_PARTS]):
            raise ValidationError({"software_revenue": error})


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
