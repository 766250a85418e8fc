"""One stylesheet per site, unused rules dropped, icon fonts cut to the icons shown (essays.sphinx.assets)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from essays import toc
from essays.sphinx import assets


def _theme_webfonts() -> Path:
    import pydata_sphinx_theme

    return (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme"
        / "pydata_sphinx_theme"
        / "static"
        / "vendor"
        / "fontawesome"
        / "webfonts"
    )


# --- the steps, on small inputs ---------------------------------------------------------------


def test_purge_drops_rules_that_no_page_can_match_and_keeps_the_rest():
    css = (
        "/*! licence: keep me */"
        ".used{color:red}.unused{color:blue}.used .unused{margin:0}"
        ".used:not(.unused){padding:0}"  # :not(.x) matches more, never less, when x is unused
        ".unused,.used>p{border:0}"
        "@media (max-width:600px){.unused{color:green}.used{color:black}}"
        "@media print{.unused{display:none}}"
        "@font-face{font-family:X;src:url(x.woff2)}"
        "@keyframes spin{from{opacity:0}to{opacity:1}}"
        "p{margin:0}"
        ".bs-tooltip-top{top:0}"  # a class a script builds: "bs-tooltip-" + placement
    )
    words = {"used", "p", "bs-tooltip-"}
    out = assets.purge(css, words)
    assert "licence: keep me" in out
    assert ".used{color:red}" in out.replace(" ", "")
    assert ".unused{color:blue}" not in out and ".used .unused" not in out
    assert ".used:not(.unused)" in out
    assert ".used>p{border:0}" in out.replace(" ", "") and ".unused,.used" not in out
    assert "@media (max-width:600px){.used{color:black}}" in out.replace(": ", ":")
    assert "@media print" not in out  # nothing left inside it
    assert "@font-face" in out and "@keyframes spin" in out and "p{margin:0}" in out.replace(" ", "")
    assert ".bs-tooltip-top" in out


def test_joined_inlines_imports_and_rebases_urls(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text("ul.search li{background:url(file.png) no-repeat}", encoding="utf-8")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";', encoding="utf-8")
    (static / "styles" / "theme2.css").write_text(
        '@charset "UTF-8";.x{background:url("../img/a.svg#i")}.y{background:url(data:image/png;base64,AA)}',
        encoding="utf-8",
    )
    out = assets.joined(
        [static / "styles" / "theme.css", static / "styles" / "theme2.css"], static / "styles"
    )
    assert "@import" not in out and "@charset" not in out
    assert "url(../file.png)" in out
    assert "url(../img/a.svg#i)" in out
    assert "url(data:image/png;base64,AA)" in out


def test_drawn_characters_are_the_non_ascii_characters_of_the_strings():
    css = '.fa-github:before{content:"\\f09b"}:root{--icon:"\\f0f3"}.q:before{content:"a"}'
    assert assets.drawn_characters(css) == {0xF09B, 0xF0F3}


def test_cut_fonts_keeps_only_the_drawn_icons_and_drops_a_font_that_draws_none(tmp_path):
    from fontTools.ttLib import TTFont

    fonts = tmp_path / "vendor" / "fontawesome" / "webfonts"
    fonts.mkdir(parents=True)
    for name in ("fa-solid-900.woff2", "fa-brands-400.woff2"):
        (fonts / name).write_bytes((_theme_webfonts() / name).read_bytes())
    styles = tmp_path / "styles"
    styles.mkdir()
    css = (
        '@font-face{font-family:"Font Awesome 6 Free";font-weight:900;'
        'src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff2) format("woff2"),'
        'url(../vendor/fontawesome/webfonts/fa-solid-900.ttf) format("truetype")}'
        '@font-face{font-family:"Font Awesome 6 Brands";'
        'src:url(../vendor/fontawesome/webfonts/fa-brands-400.woff2) format("woff2")}'
        '.fa-download:before{content:"\uf019"}.fa-rocket:before{content:"\uf135"}'
    )
    out = assets.cut_fonts(css, styles)
    assert out.count("@font-face") == 1, "the brands font draws none of the icons, so it goes"
    cut = re.search(r"url\(([^)]+)\)", out)[1]
    assert ".ttf" not in out
    font = TTFont(styles / cut)
    assert set(font.getBestCmap()) == {0xF019, 0xF135}
    assert (styles / cut).stat().st_size < (fonts / "fa-solid-900.woff2").stat().st_size / 20


def test_relink_puts_one_stylesheet_where_the_first_stood():
    page = (
        '<html><head><meta charset="utf-8" />\n'
        '<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
        '<link rel="stylesheet" type="text/css" href="../_static/pygments.css?v=2" />\n'
        '<link rel="icon" href="../_static/favicon.svg"/>\n'
        '</head><body><link rel="stylesheet" href="in-body.css" /></body></html>'
    )
    out = assets.relink(page, "../_static/styles/essays-abc.css")
    assert assets.stylesheet_hrefs(out) == ["../_static/styles/essays-abc.css"]
    assert 'rel="icon"' in out and "in-body.css" in out


def test_slim_names_the_page_that_links_other_stylesheets(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_text(".a{color:red}", encoding="utf-8")
    (tmp_path / "_static" / "b.css").write_text(".b{color:red}", encoding="utf-8")
    (tmp_path / "one.html").write_text(
        '<head><link rel="stylesheet" href="_static/a.css" /></head>', encoding="utf-8"
    )
    (tmp_path / "two.html").write_text(
        '<head><link rel="stylesheet" href="_static/b.css" /></head>', encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="two.html links other stylesheets than one.html"):
        assets.slim(tmp_path)


def test_slim_on_a_small_site_and_again_on_its_output(tmp_path):
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    (tmp_path / "_static" / "a.css").write_text(".a{color:red}.gone{color:blue}", encoding="utf-8")
    (tmp_path / "_static" / "b.css").write_text(".b{color:green}", encoding="utf-8")
    head = '<head><link rel="stylesheet" href="_static/a.css" /><link rel="stylesheet" href="_static/b.css" /></head>'
    (tmp_path / "one.html").write_text(head + '<body class="a b"></body>', encoding="utf-8")
    target = assets.slim(tmp_path)
    css = target.read_text(encoding="utf-8")
    assert ".a{color:red}" in css and ".b{color:green}" in css and ".gone" not in css
    page = (tmp_path / "one.html").read_text(encoding="utf-8")
    assert assets.stylesheet_hrefs(page) == [f"_static/styles/{target.name}"]
    # A cached rebuild rewrites no page: the site keeps its stylesheet.
    assert assets.slim(tmp_path) is None and target.exists()


# --- the built site -----------------------------------------------------------------------------


@pytest.mark.site
def test_every_page_links_one_stylesheet_that_exists(site):
    for page in [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "_static"]:
        hrefs = assets.stylesheet_hrefs(page.read_text(encoding="utf-8"))
        if page.name == "index.html" and not hrefs:
            continue  # the redirect to the first chapter
        assert len(hrefs) == 1, f"{page.relative_to(site)} links {hrefs}"
        assert (page.parent / hrefs[0]).resolve().is_file(), (
            f"{page.relative_to(site)}: {hrefs[0]} is missing"
        )


@pytest.mark.site
def test_only_the_search_page_loads_the_search_index(site):
    for page in [site / f"{entry}.html" for entry in toc.entries()] + [site / "genindex.html"]:
        assert "searchindex.js" not in page.read_text(encoding="utf-8"), page.relative_to(site)
    assert "searchindex.js" in (site / "search.html").read_text(encoding="utf-8")


@pytest.mark.site
def test_every_icon_the_pages_show_is_in_the_cut_fonts(site):
    """Each Font Awesome class on a page has its rule in the stylesheet and its glyph in a font the
    stylesheet loads, so no icon is a blank box."""
    from fontTools.ttLib import TTFont

    stylesheet = next((site / assets.BUNDLE_DIR).glob(f"{assets.BUNDLE_PREFIX}*.css"))
    css = stylesheet.read_text(encoding="utf-8")
    fonts = [stylesheet.parent / url for url in re.findall(r"url\(([^)]+\.woff2)\)", css)]
    drawable = set().union(*(TTFont(f).getBestCmap() for f in fonts))
    icons = set()
    for entry in toc.entries():
        html = (site / f"{entry}.html").read_text(encoding="utf-8")
        icons |= set(re.findall(r"\bfa-(?!solid|regular|brands|lg|fw|xs|sm)[a-z0-9-]+", html))
    assert icons, "no page shows an icon: the check would check nothing"
    for icon in sorted(icons):
        rule = re.search(rf"\.{icon}:before(?:,[^{{]*)?\{{content:\"(.)\"", css)
        assert rule, f"{icon}: no rule in {stylesheet.name}"
        assert ord(rule[1]) in drawable, f"{icon}: U+{ord(rule[1]):04X} is in no font"
    assert sum(f.stat().st_size for f in fonts) < 20_000, "the icon fonts were not cut"
