"""The training-cost calculator and growth fits of chapter 04 (essays/costs.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from essays import costs, load


# --- calculator on known values -------------------------------------------------------------------

def test_compute_of_a_70b_model_on_2t_tokens():
    assert costs.training_flop(70e9, 2e12) == pytest.approx(8.4e23)


def test_hours_at_a_given_throughput_and_utilization():
    # 8.4e23 FLOP on A100s (312 TFLOP/s peak) at 40%: 8.4e23 / (312e12 * 0.4) / 3600 = 1,869,658 hours.
    assert costs.accelerator_hours(8.4e23, peak_flops=312e12, utilization=0.4) == pytest.approx(1_869_658.1, rel=1e-6)
    # One hour of a 1 PFLOP/s chip at full use does 3.6e18 FLOP.
    assert costs.accelerator_hours(3.6e18, peak_flops=1e15, utilization=1) == pytest.approx(1.0)


def test_dollars_at_a_given_price():
    assert costs.cost_usd(2_788_000, usd_per_hour=2) == pytest.approx(5_576_000)  # DeepSeek-V3's own sum


def test_implied_utilization_inverts_hours():
    hours = costs.accelerator_hours(1e24, peak_flops=989e12, utilization=0.37)
    assert costs.implied_utilization(1e24, hours=hours, peak_flops=989e12) == pytest.approx(0.37)


@pytest.mark.parametrize("call, word", [
    (lambda: costs.training_flop(0, 2e12), "parameters"),
    (lambda: costs.training_flop(70e9, -1), "tokens"),
    (lambda: costs.training_flop("seventy", 1), "parameters"),
    (lambda: costs.training_flop(float("nan"), 1), "parameters"),
    (lambda: costs.accelerator_hours(-5, peak_flops=1e15, utilization=0.4), "flop"),
    (lambda: costs.accelerator_hours(1e20, peak_flops=0, utilization=0.4), "peak_flops"),
    (lambda: costs.accelerator_hours(1e20, peak_flops=1e15, utilization=0), "utilization"),
    (lambda: costs.accelerator_hours(1e20, peak_flops=1e15, utilization=1.2), "utilization"),
    (lambda: costs.accelerator_hours(1e20, peak_flops=1e15, utilization=40), "utilization"),
    (lambda: costs.cost_usd(0, usd_per_hour=2), "hours"),
    (lambda: costs.cost_usd(10, usd_per_hour=-2), "usd_per_hour"),
])
def test_nonsense_input_is_refused_with_a_clear_message(call, word):
    with pytest.raises(ValueError, match=word):
        call()


def test_utilization_of_exactly_one_is_allowed():
    assert costs.accelerator_hours(3.6e18, peak_flops=1e15, utilization=1.0) == pytest.approx(1.0)


# --- growth fits ----------------------------------------------------------------------------------

def test_growth_rate_recovers_a_known_trend():
    dates = pd.date_range("2015-01-01", "2024-01-01", freq="90D")
    years = costs.decimal_year(dates)
    rng = np.random.default_rng(1)
    values = 1e20 * 4.0 ** (years - years[0]) * 10 ** rng.normal(0, 0.2, len(years))
    fit = costs.growth_rate(dates, values)
    assert fit["rate"] == pytest.approx(4.0, rel=0.1)
    assert fit["low"] < fit["rate"] < fit["high"]
    assert fit["low"] < 4.0 < fit["high"]
    assert fit["n"] == len(dates) and fit["first"] == 2015 and fit["last"] == 2023


def test_growth_rate_is_repeatable_and_exact_on_a_clean_line():
    dates = pd.to_datetime(["2018-01-01", "2019-01-01", "2020-01-01", "2021-01-01"])
    values = [1, 10, 100, 1000]
    first, second = costs.growth_rate(dates, values), costs.growth_rate(dates, values)
    assert first == second
    assert first["rate"] == pytest.approx(10, rel=1e-3)


def test_growth_rate_refuses_too_few_points():
    with pytest.raises(ValueError, match="at least three"):
        costs.growth_rate(pd.to_datetime(["2020-01-01", "2021-01-01"]), [1, 2])


# --- against the book's data ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def tables():
    return {name: load(name) for name in ("models", "sources", "training_runs", "hardware", "hardware_prices", "events")}


def test_reference_check_matches_the_published_runs(tables):
    check = costs.reference_check(tables["models"], tables["training_runs"], tables["hardware"],
                                  tables["hardware_prices"]).set_index("model_id")
    assert set(check.index) == set(costs.REFERENCE_RUNS)
    assert check.loc["llama-2-70b", "flop"] == pytest.approx(8.4e23)
    assert check.loc["llama-2-70b", "reported_hours"] == 1_720_320
    assert check.loc["llama-3.1-405b", "reported_hours"] == 30_840_000
    assert check.loc["bloom-176b", "reported_hours"] == 1_082_990
    assert check.loc["stable-diffusion-1.4", "reported_hours"] == 150_000
    # DeepSeek-V3 is a mixture of experts: compute uses its 37B active parameters.
    assert check.loc["deepseek-v3", "flop"] == pytest.approx(6 * 37e9 * 14.8e12)
    assert check.loc["deepseek-v3", "reported_cost"] == 5_576_000
    assert check.loc["deepseek-v3", "usd_per_hour"] == 2
    # The 6ND estimate at 40% utilization is within a factor of 1.5 of every reported figure.
    assert check["hours_ratio"].between(1 / 1.5, 1.5).all()
    assert check["implied_utilization"].between(0.2, 0.6).all()


def test_pretraining_tokens_come_from_the_developers_rows(tables):
    tokens = costs.pretraining_tokens(tables["training_runs"])
    assert tokens == {"llama-2-70b": 2.0e12, "llama-65b": 1.4e12, "llama-3.1-405b": 15.6e12,
                      "deepseek-v3": 14.8e12, "bloom-176b": 366e9}
    # only the developers' own rows carry a token count
    runs = tables["training_runs"].dropna(subset=["training_tokens"])
    assert set(runs["run_id"]) == {costs.REFERENCE_RUNS[m][0] for m in tokens}
    # an explicit mapping still overrides the table
    check = costs.reference_check(tables["models"], tables["training_runs"], tables["hardware"],
                                  tables["hardware_prices"], tokens={}).set_index("model_id")
    assert check.loc["llama-2-70b", "basis"].startswith("compute estimate")


def test_published_trends_hold_their_rate_inside_the_interval():
    trends = load("published_trends", sources=True).set_index("trend_id")
    assert ((trends["low"] <= trends["rate_per_year"]) & (trends["rate_per_year"] <= trends["high"])).all()
    assert trends.loc["epoch-2024-compute-notable", "rate_per_year"] == 4.7
    assert trends.loc["cottier-2024-amortized-cost", ["low", "high"]].tolist() == [2.0, 3.1]
    assert trends["source_url"].notna().all()


def test_growth_table_has_a_range_around_every_rate(tables):
    compute = costs.compute_points(tables["models"], tables["sources"])
    cost = costs.cost_points(tables["training_runs"], tables["models"], tables["sources"])
    table = costs.growth_table(compute, cost)
    assert len(table) == 5
    assert (table["low"] < table["rate"]).all() and (table["rate"] < table["high"]).all()
    assert (table["rate"] > 1).all()
    assert compute["source_title"].notna().all(), "every compute figure should name its source"


def test_calculator_chart_has_one_slider_step_per_price_and_one_button_per_utilization(tables):
    check = costs.reference_check(tables["models"], tables["training_runs"], tables["hardware"],
                                  tables["hardware_prices"])
    grid = costs.cost_grid(check)
    fig = costs.calculator_chart(grid)
    assert isinstance(fig, go.Figure)
    assert len(fig.layout.sliders[0].steps) == len(costs.PRICE_GRID)
    assert len(fig.layout.updatemenus[0].buttons) == len(costs.UTILIZATION_GRID)
    # Default view: $2 per hour at 40%; Llama 2 70B's bar is 8.4e23 FLOP at that price and utilization.
    visible = [t for t in fig.data if t.visible in (True, None) and t.type == "bar"]
    assert len(visible) == 1
    llama = list(visible[0].x).index("Llama 2 70B")
    assert visible[0].y[llama] == pytest.approx(1_869_658.1 * 2, rel=1e-6)
    # Moving the slider to $4 doubles every bar.
    step = next(s for s in fig.layout.sliders[0].steps if s.label == "$4")
    assert step.args[0]["y"][2][llama] == pytest.approx(1_869_658.1 * 4, rel=1e-6)


def test_money_table_lists_funding_and_training_costs(tables):
    cost = costs.cost_points(tables["training_runs"], tables["models"], tables["sources"])
    sums = costs.money_table(tables["events"], cost, ["deepseek-v3", "stable-diffusion-1.4"])
    funding = sums[sums["kind"] == "funding"]
    assert len(funding) == tables["events"].query("kind == 'funding'")["amount_usd"].notna().sum()
    assert sums.loc[sums["label"] == "Training DeepSeek-V3", "amount_usd"].item() == 5_576_000
    assert sums.loc[sums["label"] == "Training Stable Diffusion v1.4", "amount_usd"].item() == 600_000


def test_estimate_for_learners():
    row = costs.estimate(70, 2, peak_flops=312e12, utilization=0.4, usd_per_hour=2, accelerators=1000).iloc[0]
    assert row["compute (FLOP)"] == "8.4e+23"
    assert row["cost (US$)"] == "$3.74 million"
    with pytest.raises(ValueError, match="utilization"):
        costs.estimate(70, 2, peak_flops=312e12, utilization=0)


def test_calculator_widget_updates_and_reports_bad_input(tables):
    box = costs.calculator_widget(tables["hardware"])
    result = box.children[-1]
    assert "8.4e+23" in result.value  # the default: a 70B model on 2T tokens
    accelerators = box.children[-2]
    accelerators.value = 0
    assert "Cannot estimate" in result.value and "accelerators" in result.value
