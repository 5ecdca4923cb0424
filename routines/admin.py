from django.contrib import admin

from routines.models import Area, Point, Routine, RoutineStep


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "owner", "default_hold_seconds", "evidence_level", "snomed_code"]
    list_filter = ["area", "evidence_level", "map_view"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["also_listed_in"]
    prepopulated_fields = {"slug": ["name"]}


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    extra = 0
    ordering = ["position"]


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "archived", "updated_at"]
    list_filter = ["archived"]
    search_fields = ["name"]
    inlines = [RoutineStepInline]
