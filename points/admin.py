from django.contrib import admin

from points.models import GroupSummary, PointRule
from points.services import save_rule


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "event", "points", "yearly_cap", "is_active", "updated_by", "updated_at"]
    list_filter = ["year", "event", "is_active"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        if change:
            save_rule(obj, by=request.user, points=obj.points, yearly_cap=obj.yearly_cap, is_active=obj.is_active)
        else:
            obj.updated_by = request.user
            super().save_model(request, obj, form, change)


@admin.register(GroupSummary)
class GroupSummaryAdmin(admin.ModelAdmin):
    list_display = ["group", "year", "quarter", "recipients", "sent_at"]
    list_filter = ["year", "quarter"]
    readonly_fields = ["group", "year", "quarter", "body", "recipients", "sent_at"]

    def has_add_permission(self, request):
        return False
