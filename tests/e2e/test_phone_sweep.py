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
  it on the same line (the line height of the sentence sets its size);
- exempt: a control inside an element marked `data-tap-exempt` (none at present; each use must say why).
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


def small_targets(page) -> list[str]:
    return page.evaluate(SMALL_TARGETS, MIN_TARGET)


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
