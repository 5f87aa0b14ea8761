"""The bulletin's sentences: the same words in the .docx and on the preview page."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from mantianxing.bulletins.gather import Bulletin, Ranking
from mantianxing.bulletins.wording import day_words, month_words, percent, points, spoken
from mantianxing.monitoring.choices import Status
from mantianxing.monitoring.progress import Row

ORDINALS = "一二三四五六七八九十"
# The evaluation's normalisation methods, as the note names them.
NORMALIZATIONS = {
    "scheme": "方案原定方法",
    "max": "除以最大值",
    "minmax": "极差标准化",
    "rank": "按名次赋分",
    "zscore": "标准分数",
    "target": "目标完成率",
}
# The units named per indicator in the text; the workbook lists them all.
NAMED_LAGGING = 5
# An award probability inside this band puts a unit on the edge of a reward tier.
EDGE = (0.05, 0.95)


def ordinal(index: int) -> str:
    """（一）, （二）, …: the numbering of second-level headings."""
    return f"（{ORDINALS[index]}）" if index < len(ORDINALS) else f"（{index + 1}）"


def _clause(row: Row) -> str:
    """One indicator of the city: its figure, the share of its target and how that compares."""
    d = row.definition
    if row.completion is None:
        return f"{d.name}暂无数据（目标{spoken(row.target, d)}）"
    said = f"{d.name}{spoken(row.actual, d)}，完成目标（{spoken(row.target, d)}）的{percent(row.completion)}"
    if row.status == Status.DONE:
        return f"{said}，已完成目标"
    word = "快于" if row.status == Status.AHEAD else "慢于"
    return f"{said}，{word}序时进度{points(row.gap)}"


def overview(b: Bulletin) -> list[str]:
    """一、总体进展: the city's key figures against time progress, in words."""
    opening = f"截至{month_words(b.as_of)}末，{b.plan.name}实施期已过{percent(b.time_progress)}（序时进度）。"
    rows = b.city_targets
    if not rows:
        return [opening + "全市尚未设定目标，暂不评价完成进度。"]
    on_time = sum(row.status in (Status.DONE, Status.AHEAD) for row in rows)
    behind = [row.definition.name for row in rows if row.status == Status.BEHIND]
    unknown = len(rows) - on_time - len(behind)
    closing = f"全市{len(rows)}项有目标的指标中，{on_time}项达到或快于序时进度"
    if behind:
        closing += f"，{len(behind)}项慢于序时进度（{'、'.join(behind)}）"
    if unknown:
        closing += f"，{unknown}项暂无数据"
    closing += "。"
    units_behind = {row.unit.pk for _d, lagging in b.lagging for row in lagging}
    if units_behind:
        closing += f"分区县看，{len(units_behind)}个区县有指标慢于序时进度（见第三部分）。"
    return [opening + "全市" + "；".join(_clause(row) for row in rows) + "。", closing]


def ranking_intro(ranking: Ranking, where: str) -> str:
    """The ranking's opening sentence; `where` names the table (表2, 下表)."""
    top = "、".join(row.unit_name for row in ranking.rows[:3])
    text = (
        f"根据《{ranking.scheme_name}》（第{ranking.scheme_version}版），"
        f"对各区县{ranking.period_words}推进情况进行评价，"
        f"{top}位列前{min(3, len(ranking.rows))}名"
    )
    if ranking.budget_wan:
        text += f"，拟安排奖励资金合计{ranking.budget_wan:,.0f}万元"
    return text + f"。评价排名见{where}。"


def ranking_note(ranking: Ranking) -> str:
    text = (
        f"注：评价期{ranking.period}（{month_words(ranking.period_first)}至{month_words(ranking.period_last)}），"
        f"评价方案“{ranking.scheme_name}”第{ranking.scheme_version}版（SHA-256 {ranking.scheme_sha256[:12]}；"
        f"指标权重：{'、'.join(f'{i.name}{i.weight:g}' for i in ranking.indicators if i.weight is not None)}），"
        f"评价运行 #{ranking.run_id}（SHA-256 {ranking.sha256[:12]}）"
    )
    if ranking.published_at:
        text += f"，{day_words(timezone.localtime(ranking.published_at).date())}发布"
    text += "。"
    if ranking.has_robustness:
        how = f"各指标权重随机上下浮动（约±{(ranking.weight_sigma or 0) * 100:.0f}%）"
        if ranking.normalizations:
            methods = "、".join(NORMALIZATIONS.get(n, n) for n in ranking.normalizations)
            how += f"、标准化方法在{methods}中随机选取"
        text += (
            f"名次区间为{how}、重复评价{ranking.draws}次所得名次的5%至95%分位数；"
            "获奖概率为名次落在有奖励档次的概率。"
        )
    return text


