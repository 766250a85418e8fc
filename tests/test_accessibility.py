"""axe-core (from npm, see package.json) finds no accessibility violation on any built page."""

from __future__ import annotations

import pytest

from essays import toc

AXE = toc.BOOK / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("entry", toc.entries())
def test_page_has_no_axe_violations(browser, server, entry):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does) to install axe-core")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{server}/{entry}.html")
        page.wait_for_load_state("load")
        page.wait_for_timeout(1200)  # charts drawn, the theme's icons swapped in, repairs applied
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    problems = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]} {v['help']}"
                for v in result["violations"]]
    assert problems == [], f"{entry}: " + "\n".join(problems)
