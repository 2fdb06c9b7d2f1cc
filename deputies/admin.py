from django.contrib import admin

from deputies.models import CongressSession, Deputy, DeputyGroup, Seat, SessionAttendance


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["level", "congress", "term", "constituency", "status", "started_on", "ended_on", "end_reason"]


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "term", "township", "group", "status"]
    list_filter = ["level", "status", "township", "group"]
    search_fields = ["name", "search_keys", "phone"]
    list_select_related = ["township", "group"]
    raw_id_fields = ["user"]
    inlines = [SeatInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeputyGroup)
class DeputyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "township", "leader"]
    list_filter = ["kind", "township"]
    raw_id_fields = ["leader"]


@admin.register(CongressSession)
class CongressSessionAdmin(admin.ModelAdmin):
    list_display = ["name", "congress", "term", "number", "start_date", "end_date"]
    list_filter = ["congress"]
    list_select_related = ["congress"]


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "deputy", "status", "note", "recorded_by", "recorded_at"]
    list_filter = ["session", "status"]
    search_fields = ["deputy__name", "deputy__search_keys"]
    list_select_related = ["session", "deputy", "recorded_by"]
    raw_id_fields = ["deputy", "recorded_by"]
