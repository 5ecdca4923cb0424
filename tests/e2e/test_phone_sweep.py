"""Every audited page (tests/audit/pages.py) on a 390 x 844 phone:

- no "Content Security Policy" message in the console and no `securitypolicyviolation` event (an inline style
  attribute in a template, or one set by a script in a way the strict CSP refuses, shows up here);
- every control is a tap target of at least 44 x 44 CSS px.

The tap-target rule (WCAG 2.5.5 at 44 px, our own bar; 2.5.8's exceptions apply):
- measured: every visible `a`, `button`, `summary`, `select`, `input` (not hidden) and `label` of a checkbox or
  radio; a checkbox or radio itself counts by its label when it has one (the label is its target: a tap on it
  ticks the box), and an input that is visually hidden behind its label (Bootstrap's `.btn-check`) counts by the
  label only;
- exempt, as 2.5.8's "inline" exception: a link inside a sentence, i.e. an `a` whose parent has other text next to
  it on the same line (the line height of the sentence sets its size); never a call link (`tel:`): the number to
  ring in an emergency is a target of its own wherever it stands;
- exempt: a control inside an element marked `data-tap-exempt` (none at present; each use must say why).

Nothing takes the keyboard focus unseen: every focusable control that is not visible (clipped, see-through, in a
visually hidden table head) must become visible when it has the focus (a skip link does), or not be focusable at
all. A radio or checkbox drawn as its label (`.btn-check`) counts by its label.
"""

import pytest

from tests.audit.browser import open_audited
from tests.audit.pages import visits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TARGET = 44

# Every CSP violation the page sees, kept on window (added before any page script runs).
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});"""

SMALL_TARGETS = """(minimum) => {
  const visible = (el) => {
    const rects = el.getClientRects();
    if (!rects.length) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") return false;
    for (let box = el; box; box = box.parentElement) {
      const s = getComputedStyle(box);
      if (s.clipPath !== "none" || (s.clip && s.clip !== "auto")) return false;
      if (s.opacity === "0") return false;
    }
    return true;
  };
  // A link within a run of text: a sibling text node with letters, and the parent laid out as text.
  const inline = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    if ((el.getAttribute("href") || "").startsWith("tel:")) return false;
    const parent = el.parentElement;
    return [...parent.childNodes].some((node) => node !== el && (
      (node.nodeType === Node.TEXT_NODE && /[A-Za-z0-9]/.test(node.data))
      || (node.nodeType === Node.ELEMENT_NODE && getComputedStyle(node).display === "inline"
          && !["A", "BUTTON"].includes(node.tagName) && /[A-Za-z0-9]/.test(node.textContent))));
  };
  const labelOf = (input) => input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
  const name = (el) => {
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || el.name || "").trim();
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : ""} "${text.replace(/\\s+/g, " ").slice(0, 40)}"`;
  };
  const found = [];
  const selector = "a, button, summary, select, input:not([type=hidden]), label";
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest("[data-tap-exempt]")) continue;
    let target = el;
    if (el.tagName === "LABEL") {
      const control = el.control;
      if (!control || !["checkbox", "radio"].includes(control.type)) continue;
    } else if (el.tagName === "INPUT" && ["checkbox", "radio"].includes(el.type)) {
      const label = labelOf(el);
      if (label && visible(label)) continue;  // measured as its label
    }
    if (!visible(target) || inline(target)) continue;
    const box = target.getBoundingClientRect();
    if (box.width + 0.5 < minimum || box.height + 0.5 < minimum) {
      found.push(`${name(target)}: ${Math.round(box.width)} x ${Math.round(box.height)}`);
    }
  }
  return found;
}"""


# Focusable controls that are laid out but cannot be seen, even while they have the focus.
HIDDEN_FOCUSABLE = """() => {
  const unseen = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) return true;
    for (let node = el; node; node = node.parentElement) {
      const s = getComputedStyle(node);
      if (s.clipPath !== "none" || (s.clip && s.clip !== "auto") || s.opacity === "0") return true;
    }
    return false;
  };
  const found = [];
  const selector = "a[href], button, summary, select, textarea, input:not([type=hidden]), [tabindex]";
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.tabIndex < 0 || !el.getClientRects().length) continue;  // not in the tab order
    if (getComputedStyle(el).visibility === "hidden" || el.closest("[inert]")) continue;
    if (el.matches(".btn-check") && el.labels && [...el.labels].some((l) => !unseen(l))) continue;
    if (!unseen(el)) continue;
    el.focus();
    const still = unseen(el);
    el.blur();
    if (still) found.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || "").trim().slice(0, 40)}"`);
  }
  return found;
}"""


def small_targets(page) -> list[str]:
    return page.evaluate(SMALL_TARGETS, MIN_TARGET)


def hidden_focusable(page) -> list[str]:
    return page.evaluate(HIDDEN_FOCUSABLE)


@pytest.mark.parametrize(("audit_page", "visitor"), visits())
def test_no_content_security_policy_message(page, owner, audit_page, visitor):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.add_init_script(RECORD_VIOLATIONS)
    path = open_audited(page, audit_page, visitor, owner)
    page.wait_for_timeout(300)  # late htmx swaps and scripts
    csp = [m for m in messages if "Content Security Policy" in m] + page.evaluate("window.__violations")
    assert csp == [], f"{audit_page.name} ({path}) as {visitor}:\n" + "\n".join(csp)


@pytest.mark.parametrize(("audit_page", "visitor"), visits())
def test_every_control_is_a_44_px_target(page, owner, audit_page, visitor):
    path = open_audited(page, audit_page, visitor, owner)
    found = small_targets(page)
    assert found == [], f"{audit_page.name} ({path}) as {visitor}:\n" + "\n".join(found)
    unseen = hidden_focusable(page)
    assert unseen == [], f"{audit_page.name} ({path}) as {visitor}: focusable but not seen:\n" + "\n".join(unseen)


def test_the_sweeps_can_fail(page):
    """A style attribute is refused by the CSP and reported in the console; a 40 px button is reported."""
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto("/safety/")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
            '<p style="color: red">styled</p><button class="small-one" type="button">x</button>'
            + '<p>A sentence with <a href="/">an inline link</a> in it.</p>')"""
    )
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in m for m in messages), messages
    page.evaluate("Object.assign(document.querySelector('.small-one').style, {width: '40px', height: '40px'})")
    found = small_targets(page)
    assert any("small-one" in f and "40 x 40" in f for f in found), found
    assert not any("an inline link" in f for f in found), found


def test_the_sweeps_catch_a_call_link_in_a_sentence_and_an_unseen_focusable_link(page):
    """A `tel:` link is measured even inside a sentence; a link in a visually hidden box is reported, a skip link
    (seen when focused) is not."""
    page.goto("/safety/")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
            '<p>Call <a href="tel:112">112</a> now.</p>'
            + '<div class="visually-hidden"><a href="/" id="unseen">Sort</a></div>')"""
    )
    assert any('"112"' in f for f in small_targets(page)), small_targets(page)
    unseen = hidden_focusable(page)
    assert unseen == ['a "Sort"'], unseen
