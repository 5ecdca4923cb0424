"""Home, safety notice and error pages."""

import pytest
from django.test import override_settings

from accounts.models import Profile


@pytest.mark.django_db
def test_visitor_home_is_honest_about_evidence(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "not a diagnosis" in body
    assert "No source describes points in the foot spreading pain up into the leg" in body
    # Only one of the two glute spots is described as causing sciatica-like pain; pain is never "sent" to a nerve.
    assert "only one (gluteus minimus" in body and "to the sciatic nerve" not in body
    assert 'href="/accounts/signup/"' in body and 'href="/accounts/login/"' in body


@pytest.mark.django_db
def test_signed_in_home_is_the_dashboard(owner_client):
    response = owner_client.get("/")
    assert response.status_code == 200
    assert "dashboard.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_every_page_has_landmarks_skip_link_and_safety_footer(client):
    body = client.get("/").content.decode()
    assert 'href="#main"' in body and 'id="main"' in body
    assert "<header" in body and "<nav" in body and "<footer" in body
    assert 'href="/safety/"' in body and "emergency care now" in body


@pytest.mark.django_db
def test_safety_page_lists_red_flags(client):
    body = client.get("/safety/").content.decode()
    for phrase in ["both legs", "genitals, bottom or inner thighs", "pee", "bowels", "swollen, warm or painful"]:
        assert phrase in body


@pytest.mark.django_db
def test_acknowledge_safety(owner_client, owner):
    response = owner_client.post("/safety/", {"next": "/routines/"})
    assert response.status_code == 302 and response["Location"] == "/routines/"
    assert Profile.objects.get(user=owner).has_acknowledged_safety


@pytest.mark.django_db
def test_acknowledge_refuses_offsite_next(owner_client):
    response = owner_client.post("/safety/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_anonymous_cannot_acknowledge(anonymous_client):
    response = anonymous_client.post("/safety/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_home_wrong_method(client):
    assert client.post("/").status_code == 405


@pytest.mark.django_db
def test_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_friendly_500(client):
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    class Urls:
        urlpatterns = [path("boom/", boom)]
        handler500 = "config.views.server_error"

    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=Urls):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "Anything you had already saved is safe" in response.content.decode()
