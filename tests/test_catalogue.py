"""The built-in catalogue: its content, its data migrations, and the catalogue page."""

import re

import pytest
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from routines.catalogue import ensure_builtin_catalogue, remove_builtin_catalogue
from routines.models import ARTICLE_HOLD_RANGE, Area, MapView, Point, Routine, RoutineStep
from tests.factories import make_point, make_routine

VERIFIED_SNOMED = {"76853006", "46862004", "78333006", "75297007"}
AREAS = ["Heel", "Ball of foot", "Plantar fascia", "Glutes"]
URL = "/routines/points/"


def listings() -> dict[str, list[str]]:
    return {area.name: sorted(p.slug for p in Point.objects.builtin().in_area(area)) for area in Area.objects.all()}


def snapshot() -> dict:
    return {
        "areas": list(Area.objects.order_by("slug").values_list("slug", "name", "order")),
        "points": list(Point.objects.builtin().order_by("slug").values_list("slug", "name", "area__slug", "map_x")),
        "routines": [
            (r.slug, [(s.point.slug, s.side, s.position) for s in r.steps.select_related("point")])
            for r in Routine.objects.builtin().order_by("slug")
        ],
    }


# Content ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_four_areas_in_article_order():
    assert [a.name for a in Area.objects.all()] == AREAS


@pytest.mark.django_db
def test_eight_listings_of_seven_spots_two_per_area():
    by_area = listings()
    assert all(len(slugs) == 2 for slugs in by_area.values()), by_area
    assert sum(len(slugs) for slugs in by_area.values()) == 8
    assert Point.objects.builtin().count() == 7


@pytest.mark.django_db
def test_the_inside_edge_of_the_heel_is_one_spot_in_two_areas():
    heel = Point.objects.get(slug="heel-inside-edge")
    assert Point.objects.builtin().filter(name__icontains="inside edge").count() == 1
    assert heel.area.slug == "heel"
    assert [a.slug for a in heel.also_listed_in.all()] == ["plantar-fascia"]
    by_area = listings()
    assert "heel-inside-edge" in by_area["Heel"] and "heel-inside-edge" in by_area["Plantar fascia"]


@pytest.mark.django_db
def test_every_point_is_complete_and_honest():
    low, high = ARTICLE_HOLD_RANGE
    for point in Point.objects.builtin():
        assert low <= point.default_hold_seconds <= high, point.slug
        for field in ["location", "how_to_find", "technique", "tool", "evidence_note", "contraindications"]:
            assert len(getattr(point, field)) > 20 or field == "tool", (point.slug, field)
        assert "7 is a ceiling, not a target" in point.pressure_guidance and "0-10" in point.pressure_guidance
        assert "tingling, burning or electric pain down your leg" in point.pressure_guidance
        assert point.evidence_level in {"none", "expert", "limited"}
        assert "ball" in point.technique.lower()
        assert point.map_view in MapView.values
        assert 0 < point.map_x < 50 and 0 < point.map_y < 100, "left-side mark inside the left half"
        assert not re.search(r"\b(cures?|proven|guaranteed)\b", point.evidence_note.lower())


@pytest.mark.django_db
def test_foot_points_say_there_is_no_evidence_for_sciatic_referral():
    for point in Point.objects.builtin().filter(map_view=MapView.SOLES):
        note = point.evidence_note.lower()
        assert "no scientific evidence" in note and "heel and sole only" in note, point.slug
        assert point.evidence_level == "none"
        assert point.sciatica_evidence == "No research found on pressing this spot for sciatica."


@pytest.mark.django_db
def test_evidence_is_graded_for_sciatica_and_for_the_local_problem():
    grades = {p.slug: (p.evidence_level, p.local_problem, p.local_evidence_level) for p in Point.objects.builtin()}
    assert grades["heel-inside-edge"] == ("none", "heel pain", "limited")
    assert grades["plantar-fascia-bottom-of-foot"] == ("none", "heel pain", "limited")
    assert grades["ball-of-foot-under"] == ("none", "pain in the ball of the foot", "none")
    assert grades["glute-top"] == ("limited", "buttock and low back pain", "expert")
    assert grades["glute-side"] == ("limited", "buttock and hip pain", "expert")
    for point in Point.objects.builtin():
        note = point.evidence_note
        # The 2022 meta-analysis on every point, and the sources named.
        assert "2022 review" in note and "fell no more than with the comparison treatments" in note, point.slug
        assert "Sources:" in note and "PMC9434898" in note, point.slug
        assert "sent to the sciatic nerve" not in note and "refer pain to the sciatic nerve" not in note
        assert point.local_evidence.endswith(f"for {point.local_problem}.") or "for " + point.local_problem in (
            point.local_evidence
        )
    heel = Point.objects.get(slug="heel-inside-edge").evidence_note
    assert "calf muscles" in heel and "stretching" in heel and "did not treat the sole" in heel
    assert "hands-on therapy for heel pain in general" in heel
    for slug in ("glute-top", "glute-side"):
        note = Point.objects.get(slug=slug).evidence_note
        assert "nerve root" in note and "needling" in note and "none tested pressing with a ball" in note
    assert "sciatica-like" in Point.objects.get(slug="glute-side").evidence_note
    assert "not down the leg" in Point.objects.get(slug="glute-top").evidence_note


