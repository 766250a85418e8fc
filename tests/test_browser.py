"""Every page of the built book in headless Chromium, with the network cut off at 127.0.0.1.

For each _toc.yml entry: every plotly output of its notebook is drawn, nothing is requested from
another host, and the console shows no error beyond the allowlist below.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from essays import toc
from essays.sphinx import PLOTLY_MIME

pytestmark = pytest.mark.site

# Console errors we accept, each with where it comes from. Anything else fails the test.
# (Empty: the theme's "Got invalid theme mode" is gone since _config.yml sets html_context.default_mode.)
CONSOLE_ALLOWLIST: list[re.Pattern] = []

HIDDEN_TAGS = {"remove-cell", "remove-output"}


def plotly_outputs(notebook) -> int:
    """How many plotly figures the notebook as the build executed it shows on the page."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(
        1
        for cell in cells
        if cell["cell_type"] == "code" and not HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", []))
        for output in cell.get("outputs", [])
        if PLOTLY_MIME in output.get("data", {})
    )


PAGES = toc.entries()


def executed(entry: str):
    """The chapter as the build executed it: the notebook the page's download menu offers."""
    return toc.BOOK / "_build" / "html" / "_sources" / f"{entry}.ipynb"


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.external_requests = []
    page.console_errors = []

    def route(route):
        host = urlparse(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(f"uncaught: {e}"))
    yield page
    context.close()


@pytest.mark.parametrize("entry", PAGES)
def test_page_draws_every_chart_offline(page, server, entry, draw_every_chart):
    expected = plotly_outputs(executed(entry)) if toc.has_code(toc.BOOK / f"{entry}.md") else 0
    response = page.goto(f"{server}/{entry}.html")
    assert response is not None and response.ok, f"{entry}.html did not load"
    page.wait_for_load_state("load")
    draw_every_chart(page)
    drawn = page.locator(".essays-plotly[data-drawn=true]:has(.main-svg)").count()
    assert drawn == expected, f"{entry}: {drawn} charts drawn, notebook has {expected} plotly outputs"
    unreachable = page.evaluate("""document.querySelectorAll(
        '.essays-plotly .updatemenu-button:not([tabindex]), .essays-plotly .updatemenu-header:not([tabindex]),'
        + ' .essays-plotly .updatemenu-dropdown-button:not([tabindex]), .essays-plotly .slider-group:not([tabindex])'
        ).length""")
    assert unreachable == 0, f"{entry}: {unreachable} chart controls cannot be reached with the keyboard"
    assert page.external_requests == [], f"{entry}: requests left the site: {page.external_requests}"
    unexpected = [m for m in page.console_errors if not any(p.search(m) for p in CONSOLE_ALLOWLIST)]
    assert unexpected == [], f"{entry}: console errors: {unexpected}"


def test_charts_respond_to_hover_and_legend(page, server, draw_every_chart):
    """The preface chart is interactive without a kernel: a hover label appears, a legend click hides a trace."""
    page.goto(f"{server}/{PAGES[0]}.html")
    draw_every_chart(page)
    chart = page.locator(".essays-plotly[data-drawn=true]").first
    chart.wait_for(timeout=15000)
    chart.scroll_into_view_if_needed()
    # Plotly's drag layer sits above the markers, so move the real mouse to a marker's centre.
    box = chart.locator(".scatterlayer .trace .points path").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".hoverlayer .hovertext", timeout=5000)
    assert page.locator(".hoverlayer .hovertext").first.text_content().strip() != ""
    box = chart.locator(".legend .traces .legendtoggle").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # Plotly waits out its double-click delay before it acts on a single click.
    page.wait_for_function(
        "id => document.getElementById(id).data[0].visible === 'legendonly'",
        arg=chart.get_attribute("id"),
        timeout=5000,
    )


def test_charts_follow_the_theme_switch_without_reload(page, server, draw_every_chart):
    page.goto(f"{server}/{PAGES[0]}.html")
    draw_every_chart(page)
    chart = page.locator(".essays-plotly[data-drawn=true]").first
    chart.wait_for(timeout=15000)
    chart_id = chart.get_attribute("id")
    font = "id => document.getElementById(id)._fullLayout.font.color"
    light = page.evaluate(font, chart_id)
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.wait_for_function(f"id => {font.split('=> ')[1]} !== {light!r}", arg=chart_id, timeout=5000)
    dark = page.evaluate(font, chart_id)
    assert dark != light
    page.evaluate("document.documentElement.dataset.theme = 'light'")
    page.wait_for_function(f"id => {font.split('=> ')[1]} === {light!r}", arg=chart_id, timeout=5000)


