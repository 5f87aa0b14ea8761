"""Loads the reference geography from geo/data/divisions.json (see its `source` and `as_of`)."""

from django.db import migrations


def load(apps, schema_editor):
    from mantianxing.geo.reference import GeoModels, load_divisions

    load_divisions(GeoModels.from_apps(apps))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
