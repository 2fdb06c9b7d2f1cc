"""Configuration: the category list is edited here. Suggestions are shown read-only: every
change goes through the steps of the loop (services.py), so the timeline stays complete."""

from django.contrib import admin

from suggestions.models import Category, Suggestion, TimelineEntry


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    fields = ["at", "step", "actor", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "state", "lead_deputy", "lead_unit", "deadline", "is_key"]
    list_filter = ["state", "kind", "session", "year", "is_key", "category"]
    search_fields = ["title", "number"]
    list_select_related = ["session", "lead_deputy", "lead_unit"]
    inlines = [TimelineInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
