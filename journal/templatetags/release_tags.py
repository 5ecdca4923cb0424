"""Figures over a list of releases for the templates that show one (the session page, the runner's logged list)."""

from collections.abc import Iterable

from django import template

from journal.models import Release, count_adverse

register = template.Library()


@register.filter
def adverse_count(releases: Iterable[Release]) -> int:
    """How many of `releases` are adverse responses (`count_adverse`)."""
    return count_adverse(releases)
