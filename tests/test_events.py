"""Unit tests of essays.events on small hand-made frames (no data files needed)."""

import pandas as pd
import pytest

from essays import events

START = "2022-08-22"


def frame(rows):
    cols = ["event_id", "date", "date_precision", "kind", "title", "organization", "model_id", "note"]
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = pd.to_datetime(df["date"])
    for c in cols:
        if c != "date":
            df[c] = df[c].astype("string")
    return df


EVENTS = frame(
    [
        ["e1", "2022-08-22", "day", "ecosystem", "Web UI", "Someone", None, None],
        ["e2", "2022-09-21", "day", "ecosystem", "Mac port", "Someone else", "sd", None],
        ["e3", "2022-09-22", "day", "access", "Waitlist removed", "Closed Co", "closed-img", None],
        ["e4", "2022-08-21", "day", "lawsuit", "Earlier suit", "Stability AI", None, None],
        ["e5", "2022-11-01", "month", "funding", "Money", "Stability AI", None, "Round led by X"],
        ["e6", "2023-01-05", "day", "ecosystem", "Chatbot thing", "Text Lab", "llm", "Not about pictures"],
        ["e7", "2022-10-02", "day", "ecosystem", "Paper", "A University", None, "Ported to Stable Diffusion"],
        ["e8", "2022-10-03", "day", "policy", "Unrelated law", "Parliament", None, None],
    ]
)
MODELS = pd.DataFrame({"model_id": ["sd", "closed-img", "llm"], "modality": ["image", "image", "text"]})


def test_months_after_counts_whole_months_rounded_down():
    got = list(events.months_after(EVENTS, START))
    # 22 Aug -> 0, 21 Sep -> 0 (one day short), 22 Sep -> 1, 21 Aug -> -1, 1 Nov -> 2, 5 Jan -> 4
    assert got[:6] == [0, 0, 1, -1, 2, 4]


@pytest.mark.parametrize(
    "start,date,expected", [("2022-08-22", "2022-08-01", -1), ("2022-01-31", "2022-03-01", 1)]
)
def test_months_after_edges(start, date, expected):
    one = frame([["z", date, "day", "ecosystem", "t", "o", None, None]])
    assert events.months_after(one, start).iloc[0] == expected


def test_lane_of_maps_kinds_and_leaves_unknown_kinds_blank():
    lanes = events.lane_of(pd.Series(["ecosystem", "access", "funding", "weird"]))
    assert list(lanes[:3]) == [
        "Open models and tools",
        "Closed services: access",
        "Lawsuits, money, governance",
    ]
    assert pd.isna(lanes[3])


def test_image_events_keeps_image_models_orgs_and_mentions_only():
    kept = events.image_events(EVENTS, MODELS)
    # e1: no model, org not listed, no mention -> dropped; e6: text model -> dropped; e8 unrelated
    assert list(kept["event_id"]) == ["e2", "e3", "e4", "e5", "e7"]


def test_image_events_model_beats_organization():
    rows = frame([["x", "2023-04-20", "day", "release_policy", "Text model", "Stability AI", "llm", None]])
    assert events.image_events(rows, MODELS).empty


def test_image_events_works_without_a_note_column():
    kept = events.image_events(EVENTS.drop(columns="note"), MODELS)
    assert "e7" not in set(kept["event_id"])  # its only mention was in the note


def test_monthly_counts_fills_empty_months_with_zero():
    counts = events.monthly_counts(EVENTS, START, kinds=("ecosystem",), months=4)
    assert list(counts["month"]) == [1, 2, 3, 4]
    # month 1: e1, e2; month 2 (22 Sep-21 Oct): e7; months 3-4: none (e6 is month 5)
    assert list(counts["events"]) == [2, 1, 0, 0]
    assert counts["month_start"].iloc[1] == pd.Timestamp("2022-09-22")


def test_monthly_counts_by_lane_and_window():
    counts = events.monthly_counts(
        EVENTS, START, kinds=("ecosystem", "access", "lawsuit", "funding"), months=3, by="lane"
    )
    assert len(counts) == 3 * 3  # three months times three lanes present (lawsuit e4 falls before start)
    second = counts[counts["month"] == 2].set_index("lane")["events"]
    assert second["Closed services: access"] == 1 and second["Open models and tools"] == 1
    third = counts[counts["month"] == 3].set_index("lane")["events"]
    assert third["Lawsuits, money, governance"] == 1  # the November round, known to the month
    assert list(counts["lane"].unique()) == [
        "Open models and tools",
        "Closed services: access",
        "Lawsuits, money, governance",
    ]


def test_monthly_counts_by_kind_sorts_kinds_by_name():
    counts = events.monthly_counts(EVENTS, START, kinds=("ecosystem", "access"), months=2, by="kind")
    assert list(counts["kind"].unique()) == ["access", "ecosystem"]
    assert counts["events"].sum() == 4  # e1 and e2 in month 1, e3 and e7 in month 2


def test_monthly_counts_lanes_outside_the_lane_list_go_last():
    lanes = {"Only access": ("access",)}
    counts = events.monthly_counts(EVENTS, START, kinds=("access",), months=2, by="lane", lanes=lanes)
    assert list(counts["lane"].unique()) == ["Only access"]


def test_monthly_counts_ignores_kinds_not_asked_for():
    assert events.monthly_counts(EVENTS, START, kinds=("dataset",), months=2)["events"].sum() == 0


def test_a_longer_window_only_adds_months():
    short = events.monthly_counts(EVENTS, START, kinds=("ecosystem",), months=2)
    long = events.monthly_counts(EVENTS, START, kinds=("ecosystem",), months=6)
    assert list(long["events"][:2]) == list(short["events"])
    assert long["events"].sum() == 4  # e6 (month 5) joins e1, e2 and e7
