"""Unit tests of the chart primitives in essays.charts."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from essays import charts


def test_mark_places_its_arrow_by_the_logarithm_on_a_log_axis():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[10, 1000]))
    fig.update_yaxes(type="log")
    charts.mark(fig, 2, 1000, "a <b>model</b>")
    note = fig.layout.annotations[0]
    assert note.y == pytest.approx(3) and note.x == 2
    assert note.text == "a &lt;b&gt;model&lt;/b&gt;"
    linear = charts.mark(go.Figure(), 2, 1000, "x").layout.annotations[0]
    assert linear.y == 1000


def test_switch_shows_one_group_per_button_and_checks_its_owners():
    fig = go.Figure([go.Scatter(y=[1]), go.Scatter(y=[2]), go.Scatter(y=[3])])
    charts.switch(fig, ["a", "b", None], {"a": "A", "b": "B"}, always=None)
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["A", "B"]
    assert buttons[1].args[0]["visible"] == [False, True, True]
    with pytest.raises(ValueError, match="owners names 2 traces"):
        charts.switch(fig, ["a", "b"], {"a": "A"})


def test_titles_wrap_to_the_width_and_the_top_margin_holds_them():
    layout = {"title": {"text": "word " * 30, "subtitle": {"text": "what is plotted"}}, "updatemenus": [{}]}
    narrow, wide = charts.fit_to_width(layout, 375), charts.fit_to_width(layout, 1280)
    assert narrow["title"]["text"].count("<br>") > wide["title"]["text"].count("<br>") >= 1
    assert narrow["margin"]["t"] > wide["margin"]["t"] >= 90
    assert all(len(line) <= 40 for line in charts.wrap("a " * 50, 40))
    assert "title" not in charts.fit_to_width({"title": {"text": ""}}, 375)


def test_the_bottom_stacks_ticks_sliders_and_legend_without_overlap():
    names = ["Open weights", "Open weights, restrictive licence", "API or product only", "Not released"]
    layout = {"height": 400, "xaxis": {"title": {"text": "Date"}}, "sliders": [{"steps": []}, {"steps": []}]}
    narrow, wide = charts.fit_to_width(layout, 300, names), charts.fit_to_width(layout, 800, names)
    # the legend sits at the bottom of the chart's box, in as many rows as its names need
    assert wide["legend"]["yref"] == "container" and wide["legend"]["y"] == 0
    assert charts.legend_rows(names, 280) > charts.legend_rows(names, 780) >= 1
    for fit, width in ((narrow, 300), (wide, 800)):
        plot = fit["height"] - fit["margin"]["t"] - fit["margin"]["b"]
        assert plot >= charts.MIN_PLOT
        tops = [-s["y"] * plot for s in fit["sliders"]]  # pixels below the plot where each slider starts
        assert tops[0] >= charts.X_TICKS and tops[1] - tops[0] >= charts.SLIDER_BLOCK
        legend_top = fit["margin"]["b"] - charts.legend_rows(names, width - 20) * charts.LEGEND_ROW
        assert legend_top >= tops[-1] + charts.SLIDER_BLOCK
    # on a phone the axis titles give way to the subtitle, and the chart grows to keep its plot area
    assert narrow["xaxis"]["title"]["text"] == "" and narrow["height"] > layout["height"]
    # a title that a slider step sets is wrapped like the chart's own
    steps = {"sliders": [{"steps": [{"args": [{}, {"title.text": "word " * 20}]}]}]}
    assert "<br>" in charts.fit_to_width(steps, 300)["sliders"][0]["steps"][0]["args"][1]["title.text"]


def test_a_single_trace_gets_no_legend_unless_asked():
    assert "legend" not in charts.fit_to_width({}, 800, ["only"])
    assert "legend" in charts.fit_to_width({"showlegend": True}, 800, ["only"])
    assert "legend" not in charts.fit_to_width({"showlegend": False}, 800, ["a", "b"])


def test_a_phone_version_replaces_the_chart_on_phones_only():
    import plotly.graph_objects as go

    wide = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], name="wide"), layout={"height": 300})
    phone = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 2, 1], name="phone"), layout={"height": 600})
    fits = charts.fitted(charts.for_phones(wide, phone).to_plotly_json())
    assert [t["name"] for t in fits["phone"]["data"]] == ["phone"]
    assert fits["narrow"]["height"] >= 600 > fits["wide"]["height"]
    assert "phone" not in (fits["wide"].get("meta") or {})
    assert charts.fitted(wide.update_layout(meta=None).to_plotly_json())["phone"] is None
