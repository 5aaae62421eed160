from django import template

register = template.Library()


@register.inclusion_tag("reporting/partials/todo.html", takes_context=True)
def report_todo(context, unit):
    """The unit's reports to write, to correct and (for an approver) to review (home page)."""
    from ..selectors import todo

    return {"todo": todo(context["request"].user, unit), "unit": unit}
