"""The rows behind one indicator value: for a plan, a unit (or the city) and a month.

Each function applies the same rule as `series` to the rows of the ledgers, so that the rows listed
add up to the value shown (the page prints both). Rows link to their ledger pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload

from django.db import connection
from django.urls import reverse

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.carriers.occupancy import in_force
from mantianxing.enterprises.choices import NEW_ORIGINS
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, Honour
from mantianxing.enterprises.origin import IN_CHUNK
from mantianxing.enterprises.shangxing import shangxing_ids
from mantianxing.geo.models import Unit
from mantianxing.lib.periods import month_end
from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.series import (
    ACQUIRED_STATUSES,
    HONOUR_INDICATORS,
    EntryRule,
    Ledgers,
    Window,
    first_spells_sql,
    shangxing_year,
    trailing_year,
)
from mantianxing.people.choices import CORE_TALENT, RoleCategory
from mantianxing.people.models import Person
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics

Cell = tuple[object, str | None]  # text, link


class Rendered(Sequence[list[Cell]]):
    """Rows kept raw and turned into cells only when a page of them is read."""

    def __init__(self, raw: list[Any], render: Callable[[list[Any]], list[list[Cell]]]) -> None:
        self.raw, self.render = raw, render

    def __len__(self) -> int:
        return len(self.raw)

    @overload
    def __getitem__(self, index: int) -> list[Cell]: ...
    @overload
    def __getitem__(self, index: slice) -> list[list[Cell]]: ...
    def __getitem__(self, index: int | slice) -> list[Cell] | list[list[Cell]]:
        if isinstance(index, slice):
            return self.render(self.raw[index])
        return self.render([self.raw[index]])[0]


@dataclass
class Drill:
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # Set instead of `rows` when rows are many: rendered a page at a time.
    lazy: Rendered | None = None
    # What the listed rows add up to, in the indicator's terms (shown beside the stored value).
    total: float = 0.0
    explanation: str = ""

    @property
    def listed(self) -> Sequence[list[Cell]]:
        return self.lazy if self.lazy is not None else self.rows


@dataclass(frozen=True)
class Question:
    plan: Plan
    indicator: str
    unit: Unit
    as_of: date
    ledgers: Ledgers

    @property
    def window(self) -> Window:
        return Window.of(self.plan, self.as_of)

    def holds(self, unit_id: int | None) -> bool:
        """Is a row credited to `unit_id` part of the unit asked for (the city holds everything)?"""
        if self.unit.pk == self.ledgers.places.city:
            return True
        return self.ledgers.places.of(unit_id) == self.unit.pk


def drill(plan: Plan, indicator: str, unit: Unit, as_of: date) -> Drill:
    question = Question(plan, indicator, unit, as_of, Ledgers.load())
    return DRILLS[indicator](question)


def _enterprise(pk: int, names: dict[int, str]) -> Cell:
    return names.get(pk, str(pk)), reverse("enterprises:enterprise_detail", args=[pk])


def _names(ids: set[int]) -> dict[int, str]:
    return dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def new_people(question: Question) -> Drill:
    window = question.window
    rule = EntryRule.load(question.ledgers)
    core_only = question.indicator == Indicator.NEW_CORE_TALENT
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(
            first_spells_sql("AND first_month > %s AND first_month <= %s ORDER BY first_month, id"),
            [window.base, min(question.as_of, window.last)],
        )
        for _spell, person_id, enterprise_id, month, role in cursor.fetchall():
            month = date.fromisoformat(month) if isinstance(month, str) else month
            if core_only and role not in CORE_TALENT:
                continue
            place = rule.credited(enterprise_id, month)
            if place is not None and question.holds(place):
                rows.append((person_id, enterprise_id, month, role, place))
    drill = Drill(["人员", "企业", "首次在册月份", "岗位类别", "计入区县"], total=len(rows))
    # A city's window can hold hundreds of thousands of people: names are looked up per page.
    drill.lazy = Rendered(rows, _people_cells)
    drill.explanation = (
        "每人一行：全市第一段任职开始于窗口基数月之后、截至所选月份；在市内换工作的人只在第一段任职计一次。"
    )
    return drill


def _people_cells(rows: list[tuple[int, int, date, str, int]]) -> list[list[Cell]]:
    people = {p.pk: p for p in Person.objects.filter(pk__in={row[0] for row in rows})}
    names = _names({row[1] for row in rows})
    units = dict(Unit.objects.values_list("pk", "name"))
    return [
        [
            (str(people[person_id]), people[person_id].get_absolute_url()),
            _enterprise(enterprise_id, names),
            (f"{month:%Y-%m}", None),
            (RoleCategory(role).label if role in RoleCategory.values else role, None),
            (units.get(place, ""), None),
        ]
        for person_id, enterprise_id, month, role, place in rows
    ]


def new_enterprises(question: Question) -> Drill:
    window = question.window
    end = min(month_end(question.as_of), question.plan.ends_on)
    origins = (
        EnterpriseOrigin.objects.filter(
            plan=question.plan, origin__in=NEW_ORIGINS, arrived_on__range=(window.plan.starts_on, end)
        )
        .select_related("enterprise", "enterprise__unit", "credited_unit")
        .order_by("arrived_on", "enterprise__name")
    )
    drill = Drill(["企业", "统一社会信用代码", "来源", "来渝日期", "计入区县", "判定依据"])
    for origin in origins:
        credited = origin.credited_unit_id or origin.enterprise.unit_id
        if not question.holds(credited):
            continue
        drill.rows.append(
            [
                (origin.enterprise.name, origin.enterprise.get_absolute_url()),
                (origin.enterprise.uscc, None),
                (origin.get_origin_display(), None),
                (f"{origin.arrived_on:%Y-%m-%d}", None),
                (origin.credited_unit.name if origin.credited_unit else origin.enterprise.unit.name, None),
                (origin.reason, None),
            ]
        )
    drill.total = len(drill.rows)
    drill.explanation = "系统判定为新设立或新引进、来渝日期在窗口内的企业；市内迁移企业不计入任何区县。"
    return drill


def carrier_area(question: Question) -> Drill:
    start, end = question.plan.starts_on, min(month_end(question.as_of), question.plan.ends_on)
    occupancies = (
        Occupancy.objects.filter(moved_in_on__lte=end)
        .exclude(moved_out_on__lte=start)
        .select_related("building", "building__unit", "enterprise")
        .order_by("building__code", "moved_in_on")
    )
    drill = Drill(
        [
            "楼宇",
            "企业",
            "入驻日期",
            "迁出日期",
            f"{start:%Y-%m-%d} 在驻面积（㎡）",
            f"{end:%Y-%m-%d} 在驻面积（㎡）",
        ]
    )
    opening = closing = 0.0
    for occupancy in occupancies:
        if not question.holds(occupancy.building.unit_id):
            continue
        at_start = float(occupancy.area) if in_force(occupancy, start) else 0.0
        at_end = float(occupancy.area) if in_force(occupancy, end) else 0.0
        if not (at_start or at_end):
            continue
        opening, closing = opening + at_start, closing + at_end
        drill.rows.append(
            [
                (occupancy.building.name, occupancy.building.get_absolute_url()),
                (occupancy.enterprise.name, occupancy.enterprise.get_absolute_url()),
                (f"{occupancy.moved_in_on:%Y-%m-%d}", occupancy.get_absolute_url()),
                (f"{occupancy.moved_out_on:%Y-%m-%d}" if occupancy.moved_out_on else "", None),
                (at_start, None),
                (at_end, None),
            ]
        )
    drill.total = closing - opening
    drill.explanation = f"期末在驻面积 {closing:,.2f} ㎡ − 窗口起始日在驻面积 {opening:,.2f} ㎡。"
    return drill


def acquired_area(question: Question) -> Drill:
    end = month_end(question.as_of)
    buildings = (
        Building.objects.filter(status__in=ACQUIRED_STATUSES, acquired_area__gt=0)
        .select_related("unit")
        .order_by("code")
    )
    drill = Drill(["楼宇", "区县", "状态", "收储日期", "收储面积（㎡）"])
    for building in buildings:
        if (building.acquired_on and building.acquired_on > end) or not question.holds(building.unit_id):
            continue
        drill.total += float(building.acquired_area or 0)
        drill.rows.append(
            [
                (building.name, building.get_absolute_url()),
                (building.unit.name, None),
                (building.get_status_display(), None),
                (f"{building.acquired_on:%Y-%m-%d}" if building.acquired_on else "未填（视为窗口前）", None),
                (float(building.acquired_area or 0), None),
            ]
        )
    return drill


def revenue(question: Question) -> Drill:
    """Each firm's twelve-month figures at the month asked for (and at the baseline, for the increase)."""
    window = question.window
    firms = [pk for pk, unit in question.ledgers.located.ledger_unit.items() if question.holds(unit)]
    ytd: dict[int, list[dict[date, float]]] = defaultdict(lambda: [{}, {}, {}])
    # Past SQLite's bound-variable limit, read the whole ledger and keep the unit's firms in Python.
    rows = MonthlyStatistics.objects.all()
    if len(firms) < IN_CHUNK:
        rows = rows.filter(enterprise_id__in=firms)
    for enterprise_id, month, *amounts in rows.values_list(
        "enterprise_id", "month", "software_revenue", "product_revenue", "rd_expense"
    ):
        for figures, amount in zip(ytd[enterprise_id], amounts, strict=True):
            if amount is not None:
                figures[month] = float(amount)
    months_on_file = sorted({m for figures in ytd.values() for m in figures[0]})
    inside = [m for m in months_on_file if window.base <= m <= question.as_of]
    if not inside:
        return Drill(["企业"], explanation="窗口内尚无经营数据。")
    base, at = inside[0], inside[-1]
    names = _names(set(ytd))
    drill = Drill(
        [
            "企业",
            f"{base:%Y-%m} 近12个月软件业务收入",
            f"{at:%Y-%m} 近12个月软件业务收入",
            "近12个月软件产品收入",
            "近12个月研发费用",
        ]
    )
    totals = [0.0, 0.0, 0.0, 0.0]
    for enterprise_id in sorted(ytd, key=lambda pk: names.get(pk, "")):
        if enterprise_id not in question.ledgers.located.ledger_unit or not question.holds(
            question.ledgers.located.ledger_unit[enterprise_id]
        ):
            continue
        software, products, rd = ytd[enterprise_id]
        values = [
            trailing_year(software, base) if base in software else 0.0,
            trailing_year(software, at) if at in software else 0.0,
            trailing_year(products, at) if at in products else 0.0,
            trailing_year(rd, at) if at in rd else 0.0,
        ]
        if not any(values):
            continue
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        drill.rows.append([_enterprise(enterprise_id, names), *((round(v, 2), None) for v in values)])
    if question.indicator == Indicator.SOFTWARE_REVENUE:
        drill.total = totals[1] - totals[0]
        drill.explanation = (
            f"{at:%Y-%m} 合计 {totals[1]:,.2f} 万元 − 基数月 {base:%Y-%m} 合计 {totals[0]:,.2f} 万元。"
        )
    elif question.indicator == Indicator.SOFTWARE_PRODUCT_SHARE:
        drill.total = totals[2] / totals[1] if totals[1] else 0.0
        drill.explanation = (
            f"软件产品收入 {totals[2]:,.2f} ÷ 软件业务收入 {totals[1]:,.2f}（{at:%Y-%m}，近12个月）。"
        )
    else:
        drill.total = totals[3]
    return drill


