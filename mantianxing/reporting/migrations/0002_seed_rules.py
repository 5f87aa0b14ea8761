"""Loads the initial validation rules from reporting/data/rules.json; the admin tunes them later."""

import json
from pathlib import Path

from django.db import migrations


def load(apps, schema_editor):
    Rule = apps.get_model("reporting", "ValidationRule")
    data = json.loads((Path(__file__).parents[1] / "data" / "rules.json").read_text(encoding="utf-8"))
    for position, rule in enumerate(data["rules"], start=1):
        # Only new codes: a rule the city office has already tuned keeps its tuning.
        Rule.objects.get_or_create(
            code=rule["code"],
            defaults={
                "name": rule["name"],
                "severity": rule["severity"],
                "kind": rule["kind"],
                "field": rule["field"],
                "params": rule["params"],
                "message": rule["message"],
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
