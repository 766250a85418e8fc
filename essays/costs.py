"""The price of a foundation model: a training-cost calculator, growth-rate fits and their charts.

The calculator is three small steps, each a function that refuses nonsense input:

* ``training_flop(parameters, tokens)``: a dense transformer does about 6 floating-point operations
  per parameter per training token (2 forward, 4 backward), so compute is about 6 x N x D.
* ``accelerator_hours(flop, peak_flops=..., utilization=...)``: an accelerator never runs at its
  datasheet peak; the share it achieves (model FLOP utilization) is typically 0.3-0.5 for large runs.
* ``cost_usd(hours, usd_per_hour=...)``: hours times a rental price per accelerator-hour.

Growth rates are log-linear least-squares fits (numpy only) with a bootstrap range.
Charts take a tidy DataFrame first and return a plotly Figure; none calls ``.show()``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from essays import charts

SECONDS_PER_HOUR = 3600
FLOP_PER_PARAMETER_TOKEN = 6

#: The book's assumed share of peak throughput that a large training run achieves. An assumption,
#: not a measurement: Meta reports 38-43% for Llama 3.1 405B; Epoch AI often assumes 30-40%.
DEFAULT_UTILIZATION = 0.4

#: Slider and button grids for the static calculator chart (kept small: the figure stores every cell).
PRICE_GRID = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
UTILIZATION_GRID = (0.2, 0.3, 0.4, 0.5, 0.6)

OPEN = ("open_unrestricted", "open_restricted")
CLOSED = ("api", "unreleased")

#: For each reference model: the training_runs row with its reported accelerator-hours (and, where
#: the source gives it, its training_tokens) and, where the developer also put a dollar figure on the
#: run, that row and the hardware_prices row of the price per hour behind it.
REFERENCE_RUNS = {
    "stable-diffusion-1.4": ("stable-diffusion-1.4-card", "stable-diffusion-1.4-emad", "emad-implied-a100-2022"),
    "bloom-176b": ("bloom-176b-bigscience", None, None),
    "llama-65b": ("llama-65b-meta", None, None),
    "llama-2-70b": ("llama-2-70b-meta", None, None),
    "deepseek-v3": ("deepseek-v3-deepseek", "deepseek-v3-deepseek", "deepseek-h800-2024-estimate"),
    "llama-3.1-405b": ("llama-3.1-405b-meta", None, None),
}

#: Dateline of the source essay (003) that claims foundation models need "tens of thousands" of GPUs.
ESSAY_003_DATE = pd.Timestamp("2023-05-11")


# --- the calculator ------------------------------------------------------------------------------

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
    return positive("flop", flop) / (positive("hours", hours) * SECONDS_PER_HOUR
                                      * positive("peak_flops", peak_flops))


# --- growth rates --------------------------------------------------------------------------------

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
        raise ValueError(f"growth_rate needs at least three dated, positive values spread over time; got {len(x)}")
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
    return {"rate": 10 ** slope, "low": 10 ** low, "high": 10 ** high, "n": int(len(x)),
            "first": int(np.floor(x.min())), "last": int(np.floor(x.max()))}


def access_group(access: pd.Series) -> pd.Series:
    """'open' for downloadable weights (any licence), 'closed' for API-only or unreleased."""
    return access.map(lambda a: "open" if a in OPEN else "closed" if a in CLOSED else pd.NA)


# --- tidy tables ---------------------------------------------------------------------------------

def _titles(sources: pd.DataFrame) -> dict:
    return dict(zip(sources["source_id"], sources["title"]))


def compute_points(models: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per release with a training-compute figure, with who estimated it, how sure, and the source."""
    out = models.dropna(subset=["training_compute_flop"]).copy()
    out["group"] = access_group(out["access"])
    out["source_title"] = out["compute_source_id"].map(_titles(sources))
    out["confidence"] = out["compute_confidence"].fillna("not given")
    return out.sort_values("released").reset_index(drop=True)


