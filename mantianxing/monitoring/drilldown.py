"""The rows behind one indicator value: for a plan, a unit (or the city) and a month.

The rows are the indicator's contributions (`contributions.SPECS`, the rule the stored series sums)
credited to the unit and active by the month, each with its amount then; so the rows listed add up
to the value stored (the page prints both). The month is the last month with a value up to the one
asked for, as the dashboard reads it. Rows are rendered a page at a time and link to their ledgers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload

from django.urls import reverse

from mantianxing.carriers.models import Building
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, Honour
from mantianxing.geo.models import Unit
from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.contributions import SPECS, Contribution, Sources, Window
from mantianxing.people.choices import RoleCategory
from mantianxing.people.models import Person
from mantianxing.plans.models import Plan

Cell = tuple[object, str | None]  # text, link
Listed = tuple[Contribution, float]  # a contribution and its amount at the month


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


def drill(
    plan: Plan,
    indicator: str,
    unit: Unit,
    as_of: date,
    *,
    today: date | None = None,
    sources: Sources | None = None,
) -> Drill:
    """The contributions behind `indicator`'s value for `unit` at `as_of` (the city: all of them).

    `sources` (read with `people="each"`) may be shared by many drill-downs over unchanged ledgers."""
    spec = SPECS[indicator]
    sources = sources or Sources(people="each")
    places = sources.places
    window = Window.of(plan, today)
    valued = [m for m in spec.months(sources, window) if m <= as_of.replace(day=1)]
    columns, render, explain = RENDERERS[indicator]
    if not valued:
        return Drill(columns(window, window.base), explanation="所选月份尚无该指标的数据。")
    month = valued[-1]
    listed: list[Listed] = [
        (c, c.at(month))
        for c in spec.contributions(sources, window, indicator)
        if c.active(month) and places.holds(unit.pk, c.place)
    ]
    parts = [0.0] * spec.parts
    for contribution, amount in listed:
        parts[contribution.part] += amount
    result = Drill(columns(window, month), total=spec.combine(parts) or 0.0)
    result.explanation = explain(window, month, parts)
    if spec.parts > 1:
        # A share's parts are two contributions of one row: list the row once.
        listed = [(c, a) for c, a in listed if c.part == 0]
    # Pages are rendered one at a time, so the order is set here: by first month, then ledger row.
    listed.sort(key=lambda item: (item[0].steps[0][0], item[0].row[0]))
    result.lazy = Rendered(listed, lambda rows: render(rows, month))
    return result


def _enterprise(pk: int, names: dict[int, str]) -> Cell:
    return names.get(pk, str(pk)), reverse("enterprises:enterprise_detail", args=[pk])


def _names(ids: set[int]) -> dict[int, str]:
    return dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _unit_names() -> dict[int, str]:
    return dict(Unit.objects.values_list("pk", "name"))


def _people_cells(rows: list[Listed], month: date) -> list[list[Cell]]:
    # A city's window can hold hundreds of thousands of people: names are looked up per page.
    people = {p.pk: p for p in Person.objects.filter(pk__in={c.row[0] for c, _a in rows})}
    names = _names({c.row[1] for c, _a in rows})
    units = _unit_names()
    cells = []
    for contribution, _amount in rows:
        person_id, enterprise_id, first, role, _core, _count = contribution.row
        cells.append(
            [
                (str(people[person_id]), people[person_id].get_absolute_url()),
                _enterprise(enterprise_id, names),
                (f"{first:%Y-%m}", None),
                (RoleCategory(role).label if role in RoleCategory.values else role, None),
                (units.get(contribution.place, ""), None),
            ]
        )
    return cells


def _origin_cells(rows: list[Listed], month: date) -> list[list[Cell]]:
    pks = [c.row[0] for c, _a in rows]
    found = EnterpriseOrigin.objects.filter(pk__in=pks).select_related("enterprise").in_bulk()
    units = _unit_names()
    return [
        [
            (origin.enterprise.name, origin.enterprise.get_absolute_url()),
            (origin.enterprise.uscc, None),
            (origin.get_origin_display(), None),
            (f"{origin.arrived_on:%Y-%m-%d}", None),
            (units.get(contribution.place, ""), None),
            (origin.reason, None),
        ]
        for contribution, origin in ((c, found[c.row[0]]) for c, _a in rows)
    ]


def _occupancy_cells(rows: list[Listed], month: date) -> list[list[Cell]]:
    buildings = {b.pk: b for b in Building.objects.filter(pk__in={c.row[2] for c, _a in rows})}
    names = _names({c.row[1] for c, _a in rows})
    cells = []
    for contribution, amount in rows:
        pk, firm, building, area, moved_in, moved_out, at_start = contribution.row
        cells.append(
            [
                (buildings[building].name, buildings[building].get_absolute_url()),
                _enterprise(firm, names),
                (f"{moved_in:%Y-%m-%d}", reverse("carriers:occupancy_detail", args=[pk])),
                (f"{moved_out:%Y-%m-%d}" if moved_out else "", None),
                (area if at_start else 0.0, None),
                (round(amount + (area if at_start else 0.0), 2), None),
                (round(amount, 2), None),
            ]
        )
    return cells


def _building_cells(rows: list[Listed], month: date) -> list[list[Cell]]:
    found = Building.objects.filter(pk__in=[c.row[0] for c, _a in rows]).select_related("unit").in_bulk()
    return [
        [
            (building.name, building.get_absolute_url()),
            (building.unit.name, None),
            (building.get_status_display(), None),
            (f"{building.acquired_on:%Y-%m-%d}" if building.acquired_on else "未填（视为窗口前）", None),
            (float(building.acquired_area or 0), None),
        ]
        for building in (found[c.row[0]] for c, _a in rows)
    ]


def _revenue_cells(rows: list[Listed], month: date, *, increase: bool = True) -> list[list[Cell]]:
    """A firm's figures at the month (and, for the increase, its baseline and the increase)."""
    names = _names({c.row[0] for c, _a in rows})
    cells = []
    for contribution, amount in rows:
        enterprise_id, first, baseline, (software, products, rd) = contribution.row
        cells.append(
            [
                _enterprise(enterprise_id, names),
                (f"{first:%Y-%m}", None),
                (round(baseline, 2), None),
                (round(software.get(month, 0.0), 2), None),
                (round(products.get(month, 0.0), 2), None),
                (round(rd.get(month, 0.0), 2), None),
                *([(round(amount, 2), None)] if increase else []),
            ]
        )
    return cells