# The lowest contrast between the text of a chart's menu buttons and the button under it, as drawn
# (WCAG contrast ratio; colours as the browser resolves them).
CONTROL_CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const buttons = [...document.querySelectorAll('.essays-plotly .updatemenu-button, .essays-plotly .updatemenu-header')];
  return Math.min(...buttons.map(b => ratio(getComputedStyle(b.querySelector('text')).fill,
                                            getComputedStyle(b.querySelector('rect')).fill)));
}"""


def test_chart_menu_buttons_are_readable_in_both_themes(page, server, draw_every_chart):
    entries = _pages_with("updatemenus")
    assert entries, "no chart in the book has menu buttons: drop this test"
    for entry in entries:
        page.goto(f"{server}/{entry}.html")
        draw_every_chart(page)
        for theme in ("light", "dark"):
            page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            page.wait_for_function(
                f"""() => [...document.querySelectorAll('.essays-plotly[data-drawn=true]')]
                .every(gd => gd.dataset.theme === '{theme}')""",
                timeout=5000,
            )
            lowest = page.evaluate(CONTROL_CONTRAST)
            assert lowest >= 4.5, f"{entry} ({theme}): menu button text contrast {lowest:.2f} is below 4.5"


def test_chart_data_download_holds_every_plotted_point(page, server, draw_every_chart):
    page.goto(f"{server}/{PAGES[0]}.html")
    draw_every_chart(page)
    chart = page.locator(".essays-plotly[data-drawn=true]").first
    chart.wait_for(timeout=15000)
    points = page.evaluate(
        "id => document.getElementById(id).data.reduce((n, t) => n + (t.x ? t.x.length : 0), 0)",
        chart.get_attribute("id"),
    )
    href = page.locator(".essays-chart-download").first.get_attribute("href")
    body = page.request.get(f"{server}/{PAGES[0].rsplit('/', 1)[0]}/{href}").text()
    assert body.startswith("series,x,y,label,shown")
    assert len(body.strip().splitlines()) - 1 == points


def _pages_with(key: str) -> list[str]:
    """The pages with a chart whose layout has ``key`` (updatemenus, sliders)."""
    return [
        entry
        for entry in PAGES
        if any(
            output.get("data", {}).get(PLOTLY_MIME, {}).get("layout", {}).get(key)
            for cell in (
                json.loads(executed(entry).read_text(encoding="utf-8"))["cells"]
                if executed(entry).exists()
                else []
            )
            for output in cell.get("outputs", [])
        )
    ]


def _first_page_with(key: str) -> str:
    pages = _pages_with(key)
    if not pages:
        pytest.skip(f"no chart in the book has {key}")
    return pages[0]


def test_sliders_and_menus_work_from_the_keyboard(page, server, draw_every_chart):
    entry = _first_page_with("sliders")
    page.goto(f"{server}/{entry}.html")
    draw_every_chart(page)
    page.wait_for_selector(".essays-plotly[data-drawn=true] .slider-group", timeout=15000)
    chart = page.locator(".essays-plotly[data-drawn=true]", has=page.locator(".slider-group")).first
    chart_id = chart.get_attribute("id")
    active = "id => document.getElementById(id).layout.sliders[0].active || 0"
    before = page.evaluate(active, chart_id)
    slider = chart.locator(".slider-group").first
    slider.focus()
    page.keyboard.press("ArrowLeft" if before else "ArrowRight")
    expected = before - 1 if before else 1
    page.wait_for_function(
        f"id => (document.getElementById(id).layout.sliders[0].active || 0) === {expected}",
        arg=chart_id,
        timeout=5000,
    )

    entry = _first_page_with("updatemenus")
    page.goto(f"{server}/{entry}.html")
    draw_every_chart(page)
    page.wait_for_selector(".essays-plotly[data-drawn=true] .updatemenu-container", timeout=15000)
    chart_id = page.evaluate("""() => [...document.querySelectorAll('.essays-plotly[data-drawn=true]')]
        .find(g => (g._fullLayout.updatemenus || []).length === 1).id""")
    chart = page.locator(f"#{chart_id}")
    menu = page.evaluate(
        "id => { const m = document.getElementById(id)._fullLayout.updatemenus[0];"
        " return [m.type, m.active, m.buttons.length]; }",
        chart_id,
    )
    kind, active, count = menu
    target = (active + 1) % count
    if kind == "dropdown":
        chart.locator(".updatemenu-header").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "id => document.getElementById(id).querySelectorAll('.updatemenu-dropdown-button[tabindex]').length > 0",
            arg=chart_id,
            timeout=5000,
        )
    button = chart.locator(".updatemenu-button, .updatemenu-dropdown-button").nth(target)
    button.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "button"
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"id => document.getElementById(id)._fullLayout.updatemenus[0].active === {target}",
        arg=chart_id,
        timeout=5000,
    )


def test_search_finds_a_model_and_pages_keep_their_controls(page, server):
    """Deferring the theme's scripts must not break search, hidden-cell toggles or copy buttons."""
    page.goto(f"{server}/search.html?q=BLOOM")
    page.wait_for_selector("#search-results li", timeout=15000)
    assert page.locator("#search-results li").count() > 0
    page.goto(f"{server}/{PAGES[1]}.html")
    page.wait_for_load_state("load")
    details = page.locator("details.hide").first
    details.locator("summary").click()
    page.wait_for_function("() => document.querySelector('details.hide').open")
    assert page.locator("button.copybtn").count() > 0
    assert page.console_errors == []


