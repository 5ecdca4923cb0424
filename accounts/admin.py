from django.contrib import admin

from accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone", "default_hold_seconds", "safety_acknowledged_at"]
    search_fields = ["user__username"]
