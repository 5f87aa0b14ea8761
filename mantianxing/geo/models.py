"""Chongqing's county-level units as they were and are: validity dates, successors, groups.

Intervals are half-open: a unit exists from `valid_from` (inclusive) until `abolished_on`
(exclusive, null while it exists). The same convention holds for place holdings and groups.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mantianxing.geo.choices import DatePrecision, UnitGroup, UnitKind

CITY_CODE = "500000"


def valid_on_q(on: date, start: str = "valid_from", end: str = "abolished_on") -> Q:
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": on}))


class ReferenceDataset(models.Model):
    """A loaded reference file: where it came from and as of when, shown beside the data."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    source = models.TextField(_("来源"))
    as_of = models.DateField(_("数据截至"))
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        verbose_name = _("参考数据集")
        verbose_name_plural = _("参考数据集")

    def __str__(self) -> str:
        return f"{self.name}（截至 {self.as_of}）"


class UnitQuerySet(models.QuerySet["Unit"]):
    def valid_on(self, on: date) -> UnitQuerySet:
        return self.filter(valid_on_q(on))

    def reporting(self) -> UnitQuerySet:
        """Units that report and hold records: every unit but the city itself."""
        return self.exclude(kind=UnitKind.CITY)

    def in_group(self, group: str, on: date) -> UnitQuerySet:
        return self.filter(
            pk__in=UnitMembership.objects.filter(valid_on_q(on, "valid_from", "until"), group=group).values(
                "unit_id"
            )
        ).valid_on(on)


class Unit(models.Model):
    """A county-level unit (district, county, functional zone) or the city, over its lifetime."""

    code = models.CharField(
        _("区划代码"),
        max_length=6,
        help_text=_("GB/T 2260 代码；功能区用本平台自定的 5001XX 代码（不会与国标代码冲突）。"),
    )
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    valid_from = models.DateField(_("设立日期"))
    abolished_on = models.DateField(_("撤销日期"), null=True, blank=True, help_text=_("当日起不再存在。"))
    date_precision = models.CharField(
        _("日期精度"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.TextField(_("说明"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("区县")
        verbose_name_plural = _("区县")
        ordering = ["code", "valid_from"]
        constraints = [
            # A code can be reused (500110 was 万盛区, then 綦江区), but never by two units at once.
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="geo_unit_code_valid_from_unique",
                violation_error_message=_("同一代码在同一日期只能设立一个区县。"),
            ),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gt=models.F("valid_from")),
                name="geo_unit_abolished_after_valid_from",
                violation_error_message=_("撤销日期必须晚于设立日期。"),
            ),
        ]

    def __str__(self) -> str:
        if self.abolished_on:
            return f"{self.name}（{self.code}，已撤销）"
        return self.name

    @property
    def is_city(self) -> bool:
        return self.kind == UnitKind.CITY

    def is_valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.abolished_on is None or on < self.abolished_on)

    def in_group(self, group: str, on: date) -> bool:
        # In Python over `memberships.all()`, so that a prefetched list answers without a query.
        return any(
            m.group == group and m.valid_from <= on and (m.until is None or on < m.until)
            for m in self.memberships.all()
        )


class Succession(models.Model):
    """All or part of an abolished unit went to a successor on a date."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("原区县"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("承继区县"), on_delete=models.PROTECT, related_name="precessions"
    )
    effective = models.DateField(_("生效日期"))
    primary = models.BooleanField(
        _("主承继"), default=False, help_text=_("跨期比较时，原区县的历史数据默认归入主承继区县。")
    )
    part = models.CharField(_("承继范围"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("区划承继")
        verbose_name_plural = _("区划承继")
        ordering = ["effective", "predecessor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="geo_succession_unique",
                violation_error_message=_("同一承继关系只能记录一次。"),
            ),
            models.UniqueConstraint(
                fields=["predecessor"],
                condition=Q(primary=True),
                name="geo_succession_one_primary",
                violation_error_message=_("一个原区县只能有一个主承继区县。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name}（{self.effective}）"


class Place(models.Model):
    """A township-level place (street, town) whose holding unit changed; listed only where it matters."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("乡镇街道")
        verbose_name_plural = _("乡镇街道")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaceHolding(models.Model):
    place = models.ForeignKey(
        Place, verbose_name=_("乡镇街道"), on_delete=models.CASCADE, related_name="holdings"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("当日起不再属于该区县。"))

    class Meta:
        verbose_name = _("乡镇街道归属")
        verbose_name_plural = _("乡镇街道归属")
        ordering = ["place", "valid_from"]

    def __str__(self) -> str:
        return f"{self.place} ∈ {self.unit.name} [{self.valid_from}, {self.until or '…'})"


class UnitMembership(models.Model):
    """A unit belongs to a group (the central urban area, the 2022 plan's ranked units) for a time."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("区县"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.CharField(_("分组"), max_length=20, choices=UnitGroup.choices)
    valid_from = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("区县分组")
        verbose_name_plural = _("区县分组")
        ordering = ["group", "unit__code"]

    def __str__(self) -> str:
        return f"{self.unit.name} ∈ {self.get_group_display()}"
