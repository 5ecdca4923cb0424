"""The body-map component: marks, names, links, highlight, values and legend, CSP-safe markup."""

import re

import pytest
from django.template import Context, Template

from routines.models import Point
from tests.factories import make_point

LINK = re.compile(r'<a class="body-map-link" href="([^"]+)" aria-label="([^"]+)">')


def render(source: str, **context) -> str:
    return Template("{% load body_map %}" + source).render(Context(context))


@pytest.fixture
def points(db):
    return list(Point.objects.builtin().order_by("order"))


def test_every_point_is_marked_on_both_sides_as_a_named_link(points):
    html = render("{% body_map points %}", points=points)
    links = LINK.findall(html)
    assert len(links) == 2 * len(points) == 14
    for point in points:
        for side in ("left", "right"):
            assert (f"/routines/points/{point.slug}/?side={side}", point.label(side)) in links
    assert html.count('class="body-map-mark') == 14
    assert 'role="group"' in html, "an svg holding links must not be role=img (that hides them)"


def test_right_mark_mirrors_the_left(points):
    html = render("{% body_map points %}", points=[Point.objects.get(slug="glute-side")])
    assert re.findall(r'class="body-map-dot" cx="([\d.]+)"', html) == ["13.00", "87.00"]


def test_a_text_list_of_the_same_points_sits_beside_the_map(points):
    html = render("{% body_map points %}", points=points)
    listing = html.split('<ul class="body-map-list')[1]
    for point in points:
        assert f'href="/routines/points/{point.slug}/">{point.name}</a>' in listing


def test_both_drawings_and_only_the_needed_ones(points):
    both = render("{% body_map points %}", points=points)
    assert "body-map-soles" in both and "body-map-buttocks" in both
    glutes = render("{% body_map points %}", points=[p for p in points if p.map_view == "buttocks"])
    assert "body-map-soles" not in glutes and "body-map-buttocks" in glutes


def test_highlight_one_point_and_side(points):
    heel = Point.objects.get(slug="heel-inside-edge")
    html = render('{% body_map points highlight=heel highlight_side="right" %}', points=points, heel=heel)
    assert html.count("body-map-mark is-highlight") == 1
    assert 'data-point="heel-inside-edge" data-side="right"' in html.split("is-highlight")[1][:80]
    assert 'aria-label="Right heel, inside edge (highlighted)"' in html


def test_highlight_a_point_on_both_sides(points):
    heel = Point.objects.get(slug="heel-inside-edge")
    html = render("{% body_map points highlight=heel %}", points=points, heel=heel)
    assert html.count("body-map-mark is-highlight") == 2


def test_values_colour_marks_and_bring_a_legend(points):
    top = Point.objects.get(slug="glute-top")
    values = {(top.pk, "left"): 0.0, (top.pk, "right"): 1.0}
    html = render('{% body_map points values=values value_label="Tender" %}', points=points, values=values)
    assert "shade-0" in html and "shade-4" in html
    assert 'aria-label="Left glute, top: tender 0%"' in html and 'aria-label="Right glute, top: tender 100%"' in html
    assert 'class="body-map-legend"' in html and "80-100%" in html
    assert "right: 100%" in html, "values are given in words in the list too"


def test_no_values_no_legend(points):
    assert "body-map-legend" not in render("{% body_map points %}", points=points)


def test_without_links_marks_are_not_focusable(points):
    html = render("{% body_map points link=False title='Today' %}", points=points)
    assert "<a " not in html and 'role="img"' in html
    assert "<title>Left glute, top</title>" in html


def test_no_inline_styles_and_unique_ids(points):
    html = render("{% body_map points %}{% body_map points %}", points=points)
    assert "style=" not in html and "<style" not in html
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_same_point_twice_is_marked_once(points):
    top = Point.objects.get(slug="glute-top")
    html = render("{% body_map points %}", points=[top, top, top])
    assert len(LINK.findall(html)) == 2


@pytest.mark.django_db
def test_custom_point_is_placed_where_its_owner_put_it(owner):
    point = make_point(owner=owner, name="Calf knot", map_view="buttocks", map_x=20, map_y=90)
    point.refresh_from_db()
    html = render("{% body_map points %}", points=[point])
    assert 'aria-label="Left calf knot"' in html
    assert 'cx="20.00" cy="90.00"' in html and 'cx="80.00" cy="90.00"' in html


def test_grid_helps_place_a_point_and_is_off_by_default(points):
    assert "body-map-grid" not in render("{% body_map points %}", points=points)
    html = render("{% body_map points grid=True %}", points=points)
    assert html.count('class="body-map-grid"') == 2 and 'd="M50 0V100M0 50H100"' in html


def test_no_answers_is_hollow_and_named_never_a_value(points):
    """With values, a mark without one ("no answers" in the period) is its own pattern, named in the legend and in
    its label; marks with a value carry the outline class; without values no mark is "no answers"."""
    top = Point.objects.get(slug="glute-top")
    values = {(top.pk, "left"): 0.0, (top.pk, "right"): 1.0}
    html = render('{% body_map points values=values value_label="Tender" %}', points=points, values=values)
    assert html.count('class="body-map-mark no-answers"') == 12 and html.count(' has-value"') == 2
    assert re.search(r'class="body-map-mark no-answers" data-point="glute-top"', html) is None
    assert (
        'aria-label="Left glute, outer side: no answers"' in html
        and "<title>Right glute, outer side: no answers</title>" in html
    )
    legend = html.split('class="body-map-legend"')[1].split("</div>")[0]
    assert '<span class="body-map-swatch no-answers" aria-hidden="true"></span> no answers' in legend
    plain = render("{% body_map points %}", points=points)
    assert "no-answers" not in plain and "no answers" not in plain and ' has-value"' not in plain


def test_the_legend_names_its_ends_in_words_true_in_both_modes(points):
    """The ramp is darker for more on the light shape and brighter for more on the dark one: the legend says "less
    often" and "more often" beside the end swatches, never "darker" or "lighter"."""
    top = Point.objects.get(slug="glute-top")
    html = render("{% body_map points values=values %}", points=points, values={(top.pk, "left"): 0.5})
    legend = html.split('class="body-map-legend"')[1].split("</div>")[0]
    words = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", legend)]
    assert words == ["less often tender", "0-19%", "20-39%", "40-59%", "60-79%", "80-100%", "more often tender"]
    assert "darker" not in html and "lighter" not in html


def test_the_text_list_says_no_answers_rather_than_nothing(points):
    """In the list beside the map a point without answers says so (once for both sides), a point with one side
    answered gives the other side as "no answers"; without values the list says nothing of answers."""
    top = Point.objects.get(slug="glute-top")
    html = render("{% body_map points values=values %}", points=points, values={(top.pk, "left"): 0.25})
    listing = html.split('<ul class="body-map-list')[1]
    items = {
        re.search(r">([^<]+)</a>", item)[1]: " ".join(re.sub(r"<[^>]+>", " ", item.split("</a>", 1)[1]).split())
        for item in re.findall(r"<li[^>]*>(.*?)</li>", listing, re.S)
    }
    assert items["Glute, top"] == "(buttocks from behind) left: 25% right: no answers"
    assert items["Glute, outer side"] == "(buttocks from behind) no answers"
    assert listing.count("no answers") == len(points)  # six points without answers, and glute top on the right
    assert listing.count('class="body-map-swatch no-answers"') == len(points)
    plain = render("{% body_map points %}", points=points).split('<ul class="body-map-list')[1]
    assert "answers" not in plain and "body-map-swatch" not in plain
