from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "role", "region", "handling_unit", "is_active"]
    list_filter = ["role", "is_active", "region", "handling_unit"]
    search_fields = ["username", "name", "phone"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("连心"), {"fields": ["role", "name", "phone", "region", "handling_unit"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("连心"), {"fields": ["role", "name", "region", "handling_unit"]}),
    )
