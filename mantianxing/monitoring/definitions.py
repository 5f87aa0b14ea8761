"""What each indicator is: its name, unit, kind and how it is computed, as shown to users.

The computing itself is in `mantianxing.monitoring.contributions`, one rule per indicator; the
texts here are what the dashboard, the drill-down pages and 口径说明 show, so they must say what
that code does. Decisions common to all indicators:

- **Months.** Ledgers that are monthly (rosters, statistics) give one figure per month. A window's
  baseline is the month holding its start date: a person on that month's roster was employed when
  the window opened. Dated ledgers (occupancy, origins, honours) count by their exact dates.
- **Increase** indicators report the change since the window's start, up to the end of the month
  asked for; **level** indicators the value at that month's end.
- **One definition.** Each indicator's rule is one function (`contributions.SPECS`) yielding what
  each ledger row contributes; the stored values are their sums and the drill-down lists them, so
  the two cannot disagree. A unit with any contribution in the window has a value for every month
  of it, zero included.
- **Units.** A figure is credited to a unit by the rule of its indicator, then to the unit that
  carries that unit today (江北区, 渝北区 → 两江新区), so that a window spanning the 2025-11-06 change
  compares like with like. The city (500000) is the whole: counts are the sum of units, shares
  are taken over the city's sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mantianxing.monitoring.choices import Indicator, Kind


@dataclass(frozen=True)
class Definition:
    code: Indicator
    unit_label: str
    kind: Kind
    source: str
    computed: str
    decimals: int = 0
    # A share is stored as a fraction and shown as a percentage.
    percent: bool = False

    @property
    def name(self) -> str:
        return str(self.code.label)

    def rounded(self, value: Decimal | float | None) -> float | int | None:
        if value is None:
            return None
        if self.decimals == 0 and not self.percent:
            return round(value)
        return round(float(value), 4 if self.percent else self.decimals)


NEW_PEOPLE_RULE = (
    "一个人在全市软信企业的第一段任职（花名册）开始于窗口内，即为新增；此前已在册的人（含窗口起始月份在册）"
    "不算，在市内换工作不算，同一人只算一次。计入第一段任职首月该企业所在楼宇的区县（当月无入驻记录时为"
    "企业台账所属区县）。一家企业首次报送花名册的月份是它的基数：除非企业当月或上月才来渝，这些人视为原有人员，不算新增。"
)

REVENUE_BASELINE_RULE = (
    "每家企业的基数：窗口基数月（起始日所在月份；该月全市尚无经营数据时取此后第一个有数据的月份）的数；"
    "窗口内晚于基数月才开始报送经营数据的企业，以它首次报送月份的数为基数（与花名册的规则相同），"
    "只计此后的增长，不把全部收入算作新增，除非企业当月或上月才来渝（基数为零）。"
    "此后某月未报送的企业，该月按零计（即减去其基数）。全市没有任何经营数据的月份没有数值。"
)

DEFINITIONS: dict[str, Definition] = {
    d.code: d
    for d in (
        Definition(
            Indicator.NEW_EMPLOYEES,
            "人",
            Kind.INCREASE,
            "花名册（任职记录）",
            NEW_PEOPLE_RULE,
        ),
        Definition(
            Indicator.NEW_CORE_TALENT,
            "人",
            Kind.INCREASE,
            "花名册（任职记录）",
            "新增从业人员中，第一段任职的岗位类别为“软件开发”或“AI+应用”的人。" + NEW_PEOPLE_RULE,
        ),
        Definition(
            Indicator.NEW_ENTERPRISES,
            "家",
            Kind.INCREASE,
            "企业台账、入驻记录（企业来源）",
            "系统判定的企业来源为“新设立”或“新引进”、且来渝日期在窗口内的企业；市内迁移和存量企业不算。"
            "计入首次入驻楼宇所在区县（无入驻记录时为企业台账所属区县），企业以后迁往别区也不改变。",
        ),
        Definition(
            Indicator.CARRIER_AREA_IN_USE,
            "㎡",
            Kind.INCREASE,
            "入驻记录",
            "台账楼宇中软信企业在月末当日入驻面积之和，减去窗口起始日当日的入驻面积之和。按楼宇所在区县计。",
            decimals=2,
        ),
        Definition(
            Indicator.CARRIER_AREA_ACQUIRED,
            "㎡",
            Kind.LEVEL,
            "楼宇台账",
            "已到“收储”及以后状态的台账楼宇的收储面积之和，按收储日期计入；未填收储日期的视为窗口前已收储。按楼宇所在区县计。",
            decimals=2,
        ),
        Definition(
            Indicator.SOFTWARE_REVENUE,
            "万元",
            Kind.INCREASE,
            "经营数据",
            "近12个月软件业务收入（由年初至今累计数推算：本年累计＋上年12月累计－上年同月累计；缺上年同月时按上年全年×剩余月份/12，"
            "缺上年数据时按本年累计年化）的增加量，逐家企业计算后相加。"
            + REVENUE_BASELINE_RULE
            + "按企业台账所属区县计。",
            decimals=2,
        ),
        Definition(
            Indicator.SOFTWARE_PRODUCT_SHARE,
            "%",
            Kind.LEVEL,
            "经营数据",
            "近12个月软件产品收入 ÷ 近12个月软件业务收入（推算方法同上），按区县或全市的合计计算。",
            percent=True,
        ),
        Definition(
            Indicator.RD_EXPENSE,
            "万元",
            Kind.LEVEL,
            "经营数据",
            "近12个月研发费用（推算方法同软件业务收入）。按企业台账所属区县计。",
            decimals=2,
        ),
        Definition(
            Indicator.SHANGXING_ENTERPRISES,
            "家",
            Kind.INCREASE,
            "经营数据、花名册",
            "上星企业（上一个完整年度12月从业人员≥100人或营业收入≥1亿元，未填营业收入时以主营业务收入、软件业务收入为下限）的家数，减去窗口基数月时的家数；"
            "12月起按当年判断。逐家企业计：新上星的计 +1，窗口基数月时上星、后来不再上星的计 −1；"
            "即使某月没有任何企业上星，该月的数值（可能为负）也照常存储。按企业台账所属区县计。",
        ),
        Definition(
            Indicator.LISTED_ENTERPRISES,
            "家",
            Kind.INCREASE,
            "企业荣誉",
            "首次获得“上市企业”称号的日期在窗口内的企业。按企业台账所属区县计。",
        ),
        Definition(
            Indicator.UNICORN_ENTERPRISES,
            "家",
            Kind.INCREASE,
            "企业荣誉",
            "首次获得“独角兽”称号的日期在窗口内的企业。按企业台账所属区县计。",
        ),
    )
}
