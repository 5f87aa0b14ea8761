from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.carriers.choices import BuildingStatus
from mantianxing.core.fields import USCCField
from mantianxing.core.models import TrackedModel
from mantianxing.core.scoping import ScopeKind


class Building(TrackedModel):
    """A building (楼宇/载体) in the carrier ledger, kept by its district and its operator."""

    code = models.CharField(_("楼宇编码"), max_length=40, unique=True, help_text=_("由区县编定，全市唯一。"))
    name = models.CharField(_("楼宇名称"), max_length=200)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="buildings"
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    operator_uscc = USCCField(_("运营机构统一社会信用代码"), blank=True)
    operator_name = models.CharField(_("运营机构名称"), max_length=200, blank=True)
    total_area = models.DecimalField(
        _("总建筑面积（㎡）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    acquired_area = models.DecimalField(
        _("收储面积（㎡）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    carrier_area = models.DecimalField(
        _("载体面积（㎡）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=BuildingStatus.choices, default=BuildingStatus.LISTED
    )
    move_in_ready = models.BooleanField(_("拎包入住"), default=False)

    scope_lookups = {ScopeKind.UNIT: "unit", ScopeKind.BUILDING: "pk"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.BUILDING_OPERATOR})

    class Meta:
        verbose_name = _("楼宇")
        verbose_name_plural = _("楼宇")
        ordering = ["unit__code", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(carrier_area__isnull=True)
                | Q(total_area__isnull=True)
                | Q(carrier_area__lte=F("total_area")),
                name="carriers_building_carrier_within_total",
                violation_error_message=_("载体面积不能大于总建筑面积。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self) -> str:
        return reverse("carriers:building_detail", args=[self.pk])