def test_glued_values_read_as_ordinary_text(page, server):
    """A number glued from the data has the weight of the sentence around it, not bold."""
    page.goto(f"{server}/chapters/01-open-and-closed.html")
    weights = page.evaluate("""[...document.querySelectorAll('article p span.pasted-text')].map(
        s => [getComputedStyle(s).fontWeight, getComputedStyle(s.parentElement).fontWeight])""")
    assert len(weights) >= 10, "chapter 01 should cite glued values in its prose"
    assert all(own == around for own, around in weights), f"glued values differ in weight: {weights[:5]}"


@pytest.mark.parametrize("entry", PAGES)
def test_every_chart_shows_with_scripts_off(browser, server, entry):
    """Static first: the build's vector image of every chart shows before (and without) plotly.js."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/{entry}.html")
    charts = page.locator(".essays-plotly").count()
    shown = page.evaluate("""Promise.all([...document.querySelectorAll('.essays-plotly img.essays-static')].map(
        img => img.decode().then(() => img.naturalWidth > 0 && img.getBoundingClientRect().width > 300,
                                 () => false)))""")
    context.close()
    assert len(shown) == charts and all(shown), (
        f"{entry}: {sum(shown)} of {charts} charts show without scripts"
    )


def test_a_drawn_chart_replaces_its_static_image(page, server, draw_every_chart):
    page.goto(f"{server}/chapters/01-open-and-closed.html")
    assert draw_every_chart(page) > 0
    assert page.locator(".essays-plotly img.essays-static").count() == 0


@pytest.mark.parametrize("entry", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(browser, server, entry):
    """At 375 px the page is as wide as the screen: wide tables scroll in their own box (which takes
    keyboard focus) and long links wrap. Fails naming the text or element that sticks out."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/{entry}.html", wait_until="load")
    page.wait_for_timeout(1200)  # essays-a11y.js repairs at load and once more after a second
    wide, offenders, unfocusable = page.evaluate("""() => {
      const W = document.documentElement.clientWidth;
      const clipped = n => { for (let a = n.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n; (n = walker.nextNode());) {
        const r = document.createRange(); r.selectNodeContents(n); const b = r.getBoundingClientRect();
        if (b.width > 0 && b.right > W + 1 && !clipped(n)) out.push(n.textContent.trim().slice(0, 60));
      }
      const boxes = [...document.querySelectorAll('.cell_output > div')].filter(
        d => d.scrollWidth > d.clientWidth && d.getAttribute('tabindex') !== '0').length;
      return [document.documentElement.scrollWidth - W, out.slice(0, 5), boxes];
    }""")
    context.close()
    assert wide <= 0, f"{entry} is {wide} px wider than a 375 px screen: {offenders}"
    assert unfocusable == 0, f"{entry}: {unfocusable} tables scroll but take no keyboard focus"


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("entry", ["chapters/05-cost-of-activation", "chapters/95-references"])
def test_nothing_moves_while_the_icon_fonts_load(browser, server, entry, width):
    """Cumulative layout shift 0: with the icon fonts held back for a second, as on a slow link, no
    text or button moves when they arrive (the references page has dozens of GitHub link icons), and
    nothing the theme's scripts change at load moves the page."""
    import time

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()

    def slow_font(route):
        time.sleep(1)
        route.continue_()

    page.route("**/*.woff2", slow_font)
    page.add_init_script("""window.__shifts = [];
      new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput)
        window.__shifts.push([e.value, e.sources.map(s => s.node ? s.node.nodeName + '.' + s.node.className : '?')]); }))
        .observe({type: 'layout-shift', buffered: true});""")
    page.goto(f"{server}/{entry}.html", wait_until="load")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    page.wait_for_timeout(300)
    shifts = page.evaluate("window.__shifts")
    context.close()
    assert any("Awesome" in family for family in loaded), (
        "the icon fonts never loaded: the test tested nothing"
    )
    # The theme's sidebar search button moves its "Ctrl" key by a few pixels after load (0.00001),
    # whatever the fonts; Lighthouse reports 0.000. Anything a tenth of its last digit fails.
    total = sum(value for value, _ in shifts)
    assert total < 0.0001, f"{entry} at {width} px: layout shift {total:.5f} as it loaded: {shifts[:5]}"
