"""A run's score and reward in words, term by term, with the numbers each rule used."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from mantianxing.evaluation.scoring import TARGET_CAP, mean_ranks
from mantianxing.monitoring.definitions import DEFINITIONS, Definition


@dataclass(frozen=True)
class Term:
    definition: Definition
    value: float
    normalized: float
    weight: float
    term: float
    how: str  # the normalisation with this unit's numbers


@dataclass(frozen=True)
class Explanation:
    row: dict[str, Any]
    terms: list[Term]
    reward: list[str]


def wan(yuan: float) -> str:
    return f"{yuan / 10000:,.2f} 万元"


def explain(
    run_scheme: dict[str, Any], inputs: dict[str, Any], result: list[dict[str, Any]]
) -> list[Explanation]:
    units = [unit["code"] for unit in inputs["units"]]
    shown_how = {
        item["code"]: _how(item, {u: inputs["values"][u][item["code"]] for u in units}, inputs)
        for item in run_scheme["indicators"]
    }
    places: dict[int, int] = {}
    for row in result:
        places[row["rank"]] = places.get(row["rank"], 0) + 1
    out = []
    for row in result:
        terms = [
            Term(
                definition=DEFINITIONS[item["code"]],
                value=row["values"][item["code"]],
                normalized=row["normalized"][item["code"]],
                weight=item["weight"],
                term=row["terms"][item["code"]],
                how=shown_how[item["code"]](row["unit"]),
            )
            for item in run_scheme["indicators"]
        ]
        out.append(Explanation(row, terms, _reward(row, places[row["rank"]], run_scheme["rewards"])))
    return out


def _how(item: dict[str, Any], values: dict[str, float], inputs: dict[str, Any]) -> Any:
    method = item["normalize"]
    if method == "max":
        largest = max(values.values())
        return lambda u: f"{values[u]:g} ÷ 最大值 {largest:g} × 100" if largest > 0 else "无区县增长，计 0"
    if method == "minmax":
        low, high = min(values.values()), max(values.values())
        if high == low:
            return lambda u: "各区县相同，计 100"
        return lambda u: f"({values[u]:g} − 最小值 {low:g}) ÷ ({high:g} − {low:g}) × 100"
    if method == "zscore":
        mean, spread = statistics.fmean(values.values()), statistics.pstdev(values.values())
        if spread == 0:
            return lambda u: "各区县相同，计 0"
        return lambda u: f"({values[u]:g} − 均值 {mean:.4g}) ÷ 标准差 {spread:.4g}"
    if method == "rank":
        n, ranks = len(values), mean_ranks(values)
        return lambda u: f"({n} − 该项名次 {ranks[u]:g}) ÷ ({n} − 1) × 100"
    share = inputs["target_share"]

    def against_target(u: str) -> str:
        target = inputs["targets"][u].get(item["code"])
        if not target:
            return "无本期目标，计 0"
        plan_target = target / share if share else target
        capped = "，封顶 120" if values[u] / target * 100 > TARGET_CAP else ""
        return f"{values[u]:g} ÷ 本期目标 {target:g}（计划目标 {plan_target:.4g} × 序时份额 {share:.4f}）× 100{capped}"

    return against_target


def _reward(row: dict[str, Any], tied: int, rule: dict[str, Any]) -> list[str]:
    steps = row["reward_steps"]
    rank = row["rank"]
    places = (
        f"第 {rank} 名"
        if tied == 1
        else f"与另 {tied - 1} 个区县并列第 {rank} 名，占第 {rank}–{rank + tied - 1} 名"
    )
    lines = [
        f"{places}：按名次档次应得 {wan(steps['tier_share'])}" + ("（各档合计后平分）" if tied > 1 else "")
    ]
    if steps["capped"] < steps["tier_share"]:
        lines.append(f"单个区县上限 {wan(rule['cap_per_unit'])}：计 {wan(steps['capped'])}")
    if steps["factor"] != 1:
        lines.append(f"奖励总额超过预算 {wan(rule['budget'])}，按比例 × {steps['factor']:.6f}")
    lines.append(f"奖励金额：{wan(row['reward'])}")
    return lines
