from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from htxnu.core import idempotency

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


def number_text(value, percent: bool = False) -> str:
    """A figure as reports and charts write it, in the active language: 1.234, 12,5, 66,7%
    (at most one decimal); "—" for none."""
    if value is None:
        return "—"
    # Rounded half up, not cut: Django's number_format drops the digits past decimal_pos,
    # which wrote 1/34 as 2,9% only by luck and 0,96 as 0,9.
    value = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = number_format(value, decimal_pos=1 if value % 1 else 0, force_grouping=True)
    return f"{text}%" if percent else text


@register.filter
def pct(value):
    """A share in percent with at most one decimal: 66,7%."""
    return number_text(value, percent=True)


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }}: a dict entry by a variable key."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def form_token(context):
    """The one-time token of a create form (core.idempotency): sent twice, it creates once."""
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD,
                       idempotency.form_token(context.get("request")))


@register.simple_tag
def date_field(name: str, value, field_id: str = "", label: str = ""):
    """A dd/mm/yyyy field with its calendar button outside a Django form (list filters, the
    plan-import review), the same as core.widgets.DateInput renders in forms; `label` names
    a field that has no <label> of its own."""
    from htxnu.core.widgets import DateInput

    attrs = {"id": field_id or name, **({"aria-label": label} if label else {})}
    return DateInput().render(name, value, attrs=attrs)
