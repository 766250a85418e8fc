"""The catch-up rule of chapter 02 on small hand-made tables whose answers are known."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from essays import catchup

NAN = float("nan")


def make_models(rows):
    frame = pd.DataFrame(rows, columns=["model_id", "name", "organization", "released", "modality", "access",
                                        "parameters", "date_kind"])
    frame["released"] = pd.to_datetime(frame["released"])
    frame["parameters"] = frame["parameters"].astype("Float64")
    return frame


MODELS = make_models([
    ("closed-big", "Closed Big", "Lab A", "2020-01-01", "text", "api", 100e9, "api"),
    ("open-small", "Open Small", "Lab B", "2020-03-01", "text", "open_unrestricted", 10e9, "weights"),
    ("open-half", "Open Half", "Lab C", "2020-07-01", "text", "open_restricted", 50e9, "weights"),
    ("open-big", "Open Big", "Lab D", "2021-01-01", "text", "open_unrestricted", 100e9, "weights"),
    ("closed-secret", "Closed Secret", "Lab A", "2021-06-01", "multimodal", "api", NAN, "api"),
    ("open-weak", "Open Weak", "Lab B", "2021-09-01", "text", "open_restricted", NAN, "weights"),
    ("open-strong", "Open Strong", "Lab C", "2022-06-01", "text", "open_restricted", 70e9, "weights"),
    ("closed-image", "Closed Image", "Lab E", "2022-01-01", "image", "api", NAN, "api"),
    ("api-image", "API Image", "Lab F", "2022-02-01", "image", "api", NAN, "api"),
    ("open-image", "Open Image", "Lab G", "2022-05-01", "image", "open_restricted", NAN, "weights"),
    ("same-day", "Same Day", "Lab H", "2023-01-01", "text", "api", 5e9, "api"),
    ("same-day-open", "Same Day Open", "Lab H", "2023-01-01", "text", "open_unrestricted", 5e9, "weights"),
    ("unreleased-big", "Unreleased Big", "Lab I", "2023-02-01", "text", "unreleased", 500e9, "paper"),
    ("late-image", "Late Image", "Lab J", "2023-03-01", "image", "open_unrestricted", 12e9, "weights"),
])
SCORES = pd.DataFrame({
    "model_id": ["closed-secret", "closed-secret", "open-weak", "open-strong", "closed-big"],
    "benchmark": ["MMLU"] * 5,
    "score": [80.0, 85.0, 83.0, 86.0, 40.0],
    "shots": [5, 0, 5, 5, 5],
})


def one(model_id, **kw):
    return catchup.lags(MODELS, SCORES, pd.DataFrame({"model_id": [model_id]}), **kw).iloc[0]


def test_best_mmlu_takes_each_models_highest_score():
    best = catchup.best_mmlu(SCORES)
    assert best["closed-secret"] == 85.0
    assert best["open-strong"] == 86.0
    assert "open-small" not in best.index


def test_size_rule_finds_first_open_model_at_least_as_large():
    row = one("closed-big")
    assert row["rule"] == "size"
    assert row["match_id"] == "open-big"
    assert row["months"] == round(366 / (365.25 / 12), 1) == 12.0  # 2020 is a leap year


def test_size_ratio_lowers_the_bar():
    assert one("closed-big", size_ratio=0.5)["match_id"] == "open-half"
    assert one("closed-big", size_ratio=0.1)["match_id"] == "open-small"
    assert one("closed-big", size_ratio=0.5001)["match_id"] == "open-big"  # 50e9 < 50.01e9


def test_size_ratio_above_one_can_leave_no_match():
    row = one("closed-big", size_ratio=2.0)
    assert pd.isna(row["match_id"]) and math.isnan(row["months"])
    # months_so_far runs to the latest release in the table (2023-03-01).
    assert row["months_so_far"] == round((pd.Timestamp("2023-03-01") - pd.Timestamp("2020-01-01")).days
                                         / (365.25 / 12), 1)


def test_unreleased_and_api_models_never_count_as_open_matches():
    # Only unreleased-big (500e9, never released) is large enough for 4x.
    assert pd.isna(one("closed-big", size_ratio=4.0)["match_id"])
    assert one("closed-big", size_ratio=1.0)["match_access"] == "open_unrestricted"


def test_mmlu_rule_when_size_is_undisclosed_compares_text_with_multimodal():
    row = one("closed-secret")
    assert row["rule"] == "mmlu"
    assert row["threshold"] == "MMLU ≥ 85.0"
    assert row["match_id"] == "open-strong"  # open-weak's 83 is below 85
    assert one("closed-secret", mmlu_margin=2.0)["match_id"] == "open-weak"  # 83 >= 85 - 2
    assert one("closed-secret", mmlu_margin=1.9)["match_id"] == "open-strong"


def test_prefer_mmlu_switches_measure_when_both_exist():
    row = one("closed-big", prefer="mmlu")
    assert row["rule"] == "mmlu"
    # 40 points: the first later open model with a score is open-weak (83).
    assert row["match_id"] == "open-weak"
    assert one("closed-secret", prefer="size")["rule"] == "mmlu"  # no size to prefer


def test_image_milestone_without_measure():
    row = one("closed-image")
    assert row["rule"] == "first_open"
    assert row["match_id"] == "open-image"  # not api-image, not a text model
    skipped = one("closed-image", unmeasured="skip")
    assert skipped["rule"] == "none" and pd.isna(skipped["match_id"])


def test_match_must_come_strictly_after_the_milestone():
    # same-day-open came out on the milestone's own day, so it does not count; nothing later does.
    assert pd.isna(one("same-day")["match_id"])
    milestones = pd.DataFrame({"model_id": ["same-day"], "date": [pd.Timestamp("2022-12-31")]})
    assert catchup.lags(MODELS, SCORES, milestones).iloc[0]["match_id"] == "same-day-open"


def test_milestone_date_and_label_can_be_overridden():
    milestones = pd.DataFrame({"model_id": ["closed-big"], "label": ["Big (announced)"],
                               "date": [pd.Timestamp("2020-06-01")]})
    row = catchup.lags(MODELS, SCORES, milestones, size_ratio=0.5).iloc[0]
    assert row["milestone"] == "Big (announced)"
    assert row["match_id"] == "open-half"
    assert row["months"] == 1.0


def test_one_row_per_milestone_in_order():
    table = catchup.lags(MODELS, SCORES, pd.DataFrame({"model_id": ["closed-image", "closed-big"]}))
    assert list(table["model_id"]) == ["closed-image", "closed-big"]
    assert {"milestone", "closed_date", "match", "match_date", "months"} <= set(table.columns)


@pytest.mark.parametrize("kwargs, message", [
    ({"size_ratio": 0}, "size_ratio must be > 0"),
    ({"size_ratio": -1.0}, "size_ratio must be > 0"),
    ({"size_ratio": float("nan")}, "size_ratio must be a finite number"),
    ({"size_ratio": "1"}, "size_ratio must be a finite number"),
    ({"mmlu_margin": -0.5}, "mmlu_margin must be >= 0"),
    ({"unmeasured": "guess"}, "unmeasured must be one of"),
    ({"prefer": "compute"}, "prefer must be one of"),
])
def test_bad_arguments_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        catchup.lags(MODELS, SCORES, pd.DataFrame({"model_id": ["closed-big"]}), **kwargs)


def test_unknown_milestone_and_missing_columns_raise():
    with pytest.raises(ValueError, match="'nope' is not a model_id"):
        catchup.lags(MODELS, SCORES, pd.DataFrame({"model_id": ["nope"]}))
    with pytest.raises(ValueError, match=r"models is missing column\(s\) \['access'\]"):
        catchup.lags(MODELS.drop(columns="access"), SCORES, pd.DataFrame({"model_id": ["closed-big"]}))
    with pytest.raises(ValueError, match="milestones must be a pandas DataFrame"):
        catchup.lags(MODELS, SCORES, ["closed-big"])


def test_milestones_take_the_date_of_their_event():
    events = pd.DataFrame({"event_id": ["ev-001"], "date": [pd.Timestamp("2019-02-14")]})
    models = make_models([("gpt-2-1.5b", "GPT-2 1.5B", "OpenAI", "2019-11-05", "text", "open_unrestricted",
                           1.5e9, "weights")])
    table = catchup.milestones(models, events, model_ids=["gpt-2-1.5b"])
    assert table.iloc[0]["date"] == pd.Timestamp("2019-02-14")
    assert table.iloc[0]["label"] == "GPT-2 1.5B (withheld)"
    with pytest.raises(ValueError, match="'ev-001'"):
        catchup.milestones(models, events.iloc[0:0], model_ids=["gpt-2-1.5b"])


def test_stack_levels_separate_close_dates():
    dates = pd.Series(pd.to_datetime(["2020-01-01", "2020-01-10", "2020-01-20", "2020-06-01"]))
    assert list(catchup.stack_levels(dates, min_gap_days=30)) == [0, 1, 2, 0]
    assert list(catchup.stack_levels(dates, min_gap_days=30, max_levels=2)) == [0, 1, 0, 0]
    with pytest.raises(ValueError):
        catchup.stack_levels(dates, max_levels=0)


def test_timeline_keeps_markers_apart_and_offers_lane_and_period_buttons():
    fig = catchup.timeline(MODELS, start="2019-01-01", end="2023-12-31")
    assert isinstance(fig, go.Figure)
    points = [(x, y) for trace in fig.data for x, y in zip(trace.x, trace.y)]
    assert len(points) == len(MODELS)
    assert len(set(points)) == len(points)
    lane_labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert lane_labels == ["All lanes", "Text", "Multimodal", "Image"]
    assert fig.layout.xaxis.rangeslider.visible
    assert {t.name for t in fig.data} == {"Open weights", "Open weights, restrictive licence",
                                          "API or product only", "Not released"}


def test_lag_chart_marks_unmatched_milestones():
    table = catchup.lags(MODELS, SCORES, pd.DataFrame({"model_id": ["closed-big", "same-day"]}))
    fig = catchup.lag_chart(table)
    names = [t.name for t in fig.data]
    assert "No open match yet" in names
    waiting = fig.data[names.index("No open match yet")]
    assert list(waiting.y) == [table.iloc[1]["months_so_far"]]


def test_by_ratio_repeats_the_rule_for_each_ratio():
    table = catchup.by_ratio(MODELS, SCORES, pd.DataFrame({"model_id": ["closed-big"]}), [0.1, 0.5, 1.0])
    assert list(table["size_ratio"]) == [0.1, 0.5, 1.0]
    assert list(table["match_id"]) == ["open-small", "open-half", "open-big"]
    with pytest.raises(ValueError, match="at least one size ratio"):
        catchup.by_ratio(MODELS, SCORES, pd.DataFrame({"model_id": ["closed-big"]}), [])


def test_explorer_recomputes_when_a_control_changes():
    events = pd.DataFrame({"event_id": ["ev-001"], "date": [pd.Timestamp("2019-02-14")]})
    models = MODELS.assign(model_id=MODELS["model_id"].replace({"closed-big": "gpt-3-175b"}))
    box = catchup.explorer(models, SCORES, events)
    controls = {c.description: c for c in box.children if hasattr(c, "description") and c.description}
    controls["Milestones"].value = ("gpt-3-175b",)
    html = box.children[-1].outputs[-1]["data"]["text/html"]
    assert "Open Big" in html
    controls["Size ratio"].value = 0.1
    assert "Open Small" in box.children[-1].outputs[-1]["data"]["text/html"]
    assert repr(box).startswith("Catch-up explorer")
    assert "application/vnd.plotly.v1+json" in box.children[-1].outputs[0]["data"]
