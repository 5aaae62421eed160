from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from htxnu.core.templatetags.htx import number_text
from htxnu.dashboard import progress

register = template.Library()


@register.filter
def num(value, indicator=None):
    """A figure as the indicator counts it: 1.234, or 66,7% for a percentage."""
    percent = bool(getattr(indicator, "is_percent", indicator is True))
    return number_text(value, percent)


@register.filter
def status_label(status: str) -> str:
    return {progress.ON_TRACK: _("on track"), progress.AT_RISK: _("at risk"),
            progress.BEHIND: _("behind")}.get(status, _("no target"))


@register.filter
def tenth(value):
    return value.quantize(Decimal("0.1")) if isinstance(value, Decimal) else value


