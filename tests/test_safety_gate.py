import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from accounts.decorators import safety_acknowledged


@safety_acknowledged
def start_something(request):
    return HttpResponse("started")


def call(user, method="get", path="/start/", headers=None):
    request = getattr(RequestFactory(), method)(path, headers=headers or {})
    request.user = user
    request.htmx = HtmxDetails(request)
    return start_something(request)


@pytest.mark.django_db
def test_unacknowledged_user_is_sent_to_the_notice_and_back(owner):
    response = call(owner)
    assert response.status_code == 302
    assert response["Location"] == "/safety/?next=%2Fstart%2F"


@pytest.mark.django_db
def test_post_returns_to_the_referring_page(owner):
    response = call(owner, "post", headers={"Referer": "/routines/1/"})
    assert response["Location"] == "/safety/?next=%2Froutines%2F1%2F"


@pytest.mark.django_db
def test_htmx_gets_a_client_redirect(owner):
    response = call(owner, "post", headers={"HX-Request": "true", "Referer": "/routines/1/"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/safety/")


@pytest.mark.django_db
def test_acknowledged_user_goes_through(owner):
    owner.profile.acknowledge_safety()
    assert call(owner).content == b"started"
