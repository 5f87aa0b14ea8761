"""How much a ranking depends on the scheme's choices: a Monte Carlo over weights and normalisations.

Rules (shown on every run's page and in the bulletin):
- Each draw multiplies every weight by its own random factor e^N(0, σ²) with σ = 0.2 (about ±20%),
  then rescales the weights to the scheme's total, and picks one normalisation for all indicators
  at random, with equal chances, among: the scheme's own, `max`, `minmax`, `rank`, `zscore`, and
  `target` when every ranked unit has a target for every indicator.
- A unit's rank in a draw is 1 + the number of units scoring more (ties share the best place).
- Per unit: the 5th, 50th and 95th percentiles of its rank over the draws (the 5th rounded toward
  the better place, the 95th toward the worse), and the share of draws that put it in each reward
  tier; tiers of equal amount next to each other form one tier (第4–6名).
- The random generator is seeded from the run's hash, so the same run gives the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from mantianxing.evaluation.scoring import normalize

WEIGHT_SIGMA = 0.2
ALTERNATIVES = ("max", "minmax", "rank", "zscore", "target")


def tiers_of(amounts: list[float]) -> list[dict[str, Any]]:
    """Adjacent places of equal amount grouped: [{"label", "amount", "places": [first, last]}], then 无奖励."""
    tiers: list[dict[str, Any]] = []
    for place, amount in enumerate(amounts, start=1):
        if tiers and tiers[-1]["amount"] == amount:
            tiers[-1]["places"][1] = place
        else:
            tiers.append({"amount": float(amount), "places": [place, place]})
    for tier in tiers:
        first, last = tier["places"]
        tier["label"] = f"第{first}名" if first == last else f"第{first}–{last}名"
    tiers.append({"label": "无奖励", "amount": 0.0, "places": [len(amounts) + 1, None]})
    return tiers


def candidates(scheme: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[str]:
    units = [unit["code"] for unit in inputs["units"]]
    with_targets = all(
        inputs["targets"][unit].get(item["code"]) for unit in units for item in scheme["indicators"]
    )
    return ["scheme", *(m for m in ALTERNATIVES if m != "target" or with_targets)]


def simulate(scheme: Mapping[str, Any], inputs: Mapping[str, Any], draws: int, seed: int) -> dict[str, Any]:
    units = [unit["code"] for unit in inputs["units"]]
    names = {unit["code"]: unit["name"] for unit in inputs["units"]}
    indicators = scheme["indicators"]
    methods = candidates(scheme, inputs)
    # One matrix (units × indicators) of normalised values per method; a draw only reweights them.
    matrices = np.stack([_normalized(method, indicators, units, inputs) for method in methods])
    rng = np.random.default_rng(seed)
    base = np.array([float(item["weight"]) for item in indicators])
    weights = base * np.exp(rng.normal(0.0, WEIGHT_SIGMA, size=(draws, len(base))))
    weights *= base.sum() / weights.sum(axis=1, keepdims=True)
    chosen = rng.integers(0, len(methods), size=draws)
    scores = np.round(np.einsum("dui,di->du", matrices[chosen], weights), 6)  # draws × units
    ranks = 1 + (scores[:, None, :] > scores[:, :, None]).sum(axis=2)  # draws × units
    tiers = tiers_of(list(scheme["rewards"]["tiers"]))
    tier_index = np.full(len(units) + 2, len(tiers) - 1)
    for index, tier in enumerate(tiers[:-1]):
        first, last = tier["places"]
        tier_index[first : last + 1] = index
    landed = tier_index[ranks]  # draws × units
    rows = []
    for column, unit in enumerate(units):
        unit_ranks = ranks[:, column]
        counts = np.bincount(landed[:, column], minlength=len(tiers))
        rows.append(
            {
                "unit": unit,
                "unit_name": names[unit],
                "rank_p5": int(np.percentile(unit_ranks, 5, method="lower")),
                "rank_p50": int(np.percentile(unit_ranks, 50, method="nearest")),
                "rank_p95": int(np.percentile(unit_ranks, 95, method="higher")),
                "tier_probability": [round(float(c) / draws, 4) for c in counts],
            }
        )
    return {
        "draws": draws,
        "seed": seed,
        "weight_sigma": WEIGHT_SIGMA,
        "normalizations": methods,
        "tiers": [{"label": t["label"], "amount": t["amount"]} for t in tiers],
        "units": rows,
    }


def _normalized(
    method: str, indicators: list[dict[str, Any]], units: list[str], inputs: Mapping[str, Any]
) -> np.ndarray:
    columns = []
    for item in indicators:
        code = item["code"]
        values = {unit: inputs["values"][unit][code] for unit in units}
        targets = {unit: inputs["targets"][unit].get(code) for unit in units}
        norm = normalize(item["normalize"] if method == "scheme" else method, values, targets)
        columns.append([norm[unit] for unit in units])
    return np.array(columns).T
