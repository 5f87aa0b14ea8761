"""The action plans whose windows every count is taken over (DOMAIN §3)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanQuerySet(models.QuerySet["Plan"]):
    def covering(self, on: date) -> PlanQuerySet:
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class Plan(models.Model):
    """One plan and its window, both ends inclusive; reference data loaded by a migration."""

    code = models.CharField(_("代码"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    document = models.CharField(_("文号"), max_length=100, blank=True)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("行动计划")
        verbose_name_plural = _("行动计划")
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.name}（{self.starts_on:%Y.%m.%d}—{self.ends_on:%Y.%m.%d}）"

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on
