"""How long an evaluation's scoring and its Monte Carlo take for a city's units (DOMAIN §7: ~41).

The Monte Carlo's cost depends on units × indicators × draws only: the ledgers are read once, as
stored indicator values, before it starts. So this bench needs no database: it builds the inputs of
41 units with random increases and targets, and times `scoring.evaluate` and `robustness.simulate`
for the shipped half-year scheme and for a six-indicator one, at 1,000 and 10,000 draws (best of 5).

    .venv/bin/python bench/evaluation.py          # or: make bench-evaluation
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantianxing.settings")
os.environ.setdefault("MTX_DEBUG", "1")

import django

django.setup()

import yaml  # noqa: E402

from mantianxing.evaluation.robustness import simulate  # noqa: E402
from mantianxing.evaluation.schemes import checked  # noqa: E402
from mantianxing.evaluation.scoring import evaluate  # noqa: E402

UNITS = 41
SHIPPED = Path(__file__).resolve().parents[1] / "mantianxing" / "evaluation" / "data" / "default_schemes.yaml"
SIX = [
    ("carrier_area_in_use", "max"),
    ("new_enterprises", "target"),
    ("new_employees", "target"),
    ("new_core_talent", "rank"),
    ("software_revenue", "zscore"),
    ("shangxing_enterprises", "minmax"),
]


def inputs_for(codes: list[str], rng: random.Random) -> dict:
    units = [{"code": f"U{n:02d}", "name": f"区县{n}"} for n in range(UNITS)]
    return {
        "units": units,
        "values": {u["code"]: {c: round(rng.lognormvariate(5, 1.2), 2) for c in codes} for u in units},
        "targets": {u["code"]: {c: round(rng.lognormvariate(5, 0.8), 2) for c in codes} for u in units},
        "target_share": 0.25,
    }


def best_of(runs: int, call) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    rng = random.Random(1)
    shipped = checked(yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))[0])
    six = checked(shipped | {"indicators": [{"code": c, "weight": 1 / 6, "normalize": n} for c, n in SIX]})
    print(f"{UNITS} 个区县；每项取 5 次中最快的一次")
    print(f"{'方案':<16}{'指标':>4}{'排名计算':>10}{'1,000 次抽样':>14}{'10,000 次抽样':>15}")
    for label, scheme in (("预置半年方案", shipped), ("六项指标方案", six)):
        data = inputs_for([item["code"] for item in scheme["indicators"]], rng)
        scoring = best_of(5, lambda: evaluate(scheme, data))  # noqa: B023
        thousand = best_of(5, lambda: simulate(scheme, data, 1000, seed=1))  # noqa: B023
        ten_thousand = best_of(5, lambda: simulate(scheme, data, 10000, seed=1))  # noqa: B023
        print(
            f"{label:<16}{len(scheme['indicators']):>4}{scoring * 1000:>8.1f} ms"
            f"{thousand * 1000:>11.1f} ms{ten_thousand * 1000:>12.1f} ms"
        )


if __name__ == "__main__":
    main()
