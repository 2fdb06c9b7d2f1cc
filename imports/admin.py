from django.contrib import admin

from imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "file_name", "created", "updated", "unchanged", "uploaded_by",
                    "applied_at", "undone_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields if f.name not in ("rows", "undo")]
    exclude = ["rows", "undo"]

    def has_add_permission(self, request):
        return False
