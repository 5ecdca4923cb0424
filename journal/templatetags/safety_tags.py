"""The red-flag lists and the care numbers for the safety templates (one source: journal.redflags, accounts.care)."""

from django import template
from django.contrib.auth.models import AnonymousUser, User

from accounts.care import CareNumbers, CareRegion, care_for
from journal.redflags import EMERGENCY_ITEMS, TODAY_ITEMS

register = template.Library()


@register.simple_tag
def red_flag_labels(tier: str) -> list[str]:
    """The words of the warning signs of `tier` ("emergency" or "today"), in the order the check asks them."""
    return [item.label for item in (EMERGENCY_ITEMS if tier == "emergency" else TODAY_ITEMS)]


@register.simple_tag(takes_context=True)
def care_numbers(context: template.Context) -> CareNumbers:
    """The signed-in person's emergency and urgent numbers; anyone else gets no country's numbers."""
    user: User | AnonymousUser | None = context.get("user")
    if user is not None and user.is_authenticated:
        return user.profile.care
    return care_for(CareRegion.OTHER)
