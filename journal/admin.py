from django.contrib import admin

from journal.models import Release, Reminder, Session, ShareLink


class ReleaseInline(admin.TabularInline):
    model = Release
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["user", "routine_name", "local_date", "status", "pain_before", "pain_after"]
    list_filter = ["status", "safety_check"]
    date_hierarchy = "started_at"
    inlines = [ReleaseInline]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "expires_at", "revoked_at", "times_opened"]
    readonly_fields = ["token_hash"]


admin.site.register(Reminder)
