"""Fills the quarter rule (migration 0007) of the quarterly reporting rules saved before it.

Until 0007 a quarterly rule kept only a day and month, the annual deadline standing in
for a deadline the plan set relative to the quarter ("trước ngày 20 của tháng cuối
quý"). That wording survives in the text read from the plan when it was imported
(``PlanImport.text`` of the saved import); the extractor's own reading of it,
``extraction.quarter_rule``, fills ``quarter_month`` with ``deadline_day`` or
``days_after_quarter_end``. A rule already carrying either, or whose plan has no imported
text saying one, is left as it is. Backwards it changes nothing: 0007's reverse drops
the fields.
"""

from django.db import migrations


def fill(apps, schema_editor):
    from htxnu.plans.extraction import quarter_rule

    ReportingRule = apps.get_model("plans", "ReportingRule")
    PlanImport = apps.get_model("plans", "PlanImport")
    rules = ReportingRule.objects.filter(period="quarterly", quarter_month__isnull=True,
                                         days_after_quarter_end__isnull=True)
    for rule in rules.iterator():
        texts = PlanImport.objects.filter(plan_id=rule.plan_id, status="saved").exclude(text="") \
            .order_by("-created_at").values_list("text", flat=True)
        found = next((q for q in map(quarter_rule, texts) if q), None)
        if found is None:
            continue
        if "days_after_end" in found:
            rule.days_after_quarter_end, rule.deadline_day = found["days_after_end"], None
        else:
            rule.quarter_month, rule.deadline_day = found["month_of_quarter"], found["day"]
        rule.deadline_month = None
        rule.save(update_fields=["quarter_month", "days_after_quarter_end", "deadline_day", "deadline_month"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_reporting_rule_quarter")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
