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
