from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.fields import USCCField
from mantianxing.core.models import TrackedModel
from mantianxing.core.scoping import ScopeKind


class Enterprise(TrackedModel):
    """A software and information services enterprise, identified by its USCC."""

    uscc = USCCField(_("统一社会信用代码"), unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="enterprises"
    )
    registered_address = models.CharField(_("注册地址"), max_length=300, blank=True)

    scope_lookups = {ScopeKind.UNIT: "unit", ScopeKind.ENTERPRISE: "pk"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER})

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])
