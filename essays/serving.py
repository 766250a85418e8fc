"""Serving costs: API prices, self-hosting arithmetic and the charts of chapter 05 (cost of activation).

The arithmetic is deliberately small so a reader can check it by hand:

* ``api_cost``: tokens per month times a list price per million tokens.
* ``self_host_cost``: rent enough accelerators to produce the tokens, billed for every hour of a
  730-hour month whether they are busy or not.
* ``break_even_tokens``: the monthly volume at which the API bill first reaches the cost of the
  smallest self-hosted setup.

Every function refuses nonsense input (zero or negative amounts, utilization outside (0, 1]) with a
ValueError that names the argument.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from essays import charts
from essays.costs import positive, share

#: Hours in an average month (8,760 hours a year / 12), the usual billing convention for rented servers.
HOURS_PER_MONTH = 730
SECONDS_PER_HOUR = 3600

#: Inference throughput assumptions come from the ``inference_throughput`` table: published vendor
#: benchmarks (output tokens per second per accelerator at the benchmark's, usually large, batch size),
#: used only as assumptions, since real services with latency targets usually get less.
#: ``accelerators_per_copy`` is the tensor-parallel size the benchmark used: the smallest group of GPUs
#: that serves one copy of the model, so capacity is bought in multiples of it.
#: The id (throughput_id) of the row the book uses by default for the calculator.
DEFAULT_THROUGHPUT = "trtllm-0.6.1-llama-70b-h100-2048-2048"
DEFAULT_UTILIZATION = 0.5

# Line colours for self-hosting at different rental prices: Okabe-Ito colours not used for access.
GPU_PRICE_COLORS = ["#000000", "#0072B2", "#CC79A7", "#E69F00", "#F0E442"]
API_DASHES = ["dash", "dot", "dashdot", "longdash"]


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
        out[r.throughput_id] = dict(
            label=f"{r.label} ({int(r.input_tokens):,} in, {int(r.output_tokens):,} out)", model=r.model,
            hardware_id=r.hardware_id, precision=r.precision,
            tokens_per_second=float(r.output_tokens_per_second_per_accelerator),
            accelerators=int(r.accelerators_per_copy), input_tokens=int(r.input_tokens),
            output_tokens=int(r.output_tokens), source_id=r.source_id, note=r.note)
    return out


# ---------------------------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------------------------

def _utilization(value) -> float:
    return share("utilization", value, "the share of the month's hours the accelerators are busy")


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


def monthly_capacity(*, tokens_per_second, utilization=1.0) -> float:
    """Tokens one accelerator produces in a 730-hour month at ``tokens_per_second`` while busy
    ``utilization`` of the time (the rest of the time it waits for requests but is still paid for)."""
    return (positive("tokens_per_second", tokens_per_second) * _utilization(utilization)
            * SECONDS_PER_HOUR * HOURS_PER_MONTH)


def accelerators_needed(tokens_per_month, *, tokens_per_second, utilization=1.0,
                        accelerators_per_copy=1) -> int:
    """Accelerators to rent: enough capacity for ``tokens_per_month``, rounded up to whole copies of the
    model (``accelerators_per_copy`` GPUs each), and never fewer than one copy.

    >>> accelerators_needed(1e9, tokens_per_second=1000, utilization=0.5, accelerators_per_copy=2)
    2
    """
    tokens = positive("tokens_per_month", tokens_per_month)
    group = _group(accelerators_per_copy)
    per_copy = group * monthly_capacity(tokens_per_second=tokens_per_second, utilization=utilization)
    # Round before ceil so that a volume equal to the capacity (up to float error) needs no extra copy.
    copies = max(1, math.ceil(round(tokens / per_copy, 9)))
    return copies * group


def self_host_cost(tokens_per_month, *, tokens_per_second, usd_per_hour, utilization=1.0,
                   accelerators_per_copy=1) -> float:
    """Monthly cost in USD of renting the accelerators that ``accelerators_needed`` asks for, each billed
    ``usd_per_hour`` for all 730 hours of the month.

    Only the rented hardware is counted: not engineers, storage, networking or the model's licence.

    >>> self_host_cost(1e9, tokens_per_second=1000, usd_per_hour=2, utilization=0.5, accelerators_per_copy=2)
    2920.0
    """
    n = accelerators_needed(tokens_per_month, tokens_per_second=tokens_per_second,
                            utilization=utilization, accelerators_per_copy=accelerators_per_copy)
    return n * positive("usd_per_hour", usd_per_hour) * HOURS_PER_MONTH


def self_host_usd_per_mtok(*, tokens_per_second, usd_per_hour, utilization=1.0) -> float:
    """Self-hosting cost per million tokens when every rented accelerator is fully loaded
    (the floor that the per-token cost approaches at large volumes)."""
    capacity = monthly_capacity(tokens_per_second=tokens_per_second, utilization=utilization)
    return positive("usd_per_hour", usd_per_hour) * HOURS_PER_MONTH / capacity * 1e6


def break_even_tokens(*, usd_per_mtok, tokens_per_second, usd_per_hour, utilization=1.0,
                      accelerators_per_copy=1) -> float:
    """Smallest monthly volume at which self-hosting costs no more than the API, in tokens.

    Below it the API is cheaper. It equals the cost of one copy of the model (``accelerators_per_copy``
    GPUs for a month) divided by the API price per token, provided one copy can produce that many
    tokens; if even a fully used copy makes tokens dearer than the API, the answer is ``math.inf``
    (self-hosting never pays). Past the break-even point each extra copy adds a step to the
    self-hosting cost, so just after a step the API can be briefly cheaper again; the gap closes as
    volume grows.

    >>> break_even_tokens(usd_per_mtok=10, tokens_per_second=1000, usd_per_hour=2, utilization=0.5,
    ...                   accelerators_per_copy=2)
    292000000.0
    """
    price = positive("usd_per_mtok", usd_per_mtok) / 1e6
    group = _group(accelerators_per_copy)
    copy_cost = group * positive("usd_per_hour", usd_per_hour) * HOURS_PER_MONTH
    copy_capacity = group * monthly_capacity(tokens_per_second=tokens_per_second, utilization=utilization)
    tokens = copy_cost / price
    if tokens > copy_capacity * (1 + 1e-12):
        return math.inf
    return tokens


# ---------------------------------------------------------------------------------------------
# Prices over time
# ---------------------------------------------------------------------------------------------

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
    return float(10 ** -slope)


def price_chart(prices: pd.DataFrame, *, height: int = 480) -> go.Figure:
    """API list prices per million tokens over time (log scale), coloured by the model's access and
    shaped by who hosts it; buttons switch between output and input prices."""
    frame = prices.sort_values("date")
    columns = [("output_usd_per_mtok", "Output tokens"), ("input_usd_per_mtok", "Input tokens")]
    hosting = {"first_party": ("circle", "sold by its developer"),
               "third_party": ("diamond-open", "served by another host")}
    fig = go.Figure()
    groups = list(frame.groupby(["access", "hosting"], sort=False, observed=True))
    for column, _ in columns:
        for (access, host), group in groups:
            symbol, words = hosting.get(host, ("circle", plain_host(host)))
            fig.add_trace(go.Scatter(
                x=group["date"], y=group[column], mode="markers",
                name=f"{charts.ACCESS_LABELS.get(access, charts.plain(access))}, {words}",
                visible=column == columns[0][0],
                marker=dict(size=11, color=charts.ACCESS_COLORS.get(access), symbol=symbol,
                            line=dict(width=2 if symbol.endswith("open") else 1,
                                      color=charts.ACCESS_COLORS.get(access) if symbol.endswith("open") else "white")),
                hovertext=[
                    f"<b>{charts.plain(r.name)}</b> via {charts.plain(r.provider)}<br>{r.date:%d %b %Y}<br>"
                    f"Input ${r.input_usd_per_mtok:,.3g} / output ${r.output_usd_per_mtok:,.3g} per million tokens"
                    for r in group.itertuples()],
                hoverinfo="text",
            ))
    per = len(groups)
    buttons = []
    for i, (_, label) in enumerate(columns):
        visible = [j // per == i for j in range(per * len(columns))]
        buttons.append(dict(label=label, method="update",
                            args=[{"visible": visible},
                                  {"yaxis.title.text": f"USD per million {label.lower()}"}]))
    fig.update_layout(
        height=height, xaxis_title="Date the price took effect or was quoted",
        yaxis_title=f"USD per million {columns[0][1].lower()}",
        updatemenus=[dict(type="buttons", direction="right", buttons=buttons, x=0, xanchor="left",
                          y=1.02, yanchor="bottom", showactive=True, pad=dict(b=4))],
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
        margin=dict(t=60, b=120),
    )
    fig.update_yaxes(type="log")
    return fig


def plain_host(value) -> str:
    return charts.plain(value).replace("_", " ")


# ---------------------------------------------------------------------------------------------
# Break-even chart
# ---------------------------------------------------------------------------------------------

def api_options(prices: pd.DataFrame, price_ids: list[str]) -> pd.DataFrame:
    """API lines for the break-even chart: the chosen rows of ``price_table``, in the order given, with a
    label naming model, provider and output price (the comparison is in output tokens)."""
    rows = prices.set_index("price_id").loc[list(price_ids)].reset_index()
    return pd.DataFrame({
        "price_id": rows["price_id"],
        "label": [f"{charts.plain(r.name)} via {charts.plain(r.provider)}, ${r.output_usd_per_mtok:g}/M ({r.date:%b %Y})"
                  for r in rows.itertuples()],
        "usd_per_mtok": rows["output_usd_per_mtok"].astype(float),
        "access": rows["access"],
    })


def gpu_options(hardware_prices: pd.DataFrame, *, hardware_id: str = "nvidia-h100-sxm") -> pd.DataFrame:
    """Rental prices of one accelerator from ``hardware_prices``, cheapest first, labelled with provider,
    date and price per GPU-hour."""
    rows = hardware_prices[hardware_prices["hardware_id"] == hardware_id].sort_values("usd_per_hour")
    return pd.DataFrame({
        "price_id": rows["price_id"],
        "label": [f"{charts.plain(r.provider)} {r.date:%Y}, ${r.usd_per_hour:.2f}/h" for r in rows.itertuples()],
        "usd_per_hour": rows["usd_per_hour"].astype(float),
    }).reset_index(drop=True)


def cost_curves(api: pd.DataFrame, gpus: pd.DataFrame, *, assumptions: dict | None = None,
                utilization: float = DEFAULT_UTILIZATION, low: float = 1e7, high: float = 1e12) -> pd.DataFrame:
    """Monthly cost against monthly output tokens from ``low`` to ``high``, one row per (line, volume), tidy.

    ``api`` has columns ``label``, ``usd_per_mtok``, ``access``; ``gpus`` has ``label`` and
    ``usd_per_hour``. API lines are straight on log-log axes, so two points each suffice; they do not
    depend on the throughput assumption. Self-hosting lines are computed once for each entry of
    ``assumptions`` (default: ``throughput()``, the book's table) on a log grid plus the exact volume
    where each of the first steps begins, so a chart drawn with ``line_shape="hv"`` shows the steps where they are.
    """
    assumptions = assumptions or throughput()
    positive("low", low), positive("high", high)
    grid = np.logspace(np.log10(low), np.log10(high), 121)
    rows = []
    for r in api.itertuples():
        for t in (low, high):
            rows.append(dict(kind="api", assumption=None, label=r.label, access=r.access,
                             usd_per_mtok=float(r.usd_per_mtok), usd_per_hour=np.nan,
                             tokens=t, usd=api_cost(t, usd_per_mtok=r.usd_per_mtok)))
    for key, a in assumptions.items():
        per_copy = a["accelerators"] * monthly_capacity(tokens_per_second=a["tokens_per_second"],
                                                        utilization=utilization)
        starts = per_copy * np.arange(1, 41) * (1 + 1e-9)  # just past a full copy: the next one is needed
        tokens = np.unique(np.concatenate([grid, starts[(starts > low) & (starts < high)]]))
        for g in gpus.itertuples():
            for t in tokens:
                rows.append(dict(kind="self", assumption=key, label=g.label, access=None,
                                 usd_per_mtok=np.nan, usd_per_hour=float(g.usd_per_hour), tokens=t,
                                 usd=self_host_cost(t, tokens_per_second=a["tokens_per_second"],
                                                    usd_per_hour=g.usd_per_hour, utilization=utilization,
                                                    accelerators_per_copy=a["accelerators"])))
    return pd.DataFrame(rows)


def break_even_points(api: pd.DataFrame, gpus: pd.DataFrame, *, assumptions: dict | None = None,
                      utilization: float = DEFAULT_UTILIZATION) -> pd.DataFrame:
    """Break-even volume for every (assumption, rental price, API price); ``inf`` where self-hosting
    never pays. One row per combination, with the monthly cost at that point."""
    assumptions = assumptions or throughput()
    rows = []
    for key, a in assumptions.items():
        for g in gpus.itertuples():
            for r in api.itertuples():
                t = break_even_tokens(usd_per_mtok=r.usd_per_mtok, tokens_per_second=a["tokens_per_second"],
                                      usd_per_hour=g.usd_per_hour, utilization=utilization,
                                      accelerators_per_copy=a["accelerators"])
                rows.append(dict(assumption=key, gpu=g.label, usd_per_hour=float(g.usd_per_hour),
                                 api=r.label, usd_per_mtok=float(r.usd_per_mtok), tokens=t,
                                 usd=t * r.usd_per_mtok / 1e6 if math.isfinite(t) else math.inf))
    return pd.DataFrame(rows)


def break_even_chart(costs: pd.DataFrame, *, points: pd.DataFrame | None = None,
                     assumptions: dict | None = None, default: str = DEFAULT_THROUGHPUT,
                     height: int = 620) -> go.Figure:
    """Monthly cost of the API (straight lines) and of self-hosting (steps) against monthly volume, both
    axes logarithmic, with the break-even points marked. Buttons switch the throughput assumption;
    every variant is precomputed, so the chart works on a static page."""
    assumptions = assumptions or throughput()
    keys = [k for k in assumptions if k in set(costs["assumption"].dropna())]
    fig = go.Figure()
    owners = []  # which assumption each trace belongs to (None: always shown)
    for i, (label, group) in enumerate(costs[costs["kind"] == "api"].groupby("label", sort=False)):
        access = group["access"].iloc[0]
        fig.add_trace(go.Scatter(
            x=group["tokens"], y=group["usd"], mode="lines", name=f"API: {charts.plain(label)}",
            line=dict(color=charts.ACCESS_COLORS.get(access, "#7f7f7f"), width=2,
                      dash=API_DASHES[i % len(API_DASHES)]),
            hovertemplate="%{x:.3s} tokens a month: $%{y:,.0f}<extra>" + charts.plain(label) + "</extra>"))
        owners.append(None)
    selfhost = costs[costs["kind"] == "self"]
    gpu_labels = list(dict.fromkeys(selfhost["label"]))
    for key in keys:
        for j, label in enumerate(gpu_labels):
            group = selfhost[(selfhost["assumption"] == key) & (selfhost["label"] == label)]
            fig.add_trace(go.Scatter(
                x=group["tokens"], y=group["usd"], mode="lines", line_shape="hv",
                name=f"Self-hosted: {charts.plain(label)}", visible=key == default,
                line=dict(color=GPU_PRICE_COLORS[j % len(GPU_PRICE_COLORS)], width=2),
                hovertemplate="%{x:.3s} tokens a month: $%{y:,.0f}<extra>" + charts.plain(label) + "</extra>"))
            owners.append(key)
        if points is not None:
            shown = points[(points["assumption"] == key) & np.isfinite(points["tokens"])]
            fig.add_trace(go.Scatter(
                x=shown["tokens"], y=shown["usd"], mode="markers", name="Break-even point",
                visible=key == default, showlegend=True,
                marker=dict(symbol="x", size=11, color="#000000", line=dict(width=1, color="white")),
                hovertext=[f"Break-even at {charts.human(r.tokens)} tokens a month (${r.usd:,.0f}):<br>"
                           f"{charts.plain(r.gpu)} vs API {charts.plain(r.api)}"
                           for r in shown.itertuples()],
                hoverinfo="text"))
            owners.append(key)
    buttons = [dict(label=f"Throughput: {charts.plain(assumptions[k]['label']).split(' (')[0].lower()}, "
                          f"{assumptions[k]['tokens_per_second']:,} tokens/s per GPU on {assumptions[k]['accelerators']} GPUs",
                    method="update",
                    args=[{"visible": [o is None or o == k for o in owners]}])
               for k in keys]
    fig.update_layout(
        height=height, xaxis_title="Output tokens per month (log scale)",
        yaxis_title="USD per month (log scale)",
        updatemenus=[dict(type="dropdown", direction="down", buttons=buttons, active=keys.index(default),
                          x=0, xanchor="left", y=1.02, yanchor="bottom", bgcolor="white",
                          showactive=True)] if len(keys) > 1 else [],
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
        margin=dict(t=60 if len(keys) > 1 else 30, b=200),
    )
    fig.update_xaxes(type="log", exponentformat="SI")
    fig.update_yaxes(type="log", tickprefix="$")
    return fig


# ---------------------------------------------------------------------------------------------
# Who can provide the compute
# ---------------------------------------------------------------------------------------------

def largest_runs(runs: pd.DataFrame, models: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The largest reported accelerator count of each model's training run, with the model's maker,
    access, and whether an event of kind ``public_compute`` names the model (its compute was public)."""
    shown = runs.dropna(subset=["accelerator_count"])
    best = shown.sort_values("accelerator_count", ascending=False).drop_duplicates("model_id")
    public = set(events.loc[events["kind"] == "public_compute", "model_id"].dropna())
    out = best.merge(models[["model_id", "name", "organization", "access", "released"]], on="model_id",
                     how="left", validate="one_to_one")
    out["public_compute"] = out["model_id"].isin(public)
    return out.sort_values("accelerator_count").reset_index(drop=True)


def runs_chart(runs: pd.DataFrame, *, height: int = 640) -> go.Figure:
    """Horizontal bars: accelerators used at once in each training run (log scale), coloured by the
    model's access; runs on public compute are outlined in black and labelled."""
    fig = go.Figure()
    for access, group in runs.groupby("access", sort=False, observed=True):
        fig.add_trace(go.Bar(
            y=[charts.plain(n) for n in group["name"]], x=group["accelerator_count"], orientation="h",
            name=charts.ACCESS_LABELS.get(access, charts.plain(access)),
            marker=dict(color=charts.ACCESS_COLORS.get(access),
                        line=dict(color=["#000000" if p else "rgba(0,0,0,0)" for p in group["public_compute"]],
                                  width=[3 if p else 0 for p in group["public_compute"]])),
            text=["public compute" if p else "" for p in group["public_compute"]], textposition="outside",
            hovertext=[f"<b>{charts.plain(r.name)}</b> ({charts.plain(r.organization)})<br>"
                       f"{r.accelerator_count:,.0f} accelerators ({charts.plain(r.hardware_id)})<br>"
                       f"Figures from: {charts.plain(r.estimator)}" for r in group.itertuples()],
            hoverinfo="text"))
    order = [charts.plain(n) for n in runs["name"]]
    fig.update_layout(height=max(height, 24 * len(order) + 120), barmode="overlay",
                      xaxis_title="Accelerators used at once (log scale)",
                      yaxis=dict(categoryorder="array", categoryarray=order, title=None, tickmode="array",
                                 tickvals=order, ticktext=order, tickfont=dict(size=12)),
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                      margin=dict(l=200, t=60), bargap=0.25)
    fig.update_xaxes(type="log")
    return fig


def events_table(events: pd.DataFrame):
    """The events of one kind as an HTML table (date, what happened, who, remarks)."""
    from essays.display import table

    frame = events.sort_values("date").assign(when=lambda d: [
        f"{x:%B %Y}" if p == "month" else f"{x:%-d %B %Y}" for x, p in zip(d["date"], d["date_precision"])])
    return table(frame, {"when": "Date", "title": "What happened", "organization": "Who",
                         "note": "Remarks"})


# ---------------------------------------------------------------------------------------------
# For learners: the live calculator
# ---------------------------------------------------------------------------------------------

def describe(tokens_per_month, *, usd_per_mtok, tokens_per_second, usd_per_hour, utilization,
             accelerators_per_copy) -> str:
    """One paragraph comparing the two bills for one set of assumptions (used by the live calculator)."""
    api = api_cost(tokens_per_month, usd_per_mtok=usd_per_mtok)
    n = accelerators_needed(tokens_per_month, tokens_per_second=tokens_per_second, utilization=utilization,
                            accelerators_per_copy=accelerators_per_copy)
    own = self_host_cost(tokens_per_month, tokens_per_second=tokens_per_second, usd_per_hour=usd_per_hour,
                         utilization=utilization, accelerators_per_copy=accelerators_per_copy)
    be = break_even_tokens(usd_per_mtok=usd_per_mtok, tokens_per_second=tokens_per_second,
                           usd_per_hour=usd_per_hour, utilization=utilization,
                           accelerators_per_copy=accelerators_per_copy)
    floor = self_host_usd_per_mtok(tokens_per_second=tokens_per_second, usd_per_hour=usd_per_hour,
                                   utilization=utilization)
    cheaper = "self-hosting" if own < api else "the API"
    verdict = (f"Self-hosting breaks even at {charts.human(be)} tokens a month."
               if math.isfinite(be) else
               f"Self-hosting never breaks even: even fully loaded it costs ${floor:,.2f} per million tokens.")
    return (f"{charts.human(tokens_per_month)} tokens a month cost ${api:,.0f} through the API and "
            f"${own:,.0f} on {n} rented accelerator(s); {cheaper} is cheaper. {verdict}")


def calculator():
    """ipywidgets controls over ``describe`` and ``break_even_chart``, for a running kernel (Binder,
    JupyterLab).

    Results go into an HTML widget and an Output widget's ``outputs`` (the figure as plotly JSON), not
    through ``display``, so nothing leaks into the cell's stored outputs and every run stores the same.
    """
    import json

    import ipywidgets as widgets

    default = throughput()[DEFAULT_THROUGHPUT]
    style, layout = {"description_width": "18em"}, widgets.Layout(width="40em")
    controls = dict(
        tokens_per_month=widgets.FloatLogSlider(value=1e9, base=10, min=6, max=12, step=0.1,
                                                description="Output tokens per month"),
        usd_per_mtok=widgets.FloatLogSlider(value=10, base=10, min=-1, max=2, step=0.05,
                                            description="API price, USD per million tokens"),
        usd_per_hour=widgets.FloatSlider(value=3.49, min=0.5, max=10, step=0.01,
                                         description="GPU rental, USD per hour"),
        tokens_per_second=widgets.FloatLogSlider(value=default["tokens_per_second"], base=10, min=1, max=4.5,
                                                 step=0.05, description="Tokens per second per GPU"),
        utilization=widgets.FloatSlider(value=DEFAULT_UTILIZATION, min=0.05, max=1, step=0.05,
                                        description="Utilization (share of hours busy)"),
        accelerators_per_copy=widgets.IntSlider(value=default["accelerators"], min=1, max=8,
                                                description="GPUs per copy of the model"),
    )
    for control in controls.values():
        control.style, control.layout = style, layout
    text, out = widgets.HTML(), widgets.Output()

    def refresh(_=None):
        v = {name: control.value for name, control in controls.items()}
        text.value = "<p>" + charts.plain(describe(v.pop("tokens_per_month"), **v)) + "</p>"
        mine = {"yours": dict(label="Your assumption", tokens_per_second=v["tokens_per_second"],
                              accelerators=v["accelerators_per_copy"])}
        api = pd.DataFrame([dict(label=f"${v['usd_per_mtok']:.3g} per million", usd_per_mtok=v["usd_per_mtok"],
                                 access="api")])
        gpus = pd.DataFrame([dict(label=f"${v['usd_per_hour']:.2f} per GPU-hour", usd_per_hour=v["usd_per_hour"])])
        fig = break_even_chart(cost_curves(api, gpus, assumptions=mine, utilization=v["utilization"]),
                               points=break_even_points(api, gpus, assumptions=mine, utilization=v["utilization"]),
                               assumptions=mine, default="yours", height=420)
        out.outputs = ({"output_type": "display_data", "metadata": {},
                        "data": {"application/vnd.plotly.v1+json": json.loads(fig.to_json()),
                                 "text/plain": "Break-even chart"}},)

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    return _calculator_class()(children=[*controls.values(), text, out])


def _calculator_class():
    import ipywidgets as widgets

    class Calculator(widgets.VBox):
        """The calculator's box; its text form is short and the same in every run (notebook tests compare it)."""

        def __repr__(self) -> str:
            return "Break-even calculator: controls over serving.describe (needs a running kernel)"

    return Calculator

