"""essays.gap on small hand-made tables whose answers can be worked out by hand."""

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from essays import gap


def models_frame(rows):
    frame = pd.DataFrame(rows, columns=["model_id", "name", "organization", "released", "access"])
    frame["released"] = pd.to_datetime(frame["released"])
    return frame


def scores_frame(rows):
    frame = pd.DataFrame(rows, columns=["model_id", "score", "shots"])
    frame["benchmark"] = "MMLU"
    frame["shots"] = frame["shots"].astype("Int64")
    frame["note"] = pd.NA
    return frame


@pytest.fixture
def models():
    return models_frame([
        ("c1", "Closed One", "ClosedCo", "2020-01-01", "api"),
        ("c2", "Closed Two", "ClosedCo", "2021-01-01", "api"),
        ("c3", "Closed Three", "ClosedCo", "2022-01-01", "api"),
        ("o1", "Open One", "OpenCo", "2020-07-01", "open_unrestricted"),
        ("o2", "Open Two", "OpenCo", "2021-07-01", "open_restricted"),
        ("o3", "Open Three", "OtherOpen", "2022-07-01", "open_restricted"),
        ("u1", "Lab Secret", "Lab", "2020-06-01", "unreleased"),
    ])


@pytest.fixture
def scores():
    return scores_frame([
        ("c1", 50.0, 5), ("c2", 70.0, 0), ("c3", 65.0, 5),  # c3 is worse than c2: not a frontier step
        ("o1", 40.0, 5), ("o2", 55.0, 5), ("o2", 60.0, None), ("o3", 72.0, 5),
        ("u1", 80.0, 5),
    ])


def test_frontier_keeps_only_new_bests(scores, models):
    closed = gap.frontier(scores, models, access_group="closed")
    assert list(closed["model_id"]) == ["c1", "c2"]
    assert list(closed["score"]) == [50.0, 70.0]
    opened = gap.frontier(scores, models, access_group="open")
    # o2 has two scores on one date: the better one (60) is the step.
    assert list(opened["score"]) == [40.0, 60.0, 72.0]


def test_five_shot_setting_drops_other_settings(scores, models):
    closed = gap.frontier(scores, models, access_group="closed", setting="5-shot")
    assert list(closed["score"]) == [50.0, 65.0]  # c2's 0-shot 70 is gone, so c3 becomes a step
    opened = gap.frontier(scores, models, access_group="open", setting="5-shot")
    assert list(opened["score"]) == [40.0, 55.0, 72.0]


def test_unreleased_models_count_only_when_asked(scores, models):
    assert 80.0 not in set(gap.frontier(scores, models, access_group="closed")["score"])
    with_lab = gap.frontier(scores, models, access_group="closed", include_unreleased=True)
    assert list(with_lab["model_id"]) == ["c1", "u1"]


def test_organization_and_year_filters(scores, models):
    opened = gap.frontier(scores, models, access_group="open", organizations=["OtherOpen"])
    assert list(opened["model_id"]) == ["o3"]
    opened = gap.frontier(scores, models, access_group="open", years=(2021, 2021))
    assert list(opened["model_id"]) == ["o2"]


def test_bad_arguments_are_refused(scores, models):
    with pytest.raises(ValueError, match="access_group"):
        gap.frontier(scores, models, access_group="half-open")
    with pytest.raises(ValueError, match="setting"):
        gap.frontier(scores, models, access_group="open", setting="3-shot")


def test_gap_by_year(scores, models):
    table = gap.gap_by_year(scores, models)
    # End of 2020: closed 50 (c1), open 40 (o1). 2021: closed 70 (c2), open 60 (o2).
    # The last year is cut at the last release with a score (1 July 2022): closed 70, open 72.
    assert list(table["year"]) == [2020, 2021, 2022]
    assert list(table["gap"]) == [10.0, 10.0, -2.0]
    assert list(table["open_model"]) == ["Open One", "Open Two", "Open Three"]


def test_gap_by_year_skips_years_before_both_sides_exist(models):
    scores = scores_frame([("c2", 70.0, 5), ("o1", 40.0, 5)])
    table = gap.gap_by_year(scores, models)
    assert list(table["year"]) == [2021]  # 2020 had an open score but no closed one
    assert list(table["gap"]) == [30.0]


def test_months_behind(scores, models):
    table = gap.months_behind(scores, models)
    assert list(table["closed_model"]) == ["Closed One", "Closed Two"]
    # 50 (Jan 2020) was first matched by o2's 60 on 1 July 2021: 547 days.
    assert table.loc[0, "open_model"] == "Open Two"
    assert table.loc[0, "months"] == round(547 / (365.25 / 12), 1) == 18.0
    # 70 (Jan 2021) was first matched by o3's 72 on 1 July 2022.
    assert table.loc[1, "open_date"] == pd.Timestamp("2022-07-01")


