"""The site menu on a phone: it opens with its toggle when scripts run, and stands open without JavaScript (the
app promises to work without it)."""

import pytest
from playwright.sync_api import expect

from tests.conftest import log_in, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_menu_opens_from_its_toggle_on_a_phone(signed_in_page):
    page = signed_in_page
    journal = page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal")
    expect(journal).to_be_hidden()
    open_menu(page)
    expect(journal).to_be_visible()
    journal.click()
    page.wait_for_url("**/journal/sessions/")


def test_without_javascript_the_menu_is_open_and_works(browser, live_server, owner):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, owner)
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("button", name="Show the menu")).to_be_hidden()  # a toggle that could not work
        for name in ("Points", "Routines", "Journal", "Trends", "Export & share", "Settings", "Log out"):
            expect(nav.get_by_role("link", name=name).or_(nav.get_by_role("button", name=name))).to_be_visible()
        nav.get_by_role("link", name="Trends").click()
        page.wait_for_url("**/journal/trends/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
