"""Charts whose text is cut by the chart's edge or overlaps other text, at phone, tablet and desktop widths.

    .venv/bin/python benchmarks/chart_text.py        # after make book; about two minutes

Draws every chart of every page in Debian's chromium at 375, 768 and 1280 px, in light and dark
mode, and prints per width the charts with a problem and the first problems of each.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading

from playwright.sync_api import sync_playwright

from essays import toc
from essays.sphinx.textcheck import COLLISIONS_JS

SITE = toc.BOOK / "_build" / "html"
WIDTHS = (375, 768, 1280)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def draw_all(page):
    charts = page.locator(".essays-plotly")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).dispatch_event("pointerenter")
        page.wait_for_function(
            "i => document.querySelectorAll('.essays-plotly')[i].dataset.drawn === 'true'",
            arg=i,
            timeout=20000,
        )


def main() -> int:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
        )
        for width in WIDTHS:
            bad, total = {}, 0
            for theme in ("light", "dark"):
                page = browser.new_page(viewport={"width": width, "height": 900})
                for entry in toc.entries():
                    page.goto(f"{url}/{entry}.html")
                    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
                    draw_all(page)
                    for chart in page.evaluate(COLLISIONS_JS):
                        total += theme == "light"
                        if chart["problems"]:
                            bad.setdefault(chart["chart"], set()).update(chart["problems"])
                page.close()
            print(f"{width:5d} px: {len(bad)} of {total} charts have cut or overlapping text")
            for chart, problems in sorted(bad.items()):
                print(f"        {chart}: {len(problems)}: {'; '.join(sorted(problems)[:3])}")
        browser.close()
    httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