def cost_points(runs: pd.DataFrame, models: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per training-cost estimate, joined to its model's release date, name and access."""
    keep = ["model_id", "name", "organization", "released", "access", "modality"]
    out = runs.dropna(subset=["cost_usd"]).merge(models[keep], on="model_id", how="left", validate="many_to_one")
    out["group"] = access_group(out["access"])
    out["source_title"] = out["source_id"].map(_titles(sources))
    out["confidence"] = out["confidence"].fillna("not given")
    return out.sort_values("released").reset_index(drop=True)


def growth_table(compute: pd.DataFrame, cost: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Fitted annual growth of training compute (by access) and of training cost (by method)."""
    rows = []
    for label, subset in (("all", compute), ("open weights", compute[compute["group"] == "open"]),
                          ("closed", compute[compute["group"] == "closed"])):
        rows.append({"quantity": "training compute", "subset": label,
                     **growth_rate(subset["released"], subset["training_compute_flop"], **kwargs)})
    for method, label in (("amortized_hardware", "cost, amortized hardware"), ("cloud_rental", "cost, cloud rental")):
        subset = cost[cost["cost_method"] == method]
        rows.append({"quantity": label, "subset": "all",
                     **growth_rate(subset["released"], subset["cost_usd"], **kwargs)})
    return pd.DataFrame(rows)


def pretraining_tokens(runs: pd.DataFrame) -> dict:
    """Pretraining tokens of each reference model (model id -> tokens), from the ``training_tokens`` of
    its reference run in ``runs`` (the developer's own row); models whose row gives none are left out."""
    by_run = runs.set_index("run_id")["training_tokens"]
    return {model_id: float(by_run[run_id]) for model_id, (run_id, _, _) in REFERENCE_RUNS.items()
            if run_id in by_run.index and pd.notna(by_run[run_id])}


def reference_check(models: pd.DataFrame, runs: pd.DataFrame, hardware: pd.DataFrame,
                    prices: pd.DataFrame, *, utilization: float = DEFAULT_UTILIZATION,
                    tokens: dict | None = None) -> pd.DataFrame:
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
        row = {"model_id": model_id, "name": m["name"], "access": m["access"], "released": m["released"],
               "accelerator": chip[r["hardware_id"]], "peak_flops": float(peak[r["hardware_id"]]),
               "parameters": params, "tokens": tokens.get(model_id, np.nan), "flop": flop, "basis": basis,
               "estimated_hours": hours, "reported_hours": reported, "hours_ratio": hours / reported,
               "implied_utilization": implied_utilization(flop, hours=reported, peak_flops=peak[r["hardware_id"]]),
               "usd_per_hour": np.nan, "estimated_cost": np.nan, "reported_cost": np.nan, "cost_ratio": np.nan,
               "run_id": run_id, "estimator": r["estimator"]}
        if price_id is not None:
            usd, reported_cost = float(price[price_id]), float(run.loc[cost_run_id, "cost_usd"])
            estimated = cost_usd(hours, usd_per_hour=usd)
            row.update(usd_per_hour=usd, estimated_cost=estimated, reported_cost=reported_cost,
                       cost_ratio=estimated / reported_cost)
        rows.append(row)
    return pd.DataFrame(rows)


def cost_grid(check: pd.DataFrame, *, prices=PRICE_GRID, utilizations=UTILIZATION_GRID) -> pd.DataFrame:
    """Estimated dollars for each reference model at each (price, utilization): the static sliders' data."""
    rows = []
    for r in check.itertuples():
        for u in utilizations:
            hours = accelerator_hours(r.flop, peak_flops=r.peak_flops, utilization=u)
            for p in prices:
                rows.append({"name": r.name, "access": r.access, "utilization": u, "usd_per_hour": p,
                             "estimated_cost": cost_usd(hours, usd_per_hour=p),
                             "reported_hours_cost": cost_usd(r.reported_hours, usd_per_hour=p)})
    return pd.DataFrame(rows)


def main_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per model that has an accelerator count: the developer's own row where there is one,
    else the first estimator's."""
    counted = runs.dropna(subset=["accelerator_count"]).copy()
    counted["developer"] = ~counted["estimator"].str.contains("Epoch|AI Index|Patterson", regex=True)
    counted = counted.sort_values(["model_id", "developer"], ascending=[True, False])
    return counted.drop_duplicates("model_id").reset_index(drop=True)


# --- charts --------------------------------------------------------------------------------------

def _flop(value) -> str:
    return f"{value:.2g} FLOP"


def _usd(value) -> str:
    if value >= 1e9:
        return f"${value / 1e9:.3g} billion"
    if value >= 1e6:
        return f"${value / 1e6:.3g} million"
    return f"${value:,.0f}"


def compute_chart(points: pd.DataFrame, *, height: int = 480) -> go.Figure:
    """Training compute of each release over time, log scale, coloured by access."""
    def hover(group):
        return [f"<b>{charts.plain(r.name)}</b> ({charts.plain(r.organization)})<br>{r.released:%d %b %Y}<br>"
                f"Training compute: {_flop(r.training_compute_flop)}<br>"
                f"Estimated by {charts.plain(r.compute_estimator)}, confidence: {charts.plain(r.confidence)}<br>"
                f"Source: {charts.plain(r.source_title)}" for r in group.itertuples()]

    fig = go.Figure(charts.access_traces(points, x="released", y="training_compute_flop", hover=hover, size=10))
    fig.update_layout(height=height, xaxis_title="Date of first public availability",
                      yaxis_title="Training compute, FLOP (log scale)")
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


METHOD_LABELS = {"amortized_hardware": "Amortized hardware", "cloud_rental": "Cloud rental price",
                 "reported": "Reported by the developer"}


def cost_chart(points: pd.DataFrame, *, height: int = 500) -> go.Figure:
    """Estimated training cost over time, log scale, coloured by access; buttons switch the
    estimation method (each method on its own, since they differ by design)."""
    fig = go.Figure()
    methods = [m for m in METHOD_LABELS if (points["cost_method"] == m).any()]
    owners = []  # the method of each trace, for the buttons

    def hover(group):
        return [f"<b>{charts.plain(r.name)}</b> ({charts.plain(r.organization)})<br>{r.released:%d %b %Y}<br>"
                f"Cost: {_usd(r.cost_usd)} ({int(r.cost_year)} dollars)<br>"
                f"Method: {METHOD_LABELS[r.cost_method].lower()}<br>"
                f"Estimated by {charts.plain(r.estimator)}, confidence: {charts.plain(r.confidence)}<br>"
                f"Source: {charts.plain(r.source_title)}" for r in group.itertuples()]

    for method in methods:
        traces = charts.access_traces(points[points["cost_method"] == method], x="released", y="cost_usd",
                                      hover=hover, visible=method == methods[0])
        fig.add_traces(traces)
        owners += [method] * len(traces)
    buttons = [dict(label=METHOD_LABELS[m], method="update", args=[{"visible": [o == m for o in owners]}])
               for m in methods]
    fig.update_layout(
        height=height, xaxis_title="Date of first public availability",
        yaxis_title="Estimated cost of the final training run, US$ (log scale)",
        updatemenus=[dict(type="buttons", direction="right", buttons=buttons, x=0, xanchor="left",
                          y=-0.2, yanchor="top", showactive=True)],
        margin=dict(b=110))
    fig.update_yaxes(type="log")
    return fig


def growth_chart(table: pd.DataFrame, *, height: int = 340) -> go.Figure:
    """Fitted annual growth factors with their bootstrap ranges, one row per series."""
    labels = [f"{q.capitalize()}, {s}" if s != "all" else q.capitalize()
              for q, s in zip(table["quantity"], table["subset"])]
    colors = ["#444444" if s == "all" else charts.ACCESS_COLORS["open_unrestricted"] if s == "open weights"
              else charts.ACCESS_COLORS["api"] for s in table["subset"]]
    hover = [f"<b>{lab}</b><br>x{r.rate:.2f} per year (range x{r.low:.2f} to x{r.high:.2f})<br>"
             f"{r.n} estimates, {r.first}-{r.last}" for lab, r in zip(labels, table.itertuples())]
    fig = go.Figure(go.Scatter(
        x=table["rate"], y=labels, mode="markers", hovertext=hover, hoverinfo="text", showlegend=False,
        marker=dict(size=12, color=colors),
        error_x=dict(type="data", symmetric=False, array=table["high"] - table["rate"],
                     arrayminus=table["rate"] - table["low"], color="#888888", thickness=2)))
    fig.update_layout(height=height, xaxis_title="Growth factor per year (log scale; 1 = no growth)",
                      margin=dict(l=230))
    fig.update_xaxes(type="log")
    fig.update_yaxes(autorange="reversed")
    return fig


def check_chart(check: pd.DataFrame, *, height: int = 340) -> go.Figure:
    """Estimated / reported accelerator-hours for each reference run (1 = exact)."""
    hover = [f"<b>{charts.plain(r.name)}</b> on {charts.plain(r.accelerator)}<br>"
             f"Compute: {_flop(r.flop)} ({r.basis})<br>"
             f"Estimated: {charts.human(r.estimated_hours)} hours<br>Reported: {charts.human(r.reported_hours)} hours"
             f" ({charts.plain(r.estimator)})<br>Ratio: {r.hours_ratio:.2f}; implied utilization "
             f"{r.implied_utilization:.0%}" for r in check.itertuples()]
    fig = go.Figure(go.Scatter(
        x=check["hours_ratio"], y=check["name"], mode="markers", hovertext=hover, hoverinfo="text",
        showlegend=False, marker=dict(size=13, color=[charts.ACCESS_COLORS[a] for a in check["access"]])))
    fig.add_vline(x=1, line=dict(color="#888888", dash="dot"))
    fig.update_layout(height=height, xaxis_title="Estimated ÷ reported accelerator-hours (log scale)",
                      margin=dict(l=170))
    fig.update_xaxes(type="log", range=[np.log10(0.4), np.log10(2.5)])
    fig.update_yaxes(autorange="reversed")
    return fig


def calculator_chart(grid: pd.DataFrame, *, price: float = 2.0, utilization: float = DEFAULT_UTILIZATION,
                     height: int = 520) -> go.Figure:
    """Estimated cost of each reference run, with a slider over the rental price and buttons over
    utilization; every variant is precomputed in ``grid`` (see ``cost_grid``)."""
    prices = sorted(grid["usd_per_hour"].unique())
    utils = sorted(grid["utilization"].unique())
    names = list(dict.fromkeys(grid["name"]))

    def column(u, p, field):
        cell = grid[(grid["utilization"] == u) & (grid["usd_per_hour"] == p)].set_index("name")
        return [float(cell.loc[n, field]) for n in names]

    fig = go.Figure()
    for u in utils:
        fig.add_trace(go.Bar(
            x=names, y=column(u, price, "estimated_cost"), name=f"Estimate at {u:.0%} utilization",
            visible=u == utilization, marker_color=charts.ACCESS_COLORS["open_restricted"],
            hovertemplate="%{x}<br>Estimate: $%{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=names, y=column(utils[0], price, "reported_hours_cost"), mode="markers",
        name="Reported hours at the same price",
        marker=dict(symbol="line-ew", size=34, line=dict(width=3, color="#222222")),
        hovertemplate="%{x}<br>Reported hours x price: $%{y:,.0f}<extra></extra>"))
    steps = [dict(label=f"${p:g}", method="restyle",
                  args=[{"y": [column(u, p, "estimated_cost") for u in utils]
                         + [column(utils[0], p, "reported_hours_cost")]}])
             for p in prices]
    buttons = [dict(label=f"{u:.0%}", method="restyle",
                    args=[{"visible": [v == u for v in utils] + [True]}]) for u in utils]
    fig.update_layout(
        height=height, yaxis_title="Estimated cost, US$ (log scale)", bargap=0.35,
        sliders=[dict(active=prices.index(price), steps=steps, x=0.0, len=1.0, y=-0.12, yanchor="top",
                      currentvalue=dict(prefix="Rental price per accelerator-hour: "), pad=dict(t=40))],
        updatemenus=[dict(type="buttons", direction="right", buttons=buttons, active=utils.index(utilization),
                          x=0.14, xanchor="left", y=1.2, yanchor="bottom", showactive=True)],
        annotations=[dict(text="Utilization:", x=0, xref="paper", y=1.2, yref="paper", xanchor="left",
                          yanchor="bottom", yshift=6, showarrow=False)],
        legend=dict(y=1.03), margin=dict(b=150, t=120))
    fig.update_yaxes(type="log")
    return fig


def accelerators_chart(counted: pd.DataFrame, *, line: float = 10_000, height: int = 460) -> go.Figure:
    """Accelerators used at once in each training run, over time, log scale, with a line at ``line``."""
    def hover(group):
        return [f"<b>{charts.plain(r.name)}</b><br>{charts.human(r.accelerator_count)} accelerators "
                f"({charts.plain(r.hardware_name)})<br>Figures from {charts.plain(r.estimator)}, "
                f"confidence: {charts.plain(r.confidence)}<br>Source: {charts.plain(r.source_title)}"
                for r in group.itertuples()]

    fig = go.Figure(charts.access_traces(counted, x="released", y="accelerator_count", hover=hover))
    fig.add_hline(y=line, line=dict(color="#888888", dash="dot"),
                  annotation_text=f"{line:,.0f} accelerators", annotation_position="bottom right")
    fig.update_layout(height=height, xaxis_title="Date of first public availability",
                      yaxis_title="Accelerators used at once (log scale)")
    fig.update_yaxes(type="log")
    return fig


def money_chart(sums: pd.DataFrame, *, height: int = 560) -> go.Figure:
    """Funding rounds beside training-cost estimates, one horizontal bar each, log scale.

    ``sums`` has columns label, amount_usd, kind ('funding' or an access value) and detail.
    """
    sums = sums.sort_values("amount_usd")
    fig = go.Figure()
    for kind, group in sums.groupby("kind", sort=False):
        color = "#444444" if kind == "funding" else charts.ACCESS_COLORS.get(kind)
        name = "Funding round" if kind == "funding" else f"Training run: {charts.ACCESS_LABELS.get(kind, kind)}"
        fig.add_trace(go.Bar(
            x=group["amount_usd"], y=group["label"], orientation="h", name=name, marker_color=color,
            hovertext=[f"<b>{charts.plain(r.label)}</b><br>{_usd(r.amount_usd)}<br>{charts.plain(r.detail)}"
                       for r in group.itertuples()], hoverinfo="text"))
    fig.update_layout(height=height, xaxis_title="US dollars (log scale)", margin=dict(l=260), barmode="overlay")
    fig.update_xaxes(type="log")
    fig.update_yaxes(categoryorder="array", categoryarray=list(sums["label"]))
    return fig


def money_table(events: pd.DataFrame, costs: pd.DataFrame, model_ids) -> pd.DataFrame:
    """The sums behind ``money_chart``: every funding event with a dollar amount, and for each model
    in ``model_ids`` its highest published estimate of a final training run."""
    funds = events[(events["kind"] == "funding") & events["amount_usd"].notna()]
    rows = [{"label": f"{r.title} ({r.date:%b %Y})", "amount_usd": float(r.amount_usd), "kind": "funding",
             "detail": r.organization} for r in funds.itertuples()]
    for model_id in model_ids:
        mine = costs[costs["model_id"] == model_id].sort_values("cost_usd")
        if mine.empty:
            continue
        top = mine.iloc[-1]
        rows.append({"label": f"Training {top['name']}", "amount_usd": float(top["cost_usd"]), "kind": top["access"],
                     "detail": f"{METHOD_LABELS[top['cost_method']]}, {top['estimator']} ({top['confidence']})"})
    return pd.DataFrame(rows)


# --- for learners ---------------------------------------------------------------------------------

def estimate(parameters_billion: float = 70.0, tokens_trillion: float = 2.0, *, peak_flops: float,
             utilization: float = DEFAULT_UTILIZATION, usd_per_hour: float = 2.0,
             accelerators: int = 1000) -> pd.DataFrame:
    """The calculator end to end, as a one-row table a widget can show."""
    flop = training_flop(parameters_billion * 1e9, tokens_trillion * 1e12)
    hours = accelerator_hours(flop, peak_flops=peak_flops, utilization=utilization)
    accelerators = positive("accelerators", accelerators)
    return pd.DataFrame([{"compute (FLOP)": f"{flop:.3g}", "accelerator-hours": charts.human(hours),
                          "days on that many accelerators": f"{hours / accelerators / 24:,.1f}",
                          "cost (US$)": _usd(cost_usd(hours, usd_per_hour=usd_per_hour))}])


# --- text helpers -----------------------------------------------------------------------------------

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sci(value, digits: int = 2) -> str:
    """8.4e23 -> '8.4 × 10²³' (for prose)."""
    mantissa, exponent = f"{float(value):.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def check_table(check: pd.DataFrame):
    """The reference check as an HTML table for the page."""
    from essays.display import table

    def short(chip: str) -> str:
        return chip.split(" (")[0].replace("NVIDIA ", "")

    shown = pd.DataFrame({
        "name": check["name"], "accelerator": [short(c) for c in check["accelerator"]],
        "compute": [sci(f) + ("" if b.startswith("6 x") else " (Epoch AI estimate)")
                    for f, b in zip(check["flop"], check["basis"])],
        "estimated": [charts.human(h) for h in check["estimated_hours"]],
        "reported": [charts.human(h) for h in check["reported_hours"]],
        "ratio": [f"{r:.2f}" for r in check["hours_ratio"]],
        "implied": [f"{u:.0%}" for u in check["implied_utilization"]],
    })
    return table(shown, {"name": "Model", "accelerator": "Chip", "compute": "Compute, FLOP",
                         "estimated": "Estimated hours", "reported": "Reported hours",
                         "ratio": "Estimate ÷ reported", "implied": "Implied utilization"})


def calculator_widget(hardware: pd.DataFrame):
    """ipywidgets controls over ``estimate``, for a running notebook (Binder, JupyterLab).

    The result is written into an HTML widget rather than displayed, so the cell's stored output is
    the same on every run (a display inside the widget would leak into the notebook's outputs).
    """
    import ipywidgets as widgets

    chips = dict(zip(hardware["name"], hardware["peak_16bit_flops"].astype(float)))
    controls = dict(
        size_billion=widgets.FloatLogSlider(value=70, base=10, min=-1, max=3.5, description="billion params"),
        tokens_trillion=widgets.FloatSlider(value=2, min=0.1, max=30, step=0.1, description="trillion tokens"),
        chip=widgets.Dropdown(options=list(chips), description="chip",
                              value=next((c for c in chips if "A100 80GB" in c), list(chips)[0])),
        utilization=widgets.FloatSlider(value=DEFAULT_UTILIZATION, min=0.05, max=1, step=0.05, description="utilization"),
        usd_per_hour=widgets.FloatSlider(value=2, min=0.5, max=10, step=0.25, description="US$ per hour"),
        accelerators=widgets.IntText(value=1000, description="accelerators"))
    result = widgets.HTML()

    def update(_=None):
        v = {name: control.value for name, control in controls.items()}
        try:
            table = estimate(v["size_billion"], v["tokens_trillion"], peak_flops=chips[v["chip"]],
                             utilization=v["utilization"], usd_per_hour=v["usd_per_hour"],
                             accelerators=v["accelerators"])
            result.value = table.to_html(index=False)
        except ValueError as err:
            result.value = f"<p><b>Cannot estimate:</b> {charts.plain(err)}</p>"

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return widgets.VBox([*controls.values(), result])
