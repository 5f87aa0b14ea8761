"""Every ledger exported in the template it imports from, within the user's scope.

Computed columns (current occupancy, origin per plan, 上星, 规上) follow the template's and are ignored
when the file is imported again. ID numbers leave only masked; salaries only for those who may
see them (`people.privacy`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mantianxing.audit.services import record_roster_export
from mantianxing.carriers.models import Building, Occupancy
from mantianxing.carriers.occupancy import with_current_occupancy
from mantianxing.enterprises.choices import Origin
from mantianxing.enterprises.guishang import guishang_ids
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin
from mantianxing.enterprises.shangxing import last_full_year, shangxing_ids
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.ledgers.statistics import FIELDS as STATISTICS_FIELDS
from mantianxing.imports.models import Ledger
from mantianxing.imports.pipeline import ImportRefused, ledger_import
from mantianxing.imports.workbook import write_workbook
from mantianxing.people.choices import RoleCategory
from mantianxing.people.models import EmploymentSpell, RosterFiling
from mantianxing.people.privacy import may_see_salary
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics


@dataclass
class Export:
    ledger: str
    columns: tuple[str, ...]
    computed: tuple[str, ...]
    rows: Iterator[tuple[Any, ...]]


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def month_label(value: date) -> str:
    return f"{value:%Y-%m}"


def _in_unit(queryset: Any, unit_lookup: str, unit: str | None) -> Any:
    return queryset.filter(**{f"{unit_lookup}__code": unit}) if unit else queryset


def export_buildings(user: Any, unit: str | None, **_options: Any) -> Export:
    today = timezone.localdate()
    buildings = _in_unit(Building.objects.visible_to(user), "unit", unit).select_related("unit")
    buildings = with_current_occupancy(buildings, today).order_by("unit__code", "code")
    rows = (
        (
            b.code,
            b.name,
            b.unit.name,
            b.address,
            b.operator_uscc,
            b.operator_name,
            b.total_area,
            b.acquired_area,
            b.carrier_area,
            b.get_status_display(),
            yes_no(b.move_in_ready),
            b.listed_on,
            b.acquired_on,
            b.refitting_on,
            b.in_use_on,
            b.occupied_area,
            b.tenant_count,
        )
        for b in buildings.iterator(chunk_size=2000)
    )
    return Export(
        Ledger.BUILDINGS, LEDGERS["buildings"].columns, ("当前入驻面积（㎡）", "当前入驻企业数"), rows
    )


def export_enterprises(user: Any, unit: str | None, **_options: Any) -> Export:
    plans = list(Plan.objects.all())
    year = last_full_year(timezone.localdate())
    enterprises = _in_unit(Enterprise.objects.visible_to(user), "unit", unit)
    enterprises = (
        enterprises.select_related("unit", "industry").prefetch_related("focus_domains").order_by("uscc")
    )
    ids = list(enterprises.values_list("pk", flat=True))
    origins: dict[tuple[int, int], str] = {}
    for enterprise_id, plan_id, origin in (
        EnterpriseOrigin.objects.filter(enterprise_id__in=ids)
        .values_list("enterprise_id", "plan_id", "origin")
        .iterator(chunk_size=5000)
    ):
        origins[enterprise_id, plan_id] = str(Origin(origin).label)
    stars = shangxing_ids(year, ids)
    guishang = guishang_ids(year, ids)

    def rows() -> Iterator[tuple[Any, ...]]:
        for e in enterprises.iterator(chunk_size=2000):
            yield (
                e.uscc,
                e.name,
                day(e.established_on),
                e.unit.name,
                e.registered_address,
                e.industry.code if e.industry else "",
                "、".join(domain.name for domain in e.focus_domains.all()),
                e.get_claimed_origin_display() if e.claimed_origin else "",
                *(origins.get((e.pk, plan.pk), "") for plan in plans),
                yes_no(e.pk in stars),
                yes_no(e.pk in guishang),
            )

    computed = (*(f"企业来源（{plan.code}计划）" for plan in plans), f"上星（{year}年）", f"规上（{year}年）")
    return Export(Ledger.ENTERPRISES, LEDGERS["enterprises"].columns, computed, rows())


def export_occupancy(user: Any, unit: str | None, **_options: Any) -> Export:
    occupancies = _in_unit(Occupancy.objects.visible_to(user), "building__unit", unit)
    occupancies = occupancies.select_related("building", "enterprise").order_by(
        "building__code", "moved_in_on", "pk"
    )
    rows = (
        (
            o.building.code,
            o.enterprise.uscc,
            o.area,
            day(o.moved_in_on),
            day(o.moved_out_on),
            o.building.name,
            o.enterprise.name,
        )
        for o in occupancies.iterator(chunk_size=2000)
    )
    return Export(Ledger.OCCUPANCY, LEDGERS["occupancy"].columns, ("楼宇名称", "企业名称"), rows)


def export_roster(user: Any, unit: str | None, month: date | None = None, **_options: Any) -> Export:
    """One month's roster (default the latest month on file in the user's scope)."""
    filings = _in_unit(RosterFiling.objects.visible_to(user), "enterprise__unit", unit)
    month = month or filings.aggregate(latest=Max("month"))["latest"]
    spells = _in_unit(EmploymentSpell.objects.visible_to(user), "enterprise__unit", unit)
    spells = spells.filter(first_month__lte=month, last_month__gte=month) if month else spells.none()
    spells = spells.select_related("person", "enterprise").order_by("enterprise__uscc", "person_id")
    labels = dict(RoleCategory.choices)
    salaries: dict[int, bool] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        for s in spells.iterator(chunk_size=5000):
            if s.enterprise_id not in salaries:
                salaries[s.enterprise_id] = may_see_salary(user, s.enterprise_id)
            yield (
                month_label(month),  # type: ignore[arg-type]
                s.enterprise.uscc,
                s.person.name,
                s.person.id_masked,
                str(labels[s.role_category]),
                day(s.hired_on),
                s.annual_salary if salaries[s.enterprise_id] else None,
            )

    return Export(Ledger.ROSTER, LEDGERS["roster"].columns, (), rows())


def export_statistics(user: Any, unit: str | None, **_options: Any) -> Export:
    statistics = _in_unit(MonthlyStatistics.objects.visible_to(user), "enterprise__unit", unit)
    statistics = statistics.select_related("enterprise").order_by("month", "enterprise__uscc")
    rows = (
        (month_label(s.month), s.enterprise.uscc, *(getattr(s, name) for name in STATISTICS_FIELDS))
        for s in statistics.iterator(chunk_size=5000)
    )
    return Export(Ledger.STATISTICS, LEDGERS["statistics"].columns, (), rows)


EXPORTS = {
    "buildings": export_buildings,
    "enterprises": export_enterprises,
    "occupancy": export_occupancy,
    "roster": export_roster,
    "statistics": export_statistics,
}


def export_ledger(
    ledger: str,
    target: str | IO[bytes],
    *,
    user: Any = None,
    unit: str | None = None,
    month: date | None = None,
) -> int:
    """Write the ledger's rows visible to `user` (None: the command line, the whole city) to `target`."""
    if ledger not in EXPORTS:
        raise ImportRefused(
            _("未知的台账“%(ledger)s”，可选：%(choices)s。")
            % {"ledger": ledger, "choices": "、".join(EXPORTS)}
        )
    export = EXPORTS[ledger](user if user is not None else _CITY, unit, month=month)
    spec = LEDGERS[ledger]
    count = write_workbook(
        target,
        str(spec.ledger.label),
        export.columns,
        export.rows,
        computed=export.computed,
        notes=spec.notes,
    )
    if ledger == "roster":  # personal data leaving the platform: the access log says who took it
        record_roster_export(
            user,
            unit=unit,
            month=month,
            rows=count,
            includes_salary=count > 0 and may_see_salary(user, getattr(user, "enterprise_id", None)),
        )
    return count


def write_template(ledger: str, target: str | IO[bytes]) -> None:
    spec = type(ledger_import(ledger, None))
    write_workbook(target, str(spec.ledger.label), spec.columns, [], notes=spec.notes)


class _CityReader:
    """Stands for the command line's own reading: the whole city, read-only."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None


_CITY = _CityReader()
