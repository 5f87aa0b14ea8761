"""Loads both plans' city targets from monitoring/data/targets.json (DOMAIN §3)."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

CITY_CODE = "500000"


def load(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Target = apps.get_model("monitoring", "Target")
    Unit = apps.get_model("geo", "Unit")
    data = json.loads((Path(__file__).parents[1] / "data" / "targets.json").read_text(encoding="utf-8"))
    city = Unit.objects.get(code=CITY_CODE)
    for target in data["targets"]:
        Target.objects.update_or_create(
            plan=Plan.objects.get(code=target["plan"]),
            indicator=target["indicator"],
            unit=city,
            defaults={"value": Decimal(str(target["value"])), "note": target["note"]},
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("plans", "0002_load_plans"), ("geo", "0002_load_divisions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
