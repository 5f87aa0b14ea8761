from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.carriers.choices import STATUS_DATE_FIELDS, BuildingStatus
from mantianxing.core.fields import USCCField
from mantianxing.core.models import LedgerRecord
from mantianxing.core.scoping import ScopedQuerySet, ScopeKind
from mantianxing.core.validation import validate_non_negative, validate_not_in_future, validate_positive

AREAS_WITHIN_TOTAL = ("acquired_area", "carrier_area")
# A step's date is when the building reached it: never in the future. 台账 is where every building
# starts, so its date may stay unknown; the later steps must say when they were reached.
DATED_STEPS = (BuildingStatus.ACQUIRED, BuildingStatus.REFITTING, BuildingStatus.IN_USE)


def area_field(label: Any, help_text: Any = "") -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=help_text,
        validators=[validate_non_negative],
    )


def step_date_field(label: Any) -> models.DateField:
    return models.DateField(label, null=True, blank=True, validators=[validate_not_in_future])


def shown_area(area: Decimal | int) -> str:
    """An area as messages quote it, the same whichever door it came through: 1000, 1000.5."""
    return format(Decimal(area).normalize(), "f")


def label_of(name: str) -> str:
    field = Building._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name)


def building_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """The building's rules across fields, by field name; `Building.clean` and the import both ask.

    `values` holds the field values (areas, status, the step dates), from an instance or an
    import row. Each invariant is one block; an empty dict means the values hold together.
    """
    errors: dict[str, str] = {}
    # Parts of the building cannot be larger than the building.
    total = values.get("total_area")
    if total is not None:
        for name in AREAS_WITHIN_TOTAL:
            part = values.get(name)
            if part is not None and part > total:
                errors[name] = str(
                    _("%(part)s不能大于总建筑面积（%(total)s ㎡）。")
                    % {"part": label_of(name).removesuffix("（㎡）"), "total": shown_area(total)}
                )
    # The step the building has reached has its date.
    status = values.get("status")
    if status in DATED_STEPS and values.get(STATUS_DATE_FIELDS[status]) is None:
        field = STATUS_DATE_FIELDS[status]
        errors[field] = str(
            _("状态为“%(status)s”时须填写%(field)s。")
            % {"status": BuildingStatus(status).label, "field": label_of(field)}
        )
    # The steps are taken in order: a later step's date is never before an earlier one's.
    dated: list[tuple[BuildingStatus, date]] = [
        (step, day) for step, field in STATUS_DATE_FIELDS.items() if (day := values.get(field)) is not None
    ]
    for (earlier, day1), (later, day2) in pairwise(dated):
        if day2 < day1:
            errors.setdefault(
                STATUS_DATE_FIELDS[later],
                str(
                    _("“%(later)s”的日期不能早于“%(earlier)s”的日期。")
                    % {"later": BuildingStatus(later).label, "earlier": BuildingStatus(earlier).label}
                ),
            )
    return errors


