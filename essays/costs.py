"""Training and serving costs: the arithmetic behind chapters 04 and 05 (and the costs chapter 06 cites).

Training, three small steps, each a function that refuses nonsense input:

* ``training_flop(parameters, tokens)``: a dense transformer does about 6 floating-point operations
  per parameter per training token (2 forward, 4 backward), so compute is about 6 x N x D.
* ``accelerator_hours(flop, peak_flops=..., utilization=...)``: an accelerator never runs at its
  datasheet peak; the share of peak it achieves while training, the *model FLOP utilization*
  (``MODEL_FLOP_UTILIZATION``), is typically 0.3-0.5 for large runs.
* ``cost_usd(hours, usd_per_hour=...)``: hours times a rental price per accelerator-hour.

Serving, deliberately small so a reader can check it by hand:

* ``api_cost``: tokens per month times a list price per million tokens.
* ``self_host_cost``: rent enough accelerators to produce the tokens, billed for every hour of a
  730-hour month whether they are busy or not; ``busy_share`` (``BUSY_SHARE``) is the share of those
  hours they do useful work.
* ``break_even_tokens``: the monthly volume at which the API bill first reaches the cost of the
  smallest self-hosted setup.

Growth rates are log-linear least-squares fits (numpy only) with a bootstrap range. Which side of the
open/closed line a model counts on comes from ``essays.access``. No charts here: each chapter draws its own.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from essays import access, charts

SECONDS_PER_HOUR = 3600
FLOP_PER_PARAMETER_TOKEN = 6

#: Training: the share of the accelerators' peak throughput a large training run achieves (model FLOP
#: utilization). An assumption, not a measurement: Meta reports 38-43% for Llama 3.1 405B; Epoch AI
#: often assumes 30-40%.
MODEL_FLOP_UTILIZATION = 0.4

#: Serving: the share of the month's rented hours an accelerator does useful work (demand comes in
#: daily peaks and a service is sized for them). An assumption with no source.
BUSY_SHARE = 0.5

#: Hours in an average month (8,760 hours a year / 12), the usual billing convention for rented servers.
HOURS_PER_MONTH = 730

#: Slider and button grids for chapter 04's static calculator chart (small: the figure stores every cell).
PRICE_GRID = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
UTILIZATION_GRID = (0.2, 0.3, 0.4, 0.5, 0.6)

#: For each reference model: the training_runs row with its reported accelerator-hours (and, where
#: the source gives it, its training_tokens) and, where the developer also put a dollar figure on the
#: run, that row and the hardware_prices row of the price per hour behind it.
REFERENCE_RUNS = {
    "stable-diffusion-1.4": (
        "stable-diffusion-1.4-card",
        "stable-diffusion-1.4-emad",
        "emad-implied-a100-2022",
    ),
    "bloom-176b": ("bloom-176b-bigscience", None, None),
    "llama-65b": ("llama-65b-meta", None, None),
    "llama-2-70b": ("llama-2-70b-meta", None, None),
    "deepseek-v3": ("deepseek-v3-deepseek", "deepseek-v3-deepseek", "deepseek-h800-2024-estimate"),
    "llama-3.1-405b": ("llama-3.1-405b-meta", None, None),
}

#: Dateline of the source essay (003) that claims foundation models need "tens of thousands" of GPUs.
ESSAY_003_DATE = pd.Timestamp("2023-05-11")

#: How each training-cost estimate was made (the ``cost_method`` of ``training_runs``), in two wordings:
#: short labels for buttons and the longer ones chapter 04 uses in hover text and legends.
COST_METHODS = {
    "amortized_hardware": "Hardware written off",
    "cloud_rental": "Cloud rental prices",
    "reported": "Developer's own figure",
}
METHOD_LABELS = {
    "amortized_hardware": "Amortized hardware",
    "cloud_rental": "Cloud rental price",
    "reported": "Reported by the developer",
}
#: Whose estimate wins when several estimators costed the same model by the same method.
ESTIMATOR_ORDER = ["Epoch AI", "Stanford AI Index 2024"]

#: Serving throughput assumptions come from the ``inference_throughput`` table: published vendor
#: benchmarks (output tokens per second per accelerator at the benchmark's, usually large, batch size),
#: used only as assumptions, since real services with latency targets usually get less.
#: ``accelerators_per_copy`` is the tensor-parallel size the benchmark used: the smallest group of GPUs
#: that serves one copy of the model, so capacity is bought in multiples of it.
#: The id (throughput_id) of the row the book uses by default:
DEFAULT_THROUGHPUT = "trtllm-0.6.1-llama-70b-h100-2048-2048"


# --- shared checks -------------------------------------------------------------------------------


def positive(name: str, value) -> float:
    """``value`` as a float, or a ValueError saying that ``name`` must be a positive number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return number


