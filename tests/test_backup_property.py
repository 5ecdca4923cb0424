"""Property test of the JSON import: files with edge values anywhere (depth, size, numbers, unicode, dates, wrong
types) never give a 500, and whatever was accepted leaves every page and export of the account answering 200.
Runs on whichever database the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL)."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.backup.export import export_account
from journal.models import Session
from tests.factories import make_log, make_release, make_session, make_user

pytestmark = pytest.mark.django_db
MARKER = "__EDGE_VALUE__"


def paths(value, prefix=()) -> list[tuple]:
    """Every place in the document: each key of each object and each item of each list."""
    found = []
    if isinstance(value, dict):
        for key, child in value.items():
            found.append((*prefix, key))
            found += paths(child, (*prefix, key))
        found.append((*prefix, "unexpected_key"))
    elif isinstance(value, list):
        for n, child in enumerate(value):
            found.append((*prefix, n))
            found += paths(child, (*prefix, n))
    return found


def with_raw(document: dict, path: tuple, raw: str) -> bytes:
    data = json.loads(json.dumps(document))
    target = data
    for key in path[:-1]:
        target = target[key]
    if isinstance(target, list):
        target[path[-1]] = MARKER
    else:
        target[path[-1]] = MARKER
    return json.dumps(data).replace(f'"{MARKER}"', raw, 1).encode("utf-8", "surrogatepass")


def dumps(value) -> str:
    return json.dumps(value)


edge_values = st.one_of(
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: '{"a":' * n + "0" + "}" * n),
    st.integers(4290, 4400).map(lambda n: "9" * n),
    st.integers(4290, 4400).map(lambda n: "-0." + "1" * n),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(dumps),
    st.sampled_from(["1e999999", "-0", "0.0", "1.0", "true", "false", "null", "[]", "{}", '""', "[null]", '"\\u0000"']),
    st.text(max_size=60).map(dumps),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=6000).map(dumps),
    st.sampled_from(['"\\ud800"', '"\\udfff x"', '"\\u0000"', '"a\\u0000b"', '"\\uffff"', '"\\ud83d\\ude00"']),
    st.datetimes(timezones=st.timezones()).map(lambda d: dumps(d.isoformat())),
    st.datetimes().map(lambda d: dumps(d.isoformat())),
    st.dates().map(lambda d: dumps(d.isoformat())),
    st.times(timezones=st.none() | st.timezones()).map(lambda t: dumps(t.isoformat())),
    st.sampled_from(
        [
            '"0001-01-01T00:00:00+01:00"',
            '"9999-12-31T23:59:59-14:00"',
            '"1900-01-01T00:00:00+14:00"',
            '"2100-12-31T23:59:59-12:00"',
            '"0001-01-01"',
            '"9999-12-31"',
            '"24:00:00"',
            '"builtin:nope"',
            '"custom:999"',
            '"routine:1"',
        ]
    ),
    st.lists(st.integers(-3, 10), max_size=10).map(dumps),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3).map(dumps),
)


@pytest.fixture(scope="module")
def pages_client():
    return Client(raise_request_exception=False)


def account_pages(user) -> list[str]:
    urls = [
        reverse(name)
        for name in (
            "home",
            "journal:session_list",
            "journal:trends",
            "journal:export_csv",
            "journal:export_json",
            "journal:export_fhir",
            "journal:export_pdf",
        )
    ]
    for session in Session.objects.filter(user=user).order_by("-pk")[:3]:
        urls.append(reverse("journal:session_detail", args=[session.pk]))
    return urls


@pytest.fixture
def document() -> dict:
    source = make_user("source")
    make_log(source, days=2)
    session = make_session(source, notes="note")
    make_release(session, 1, notes="n")
    return export_account(source)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_edge_values_never_break_the_import_or_the_account(owner, document, data):
    client = Client(raise_request_exception=False)
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    places = paths(document)
    payload = json.dumps(document).encode()
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        document_now = json.loads(payload)
        path = data.draw(st.sampled_from(paths(document_now) or places), label="path")
        payload = with_raw(document_now, path, data.draw(edge_values, label="value"))
        try:
            json.loads(payload)
        except (ValueError, RecursionError):
            break  # a file no JSON reader takes (NaN, depth): sent as it is
    response = client.post(reverse("journal:import_json"), {"file": _file(payload)})
    assert response.status_code in (200, 422), response.status_code
    for url in account_pages(owner):
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        if hasattr(answer, "streaming_content"):
            b"".join(answer.streaming_content)


def _file(payload: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("backup.json", payload)
