"""Form widgets every app shares."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _


class DateInput(forms.TextInput):
    """dd/mm/yyyy as officers write it; a text field, so every phone shows the same. Beside
    it a calendar button (shown by static/js/app.js, so never without script) opens the
    browser's own date picker on a hidden native date input, and the day picked is written
    back as dd/mm/yyyy: no library, nothing from a CDN, no inline script."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                          "class": "date-text", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return format_html(
            '<span class="date-field">{}<input type="date" class="date-native" tabindex="-1" aria-hidden="true">'
            '<button type="button" class="date-button secondary" hidden aria-label="{}" title="{}">📅</button></span>',
            field, _("Choose a date"), _("Choose a date"))

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        return super().format_value(value)
