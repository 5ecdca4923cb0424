"""Property-based input tests: whatever arrives in a form (text, numbers, unicode, control characters, huge strings,
missing fields), no view answers 500 and no invalid row is stored.

Each form is one `FormCase` in `FORMS`. To add a form from another feature:

    FormCase(
        "release log",
        url=lambda owner: reverse("journal:release_log", args=[make_session(owner).pk]),
        fields={"pressure": st.integers(0, 10).map(str), "notes": st.text(max_size=50)},
        models=[Release],
        check=check_release_log,      # optional: what a success or a refusal must have done
    )

`fields` holds a strategy of plausible values per field; every field is also tried with hostile values and left out
at random. After each request every row of `models` must pass `full_clean()` (so a length, range, choice or
time-zone rule that the form forgot shows up here), then `check(owner, data, response, before)` runs. Each example
runs in a transaction that is rolled back, so examples never see each other's rows.
"""

import json
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from tests.factories import PASSWORD

User = get_user_model()
TIME_ZONES = sorted(zoneinfo.available_timezones())

HOSTILE = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["\x00", "a\x00b", " ", "\u202e", "🙂" * 50, "<script>", "' OR 1=1 --", "-1", "1e9", "NaN"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just("x" * 100_000),
)


def value(plausible: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(plausible, HOSTILE)


@dataclass(frozen=True)
class FormCase:
    name: str
    url: str | Callable[..., str]
    fields: dict[str, st.SearchStrategy]
    models: list = field(default_factory=list)
    signed_in: bool = True
    check: Callable | None = None
    statuses: frozenset[int] = frozenset({200, 302, 422})

    def path(self, owner) -> str:
        return self.url(owner) if callable(self.url) else self.url

    def data(self) -> st.SearchStrategy:
        """Half plausible forms (so successes happen), half any mix of plausible, hostile and missing fields."""
        return st.one_of(
            st.fixed_dictionaries(self.fields),
            st.fixed_dictionaries({}, optional={name: value(s) for name, s in self.fields.items()}),
        )


# Checks: what a success or a refusal must have left behind ------------------------------------------------------


def snapshot(owner, models=()) -> dict:
    return {
        "users": User.objects.count(),
        "profile": Profile.objects.filter(user=owner).values().first(),
        "rows": {model._meta.label: list(model.objects.order_by("pk").values()) for model in models},
    }


def rows(models) -> dict:
    return snapshot(None, models)["rows"]


def refusal_changes_nothing(models) -> Callable:
    """A refused form (400, 413 or 422) leaves every row of `models` exactly as it was."""

    def check(owner, data, response, before) -> None:
        if response.status_code in (400, 413, 422):
            assert rows(models) == before["rows"], "a refused form changed stored rows"

    return check


def both(*checks: Callable) -> Callable:
    def check(owner, data, response, before) -> None:
        for one in checks:
            one(owner, data, response, before)

    return check


def check_signup(owner, data, response, before) -> None:
    if response.status_code == 302:
        user = User.objects.get(username=data["username"])
        assert User.objects.count() == before["users"] + 1
        assert user.check_password(data["password1"]) and data["password1"] == data["password2"]
        assert user.profile.time_zone == data["time_zone"]
        assert User.objects.filter(username__iexact=data["username"]).count() == 1
    else:
        assert User.objects.count() == before["users"]


def check_settings(owner, data, response, before) -> None:
    after = Profile.objects.filter(user=owner).values().first()
    if response.status_code == 422:
        assert after == before["profile"], "a refused settings form changed the profile"
    elif after != before["profile"]:  # saved: exactly what was sent (an empty POST renders the form unsaved)
        assert after["time_zone"] == data["time_zone"]
        assert after["default_hold_seconds"] == int(data["default_hold_seconds"])
        assert after["lead_in_seconds"] == int(data["lead_in_seconds"])


def check_delete(owner, data, response, before) -> None:
    gone = not User.objects.filter(pk=owner.pk).exists()
    assert gone == (data.get("password") == PASSWORD)
    assert gone == (response.status_code == 302)
    assert User.objects.count() == before["users"] - gone


def check_login(owner, data, response, before) -> None:
    right = data.get("username") == owner.username and data.get("password") == PASSWORD
    assert (response.status_code == 302) == right
    assert User.objects.count() == before["users"]


FORMS: list[FormCase] = [
    FormCase(
        "sign up",
        "/accounts/signup/",
        fields={
            "username": st.from_regex(r"[A-Za-z0-9_@+.-]{1,20}", fullmatch=True) | st.just("owner"),
            "email": st.emails(),
            "time_zone": st.sampled_from(TIME_ZONES),
            "password1": st.just("a-long-and-unusual-passphrase"),
            "password2": st.just("a-long-and-unusual-passphrase"),
        },
        models=[User, Profile],
        signed_in=False,
        check=check_signup,
    ),
    FormCase(
        "settings",
        "/accounts/settings/",
        fields={
            "time_zone": st.sampled_from(TIME_ZONES),
            "default_hold_seconds": st.integers(0, 300).map(str),
            "lead_in_seconds": st.integers(-5, 40).map(str),
            "sound_on": st.sampled_from(["on", "true", "1", "false", ""]),
        },
        models=[Profile],
        check=check_settings,
    ),
    FormCase(
        "delete account",
        "/accounts/delete/",
        fields={"password": st.sampled_from([PASSWORD, PASSWORD.upper(), PASSWORD + " "])},
        models=[User, Profile],
        check=check_delete,
    ),
    FormCase(
        "log in",
        "/accounts/login/",
        fields={"username": st.sampled_from(["owner", "OWNER", "nobody"]), "password": st.just(PASSWORD)},
        models=[User, AccessAttempt],
        signed_in=False,
        check=check_login,
    ),
]


# The journal and the routine builder ----------------------------------------------------------------------------

PAIN = st.integers(-1, 11).map(str)
YES_NO = st.sampled_from(["yes", "no", "", "maybe"])
SIDES = st.sampled_from(["left", "right", "both", ""])
NOTES = st.text(max_size=60) | st.just("n" * 2001)
DATETIME = st.datetimes(
    min_value=datetime(1999, 1, 1),
    max_value=datetime(2031, 1, 1),  # a form's naive local input
).map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))
JOURNAL_STATUSES = frozenset({200, 201, 204, 302, 400, 422})


