"""The capability gap between open and closed models, and the money behind each side.

Used by chapters/06-coexistence. Analysis functions take the book's tables (``benchmark_scores``,
``models``, ``events``, ``training_runs``) and return tidy DataFrames; chart functions take those
frames and return plotly Figures.

Definitions used throughout:

* **Open** means downloadable weights (``open_unrestricted`` or ``open_restricted``); **closed** means
  usable only through an API or product (``api``). Research models that were never released
  (``unreleased``) are left out by default, since nobody outside their lab could use them; pass
  ``include_unreleased=True`` to count them on the closed side.
* The **frontier** of a side on a date is the best score any of its models had reached by then.
* **Months behind**: for each score the closed frontier reached, how long the open frontier took to
  reach it too (negative when open got there first, missing when it has not yet).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from essays.charts import ACCESS_COLORS, access_traces, human, plain

OPEN = ("open_unrestricted", "open_restricted")
CLOSED = ("api",)
SIDE_COLORS = {"open": ACCESS_COLORS["open_unrestricted"], "closed": ACCESS_COLORS["api"]}
SIDE_LABELS = {"open": "Best open-weight model", "closed": "Best closed (API-only) model"}
SETTINGS = {"all": "All reported scores", "5-shot": "5-shot scores only"}
DAYS_PER_MONTH = 365.25 / 12


def access_values(access_group: str, *, include_unreleased: bool = False) -> tuple[str, ...]:
    """The ``access`` values that make up a side: 'open' or 'closed'."""
    if access_group == "open":
        return OPEN
    if access_group == "closed":
        return CLOSED + (("unreleased",) if include_unreleased else ())
    raise ValueError(f"access_group must be 'open' or 'closed', not {access_group!r}")


def scored_models(scores: pd.DataFrame, models: pd.DataFrame, *, benchmark: str = "MMLU",
                  setting: str = "all", organizations=None, years=None,
                  include_unreleased: bool = False) -> pd.DataFrame:
    """One row per reported score, joined to its model's release date, maker and access.

    ``setting`` is 'all' (every reported score) or '5-shot' (only rows with ``shots == 5``).
    ``organizations``: keep only models whose maker is in this list (None keeps all).
    ``years``: (first, last) release years to keep, inclusive. Adds ``side``: 'open' or 'closed';
    rows on neither side are dropped.
    """
    if setting not in SETTINGS:
        raise ValueError(f"setting must be one of {list(SETTINGS)}, not {setting!r}")
    joined = scores[scores["benchmark"] == benchmark].merge(
        models[["model_id", "name", "organization", "released", "access"]],
        on="model_id", how="inner", validate="many_to_one")
    if setting == "5-shot":
        joined = joined[joined["shots"].fillna(-1) == 5]
    if organizations is not None:
        joined = joined[joined["organization"].isin(list(organizations))]
    if years is not None:
        year = joined["released"].dt.year
        joined = joined[(year >= years[0]) & (year <= years[1])]
    side = pd.Series(pd.NA, index=joined.index, dtype="string")
    side[joined["access"].isin(OPEN)] = "open"
    side[joined["access"].isin(access_values("closed", include_unreleased=include_unreleased))] = "closed"
    joined = joined.assign(side=side).dropna(subset=["side", "score"])
    return joined.sort_values(["released", "score"], ascending=[True, False]).reset_index(drop=True)


def frontier(scores: pd.DataFrame, models: pd.DataFrame, *, access_group: str, **options) -> pd.DataFrame:
    """The running best score of one side: one row per date on which that side set a new best.

    Columns: date, score, model_id, name, organization, shots, note. ``options`` are those of
    :func:`scored_models` (setting, organizations, years, include_unreleased, benchmark).
    """
    access_values(access_group)  # refuses anything but 'open' and 'closed'
    rows = scored_models(scores, models, **options)
    rows = rows[rows["side"] == access_group]
    best, kept = -np.inf, []
    for row in rows.itertuples():  # sorted by date, then best score first within a date
        if row.score > best:
            best = row.score
            kept.append(row.Index)
    out = rows.loc[kept, ["released", "score", "model_id", "name", "organization", "shots", "note"]]
    return out.rename(columns={"released": "date"}).reset_index(drop=True)


def best_on(front: pd.DataFrame, date) -> pd.Series | None:
    """The frontier row in force on ``date`` (the last step on or before it), or None before the first."""
    before = front[front["date"] <= pd.Timestamp(date)]
    return None if before.empty else before.iloc[-1]


def gap_series(open_front: pd.DataFrame, closed_front: pd.DataFrame, *, end=None) -> pd.DataFrame:
    """Closed best minus open best, in points, at every date either frontier moved (and at ``end``).

    Only dates on which both sides have a score. Positive: closed ahead; negative: open ahead.
    """
    dates = sorted(set(open_front["date"]) | set(closed_front["date"]) | ({pd.Timestamp(end)} if end else set()))
    rows = []
    for date in dates:
        o, c = best_on(open_front, date), best_on(closed_front, date)
        if o is not None and c is not None:
            rows.append({"date": date, "open": o["score"], "closed": c["score"], "gap": c["score"] - o["score"]})
    return pd.DataFrame(rows, columns=["date", "open", "closed", "gap"])


def gap_by_year(scores: pd.DataFrame, models: pd.DataFrame, **options) -> pd.DataFrame:
    """The best open and best closed score standing at the end of each year, and the gap in points.

    The last year is cut at the last score in the data rather than 31 December. Years in which
    either side has no score yet are left out.
    """
    o = frontier(scores, models, access_group="open", **options)
    c = frontier(scores, models, access_group="closed", **options)
    if o.empty or c.empty:
        return pd.DataFrame(columns=["year", "closed_best", "closed_model", "open_best", "open_model", "gap"])
    last = max(o["date"].max(), c["date"].max())
    rows = []
    for year in range(min(o["date"].min(), c["date"].min()).year, last.year + 1):
        cut = min(pd.Timestamp(year, 12, 31), last)
        ob, cb = best_on(o, cut), best_on(c, cut)
        if ob is None or cb is None:
            continue
        rows.append({"year": year, "closed_best": cb["score"], "closed_model": cb["name"],
                     "open_best": ob["score"], "open_model": ob["name"],
                     "gap": round(cb["score"] - ob["score"], 1)})
    return pd.DataFrame(rows)


def months_between(start, end) -> float:
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_MONTH


def months_behind(scores: pd.DataFrame, models: pd.DataFrame, **options) -> pd.DataFrame:
    """For each new best the closed side set, when the open side first matched or beat that score.

    Columns: closed_date, closed_model, score, open_date, open_model, open_score, months (rounded to
    0.1; negative when an open model had reached the score first; missing when none has yet).
    """
    o = frontier(scores, models, access_group="open", **options)
    c = frontier(scores, models, access_group="closed", **options)
    rows = []
    for step in c.itertuples():
        match = o[o["score"] >= step.score]
        first = None if match.empty else match.iloc[0]
        rows.append({"closed_date": step.date, "closed_model": step.name, "score": step.score,
                     "open_date": first["date"] if first is not None else pd.NaT,
                     "open_model": first["name"] if first is not None else None,
                     "open_score": first["score"] if first is not None else np.nan,
                     "months": round(months_between(step.date, first["date"]), 1) if first is not None else np.nan})
    return pd.DataFrame(rows, columns=["closed_date", "closed_model", "score", "open_date", "open_model",
                                       "open_score", "months"])


# --- charts -----------------------------------------------------------------------------------

def _step_xy(front: pd.DataFrame, end) -> tuple[list, list]:
    """x and y for a step line that holds each best until the next, then runs on to ``end``."""
    x, y = list(front["date"]), list(front["score"])
    if x and pd.Timestamp(end) > x[-1]:
        x.append(pd.Timestamp(end))
        y.append(y[-1])
    return x, y


def _setting_note(row) -> str:
    shots = "setting not stated" if pd.isna(row.shots) else f"{int(row.shots)}-shot"
    return f"{shots}; {plain(row.note)}" if pd.notna(row.note) else shots


def _frontier_traces(scores, models, setting: str, end, **options) -> list:
    traces = []
    fronts = {side: frontier(scores, models, access_group=side, setting=setting, **options)
              for side in ("closed", "open")}
    for side, front in fronts.items():
        x, y = _step_xy(front, end)
        traces.append(go.Scatter(x=x, y=y, mode="lines", line=dict(shape="hv", color=SIDE_COLORS[side], width=3),
                                 name=SIDE_LABELS[side], legendgroup=side, hoverinfo="skip", xaxis="x", yaxis="y"))
        traces.append(go.Scatter(
            x=front["date"], y=front["score"], mode="markers", showlegend=False, legendgroup=side,
            marker=dict(size=9, color=SIDE_COLORS[side], line=dict(width=1, color="white")),
            hovertext=[f"<b>{plain(r.name)}</b> ({plain(r.organization)})<br>{r.date:%d %b %Y}: "
                       f"{r.score:.1f}% on MMLU<br>{_setting_note(r)}" for r in front.itertuples()],
            hoverinfo="text", xaxis="x", yaxis="y"))
    gap = gap_series(fronts["open"], fronts["closed"], end=end)
    traces.append(go.Scatter(
        x=gap["date"], y=gap["gap"], mode="lines", line=dict(shape="hv", color="#555555", width=2),
        fill="tozeroy", fillcolor="rgba(120,120,120,0.25)", name="Gap (closed minus open)",
        hovertext=[f"{r.date:%d %b %Y}: closed {r.closed:.1f}, open {r.open:.1f}<br>gap {r.gap:+.1f} points"
                   for r in gap.itertuples()],
        hoverinfo="text", xaxis="x2", yaxis="y2"))
    return traces


def frontier_chart(scores: pd.DataFrame, models: pd.DataFrame, *, settings=("all", "5-shot"),
                   end=None, height: int = 560, **options) -> go.Figure:
    """Step lines of the best open and best closed MMLU score over time, with the gap below.

    One set of traces per benchmark setting, switched by buttons (precomputed, so they work on a
    static page); the first setting shows first. ``end``: where the lines stop (default: the last
    release with a score). ``options`` go to :func:`frontier` (organizations, years, include_unreleased).
    """
    if end is None:
        end = scored_models(scores, models, **options)["released"].max()
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06)
    owners = []  # the setting each trace belongs to, so a button shows exactly its own traces
    for setting in settings:
        for trace in _frontier_traces(scores, models, setting, end, **options):
            trace.visible = setting == settings[0]
            owners.append(setting)
            fig.add_trace(trace, row=2 if trace.yaxis == "y2" else 1, col=1)
    buttons = [dict(label=SETTINGS[s], method="update", args=[{"visible": [o == s for o in owners]}])
               for s in settings]
    if len(settings) > 1:
        fig.update_layout(updatemenus=[dict(type="buttons", direction="right", buttons=buttons, showactive=True,
                                            x=0, xanchor="left", y=1.2, yanchor="bottom")])
    fig.update_layout(height=height, hovermode="closest", margin=dict(t=120 if len(settings) > 1 else 70),
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    fig.update_yaxes(title_text="Best MMLU score so far (%)", row=1, col=1)
    fig.update_yaxes(title_text="Gap (points)", zeroline=True, zerolinecolor="#999999", row=2, col=1)
    fig.update_xaxes(title_text="Release date", row=2, col=1)
    return fig


def lag_chart(table: pd.DataFrame, *, end=None, height: int = 380) -> go.Figure:
    """Bars from the day the closed side set a best score to the day an open model matched it.

    ``table`` is :func:`months_behind` output. A score not yet matched gets a hatched bar to ``end``
    (default: the last date in the table); a score open reached first gets a marker and no bar.
    """
    if end is None:
        end = max(table["closed_date"].max(), table["open_date"].max())
    fig = go.Figure()
    labels = [f"{plain(r.closed_model)} · {r.score:.1f}" for r in table.itertuples()]
    matched = table["open_date"].notna()
    finish = table["open_date"].where(matched, pd.Timestamp(end))
    # A score open reached first would give a bar running backwards: draw none.
    span_ms = [max((f - s).total_seconds() * 1000, 0) for s, f in zip(table["closed_date"], finish)]
    hover = [(f"Closed: {plain(r.closed_model)}, {r.closed_date:%d %b %Y}, {r.score:.1f}%<br>"
              + (f"Open: {plain(r.open_model)}, {r.open_date:%d %b %Y}, {r.open_score:.1f}%<br>"
                 f"{'Open was first by' if r.months < 0 else 'Open matched it after'} {abs(r.months):.1f} months"
                 if pd.notna(r.open_date) else "No open model has matched it in the data"))
             for r in table.itertuples()]
    for done, name in ((True, "Until an open model matched it"), (False, "Not matched yet")):
        rows = [i for i, m in enumerate(matched) if m == done]
        fig.add_trace(go.Bar(
            y=[labels[i] for i in rows], x=[span_ms[i] for i in rows], base=[table["closed_date"].iloc[i] for i in rows],
            orientation="h", name=name, hovertext=[hover[i] for i in rows], hoverinfo="text",
            marker=dict(color=SIDE_COLORS["open"] if done else "rgba(255,255,255,0)",
                        line=dict(color=SIDE_COLORS["open"], width=1.5),
                        pattern=dict(shape="" if done else "/", fgcolor=SIDE_COLORS["open"]))))
    fig.add_trace(go.Scatter(y=labels, x=table["closed_date"], mode="markers", name="Closed model sets the record",
                             marker=dict(color=SIDE_COLORS["closed"], size=11, symbol="diamond"),
                             hovertext=hover, hoverinfo="text"))
    fig.update_layout(height=height, barmode="overlay", xaxis=dict(type="date", title="Date"),
                      yaxis=dict(autorange="reversed", title=None, categoryorder="array", categoryarray=labels),
                      margin=dict(l=200))
    return fig


# --- money ------------------------------------------------------------------------------------

def developer_sides(models: pd.DataFrame) -> pd.Series:
    """Each organization's side: 'open' if most of its releases in ``models`` have open weights.

    Ties count as 'open'. Research models that were never released count as not open.
    """
    share = models.assign(is_open=models["access"].isin(OPEN)).groupby("organization")["is_open"].mean()
    return share.map(lambda s: "open" if s >= 0.5 else "closed").rename("side")


def recipient(organizations: str, models: pd.DataFrame) -> str:
    """The company funded, from an events ``organization`` cell such as "Amazon; Anthropic".

    The events table lists investors and the company funded in no fixed order, so the company funded
    is taken to be the listed organization with the most releases in ``models`` (investors such as
    Microsoft, Amazon and Intel release few or none); ties go to the name listed first.
    """
    names = [name.strip() for name in str(organizations).split(";")]
    counts = models["organization"].value_counts()
    return max(names, key=lambda name: (counts.get(name, 0), -names.index(name)))


def funding(events: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """Funding events, each with its recipient (see :func:`recipient`) and the recipient's side.

    ``has_amount`` says whether a US-dollar amount was stated. Recipients with no releases in
    ``models`` get side 'unknown'.
    """
    rows = events[(events["kind"] == "funding")].copy()
    rows["recipient"] = [recipient(o, models) for o in rows["organization"]]
    rows["side"] = rows["recipient"].map(developer_sides(models)).fillna("unknown")
    rows["has_amount"] = rows["amount_usd"].notna()
    return rows[["event_id", "date", "date_precision", "title", "recipient", "side", "amount_usd",
                 "has_amount", "note"]].sort_values("date").reset_index(drop=True)


def funding_chart(rounds: pd.DataFrame, *, height: int = 380) -> go.Figure:
    """Disclosed funding rounds by date and dollar amount (log scale), coloured by the recipient's side."""
    shown = rounds[rounds["has_amount"]]
    fig = go.Figure()
    for side, label in (("closed", "Mostly closed developers"), ("open", "Mostly open-weight developers")):
        group = shown[shown["side"] == side]
        fig.add_trace(go.Scatter(
            x=group["date"], y=group["amount_usd"], mode="markers+text", name=label,
            text=[plain(r) for r in group["recipient"]], textposition="top center",
            marker=dict(size=14, color=SIDE_COLORS[side], line=dict(width=1, color="white")),
            hovertext=[f"<b>{plain(r.title)}</b><br>{r.date:%b %Y}<br>${human(r.amount_usd)}"
                       for r in group.itertuples()], hoverinfo="text"))
    fig.update_layout(height=height, xaxis_title="Date announced", yaxis_title="US dollars (log scale)")
    if len(shown):
        # Room for the labels above the dots and beside the last one.
        fig.update_xaxes(range=[shown["date"].min() - pd.Timedelta(days=150),
                                shown["date"].max() + pd.Timedelta(days=300)])
        low, high = np.log10(float(shown["amount_usd"].min())), np.log10(float(shown["amount_usd"].max()))
        fig.update_yaxes(range=[low - 0.3, high + 0.35])
    fig.update_yaxes(type="log")
    return fig


