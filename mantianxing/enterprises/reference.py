"""Loads the industry classes and focus domains from `data/industry_classes.json`; idempotent.

Takes the model classes as arguments so that a migration can pass its historical models. A focus
domain is `[code, name, plan codes]`; the plans are linked only when `Plan` is given (migrations
from before `FocusDomain.plans` existed load the rest).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REFERENCE_FILE = Path(__file__).parent / "data" / "industry_classes.json"


def load_reference(IndustryClass: Any, FocusDomain: Any, Plan: Any = None) -> None:
    data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    edition = data["edition"]
    for code, name in data["classes"]:
        division = code[:2]
        IndustryClass.objects.update_or_create(
            edition=edition,
            code=code,
            defaults={"name": name, "division": division, "division_name": data["divisions"][division]},
        )
    for position, (code, name, plans) in enumerate(data["focus_domains"]):
        domain, _created = FocusDomain.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        if Plan is not None:
            domain.plans.set(Plan.objects.filter(code__in=plans))
