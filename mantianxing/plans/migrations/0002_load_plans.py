"""Loads both plans' windows from plans/data/plans.json."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations


def load(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    data = json.loads((Path(__file__).parents[1] / "data" / "plans.json").read_text(encoding="utf-8"))
    for plan in data["plans"]:
        Plan.objects.update_or_create(
            code=plan["code"],
            defaults={
                "name": plan["name"],
                "document": plan["document"],
                "starts_on": date.fromisoformat(plan["starts_on"]),
                "ends_on": date.fromisoformat(plan["ends_on"]),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
