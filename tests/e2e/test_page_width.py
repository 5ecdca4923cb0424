"""Every audited page (tests/audit/pages.py) at 320, 360 and 390 px wide, with the longest value every user field
allows (routine and point names, notes, a share link's label...), once as words with spaces and once as a single
unbroken word:

- the page never scrolls sideways (the document is no wider than the screen), and nothing in it needs a sideways
  scroll to be read (a wide table stacks instead of scrolling in its own box);
- no word is broken in the middle where it would fit on a line of its box ("moder|ate", "Righ|t"); only a word
  wider than its box may break.
"""

from itertools import cycle, islice

import pytest

from tests.audit.browser import open_audited
from tests.audit.pages import visits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 360, 390)

# A word about as wide as 8 letters can be ("W" is about the widest glyph), repeated with spaces.
WORD = "Wwwwwwww"


def filled(model, field: str, spaced: bool) -> str:
    """As long as `model.field` allows: words with spaces, or one unbroken word."""
    from django.core.validators import MaxLengthValidator

    model_field = model._meta.get_field(field)
    length = model_field.max_length
    if length is None:
        length = next(v.limit_value for v in model_field.validators if isinstance(v, MaxLengthValidator))
    if not spaced:
        return "W" * length
    return "".join(islice(cycle(WORD + " "), length - 1)) + "w"


def lengthen(owner, spaced: bool) -> None:
    """Every user text of `owner` at its maximum length: their points and routines (each step on their own point),
    sessions and the plan each session copied, releases and share links."""
    from journal.models import Release, Session, ShareLink
    from routines.models import Area, Point, Routine, RoutineStep
    from tests.factories import make_point

    if not Point.objects.filter(owner=owner).exists():
        make_point(owner=owner, area=Area.objects.first())
    Point.objects.filter(owner=owner).update(
        name=filled(Point, "name", spaced), location=filled(Point, "location", spaced)
    )
    point = Point.objects.filter(owner=owner).first()
    Routine.objects.filter(owner=owner).update(
        name=filled(Routine, "name", spaced), description=filled(Routine, "description", spaced)
    )
    RoutineStep.objects.filter(routine__owner=owner).update(point=point)
    point_name = filled(Release, "point_name", spaced)
    for session in Session.objects.filter(user=owner):
        session.routine_name = filled(Session, "routine_name", spaced)
        session.notes = filled(Session, "notes", spaced)
        session.plan = [
            {**step, "point_id": point.pk, "point_slug": point.slug, "point_name": point_name} for step in session.plan
        ]
        session.save(update_fields=["routine_name", "notes", "plan"])
    Release.objects.filter(session__user=owner).update(
        point=point, point_name=point_name, notes=filled(Release, "notes", spaced)
    )
    ShareLink.objects.filter(user=owner).update(label=filled(ShareLink, "label", spaced))


# Text that runs out of its box (up to the nearest box that scrolls on its own), and words broken across lines
# although they would fit on one line of their box. A word is a run of characters between spaces, hyphens and
# slashes (where a line may break anyway). Text that is not laid out (hidden, in a form control, in a drawing,
# visually hidden) is left out.
TEXT_PROBLEMS = """() => {
  const skip = "script, style, template, noscript, textarea, select, option, svg";
  const words = /[^\\s\\-\\u2010-\\u2014\\/]+/g;
  const range = document.createRange();
  const found = [];
  // A word's box: the nearest block that is not inline, a table's part, or an item of a flex or grid container
  // (those are sized by their neighbours: a column or an item squeezed narrower than a word is the fault).
  const squeezable = (element) => {
    const display = getComputedStyle(element).display;
    return display === "inline" || display === "contents" || display.startsWith("table")
      || /flex|grid/.test(getComputedStyle(element.parentElement).display);
  };
  // Visually hidden text (for screen readers) is clipped to nothing on purpose.
  const clipped = (element) => {
    for (let box = element; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.clipPath !== "none" || (style.clip && style.clip !== "auto")) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.getClientRects().length || clipped(parent)) continue;
    let own = parent;
    while (own.parentElement && ["inline", "contents"].includes(getComputedStyle(own).display)) own = own.parentElement;
    range.selectNodeContents(node);
    const right = Math.max(...[...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.right));
    for (let box = own; box && box !== document.body; box = box.parentElement) {
      if (box !== own && ["auto", "scroll"].includes(getComputedStyle(box).overflowX)) break;
      if (right > box.getBoundingClientRect().right + 1) {
        found.push(`text runs out of its box: ${box.tagName.toLowerCase()}.${box.className}: `
          + `"${node.data.trim().slice(0, 30)}"`);
        break;
      }
    }
    let box = parent;
    while (box.parentElement && squeezable(box)) box = box.parentElement;
    const style = getComputedStyle(box);
    const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const match of node.data.matchAll(words)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (new Set(rects.map((r) => Math.round(r.bottom))).size < 2) continue;
      const width = rects.reduce((sum, r) => sum + r.width, 0);
      if (width <= room + 0.5) {
        found.push(`broken "${match[0].slice(0, 30)}" (${Math.round(width)} px in a ${Math.round(room)} px `
          + `${box.tagName.toLowerCase()}.${box.className})`);
      }
    }
  }
  return found;
}"""

