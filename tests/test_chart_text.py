"""Every chart's text is readable at phone, tablet and desktop widths, in light and dark mode: no
text cut by the chart's box, no two texts overlapping (tick labels, legend, titles, annotations,
menus, sliders). Draws every chart of every page in Chromium and fails naming the chart and texts.

Charts still known to have a problem at a width are listed in ``chart_text_known.json`` with what
is wrong; the test fails for any other chart with a problem, and for a listed chart that no
longer has one (take it off the list). The list only shrinks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from essays import toc
from essays.sphinx.textcheck import COLLISIONS_JS

pytestmark = pytest.mark.site

KNOWN = json.loads((Path(__file__).with_name("chart_text_known.json")).read_text(encoding="utf-8"))
WIDTHS = (375, 768, 1280)


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_neither_cut_nor_overlapping(browser, server, draw_every_chart, width):
    problems: dict[str, set[str]] = {}
    for theme in ("light", "dark"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
        page = context.new_page()
        for entry in toc.entries():
            page.goto(f"{server}/{entry}.html")
            page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            draw_every_chart(page)
            for chart in page.evaluate(COLLISIONS_JS):
                if chart["problems"]:
                    problems.setdefault(chart["chart"], set()).update(chart["problems"])
        context.close()
    known = KNOWN.get(str(width), {})
    new = {chart: sorted(found)[:4] for chart, found in problems.items() if chart not in known}
    fixed = sorted(set(known) - set(problems))
    assert not new, f"at {width} px, charts with cut or overlapping text: {json.dumps(new, indent=1)}"
    assert not fixed, (
        f"at {width} px these charts are now clean: take them off chart_text_known.json: {fixed}"
    )
