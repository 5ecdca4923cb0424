"""The one way the app writes a date for people to read: "Mon 30 Nov 2026" (DAY_FORMAT), with a time "Mon 30 Nov
2026, 14:05" (DAY_TIME_FORMAT). Exports (CSV, FHIR, JSON) keep ISO 8601 dates; these filters are for pages.

Aware datetimes are shown in the current time zone (the user's, set per request), as Django's `date` filter does.
"""

from datetime import date, datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

register = template.Library()

DAY_FORMAT = "D j M Y"
DAY_TIME_FORMAT = "D j M Y, H:i"


@register.filter(expects_localtime=True)
def day(value: date | datetime | None) -> str:
    """ "Mon 30 Nov 2026"; "" for None."""
    return date_filter(value, DAY_FORMAT) if value else ""


@register.filter(expects_localtime=True)
def day_time(value: datetime | None) -> str:
    """ "Mon 30 Nov 2026, 14:05" in the current time zone; "" for None."""
    return date_filter(timezone.localtime(value), DAY_TIME_FORMAT) if value else ""
