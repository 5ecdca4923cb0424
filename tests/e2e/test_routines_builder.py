"""In the browser: the body map is reachable and named from the keyboard; steps reorder from the keyboard."""

from contextlib import contextmanager

import pytest

from routines.models import Point, Routine
from tests.factories import make_point, make_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def htmx_settled(page):
    """Waits, after the body of the `with`, until htmx has swapped and settled (new buttons wired up)."""
    page.evaluate(
        "() => { window.tsSettled = new Promise((done) =>"
        " document.body.addEventListener('htmx:afterSettle', done, {once: true})); }"
    )
    yield
    page.evaluate("() => window.tsSettled.then(() => true)")


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName.toLowerCase(), id: e.id,"
        " cls: e.getAttribute('class') || '', label: e.getAttribute('aria-label') || '',"
        " href: e.getAttribute('href') || ''}; }"
    )


def test_tabbing_reaches_every_map_mark_by_name(page):
    page.goto("/routines/points/")
    expected = {p.label(side) for p in Point.objects.builtin() for side in ("left", "right")}
    reached = []
    for _ in range(120):
        page.keyboard.press("Tab")
        element = focused(page)
        if "body-map-link" in element["cls"]:
            reached.append(element["label"])
        elif reached:
            break
    assert len(reached) == 14 and set(reached) == expected
    # Enter on a focused mark opens that point with the side highlighted.
    page.keyboard.press("Shift+Tab")
    label = focused(page)["label"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/routines/points/**?side=*")
    assert page.locator(".body-map-mark.is-highlight").count() == 1
    assert page.get_by_role("link", name=f"{label} (highlighted)").count() == 1
    assert page.console_errors == []


def test_map_scales_on_a_phone(page):
    page.goto("/routines/points/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a 390 px phone"
    box = page.locator("svg.body-map-soles").bounding_box()
    assert 200 <= box["width"] <= 390


def test_reorder_steps_from_the_keyboard(signed_in_page, owner):
    page = signed_in_page
    owner.profile.acknowledge_safety()
    routine = make_routine(owner=owner, steps=3, name="Keyboard routine")
    first, second, third = routine.steps.order_by("position")
    page.goto(f"/routines/{routine.pk}/")

    page.locator(f"#step-{third.pk}-up").focus()
    with htmx_settled(page):
        page.keyboard.press("Enter")
    page.get_by_text(f"{third.point.label(third.side)} is now step 2.").wait_for()
    assert focused(page)["id"] == f"step-{third.pk}-up", "focus stays on the moved step's button"
    with htmx_settled(page):
        page.keyboard.press("Enter")
    page.get_by_text(f"{third.point.label(third.side)} is now step 1.").wait_for()
    assert list(routine.steps.order_by("position").values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]

    # Remove with the keyboard too, then add a step on both sides.
    page.locator(f"#step-{first.pk}-remove").focus()
    with htmx_settled(page):
        page.keyboard.press("Enter")
    page.get_by_text("Removed step 2").wait_for()
    assert focused(page)["id"] == f"step-{second.pk}-remove", "focus goes to the step that took its place"
    page.locator("#id_point").select_option(label="Glutes: Glute, outer side")
    page.get_by_label("Both (adds two steps: left, then right)").check()
    page.locator("#step-form").get_by_label("Hold (seconds)").fill("90")
    page.get_by_role("button", name="Add the step").click()
    page.get_by_text("outside the 30-60 seconds the article suggests").wait_for()
    steps = list(routine.steps.order_by("position").values_list("position", "side", "hold_seconds"))
    assert steps[-2:] == [(3, "left", 90), (4, "right", 90)]
    assert [p for p, _, _ in steps] == [1, 2, 3, 4]
    assert page.locator("#routine-builder li[id^=step-]").count() == 4
    assert page.console_errors == []


def test_announcements_land_in_the_one_live_region_that_stays(signed_in_page, owner):
    page = signed_in_page
    owner.profile.acknowledge_safety()
    routine = make_routine(owner=owner, steps=2, name="Announced routine")
    first = routine.steps.get(position=1)
    page.goto(f"/routines/{routine.pk}/")
    page.evaluate("() => { window.tsRegion = document.getElementById('builder-status'); }")
    with htmx_settled(page):
        page.locator(f"#step-{first.pk}-down").click()
    page.get_by_text(f"{first.label} is now step 2.").wait_for()
    region = page.locator("#builder-status")
    assert region.count() == 1
    assert region.evaluate("el => el === window.tsRegion"), "the live region is the page's own, not a new one"
    assert (region.get_attribute("role"), region.get_attribute("aria-live")) == ("status", "polite")
    assert region.get_attribute("hx-swap-oob") is None
    assert region.inner_text() == f"{first.label} is now step 2."
    assert page.console_errors == []


def short_links(page, selector: str) -> tuple[int, list[str]]:
    """How many links match `selector`, and those under 44 px tall (name: height)."""
    return page.evaluate(
        """(selector) => {
          const links = [...document.querySelectorAll(selector)];
          const short = links.map((a) => [a.textContent.trim(), a.getBoundingClientRect().height])
            .filter(([, height]) => height < 44).map(([name, height]) => `${name}: ${height}`);
          return [links.length, short];
        }""",
        selector,
    )


def test_catalogue_and_routine_list_links_are_44_px_tall(signed_in_page, owner):
    page = signed_in_page
    make_point(owner=owner, name="Calf knot")
    make_routine(owner=owner, steps=2, name="Mine")
    page.goto("/routines/points/")
    count, short = short_links(page, ".catalogue-points a[href^='/routines/points/']:not(.btn)")
    assert count == 9 and short == []  # 8 listings of the 7 built-in spots, and the custom one
    page.goto("/routines/")
    count, short = short_links(page, ".list-group-item a[href^='/routines/']")
    assert count == Routine.objects.visible_to(owner).count() and short == []
    assert page.console_errors == []


def test_change_a_step_in_place_then_remove_it_and_undo(signed_in_page, owner):
    page = signed_in_page
    owner.profile.acknowledge_safety()
    routine = make_routine(owner=owner, steps=2, name="Tweak me")
    first = routine.steps.get(position=1)
    page.goto(f"/routines/{routine.pk}/")
    page.locator(f"#step-{first.pk}-change").click()
    page.get_by_label("Side of step 1").select_option("right")
    page.get_by_label("Hold (seconds) of step 1").fill("50")
    with htmx_settled(page):
        page.locator(f"#step-{first.pk}").get_by_role("button", name="Save").click()
    page.get_by_text("Step 1 is now Right").wait_for()
    first.refresh_from_db()
    assert (first.side, first.hold_seconds) == ("right", 50)
    assert focused(page)["id"] == f"step-{first.pk}-change"

    with htmx_settled(page):
        page.locator(f"#step-{first.pk}-remove").click()
    assert routine.steps.count() == 1
    with htmx_settled(page):
        page.get_by_role("button", name="Undo").click()
    page.get_by_text("Put back").wait_for()
    steps = list(routine.steps.order_by("position").values_list("point_id", "side", "hold_seconds"))
    assert len(steps) == 2 and steps[0] == (first.point_id, "right", 50)
    assert page.console_errors == []
