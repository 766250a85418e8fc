"""Print how fast the built book reaches a reader, page by page, served as a static host serves it.

    .venv/bin/python benchmarks/page_speed.py [--no-lighthouse | --runs N] [_build/html]

The site is served from 127.0.0.1 with gzip compression and ``Cache-Control: max-age=600`` (what
GitHub Pages sends). For each page of _toc.yml, in Debian's chromium driven by Playwright:

* first visit: bytes transferred with an empty cache while reading the page to its end (Resource
  Timing ``transferSize``: compressed bodies plus headers, so plotly.js is counted);
* after another chapter: the same, when the reader comes from another chapter, so shared files
  (theme, plotly.js) are already in the browser cache;
* charts: every chart shows at once as a static image; the live chart is drawn after the reader's
  first scroll, as it comes within half a screen. Three figures: ms from that first scroll until
  the live charts on the first screen have drawn; the
  longest wait for a chart after jumping straight to it (the first such jump also loads plotly.js);
  and ms until every chart has drawn for a reader who jumps from chart to chart right away;
* Lighthouse (npm, benchmarks/package.json) performance, accessibility and best-practices scores, desktop
  and mobile presets (about 5 minutes; ``--runs 3`` reports the median of three runs, which varies
  far less on a shared machine; ``--no-lighthouse`` skips them).

Targets (issues #6 and #15): first visit <= 1.0 MB, later chapters <= 150 KB, charts within 1 s,
Lighthouse desktop performance >= 95 and mobile >= 90, accessibility 100, best practices >= 95,
cumulative layout shift 0.
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

# Lighthouse is the benchmark's own npm package (benchmarks/package.json), not the book's.
LIGHTHOUSE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "lighthouse"
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".csv", ".txt", ".map", ".ttf", ".inv")
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Runs in every page before its own scripts: note when each chart has drawn.
CHART_CLOCK = """
window.__drawnAt = {};
new MutationObserver(function (records) {
  records.forEach(function (r) {
    if (r.target.dataset.drawn === 'true' && !(r.target.id in window.__drawnAt))
      window.__drawnAt[r.target.id] = performance.now();
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
"""

TRANSFERRED = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .reduce((sum, e) => sum + e.transferSize, 0)"""


@functools.cache
def compressed(path: Path, mtime: float) -> bytes:
    """Compress each file once, as a static host does (it serves stored .gz files or caches them)."""
    return gzip.compress(path.read_bytes(), 6)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it, cacheable for ten minutes."""

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.suffix not in COMPRESSED
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = compressed(path, path.stat().st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def visit(context, url: str) -> dict:
    """One reader's view of a page, read to the end: bytes transferred, ms from navigation start
    until the charts on the first screen have drawn, and the longest wait for a chart to draw after
    scrolling straight to it (charts draw as they come near the viewport)."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    drawn = "id => window.__drawnAt[id] !== undefined"
    ids = page.eval_on_selector_all(".essays-plotly", "els => els.map(e => e.id)")
    visible = page.eval_on_selector_all(
        ".essays-plotly", "els => els.filter(e => e.getBoundingClientRect().top < innerHeight).map(e => e.id)"
    )
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    # The static images show at once; the live charts wait for the reader's first scroll.
    scrolled = page.evaluate("() => { window.scrollBy(0, 1); return performance.now(); }")
    for chart in visible:
        page.wait_for_function(drawn, arg=chart, timeout=30000)
    first_screen = (
        max(page.evaluate("id => window.__drawnAt[id]", c) for c in visible) - scrolled if visible else None
    )
    longest_wait = 0.0
    for chart in ids:
        start = page.evaluate(
            "id => { document.getElementById(id).scrollIntoView(); return performance.now(); }", chart
        )
        page.wait_for_function(drawn, arg=chart, timeout=30000)
        longest_wait = max(longest_wait, page.evaluate("id => window.__drawnAt[id]", chart) - start)
    every = page.evaluate("Math.max(...Object.values(window.__drawnAt))") if ids else None
    page.wait_for_load_state("networkidle")
    figures = {
        "bytes": page.evaluate(TRANSFERRED),
        "charts": len(ids),
        "loaded": loaded,
        "first_screen": first_screen,
        "every": every,
        "on_scroll": longest_wait if ids else None,
    }
    page.close()
    return figures


def browser_figures(base: str, entries: list[str]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    figures = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS[1:])
        for i, entry in enumerate(entries):
            before = entries[1] if i == 0 else entries[i - 1]
            context = browser.new_context(viewport={"width": 1350, "height": 940})
            context.add_init_script(CHART_CLOCK)
            first = visit(context, f"{base}/{entry}.html")
            context.close()
            context = browser.new_context(viewport={"width": 1350, "height": 940})
            context.add_init_script(CHART_CLOCK)
            visit(context, f"{base}/{before}.html")
            later = visit(context, f"{base}/{entry}.html")
            context.close()
            figures[entry] = {**first, "first": first["bytes"], "later": later["bytes"]}
        browser.close()
    return figures


def lighthouse_median(url: str, preset: str, runs: int) -> dict[str, int]:
    """Lighthouse scores vary from run to run on a shared machine: the median of ``runs`` runs."""
    import statistics

    results = [lighthouse(url, preset) for _ in range(runs)]
    return {key: round(statistics.median(r[key] for r in results)) for key in results[0]}


def lighthouse(url: str, preset: str) -> dict[str, int]:
    args = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance,accessibility,best-practices",
        f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium")}
    report = json.loads(subprocess.run(args, check=True, capture_output=True, text=True, env=env).stdout)
    scores = {key: round(100 * cat["score"]) for key, cat in report["categories"].items()}
    # Cumulative layout shift in thousandths (0.002 -> 2), so the median stays an integer.
    scores["cls"] = round(1000 * report["audits"]["cumulative-layout-shift"]["numericValue"])
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", default=str(toc.BOOK / "_build" / "html"))
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and preset (median)")
    args = parser.parse_args()
    site = Path(args.site)
    entries = toc.entries()
    httpd, base = serve(site)
    try:
        figures = browser_figures(base, entries)
        if not args.no_lighthouse:
            if not LIGHTHOUSE.exists():
                raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci --prefix benchmarks`")
            for entry in entries:
                for preset in ("desktop", "mobile"):
                    figures[entry][preset] = lighthouse_median(f"{base}/{entry}.html", preset, args.runs)
    finally:
        httpd.shutdown()

    def ms(value):
        return "-" if value is None else f"{value:,.0f}"

    head = (
        f"{'page':30} {'charts':>6} {'first visit':>12} {'after another':>14} {'load ms':>8}"
        f" {'1st screen ms':>14} {'scroll-to ms':>13} {'all ms':>7}"
    )
    if not args.no_lighthouse:
        head += "   desktop perf/a11y/bp/CLS   mobile perf/a11y/bp/CLS"
    print(head)
    for entry, f in figures.items():
        line = (
            f"{entry:30} {f['charts']:>6} {f['first']:>12,} {f['later']:>14,} {ms(f['loaded']):>8}"
            f" {ms(f['first_screen']):>14} {ms(f['on_scroll']):>13} {ms(f['every']):>7}"
        )
        for preset in ("desktop", "mobile"):
            if preset in f:
                s = f[preset]
                line += (
                    f"   {s['performance']:>4} {s['accessibility']:>4} {s['best-practices']:>4}"
                    f" {s['cls'] / 1000:>5.3f}       "
                )
        print(line.rstrip())
    print(
        "\nbytes: transferred while reading the whole page (gzip bodies + headers); load: ms from navigation"
        " start to the load event; 1st screen: ms from the first scroll until the live charts on the first"
        " screen have drawn ('-': none there);"
        " scroll-to: the longest wait for a chart after jumping straight to it; all: ms from navigation"
        " start until every chart has drawn, jumping from chart to chart as soon as each has drawn."
        " CLS: Lighthouse's cumulative layout shift."
        "\ntargets (issue #15): first visit <= 1,000,000, after another chapter <= 150,000, charts <= 1,000 ms,"
        " desktop perf >= 95, mobile perf >= 90, a11y 100, bp >= 95, CLS 0"
    )


if __name__ == "__main__":
    main()