def test_months_behind_negative_when_open_was_first_and_missing_when_never(models):
    scores = scores_frame([("c2", 45.0, 5), ("c3", 99.0, 5), ("o1", 48.0, 5)])
    table = gap.months_behind(scores, models)
    assert table.loc[0, "months"] < 0  # o1 (July 2020) beat 45 before c2 (Jan 2021)
    assert table.loc[0, "months"] == round(-184 / (365.25 / 12), 1)
    assert math.isnan(table.loc[1, "months"]) and pd.isna(table.loc[1, "open_date"])


def test_gap_series_only_where_both_sides_have_scores(scores, models):
    o = gap.frontier(scores, models, access_group="open")
    c = gap.frontier(scores, models, access_group="closed")
    series = gap.gap_series(o, c, end="2023-01-01")
    assert series["date"].min() == pd.Timestamp("2020-07-01")  # first date with both
    assert series.set_index("date").loc[pd.Timestamp("2022-07-01"), "gap"] == -2.0
    assert series.iloc[-1]["date"] == pd.Timestamp("2023-01-01")


def test_developer_sides_and_recipient():
    models = models_frame([
        ("a", "A", "Maker", "2020-01-01", "open_unrestricted"),
        ("b", "B", "Maker", "2020-01-01", "api"),
        ("c", "C", "Shop", "2020-01-01", "api"),
        ("d", "D", "Shop", "2020-01-01", "api"),
        ("e", "E", "Investor", "2020-01-01", "api"),
    ])
    sides = gap.developer_sides(models)
    assert sides["Maker"] == "open"  # a tie counts as open
    assert sides["Shop"] == "closed"
    assert gap.recipient("Investor; Shop", models) == "Shop"  # most releases wins, in either order
    assert gap.recipient("Shop; Investor", models) == "Shop"
    assert gap.recipient("Nobody; Other", models) == "Nobody"  # no releases at all: first listed


def test_funding_assigns_side_and_flags_missing_amounts():
    models = models_frame([("a", "A", "OpenCo", "2020-01-01", "open_restricted"),
                           ("b", "B", "ClosedCo", "2020-01-01", "api")])
    events = pd.DataFrame({
        "event_id": ["e1", "e2", "e3"], "date": pd.to_datetime(["2021-01-01", "2020-01-01", "2022-01-01"]),
        "date_precision": "day", "kind": ["funding", "funding", "lawsuit"],
        "title": ["x", "y", "z"], "organization": ["Bank; ClosedCo", "OpenCo", "ClosedCo"],
        "amount_usd": pd.array([5e8, None, None], dtype="Float64"), "note": pd.NA})
    rounds = gap.funding(events, models)
    assert list(rounds["event_id"]) == ["e2", "e1"]  # the lawsuit is dropped; sorted by date
    assert list(rounds["side"]) == ["open", "closed"]
    assert list(rounds["has_amount"]) == [False, True]


def test_training_costs_prefers_epoch_and_keeps_one_per_method():
    models = models_frame([("m", "M", "Co", "2023-01-01", "api")])
    runs = pd.DataFrame({
        "model_id": ["m", "m", "m"], "cost_usd": [3.0, 2.0, 1.0], "cost_year": [2023] * 3,
        "cost_method": ["cloud_rental", "cloud_rental", "amortized_hardware"],
        "estimator": ["Stanford AI Index 2024", "Epoch AI", "Epoch AI"], "confidence": "likely"})
    costs = gap.training_costs(runs, models)
    assert len(costs) == 2
    assert costs.set_index("cost_method").loc["cloud_rental", "cost_usd"] == 2.0


def test_frontier_chart_buttons_switch_whole_settings(scores, models):
    fig = gap.frontier_chart(scores, models)
    assert isinstance(fig, go.Figure)
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["All reported scores", "5-shot scores only"]
    first, second = buttons[0].args[0]["visible"], buttons[1].args[0]["visible"]
    assert len(first) == len(fig.data) and not any(a and b for a, b in zip(first, second))
    assert [t.visible for t in fig.data] == first  # the page opens on the first setting


def test_controls_recompute_when_a_control_changes(scores, models):
    box = gap.controls(scores, models)
    setting, years, makers, unreleased, out = box.children
    assert "Gap explorer" in repr(box)
    def closed_markers():
        return " ".join(out.outputs[0]["data"]["application/vnd.plotly.v1+json"]["data"][1]["hovertext"])

    assert "Closed Two" in closed_markers() and "Lab Secret" not in closed_markers()
    unreleased.value = True
    assert "Lab Secret" in closed_markers()
    makers.value = ()
    assert "No scores" in out.outputs[0]["data"]["text/html"]
