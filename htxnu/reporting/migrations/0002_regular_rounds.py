"""The regular report rounds of the Đề án, 2023–2030: each quarter, the first 6 months
and the year, plus the mid-term (2025) and final (2030) reviews, with the data cut-offs
of Decree 09/2019/NĐ-CP (htxnu/reporting/periods.py). Nobody has to type them. Running
it again adds only the missing ones; reversing it removes the rounds no report uses."""

from django.db import migrations

from htxnu.reporting.periods import regular_rounds


def load(apps, schema_editor):
    Round = apps.get_model("reporting", "Round")
    existing = set(Round.objects.filter(requested_by__isnull=True).values_list("kind", "year", "number"))
    Round.objects.bulk_create([
        Round(**row) for row in regular_rounds() if (row["kind"], row["year"], row["number"]) not in existing
    ])


def unload(apps, schema_editor):
    Round = apps.get_model("reporting", "Round")
    Round.objects.filter(requested_by__isnull=True, reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
