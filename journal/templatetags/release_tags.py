"""Figures over a list of releases for the templates that show one (the session page, the runner's logged list,
the report's every release), and their notes cut for a report."""

from collections.abc import Iterable

from django import template

from journal.lib.text import cut
from journal.models import Release, count_adverse

register = template.Library()


@register.filter
def adverse_count(releases: Iterable[Release]) -> int:
    """How many of `releases` are adverse responses (`count_adverse`)."""
    return count_adverse(releases)


@register.filter
def cut_text(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with "…", never inside a character (journal.lib.text.cut)."""
    return cut(text or "", int(limit))