def _shangxing_cells(rows: list[Listed], month: date) -> list[list[Cell]]:
    names = _names({c.row[0] for c, _a in rows})
    return [
        [
            _enterprise(c.row[0], names),
            ("是" if c.row[1] else "否", None),
            ("是" if c.row[1] + amount > 0 else "否", None),
            (int(amount), None),
        ]
        for c, amount in rows
    ]


def _honour_cells(rows: list[Listed], month: date) -> list[list[Cell]]:
    found = Honour.objects.filter(pk__in=[c.row[0] for c, _a in rows]).select_related("enterprise").in_bulk()
    return [
        [
            (honour.enterprise.name, honour.enterprise.get_absolute_url()),
            (f"{honour.awarded_on:%Y-%m-%d}", None),
            (honour.source, None),
        ]
        for honour in (found[c.row[0]] for c, _a in rows)
    ]


def _fixed(*names: str) -> Callable[[Window, date], list[str]]:
    return lambda _window, _month: list(names)


def _says(text: str) -> Callable[[Window, date, list[float]], str]:
    return lambda _window, _month, _parts: text


Renderer = tuple[
    Callable[[Window, date], list[str]],
    Callable[[list[Listed], date], list[list[Cell]]],
    Callable[[Window, date, list[float]], str],
]
PEOPLE: Renderer = (
    _fixed("人员", "企业", "首次在册月份", "岗位类别", "计入区县"),
    _people_cells,
    _says(
        "每人一行：全市第一段任职开始于窗口基数月之后、截至所选月份；在市内换工作的人只在第一段任职计一次；"
        "企业首次报送花名册当月的人员为基数，不计（企业当月或上月来渝的除外）。"
    ),
)
REVENUE_COLUMNS = (
    "企业",
    "基数月份",
    "基数（近12个月软件业务收入）",
    "近12个月软件业务收入",
    "近12个月软件产品收入",
    "近12个月研发费用",
)
TITLED: Renderer = (_fixed("企业", "认定日期", "认定机构/文件"), _honour_cells, _says(""))
RENDERERS: dict[str, Renderer] = {
    Indicator.NEW_EMPLOYEES: PEOPLE,
    Indicator.NEW_CORE_TALENT: PEOPLE,
    Indicator.NEW_ENTERPRISES: (
        _fixed("企业", "统一社会信用代码", "来源", "来渝日期", "计入区县", "判定依据"),
        _origin_cells,
        _says("系统判定为新设立或新引进、来渝日期在窗口内的企业；市内迁移企业不计入任何区县。"),
    ),
    Indicator.CARRIER_AREA_IN_USE: (
        lambda window, month: [
            "楼宇",
            "企业",
            "入驻日期",
            "迁出日期",
            f"{window.plan.starts_on:%Y-%m-%d} 在驻面积（㎡）",
            f"{month:%Y-%m} 月末在驻面积（㎡）",
            "增量（㎡）",
        ],
        _occupancy_cells,
        lambda window, month, parts: (
            f"每条入驻记录：{month:%Y-%m} 月末在驻面积 − 窗口起始日在驻面积，合计 {parts[0]:,.2f} ㎡。"
        ),
    ),
    Indicator.CARRIER_AREA_ACQUIRED: (
        _fixed("楼宇", "区县", "状态", "收储日期", "收储面积（㎡）"),
        _building_cells,
        _says(""),
    ),
    Indicator.SOFTWARE_REVENUE: (
        lambda window, month: [*REVENUE_COLUMNS, "增量（万元）"],
        _revenue_cells,
        lambda window, month, parts: (
            f"每家企业：{month:%Y-%m} 近12个月软件业务收入 − 它的基数，合计 {parts[0]:,.2f} 万元。基数为窗口基数月的数；"
            "窗口内晚于基数月才开始报送的企业以它首次报送月份的数为基数（当月或上月来渝的企业基数为零）。"
        ),
    ),
    Indicator.SOFTWARE_PRODUCT_SHARE: (
        _fixed(*REVENUE_COLUMNS),
        lambda rows, month: _revenue_cells(rows, month, increase=False),
        lambda window, month, parts: (
            f"软件产品收入 {parts[0]:,.2f} ÷ 软件业务收入 {parts[1]:,.2f}（{month:%Y-%m}，近12个月）。"
        ),
    ),
    Indicator.RD_EXPENSE: (
        _fixed(*REVENUE_COLUMNS),
        lambda rows, month: _revenue_cells(rows, month, increase=False),
        lambda window, month, parts: f"{month:%Y-%m} 近12个月研发费用合计 {parts[0]:,.2f} 万元。",
    ),
    Indicator.SHANGXING_ENTERPRISES: (
        lambda window, month: ["企业", "窗口基数月时上星", f"{month:%Y-%m} 上星", "增减"],
        _shangxing_cells,
        lambda window, month, parts: (
            "每家企业：所选月份是否上星 − 窗口基数月时是否上星（1 月至 11 月按上一年度判断，12 月按当年）。"
        ),
    ),
    Indicator.LISTED_ENTERPRISES: TITLED,
    Indicator.UNICORN_ENTERPRISES: TITLED,
}
