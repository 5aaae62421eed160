"""Filled the facts table for the records already there. The filling moved to 0008 (which
adds a column the facts module writes): this one runs the module as it is today, whose
rows 0006's table could not hold. The rules are run, not frozen into a migration: see
0008."""

from django.db import migrations


def fill(apps, schema_editor):
    """Nothing: 0008 fills the table."""


def empty(apps, schema_editor):
    apps.get_model("registry", "CollectiveFact").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_collective_facts")]

    operations = [migrations.RunPython(fill, empty)]
