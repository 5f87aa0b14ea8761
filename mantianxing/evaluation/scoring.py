"""Scores, ranks and rewards from a scheme and its inputs: pure functions, no database.

Rules (shown on every run's page):
- **Normalisation** of one indicator across the ranked units:
  `max` value ÷ the largest × 100 (0 for all when the largest is not above 0);
  `minmax` (value − smallest) ÷ (largest − smallest) × 100 (100 for all when all are equal);
  `zscore` (value − mean) ÷ standard deviation, the population's (0 for all when all are equal);
  `rank` (n − rank) ÷ (n − 1) × 100, the largest value ranking first and tied values sharing the
  mean of their ranks (100 when only one unit is ranked);
  `target` value ÷ the unit's target for the period × 100, capped at 120 (0 without a target).
- **Score** = Σ weight × normalised value, rounded to 6 decimals; units with equal scores tie.
- **Rank**: highest score first; tied units share the best rank of their group (1, 2, 2, 4).
- **Reward**: tied units share equally the sum of the tiers their places occupy; no unit gets more
  than `cap_per_unit`; if the sum then exceeds `budget`, every reward is scaled by budget ÷ sum.
  Amounts are in yuan, rounded down to the fen so that the total never exceeds the budget.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

TARGET_CAP = 120.0
PLACES = 6
FEN = Decimal("0.01")


def normalize(
    method: str, values: Mapping[str, float], targets: Mapping[str, float | None]
) -> dict[str, float]:
    """Each unit's normalised value of one indicator; `values` and `targets` are keyed by unit."""
    if not values:
        return {}
    if method == "max":
        largest = max(values.values())
        return {u: v / largest * 100 if largest > 0 else 0.0 for u, v in values.items()}
    if method == "minmax":
        low, high = min(values.values()), max(values.values())
        return {u: (v - low) / (high - low) * 100 if high > low else 100.0 for u, v in values.items()}
    if method == "zscore":
        mean, spread = statistics.fmean(values.values()), statistics.pstdev(values.values())
        return {u: (v - mean) / spread if spread > 0 else 0.0 for u, v in values.items()}
    if method == "rank":
        n = len(values)
        ranks = mean_ranks(values)
        return {u: (n - ranks[u]) / (n - 1) * 100 if n > 1 else 100.0 for u in values}
    if method == "target":
        return {u: target_ratio(v, targets.get(u)) for u, v in values.items()}
    raise ValueError(f"未知的标准化方法：{method}")


def target_ratio(value: float, target: float | None) -> float:
    if not target or target <= 0:
        return 0.0
    return min(value / target * 100, TARGET_CAP)


def mean_ranks(values: Mapping[str, float]) -> dict[str, float]:
    """1 for the largest value; tied values share the mean of the ranks they occupy."""
    ordered = sorted(values, key=lambda u: -values[u])
    ranks: dict[str, float] = {}
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and values[ordered[end + 1]] == values[ordered[start]]:
            end += 1
        for unit in ordered[start : end + 1]:
            ranks[unit] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def evaluate(scheme: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The run's rows in rank order (see `Run.result`)."""
    units = [unit["code"] for unit in inputs["units"]]
    names = {unit["code"]: unit["name"] for unit in inputs["units"]}
    normalized: dict[str, dict[str, float]] = {unit: {} for unit in units}
    terms: dict[str, dict[str, float]] = {unit: {} for unit in units}
    for item in scheme["indicators"]:
        code = item["code"]
        values = {unit: inputs["values"][unit][code] for unit in units}
        targets = {unit: inputs["targets"][unit].get(code) for unit in units}
        for unit, norm in normalize(item["normalize"], values, targets).items():
            normalized[unit][code] = round(norm, PLACES)
            terms[unit][code] = round(item["weight"] * norm, PLACES)
    scores = {unit: round(sum(terms[unit].values()), PLACES) for unit in units}
    order = sorted(units, key=lambda unit: (-scores[unit], unit))
    ranks = competition_ranks([scores[unit] for unit in order])
    steps = rewards([scores[unit] for unit in order], scheme["rewards"])
    return [
        {
            "unit": unit,
            "unit_name": names[unit],
            "values": {item["code"]: inputs["values"][unit][item["code"]] for item in scheme["indicators"]},
            "normalized": normalized[unit],
            "terms": terms[unit],
            "score": scores[unit],
            "rank": rank,
            "reward": float(step["reward"]),
            "reward_steps": {key: float(value) for key, value in step.items()},
        }
        for unit, rank, step in zip(order, ranks, steps, strict=True)
    ]


def competition_ranks(scores_desc: Sequence[float]) -> list[int]:
    """1, 2, 2, 4: a tied unit takes the best place of its group."""
    ranks: list[int] = []
    for place, score in enumerate(scores_desc, start=1):
        ranks.append(ranks[-1] if ranks and score == scores_desc[place - 2] else place)
    return ranks


def rewards(scores_desc: Sequence[float], rule: Mapping[str, Any]) -> list[dict[str, Decimal]]:
    """Per unit in rank order: the tiers' share, after the cap, the scaling factor and the reward."""
    tiers = [Decimal(str(tier)) for tier in rule["tiers"]]
    cap = None if rule.get("cap_per_unit") is None else Decimal(str(rule["cap_per_unit"]))
    budget = None if rule.get("budget") is None else Decimal(str(rule["budget"]))
    shares: list[Decimal] = []
    start = 0
    while start < len(scores_desc):
        end = start
        while end + 1 < len(scores_desc) and scores_desc[end + 1] == scores_desc[start]:
            end += 1
        occupied = sum(tiers[start : end + 1], Decimal(0))
        shares += [(occupied / (end - start + 1)).quantize(FEN, ROUND_DOWN)] * (end - start + 1)
        start = end + 1
    capped = [min(share, cap) if cap is not None else share for share in shares]
    total = sum(capped, Decimal(0))
    factor = budget / total if budget is not None and total > budget else Decimal(1)
    return [
        {
            "tier_share": share,
            "capped": after_cap,
            "factor": factor.quantize(Decimal("0.000001"), ROUND_DOWN) if factor != 1 else Decimal(1),
            "reward": (after_cap * factor).quantize(FEN, ROUND_DOWN),
        }
        for share, after_cap in zip(shares, capped, strict=True)
    ]
