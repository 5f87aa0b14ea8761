"""Loads the GB/T 4754-2017 classes of divisions 63–65 and the focus domains (see the file's source)."""

from django.db import migrations


def load(apps, schema_editor):
    from mantianxing.enterprises.reference import load_reference

    load_reference(apps.get_model("enterprises", "IndustryClass"), apps.get_model("enterprises", "FocusDomain"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_focusdomain_enterprise_batch_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
