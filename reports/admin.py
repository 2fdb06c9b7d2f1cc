from django.contrib import admin

from reports.models import Award, GeneratedReport


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "deputy", "station", "suggestion", "unit", "awarded_by", "awarded_at"]
    list_filter = ["year", "kind"]
    raw_id_fields = ["deputy", "station", "suggestion", "unit", "awarded_by"]


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "status", "progress", "requested_by", "created_at", "finished_at"]
    list_filter = ["year", "status"]
    readonly_fields = [f.name for f in GeneratedReport._meta.fields]

    def has_add_permission(self, request):
        return False
