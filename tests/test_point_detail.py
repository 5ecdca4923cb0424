"""A point's page: everything about it, readable signed out, the map highlighting it."""

import pytest

from routines.models import Point
from tests.factories import make_point


def url(slug: str) -> str:
    return f"/routines/points/{slug}/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug",
    [
        "heel-behind-ball-of-foot",
        "heel-inside-edge",
        "ball-of-foot-behind-big-toe",
        "ball-of-foot-under",
        "plantar-fascia-bottom-of-foot",
        "glute-top",
        "glute-side",
    ],
)
def test_every_field_is_shown_signed_out(anonymous_client, slug):
    point = Point.objects.get(slug=slug)
    response = anonymous_client.get(url(slug))
    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        point.name,
        point.location,
        point.how_to_find,
        point.technique,
        point.tool,
        point.pressure_guidance,
        point.evidence_note,
        point.sciatica_evidence,
        point.local_evidence,
        point.contraindications,
        f"{point.default_hold_seconds} seconds (the article suggests 30 to 60)",
        point.referral_note,
        f"{point.default_hold_seconds} seconds",
    ]:
        assert text.replace("'", "&#x27;") in body, text
    assert "7 is a ceiling, not a target" in body and "Evidence for sciatica" in body
    assert f"Evidence for {point.local_problem}" in body
    assert 'href="/safety/"' in body
    assert body.count("body-map-mark is-highlight") == 2
    if point.snomed_code:
        assert point.snomed_code in body and point.snomed_display in body
    else:
        assert "SNOMED" not in body


@pytest.mark.django_db
def test_shared_spot_page_names_both_areas(anonymous_client):
    body = anonymous_client.get(url("heel-inside-edge")).content.decode()
    assert "Listed under Heel, and again under Plantar fascia" in body


@pytest.mark.django_db
def test_side_from_the_map_highlights_that_side(anonymous_client):
    body = anonymous_client.get(url("glute-top") + "?side=right").content.decode()
    assert body.count("body-map-mark is-highlight") == 1
    assert 'aria-label="Right glute, top (highlighted)"' in body
    bogus = anonymous_client.get(url("glute-top") + "?side=middle").content.decode()
    assert bogus.count("body-map-mark is-highlight") == 2


@pytest.mark.django_db
def test_unknown_point_is_404(anonymous_client):
    assert anonymous_client.get(url("no-such-point")).status_code == 404


@pytest.mark.django_db
def test_custom_point_is_private(owner, owner_client, other_client, anonymous_client):
    point = make_point(owner=owner, name="Calf knot")
    mine = owner_client.get(url(point.slug))
    assert mine.status_code == 200 and "Your own point" in mine.content.decode()
    assert f"/routines/points/mine/{point.pk}/edit/" in mine.content.decode()
    assert other_client.get(url(point.slug)).status_code == 404
    assert anonymous_client.get(url(point.slug)).status_code == 404


@pytest.mark.django_db
def test_builtin_point_offers_no_edit(owner_client):
    body = owner_client.get(url("glute-top")).content.decode()
    assert "/edit/" not in body and "Delete this point" not in body


@pytest.mark.django_db
def test_wrong_method(anonymous_client):
    assert anonymous_client.post(url("glute-top")).status_code == 405


@pytest.mark.django_db
def test_query_count(anonymous_client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the point with its area, the areas it is also listed in
        response = anonymous_client.get(url("heel-inside-edge"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_every_builtin_point_names_its_group_as_the_articles(client):
    """The article's groups are not anatomy ("Heel" holds a spot on the sole): no page says "Area: Heel"."""
    for point in Point.objects.filter(owner=None).select_related("area"):
        html = client.get(url(point.slug)).text
        assert "<dt>Area</dt>" not in html
        assert f"<dt>In the article</dt>\n      <dd>Listed under {point.area.name}" in html, point.slug
    shared = Point.objects.filter(owner=None, also_listed_in__isnull=False).first()
    html = client.get(url(shared.slug)).text
    assert ", and again under " in html
