from django.contrib import admin

from htxnu.core.admin import AuditedModelAdmin

from .models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    """The catalogue: an operator adds an indicator here without a code change. Its actual
    value is taken from reports until code computes it (htxnu.plans.indicators)."""

    list_display = ["code", "label_vi", "unit_vi", "kind", "source", "additive", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["kind", "source", "is_active"]
    search_fields = ["code", "label_vi", "label_en"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are what plans, reports and imports refer to.
        return ["code"] if obj is not None else []