def _open_session(owner, checked: bool = True):
    from journal.models import Session
    from tests.factories import make_routine

    owner.profile.acknowledge_safety()
    session = Session.objects.start(owner, make_routine(owner=owner, steps=2, hold_seconds=30))
    if checked:
        session.answer_safety_check([], pain_before=5)
    return session


def _run_url(name: str, checked: bool = True) -> Callable[..., str]:
    return lambda owner: reverse(name, args=[_open_session(owner, checked).pk])


def _done_session(owner):
    from tests.factories import make_log

    return make_log(owner, days=1)[0]


def _release_edit_url(owner) -> str:
    session = _done_session(owner)
    return reverse("journal:release_edit", args=[session.pk, session.releases.first().pk])


def _own_routine(owner):
    from tests.factories import make_routine

    return make_routine(owner=owner, steps=1)


def _acknowledged(path: str) -> Callable[..., str]:
    def url(owner) -> str:
        owner.profile.acknowledge_safety()
        return path

    return url


def _start_url(owner) -> str:
    owner.profile.acknowledge_safety()
    return reverse("journal:session_start", args=[_own_routine(owner).pk])


def check_release_log(owner, data, response, before) -> None:
    from journal.models import Release

    for release in Release.objects.for_user(owner):
        assert 0 <= release.pressure <= 10 and 0 <= release.pain_now <= 10
    if response.status_code in (302, 200, 204) and response.status_code != 422:
        logged = Release.objects.for_user(owner).count() - len(before["rows"]["journal.Release"])
        assert logged in (0, 1)


def _upload(raw: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("export.json", raw, content_type="application/json")


JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=False), st.text(max_size=20)
)


