"""The installable app's server side (config.pwa): the manifest, the service worker's script and headers, the offline
page, the per-user cache name each page carries, and the CSP that allows the worker and the manifest from this site
only."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from config.pwa import PRECACHED_STATIC, offline_key

pytestmark = pytest.mark.django_db


def test_manifest_names_icons_colours_and_shortcuts(anonymous_client):
    response = anonymous_client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Tenderspot" and data["short_name"] == "Tenderspot"
    assert data["display"] == "standalone"
    assert data["scope"] == "/" and data["start_url"].startswith("/")
    for colour in (data["theme_color"], data["background_color"]):
        assert re.fullmatch(r"#[0-9a-f]{6}", colour)
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert icon["type"] == "image/png"
        assert anonymous_client.get(icon["src"]).status_code == 200
    names = [shortcut["name"] for shortcut in data["shortcuts"]]
    assert names == ["Start my last routine", "Quick log"]
    assert data["shortcuts"][1]["url"].startswith(reverse("journal:quick_log"))


def test_icons_are_the_sizes_they_claim():
    for name, size in (("icon-192", 192), ("icon-512", 512), ("maskable-192", 192), ("maskable-512", 512)):
        with open(finders.find(f"img/app/{name}.png"), "rb") as png:
            header = png.read(24)
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(header[16:20]) == size and int.from_bytes(header[20:24]) == size


def test_every_page_links_the_manifest_and_registers_the_worker(anonymous_client, owner_client):
    for client in (anonymous_client, owner_client):
        html = client.get("/").content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert 'data-sw="/sw.js"' in html


def test_service_worker_is_root_scoped_javascript_never_cached(anonymous_client):
    response = anonymous_client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    source = response.content.decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", source).group(1))
    assert "/offline/" in precache
    for url in precache:
        assert anonymous_client.get(url).status_code == 200, url
    assert len(precache) == len(PRECACHED_STATIC) + 1


def worker_precache(client) -> list[str]:
    source = client.get("/sw.js").content.decode()
    return json.loads(re.search(r"const PRECACHE = (\[.*?\]);", source).group(1))


def test_the_worker_precaches_every_icon_the_manifest_names(anonymous_client):
    """The installed app shows its icons (home screen, splash screen, shortcuts) offline too."""
    data = json.loads(anonymous_client.get("/manifest.webmanifest").content)
    named = {icon["src"] for icon in data["icons"]}
    named |= {icon["src"] for shortcut in data["shortcuts"] for icon in shortcut.get("icons", [])}
    assert {"any", "maskable"} <= {icon["purpose"] for icon in data["icons"]}
    assert named and named <= set(worker_precache(anonymous_client)), named - set(worker_precache(anonymous_client))


def test_the_worker_precaches_every_icon_the_pages_link(anonymous_client, owner_client):
    precache = set(worker_precache(anonymous_client))
    for client, path in ((anonymous_client, "/"), (owner_client, "/"), (anonymous_client, "/offline/")):
        html = client.get(path).content.decode()
        links = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', html)
        images = re.findall(r'<img src="(/static/img/[^"]+)"', html)
        assert links, path
        assert set(links + images) <= precache, (path, set(links + images) - precache)


def test_service_worker_names_whitenoise_hashed_files(settings):
    """With the production storage, the worker lists the hashed names, so a release never mixes old and new."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    from config.pwa import service_worker_source

    staticfiles_storage.url = lambda name: f"/static/{name.rsplit('.', 1)[0]}.0123abcd.{name.rsplit('.', 1)[1]}"
    try:
        source = service_worker_source()
    finally:
        del staticfiles_storage.url
    assert '"/static/js/timer.0123abcd.js"' in source
    assert '"/static/js/timer.js"' not in source


def test_the_worker_version_follows_the_static_names(monkeypatch):
    import config.pwa as pwa

    before = re.search(r'const VERSION = "(\w+)"', pwa.service_worker_source()).group(1)
    monkeypatch.setattr(pwa, "static", lambda path: "/static/" + path + "?v=2")
    after = re.search(r'const VERSION = "(\w+)"', pwa.service_worker_source()).group(1)
    assert before != after


def test_offline_page_says_it_needs_a_connection_and_holds_nothing_personal(owner_client, owner):
    response = owner_client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "needs a connection" in html
    # The outbox keeps offline logs now: the page must not say that they are lost.
    assert "not saved yet" not in html
    assert "saved on this phone and sent to your server once the connection is back" in " ".join(html.split())
    assert owner.username not in html
    assert "csrf" not in html.lower()
    # It stands in for the page asked for: "Try again" asks for that page again, not the home page.
    assert '<a class="btn btn-accent me-2" href="">Try again</a>' in html


def test_pages_name_the_opaque_per_user_cache(anonymous_client, owner_client, other_client, owner, other_user):
    assert anonymous_client.get("/")["X-Offline-User"] == "anonymous"
    mine = owner_client.get("/")["X-Offline-User"]
    theirs = other_client.get("/")["X-Offline-User"]
    assert mine == offline_key(owner) and theirs == offline_key(other_user)
    assert mine != theirs and re.fullmatch(r"[0-9a-f]{32}", mine)
    assert str(owner.pk) != mine and owner.username not in mine


def test_log_out_tells_the_browser_to_drop_caches_and_storage(owner_client):
    response = owner_client.post(reverse("accounts:logout"))
    assert '"cache"' in response["Clear-Site-Data"] and '"storage"' in response["Clear-Site-Data"]


def test_csp_allows_worker_and_manifest_from_this_site_only(anonymous_client):
    policy = anonymous_client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert "unsafe" not in policy


@pytest.mark.parametrize("path", ["/manifest.webmanifest", "/sw.js", "/offline/"])
def test_get_only(anonymous_client, path):
    assert anonymous_client.post(path).status_code in (403, 405)
    assert anonymous_client.put(path).status_code == 405


def test_only_the_listed_pages_may_be_kept_offline(ready, owner_client, anonymous_client, owner):
    from tests.factories import make_routine

    routine = make_routine(owner)
    assert owner_client.get(reverse("routines:routine_detail", args=[routine.pk]))["X-Offline-Page"] == "1"
    # Pain scores and red flags (the dashboard), and a form with a one-time key (the quick log), are never kept.
    never = ("/", reverse("journal:quick_log"), reverse("journal:trends"), reverse("journal:session_list"))
    for path in (*never, reverse("accounts:settings")):
        assert "X-Offline-Page" not in owner_client.get(path), path
    assert "X-Offline-Page" not in anonymous_client.get("/")
    htmx = owner_client.get(reverse("routines:routine_detail", args=[routine.pk]), headers={"HX-Request": "true"})
    assert "X-Offline-Page" not in htmx


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/offline/"])
def test_the_browser_bar_follows_a_light_or_dark_phone(client, path):
    html = client.get(path).content.decode()
    assert '<meta name="theme-color" media="(prefers-color-scheme: light)" content="#2f6f73">' in html
    assert '<meta name="theme-color" media="(prefers-color-scheme: dark)" content="#212529">' in html
