"""Shared fixtures: the built site, a local server for it, and headless Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent
SITE = BOOK / "_build" / "html"


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"{SITE} has no index.html: build the book first (make book)")
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """Serve _build/html on 127.0.0.1 on a free port, for the length of the session."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; never a browser that Playwright downloads."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: apt-get install chromium (see .ci/run)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def draw_every_chart():
    """A function of a page: scroll to each chart in turn and reach for it, as a reader would (the
    static image shows until then), wait until all have drawn, and return how many there are."""
    return _draw_every_chart


def _draw_every_chart(page, timeout: int = 15000) -> int:
    charts = page.locator(".essays-plotly")
    count = charts.count()
    for i in range(count):
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).dispatch_event("pointerenter")  # a chart already in view waits for the reader
        page.wait_for_function(
            "i => document.querySelectorAll('.essays-plotly')[i].dataset.drawn === 'true'",
            arg=i,
            timeout=timeout,
        )
    page.evaluate("window.scrollTo(0, 0)")
    return count