# Elements whose right edge is past the screen's, except inside a box that scrolls on its own and itself fits.
PAST_THE_EDGE = """() => {
  const width = document.documentElement.clientWidth;
  const scrolledInside = (element) => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && box.getBoundingClientRect().right <= width + 0.5) {
        return true;
      }
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((element) => element.getClientRects().length && element.getBoundingClientRect().right > width + 0.5
      && !scrolledInside(element))
    .slice(0, 8)
    .map((element) => element.tagName.toLowerCase() + "." + element.className + ": "
      + (element.textContent || "").trim().slice(0, 40));
}"""


# Content that needs a sideways scroll to be read: a box that scrolls on its own (a table's overflow box) whose content
# is wider than the box. On a phone a table stacks (or shows its key columns in the width), so date, routine and leg
# pain are read without scrolling. The one exception is the calendar of sessions (a drawing of weeks side by side,
# whose numbers are in the table below it).
SCROLLS_SIDEWAYS = """() => [...document.querySelectorAll("body *")]
  .filter((box) => box.getClientRects().length && ["auto", "scroll"].includes(getComputedStyle(box).overflowX)
    && box.scrollWidth > box.clientWidth + 1 && !box.matches("#heatmap-chart-figure"))
  .map((box) => `${box.tagName.toLowerCase()}.${box.className} (${box.getAttribute("aria-label") || ""}): `
    + `${box.scrollWidth} px of content in ${box.clientWidth} px`)"""


def problems_at(page, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 844})
    found = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        found.append(f"{width} px: the page is {scroll_width} px wide; past the edge: {page.evaluate(PAST_THE_EDGE)}")
    found.extend(f"{width} px: {problem}" for problem in page.evaluate(TEXT_PROBLEMS))
    found.extend(f"{width} px: scrolls sideways: {problem}" for problem in page.evaluate(SCROLLS_SIDEWAYS))
    return found


@pytest.mark.parametrize("spaced", [True, False], ids=["words", "one-word"])
@pytest.mark.parametrize(("audit_page", "visitor"), visits())
def test_fits_a_phone_with_the_longest_values(page, owner, audit_page, visitor, spaced):
    url = audit_page.url
    opened = audit_page.__class__(**{**audit_page.__dict__, "url": lambda user: _lengthened(url, user, spaced)})
    path = open_audited(page, opened, visitor, owner)
    problems = [problem for width in WIDTHS for problem in problems_at(page, width)]
    assert problems == [], f"{audit_page.name} ({path}) as {visitor}:\n" + "\n".join(problems[:20])


def _lengthened(url, owner, spaced: bool) -> str:
    path = url(owner) if callable(url) else url
    lengthen(owner, spaced)
    return path


def test_the_sweep_finds_an_overflow_and_a_broken_word(page):
    """The checks can fail: a wide box and a word squeezed into a narrow one are both reported."""
    page.goto("/safety/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<div class="wide">x</div><p class="narrow">moderate</p>');
            main.querySelector(".wide").style.width = "500px";
            const narrow = main.querySelector(".narrow");
            narrow.style.width = "20px";
            narrow.style.wordBreak = "break-all";
            narrow.parentElement.style.width = "auto";
        }"""
    )
    problems = problems_at(page, 360)
    assert any("the page is" in problem and "div.wide" in problem for problem in problems), problems
    assert not any("moderate" in problem for problem in problems)  # 20 px: the word is wider than its box
    page.evaluate(
        """() => {
            const narrow = document.querySelector(".narrow");
            narrow.style.width = "200px";
            narrow.style.wordBreak = "normal";
            narrow.style.display = "flex";
            narrow.innerHTML = '<span class="label">Pressure</span><span class="squeezed">moderate</span>';
            narrow.firstChild.style.flex = "0 0 175px";
            narrow.lastChild.style.overflowWrap = "anywhere";
        }"""
    )
    assert any('broken "moderate"' in problem for problem in problems_at(page, 360))
    page.evaluate(
        """() => {
            const squeezed = document.querySelector(".squeezed");
            squeezed.style.overflowWrap = "normal";
            squeezed.style.overflow = "hidden";
            squeezed.style.flex = "0 0 30px";
        }"""
    )
    assert any('text runs out of its box: span.squeezed: "moderate"' in p for p in problems_at(page, 360))
