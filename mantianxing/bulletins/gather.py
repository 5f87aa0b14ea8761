"""Everything a bulletin says, collected in one place for a period: the one module that queries.

Decisions:
- The period is a month (`2026-06`), a half (`2026H1`) or a year (`2026`); the bulletin is as of its
  last month, under the plan that month reports to (`plan_for_month`). A month outside every plan,
  or not yet complete (after the last complete month), is refused.
- The number is derived from the period, no stored counter to keep in step: a series a year for
  each kind — monthly `渝满天星通报〔2026〕6号`, half-yearly `渝满天星半年通报〔2026〕1号`, yearly
  `渝满天星年度通报〔2026〕1号`.
- The ranking is the latest *current* published evaluation run ending no later than the as-of
  month; drafts never reach a bulletin, nor does a run superseded by a later publication of the same
  scheme and period (a bulletin made again after a re-publication shows the new run).
- Progress is city-wide and every unit's, the same for every reader: bulletins are circulated to
  all districts.
- Data quality covers the monthly reports of the period's months (those past their deadline) and
  the enterprises whose claimed origin the system disputes today.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count
from django.utils import timezone

from mantianxing.bulletins.wording import percent, period_words
from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.origin import disputed_enterprises
from mantianxing.evaluation.models import Run
from mantianxing.geo.models import CITY_CODE
from mantianxing.lib.periods import Period, add_months, months, parse_period
from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.compute import ensure_fresh
from mantianxing.monitoring.definitions import DEFINITIONS, Definition
from mantianxing.monitoring.figures import plan_for_month
from mantianxing.monitoring.progress import Progress, Row, progress
from mantianxing.monitoring.templatetags.monitoring import shown
from mantianxing.plans.models import Plan
from mantianxing.reporting.quality import QualityReport, reporting_quality

ISSUER = "重庆市软件和信息服务业“满天星”行动专班"
RECIPIENTS = "各区县（自治县）经济信息委（局），西部科学城重庆高新区、万盛经开区经济发展部门："
FILE_STEM = "满天星讲评通报"
# The indicators charted unit by unit (DOMAIN §3's headline targets), when units have targets.
CHARTED = (
    Indicator.NEW_EMPLOYEES,
    Indicator.NEW_ENTERPRISES,
    Indicator.CARRIER_AREA_IN_USE,
    Indicator.SOFTWARE_REVENUE,
)
TOP_DISPUTE_UNITS = 5


class BulletinError(ValueError):
    """A bulletin that cannot be made; the message is for users."""


@dataclass(frozen=True)
class RankedIndicator:
    code: str
    weight: float | None

    @property
    def definition(self) -> Definition | None:
        return DEFINITIONS.get(self.code)

    @property
    def name(self) -> str:
        d = self.definition
        return d.name if d else self.code

    @property
    def heading(self) -> str:
        d = self.definition
        return f"{d.name}（{d.unit_label}）" if d else self.code

    def shown(self, value: float | None) -> str:
        d = self.definition
        if d is not None:
            return shown(value, d)
        return "—" if value is None else f"{value:,.2f}"


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    unit: str
    unit_name: str
    score: float
    values: dict[str, float | None]
    reward: float  # yuan
    rank_p5: int | None = None
    rank_p50: int | None = None
    rank_p95: int | None = None
    tier_probability: list[float] = field(default_factory=list)
    award_probability: float | None = None

    @property
    def reward_wan(self) -> float:
        return self.reward / 10_000

    @property
    def rank_range(self) -> str:
        if self.rank_p5 is None or self.rank_p95 is None:
            return "—"
        return str(self.rank_p5) if self.rank_p5 == self.rank_p95 else f"{self.rank_p5}–{self.rank_p95}"


@dataclass(frozen=True)
class Tier:
    label: str
    amount: float  # yuan


@dataclass(frozen=True)
class Ranking:
    """A published evaluation run, as the bulletin shows it."""

    run_id: int
    period: str
    period_first: date
    period_last: date
    scheme_name: str
    scheme_version: int
    scheme_sha256: str
    sha256: str
    published_at: datetime | None
    indicators: list[RankedIndicator]
    rows: list[RankedUnit]
    tiers: list[Tier]
    draws: int | None
    weight_sigma: float | None
    normalizations: list[str]

    @property
    def has_robustness(self) -> bool:
        return self.draws is not None

    @property
    def period_words(self) -> str:
        try:
            return period_words(parse_period(self.period))
        except ValueError:
            return self.period

    @property
    def budget_wan(self) -> float:
        return sum(row.reward for row in self.rows) / 10_000

    @property
    def headers(self) -> list[str]:
        """The ranking table's columns, in the document and on the page."""
        headers = ["名次", "区县", "得分", *(i.heading for i in self.indicators), "奖励金额（万元）"]
        return headers + (["名次区间（5%–95%）", "获奖概率"] if self.has_robustness else [])

    @property
    def table(self) -> list[list[str]]:
        lines = []
        for row in self.rows:
            cells = [
                str(row.rank),
                row.unit_name,
                f"{row.score:.2f}",
                *(i.shown(row.values.get(i.code)) for i in self.indicators),
                f"{row.reward_wan:,.0f}" if row.reward else "—",
            ]
            if self.has_robustness:
                cells += [row.rank_range, percent(row.award_probability, 0)]
            lines.append(cells)
        return lines


