"""The installable app in Chromium: the DevTools protocol reports no installability errors for the home page, the
manifest is the one we serve, and the service worker takes control of the page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_worker(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def test_chromium_finds_no_installability_errors_on_the_home_page(browser, live_server, tmp_path):
    # A profile on disk: Playwright's ordinary contexts are incognito, where nothing can be installed.
    from tests.audit.tools import chromium
    from tests.conftest import CHROMIUM_ARGS

    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=chromium(), headless=True, args=CHROMIUM_ARGS, base_url=live_server.url
    )
    try:
        check_installable(context.new_page())
    finally:
        context.close()


def check_installable(page) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/")
    wait_for_worker(page)
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert not manifest["errors"], manifest["errors"]
    result = cdp.send("Page.getInstallabilityErrors")
    assert result["installabilityErrors"] == [], result
    assert errors == []


def test_the_worker_precaches_this_releases_static_files(app_page):
    page = app_page
    page.goto("/")
    wait_for_worker(page)
    cached = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const statics = names.filter((name) => name.startsWith("ts-static-"));
            const cache = await caches.open(statics[0]);
            return {names, urls: (await cache.keys()).map((request) => new URL(request.url).pathname)};
        }"""
    )
    assert len([name for name in cached["names"] if name.startswith("ts-static-")]) == 1
    assert "/offline/" in cached["urls"] and "/static/js/timer.js" in cached["urls"]
    icons = ["/static/img/app/icon-192.png", "/static/img/app/icon-512.png", "/static/img/app/maskable-192.png"]
    icons += ["/static/img/app/maskable-512.png", "/static/img/app/apple-touch-icon-180.png", "/static/img/favicon.svg"]
    assert set(icons) <= set(cached["urls"]), set(icons) - set(cached["urls"])
    # With no connection the installed app's icons still come (from the worker's cache).
    page.context.set_offline(True)
    statuses = page.evaluate("async (urls) => Promise.all(urls.map(async (u) => (await fetch(u)).status))", icons)
    page.context.set_offline(False)
    assert statuses == [200] * len(icons)
