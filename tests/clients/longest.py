"""A log with the longest value every user field allows, and no space in it to break at: the worst case for
wrapping in the PDF and on the share page."""

from datetime import UTC, datetime, timedelta

from accounts.models import REPORT_QUESTIONS_MAX_LENGTH, Profile
from journal.models import NOTES_MAX_LENGTH, Release, SafetyAnswer, Session, SessionStatus, ShareLink
from routines.models import Point, Routine
from tests.factories import make_point, make_release, make_routine, make_session


def unbroken(model, field: str, fill: str = "W") -> str:
    """As many of `fill` (W: about the widest glyph) as `model.field` allows."""
    length = model._meta.get_field(field).max_length or NOTES_MAX_LENGTH
    return fill * length


def make_longest_log(user, sessions: int = 3, start: datetime | None = None) -> list[Session]:
    start = start or datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    # The report's own fields, printed on page one.
    Profile.objects.filter(user=user).update(
        report_name=unbroken(Profile, "report_name"), report_questions="Q" * REPORT_QUESTIONS_MAX_LENGTH
    )
    point = make_point(owner=user, name=unbroken(Point, "name", "M"))
    routine = make_routine(owner=user, name=unbroken(Routine, "name"))
    made = []
    for day in range(sessions):
        began = start + timedelta(days=day)
        session = make_session(
            user,
            routine,
            started_at=began,
            finished_at=began + timedelta(minutes=20),
            status=SessionStatus.STOPPED if day == 0 else SessionStatus.COMPLETED,
            safety_check=SafetyAnswer.YES if day == 0 else SafetyAnswer.NO,
            routine_name=unbroken(Session, "routine_name"),
            pain_before=7,
            pain_after=5,
            notes=unbroken(Session, "notes", "W" if day % 2 else "0"),
        )
        for position in (1, 2):
            make_release(
                session,
                position,
                point=point,
                point_name=unbroken(Release, "point_name", "M"),
                notes=unbroken(Release, "notes", "W"),
            )
        made.append(session)
    return made


LONGEST_LABEL = unbroken(ShareLink, "label")
