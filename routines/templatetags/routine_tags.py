from django import template

register = template.Library()


@register.filter
def duration_text(seconds: int | None) -> str:
    """An estimate in words: "about 12 minutes", "about 1 minute", "under a minute"."""
    seconds = int(seconds or 0)
    if seconds < 60:
        return "under a minute" if seconds else "no time yet"
    minutes = (seconds + 30) // 60
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


@register.simple_tag
def pressure_message() -> str:
    """The one message about pressure, as the catalogue, the runner and the safety page say it."""
    from routines.catalogue import WORDING  # the catalogue's wording lives in its data migration

    pressure: str = WORDING.PRESSURE  # a migration module, imported by name: untyped
    return pressure


@register.simple_tag
def keep_active_message() -> str:
    """Where sessions start: what guidelines say about hands-on soft-tissue work (NICE NG59)."""
    return KEEP_ACTIVE


KEEP_ACTIVE = (
    "Guidelines for sciatica support hands-on soft-tissue work only alongside exercise, not on its own. Keep "
    "active: walking and your usual activities, as far as pain allows, help more than rest."
)
