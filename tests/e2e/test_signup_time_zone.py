"""Sign-up takes the time zone from the browser (the person can change it) and lists its region first."""

import pytest

from accounts.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("zone", "region"), [("Europe/Berlin", "Europe"), ("America/Chicago", "America")])
def test_sign_up_starts_at_the_devices_zone(browser, live_server, zone, region):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, timezone_id=zone)
    page = context.new_page()
    try:
        page.goto("/accounts/signup/")
        select = page.get_by_label("Time zone")
        assert select.input_value() == zone
        assert page.evaluate("document.querySelector('#id_time_zone optgroup').label") == region
        page.get_by_label("Username").fill("newcomer")
        page.locator("#id_password1").fill("a-long-and-unusual-passphrase")
        page.locator("#id_password2").fill("a-long-and-unusual-passphrase")
        page.get_by_role("button", name="Create account").click()
        page.wait_for_url(lambda address: "/accounts/signup/" not in address)
        assert Profile.objects.get(user__username="newcomer").time_zone == zone
    finally:
        context.close()


def test_a_zone_chosen_by_hand_is_kept(browser, live_server):
    context = browser.new_context(base_url=live_server.url, timezone_id="Europe/Berlin")
    page = context.new_page()
    try:
        page.goto("/accounts/signup/")
        page.get_by_label("Time zone").select_option("Asia/Tokyo")
        page.evaluate("htmx.trigger(document.body, 'htmx:load')")  # the script runs again after a swap
        assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"
    finally:
        context.close()