def share(name: str, value, example: str) -> float:
    """``value`` as a float in (0, 1], or a ValueError naming ``name`` with an example of a valid share."""
    number = positive(name, value)
    if number > 1:
        raise ValueError(f"{name} must be a share in (0, 1], {example}; got {value!r}")
    return number


# --- training: the calculator -----------------------------------------------------------------------


def training_flop(parameters, tokens) -> float:
    """Training compute in FLOP: about 6 x parameters x tokens (for a mixture of experts, pass the
    parameters active per token).

    >>> training_flop(70e9, 2e12)
    8.4e+23
    """
    return FLOP_PER_PARAMETER_TOKEN * positive("parameters", parameters) * positive("tokens", tokens)


def accelerator_hours(flop, *, peak_flops, utilization) -> float:
    """Accelerator-hours to do ``flop`` on chips with peak throughput ``peak_flops`` (FLOP/s) that
    achieve the share ``utilization`` (0 < utilization <= 1) of that peak."""
    flop = positive("flop", flop)
    peak_flops = positive("peak_flops", peak_flops)
    utilization = share("utilization", utilization, "e.g. 0.4 for 40% of peak")
    return flop / (peak_flops * utilization) / SECONDS_PER_HOUR


def cost_usd(hours, *, usd_per_hour) -> float:
    """Dollars for ``hours`` accelerator-hours rented at ``usd_per_hour`` per accelerator-hour."""
    return positive("hours", hours) * positive("usd_per_hour", usd_per_hour)


def implied_utilization(flop, *, hours, peak_flops) -> float:
    """The share of peak throughput a run must have reached to do ``flop`` in ``hours``."""
    return positive("flop", flop) / (
        positive("hours", hours) * SECONDS_PER_HOUR * positive("peak_flops", peak_flops)
    )


# --- training: growth rates -------------------------------------------------------------------------


def decimal_year(dates) -> np.ndarray:
    dates = pd.to_datetime(pd.Series(dates))
    return (dates.dt.year + (dates.dt.day_of_year - 1) / 365.25).to_numpy(dtype=float)


def growth_rate(dates, values, *, n_boot: int = 2000, level: float = 0.9, seed: int = 0) -> dict:
    """Annual growth factor from a least-squares line through log10(values) against time.

    Returns ``rate`` (e.g. 4.0 means x4 per year), ``low`` and ``high`` (the central ``level`` share
    of ``n_boot`` bootstrap fits, resampling points with replacement; seeded, so repeatable),
    ``n`` and the first and last year. Needs at least three points with positive values.
    """
    x = decimal_year(dates)
    y = np.asarray(pd.Series(values, dtype="float64"), dtype=float)
    keep = np.isfinite(x) & np.isfinite(y) & (y > 0)
    x, y = x[keep], np.log10(y[keep])
    if len(x) < 3 or np.ptp(x) == 0:
        raise ValueError(
            f"growth_rate needs at least three dated, positive values spread over time; got {len(x)}"
        )
    slope = np.polyfit(x, y, 1)[0]
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(x), size=(n_boot, len(x)))
    xs, ys = x[picks], y[picks]
    xm, ym = xs.mean(axis=1, keepdims=True), ys.mean(axis=1, keepdims=True)
    sxx = ((xs - xm) ** 2).sum(axis=1)
    ok = sxx > 0
    slopes = ((xs - xm) * (ys - ym)).sum(axis=1)[ok] / sxx[ok]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(slopes, [tail, 100 - tail])
    return {
        "rate": 10**slope,
        "low": 10**low,
        "high": 10**high,
        "n": len(x),
        "first": int(np.floor(x.min())),
        "last": int(np.floor(x.max())),
    }