COST_METHODS = {
    "amortized_hardware": "Hardware written off",
    "cloud_rental": "Cloud rental prices",
    "reported": "Developer's own figure",
}
ESTIMATOR_ORDER = ["Epoch AI", "Stanford AI Index 2024"]


def training_costs(runs: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """One cost per model and method: the estimate by Epoch AI where it has one, else another estimator's.

    Columns: model_id, name, organization, released, access, side, cost_method, cost_usd, cost_year,
    estimator, confidence. Only runs with a cost; 'side' is 'open', 'closed' or 'unreleased'.
    """
    costed = runs.dropna(subset=["cost_usd"]).merge(
        models[["model_id", "name", "organization", "released", "access"]], on="model_id", validate="many_to_one")
    rank = costed["estimator"].map({e: i for i, e in enumerate(ESTIMATOR_ORDER)}).fillna(len(ESTIMATOR_ORDER))
    costed = costed.assign(rank=rank).sort_values(["model_id", "cost_method", "rank"])
    one = costed.drop_duplicates(["model_id", "cost_method"]).drop(columns="rank")
    one["side"] = np.select([one["access"].isin(OPEN), one["access"].isin(CLOSED)], ["open", "closed"], "unreleased")
    return one[["model_id", "name", "organization", "released", "access", "side", "cost_method", "cost_usd",
                "cost_year", "estimator", "confidence"]].sort_values("released").reset_index(drop=True)


def cost_chart(costs: pd.DataFrame, *, methods=tuple(COST_METHODS), height: int = 440) -> go.Figure:
    """Training cost by release date (log scale), coloured by access, one button per costing method."""
    fig, owners = go.Figure(), []  # the costing method of each trace, for the buttons

    def hover(group):
        return [f"<b>{plain(r.name)}</b> ({plain(r.organization)})<br>{r.released:%b %Y}<br>"
                f"${human(r.cost_usd)} in {r.cost_year} dollars<br>{plain(r.estimator)}; "
                f"{plain(r.confidence)}" for r in group.itertuples()]

    for method in methods:
        rows = costs[costs["cost_method"] == method]
        for access in ("api", "unreleased", "open_restricted", "open_unrestricted"):
            # One trace at a time, for its legend group: the legend keeps one entry per access.
            traces = access_traces(rows, x="released", y="cost_usd", hover=hover, order=[access], symbols=False,
                                   visible=method == methods[0], legendgroup=access)
            fig.add_traces(traces)
            owners += [method] * len(traces)
    buttons = [dict(label=COST_METHODS[m], method="update", args=[{"visible": [o == m for o in owners]}])
               for m in methods]
    fig.update_layout(height=height, margin=dict(t=60, b=110), xaxis_title="Release date",
                      yaxis_title="Training cost, US$ (log scale)",
                      updatemenus=[dict(type="buttons", direction="right", buttons=buttons, x=0, xanchor="left",
                                        y=1.04, yanchor="bottom")],
                      legend=dict(orientation="h", y=-0.18, yanchor="top", x=0))
    fig.update_yaxes(type="log")
    return fig


def gap_table(table: pd.DataFrame):
    """The gap-by-year table as the book's HTML table."""
    from essays.display import table as html_table

    shown = table.assign(closed=lambda t: [f"{s:.1f} ({m})" for s, m in zip(t["closed_best"], t["closed_model"])],
                         open=lambda t: [f"{s:.1f} ({m})" for s, m in zip(t["open_best"], t["open_model"])],
                         gap_text=lambda t: [f"{g:+.1f}" for g in t["gap"]])
    return html_table(shown, {"year": "End of", "closed": "Best closed", "open": "Best open",
                              "gap_text": "Gap (points)"})


def explore(scores, models, *, setting="all", years=(2019, 2025), organizations=None, include_unreleased=False):
    """For the learners' controls: the frontier chart (as plotly JSON) and the gap table for one choice."""
    import json

    options = dict(years=years, organizations=organizations, include_unreleased=include_unreleased)
    if scored_models(scores, models, **options).empty:
        return None, None
    figure = json.loads(frontier_chart(scores, models, settings=(setting,), height=480, **options).to_json())
    table = gap_by_year(scores, models, setting=setting, **options)
    return figure, (gap_table(table) if len(table) else None)


def controls(scores: pd.DataFrame, models: pd.DataFrame):
    """ipywidgets for learners: benchmark setting, year range, which makers count, unreleased models.

    Results are written into an Output widget's state directly rather than displayed, so the cell's
    stored output is only the widget view, the same on every run (the notebook tests compare it).
    """
    import ipywidgets as widgets
    from IPython.display import HTML

    every = scored_models(scores, models, include_unreleased=True)
    first, last = int(every["released"].dt.year.min()), int(every["released"].dt.year.max())
    makers = sorted(every["organization"].unique())
    style = {"description_width": "8em"}
    parts = dict(
        setting=widgets.ToggleButtons(options=[(label, key) for key, label in SETTINGS.items()],
                                      description="Scores", style=style),
        years=widgets.IntRangeSlider(value=(first, last), min=first, max=last, description="Years", style=style),
        organizations=widgets.SelectMultiple(options=makers, value=tuple(makers), rows=8,
                                             description="Makers", style=style),
        include_unreleased=widgets.Checkbox(value=False, description="Count unreleased lab models as closed",
                                            style=style))
    out = widgets.Output()

    def refresh(_=None):
        figure, table = explore(scores, models, setting=parts["setting"].value, years=parts["years"].value,
                                organizations=list(parts["organizations"].value),
                                include_unreleased=parts["include_unreleased"].value)
        out.outputs = ()
        if figure is None:
            out.append_display_data(HTML("<p>No scores in this selection: widen the years or pick more makers.</p>"))
            return
        # A Figure would display itself into the cell; hand the Output widget its JSON instead.
        out.outputs += ({"output_type": "display_data", "metadata": {},
                         "data": {"application/vnd.plotly.v1+json": figure, "text/plain": "Frontier chart"}},)
        out.append_display_data(table if table is not None else HTML("<p>Neither side has a score in both.</p>"))

    for part in parts.values():
        part.observe(refresh, names="value")
    refresh()
    return GapExplorer(children=[*parts.values(), out])


def _explorer_class():
    import ipywidgets as widgets

    class GapExplorer(widgets.VBox):
        """The controls' box; its text form is short and the same on every run."""

        def __repr__(self) -> str:
            return "Gap explorer: controls over gap.frontier and gap.gap_by_year (needs a running kernel)"

    return GapExplorer


def GapExplorer(children):  # noqa: N802 - builds the VBox subclass without importing ipywidgets at module import
    return _explorer_class()(children=children)


def _money(value) -> str:
    return f"${human(value)}"


def facts(scores: pd.DataFrame, models: pd.DataFrame, events: pd.DataFrame, runs: pd.DataFrame) -> dict:
    """Every value the chapter's prose cites, by name (the chapter glues each one)."""
    out = {}
    mmlu = scores[scores["benchmark"] == "MMLU"]
    out["n_scores"] = len(mmlu)
    out["n_scored_models"] = mmlu["model_id"].nunique()
    out["n_5shot"] = int((mmlu["shots"] == 5).sum())
    out["n_0shot"] = int((mmlu["shots"] == 0).sum())
    out["n_unstated"] = int(mmlu["shots"].isna().sum())
    five = frontier(scores, models, access_group="closed", setting="5-shot")
    out["last_closed_5shot"] = f"{five.iloc[-1]['date']:%B %Y}"
    out["last_closed_5shot_model"] = five.iloc[-1]["name"]

    for key, setting in (("all", "all"), ("five", "5-shot")):
        table = gap_by_year(scores, models, setting=setting)
        peak = table.loc[table["gap"].idxmax()]
        out[f"{key}_peak_gap"], out[f"{key}_peak_year"] = peak["gap"], int(peak["year"])
        end = table.iloc[-1]
        out[f"{key}_last_year"], out[f"{key}_last_gap"] = int(end["year"]), end["gap"]
        out[f"{key}_last_open"], out[f"{key}_last_open_model"] = end["open_best"], end["open_model"]
        out[f"{key}_last_closed"], out[f"{key}_last_closed_model"] = end["closed_best"], end["closed_model"]
        first = table.iloc[0]
        out[f"{key}_first_year"], out[f"{key}_first_gap"] = int(first["year"]), first["gap"]
        out[f"{key}_first_open_model"], out[f"{key}_first_open"] = first["open_model"], first["open_best"]
        out[f"{key}_first_closed_model"], out[f"{key}_first_closed"] = first["closed_model"], first["closed_best"]

    lab = gap_by_year(scores, models, include_unreleased=True)
    widest = lab.loc[lab["gap"].idxmax()]
    out["lab_peak_year"], out["lab_peak_gap"] = int(widest["year"]), widest["gap"]
    out["lab_peak_model"], out["lab_peak_score"] = widest["closed_model"], widest["closed_best"]

    lag = months_behind(scores, models)
    matched = lag.dropna(subset=["months"])
    out["n_closed_steps"], out["n_matched"] = len(lag), len(matched)
    out["median_lag"] = float(matched["months"].median())
    out["max_lag"] = float(matched["months"].max())
    longest = matched.loc[matched["months"].idxmax()]
    out["max_lag_model"], out["max_lag_open_model"] = longest["closed_model"], longest["open_model"]
    latest = matched.iloc[-1]
    out["latest_lag"], out["latest_lag_model"] = float(latest["months"]), latest["closed_model"]
    out["latest_lag_open_model"] = latest["open_model"]
    unmatched = lag[lag["months"].isna()]
    out["n_unmatched"] = len(unmatched)
    out["unmatched_models"] = " and ".join(unmatched["closed_model"])
    out["open_top"] = float(frontier(scores, models, access_group="open")["score"].max())
    lab_lag = months_behind(scores, models, include_unreleased=True)
    lab_only = lab_lag[lab_lag["closed_model"].isin(models.loc[models["access"] == "unreleased", "name"])]
    out["lab_lag_min"], out["lab_lag_max"] = float(lab_only["months"].min()), float(lab_only["months"].max())

    rounds = funding(events, models)
    stated = rounds[rounds["has_amount"]]
    out["n_rounds"], out["n_rounds_usd"] = len(rounds), len(stated)
    out["n_rounds_blank"] = len(rounds) - len(stated)
    totals = stated.groupby("side")["amount_usd"].sum()
    out["closed_raised"], out["open_raised"] = _money(totals.get("closed", 0)), _money(totals.get("open", 0))
    out["raised_ratio"] = float(totals.get("closed", 0) / totals.get("open", np.nan))
    out["n_closed_recipients"] = stated.loc[stated["side"] == "closed", "recipient"].nunique()
    out["n_open_recipients"] = stated.loc[stated["side"] == "open", "recipient"].nunique()

    costs = training_costs(runs, models)
    amortized = costs[costs["cost_method"] == "amortized_hardware"]
    for side in ("open", "closed"):
        rows = amortized[amortized["side"] == side]
        top = rows.loc[rows["cost_usd"].idxmax()]
        out[f"{side}_top_cost"], out[f"{side}_top_cost_model"] = _money(top["cost_usd"]), top["name"]
        out[f"n_{side}_costed"] = len(rows)
    out["n_costs"] = len(costs)
    reported = costs[costs["cost_method"] == "reported"].set_index("model_id")
    for key, model_id in (("v3", "deepseek-v3"), ("gpt4", "gpt-4")):
        if model_id in reported.index:
            out[f"{key}_reported_model"] = reported.loc[model_id, "name"]
            out[f"{key}_reported_cost"] = _money(reported.loc[model_id, "cost_usd"])

    sides = models.assign(is_open=models["access"].isin(OPEN), is_api=models["access"].isin(CLOSED))
    both = sides.groupby("organization")[["is_open", "is_api"]].any()
    both = both[both["is_open"] & both["is_api"]].index
    out["n_public_compute"] = int((events["kind"] == "public_compute").sum())
    out["n_orgs_both"], out["n_orgs"] = len(both), models["organization"].nunique()
    out["orgs_both_examples"] = ", ".join(sorted(both, key=lambda o: -(models["organization"] == o).sum())[:4])
    return out
