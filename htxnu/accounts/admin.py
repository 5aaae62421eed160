from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from htxnu.core.admin import AuditedModelAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "category", "unit", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "organisation", "is_officer", "is_approver", "is_unit_admin", "is_active"]
    list_filter = ["is_officer", "is_approver", "is_unit_admin", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    raw_id_fields = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "phone")}),
        (_("Organisation and roles"), {"fields": ("organisation", "is_officer", "is_approver", "is_unit_admin")}),
        (_("Operator"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "organisation", "password1", "password2")}),)
