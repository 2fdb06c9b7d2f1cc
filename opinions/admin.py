from django.contrib import admin

from opinions.models import Opinion, TimelineEntry


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "step", "from_state", "to_state", "actor_name", "unit", "note", "public_text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    """Read-only here: every change is a step with its rules, taken on the portal's pages."""

    list_display = ["tracking_code", "station", "category", "state", "source", "created_at", "due_at"]
    list_filter = ["state", "source", "category", "station__township"]
    search_fields = ["tracking_code"]
    list_select_related = ["station", "category"]
    inlines = [TimelineInline]
    exclude = ["name", "phone"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("name", "phone")]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
