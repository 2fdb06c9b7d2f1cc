from django.contrib import admin

from divisions.models import HandlingUnit, Township, Village


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "sort_order"]
    list_editable = ["sort_order"]
    # The tree's own columns (treebeard's path, depth, numchild) are kept by its API, never typed.
    exclude = ["path", "depth", "numchild"]
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "township"]
    list_filter = ["township", "kind"]
    search_fields = ["name"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "contact_person", "contact_phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name"]