@pytest.mark.django_db
def test_one_position_and_one_landmark_per_glute_point():
    top = Point.objects.get(slug="glute-top")
    side = Point.objects.get(slug="glute-side")
    assert "Lie on your back" in top.technique and "wall" not in top.technique and "side" not in top.how_to_find
    assert "hand's width" not in top.how_to_find and "rim of your pelvis" in top.how_to_find
    assert "wall" in side.technique and "Lie" not in side.technique and "Lie" not in side.how_to_find
    assert "bony point" in side.how_to_find and "lying on that side hurts" in side.technique
    for point in Point.objects.builtin().filter(map_view=MapView.SOLES):
        assert "Sit" in point.technique and "something steady" in point.technique and "fall risk" in point.technique
        assert "diabetes foot team or podiatrist" in point.contraindications
        assert "big jump in how much you walk or run" in point.contraindications


@pytest.mark.django_db
def test_cautions_are_concrete_and_the_blood_thinner_rule_is_the_same_everywhere():
    rules = set()
    for point in Point.objects.builtin():
        text = point.contraindications
        assert "a bone that may be broken" not in text and "after a fall or injury" in text
        assert "recent deep bruise" in text and "bone infection" in text and "long-term steroids" in text
        rules.add(text[text.index("If you take blood thinners") :])
    assert len(rules) == 1 and "stop and ask" in rules.pop()


@pytest.mark.django_db
def test_one_pressure_message_on_the_catalogue_the_runner_and_the_safety_page(client):
    from routines.catalogue import WORDING

    for url in ("/routines/points/", "/safety/"):
        body = client.get(url).content.decode()
        assert WORDING.PRESSURE in body, url
        assert "keep the pressure strong" not in body.lower()


@pytest.mark.django_db
def test_snomed_codes_only_where_verified():
    codes = dict(Point.objects.builtin().values_list("slug", "snomed_code"))
    assert codes["heel-inside-edge"] == "76853006"
    assert codes["glute-top"] == "78333006" and codes["glute-side"] == "75297007"
    for slug in ["heel-behind-ball-of-foot", "ball-of-foot-behind-big-toe", "ball-of-foot-under"]:
        assert codes[slug] == "", "sole and ball of foot codes were not verified: leave them out"
    assert {c for c in codes.values() if c} <= VERIFIED_SNOMED


@pytest.mark.django_db
def test_names_read_well_after_a_side():
    labels = {p.slug: p.label("left") for p in Point.objects.builtin()}
    assert labels["heel-inside-edge"] == "Left heel, inside edge"
    assert labels["glute-top"] == "Left glute, top"
    assert labels["ball-of-foot-behind-big-toe"] == "Left ball of the foot, behind the big toe"


@pytest.mark.django_db
def test_builtin_routines_cover_both_sides_with_contiguous_positions():
    expected = {"whole-article": 14, "feet-only": 10, "glutes-only": 4}
    for routine in Routine.objects.builtin():
        steps = list(routine.steps.order_by("position"))
        assert len(steps) == expected[routine.slug]
        assert [s.position for s in steps] == list(range(1, len(steps) + 1))
        assert sum(s.side == "left" for s in steps) == sum(s.side == "right" for s in steps)


# Migrations -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_migrations_are_idempotent():
    before = snapshot()
    ensure_builtin_catalogue()
    ensure_builtin_catalogue()
    assert snapshot() == before
    assert Point.objects.builtin().count() == 7 and Routine.objects.builtin().count() == 3


@pytest.mark.django_db
def test_catalogue_migrations_reverse_and_reapply(owner):
    mine = make_point(owner=owner, name="My calf spot")
    before = snapshot()
    remove_builtin_catalogue()
    assert not Point.objects.builtin().exists() and not Routine.objects.builtin().exists()
    assert not Area.objects.exists()
    assert Point.objects.filter(pk=mine.pk).exists(), "a user's own point survives the reversal"
    remove_builtin_catalogue()  # reversing twice is harmless
    ensure_builtin_catalogue()
    assert snapshot() == before


