"""District targets for the demo: each unit's own trend, stretched or eased, so that some units run
ahead of time progress and some behind. Marked as demo values; the city office sets real ones."""

from __future__ import annotations

import random

from django.db import transaction

from mantianxing.monitoring.compute import recompute
from mantianxing.monitoring.models import Target
from mantianxing.monitoring.progress import default_as_of, progress
from mantianxing.plans.models import Plan

NOTE = "演示数据：按演示台账的趋势设定，非正式分解目标"
# A target between 80% and 140% of where the unit's trend leads: below 100% it will be met.
STRETCH = (0.8, 1.4)


@transaction.atomic
def seed_targets(seed: int) -> int:
    """Give every unit with figures a target for each indicator the city has one for."""
    recompute()
    made = 0
    for plan in Plan.objects.all():
        city_targets = set(
            Target.objects.filter(plan=plan, unit__code="500000").values_list("indicator", flat=True)
        )
        report = progress(plan, default_as_of(plan), indicators=sorted(city_targets))
        for row in report.unit_rows:
            projected = row.projection.value if row.projection else 0
            if projected <= 0 or row.target is not None:
                continue
            draw = random.Random(f"{seed}-{plan.code}-{row.unit.code}-{row.definition.code}")
            value = projected * draw.uniform(*STRETCH)
            rounded = round(value, 4) if row.definition.percent else max(1, round(value))
            Target.objects.create(
                plan=plan, indicator=row.definition.code, unit=row.unit, value=rounded, note=NOTE
            )
            made += 1
    return made
