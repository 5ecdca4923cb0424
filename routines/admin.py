from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from routines.models import Area, Point, Routine, RoutineStep


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region", "order"]
    prepopulated_fields = {"slug": ["name"]}


class BuiltinFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request: HttpRequest, model_admin: "admin.ModelAdmin[Any]") -> list[tuple[str, str]]:
        return [("builtin", "Built-in catalogue"), ("custom", "Users' own")]

    # Points and routines share this filter (both have an owner): Django's own signature takes any queryset.
    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "builtin":
            return queryset.filter(owner__isnull=True)
        if self.value() == "custom":
            return queryset.filter(owner__isnull=False)
        return queryset


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "owner", "default_hold_seconds", "evidence_level", "snomed_code"]
    list_filter = [BuiltinFilter, "area", "evidence_level", "map_view"]
    list_select_related = ["area", "owner"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["also_listed_in"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["owner", "name", "slug", "area", "also_listed_in", "order"]}),
        ("How to", {"fields": ["location", "how_to_find", "technique", "tool", "default_hold_seconds"]}),
        (
            "Safety and evidence",
            {"fields": ["pressure_guidance", "contraindications", "referral_note", "evidence_level", "evidence_note"]},
        ),
        ("Body map and codes", {"fields": ["map_view", "map_x", "map_y", "snomed_code", "snomed_display"]}),
    ]


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    extra = 0
    ordering = ["position"]
    autocomplete_fields = ["point"]


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "archived", "updated_at"]
    list_filter = [BuiltinFilter, "archived"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    inlines = [RoutineStepInline]

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list[BaseInlineFormSet], change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.renumber()  # steps deleted or re-positioned in the admin close up to 1..n
