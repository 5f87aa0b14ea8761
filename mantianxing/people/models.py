"""People on the monthly rosters, kept as employment spells rather than repeated monthly rows.

A person is known by a keyed hash of their ID number (see `mantianxing.people.identity`); the
number itself is never stored. Pages show the masked form (the last four characters).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import LedgerRecord
from mantianxing.core.scoping import ScopedQuerySet, ScopeKind
from mantianxing.core.validation import (
    validate_month_not_in_future,
    validate_non_negative,
    validate_not_in_future,
)
from mantianxing.people.choices import RoleCategory


class Person(models.Model):
    id_hash = models.CharField(_("身份证号密钥摘要"), max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=50)

    # Everyone with a spell in the user's unit or enterprise; several spells lead to one person.
    scope_lookups = {ScopeKind.UNIT: "spells__enterprise__unit", ScopeKind.ENTERPRISE: "spells__enterprise"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.pk])


class EmploymentSpell(LedgerRecord):
    """One person employed by one enterprise without a break, from a first to a last roster month.

    Months are stored as their first day. A spell is open-ended in nothing: its last month is the
    last roster that listed the person; a later roster without them ends it there.
    """

    # The composite indexes below start with these keys; separate ones would only slow the monthly
    # update of every running spell.
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="spells", db_index=False
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="spells",
        db_index=False,
    )
    # Roster months are reported, never announced: the current month at the latest.
    first_month = models.DateField(_("起始月份"), validators=[validate_month_not_in_future])
    last_month = models.DateField(_("截止月份"), validators=[validate_month_not_in_future])
    role_category = models.CharField(_("岗位类别"), max_length=20, choices=RoleCategory.choices)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True, validators=[validate_not_in_future])
    annual_salary = models.DecimalField(
        _("年薪（万元）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_non_negative],
    )

    scope_lookups = {ScopeKind.UNIT: "enterprise__unit", ScopeKind.ENTERPRISE: "enterprise"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER})

    class Meta:
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        ordering = ["person_id", "first_month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_month__gte=models.F("first_month")),
                name="people_spell_months_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "last_month"]),
            models.Index(fields=["person", "first_month"]),
            models.Index(fields=["first_month"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.enterprise}：{self.first_month:%Y-%m}—{self.last_month:%Y-%m}"


class RosterFiling(LedgerRecord):
    """An enterprise's complete roster for one month: the month is on file, with its headcount."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="roster_filings",
    )
    month = models.DateField(_("统计月份"), validators=[validate_month_not_in_future])
    headcount = models.PositiveIntegerField(_("在册人数"))

    scope_lookups = {ScopeKind.UNIT: "enterprise__unit", ScopeKind.ENTERPRISE: "enterprise"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER})

    class Meta:
        verbose_name = _("花名册报送")
        verbose_name_plural = _("花名册报送")
        ordering = ["enterprise_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="people_filing_unique_month")
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}：{self.headcount} 人"
