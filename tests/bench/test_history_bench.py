"""Benchmarks of the history feature (`make bench`): seed_demo for ten years, and the page query counts at one
and ten years of history (their ratio must be 1.0)."""

import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.models import Release, SafetyAnswer, Session

pytestmark = pytest.mark.django_db(transaction=True)
SEED_BUDGET_SECONDS = 60


def test_seed_demo_ten_years():
    started = time.perf_counter()
    call_command("seed_demo", username="demo", password="demo-pass-123", days=3650, seed=1, stdout=StringIO())
    seconds = time.perf_counter() - started
    user = get_user_model().objects.get(username="demo")
    sessions = Session.objects.filter(user=user).count()
    releases = Release.objects.for_user(user).count()
    red = Session.objects.filter(user=user, safety_check=SafetyAnswer.YES).count()
    print(f"\nseed_demo --days 3650: {seconds:.1f} s, {sessions} sessions, {releases} releases, {red} red flags")
    assert seconds < SEED_BUDGET_SECONDS

    client = Client()
    client.force_login(user)
    newest = Session.objects.filter(user=user).order_by("-started_at").first()
    for name, url in {
        "dashboard": reverse("home"),
        "session_list": reverse("journal:session_list") + "?page=40",
        "session_detail": reverse("journal:session_detail", args=[newest.pk]),
        "trends (90 days)": reverse("journal:trends"),
        "trends (all)": reverse("journal:trends") + "?range=all",
    }.items():
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        print(f"{name}: {len(queries)} queries, {(time.perf_counter() - started) * 1000:.0f} ms")
        assert response.status_code == 200
