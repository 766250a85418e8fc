"""essays.lags on small hand-made tables whose answers can be worked out by hand.

Two rules of "how long open models took to match closed ones" (chapter 02's first_match and
chapter 06's frontier_record) live in one function, ``lags.lags``; the last tests check that the
``rule`` argument, and the other stated assumptions, change the answer as documented.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from essays import lags

NAN = float("nan")
MONTH = 365.25 / 12


def make_models(rows):
    frame = pd.DataFrame(
        rows,
        columns=[
            "model_id",
            "name",
            "organization",
            "released",
            "modality",
            "access",
            "parameters",
            "date_kind",
        ],
    )
    frame["released"] = pd.to_datetime(frame["released"])
    frame["parameters"] = frame["parameters"].astype("Float64")
    return frame


# --- chapter 02's tables: milestones matched by size or score ---------------------------------

MODELS = make_models(
    [
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
        (
            "same-day-open",
            "Same Day Open",
            "Lab H",
            "2023-01-01",
            "text",
            "open_unrestricted",
            5e9,
            "weights",
        ),
        ("unreleased-big", "Unreleased Big", "Lab I", "2023-02-01", "text", "unreleased", 500e9, "paper"),
        ("late-image", "Late Image", "Lab J", "2023-03-01", "image", "open_unrestricted", 12e9, "weights"),
    ]
)
SCORES = pd.DataFrame(
    {
        "model_id": ["closed-secret", "closed-secret", "open-weak", "open-strong", "closed-big"],
        "benchmark": ["MMLU"] * 5,
        "score": [80.0, 85.0, 83.0, 86.0, 40.0],
        "shots": [5, 0, 5, 5, 5],
    }
)


def one(model_id, **kw):
    return lags.lags(MODELS, SCORES, pd.DataFrame({"model_id": [model_id]}), **kw).iloc[0]


def test_days_per_month_is_an_average_month():
    assert lags.DAYS_PER_MONTH == 365.25 / 12
    assert lags.months_between("2020-01-01", "2021-01-01") == 366 / MONTH


def test_best_mmlu_takes_each_models_highest_score():
    best = lags.best_mmlu(SCORES)
    assert best["closed-secret"] == 85.0
    assert best["open-strong"] == 86.0
    assert "open-small" not in best.index
    assert lags.best_mmlu(SCORES, setting="5-shot")["closed-secret"] == 80.0  # the 0-shot 85 is dropped


def test_size_rule_finds_first_open_model_at_least_as_large():
    row = one("closed-big")
    assert row["measure"] == "size"
    assert row["match_id"] == "open-big"
    assert row["months"] == round(366 / MONTH, 1) == 12.0  # 2020 is a leap year


def test_size_ratio_lowers_the_bar():
    assert one("closed-big", size_ratio=0.5)["match_id"] == "open-half"
    assert one("closed-big", size_ratio=0.1)["match_id"] == "open-small"
    assert one("closed-big", size_ratio=0.5001)["match_id"] == "open-big"  # 50e9 < 50.01e9


def test_size_ratio_above_one_can_leave_no_match():
    row = one("closed-big", size_ratio=2.0)
    assert pd.isna(row["match_id"]) and math.isnan(row["months"])
    # months_so_far runs to the latest release in the table (2023-03-01).
    assert row["months_so_far"] == round(
        (pd.Timestamp("2023-03-01") - pd.Timestamp("2020-01-01")).days / MONTH, 1
    )


def test_unreleased_and_api_models_never_count_as_open_matches():
    # Only unreleased-big (500e9, never released) is large enough for 4x.
    assert pd.isna(one("closed-big", size_ratio=4.0)["match_id"])
    assert one("closed-big", size_ratio=1.0)["match_access"] == "open_unrestricted"


def test_unreleased_argument_can_put_unreleased_models_on_the_open_side():
    row = one("closed-big", size_ratio=4.0, unreleased="open")
    assert row["match_id"] == "unreleased-big"


def test_mmlu_rule_when_size_is_undisclosed_compares_text_with_multimodal():
    row = one("closed-secret")
    assert row["measure"] == "mmlu"
    assert row["threshold"] == "MMLU ≥ 85.0"
    assert row["match_id"] == "open-strong"  # open-weak's 83 is below 85
    assert one("closed-secret", mmlu_margin=2.0)["match_id"] == "open-weak"  # 83 >= 85 - 2
    assert one("closed-secret", mmlu_margin=1.9)["match_id"] == "open-strong"


def test_measure_mmlu_switches_measure_when_both_exist():
    row = one("closed-big", measure="mmlu")
    assert row["measure"] == "mmlu"
    # 40 points: the first later open model with a score is open-weak (83).
    assert row["match_id"] == "open-weak"
    assert one("closed-secret", measure="size")["measure"] == "mmlu"  # no size to prefer


def test_image_milestone_without_measure():
    row = one("closed-image")
    assert row["measure"] == "first_open"
    assert row["match_id"] == "open-image"  # not api-image, not a text model
    skipped = one("closed-image", unmeasured="skip")
    assert skipped["measure"] == "none" and pd.isna(skipped["match_id"])


def test_match_must_come_strictly_after_the_milestone():
    # same-day-open came out on the milestone's own day, so it does not count; nothing later does.
    assert pd.isna(one("same-day")["match_id"])
    milestones = pd.DataFrame({"model_id": ["same-day"], "date": [pd.Timestamp("2022-12-31")]})
    assert lags.lags(MODELS, SCORES, milestones).iloc[0]["match_id"] == "same-day-open"


def test_milestone_date_and_label_can_be_overridden():
    milestones = pd.DataFrame(
        {"model_id": ["closed-big"], "label": ["Big (announced)"], "date": [pd.Timestamp("2020-06-01")]}
    )
    row = lags.lags(MODELS, SCORES, milestones, size_ratio=0.5).iloc[0]
    assert row["milestone"] == "Big (announced)"
    assert row["match_id"] == "open-half"
    assert row["months"] == 1.0


def test_one_row_per_milestone_in_order():
    table = lags.lags(MODELS, SCORES, pd.DataFrame({"model_id": ["closed-image", "closed-big"]}))
    assert list(table["model_id"]) == ["closed-image", "closed-big"]
    assert list(table.columns) == lags.COLUMNS


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"size_ratio": 0}, "size_ratio must be > 0"),
        ({"size_ratio": -1.0}, "size_ratio must be > 0"),
        ({"size_ratio": float("nan")}, "size_ratio must be a finite number"),
        ({"size_ratio": "1"}, "size_ratio must be a finite number"),
        ({"mmlu_margin": -0.5}, "mmlu_margin must be >= 0"),
        ({"unmeasured": "guess"}, "unmeasured must be one of"),
        ({"measure": "compute"}, "measure must be one of"),
        ({"rule": "vibes"}, "rule must be one of"),
        ({"unreleased": "maybe"}, "unreleased must be None"),
        ({"setting": "3-shot"}, "setting must be one of"),
        ({"years": (2020, 2021)}, "select scores for rule=.frontier_record. only"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lags.lags(MODELS, SCORES, pd.DataFrame({"model_id": ["closed-big"]}), **kwargs)


def test_unknown_milestone_and_missing_columns_raise():
    with pytest.raises(ValueError, match="'nope' is not a model_id"):
        lags.lags(MODELS, SCORES, pd.DataFrame({"model_id": ["nope"]}))
    with pytest.raises(ValueError, match=r"models is missing column\(s\) \['access'\]"):
        lags.lags(MODELS.drop(columns="access"), SCORES, pd.DataFrame({"model_id": ["closed-big"]}))
    with pytest.raises(ValueError, match="milestones must be a pandas DataFrame"):
        lags.lags(MODELS, SCORES, ["closed-big"])
    with pytest.raises(ValueError, match="needs milestones"):
        lags.lags(MODELS, SCORES)


def test_milestones_take_the_date_of_their_event():
    events = pd.DataFrame({"event_id": ["ev-001"], "date": [pd.Timestamp("2019-02-14")]})
    models = make_models(
        [("gpt-2-1.5b", "GPT-2 1.5B", "OpenAI", "2019-11-05", "text", "open_unrestricted", 1.5e9, "weights")]
    )
    table = lags.milestones(models, events, model_ids=["gpt-2-1.5b"])
    assert table.iloc[0]["date"] == pd.Timestamp("2019-02-14")
    assert table.iloc[0]["label"] == "GPT-2 1.5B (withheld)"
    with pytest.raises(ValueError, match="'ev-001'"):
        lags.milestones(models, events.iloc[0:0], model_ids=["gpt-2-1.5b"])


# --- chapter 06's tables: the MMLU frontier of each side ----------------------------------------


def models_frame(rows):
    frame = pd.DataFrame(rows, columns=["model_id", "name", "organization", "released", "access"])
    frame["released"] = pd.to_datetime(frame["released"])
    return frame.assign(modality="text", parameters=NAN)


def scores_frame(rows):
    frame = pd.DataFrame(rows, columns=["model_id", "score", "shots"])
    frame["benchmark"] = "MMLU"
    frame["shots"] = frame["shots"].astype("Int64")
    frame["note"] = pd.NA
    return frame


@pytest.fixture
def models():
    return models_frame(
        [
            ("c1", "Closed One", "ClosedCo", "2020-01-01", "api"),
            ("c2", "Closed Two", "ClosedCo", "2021-01-01", "api"),
            ("c3", "Closed Three", "ClosedCo", "2022-01-01", "api"),
            ("o1", "Open One", "OpenCo", "2020-07-01", "open_unrestricted"),
            ("o2", "Open Two", "OpenCo", "2021-07-01", "open_restricted"),
            ("o3", "Open Three", "OtherOpen", "2022-07-01", "open_restricted"),
            ("u1", "Lab Secret", "Lab", "2020-06-01", "unreleased"),
        ]
    )


@pytest.fixture
def scores():
    return scores_frame(
        [
            ("c1", 50.0, 5),
            ("c2", 70.0, 0),
            ("c3", 65.0, 5),  # c3 is worse than c2: not a frontier step
            ("o1", 40.0, 5),
            ("o2", 55.0, 5),
            ("o2", 60.0, None),
            ("o3", 72.0, 5),
            ("u1", 80.0, 5),
        ]
    )


def test_frontier_keeps_only_new_bests(scores, models):
    closed = lags.frontier(scores, models, side="closed")
    assert list(closed["model_id"]) == ["c1", "c2"]
    assert list(closed["score"]) == [50.0, 70.0]
    opened = lags.frontier(scores, models, side="open")
    # o2 has two scores on one date: the better one (60) is the step.
    assert list(opened["score"]) == [40.0, 60.0, 72.0]


def test_five_shot_setting_drops_other_settings(scores, models):
    closed = lags.frontier(scores, models, side="closed", setting="5-shot")
    assert list(closed["score"]) == [50.0, 65.0]  # c2's 0-shot 70 is gone, so c3 becomes a step
    opened = lags.frontier(scores, models, side="open", setting="5-shot")
    assert list(opened["score"]) == [40.0, 55.0, 72.0]


def test_unreleased_models_count_only_when_asked(scores, models):
    assert 80.0 not in set(lags.frontier(scores, models, side="closed")["score"])
    with_lab = lags.frontier(scores, models, side="closed", unreleased="closed")
    assert list(with_lab["model_id"]) == ["c1", "u1"]


def test_organization_and_year_filters(scores, models):
    opened = lags.frontier(scores, models, side="open", organizations=["OtherOpen"])
    assert list(opened["model_id"]) == ["o3"]
    opened = lags.frontier(scores, models, side="open", years=(2021, 2021))
    assert list(opened["model_id"]) == ["o2"]


def test_frontier_refuses_bad_arguments(scores, models):
    with pytest.raises(ValueError, match="side"):
        lags.frontier(scores, models, side="half-open")
    with pytest.raises(ValueError, match="setting"):
        lags.frontier(scores, models, side="open", setting="3-shot")


def test_gap_by_year(scores, models):
    table = lags.gap_by_year(scores, models)
    # End of 2020: closed 50 (c1), open 40 (o1). 2021: closed 70 (c2), open 60 (o2).
    # The last year is cut at the last release with a score (1 July 2022): closed 70, open 72.
    assert list(table["year"]) == [2020, 2021, 2022]
    assert list(table["gap"]) == [10.0, 10.0, -2.0]
    assert list(table["open_model"]) == ["Open One", "Open Two", "Open Three"]


def test_frontier_reads_the_benchmark_it_is_told(scores, models):
    eci = scores.assign(benchmark="ECI", score=scores["score"] + 100)
    both = pd.concat([scores, eci])
    assert list(lags.frontier(both, models, side="closed")["score"]) == [50.0, 70.0]
    assert list(lags.frontier(both, models, side="closed", benchmark="ECI")["score"]) == [150.0, 170.0]
    assert list(lags.gap_by_year(both, models, benchmark="ECI")["gap"]) == [10.0, 10.0, -2.0]
    records = lags.lags(models, both, rule="frontier_record", benchmark="ECI")
    assert records["threshold"].tolist() == ["ECI ≥ 150.0", "ECI ≥ 170.0"]
    with pytest.raises(ValueError, match=r"benchmark must be one of \['ECI', 'MMLU'\], got 'GPQA'"):
        lags.frontier(both, models, side="open", benchmark="GPQA")
    with pytest.raises(ValueError, match="MMLU scores only"):
        lags.lags(
            models,
            both,
            lags.milestones(models, pd.DataFrame(columns=["event_id", "date"]), ["c1"]),
            benchmark="ECI",
        )


def test_gap_by_year_skips_years_before_both_sides_exist(models):
    scores = scores_frame([("c2", 70.0, 5), ("o1", 40.0, 5)])
    table = lags.gap_by_year(scores, models)
    assert list(table["year"]) == [2021]  # 2020 had an open score but no closed one
    assert list(table["gap"]) == [30.0]


def test_gap_series_only_where_both_sides_have_scores(scores, models):
    o = lags.frontier(scores, models, side="open")
    c = lags.frontier(scores, models, side="closed")
    series = lags.gap_series(o, c, end="2023-01-01")
    assert series["date"].min() == pd.Timestamp("2020-07-01")  # first date with both
    assert series.set_index("date").loc[pd.Timestamp("2022-07-01"), "gap"] == -2.0
    assert series.iloc[-1]["date"] == pd.Timestamp("2023-01-01")


def test_frontier_record_rule(scores, models):
    table = lags.lags(models, scores, rule="frontier_record")
    assert list(table["milestone"]) == ["Closed One", "Closed Two"]
    assert list(table["measure"]) == ["mmlu", "mmlu"]
    # 50 (Jan 2020) was first matched by o2's 60 on 1 July 2021: 547 days.
    assert table.loc[0, "match"] == "Open Two"
    assert table.loc[0, "months"] == round(547 / MONTH, 1) == 18.0
    # 70 (Jan 2021) was first matched by o3's 72 on 1 July 2022.
    assert table.loc[1, "match_date"] == pd.Timestamp("2022-07-01")
    assert table.loc[1, "match_mmlu"] == 72.0


def test_frontier_record_negative_when_open_was_first_and_missing_when_never(models):
    scores = scores_frame([("c2", 45.0, 5), ("c3", 99.0, 5), ("o1", 48.0, 5)])
    table = lags.lags(models, scores, rule="frontier_record")
    assert table.loc[0, "months"] < 0  # o1 (July 2020) beat 45 before c2 (Jan 2021)
    assert table.loc[0, "months"] == round(-184 / MONTH, 1)
    assert math.isnan(table.loc[1, "months"]) and pd.isna(table.loc[1, "match_date"])
    # months_so_far: from c3 (Jan 2022) to the latest release in models (July 2022).
    assert table.loc[1, "months_so_far"] == round(181 / MONTH, 1)


def test_frontier_record_refuses_milestones_and_size(scores, models):
    with pytest.raises(ValueError, match="milestones=None"):
        lags.lags(models, scores, pd.DataFrame({"model_id": ["c1"]}), rule="frontier_record")
    with pytest.raises(ValueError, match="measure='mmlu'"):
        lags.lags(models, scores, rule="frontier_record", measure="size")


# --- the rule and the other assumptions change the answer as documented ----------------------------


def test_rule_changes_the_answer_for_the_same_closed_model(scores, models):
    # first_match: o1 (40) came out before c1 (50) and scores too low; the first open model released
    # after c1 with at least 50 is o2 (July 2021). frontier_record agrees for c1, but for c2 (70)...
    first = lags.lags(models, scores, pd.DataFrame({"model_id": ["c1", "c2"]}), measure="mmlu")
    record = lags.lags(models, scores, rule="frontier_record").set_index("model_id")
    assert list(first["match_id"]) == ["o2", "o3"]
    assert list(record["match_id"]) == ["o2", "o3"]
    # ...a closed model that sets no record (c3, 65 < 70) is a milestone only under first_match.
    assert "c3" not in record.index
    c3 = lags.lags(models, scores, pd.DataFrame({"model_id": ["c3"]}), measure="mmlu").iloc[0]
    assert c3["match_id"] == "o3" and c3["months"] == round(181 / MONTH, 1)


def test_first_match_only_looks_forward_but_frontier_record_looks_back(models):
    scores = scores_frame([("c2", 45.0, 5), ("o1", 48.0, 5), ("o2", 50.0, 5)])
    first = lags.lags(models, scores, pd.DataFrame({"model_id": ["c2"]}), measure="mmlu").iloc[0]
    record = lags.lags(models, scores, rule="frontier_record").iloc[0]
    assert first["match_id"] == "o2" and first["months"] > 0  # o1 came before c2: not a candidate
    assert record["match_id"] == "o1" and record["months"] < 0  # o1 had already reached 45


def test_counting_unreleased_models_as_closed_adds_records_and_lengthens_waits(scores, models):
    without = lags.lags(models, scores, rule="frontier_record")
    with_lab = lags.lags(models, scores, rule="frontier_record", unreleased="closed")
    assert "Lab Secret" not in set(without["milestone"])
    lab = with_lab.set_index("milestone").loc["Lab Secret"]
    assert pd.isna(lab["match"])  # no open model reached 80
    assert lags.gap_by_year(scores, models, unreleased="closed")["gap"].iloc[0] == 40.0  # 80 - 40 in 2020


def test_setting_and_margin_change_the_frontier_record_answer(scores, models):
    five = lags.lags(models, scores, rule="frontier_record", setting="5-shot")
    assert list(five["milestone"]) == ["Closed One", "Closed Three"]  # c2's 70 was 0-shot
    assert five.loc[0, "match"] == "Open Two"  # o2's 5-shot 55 >= 50
    lenient = lags.lags(models, scores, rule="frontier_record", mmlu_margin=10.0)
    assert lenient.loc[0, "match"] == "Open One"  # 40 >= 50 - 10
    assert lenient.loc[0, "months"] > 0  # o1 (July 2020) came after c1 (Jan 2020)