def robustness_remarks(ranking: Ranking) -> str | None:
    """Which ranks the weights could move, and who sits on the edge of a reward."""
    if not ranking.has_robustness:
        return None
    stable = [row for row in ranking.rows if row.rank_p5 == row.rank_p95 == row.rank]
    edge = [
        row
        for row in ranking.rows
        if row.award_probability is not None and EDGE[0] < row.award_probability < EDGE[1]
    ]
    parts = []
    if stable:
        parts.append(f"{'、'.join(row.unit_name for row in stable)}的名次不随权重设置变化")
    wide = sorted(ranking.rows, key=lambda r: (r.rank_p5 or 0) - (r.rank_p95 or 0))[:3]
    wide = [row for row in wide if (row.rank_p95 or 0) - (row.rank_p5 or 0) >= 2]
    if wide:
        parts.append(
            "、".join(f"{row.unit_name}（第{row.rank_range}名）" for row in wide)
            + "名次区间较宽，对权重设置较为敏感"
        )
    if edge:
        parts.append(
            "、".join(f"{row.unit_name}（{percent(row.award_probability, 0)}）" for row in edge)
            + "处于获奖边缘"
        )
    if not parts:
        return None
    return "稳健性分析显示：" + "；".join(parts) + "。"


def lagging_intro(b: Bulletin) -> str:
    if not b.lagging:
        return f"截至{month_words(b.as_of)}末，各区县有目标的指标完成率均不低于序时进度（{percent(b.time_progress)}）。"
    return (
        f"截至{month_words(b.as_of)}末，序时进度为{percent(b.time_progress)}，"
        "部分区县的指标完成率低于序时进度："
    )


def lagging_line(rows: list[Row]) -> str:
    """How many units lag on one indicator, naming those furthest behind."""
    named = "、".join(
        f"{row.unit.name}（完成率{percent(row.completion)}，落后{points(row.gap)}）"
        for row in rows[:NAMED_LAGGING]
    )
    if len(rows) <= NAMED_LAGGING:
        return f"{named}慢于序时进度。"
    return f"{len(rows)}个区县慢于序时进度，差距较大的是{named}。"


LAGGING_CLOSING = "各区县完整名单见附件“滞后”表。请上述区县认真分析滞后原因，制定针对性措施，加快推进进度。"


def reporting_remarks(b: Bulletin) -> list[str]:
    """四、数据质量（一）: completeness and timeliness of the period's monthly reports."""
    city = b.quality.city
    if not city.due:
        return [f"{b.period_words}月报尚未到报送截止日，暂不统计报送情况。"]
    lines = [
        f"{b.period_words}各区县应报月报{city.due}份，已报{city.submitted}份，完整率{percent(city.completeness)}；"
        f"按时报送{city.on_time}份，及时率{percent(city.timeliness)}。"
    ]
    late = [q for q in b.quality.units if q.late_months]
    missing = [q for q in b.quality.units if q.missing_months]
    if late:
        lines.append("迟报：" + "、".join(_named(b, q.unit.name, q.late_months) for q in late) + "。")
    if missing:
        lines.append("未报：" + "、".join(_named(b, q.unit.name, q.missing_months) for q in missing) + "。")
    if not late and not missing:
        lines.append("各区县均按时报送。")
    return lines


def _named(b: Bulletin, name: str, months: list[date]) -> str:
    """A unit, with its months when the period has more than one (a period is within one year)."""
    if b.period.first == b.period.last:
        return name
    return f"{name}（{'、'.join(f'{month.month}月' for month in months)}）"


def dispute_remarks(b: Bulletin) -> str:
    """四、数据质量（二）: claimed enterprise origins the system disagrees with."""
    if not b.disputes:
        return "各区县申报的企业来源与系统判定一致。"
    top = "、".join(f"{row.unit_name}（{row.count}家）" for row in b.top_disputes)
    return (
        f"区县申报的企业来源与系统按统一口径判定的结果不一致的企业共{b.disputes}家，较多的是{top}。"
        "请相关区县对照口径核实，确属申报有误的及时更正。"
    )
