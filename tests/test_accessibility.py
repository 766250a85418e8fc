"""axe-core (from npm, see package.json) finds no accessibility violation on any built page."""

from __future__ import annotations

import pytest

from essays import toc

pytestmark = pytest.mark.site

AXE = toc.BOOK / "node_modules" / "axe-core" / "axe.min.js"


# The theme lays pages out differently on a phone (sidebars become drawers), so check both.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("entry", toc.entries())
def test_page_has_no_axe_violations(browser, server, entry, viewport, draw_every_chart):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does) to install axe-core")
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    try:
        page.goto(f"{server}/{entry}.html")
        page.wait_for_load_state("load")
        draw_every_chart(page)
        page.wait_for_timeout(1200)  # the theme's scripts run, repairs applied
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    problems = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]} {v['help']}"
        for v in result["violations"]
    ]
    assert problems == [], f"{entry} ({viewport}): " + "\n".join(problems)