class Building(LedgerRecord):
    """A building (楼宇/载体) in the carrier ledger, kept by its district and its operator."""

    code = models.CharField(_("楼宇编码"), max_length=40, unique=True, help_text=_("由区县编定，全市唯一。"))
    name = models.CharField(_("楼宇名称"), max_length=200)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="buildings"
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    operator_uscc = USCCField(_("运营机构统一社会信用代码"), blank=True)
    operator_name = models.CharField(_("运营机构名称"), max_length=200, blank=True)
    total_area = area_field(_("总建筑面积（㎡）"))
    acquired_area = area_field(_("收储面积（㎡）"))
    carrier_area = area_field(
        _("载体面积（㎡）"), help_text=_("可供入驻的载体面积；入驻面积之和任何时候不得超过它。")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=BuildingStatus.choices, default=BuildingStatus.LISTED
    )
    listed_on = step_date_field(_("列入台账日期"))
    acquired_on = step_date_field(_("收储日期"))
    refitting_on = step_date_field(_("开始改造日期"))
    in_use_on = step_date_field(_("投用日期"))
    move_in_ready = models.BooleanField(_("拎包入住"), default=False)

    scope_lookups = {
        ScopeKind.UNIT: "unit",
        ScopeKind.BUILDING: "pk",
        ScopeKind.ENTERPRISE: "occupancies__enterprise",
    }
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.BUILDING_OPERATOR})

    class Meta:
        verbose_name = _("楼宇")
        verbose_name_plural = _("楼宇")
        ordering = ["unit__code", "code"]
        # The rules the database can hold; `building_errors` states them (and more) field by field.
        constraints = [
            models.CheckConstraint(
                condition=Q(carrier_area__isnull=True)
                | Q(total_area__isnull=True)
                | Q(carrier_area__lte=F("total_area")),
                name="carriers_building_carrier_within_total",
                violation_error_message=_("载体面积不能大于总建筑面积。"),
            ),
            models.CheckConstraint(
                condition=Q(acquired_area__isnull=True)
                | Q(total_area__isnull=True)
                | Q(acquired_area__lte=F("total_area")),
                name="carriers_building_acquired_within_total",
                violation_error_message=_("收储面积不能大于总建筑面积。"),
            ),
            models.CheckConstraint(
                condition=(Q(total_area__isnull=True) | Q(total_area__gte=0))
                & (Q(acquired_area__isnull=True) | Q(acquired_area__gte=0))
                & (Q(carrier_area__isnull=True) | Q(carrier_area__gte=0)),
                name="carriers_building_areas_non_negative",
                violation_error_message=_("面积不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self) -> str:
        return reverse("carriers:building_detail", args=[self.pk])

    def clean(self) -> None:
        # Areas within the total, the status's date, the steps in order: see `building_errors`.
        names = ["total_area", *AREAS_WITHIN_TOTAL, "status", *STATUS_DATE_FIELDS.values()]
        if errors := building_errors({name: getattr(self, name) for name in names}):
            raise ValidationError(errors)
        # The building must still hold the most its tenants have ever occupied at once.
        if self.pk is not None and self.carrier_area is not None:
            peak = peak_occupied_area(self.occupancies.all())
            if peak > self.carrier_area:
                raise ValidationError(
                    {"carrier_area": _("载体面积不能小于已入驻面积的峰值 %(peak)s ㎡。") % {"peak": peak}}
                )


class OccupancyQuerySet(ScopedQuerySet):
    def on(self, day: date) -> OccupancyQuerySet:
        """Occupancies in force on `day`: moved in on or before it, not yet moved out."""
        return self.filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=day), moved_in_on__lte=day)


class Occupancy(LedgerRecord):
    """An enterprise occupying part of a building from its move-in date until its move-out date.

    The period is half-open: the firm occupies the space from the move-in day up to, not including,
    the move-out day, so a firm moving out on the day another moves in never double-counts.
    """

    building = models.ForeignKey(
        Building, verbose_name=_("楼宇"), on_delete=models.PROTECT, related_name="occupancies"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="occupancies"
    )
    area = models.DecimalField(
        _("入驻面积（㎡）"), max_digits=12, decimal_places=2, validators=[validate_positive]
    )
    # Both dates may lie ahead: a lease signed today for next month, a notice to leave at year end.
    moved_in_on = models.DateField(_("入驻日期"))
    moved_out_on = models.DateField(_("迁出日期"), null=True, blank=True)

    scope_lookups = {
        ScopeKind.UNIT: "building__unit",
        ScopeKind.BUILDING: "building",
        ScopeKind.ENTERPRISE: "enterprise",
    }
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.BUILDING_OPERATOR})

    # A narrower scoped queryset than TrackedModel's, hence the override.
    objects = OccupancyQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("入驻记录")
        verbose_name_plural = _("入驻记录")
        ordering = ["building__code", "moved_in_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "enterprise", "moved_in_on"], name="carriers_occupancy_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(area__gt=0),
                name="carriers_occupancy_area_positive",
                violation_error_message=_("入驻面积应大于 0。"),
            ),
            models.CheckConstraint(
                condition=Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=F("moved_in_on")),
                name="carriers_occupancy_out_after_in",
                violation_error_message=_("迁出日期应晚于入驻日期。"),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "moved_in_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.building.code} {self.moved_in_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("carriers:occupancy_detail", args=[self.pk])

    def clean(self) -> None:
        # A stay ends after it begins (the database holds this too).
        if errors := stay_errors(self.moved_in_on, self.moved_out_on):
            raise ValidationError(errors)
        # No overlap for one enterprise, never more than the carrier area.
        if self.building_id is None or self.enterprise_id is None or self.moved_in_on is None:
            return
        others = Occupancy.objects.filter(building_id=self.building_id).exclude(pk=self.pk)
        if error := occupancy_conflict(self, list(others), self.building.carrier_area):
            raise ValidationError(error)


def stay_errors(moved_in_on: date | None, moved_out_on: date | None) -> dict[str, str]:
    """An occupancy's dates out of order, by field; `Occupancy.clean` and the import both ask."""
    if moved_in_on is not None and moved_out_on is not None and moved_out_on <= moved_in_on:
        return {"moved_out_on": str(_("迁出日期应晚于入驻日期。"))}
    return {}


def overlaps(a: Occupancy, b: Occupancy) -> bool:
    a_end, b_end = a.moved_out_on or date.max, b.moved_out_on or date.max
    return a.moved_in_on < b_end and b.moved_in_on < a_end


def peak_occupied_area(occupancies: models.QuerySet[Occupancy] | list[Occupancy]) -> Decimal:
    """The largest total area occupied at any one time (a sweep over move-in and move-out days)."""
    events: list[tuple[date, Decimal]] = []
    for occ in occupancies:
        events.append((occ.moved_in_on, occ.area))
        if occ.moved_out_on is not None:
            events.append((occ.moved_out_on, -occ.area))
    # On one day, move-outs (negative) come before move-ins, as the periods are half-open.
    events.sort(key=lambda event: (event[0], event[1]))
    peak = current = Decimal(0)
    for _day, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


def occupancy_conflict(occ: Occupancy, others: list[Occupancy], carrier_area: Decimal | None) -> str | None:
    """Why `occ` cannot stand beside the building's other occupancies, in Chinese; None if it can."""
    for other in others:
        if other.enterprise_id == occ.enterprise_id and overlaps(occ, other):
            return str(
                _("该企业在本楼宇已有与之重叠的入驻记录（%(start)s 起）。")
                % {"start": f"{other.moved_in_on:%Y-%m-%d}"}
            )
    if carrier_area is None:
        return str(_("楼宇尚未填写载体面积，不能登记入驻。"))
    peak = peak_occupied_area([*others, occ])
    if peak > carrier_area:
        return str(
            _("入驻后楼宇的入驻面积峰值将达 %(peak)s ㎡，超过载体面积 %(area)s ㎡。")
            % {"peak": peak, "area": carrier_area}
        )
    return None
