"""Targets per plan and unit, and the indicator values computed from the ledgers."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import TrackedModel
from mantianxing.core.scoping import ScopedQuerySet, ScopeKind
from mantianxing.monitoring.choices import Indicator


class Target(TrackedModel):
    """A plan's target for one indicator: the city's (unit 500000) or a district's share of it.

    An increase indicator's target is the increase over the window; a level indicator's, the level
    to reach by the window's end. District targets need not add up to the city's (DOMAIN §3).
    """

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("行动计划"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.CharField(_("指标"), max_length=40, choices=Indicator.choices)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="targets"
    )
    value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    # Everyone reads their own unit's targets and the city's; only the city office sets them.
    scope_lookups = {ScopeKind.UNIT: "unit"}
    scope_writers = frozenset({Role.CITY_OFFICE})

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "indicator", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "unit"],
                name="monitoring_target_unique",
                violation_error_message=_("同一计划、指标和区县只能有一个目标。"),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0),
                name="monitoring_target_not_negative",
                violation_error_message=_("目标值不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.get_indicator_display()} {self.unit.name}：{Decimal(self.value).normalize():f}"


class IndicatorValue(models.Model):
    """One indicator's value for a plan, a unit (500000 for the city) and a month: derived data.

    Derived data (`mantianxing.monitoring.compute`): rebuilt as a whole whenever a ledger it reads changed;
    never edited. For an increase indicator the value is the increase since the window's start
    up to the month's end; for a level indicator, the level at the month's end.
    """

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("行动计划"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField(_("指标"), max_length=40, choices=Indicator.choices)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("区县"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "unit", "month"], name="monitoring_value_unique"
            )
        ]
        indexes = [models.Index(fields=["plan", "month"])]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.indicator} {self.unit_id} {self.month:%Y-%m}：{self.value}"
