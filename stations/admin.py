from django.contrib import admin

from stations.models import (
    Activity,
    ActivitySignup,
    Category,
    DutyAssignment,
    DutyRule,
    DutyShift,
    Holiday,
    LearningMaterial,
    Reception,
    Station,
    StationMembership,
    SwapRequest,
    Unavailability,
    Visit,
)


class MembershipInline(admin.TabularInline):
    model = StationMembership
    raw_id_fields = ["deputy"]
    extra = 0


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "mode", "township", "manager", "code", "is_active"]
    list_filter = ["kind", "mode", "is_active", "township"]
    search_fields = ["name", "address", "code"]
    list_select_related = ["township", "manager"]
    raw_id_fields = ["named_after", "manager"]
    readonly_fields = ["code"]
    inlines = [MembershipInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(DutyRule)
class DutyRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "days", "week", "weekday", "deputies_per_shift", "holiday_policy", "is_default"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind", "region"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["deputy", "start", "end", "reason"]
    raw_id_fields = ["deputy"]


class AssignmentInline(admin.TabularInline):
    model = DutyAssignment
    raw_id_fields = ["deputy", "swapped_from", "visit"]
    extra = 0


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["date", "station", "start_time", "end_time", "moved_from"]
    list_filter = ["station__township"]
    date_hierarchy = "date"
    raw_id_fields = ["station"]
    list_select_related = ["station"]
    inlines = [AssignmentInline]


@admin.register(SwapRequest)
class SwapRequestAdmin(admin.ModelAdmin):
    list_display = ["requested_by", "assignment", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["assignment", "requested_by", "proposed", "decided_by"]


class ReceptionInline(admin.StackedInline):
    model = Reception
    extra = 0


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["date", "deputy", "station", "start_time", "end_time"]
    date_hierarchy = "date"
    raw_id_fields = ["deputy", "station", "recorded_by"]
    list_select_related = ["deputy", "station"]
    inlines = [ReceptionInline]


class SignupInline(admin.TabularInline):
    model = ActivitySignup
    raw_id_fields = ["deputy"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "station", "capacity", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["station", "organizer"]
    inlines = [SignupInline]


@admin.register(LearningMaterial)
class LearningMaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "published_by"]
    raw_id_fields = ["published_by"]
