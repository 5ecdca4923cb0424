"""The access-control sweep: every URL pattern the resolver knows is classified in tests/audit/access_map.py, and
each classification is enforced: anonymous -> log-in redirect (or 404 for a bad token), another user's object ->
404, wrong method -> 405, POST without a CSRF token -> 403.

Both personas have acknowledged the safety notice, so the safety gate (tested in test_safety_gate.py) does not
stand between a request and the access check under test.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.audit.access_map import OWNER, PUBLIC, ROUTES, TOKEN, Route

IGNORED_NAMESPACES = {"admin"}


def walk(patterns, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    """(URL name, route) for every pattern, depth first, through includes and namespaces."""
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in IGNORED_NAMESPACES or str(entry.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith(settings.STATIC_URL.lstrip("/")):
                continue
            found.append((f"{namespace}{entry.name}" if entry.name else f"<unnamed: {route}>", route))
    return found


def url_names() -> set[str]:
    return {name for name, _ in walk(get_resolver().url_patterns)}


def test_every_url_is_classified():
    names = url_names()
    unclassified = sorted(names - ROUTES.keys())
    stale = sorted(ROUTES.keys() - names)
    assert not unclassified, f"Classify these URLs in tests/audit/access_map.py: {unclassified}"
    assert not stale, f"tests/audit/access_map.py lists URL names that no longer exist: {stale}"


def test_walk_reaches_namespaced_includes_and_skips_admin():
    names = url_names()
    assert {"home", "accounts:login", "routines:routine_detail"} <= names
    assert not any(name.startswith("admin:") for name in names)


# Enforcement ------------------------------------------------------------------------------------------------

ALL = sorted(ROUTES.items())
ids = [name for name, _ in ALL]


@pytest.fixture
def people(owner, other_user):
    owner.profile.acknowledge_safety()
    other_user.profile.acknowledge_safety()
    return owner, other_user


def client_for(user=None, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def send(client: Client, method: str, url: str):
    return getattr(client, method.lower())(url)


def is_login_redirect(response) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and urlsplit(response["Location"]).path == login


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), ALL, ids=ids)
def test_anonymous(name: str, route: Route, people):
    owner, _ = people
    url = reverse(name, kwargs=route.kwargs(owner))
    for method in route.methods:
        response = send(client_for(), method, url)
        if route.needs_login(method):
            assert is_login_redirect(response), f"anonymous {method} {url}: {response.status_code}, not to log in"
        else:
            assert response.status_code < 500 and response.status_code not in (403, 404), (
                f"anonymous {method} {url}: {response.status_code}"
            )
            assert not is_login_redirect(response), f"anonymous {method} {url} was sent to log in"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), ALL, ids=ids)
def test_signed_in_owner_is_let_in(name: str, route: Route, people):
    """The URL arguments are right and the owner gets the page: a 404 elsewhere in this sweep means something."""
    owner, _ = people
    url = reverse(name, kwargs=route.kwargs(owner))
    method = "GET" if "GET" in route.methods else route.methods[0]
    response = send(client_for(owner), method, url)
    # An empty POST may be refused as bad input (400 or 422): the owner still got past the access checks.
    assert response.status_code < 400 or response.status_code in (400, 422), (
        f"owner {method} {url}: {response.status_code}"
    )
    assert not is_login_redirect(response)


OWNED = [(n, r) for n, r in ALL if r.kind == OWNER or r.owner_kwargs]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), OWNED, ids=[n for n, _ in OWNED])
def test_another_users_object_is_404(name: str, route: Route, people):
    owner, other = people
    build = route.owner_kwargs or route.kwargs
    url = reverse(name, kwargs=build(owner))
    for method in route.methods:
        response = send(client_for(other), method, url)
        assert response.status_code == 404, f"another user {method} {url}: {response.status_code}"
        if route.kind == PUBLIC:  # a private object under a public view: hidden from visitors too
            response = send(client_for(), method, url)
            assert response.status_code == 404, f"anonymous {method} {url}: {response.status_code}"


TOKENS = [(n, r) for n, r in ALL if r.kind == TOKEN]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), TOKENS, ids=[n for n, _ in TOKENS])
def test_bad_token(name: str, route: Route, people):
    owner, _ = people
    good = send(client_for(), "GET", reverse(name, kwargs=route.kwargs(owner)))
    assert good.status_code < 400, f"a good token is refused: {good.status_code}"
    bad_url = reverse(name, kwargs=route.bad_kwargs(owner))
    for method in route.methods:
        response = send(client_for(), method, bad_url)
        assert response.status_code == route.bad_token_status, f"{method} {bad_url}: {response.status_code}"
        if route.bad_token_check:
            assert route.bad_token_check(response), f"{method} {bad_url} did not refuse the token"


WITH_WRONG_METHODS = [(n, r) for n, r in ALL if r.wrong_methods()]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), WITH_WRONG_METHODS, ids=[n for n, _ in WITH_WRONG_METHODS])
def test_wrong_method_is_405(name: str, route: Route, people):
    owner, _ = people
    url = reverse(name, kwargs=route.kwargs_for_wrong_methods(owner))
    for method in route.wrong_methods():
        response = send(client_for(owner), method, url)
        assert response.status_code == 405, f"{method} {url}: {response.status_code}"


POSTS = [(n, r) for n, r in ALL if "POST" in r.methods]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), POSTS, ids=[n for n, _ in POSTS])
def test_post_without_csrf_token_is_403(name: str, route: Route, people):
    owner, _ = people
    url = reverse(name, kwargs=route.kwargs(owner))
    personas = [owner] if route.needs_login("POST") else [None, owner]
    for user in personas:
        response = client_for(user, enforce_csrf_checks=True).post(url, {})
        assert response.status_code == 403, f"POST {url} without CSRF token as {user}: {response.status_code}"


@pytest.mark.django_db
def test_robots_txt_keeps_private_areas_out_of_search_engines(client):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    for private in ("/accounts/", "/journal/", "/admin/"):
        assert f"Disallow: {private}\n" in body
    assert "Disallow: /\n" not in body  # the landing page, safety notice and catalogue stay indexable
