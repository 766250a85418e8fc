"""Unit tests of essays.releases on small hand-made frames (no data files needed)."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from essays import releases

START = "2022-08-22"


def frame(rows):
    cols = ["event_id", "date", "date_precision", "kind", "title", "organization", "model_id", "note"]
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = pd.to_datetime(df["date"])
    for c in cols:
        if c != "date":
            df[c] = df[c].astype("string")
    return df


EVENTS = frame([
    ["e1", "2022-08-22", "day", "ecosystem", "Web UI", "Someone", None, None],
    ["e2", "2022-09-21", "day", "ecosystem", "Mac port", "Someone else", "sd", None],
    ["e3", "2022-09-22", "day", "access", "Waitlist removed", "Closed Co", "closed-img", None],
    ["e4", "2022-08-21", "day", "lawsuit", "Earlier suit", "Stability AI", None, None],
    ["e5", "2022-11-01", "month", "funding", "Money", "Stability AI", None, "Round led by X"],
    ["e6", "2023-01-05", "day", "ecosystem", "Chatbot thing", "Text Lab", "llm", "Not about pictures"],
    ["e7", "2022-10-02", "day", "ecosystem", "Paper", "A University", None, "Ported to Stable Diffusion"],
    ["e8", "2022-10-03", "day", "policy", "Unrelated law", "Parliament", None, None],
])
MODELS = pd.DataFrame({"model_id": ["sd", "closed-img", "llm"], "modality": ["image", "image", "text"]})


def test_months_after_counts_whole_months_rounded_down():
    got = list(releases.months_after(EVENTS, START))
    # 22 Aug -> 0, 21 Sep -> 0 (one day short), 22 Sep -> 1, 21 Aug -> -1, 1 Nov -> 2, 5 Jan -> 4
    assert got[:6] == [0, 0, 1, -1, 2, 4]


def test_days_after():
    assert list(releases.days_after(EVENTS, START))[:4] == [0, 30, 31, -1]


def test_lane_of_maps_kinds_and_leaves_unknown_kinds_blank():
    lanes = releases.lane_of(pd.Series(["ecosystem", "access", "funding", "weird"]))
    assert list(lanes[:3]) == ["Open models and tools", "Closed services: access", "Lawsuits, money, governance"]
    assert pd.isna(lanes[3])


def test_image_events_keeps_image_models_orgs_and_mentions_only():
    kept = releases.image_events(EVENTS, MODELS)
    # e1: no model, org not listed, no mention -> dropped; e6: text model -> dropped; e8 unrelated
    assert list(kept["event_id"]) == ["e2", "e3", "e4", "e5", "e7"]


def test_image_events_model_beats_organization():
    rows = frame([["x", "2023-04-20", "day", "release_policy", "Text model", "Stability AI", "llm", None]])
    assert releases.image_events(rows, MODELS).empty


def test_monthly_counts_fills_empty_months_with_zero():
    counts = releases.monthly_counts(EVENTS, START, kinds=("ecosystem",), months=4)
    assert list(counts["month"]) == [1, 2, 3, 4]
    # month 1: e1, e2; month 2 (22 Sep-21 Oct): e7; months 3-4: none (e6 is month 5)
    assert list(counts["events"]) == [2, 1, 0, 0]
    assert counts["month_start"].iloc[1] == pd.Timestamp("2022-09-22")


def test_monthly_counts_by_lane_and_window():
    counts = releases.monthly_counts(EVENTS, START, kinds=("ecosystem", "access", "lawsuit", "funding"),
                                     months=3, by="lane")
    assert len(counts) == 3 * 3  # three months times three lanes present (lawsuit e4 falls before start)
    second = counts[counts["month"] == 2].set_index("lane")["events"]
    assert second["Closed services: access"] == 1 and second["Open models and tools"] == 1
    third = counts[counts["month"] == 3].set_index("lane")["events"]
    assert third["Lawsuits, money, governance"] == 1  # the November round, known to the month
    assert list(counts["lane"].unique()) == ["Open models and tools", "Closed services: access",
                                             "Lawsuits, money, governance"]


def test_monthly_counts_ignores_kinds_not_asked_for():
    assert releases.monthly_counts(EVENTS, START, kinds=("dataset",), months=2)["events"].sum() == 0


def test_levels_stack_overlapping_footprints():
    starts = pd.to_datetime(pd.Series(["2022-01-01", "2022-01-05", "2022-01-06", "2022-01-20", "2022-03-01"]))
    ends = starts + pd.Timedelta(days=30)
    # three overlap; the fourth finds every row busy and takes the one that frees first; the fifth is free
    assert releases._levels(starts, ends, max_levels=3) == [0, 1, 2, 0, 0]


def test_event_timeline_lanes_buttons_and_hover():
    ev = EVENTS.assign(source_title=pd.Series(["A <b>page</b>"] * len(EVENTS), dtype="string"))
    fig = releases.event_timeline(ev, start=START, labels={"e3": "Waitlist gone"})
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == list(releases.LANES)
    closed = fig.data[1]
    assert list(closed.text) == ["Waitlist gone"]
    assert "Source: A &lt;b&gt;page&lt;/b&gt;" in closed.hovertext[0]  # data text is escaped
    funding = fig.data[2]
    assert "circle-open" in list(funding.marker.symbol)  # month-only date drawn open
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["First 100 days", "Year around the release", "All years"]
    assert buttons[1].args[0]["xaxis.range"] == ["2022-02-20", "2023-08-22"]
    assert list(fig.layout.xaxis.range) == ["2022-02-20", "2023-08-22"]
    lane_titles = [a.text for a in fig.layout.annotations if a.xref == "paper"]
    assert lane_titles == [f"<b>{lane}</b>" for lane in releases.LANES]
    # lanes do not share rows: every open-lane marker sits above every closed-lane marker
    assert min(fig.data[0].y) > max(fig.data[1].y) > max(fig.data[2].y)
    assert fig.layout.title.text is None


def test_event_timeline_drops_kinds_in_no_lane():
    fig = releases.event_timeline(EVENTS, start=START, lanes={"Only access": ("access",)})
    assert len(fig.data) == 1 and len(fig.data[0].x) == 1


def test_monthly_bars_stack_one_trace_per_lane():
    counts = releases.monthly_counts(EVENTS, START, kinds=("ecosystem", "access"), months=3, by="lane")
    fig = releases.monthly_bars(counts, by="lane")
    assert [t.name for t in fig.data] == ["Open models and tools", "Closed services: access"]
    assert list(fig.data[0].y) == [2, 1, 0]
    assert fig.layout.barmode == "stack"


def test_family_strip_colours_by_access():
    models = pd.DataFrame({
        "name": ["A 1", "B 1", "A 2"], "family": ["A", "B", "A"], "organization": ["x", "y", "x"],
        "released": pd.to_datetime(["2022-01-01", "2022-02-01", "2023-01-01"]),
        "access": ["open_restricted", "api", "open_restricted"], "license": ["RAIL", "proprietary", "RAIL"]})
    fig = releases.family_strip(models, families=["A", "B"])
    by_name = {t.name: t for t in fig.data}
    assert len(by_name["Open weights, restrictive licence"].x) == 2
    assert by_name["API or product only"].marker.color == "#D55E00"


@pytest.mark.parametrize("start,date,expected", [("2022-08-22", "2022-08-01", -1), ("2022-01-31", "2022-03-01", 1)])
def test_months_after_edges(start, date, expected):
    one = frame([["z", date, "day", "ecosystem", "t", "o", None, None]])
    assert releases.months_after(one, start).iloc[0] == expected

