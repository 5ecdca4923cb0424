import pytest

from tests.conftest import tap_log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_log_out_log_in_see_dashboard(page):
    page.goto("/")
    page.get_by_role("link", name="Create a free account").click()
    page.get_by_label("Username").fill("floorperson")
    page.locator("#id_password1").fill("a-long-and-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Create account").click()
    # The optional health questions come once, right after sign-up, and can be skipped.
    page.wait_for_url(f"{page.base_url}/accounts/precautions/?next=/")
    page.get_by_role("button", name="Skip for now").click()
    page.wait_for_url(f"{page.base_url}/")
    assert page.get_by_role("heading", name="Hello, floorperson").is_visible()

    tap_log_out(page)
    page.wait_for_url(f"{page.base_url}/")
    assert page.get_by_role("link", name="Create a free account").is_visible()

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("floorperson")
    page.get_by_label("Password").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{page.base_url}/")
    assert page.get_by_role("heading", name="Hello, floorperson").is_visible()
    assert page.console_errors == []
