"""The built site: every _toc.yml entry has its page, and plotly.js is served once, locally."""

from __future__ import annotations

import re

import pytest

from essays import toc
from essays.sphinx import plotly_js_name

pytestmark = pytest.mark.site


def test_every_toc_entry_has_a_page(site):
    assert toc.missing_pages(site) == []


def test_plotly_js_is_one_local_file_loaded_only_where_charts_are(site):
    assert (site / "_static" / plotly_js_name()).stat().st_size > 1_000_000
    for entry in toc.entries():
        html = (site / f"{entry}.html").read_text(encoding="utf-8")
        has_chart = 'class="essays-plotly"' in html
        # essays-charts.js loads the plotly.js its data-plotly names, when a chart comes near.
        tags = [t for t in re.findall(r"<script[^>]+>", html) if "essays-charts.js" in t]
        loads = sum(bool(re.search(r'data-plotly="plotly-(?:basic-)?[0-9.]+\.min\.js"', t)) for t in tags)
        assert loads == (1 if has_chart else 0), f"{entry}: plotly.js asked for {loads} times"
        assert "plotly-" not in re.sub(r'data-plotly="[^"]+"', "", html.split("<body")[0]), (
            f"{entry}: plotly.js is loaded up front"
        )
        assert "cdn.plot.ly" not in html and "require.min.js" not in html, f"{entry}: CDN reference"


def test_no_page_loads_scripts_or_styles_from_another_host(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        external = [u for u in external if not u.startswith("https://github.com")]
        assert external == [], f"{page.relative_to(site)} loads {external}"


def test_no_page_names_a_cdn(site):
    """Not even in inline code that might run later (sphinx-thebe's default loader named unpkg)."""
    cdns = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "cdn.plot.ly")
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        named = [cdn for cdn in cdns if cdn in html]
        assert named == [], f"{page.relative_to(site)} names {named}"


def test_the_site_serves_plotlys_basic_bundle_when_npm_installed_it(site):
    """npm's basic bundle (1.2 MB) replaces the full 4.8 MB one whenever `npm ci` installed it."""
    if not (toc.BOOK / "node_modules" / "plotly.js-basic-dist-min" / "package.json").exists():
        pytest.skip("npm did not install plotly.js-basic-dist-min here")
    served = sorted(p.name for p in (site / "_static").glob("plotly*.min.js"))
    assert served and all(name.startswith("plotly-basic-") for name in served), served
