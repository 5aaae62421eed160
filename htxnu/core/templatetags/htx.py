from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def field(form, name):
    """{{ form|field:"title" }}: a bound field by name, for templates that lay fields out by hand."""
    return form[name]


@register.filter
def vnd(value):
    """Money in đồng with Vietnamese grouping: 1.250.000."""
    if value in (None, ""):
        return "—"
    return number_format(Decimal(value).quantize(Decimal(1)), decimal_pos=0, force_grouping=True)


@register.filter
def pct(value):
    """A share in percent with at most one decimal: 66,7%."""
    if value is None:
        return "—"
    return f"{number_format(Decimal(value), decimal_pos=1 if Decimal(value) % 1 else 0)}%"