def shangxing(question: Question) -> Drill:
    window = question.window
    year_now, year_base = shangxing_year(question.as_of), shangxing_year(window.base)
    now, before = shangxing_ids(year_now), shangxing_ids(year_base)
    ledger_unit = question.ledgers.located.ledger_unit
    ids = {pk for pk in now | before if question.holds(ledger_unit.get(pk))}
    names = _names(ids)
    drill = Drill(["企业", f"{year_base} 年上星", f"{year_now} 年上星"])
    for pk in sorted(ids, key=lambda pk: names.get(pk, "")):
        drill.rows.append(
            [
                _enterprise(pk, names),
                ("是" if pk in before else "否", None),
                ("是" if pk in now else "否", None),
            ]
        )
    drill.total = sum(pk in now for pk in ids) - sum(pk in before for pk in ids)
    drill.explanation = f"{year_now} 年上星企业家数 − 窗口基数月所依据的 {year_base} 年上星企业家数。"
    return drill


def titled(question: Question) -> Drill:
    kind = next(k for k, code in HONOUR_INDICATORS.items() if code == question.indicator)
    end = min(month_end(question.as_of), question.plan.ends_on)
    first: dict[int, Honour] = {}
    for honour in Honour.objects.filter(kind=kind).select_related("enterprise").order_by("awarded_on"):
        first.setdefault(honour.enterprise_id, honour)
    drill = Drill(["企业", "认定日期", "认定机构/文件"])
    for honour in first.values():
        if question.plan.starts_on <= honour.awarded_on <= end and question.holds(honour.enterprise.unit_id):
            drill.rows.append(
                [
                    (honour.enterprise.name, honour.enterprise.get_absolute_url()),
                    (f"{honour.awarded_on:%Y-%m-%d}", None),
                    (honour.source, None),
                ]
            )
    drill.total = len(drill.rows)
    return drill


DRILLS: dict[str, Callable[[Question], Drill]] = {
    Indicator.NEW_EMPLOYEES: new_people,
    Indicator.NEW_CORE_TALENT: new_people,
    Indicator.NEW_ENTERPRISES: new_enterprises,
    Indicator.CARRIER_AREA_IN_USE: carrier_area,
    Indicator.CARRIER_AREA_ACQUIRED: acquired_area,
    Indicator.SOFTWARE_REVENUE: revenue,
    Indicator.SOFTWARE_PRODUCT_SHARE: revenue,
    Indicator.RD_EXPENSE: revenue,
    Indicator.SHANGXING_ENTERPRISES: shangxing,
    Indicator.LISTED_ENTERPRISES: titled,
    Indicator.UNICORN_ENTERPRISES: titled,
}
