"""The facts count the seats of management women hold (the base of the activities'
managers' shares), and the table is recomputed for the records already there.

It runs the registry's facts module (the rules are written once, there) rather than a
frozen copy: on an empty database it does nothing; if a later migration changes the
fields the facts read or write, it fills the table in its turn and this one should do
nothing, as 0007 now does. `manage.py rebuild_facts` does the same by hand."""

from django.db import migrations, models


def fill(apps, schema_editor):
    if not apps.get_model("registry", "Collective").objects.exists():
        return
    from htxnu.registry import facts

    facts.rebuild()


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_fill_collective_facts")]

    operations = [
        migrations.AddField(model_name="collectivefact", name="women_managers",
                            field=models.PositiveIntegerField(default=0)),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
