"""essays/costs.py: the training calculator and growth fits (chapter 04) and the serving arithmetic
(chapter 05), on hand-checked values, their refusals, and the book's data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from essays import costs, load

# --- calculator on known values -------------------------------------------------------------------


def test_compute_of_a_70b_model_on_2t_tokens():
    assert costs.training_flop(70e9, 2e12) == pytest.approx(8.4e23)


def test_hours_at_a_given_throughput_and_utilization():
    # 8.4e23 FLOP on A100s (312 TFLOP/s peak) at 40%: 8.4e23 / (312e12 * 0.4) / 3600 = 1,869,658 hours.
    assert costs.accelerator_hours(8.4e23, peak_flops=312e12, utilization=0.4) == pytest.approx(
        1_869_658.1, rel=1e-6
    )
    # One hour of a 1 PFLOP/s chip at full use does 3.6e18 FLOP.
    assert costs.accelerator_hours(3.6e18, peak_flops=1e15, utilization=1) == pytest.approx(1.0)


def test_dollars_at_a_given_price():
    assert costs.cost_usd(2_788_000, usd_per_hour=2) == pytest.approx(5_576_000)  # DeepSeek-V3's own sum


def test_implied_utilization_inverts_hours():
    hours = costs.accelerator_hours(1e24, peak_flops=989e12, utilization=0.37)
    assert costs.implied_utilization(1e24, hours=hours, peak_flops=989e12) == pytest.approx(0.37)


@pytest.mark.parametrize(
    "call, word",
    [
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
    ],
)
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
    return {
        name: load(name)
        for name in ("models", "sources", "training_runs", "hardware", "hardware_prices", "events")
    }


def test_reference_check_matches_the_published_runs(tables):
    check = costs.reference_check(
        tables["models"], tables["training_runs"], tables["hardware"], tables["hardware_prices"]
    ).set_index("model_id")
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
    assert tokens == {
        "llama-2-70b": 2.0e12,
        "llama-65b": 1.4e12,
        "llama-3.1-405b": 15.6e12,
        "deepseek-v3": 14.8e12,
        "bloom-176b": 366e9,
    }
    # only the developers' own rows carry a token count
    runs = tables["training_runs"].dropna(subset=["training_tokens"])
    assert set(runs["run_id"]) == {costs.REFERENCE_RUNS[m][0] for m in tokens}
    # an explicit mapping still overrides the table
    check = costs.reference_check(
        tables["models"], tables["training_runs"], tables["hardware"], tables["hardware_prices"], tokens={}
    ).set_index("model_id")
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


def test_cost_grid_has_every_price_and_utilization(tables):
    check = costs.reference_check(
        tables["models"], tables["training_runs"], tables["hardware"], tables["hardware_prices"]
    )
    grid = costs.cost_grid(check)
    assert len(grid) == len(check) * len(costs.PRICE_GRID) * len(costs.UTILIZATION_GRID)
    llama = grid[grid["name"] == "Llama 2 70B"].set_index(["utilization", "usd_per_hour"])["estimated_cost"]
    # 8.4e23 FLOP on A100s at 40% and $2 per hour; doubling the price doubles the bill.
    assert llama[(0.4, 2.0)] == pytest.approx(1_869_658.1 * 2, rel=1e-6)
    assert llama[(0.4, 4.0)] == pytest.approx(2 * llama[(0.4, 2.0)])
    # halving the utilization doubles the hours, hence the bill
    assert llama[(0.2, 2.0)] == pytest.approx(2 * llama[(0.4, 2.0)])


def test_sides_come_from_the_access_vocabulary(tables):
    compute = costs.compute_points(tables["models"], tables["sources"])
    assert set(compute["side"]) == {"open", "closed"}  # unreleased models count as closed here
    unreleased = compute["access"] == "unreleased"
    assert (compute.loc[unreleased, "side"] == "closed").all()


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


# --- training_costs (moved from tests/test_gap.py) -----------------------------------------------------


def _models_frame(rows):
    frame = pd.DataFrame(rows, columns=["model_id", "name", "organization", "released", "access"])
    frame["released"] = pd.to_datetime(frame["released"])
    return frame


def test_training_costs_prefers_epoch_and_keeps_one_per_method():
    models = _models_frame([("m", "M", "Co", "2023-01-01", "api")])
    runs = pd.DataFrame(
        {
            "model_id": ["m", "m", "m"],
            "cost_usd": [3.0, 2.0, 1.0],
            "cost_year": [2023] * 3,
            "cost_method": ["cloud_rental", "cloud_rental", "amortized_hardware"],
            "estimator": ["Stanford AI Index 2024", "Epoch AI", "Epoch AI"],
            "confidence": "likely",
        }
    )
    table = costs.training_costs(runs, models)
    assert len(table) == 2
    assert table.set_index("cost_method").loc["cloud_rental", "cost_usd"] == 2.0


def test_training_costs_sides_keep_unreleased_apart():
    models = _models_frame(
        [
            ("o", "O", "Co", "2023-01-01", "open_restricted"),
            ("a", "A", "Co", "2023-02-01", "api"),
            ("u", "U", "Co", "2023-03-01", "unreleased"),
        ]
    )
    runs = pd.DataFrame(
        {
            "model_id": ["o", "a", "u"],
            "cost_usd": [1.0, 2.0, 3.0],
            "cost_year": 2023,
            "cost_method": "amortized_hardware",
            "estimator": "Epoch AI",
            "confidence": "likely",
        }
    )
    table = costs.training_costs(runs, models)
    assert list(table["side"]) == ["open", "closed", "unreleased"]
    assert list(table.columns) == [
        "model_id",
        "name",
        "organization",
        "released",
        "access",
        "side",
        "cost_method",
        "cost_usd",
        "cost_year",
        "estimator",
        "confidence",
    ]


# --- serving (merged from tests/test_serving.py) -------------------------------------------------------


def test_api_cost_is_tokens_in_millions_times_price():
    assert costs.api_cost(2_000_000, usd_per_mtok=10) == 20.0
    assert costs.api_cost(1e9, usd_per_mtok=0.79) == pytest.approx(790.0)


def test_monthly_capacity_uses_730_hours():
    # 1,000 tokens/s for 730 h = 2.628e9 tokens; half busy = half that.
    assert costs.monthly_capacity(tokens_per_second=1000) == pytest.approx(2.628e9)
    assert costs.monthly_capacity(tokens_per_second=1000, busy_share=0.5) == pytest.approx(1.314e9)


def test_accelerators_round_up_to_whole_copies():
    kw = {"tokens_per_second": 1000, "busy_share": 0.5}
    assert costs.accelerators_needed(1, **kw) == 1  # never fewer than one copy
    assert costs.accelerators_needed(1.314e9, **kw) == 1  # exactly full
    assert costs.accelerators_needed(1.315e9, **kw) == 2  # a little more needs another GPU
    assert costs.accelerators_needed(1e9, **kw, accelerators_per_copy=2) == 2
    assert costs.accelerators_needed(3e9, **kw, accelerators_per_copy=2) == 4
    assert costs.accelerators_needed(6e9, **kw, accelerators_per_copy=2) == 6


def test_self_host_cost_bills_every_hour_of_the_month():
    cost = costs.self_host_cost(
        1e9, tokens_per_second=1000, usd_per_hour=2, busy_share=0.5, accelerators_per_copy=2
    )
    assert cost == 2 * 2 * 730
    # Twice the volume at full busy_share still fits on one GPU: 730 hours at $3.49.
    assert costs.self_host_cost(2e9, tokens_per_second=1000, usd_per_hour=3.49) == pytest.approx(2547.7)


def test_break_even_is_one_copy_divided_by_api_price():
    t = costs.break_even_tokens(
        usd_per_mtok=10, tokens_per_second=1000, usd_per_hour=2, busy_share=0.5, accelerators_per_copy=2
    )
    assert t == pytest.approx(2.92e8)
    # At that volume the two bills are equal.
    assert costs.api_cost(t, usd_per_mtok=10) == pytest.approx(
        costs.self_host_cost(
            t, tokens_per_second=1000, usd_per_hour=2, busy_share=0.5, accelerators_per_copy=2
        )
    )


def test_break_even_is_infinite_when_tokens_cost_more_than_the_api_even_fully_loaded():
    # $2/h for 1,314M tokens a month is $1.11 per million: an API at $1 per million always wins.
    assert costs.self_host_usd_per_mtok(
        tokens_per_second=1000, usd_per_hour=2, busy_share=0.5
    ) == pytest.approx(1.1111, rel=1e-3)
    assert (
        costs.break_even_tokens(usd_per_mtok=1, tokens_per_second=1000, usd_per_hour=2, busy_share=0.5)
        == math.inf
    )
    assert costs.break_even_tokens(
        usd_per_mtok=1.2, tokens_per_second=1000, usd_per_hour=2, busy_share=0.5
    ) == pytest.approx(2 * 730 / 1.2e-6)


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: costs.api_cost(0, usd_per_mtok=1), "tokens_per_month"),
        (lambda: costs.api_cost(-5, usd_per_mtok=1), "tokens_per_month"),
        (lambda: costs.api_cost(10, usd_per_mtok=0), "usd_per_mtok"),
        (lambda: costs.api_cost("many", usd_per_mtok=1), "tokens_per_month"),
        (lambda: costs.api_cost(float("nan"), usd_per_mtok=1), "tokens_per_month"),
        (lambda: costs.self_host_cost(10, tokens_per_second=0, usd_per_hour=1), "tokens_per_second"),
        (lambda: costs.self_host_cost(10, tokens_per_second=1, usd_per_hour=-1), "usd_per_hour"),
        (lambda: costs.self_host_cost(10, tokens_per_second=1, usd_per_hour=1, busy_share=0), "busy_share"),
        (lambda: costs.self_host_cost(10, tokens_per_second=1, usd_per_hour=1, busy_share=1.5), "busy_share"),
        (
            lambda: costs.self_host_cost(10, tokens_per_second=1, usd_per_hour=1, accelerators_per_copy=1.5),
            "accelerators_per_copy",
        ),
        (
            lambda: costs.break_even_tokens(usd_per_mtok=-1, tokens_per_second=1, usd_per_hour=1),
            "usd_per_mtok",
        ),
        (
            lambda: costs.break_even_tokens(
                usd_per_mtok=1, tokens_per_second=1, usd_per_hour=1, busy_share=2
            ),
            "busy_share",
        ),
    ],
)
def test_nonsense_input_is_refused_with_the_argument_named(call, word):
    with pytest.raises(ValueError, match=word):
        call()


def test_throughput_assumptions_come_from_the_data():
    table = load("inference_throughput", sources=True)
    assumptions = costs.throughput(table)
    assert list(assumptions) == list(table["throughput_id"])
    for key, a in assumptions.items():
        assert a["tokens_per_second"] > 0 and a["accelerators"] >= 1, key
    assert table["source_url"].str.startswith("https://").all()
    assert costs.DEFAULT_THROUGHPUT in assumptions
    default = assumptions[costs.DEFAULT_THROUGHPUT]
    # TensorRT-LLM v0.6.1, LLaMA 70B on H100 (FP8), 2,048 tokens in and out: 547 tokens/s per GPU on 2 GPUs
    assert (default["tokens_per_second"], default["accelerators"]) == (547, 2)
    assert default["label"] == "Long prompts, long answers (2,048 in, 2,048 out)"
    assert costs.throughput() == assumptions  # loads the same table when none is given


def test_yearly_factor_recovers_a_known_decline():
    dates = pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01"])
    # Ten times cheaper each year (dates are 365/366 days apart, hence approx).
    frame = pd.DataFrame({"date": dates, "output_usd_per_mtok": [100.0, 10.0, 1.0]})
    assert costs.yearly_factor(frame) == pytest.approx(10, rel=0.01)


def test_break_even_points_are_where_the_bills_meet():
    api = pd.DataFrame([{"label": "A", "usd_per_mtok": 10.0, "access": "api"}])
    gpus = pd.DataFrame([{"label": "G", "usd_per_hour": 2.0}])
    a = {"x": {"label": "X", "tokens_per_second": 1000, "accelerators": 2}}
    curves = costs.cost_curves(api, gpus, assumptions=a, busy_share=0.5)
    points = costs.break_even_points(api, gpus, assumptions=a, busy_share=0.5)
    assert points["tokens"].iloc[0] == pytest.approx(2.92e8)
    assert points["usd"].iloc[0] == pytest.approx(2920)
    assert set(curves["kind"]) == {"api", "self"}
    # at the break-even volume the self-hosting step and the API line cost the same
    mine = curves[curves["kind"] == "self"]
    at = mine[mine["tokens"] <= 2.92e8]["usd"].iloc[-1]
    assert at == pytest.approx(2920)


def test_largest_runs_flags_bloom_as_public_compute():
    runs = costs.largest_runs(load("training_runs"), load("models"), load("events"))
    assert runs["model_id"].is_unique
    bloom = runs.set_index("model_id").loc["bloom-176b"]
    assert bool(bloom["public_compute"]) and bloom["accelerator_count"] == 384
    assert not runs.set_index("model_id").loc["llama-3.1-405b", "public_compute"]


def test_describe_says_when_self_hosting_never_pays():
    text = costs.describe(
        1e9,
        usd_per_mtok=0.5,
        tokens_per_second=547,
        usd_per_hour=3.49,
        busy_share=0.5,
        accelerators_per_copy=2,
    )
    assert "never breaks even" in text and "$5,095" in text
