from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.fields import USCCField
from mantianxing.core.models import LedgerRecord, TrackedModel
from mantianxing.core.scoping import ScopedQuerySet, ScopeKind
from mantianxing.core.validation import validate_not_in_future
from mantianxing.enterprises.choices import HonourKind, Origin


class IndustryClass(models.Model):
    """A class of GB/T 4754 (reference data); the edition is part of the key, as codes change meaning."""

    edition = models.CharField(_("版本"), max_length=4)
    code = models.CharField(_("代码"), max_length=4)
    name = models.CharField(_("名称"), max_length=100)
    division = models.CharField(_("大类"), max_length=2)
    division_name = models.CharField(_("大类名称"), max_length=100)

    class Meta:
        verbose_name = _("行业分类")
        verbose_name_plural = _("行业分类")
        ordering = ["edition", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="enterprises_industry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FocusDomain(models.Model):
    """A focus domain of the plans (软件开发 of 2022, 智能体 of 2025, …); reference data.

    Each domain names the plan(s) whose text lists it: a firm filed under the 2022 plan keeps its
    domain when the 2025 plan speaks of other ones. What districts write for a domain besides its
    name is a synonym (`mantianxing.vocabularies`), edited in the back office.
    """

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    plans = models.ManyToManyField(
        "plans.Plan", verbose_name=_("出自行动计划"), related_name="focus_domains", blank=True
    )

    class Meta:
        verbose_name = _("重点领域")
        verbose_name_plural = _("重点领域")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Enterprise(LedgerRecord):
    """A software and information services enterprise, identified by its USCC."""

    uscc = USCCField(_("统一社会信用代码"), unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    established_on = models.DateField(
        _("成立日期"), null=True, blank=True, validators=[validate_not_in_future]
    )
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="enterprises"
    )
    registered_address = models.CharField(_("注册地址"), max_length=300, blank=True)
    industry = models.ForeignKey(
        IndustryClass, verbose_name=_("行业代码"), on_delete=models.PROTECT, null=True, blank=True
    )
    focus_domains = models.ManyToManyField(FocusDomain, verbose_name=_("重点领域"), blank=True)
    claimed_origin = models.CharField(
        _("申报来源"),
        max_length=20,
        choices=[(o.value, o.label) for o in Origin if o is not Origin.LATER],
        blank=True,
        help_text=_("区县申报的企业来源；系统按规则另行计算，不一致时列入核对清单。"),
    )

    scope_lookups = {
        ScopeKind.UNIT: "unit",
        ScopeKind.ENTERPRISE: "pk",
        ScopeKind.BUILDING: "occupancies__building",
    }
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER})

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])


class Honour(TrackedModel):
    """A title an enterprise holds (专精特新“小巨人”, 独角兽, …), with the date and who awarded it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="honours"
    )
    kind = models.CharField(_("称号"), max_length=20, choices=HonourKind.choices)
    awarded_on = models.DateField(_("认定日期"), validators=[validate_not_in_future])
    source = models.CharField(_("认定机构/文件"), max_length=200)

    scope_lookups = {ScopeKind.UNIT: "enterprise__unit", ScopeKind.ENTERPRISE: "enterprise"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER})

    class Meta:
        verbose_name = _("企业荣誉")
        verbose_name_plural = _("企业荣誉")
        ordering = ["-awarded_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "awarded_on"], name="enterprises_honour_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.awarded_on:%Y-%m-%d}）"


class EnterpriseOrigin(models.Model):
    """The origin the system computes for an enterprise in one plan window, and the unit credited.

    Derived data: recomputed from the enterprise, its USCC and its occupancy history whenever they
    change (see `mantianxing.enterprises.origin`); never edited by hand.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="origins"
    )
    plan = models.ForeignKey("plans.Plan", verbose_name=_("行动计划"), on_delete=models.CASCADE)
    origin = models.CharField(_("企业来源"), max_length=20, choices=Origin.choices)
    arrived_on = models.DateField(_("进入重庆日期"), null=True, blank=True)
    credited_unit = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("计入区县"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("依据"), max_length=300)

    scope_lookups = {ScopeKind.UNIT: "enterprise__unit", ScopeKind.ENTERPRISE: "enterprise"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业来源")
        verbose_name_plural = _("企业来源")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "plan"], name="enterprises_origin_unique")
        ]
        indexes = [models.Index(fields=["plan", "origin"])]

    def __str__(self) -> str:
        return f"{self.enterprise}：{self.get_origin_display()}"
