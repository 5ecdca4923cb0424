"""axe-core on every audited page (tests/audit/pages.py), signed out and in: no WCAG 2.2 AA violations."""

import json

import pytest

from tests.audit.browser import open_audited
from tests.audit.pages import visits
from tests.audit.tools import AXE_JS, AXE_TAGS, skip_unless_available

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def axe_source() -> str:
    skip_unless_available("chromium", "axe")
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page, axe_source: str) -> list[dict]:
    # page.evaluate goes through the DevTools protocol, which the page's CSP does not govern (an injected
    # <script> element would be refused: the CSP allows no inline script).
    page.evaluate(axe_source)
    results = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    return results


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {json.dumps(n['target'])}: {n['summary']}" for n in v["nodes"][:5])
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("audit_page", "visitor"), visits())
def test_no_axe_violations(page, owner, axe_source, audit_page, visitor, scheme):
    """Both colour schemes: the pages follow the system's light or dark setting (static/js/theme.js), except a
    page with a fixed `theme` (audited once, in that scheme)."""
    if audit_page.theme and audit_page.theme != scheme:
        pytest.skip(f"{audit_page.name} is always {audit_page.theme}")
    page.emulate_media(color_scheme=scheme)
    path = open_audited(page, audit_page, visitor, owner)
    assert page.evaluate("document.documentElement.dataset.bsTheme") == scheme
    violations = run_axe(page, axe_source)
    assert violations == [], f"axe found violations on {path} as {visitor} ({scheme}):\n{describe(violations)}"


def test_axe_finds_a_planted_violation(page, axe_source):
    """The check can fail: an image without alt text and an unlabelled input are reported."""
    page.goto("/safety/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<img src="/static/img/favicon.svg"><input type="text">');
        }"""
    )
    ids = {v["id"] for v in run_axe(page, axe_source)}
    assert {"image-alt", "label"} <= ids
