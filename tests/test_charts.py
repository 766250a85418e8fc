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
    assert charts.fit_to_width({"title": {"text": ""}}, 375) == {}
