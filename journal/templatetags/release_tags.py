"""Figures over a list of releases for the templates that show one (the session page, the runner's logged list)."""

from collections.abc import Iterable

from django import template

from journal.models import Release

register = template.Library()


@register.filter
def adverse_count(releases: Iterable[Release]) -> int:
    """How many of `releases` are adverse responses (Release.is_adverse: pressure above 7 or stopped because it
    hurt)."""
    return sum(1 for release in releases if release.is_adverse)