@dataclass(frozen=True)
class DisputeCount:
    unit_code: str
    unit_name: str
    count: int


@dataclass(frozen=True)
class Bulletin:
    period: Period
    as_of: date
    plan: Plan
    issued_on: date
    progress: Progress
    ranking: Ranking | None
    quality: QualityReport
    dispute_units: list[DisputeCount]  # most disputes first

    @property
    def disputes(self) -> int:
        return sum(row.count for row in self.dispute_units)

    @property
    def top_disputes(self) -> list[DisputeCount]:
        return self.dispute_units[:TOP_DISPUTE_UNITS]

    @property
    def number(self) -> str:
        label, year = self.period.label, self.as_of.year
        if "H" in label:
            return f"渝满天星半年通报〔{year}〕{label[-1]}号"
        if len(label) == 4:
            return f"渝满天星年度通报〔{year}〕1号"
        return f"渝满天星通报〔{year}〕{self.as_of.month}号"

    @property
    def period_words(self) -> str:
        return period_words(self.period)

    @property
    def title_lines(self) -> list[str]:
        """The title broken where it reads well, as GB/T 9704 asks of a title on two lines."""
        return [f"关于{self.period_words}“满天星”行动计划", "推进情况的讲评通报"]

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def file_stem(self) -> str:
        return f"{FILE_STEM}-{self.period.label}"

    @property
    def time_progress(self) -> float:
        return self.progress.time_progress

    @property
    def city_targets(self) -> list[Row]:
        """The city's rows that have a target: what the summary speaks about."""
        return [row for row in self.progress.city_rows if row.target]

    @property
    def lagging(self) -> list[tuple[Definition, list[Row]]]:
        """Units behind time progress, indicator by indicator, furthest behind first."""
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in self.progress.lagging:
            if row.unit.code != CITY_CODE:
                grouped[row.definition.code].append(row)
        return [(DEFINITIONS[code], grouped[code]) for code in DEFINITIONS if grouped.get(code)]

    @property
    def charted(self) -> list[tuple[Definition, list[Row]]]:
        """The headline indicators whose units have targets, each with its units' rows."""
        charted = []
        for code in CHARTED:
            rows = [r for r in self.progress.unit_rows if r.definition.code == code and r.target]
            if rows:
                charted.append((DEFINITIONS[code], rows))
        return charted


def last_complete_month(today: date) -> date:
    return add_months(today.replace(day=1), -1)


def check_period(text: str, today: date) -> tuple[Period, Plan]:
    """The period asked for and its plan; BulletinError when no bulletin can be made for it."""
    try:
        period = parse_period(text)
    except ValueError as error:
        raise BulletinError(str(error)) from None
    as_of = period.last
    latest = last_complete_month(today)
    if as_of > latest:
        raise BulletinError(
            f"{period_words(period)}尚未结束，不能生成讲评通报"
            f"（最近一个完整月份为{latest.year}年{latest.month}月）。"
        )
    plan = plan_for_month(as_of)
    if plan is None:
        raise BulletinError(f"{as_of.year}年{as_of.month}月不在任何行动计划的实施期内，无法生成讲评通报。")
    return period, plan