@pytest.mark.django_db
def test_rename_migration_reverses_to_the_original_names_and_spares_admin_edits():
    from django.apps import apps

    from routines.catalogue import RENAME

    Point.objects.filter(slug="glute-side").update(name="Edited in the admin")
    RENAME.rename_backwards(apps, None)
    assert Point.objects.get(slug="glute-top").name == "Top of the glute"
    assert Point.objects.get(slug="glute-side").name == "Edited in the admin"
    RENAME.rename_forwards(apps, None)
    RENAME.rename_forwards(apps, None)
    assert Point.objects.get(slug="glute-top").name == "Glute, top"


def test_catalogue_migrations_declare_a_reverse():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for name in ["0002_builtin_catalogue", "0003_catalogue_names"]:
        migration = loader.disk_migrations[("routines", name)]
        operations = [op for op in migration.operations if isinstance(op, RunPython)]
        assert operations and all(op.reversible for op in operations)


# The page ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_is_readable_signed_out(anonymous_client):
    response = anonymous_client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    for name in AREAS:
        assert f">{name}</h2>" in body
    for point in Point.objects.builtin():
        assert f'href="/routines/points/{point.slug}/"' in body
    assert 'href="/safety/"' in body
    assert "Log in</a> to add points of your own" in body


@pytest.mark.django_db
def test_catalogue_lists_the_shared_spot_under_both_areas_but_maps_it_once_per_side(anonymous_client):
    body = anonymous_client.get(URL).content.decode()
    heel_section = body.split('id="area-heel"')[1].split("</section>")[0]
    plantar_section = body.split('id="area-plantar-fascia"')[1].split("</section>")[0]
    assert "heel-inside-edge" in heel_section and "heel-inside-edge" in plantar_section
    assert "the same spot as under Heel" in plantar_section
    assert body.count('data-point="heel-inside-edge"') == 2
    assert 'aria-label="Left heel, inside edge"' in body and 'aria-label="Right heel, inside edge"' in body


@pytest.mark.django_db
def test_catalogue_map_marks_every_point_on_both_sides(anonymous_client):
    body = anonymous_client.get(URL).content.decode()
    marks = re.findall(r'<a class="body-map-link" href="([^"]+)" aria-label="([^"]+)"', body)
    assert len(marks) == 14
    assert {label for _, label in marks} == {p.label(s) for p in Point.objects.builtin() for s in ("left", "right")}


@pytest.mark.django_db
def test_custom_points_show_only_to_their_owner(owner_client, other_client, owner):
    make_point(owner=owner, name="My calf spot")
    assert "My calf spot" in owner_client.get(URL).content.decode()
    assert "My calf spot" not in other_client.get(URL).content.decode()


@pytest.mark.django_db
def test_catalogue_wrong_method(anonymous_client):
    assert anonymous_client.post(URL).status_code == 405


@pytest.mark.django_db
def test_catalogue_query_count_is_flat(anonymous_client, owner_client, owner, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert anonymous_client.get(URL).status_code == 200
    owner_client.get(URL)  # warm the session
    for n in range(15):
        make_point(owner=owner, name=f"Spot {n}")
    make_routine(owner=owner, steps=5)
    # session, user, profile (time-zone middleware), points, their shared areas, areas
    with django_assert_num_queries(6):
        response = owner_client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count('class="body-map-link"') == 2 * (7 + 15)
    assert RoutineStep.objects.exists()


# Admin ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    from tests.factories import make_user

    client.force_login(make_user("staff", is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_catalogue_is_editable_in_the_admin(admin_client):
    point = Point.objects.get(slug="glute-top")
    assert admin_client.get("/admin/routines/point/?source=builtin").status_code == 200
    page = admin_client.get(f"/admin/routines/point/{point.pk}/change/")
    assert page.status_code == 200 and "Safety and evidence" in page.content.decode()
    routine = Routine.objects.get(slug="whole-article")
    assert admin_client.get(f"/admin/routines/routine/{routine.pk}/change/").status_code == 200
    assert admin_client.get("/admin/routines/area/").status_code == 200


@pytest.mark.django_db
def test_renumber_closes_gaps_left_outside_the_builder(owner):
    routine = make_routine(owner=owner, steps=4)
    routine.steps.filter(position=2).delete()
    routine.steps.filter(position=4).update(position=9)
    routine.renumber()
    assert list(routine.steps.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
