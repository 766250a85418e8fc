"""The serving arithmetic of chapter 05 on hand-checked values, its refusals, and its charts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from essays import load, serving


def test_api_cost_is_tokens_in_millions_times_price():
    assert serving.api_cost(2_000_000, usd_per_mtok=10) == 20.0
    assert serving.api_cost(1e9, usd_per_mtok=0.79) == pytest.approx(790.0)


def test_monthly_capacity_uses_730_hours():
    # 1,000 tokens/s for 730 h = 2.628e9 tokens; half busy = half that.
    assert serving.monthly_capacity(tokens_per_second=1000) == pytest.approx(2.628e9)
    assert serving.monthly_capacity(tokens_per_second=1000, utilization=0.5) == pytest.approx(1.314e9)


def test_accelerators_round_up_to_whole_copies():
    kw = dict(tokens_per_second=1000, utilization=0.5)
    assert serving.accelerators_needed(1, **kw) == 1  # never fewer than one copy
    assert serving.accelerators_needed(1.314e9, **kw) == 1  # exactly full
    assert serving.accelerators_needed(1.315e9, **kw) == 2  # a little more needs another GPU
    assert serving.accelerators_needed(1e9, **kw, accelerators_per_copy=2) == 2
    assert serving.accelerators_needed(3e9, **kw, accelerators_per_copy=2) == 4
    assert serving.accelerators_needed(6e9, **kw, accelerators_per_copy=2) == 6


def test_self_host_cost_bills_every_hour_of_the_month():
    cost = serving.self_host_cost(1e9, tokens_per_second=1000, usd_per_hour=2, utilization=0.5,
                                  accelerators_per_copy=2)
    assert cost == 2 * 2 * 730
    # Twice the volume at full utilization still fits on one GPU: 730 hours at $3.49.
    assert serving.self_host_cost(2e9, tokens_per_second=1000, usd_per_hour=3.49) == pytest.approx(2547.7)


def test_break_even_is_one_copy_divided_by_api_price():
    t = serving.break_even_tokens(usd_per_mtok=10, tokens_per_second=1000, usd_per_hour=2, utilization=0.5,
                                  accelerators_per_copy=2)
    assert t == pytest.approx(2.92e8)
    # At that volume the two bills are equal.
    assert serving.api_cost(t, usd_per_mtok=10) == pytest.approx(
        serving.self_host_cost(t, tokens_per_second=1000, usd_per_hour=2, utilization=0.5,
                               accelerators_per_copy=2))


def test_break_even_is_infinite_when_tokens_cost_more_than_the_api_even_fully_loaded():
    # $2/h for 1,314M tokens a month is $1.11 per million: an API at $1 per million always wins.
    assert serving.self_host_usd_per_mtok(tokens_per_second=1000, usd_per_hour=2, utilization=0.5) == \
        pytest.approx(1.1111, rel=1e-3)
    assert serving.break_even_tokens(usd_per_mtok=1, tokens_per_second=1000, usd_per_hour=2,
                                     utilization=0.5) == math.inf
    assert serving.break_even_tokens(usd_per_mtok=1.2, tokens_per_second=1000, usd_per_hour=2,
                                     utilization=0.5) == pytest.approx(2 * 730 / 1.2e-6)


@pytest.mark.parametrize("call, word", [
    (lambda: serving.api_cost(0, usd_per_mtok=1), "tokens_per_month"),
    (lambda: serving.api_cost(-5, usd_per_mtok=1), "tokens_per_month"),
    (lambda: serving.api_cost(10, usd_per_mtok=0), "usd_per_mtok"),
    (lambda: serving.api_cost("many", usd_per_mtok=1), "tokens_per_month"),
    (lambda: serving.api_cost(float("nan"), usd_per_mtok=1), "tokens_per_month"),
    (lambda: serving.self_host_cost(10, tokens_per_second=0, usd_per_hour=1), "tokens_per_second"),
    (lambda: serving.self_host_cost(10, tokens_per_second=1, usd_per_hour=-1), "usd_per_hour"),
    (lambda: serving.self_host_cost(10, tokens_per_second=1, usd_per_hour=1, utilization=0), "utilization"),
    (lambda: serving.self_host_cost(10, tokens_per_second=1, usd_per_hour=1, utilization=1.5), "utilization"),
    (lambda: serving.self_host_cost(10, tokens_per_second=1, usd_per_hour=1, accelerators_per_copy=1.5),
     "accelerators_per_copy"),
    (lambda: serving.break_even_tokens(usd_per_mtok=-1, tokens_per_second=1, usd_per_hour=1), "usd_per_mtok"),
    (lambda: serving.break_even_tokens(usd_per_mtok=1, tokens_per_second=1, usd_per_hour=1, utilization=2),
     "utilization"),
])
def test_nonsense_input_is_refused_with_the_argument_named(call, word):
    with pytest.raises(ValueError, match=word):
        call()


def test_throughput_assumptions_come_from_the_data():
    table = load("inference_throughput", sources=True)
    assumptions = serving.throughput(table)
    assert list(assumptions) == list(table["throughput_id"])
    for key, a in assumptions.items():
        assert a["tokens_per_second"] > 0 and a["accelerators"] >= 1, key
    assert table["source_url"].str.startswith("https://").all()
    assert serving.DEFAULT_THROUGHPUT in assumptions
    default = assumptions[serving.DEFAULT_THROUGHPUT]
    # TensorRT-LLM v0.6.1, LLaMA 70B on H100 (FP8), 2,048 tokens in and out: 547 tokens/s per GPU on 2 GPUs
    assert (default["tokens_per_second"], default["accelerators"]) == (547, 2)
    assert default["label"] == "Long prompts, long answers (2,048 in, 2,048 out)"
    assert serving.throughput() == assumptions  # loads the same table when none is given


def test_yearly_factor_recovers_a_known_decline():
    dates = pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01"])
    # Ten times cheaper each year (dates are 365/366 days apart, hence approx).
    frame = pd.DataFrame({"date": dates, "output_usd_per_mtok": [100.0, 10.0, 1.0]})
    assert serving.yearly_factor(frame) == pytest.approx(10, rel=0.01)


def test_price_chart_has_both_columns_and_buttons():
    prices = serving.price_table(load("inference_prices"), load("models"))
    fig = serving.price_chart(prices)
    shown = [t for t in fig.data if t.visible]
    assert sum(len(t.x) for t in shown) == len(prices)  # output prices first, every row once
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["Output tokens", "Input tokens"]
    assert fig.layout.yaxis.type == "log"


def test_break_even_chart_marks_crossings_where_lines_meet():
    api = pd.DataFrame([dict(label="A", usd_per_mtok=10.0, access="api")])
    gpus = pd.DataFrame([dict(label="G", usd_per_hour=2.0)])
    a = {"x": dict(label="X", tokens_per_second=1000, accelerators=2)}
    costs = serving.cost_curves(api, gpus, assumptions=a, utilization=0.5)
    points = serving.break_even_points(api, gpus, assumptions=a, utilization=0.5)
    assert points["tokens"].iloc[0] == pytest.approx(2.92e8)
    assert points["usd"].iloc[0] == pytest.approx(2920)
    fig = serving.break_even_chart(costs, points=points, assumptions=a, default="x")
    assert len(fig.data) == 3 and fig.layout.xaxis.type == "log"


def test_largest_runs_flags_bloom_as_public_compute():
    runs = serving.largest_runs(load("training_runs"), load("models"), load("events"))
    assert runs["model_id"].is_unique
    bloom = runs.set_index("model_id").loc["bloom-176b"]
    assert bool(bloom["public_compute"]) and bloom["accelerator_count"] == 384
    assert not runs.set_index("model_id").loc["llama-3.1-405b", "public_compute"]


def test_calculator_reports_both_bills_and_stores_no_display_output():
    box = serving.calculator()
    assert repr(box).startswith("Break-even calculator")
    text = box.children[-2].value
    assert "through the API" in text and "break" in text
    assert box.children[-1].outputs[0]["data"]["application/vnd.plotly.v1+json"]["data"]


def test_describe_says_when_self_hosting_never_pays():
    text = serving.describe(1e9, usd_per_mtok=0.5, tokens_per_second=547, usd_per_hour=3.49, utilization=0.5,
                            accelerators_per_copy=2)
    assert "never breaks even" in text and "$5,095" in text
