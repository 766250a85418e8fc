"""Print how fast the built book reaches a reader, page by page, served as a static host serves it.

    .venv/bin/python benchmarks/page_speed.py [--no-lighthouse] [_build/html]

The site is served from 127.0.0.1 with gzip compression and ``Cache-Control: max-age=600`` (what
GitHub Pages sends). For each page of _toc.yml, in Debian's chromium driven by Playwright:

* first visit: bytes transferred with an empty cache (Resource Timing ``transferSize``: compressed
  bodies plus headers, everything the page loads until the network is idle);
* after another chapter: the same, when the reader comes from another chapter, so shared files
  (theme, plotly.js) are already in the browser cache;
* charts drawn: milliseconds from navigation start until every chart on the page has drawn;
* Lighthouse (npm, see package.json) performance, accessibility and best-practices scores, desktop
  and mobile presets (about 4 minutes; ``--no-lighthouse`` skips them).

Targets (issue #6): first visit <= 1.5 MB, later chapters <= 150 KB, charts within 1 s,
Lighthouse desktop performance >= 95, accessibility 100, best practices >= 95.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

from essays import toc

LIGHTHOUSE = toc.BOOK / "node_modules" / ".bin" / "lighthouse"
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".csv", ".txt", ".map", ".ttf", ".inv")
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]

# Runs in every page before its own scripts: note when the last chart on the page has drawn.
CHART_CLOCK = """
new MutationObserver(function () {
  var all = document.querySelectorAll('.essays-plotly').length;
  var drawn = document.querySelectorAll('.essays-plotly[data-drawn=true]').length;
  if (all && drawn === all && window.__chartsDrawn === undefined) window.__chartsDrawn = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn']});
"""

TRANSFERRED = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .reduce((sum, e) => sum + e.transferSize, 0)"""


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it, cacheable for ten minutes."""

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def visit(context, url: str) -> tuple[int, float | None]:
    """Bytes transferred for one page view, and ms until its charts have drawn (None if it has none)."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    charts = page.locator(".essays-plotly").count()
    if charts:
        page.wait_for_function("window.__chartsDrawn !== undefined", timeout=30000)
    page.wait_for_load_state("networkidle")
    transferred = page.evaluate(TRANSFERRED)
    drawn = page.evaluate("window.__chartsDrawn") if charts else None
    page.close()
    return transferred, drawn


def browser_figures(base: str, entries: list[str]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    figures = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS[1:])
        for i, entry in enumerate(entries):
            before = entries[1] if i == 0 else entries[i - 1]
            context = browser.new_context(viewport={"width": 1350, "height": 940})
            context.add_init_script(CHART_CLOCK)
            first, drawn = visit(context, f"{base}/{entry}.html")
            context.close()
            context = browser.new_context(viewport={"width": 1350, "height": 940})
            context.add_init_script(CHART_CLOCK)
            visit(context, f"{base}/{before}.html")
            later, _ = visit(context, f"{base}/{entry}.html")
            context.close()
            figures[entry] = {"first": first, "later": later, "drawn": drawn}
        browser.close()
    return figures


def lighthouse(url: str, preset: str) -> dict[str, int]:
    args = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
            "--only-categories=performance,accessibility,best-practices",
            f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"]
    if preset == "desktop":
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium")}
    report = json.loads(subprocess.run(args, check=True, capture_output=True, text=True, env=env).stdout)
    return {key: round(100 * cat["score"]) for key, cat in report["categories"].items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", default=str(toc.BOOK / "_build" / "html"))
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    site = Path(args.site)
    entries = toc.entries()
    httpd, base = serve(site)
    try:
        figures = browser_figures(base, entries)
        if not args.no_lighthouse:
            if not LIGHTHOUSE.exists():
                raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci`")
            for entry in entries:
                for preset in ("desktop", "mobile"):
                    figures[entry][preset] = lighthouse(f"{base}/{entry}.html", preset)
    finally:
        httpd.shutdown()

    head = f"{'page':30} {'first visit':>12} {'after another':>14} {'charts drawn':>13}"
    if not args.no_lighthouse:
        head += "   desktop perf/a11y/bp   mobile perf/a11y/bp"
    print(head)
    for entry, f in figures.items():
        drawn = f"{f['drawn']:,.0f} ms" if f["drawn"] is not None else "no charts"
        line = f"{entry:30} {f['first']:>12,} {f['later']:>14,} {drawn:>13}"
        for preset in ("desktop", "mobile"):
            if preset in f:
                s = f[preset]
                line += f"   {s['performance']:>4} {s['accessibility']:>4} {s['best-practices']:>4}         "
        print(line.rstrip())
    print("\nbytes are transferred (gzip bodies + headers); targets: first visit <= 1,500,000,"
          " after another chapter <= 150,000, charts <= 1,000 ms, desktop perf >= 95, a11y 100, bp >= 95")


if __name__ == "__main__":
    main()
