from django import template

register = template.Library()


@register.inclusion_tag("plans/partials/todo_problems.html", takes_context=True)
def plan_problems(context, unit, limit: int = 5):
    """The problems found in the unit's own plans (home page); all of them on plans:problems."""
    from ..checks import problems_for
    from ..models import Plan

    plans = list(Plan.objects.visible_to(context["request"].user).filter(unit=unit)[:50])
    found = problems_for(plans) if plans else {}
    problems = [problem for plan in plans for problem in found.get(plan.pk, [])]
    return {"problems": problems[:limit], "more": max(0, len(problems) - limit)}
