"""Fills the facts table for the records already there. It runs the registry's facts
module (the rules are written once, there) rather than a frozen copy: on an empty
database it does nothing; if a later migration changes the fields the facts read, run
`manage.py rebuild_facts` after migrating instead."""

from django.db import migrations


def fill(apps, schema_editor):
    if not apps.get_model("registry", "Collective").objects.exists():
        return
    from htxnu.registry import facts

    facts.rebuild()


def empty(apps, schema_editor):
    apps.get_model("registry", "CollectiveFact").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_collective_facts")]

    operations = [migrations.RunPython(fill, empty)]
