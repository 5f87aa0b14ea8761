"""A small world for bulletin tests: two units with firms and targets, reports, a disputed origin and
evaluation runs (published and not) written as the evaluation app stores them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine

from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.choices import Origin
from mantianxing.enterprises.models import Enterprise
from mantianxing.evaluation.models import Run, Scheme
from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.models import Target
from mantianxing.monitoring.tests.factories import World
from mantianxing.plans.models import Plan
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.deadlines import default_deadline
from mantianxing.reporting.models import MonthlyReport

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
JUNE = date(2026, 6, 1)

SCHEME_BODY = {
    "name": "测试评价方案",
    "period": "half",
    "units": ["500103", "500108"],
    "indicators": [
        {"code": "new_enterprises", "weight": 60, "normalize": "max"},
        {"code": "carrier_area_in_use", "weight": 40, "normalize": "max"},
    ],
    "rewards": {"tiers": [30_000_000, 20_000_000], "cap_per_unit": 30_000_000, "budget": 100_000_000},
}
TIERS = [
    {"label": "第1名", "amount": 30_000_000.0},
    {"label": "第2名", "amount": 20_000_000.0},
    {"label": "无奖励", "amount": 0.0},
]


def result_row(unit: str, name: str, rank: int, score: float, reward: float) -> dict[str, Any]:
    return {
        "unit": unit,
        "unit_name": name,
        "values": {"new_enterprises": 2.0, "carrier_area_in_use": 200.0},
        "normalized": {"new_enterprises": 100.0, "carrier_area_in_use": 100.0},
        "terms": {"new_enterprises": 60.0, "carrier_area_in_use": 40.0},
        "score": score,
        "rank": rank,
        "reward": reward,
        "reward_steps": {},
    }


def robustness_row(unit: str, name: str, rank: int, p5: int, p95: int, odds: list[float]) -> dict[str, Any]:
    return {
        "unit": unit,
        "unit_name": name,
        "rank": rank,
        "rank_p5": p5,
        "rank_p50": rank,
        "rank_p95": p95,
        "tier_probability": odds,
    }


def make_run(
    scheme: Scheme,
    period: str,
    first: date,
    last: date,
    result: list[dict[str, Any]],
    *,
    published: datetime | None,
    robustness: dict[str, Any] | None = None,
) -> Run:
    run = Run.objects.create(
        period=period,
        period_first=first,
        period_last=last,
        plan=Plan.objects.get(code="2025"),
        scheme=scheme,
        scheme_name=scheme.name,
        scheme_body=SCHEME_BODY,
        scheme_sha256="5c" * 32,
        inputs={},
        inputs_sha256="1n" * 32,
        sha256="ab" * 32,
        result=result,
        draws=1000 if robustness else 0,
        seed=1,
        method={},
        robustness=robustness,
    )
    if published is not None:
        # As `evaluation.services.publish` does: the run of this scheme and period published before gives way.
        Run.objects.current().filter(scheme_name=scheme.name, period=period).update(superseded_by=run)
        run.published_at = published
        run.save(update_fields=["published_at"])
    return run


@time_machine.travel(NOW, tick=False)
class BulletinTestCase(PersonaTestCase):
    """The personas, plus: in the 2025 plan 渝中 is ahead on new enterprises (2 of 4) and 南岸 behind
    (1 of 10); for June 2026 渝中 reported late and 南岸 not at all; one 南岸 firm's claimed origin is
    disputed; the published 2026H1 run ranks 渝中 first, a newer draft ranks 南岸 first."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        w = World()
        w.firm(date(2026, 2, 1), [(date(2026, 2, 1), w.tower_yz)], area="150")
        w.firm(date(2026, 3, 1), [(date(2026, 3, 1), w.tower_yz)])
        disputed = w.firm(date(2026, 4, 1), [(date(2026, 4, 1), w.tower_na)], division="500108", unit=w.nanan)
        Enterprise.objects.filter(pk=disputed.pk).update(claimed_origin=Origin.INTRODUCED)
        w.compute()
        plan = Plan.objects.get(code="2025")
        for unit, value in ((cls.yuzhong, 4), (cls.nanan, 10)):
            Target.objects.create(plan=plan, indicator=Indicator.NEW_ENTERPRISES, unit=unit, value=value)
        MonthlyReport.objects.create(
            unit=cls.yuzhong,
            month=JUNE,
            deadline=default_deadline(JUNE),
            status=ReportStatus.APPROVED,
            first_submitted_at=datetime(2026, 7, 8, 10, tzinfo=SHANGHAI),
            submitted_at=datetime(2026, 7, 8, 10, tzinfo=SHANGHAI),
        )
        cls.scheme = Scheme.objects.create(name="测试评价方案", version=1, body=SCHEME_BODY, sha256="5c" * 32)
        cls.published = make_run(
            cls.scheme,
            "2026H1",
            date(2026, 1, 1),
            JUNE,
            [
                result_row("500103", "渝中区", 1, 88.5, 30_000_000),
                result_row("500108", "南岸区", 2, 61.25, 20_000_000),
            ],
            published=datetime(2026, 7, 20, 9, tzinfo=SHANGHAI),
            robustness={
                "draws": 1000,
                "seed": 7,
                "weight_sigma": 0.2,
                "normalizations": ["scheme", "minmax"],
                "tiers": TIERS,
                "units": [
                    robustness_row("500103", "渝中区", 1, 1, 2, [0.81, 0.19, 0.0]),
                    robustness_row("500108", "南岸区", 2, 1, 2, [0.19, 0.81, 0.0]),
                ],
                "seconds": 0.1,
            },
        )
        cls.draft = make_run(
            cls.scheme,
            "2026H1",
            date(2026, 1, 1),
            JUNE,
            [
                result_row("500108", "南岸区", 1, 99.75, 30_000_000),
                result_row("500103", "渝中区", 2, 12.5, 20_000_000),
            ],
            published=None,
        )

    def setUp(self) -> None:
        super().setUp()
        # Charts at a low resolution: the tests read the document, not the pixels.
        patcher = mock.patch("mantianxing.bulletins.charts.DPI", 40)
        patcher.start()
        self.addCleanup(patcher.stop)
