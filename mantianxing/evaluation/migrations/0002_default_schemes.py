"""Loads the shipped evaluation schemes (evaluation/data/default_schemes.yaml), marked as assumptions."""

from pathlib import Path

import yaml
from django.db import migrations

from mantianxing.evaluation.schemes import checked, digest


def load(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "Scheme")
    text = (Path(__file__).parents[1] / "data" / "default_schemes.yaml").read_text(encoding="utf-8")
    for data in yaml.safe_load(text):
        body = checked(data)
        if not Scheme.objects.filter(name=body["name"]).exists():
            Scheme.objects.create(name=body["name"], version=1, body=body, sha256=digest(body), assumption=True)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
