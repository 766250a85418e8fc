"""Unit tests of the build side (essays.sphinx: the HTML for plotly figures and widget views) and of
essays.display, which chapters use instead."""

from types import SimpleNamespace

from essays.sphinx import (
    NARROW_MEDIA,
    chart_id,
    chart_script,
    launch_url,
    plotly_html,
    script_json,
    widget_note,
)


def test_figure_json_cannot_close_its_script_tag():
    text = script_json({"name": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and "<" not in text


def test_chart_ids_depend_only_on_page_and_cell():
    assert chart_id("chapters/01", 3, 0) == chart_id("chapters/01", 3, 0)
    assert chart_id("chapters/01", 3, 0) != chart_id("chapters/02", 3, 0)


def test_alt_text_is_escaped_into_the_aria_label():
    html = plotly_html({"data": [], "layout": {}}, "chart-x", 'Bars "quoted" <b>')
    assert 'aria-label="Bars &quot;quoted&quot; &lt;b&gt;"' in html


def test_launch_url_comes_from_the_repository_setting():
    config = SimpleNamespace(
        html_theme_options={
            "repository_url": "https://github.com/org/book",
            "repository_branch": "main",
            "path_to_book": "",
            "launch_buttons": {"binderhub_url": "https://mybinder.org"},
        }
    )
    url = launch_url(config, "chapters/01-open")
    assert url == "https://mybinder.org/v2/gh/org/book/main?urlpath=lab/tree/chapters/01-open.ipynb"
    assert 'href="https://mybinder.org/v2/gh/org/book/main' in widget_note(url)


def test_glue_shows_strings_without_quotes_and_numpy_numbers_as_plain(monkeypatch):
    import myst_nb
    import numpy as np
    from IPython.core.formatters import PlainTextFormatter

    from essays import glue

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=False: glued.update({name: value}))
    assert glue("n", np.int64(5)) == 5 and type(glued["n"]) is int
    assert glue("when", "5 November 2019") == "5 November 2019"
    assert PlainTextFormatter()(glued["when"]) == "5 November 2019"


def test_tables_escape_data_and_link_columns():
    import pandas as pd

    from essays import table

    html = table(
        pd.DataFrame({"t": ["<b>x</b>", "y"], "u": ["https://e.org/?a=1&b=2", None]}),
        {"t": "Title"},
        links={"t": "u"},
    ).data
    assert "&lt;b&gt;x&lt;/b&gt;" in html and 'href="https://e.org/?a=1&amp;b=2"' in html
    assert "<th>Title</th>" in html and ">y</td>" in html


def test_import_essays_loads_no_sphinx_or_docutils():
    import subprocess
    import sys

    code = (
        "import sys, essays, essays.access, essays.lags, essays.costs, essays.charts; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils') or m == 'essays.sphinx'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"import essays loads the build side: {out}"


def test_chart_data_rows_are_exactly_the_plotted_points():
    import plotly.graph_objects as go

    from essays.sphinx import figure_rows, rows_csv

    fig = go.Figure(
        [
            go.Scatter(
                x=["2020-01-01", "2021-01-01"],
                y=[1.5, 2.5],
                name="A <b>",
                hovertext=["one<br><b>x</b> &amp; y", "two"],
            ),
            go.Bar(x=["a"], y=[3], name="B", visible=False),
        ]
    )
    rows = figure_rows(fig.to_plotly_json())
    assert [(r["series"], r["x"], r["y"], r["shown"]) for r in rows] == [
        ("A ", "2020-01-01", 1.5, "yes"),
        ("A ", "2021-01-01", 2.5, "yes"),
        ("B", "a", 3, "no"),
    ]
    assert rows[0]["label"] == "one; x & y"
    assert rows_csv(rows).splitlines()[0] == "series,x,y,label,shown"


def test_every_source_becomes_a_bibtex_entry_with_its_url():
    import csv

    from essays.data import data_dir
    from essays.sphinx import sources_bibtex

    rows = list(csv.DictReader((data_dir() / "sources.csv").open(encoding="utf-8")))
    bib = sources_bibtex()
    assert bib.count("@misc{") == len(rows)
    for row in rows[:20]:
        assert f"@misc{{{row['source_id']}," in bib
        assert row["url"].replace("%", "\\%") in bib


def test_the_static_image_holds_the_charts_place():
    images = {"narrow": "../chart-images/x-narrow.svg", "wide": "../chart-images/x-wide.svg"}
    html = plotly_html({"data": [], "layout": {"height": 380}}, "chart-x", "A chart", images=images)
    assert '<img class="essays-static" src="../chart-images/x-wide.svg" alt=""' in html
    assert f'<source media="{NARROW_MEDIA}" srcset="../chart-images/x-narrow.svg"' in html
    # the box is as tall as the live chart will be, on phones and on wider screens alike
    assert 'height="380"' in html and "--essays-h:380px" in html and "--essays-h-narrow:" in html
    assert "essays-static" not in plotly_html({"data": [], "layout": {}}, "chart-y", "A chart")


def test_a_chart_can_carry_its_figure_in_a_file_of_its_own():
    """The page stays light: the figure sits in a script the page loads when the chart is drawn."""
    html = plotly_html({"data": [], "layout": {}}, "chart-z", "A chart", figure_href="../chart-figures/z.js")
    assert 'data-src="../chart-figures/z.js"' in html and "essays-plotly-data" not in html
    script = chart_script("chart-z", {"text": "</script>"})
    assert script.startswith("window.essaysCharts") and 'window.essaysCharts["chart-z"]=' in script