def maybe(plausible: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly the plausible value, sometimes any JSON scalar in its place."""
    return st.one_of(plausible, plausible, plausible, JSON_SCALAR)


ISO = DATETIME.map(lambda d: d + ":00+00:00")
IMPORT_FILE = st.fixed_dictionaries(
    {
        "format": maybe(st.just("tenderspot-journal")),
        "version": maybe(st.just(1)),
        "profile": st.fixed_dictionaries(
            {"time_zone": maybe(st.sampled_from(["UTC", "Europe/Paris"])), "default_hold_seconds": maybe(st.just(45))}
        ),
        "points": st.lists(
            st.fixed_dictionaries(
                {
                    "ref": maybe(st.just("custom:1")),
                    "name": maybe(st.text(min_size=1, max_size=30)),
                    "area": maybe(st.sampled_from(["glutes", "heel", None])),
                    "default_hold_seconds": maybe(st.integers(0, 400)),
                    "map_view": maybe(st.sampled_from(["soles", "back"])),
                    "map_x": maybe(st.decimals(0, 120, places=2).map(str)),
                    "map_y": maybe(st.just("50.00")),
                }
            ),
            max_size=2,
        ),
        "routines": st.lists(
            st.fixed_dictionaries(
                {
                    "ref": maybe(st.just("routine:1")),
                    "name": maybe(st.text(min_size=1, max_size=30)),
                    "steps": st.lists(
                        st.fixed_dictionaries(
                            {
                                "position": maybe(st.integers(0, 3)),
                                "point": maybe(st.sampled_from(["custom:1", "builtin:glute-top", "builtin:nope"])),
                                "side": maybe(SIDES),
                                "hold_seconds": maybe(st.integers(0, 400)),
                            }
                        ),
                        max_size=2,
                    ),
                }
            ),
            max_size=2,
        ),
        "sessions": st.lists(
            st.fixed_dictionaries(
                {
                    "routine": maybe(st.sampled_from(["routine:1", "builtin:glutes-only", None])),
                    "routine_name": maybe(st.text(max_size=30)),
                    "started_at": maybe(ISO),
                    "finished_at": maybe(ISO | st.none()),
                    "status": maybe(st.sampled_from(["completed", "in_progress", "stopped", "abandoned"])),
                    "pain_before": maybe(st.integers(-1, 11)),
                    "pain_after": maybe(st.integers(-1, 11)),
                    "safety_check": maybe(st.sampled_from(["", "no", "yes"])),
                    "releases": st.lists(
                        st.fixed_dictionaries(
                            {
                                "position": maybe(st.integers(0, 3)),
                                "point": maybe(st.sampled_from(["custom:1", "builtin:glute-top", None])),
                                "point_name": maybe(st.text(max_size=30)),
                                "side": maybe(SIDES),
                                "held_seconds": maybe(st.integers(-1, 400)),
                                "started_at": maybe(ISO),
                                "pressure": maybe(st.integers(-1, 11)),
                                "pain_now": maybe(st.integers(-1, 11)),
                                "tender": maybe(st.booleans()),
                            }
                        ),
                        max_size=3,
                    ),
                }
            ),
            max_size=2,
        ),
    }
).map(lambda d: json.dumps(d).encode())


def journal_case(name, url, fields, models, check=None, statuses=JOURNAL_STATUSES) -> FormCase:
    """A journal or routine-builder form: a refusal leaves every row of `models` as it was; then `check`, if any."""
    refusal = refusal_changes_nothing(models)
    return FormCase(
        name, url, fields=fields, models=models, check=both(refusal, check) if check else refusal, statuses=statuses
    )


def _journal_cases() -> list[FormCase]:
    from journal.models import Release, Reminder, Session, ShareLink
    from routines.models import Point, Routine, RoutineStep

    journal = [Session, Release]
    return [
        journal_case(
            "runner: release log",
            _run_url("journal:release_log"),
            fields={
                "position": st.integers(-1, 3).map(str),
                "tender": YES_NO,
                "pressure": PAIN,
                "pain_now": PAIN,
                "held_seconds": st.integers(-5, 1000).map(str),
                "stopped_early": st.sampled_from(["on", ""]),
                "notes": NOTES,
            },
            models=journal,
            check=check_release_log,
        ),
        journal_case(
            "runner: safety check",
            _run_url("journal:session_check", checked=False),
            fields={
                "pain_before": PAIN,
                "none_apply": st.sampled_from(["on", ""]),
                "rf_both_legs": st.sampled_from(["yes", "unsure", "no", "", "maybe"]),
                "rf_fever": YES_NO,
            },
            models=journal,
        ),
        FormCase(
            "runner: start",
            _start_url,
            fields={"anything": st.text(max_size=20)},
            models=journal,
            statuses=JOURNAL_STATUSES,
        ),
        journal_case(
            "runner: finish",
            _run_url("journal:session_finish"),
            fields={"pain_after": PAIN, "notes": NOTES},
            models=journal,
        ),
        journal_case(
            "runner: quick log",
            "/journal/log/",
            fields={
                "point": st.sampled_from(["1", "2", "999999", "x"]),
                "side": SIDES,
                "held_seconds": st.integers(-5, 1000).map(str),
                "tender": YES_NO,
                "pressure": PAIN,
                "pain_now": PAIN,
                "notes": NOTES,
            },
            models=journal,
        ),
        journal_case(
            "history: session edit",
            lambda owner: reverse("journal:session_edit", args=[_done_session(owner).pk]),
            fields={
                "started_at": DATETIME,
                "finished_at": DATETIME | st.just(""),
                "pain_before": PAIN,
                "pain_after": PAIN,
                "notes": NOTES,
            },
            models=journal,
        ),
        journal_case(
            "history: release edit",
            _release_edit_url,
            fields={
                "side": SIDES,
                "held_seconds": st.integers(-5, 1000).map(str),
                "tender": st.sampled_from(["true", "false", "", "yes", "x"]),
                "pressure": PAIN,
                "pain_now": PAIN,
                "stopped_early": st.sampled_from(["on", ""]),
                "skipped": st.sampled_from(["on", ""]),
                "notes": NOTES,
            },
            models=journal,
        ),
        journal_case(
            "routine create",
            _acknowledged("/routines/new/"),
            fields={"name": st.text(max_size=120), "description": NOTES},
            models=[Routine],
        ),
        journal_case(
            "routine rename",
            lambda owner: reverse("routines:routine_edit", args=[_own_routine(owner).pk]),
            fields={"name": st.text(max_size=120), "description": NOTES},
            models=[Routine],
        ),
        journal_case(
            "routine step add",
            lambda owner: reverse("routines:step_add", args=[_own_routine(owner).pk]),
            fields={
                "point": st.sampled_from(["glute-top", "heel-inside-edge", "1", "nope"]),
                "side": SIDES,
                "hold_seconds": st.integers(-5, 1000).map(str),
            },
            models=[RoutineStep],
        ),
        journal_case(
            "custom point",
            "/routines/points/mine/new/",
            fields={
                "name": st.text(max_size=120),
                "area": st.sampled_from(["1", "2", "99", ""]),
                "location": NOTES,
                "default_hold_seconds": st.integers(-5, 1000).map(str),
                "map_view": st.sampled_from(["soles", "back", "front", ""]),
                "map_x": st.decimals(-10, 200, places=3).map(str),
                "map_y": st.decimals(-10, 200, places=2).map(str),
            },
            models=[Point],
        ),
        journal_case(
            "import",
            "/journal/import/",
            fields={"file": st.one_of(IMPORT_FILE, IMPORT_FILE, st.binary(max_size=300)).map(_upload)},
            models=[*journal, Point, Routine, RoutineStep, ShareLink, Reminder],
            statuses=frozenset({200, 413, 422}),
        ),
        journal_case(
            "share link create",
            "/journal/share/",
            fields={
                "label": st.text(max_size=120),
                "start_date": st.dates().map(str) | st.just(""),
                "end_date": st.dates().map(str) | st.just(""),
                "expires_in_days": st.sampled_from(["1", "7", "30", "90", "365", "0"]),
            },
            models=[ShareLink],
        ),
        journal_case(
            "reminder create",
            "/journal/reminders/",
            fields={
                "routine": st.sampled_from(["", "1", "2", "99999"]),
                "weekdays": st.lists(st.integers(-1, 8).map(str), max_size=8),
                "time_of_day": st.times().map(lambda t: t.strftime("%H:%M")) | st.just("25:61"),
                "duration_minutes": st.integers(-5, 2000).map(str),
            },
            models=[Reminder],
        ),
    ]


FORMS += _journal_cases()


# Fields a third-party model leaves blank by design although they are not `blank=True`: not ours to judge.
NOT_CHECKED = {AccessAttempt: ["get_data", "post_data"]}


def assert_rows_valid(models: list) -> None:
    for model in models:
        for row in model.objects.all():
            row.full_clean(exclude=NOT_CHECKED.get(model), validate_unique=True)


@pytest.mark.django_db
@pytest.mark.parametrize("case", FORMS, ids=[case.name for case in FORMS])
@settings(
    max_examples=25,
    deadline=None,
    database=None,  # no example database in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(data=st.data())
def test_form_survives_any_input(case: FormCase, owner, data):
    payload = data.draw(case.data(), label="form data")
    htmx = data.draw(st.booleans(), label="htmx")
    client = Client()
    if case.signed_in:
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    with transaction.atomic():
        path = case.path(owner)  # may create the owner's objects: before the snapshot
        before = snapshot(owner, case.models)
        response = client.post(path, payload, headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code in case.statuses, f"{case.name}: {response.status_code} for {payload!r}"
        assert_rows_valid(case.models)
        if case.check:
            case.check(owner, payload, response, before)

        transaction.set_rollback(True)


@pytest.mark.django_db
def test_checks_catch_an_invalid_row(owner):
    """The row check can fail: a profile with an unknown time zone and a 999-second hold is reported."""
    Profile.objects.filter(user=owner).update(time_zone="Mars/Olympus", default_hold_seconds=999)
    with pytest.raises(Exception, match="time_zone"):
        assert_rows_valid([Profile])


@pytest.mark.django_db
def test_huge_login_username_is_refused_before_authentication(client, owner):
    """Found by the property test on PostgreSQL: a 300-character username reached the failed-login record
    (varchar 255) and answered 500. Now the form refuses it and nothing is recorded."""
    response = client.post("/accounts/login/", {"username": "x" * 300, "password": "whatever"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()