def gather(text: str, *, today: date | None = None) -> Bulletin:
    today = today or timezone.localdate()
    period, plan = check_period(text, today)
    as_of = period.last
    ensure_fresh()
    by_unit = (
        disputed_enterprises(Enterprise.objects.all())
        .order_by()
        .values("unit__code", "unit__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "unit__code")
    )
    return Bulletin(
        period=period,
        as_of=as_of,
        plan=plan,
        issued_on=today,
        progress=progress(plan, as_of),
        ranking=ranking_as_of(as_of),
        quality=reporting_quality(period.first, period.last, today=today),
        dispute_units=[DisputeCount(row["unit__code"], row["unit__name"], row["count"]) for row in by_unit],
    )


def ranking_as_of(as_of: date) -> Ranking | None:
    run = (
        Run.objects.current()
        .filter(period_last__lte=as_of)
        .select_related("scheme")
        .order_by("-period_last", "-published_at")
        .first()
    )
    return None if run is None else ranking_of(run)


def ranking_of(run: Run) -> Ranking:
    body = run.scheme_body or {}
    robustness = run.robustness or {}
    tiers = [Tier(str(t["label"]), float(t["amount"])) for t in robustness.get("tiers", [])]
    rewarded = [tier.amount > 0 for tier in tiers]
    spread = {row["unit"]: row for row in robustness.get("units", [])}
    rows = []
    for row in run.result:
        summary = spread.get(row["unit"], {})
        probabilities = [float(p) for p in summary.get("tier_probability", [])]
        rows.append(
            RankedUnit(
                rank=int(row["rank"]),
                unit=str(row["unit"]),
                unit_name=str(row.get("unit_name", row["unit"])),
                score=float(row["score"]),
                values=dict(row.get("values", {})),
                reward=float(row.get("reward") or 0),
                rank_p5=summary.get("rank_p5"),
                rank_p50=summary.get("rank_p50"),
                rank_p95=summary.get("rank_p95"),
                tier_probability=probabilities,
                award_probability=(
                    sum(p for p, paid in zip(probabilities, rewarded, strict=False) if paid)
                    if probabilities
                    else None
                ),
            )
        )
    return Ranking(
        run_id=run.pk,
        period=run.period,
        period_first=run.period_first,
        period_last=run.period_last,
        scheme_name=str(body.get("name") or run.scheme.name),
        scheme_version=run.scheme.version,
        scheme_sha256=run.scheme_sha256,
        sha256=run.sha256,
        published_at=run.published_at,
        indicators=[RankedIndicator(str(i["code"]), i.get("weight")) for i in body.get("indicators", [])],
        rows=sorted(rows, key=lambda r: (r.rank, r.unit)),
        tiers=tiers,
        draws=robustness.get("draws"),
        weight_sigma=robustness.get("weight_sigma"),
        normalizations=[str(n) for n in robustness.get("normalizations", [])],
    )


def bulletin_periods(today: date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods a bulletin can be made for, newest first, grouped: months, halves, years."""
    latest = last_complete_month(today or timezone.localdate())
    plans = list(Plan.objects.order_by("starts_on"))
    if not plans:
        return []

    def covered(month: date) -> bool:
        return any(plan.contains(month) for plan in plans)

    span = [m for m in months(plans[0].starts_on.replace(day=1), latest) if covered(m)]
    labels = [f"{m:%Y-%m}" for m in span]
    years = sorted({m.year for m in span})
    halves = [f"{year}H{half}" for year in years for half in (1, 2)]
    groups = []
    for name, candidates in (("月度", labels), ("半年", halves), ("年度", [str(y) for y in years])):
        chosen = []
        for label in reversed(candidates):
            period = parse_period(label)
            if period.last <= latest and covered(period.last):
                chosen.append((period.label, period_words(period)))
        if chosen:
            groups.append((name, chosen))
    return groups
