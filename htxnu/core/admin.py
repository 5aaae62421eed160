from django.contrib import admin

from . import audit
from .models import AuditEntry


class AuditedModelAdmin(admin.ModelAdmin):
    """Operators' edits through /admin/ are audited like every other change."""

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            audit.log_update(request.user, obj, before, note="admin")
        else:
            audit.log_create(request.user, obj, note="admin")

    def delete_model(self, request, obj):
        audit.log_delete(request.user, obj, note="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.log_delete(request.user, obj, note="admin")
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