# --- training: tidy tables --------------------------------------------------------------------------


def _titles(sources: pd.DataFrame) -> dict:
    return dict(zip(sources["source_id"], sources["title"], strict=True))


def training_costs(runs: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """One cost per model and method: the estimate by Epoch AI where it has one, else another estimator's.

    Columns: model_id, name, organization, released, access, side, cost_method, cost_usd, cost_year,
    estimator, confidence. Only runs with a cost; 'side' is 'open', 'closed' (API only) or 'unreleased'.
    """
    costed = runs.dropna(subset=["cost_usd"]).merge(
        models[["model_id", "name", "organization", "released", "access"]],
        on="model_id",
        validate="many_to_one",
    )
    rank = costed["estimator"].map({e: i for i, e in enumerate(ESTIMATOR_ORDER)}).fillna(len(ESTIMATOR_ORDER))
    costed = costed.assign(rank=rank).sort_values(["model_id", "cost_method", "rank"])
    one = costed.drop_duplicates(["model_id", "cost_method"]).drop(columns="rank")
    one["side"] = access.side(one["access"]).fillna("unreleased").astype(str)
    columns = [
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
    return one[columns].sort_values("released").reset_index(drop=True)


def compute_points(models: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per release with a training-compute figure, with who estimated it, how sure, and the source.

    ``side``: 'open' (weights downloadable) or 'closed' (API only, or never released).
    """
    out = models.dropna(subset=["training_compute_flop"]).copy()
    out["side"] = access.side(out["access"], unreleased="closed")
    out["source_title"] = out["compute_source_id"].map(_titles(sources))
    out["confidence"] = out["compute_confidence"].fillna("not given")
    return out.sort_values("released").reset_index(drop=True)


def cost_points(runs: pd.DataFrame, models: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per training-cost estimate, joined to its model's release date, name and access."""
    keep = ["model_id", "name", "organization", "released", "access", "modality"]
    out = runs.dropna(subset=["cost_usd"]).merge(
        models[keep], on="model_id", how="left", validate="many_to_one"
    )
    out["side"] = access.side(out["access"], unreleased="closed")
    out["source_title"] = out["source_id"].map(_titles(sources))
    out["confidence"] = out["confidence"].fillna("not given")
    return out.sort_values("released").reset_index(drop=True)


def growth_table(compute: pd.DataFrame, cost: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Fitted annual growth of training compute (by access) and of training cost (by method)."""
    rows = []
    for label, subset in (
        ("all", compute),
        ("open weights", compute[compute["side"] == "open"]),
        ("closed", compute[compute["side"] == "closed"]),
    ):
        rows.append(
            {
                "quantity": "training compute",
                "subset": label,
                **growth_rate(subset["released"], subset["training_compute_flop"], **kwargs),
            }
        )
    for method, label in (
        ("amortized_hardware", "cost, amortized hardware"),
        ("cloud_rental", "cost, cloud rental"),
    ):
        subset = cost[cost["cost_method"] == method]
        rows.append(
            {
                "quantity": label,
                "subset": "all",
                **growth_rate(subset["released"], subset["cost_usd"], **kwargs),
            }
        )
    return pd.DataFrame(rows)


def pretraining_tokens(runs: pd.DataFrame) -> dict:
    """Pretraining tokens of each reference model (model id -> tokens), from the ``training_tokens`` of
    its reference run in ``runs`` (the developer's own row); models whose row gives none are left out."""
    by_run = runs.set_index("run_id")["training_tokens"]
    return {
        model_id: float(by_run[run_id])
        for model_id, (run_id, _, _) in REFERENCE_RUNS.items()
        if run_id in by_run.index and pd.notna(by_run[run_id])
    }


def reference_check(
    models: pd.DataFrame,
    runs: pd.DataFrame,
    hardware: pd.DataFrame,
    prices: pd.DataFrame,
    *,
    utilization: float = MODEL_FLOP_UTILIZATION,
    tokens: dict | None = None,
) -> pd.DataFrame:
    """The calculator against published runs: estimated vs reported accelerator-hours (and dollars).

    Compute is 6 x parameters x tokens where the tokens are known (active parameters for a mixture
    of experts); otherwise the model's training_compute_flop from the models table. The tokens come
    from the reference run's ``training_tokens`` in ``runs`` unless ``tokens`` (model id -> tokens) is given.
    """
    tokens = pretraining_tokens(runs) if tokens is None else tokens
    model = models.set_index("model_id")
    run = runs.set_index("run_id")
    peak = hardware.set_index("hardware_id")["peak_16bit_flops"]
    chip = hardware.set_index("hardware_id")["name"]
    price = prices.set_index("price_id")["usd_per_hour"]
    rows = []
    for model_id, (run_id, cost_run_id, price_id) in REFERENCE_RUNS.items():
        m, r = model.loc[model_id], run.loc[run_id]
        params = m["active_parameters"] if pd.notna(m["active_parameters"]) else m["parameters"]
        if model_id in tokens and pd.notna(params):
            flop, basis = training_flop(params, tokens[model_id]), "6 x parameters x tokens"
        else:
            flop, basis = float(m["training_compute_flop"]), f"compute estimate ({m['compute_estimator']})"
        hours = accelerator_hours(flop, peak_flops=peak[r["hardware_id"]], utilization=utilization)
        reported = float(r["accelerator_hours"])
        row = {
            "model_id": model_id,
            "name": m["name"],
            "access": m["access"],
            "released": m["released"],
            "accelerator": chip[r["hardware_id"]],
            "peak_flops": float(peak[r["hardware_id"]]),
            "parameters": params,
            "tokens": tokens.get(model_id, np.nan),
            "flop": flop,
            "basis": basis,
            "estimated_hours": hours,
            "reported_hours": reported,
            "hours_ratio": hours / reported,
            "implied_utilization": implied_utilization(
                flop, hours=reported, peak_flops=peak[r["hardware_id"]]
            ),
            "usd_per_hour": np.nan,
            "estimated_cost": np.nan,
            "reported_cost": np.nan,
            "cost_ratio": np.nan,
            "run_id": run_id,
            "estimator": r["estimator"],
        }
        if price_id is not None:
            usd, reported_cost = float(price[price_id]), float(run.loc[cost_run_id, "cost_usd"])
            estimated = cost_usd(hours, usd_per_hour=usd)
            row.update(
                usd_per_hour=usd,
                estimated_cost=estimated,
                reported_cost=reported_cost,
                cost_ratio=estimated / reported_cost,
            )
        rows.append(row)
    return pd.DataFrame(rows)


def cost_grid(check: pd.DataFrame, *, prices=PRICE_GRID, utilizations=UTILIZATION_GRID) -> pd.DataFrame:
    """Estimated dollars for each reference model at each (price, utilization): the static sliders' data."""
    rows = []
    for r in check.itertuples():
        for u in utilizations:
            hours = accelerator_hours(r.flop, peak_flops=r.peak_flops, utilization=u)
            for p in prices:
                rows.append(
                    {
                        "name": r.name,
                        "access": r.access,
                        "utilization": u,
                        "usd_per_hour": p,
                        "estimated_cost": cost_usd(hours, usd_per_hour=p),
                        "reported_hours_cost": cost_usd(r.reported_hours, usd_per_hour=p),
                    }
                )
    return pd.DataFrame(rows)


def main_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per model that has an accelerator count: the developer's own row where there is one,
    else the first estimator's."""
    counted = runs.dropna(subset=["accelerator_count"]).copy()
    counted["developer"] = ~counted["estimator"].str.contains("Epoch|AI Index|Patterson", regex=True)
    counted = counted.sort_values(["model_id", "developer"], ascending=[True, False])
    return counted.drop_duplicates("model_id").reset_index(drop=True)


def money_table(events: pd.DataFrame, costs: pd.DataFrame, model_ids) -> pd.DataFrame:
    """The sums behind chapter 04's money chart: every funding event with a dollar amount, and for each model
    in ``model_ids`` its highest published estimate of a final training run."""
    funds = events[(events["kind"] == "funding") & events["amount_usd"].notna()]
    rows = [
        {
            "label": f"{r.title} ({r.date:%b %Y})",
            "amount_usd": float(r.amount_usd),
            "kind": "funding",
            "detail": r.organization,
        }
        for r in funds.itertuples()
    ]
    for model_id in model_ids:
        mine = costs[costs["model_id"] == model_id].sort_values("cost_usd")
        if mine.empty:
            continue
        top = mine.iloc[-1]
        rows.append(
            {
                "label": f"Training {top['name']}",
                "amount_usd": float(top["cost_usd"]),
                "kind": top["access"],
                "detail": f"{METHOD_LABELS[top['cost_method']]}, {top['estimator']} ({top['confidence']})",
            }
        )
    return pd.DataFrame(rows)


# --- training: for learners and for prose -----------------------------------------------------------


def _usd(value) -> str:
    if value >= 1e9:
        return f"${value / 1e9:.3g} billion"
    if value >= 1e6:
        return f"${value / 1e6:.3g} million"
    return f"${value:,.0f}"


def estimate(
    parameters_billion: float = 70.0,
    tokens_trillion: float = 2.0,
    *,
    peak_flops: float,
    utilization: float = MODEL_FLOP_UTILIZATION,
    usd_per_hour: float = 2.0,
    accelerators: int = 1000,
) -> pd.DataFrame:
    """The calculator end to end, as a one-row table a widget can show."""
    flop = training_flop(parameters_billion * 1e9, tokens_trillion * 1e12)
    hours = accelerator_hours(flop, peak_flops=peak_flops, utilization=utilization)
    accelerators = positive("accelerators", accelerators)
    return pd.DataFrame(
        [
            {
                "compute (FLOP)": f"{flop:.3g}",
                "accelerator-hours": charts.human(hours),
                "days on that many accelerators": f"{hours / accelerators / 24:,.1f}",
                "cost (US$)": _usd(cost_usd(hours, usd_per_hour=usd_per_hour)),
            }
        ]
    )


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sci(value, digits: int = 2) -> str:
    """8.4e23 -> '8.4 × 10²³' (for prose)."""
    mantissa, exponent = f"{float(value):.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


# --- serving: assumptions ---------------------------------------------------------------------------


def throughput(table: pd.DataFrame | None = None) -> dict:
    """Throughput assumptions by id, from ``load("inference_throughput")`` (loaded when not given).

    Each value is a dict with ``label`` (workload, with input and output lengths), ``model``,
    ``hardware_id``, ``precision``, ``tokens_per_second`` (output tokens per second per accelerator),
    ``accelerators`` (per copy of the model), ``input_tokens``, ``output_tokens``, ``source_id`` and ``note``.
    """
    if table is None:
        from essays.data import load

        table = load("inference_throughput")
    out = {}
    for r in table.itertuples():
        out[r.throughput_id] = {
            "label": f"{r.label} ({int(r.input_tokens):,} in, {int(r.output_tokens):,} out)",
            "model": r.model,
            "hardware_id": r.hardware_id,
            "precision": r.precision,
            "tokens_per_second": float(r.output_tokens_per_second_per_accelerator),
            "accelerators": int(r.accelerators_per_copy),
            "input_tokens": int(r.input_tokens),
            "output_tokens": int(r.output_tokens),
            "source_id": r.source_id,
            "note": r.note,
        }
    return out


# --- serving: arithmetic ----------------------------------------------------------------------------


def _busy(value) -> float:
    return share("busy_share", value, "the share of the month's hours the accelerators are busy")


def _group(value) -> int:
    if isinstance(value, bool) or not float(value).is_integer() or value < 1:
        raise ValueError(f"accelerators_per_copy must be a whole number of at least 1, got {value!r}")
    return int(value)


def api_cost(tokens_per_month, *, usd_per_mtok) -> float:
    """Monthly API bill in USD: ``tokens_per_month`` at a list price of ``usd_per_mtok`` per million tokens.

    >>> api_cost(2_000_000, usd_per_mtok=10)
    20.0
    """
    return positive("tokens_per_month", tokens_per_month) / 1e6 * positive("usd_per_mtok", usd_per_mtok)


def monthly_capacity(*, tokens_per_second, busy_share=1.0) -> float:
    """Tokens one accelerator produces in a 730-hour month at ``tokens_per_second`` while busy
    ``busy_share`` of the time (the rest of the time it waits for requests but is still paid for)."""
    return (
        positive("tokens_per_second", tokens_per_second)
        * _busy(busy_share)
        * SECONDS_PER_HOUR
        * HOURS_PER_MONTH
    )


def accelerators_needed(
    tokens_per_month, *, tokens_per_second, busy_share=1.0, accelerators_per_copy=1
) -> int:
    """Accelerators to rent: enough capacity for ``tokens_per_month``, rounded up to whole copies of the
    model (``accelerators_per_copy`` GPUs each), and never fewer than one copy.

    >>> accelerators_needed(1e9, tokens_per_second=1000, busy_share=0.5, accelerators_per_copy=2)
    2
    """
    tokens = positive("tokens_per_month", tokens_per_month)
    group = _group(accelerators_per_copy)
    per_copy = group * monthly_capacity(tokens_per_second=tokens_per_second, busy_share=busy_share)
    # Round before ceil so that a volume equal to the capacity (up to float error) needs no extra copy.
    copies = max(1, math.ceil(round(tokens / per_copy, 9)))
    return copies * group


def self_host_cost(
    tokens_per_month, *, tokens_per_second, usd_per_hour, busy_share=1.0, accelerators_per_copy=1
) -> float:
    """Monthly cost in USD of renting the accelerators that ``accelerators_needed`` asks for, each billed
    ``usd_per_hour`` for all 730 hours of the month.

    Only the rented hardware is counted: not engineers, storage, networking or the model's licence.

    >>> self_host_cost(1e9, tokens_per_second=1000, usd_per_hour=2, busy_share=0.5, accelerators_per_copy=2)
    2920.0
    """
    n = accelerators_needed(
        tokens_per_month,
        tokens_per_second=tokens_per_second,
        busy_share=busy_share,
        accelerators_per_copy=accelerators_per_copy,
    )
    return n * positive("usd_per_hour", usd_per_hour) * HOURS_PER_MONTH


def self_host_usd_per_mtok(*, tokens_per_second, usd_per_hour, busy_share=1.0) -> float:
    """Self-hosting cost per million tokens when every rented accelerator is fully loaded
    (the floor that the per-token cost approaches at large volumes)."""
    capacity = monthly_capacity(tokens_per_second=tokens_per_second, busy_share=busy_share)
    return positive("usd_per_hour", usd_per_hour) * HOURS_PER_MONTH / capacity * 1e6


def break_even_tokens(
    *, usd_per_mtok, tokens_per_second, usd_per_hour, busy_share=1.0, accelerators_per_copy=1
) -> float:
    """Smallest monthly volume at which self-hosting costs no more than the API, in tokens.

    Below it the API is cheaper. It equals the cost of one copy of the model (``accelerators_per_copy``
    GPUs for a month) divided by the API price per token, provided one copy can produce that many
    tokens; if even a fully used copy makes tokens dearer than the API, the answer is ``math.inf``
    (self-hosting never pays). Past the break-even point each extra copy adds a step to the
    self-hosting cost, so just after a step the API can be briefly cheaper again; the gap closes as
    volume grows.

    >>> break_even_tokens(usd_per_mtok=10, tokens_per_second=1000, usd_per_hour=2, busy_share=0.5,
    ...                   accelerators_per_copy=2)
    292000000.0
    """
    price = positive("usd_per_mtok", usd_per_mtok) / 1e6
    group = _group(accelerators_per_copy)
    copy_cost = group * positive("usd_per_hour", usd_per_hour) * HOURS_PER_MONTH
    copy_capacity = group * monthly_capacity(tokens_per_second=tokens_per_second, busy_share=busy_share)
    tokens = copy_cost / price
    if tokens > copy_capacity * (1 + 1e-12):
        return math.inf
    return tokens


# --- serving: prices over time ----------------------------------------------------------------------


def price_table(prices: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """Inference prices with each model's name, maker and access, one row per price (tidy)."""
    cols = ["model_id", "name", "organization", "access"]
    out = prices.merge(models[cols], on="model_id", how="left", validate="many_to_one")
    return out.sort_values(["date", "price_id"]).reset_index(drop=True)


def yearly_factor(prices: pd.DataFrame, *, column: str = "output_usd_per_mtok") -> float:
    """How many times cheaper a listed price gets per year: 10 to the minus slope of a least-squares
    line through log10(price) against time in years. Mixes models of every size and maker, so it
    describes the prices on offer, not one model getting cheaper."""
    frame = prices.dropna(subset=[column, "date"])
    if len(frame) < 2:
        raise ValueError("need at least two dated prices to fit a trend")
    years = (frame["date"] - pd.Timestamp("2020-01-01")).dt.days.to_numpy() / 365.25
    slope, _ = np.polyfit(years, np.log10(frame[column].astype(float).to_numpy()), 1)
    return float(10**-slope)


# --- serving: break-even tables ---------------------------------------------------------------------


def api_options(prices: pd.DataFrame, price_ids: list[str]) -> pd.DataFrame:
    """API lines for the break-even chart: the chosen rows of ``price_table``, in the order given, with a
    label naming model, provider and output price (the comparison is in output tokens)."""
    rows = prices.set_index("price_id").loc[list(price_ids)].reset_index()
    return pd.DataFrame(
        {
            "price_id": rows["price_id"],
            "label": [
                f"{charts.plain(r.name)} via {charts.plain(r.provider)}, "
                f"${r.output_usd_per_mtok:g}/M ({r.date:%b %Y})"
                for r in rows.itertuples()
            ],
            "usd_per_mtok": rows["output_usd_per_mtok"].astype(float),
            "access": rows["access"],
        }
    )


def gpu_options(hardware_prices: pd.DataFrame, *, hardware_id: str = "nvidia-h100-sxm") -> pd.DataFrame:
    """Rental prices of one accelerator from ``hardware_prices``, cheapest first, labelled with provider,
    date and price per GPU-hour."""
    rows = hardware_prices[hardware_prices["hardware_id"] == hardware_id].sort_values("usd_per_hour")
    return pd.DataFrame(
        {
            "price_id": rows["price_id"],
            "label": [
                f"{charts.plain(r.provider)} {r.date:%Y}, ${r.usd_per_hour:.2f}/h" for r in rows.itertuples()
            ],
            "usd_per_hour": rows["usd_per_hour"].astype(float),
        }
    ).reset_index(drop=True)


def cost_curves(
    api: pd.DataFrame,
    gpus: pd.DataFrame,
    *,
    assumptions: dict | None = None,
    busy_share: float = BUSY_SHARE,
    low: float = 1e7,
    high: float = 1e12,
) -> pd.DataFrame:
    """Monthly cost against monthly output tokens from ``low`` to ``high``, one row per (line, volume), tidy.

    ``api`` has columns ``label``, ``usd_per_mtok``, ``access``; ``gpus`` has ``label`` and
    ``usd_per_hour``. API lines are straight on log-log axes, so two points each suffice; they do not
    depend on the throughput assumption. Self-hosting lines are computed once for each entry of
    ``assumptions`` (default: ``throughput()``, the book's table) on a log grid plus the exact volume
    where each of the first steps begins, so a chart drawn with ``line_shape="hv"`` shows the steps
    where they are.
    """
    assumptions = assumptions or throughput()
    positive("low", low), positive("high", high)
    grid = np.logspace(np.log10(low), np.log10(high), 121)
    rows = []
    for r in api.itertuples():
        for t in (low, high):
            rows.append(
                {
                    "kind": "api",
                    "assumption": None,
                    "label": r.label,
                    "access": r.access,
                    "usd_per_mtok": float(r.usd_per_mtok),
                    "usd_per_hour": np.nan,
                    "tokens": t,
                    "usd": api_cost(t, usd_per_mtok=r.usd_per_mtok),
                }
            )
    for key, a in assumptions.items():
        per_copy = a["accelerators"] * monthly_capacity(
            tokens_per_second=a["tokens_per_second"], busy_share=busy_share
        )
        starts = per_copy * np.arange(1, 41) * (1 + 1e-9)  # just past a full copy: the next one is needed
        tokens = np.unique(np.concatenate([grid, starts[(starts > low) & (starts < high)]]))
        for g in gpus.itertuples():
            for t in tokens:
                rows.append(
                    {
                        "kind": "self",
                        "assumption": key,
                        "label": g.label,
                        "access": None,
                        "usd_per_mtok": np.nan,
                        "usd_per_hour": float(g.usd_per_hour),
                        "tokens": t,
                        "usd": self_host_cost(
                            t,
                            tokens_per_second=a["tokens_per_second"],
                            usd_per_hour=g.usd_per_hour,
                            busy_share=busy_share,
                            accelerators_per_copy=a["accelerators"],
                        ),
                    }
                )
    return pd.DataFrame(rows)


def break_even_points(
    api: pd.DataFrame, gpus: pd.DataFrame, *, assumptions: dict | None = None, busy_share: float = BUSY_SHARE
) -> pd.DataFrame:
    """Break-even volume for every (assumption, rental price, API price); ``inf`` where self-hosting
    never pays. One row per combination, with the monthly cost at that point."""
    assumptions = assumptions or throughput()
    rows = []
    for key, a in assumptions.items():
        for g in gpus.itertuples():
            for r in api.itertuples():
                t = break_even_tokens(
                    usd_per_mtok=r.usd_per_mtok,
                    tokens_per_second=a["tokens_per_second"],
                    usd_per_hour=g.usd_per_hour,
                    busy_share=busy_share,
                    accelerators_per_copy=a["accelerators"],
                )
                rows.append(
                    {
                        "assumption": key,
                        "gpu": g.label,
                        "usd_per_hour": float(g.usd_per_hour),
                        "api": r.label,
                        "usd_per_mtok": float(r.usd_per_mtok),
                        "tokens": t,
                        "usd": t * r.usd_per_mtok / 1e6 if math.isfinite(t) else math.inf,
                    }
                )
    return pd.DataFrame(rows)


def describe(
    tokens_per_month, *, usd_per_mtok, tokens_per_second, usd_per_hour, busy_share, accelerators_per_copy
) -> str:
    """One paragraph comparing the two bills for one set of assumptions (used by the live calculator)."""
    api = api_cost(tokens_per_month, usd_per_mtok=usd_per_mtok)
    n = accelerators_needed(
        tokens_per_month,
        tokens_per_second=tokens_per_second,
        busy_share=busy_share,
        accelerators_per_copy=accelerators_per_copy,
    )
    own = self_host_cost(
        tokens_per_month,
        tokens_per_second=tokens_per_second,
        usd_per_hour=usd_per_hour,
        busy_share=busy_share,
        accelerators_per_copy=accelerators_per_copy,
    )
    be = break_even_tokens(
        usd_per_mtok=usd_per_mtok,
        tokens_per_second=tokens_per_second,
        usd_per_hour=usd_per_hour,
        busy_share=busy_share,
        accelerators_per_copy=accelerators_per_copy,
    )
    floor = self_host_usd_per_mtok(
        tokens_per_second=tokens_per_second, usd_per_hour=usd_per_hour, busy_share=busy_share
    )
    cheaper = "self-hosting" if own < api else "the API"
    verdict = (
        f"Self-hosting breaks even at {charts.human(be)} tokens a month."
        if math.isfinite(be)
        else f"Self-hosting never breaks even: even fully loaded it costs ${floor:,.2f} per million tokens."
    )
    return (
        f"{charts.human(tokens_per_month)} tokens a month cost ${api:,.0f} through the API and "
        f"${own:,.0f} on {n} rented accelerator(s); {cheaper} is cheaper. {verdict}"
    )


# --- who can provide the compute --------------------------------------------------------------------


def largest_runs(runs: pd.DataFrame, models: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The largest reported accelerator count of each model's training run, with the model's maker,
    access, and whether an event of kind ``public_compute`` names the model (its compute was public)."""
    shown = runs.dropna(subset=["accelerator_count"])
    best = shown.sort_values("accelerator_count", ascending=False).drop_duplicates("model_id")
    public = set(events.loc[events["kind"] == "public_compute", "model_id"].dropna())
    out = best.merge(
        models[["model_id", "name", "organization", "access", "released"]],
        on="model_id",
        how="left",
        validate="one_to_one",
    )
    out["public_compute"] = out["model_id"].isin(public)
    return out.sort_values("accelerator_count").reset_index(drop=True)
