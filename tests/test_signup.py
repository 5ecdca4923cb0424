from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Profile
from tests.factories import make_user

User = get_user_model()
URL = "/accounts/signup/"


def form(**overrides):
    data = {
        "username": "newperson",
        "email": "new@example.org",
        "time_zone": "Europe/London",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_creates_account_with_profile_and_logs_in(client):
    response = client.post(URL, form())
    assert response.status_code == 302
    user = User.objects.get(username="newperson")
    assert user.profile.time_zone == "Europe/London"
    assert client.get("/").context["user"] == user


@pytest.mark.django_db
def test_signup_asks_where_the_person_lives_for_the_emergency_numbers(client):
    assert "Where you live (for emergency numbers)" in client.get(URL).text
    client.post(URL, form(username="tokyo", time_zone="Asia/Tokyo", care_region="us"))
    assert User.objects.get(username="tokyo").profile.care.emergency[0].digits == "911"


@pytest.mark.django_db
def test_signup_without_a_region_works_it_out_from_the_time_zone(client):
    client.post(URL, form(time_zone="Europe/Berlin"))
    profile = User.objects.get(username="newperson").profile
    assert profile.care_region == "" and profile.care.emergency[0].digits == "112"


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    client.post(URL, form())
    assert User.objects.get(username="newperson").password.startswith("argon2$")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "Taken"}, "That username is taken"),
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password1": "password123456", "password2": "password123456"}, "too common"),
        ({"password2": "something-else-entirely"}, "didn’t match"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"username": ""}, "This field is required"),
    ],
)
def test_bad_input_shows_error_and_creates_nothing(client, overrides, message):
    make_user("taken")
    before = (User.objects.count(), Profile.objects.count())
    response = client.post(URL, form(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (User.objects.count(), Profile.objects.count()) == before


@pytest.mark.django_db
def test_htmx_post_gets_only_the_form_partial(client, htmx_headers):
    response = client.post(URL, form(password2="nope-nope-nope"), headers=htmx_headers)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="signup-form"' in body
    assert "<html" not in body


@pytest.mark.django_db
def test_wrong_method_is_405(client):
    assert client.put(URL).status_code == 405


@pytest.mark.django_db
def test_signed_in_user_is_sent_home(owner_client):
    assert owner_client.get(URL)["Location"] == "/"


@pytest.mark.django_db
def test_sign_up_keeps_where_the_person_was_going(client):
    """ "Log in to add points of your own" -> "Create an account" -> sign-up -> the precaution step -> that page."""
    target = "/routines/points/mine/new/"
    login_page = client.get(f"/accounts/login/?next={target}").text
    assert 'href="/accounts/signup/?next=/routines/points/mine/new/"' in login_page
    page = client.get(f"{URL}?next={target}").text
    assert 'action="/accounts/signup/?next=/routines/points/mine/new/"' in page
    response = client.post(f"{URL}?next={target}", form())
    assert response["Location"] == "/accounts/precautions/?next=/routines/points/mine/new/"
    skipped = client.post("/accounts/precautions/?next=" + target, {"skip": "1", "next": target})
    assert skipped["Location"] == target


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_sign_up_drops_a_next_that_leaves_the_site(client, target):
    page = client.get(URL, {"next": target}).text
    assert "evil.example" not in page and "javascript:" not in page
    response = client.post(URL + "?" + urlencode({"next": target}), form())
    assert response["Location"] == "/accounts/precautions/?next=/"
