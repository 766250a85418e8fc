"""How long open-weight models took to match closed milestones: the catch-up chapter's analysis and charts.

``lags`` applies one stated rule of "comparable" to each closed milestone and returns a tidy table;
``timeline`` and ``lag_chart`` draw the releases and the lags with the book's palette.
"""

from __future__ import annotations

import json
import math

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from essays.charts import ACCESS_COLORS, ACCESS_LABELS, MODALITY_SYMBOLS, human, plain

#: Access values that mean the weights can be downloaded.
OPEN = ("open_unrestricted", "open_restricted")

#: Lanes of the timeline, bottom to top, and their labels.
LANES = ("text", "multimodal", "image")
LANE_LABELS = {"text": "Text", "multimodal": "Multimodal", "image": "Image"}

#: Modalities compared with each other. A multimodal model such as GPT-4 reads images but writes
#: text, so its open rivals are language models of either kind; image generators form their own group.
MATCH_GROUP = {"text": "language", "multimodal": "language", "image": "image"}

#: The milestones the chapter measures, oldest first. The GPT-2 1.5B milestone is the day OpenAI
#: announced the model and withheld it (an event), not the day the weights came out.
DEFAULT_MILESTONES = ("gpt-2-1.5b", "gpt-3-175b", "dall-e-2", "gpt-3.5-turbo", "gpt-4",
                      "claude-3-opus", "gpt-4o", "o1")
MILESTONE_EVENTS = {"gpt-2-1.5b": "ev-001"}

UNMEASURED = ("first_open", "skip")
PREFER = ("size", "mmlu")
DAYS_PER_MONTH = 365.25 / 12

RULE_LABELS = {"size": "Parameters", "mmlu": "MMLU score", "first_open": "First open release (no measure)",
               "none": "No measure in the data"}


def _require(frame: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it needs {list(columns)}")


def best_mmlu(scores: pd.DataFrame) -> pd.Series:
    """Each model's highest reported MMLU score (any number of shots), indexed by model_id."""
    _require(scores, "scores", ("model_id", "benchmark", "score"))
    mmlu = scores[scores["benchmark"] == "MMLU"].dropna(subset=["score"])
    return mmlu.groupby("model_id")["score"].max().astype(float)


def milestones(models: pd.DataFrame, events: pd.DataFrame,
               model_ids=DEFAULT_MILESTONES) -> pd.DataFrame:
    """The milestones to measure: model_id, label and date (the event's date where one is named)."""
    _require(models, "models", ("model_id", "name", "released"))
    rows = []
    for model_id in model_ids:
        found = models[models["model_id"] == model_id]
        if found.empty:
            raise ValueError(f"milestone {model_id!r} is not a model_id in models")
        model = found.iloc[0]
        date, label = model["released"], str(model["name"])
        event_id = MILESTONE_EVENTS.get(model_id)
        if event_id is not None:
            event = events[events["event_id"] == event_id]
            if event.empty:
                raise ValueError(f"event {event_id!r} (the date of milestone {model_id!r}) is not in events")
            date, label = event.iloc[0]["date"], f"{label} (withheld)"
        rows.append({"model_id": model_id, "label": label, "date": pd.Timestamp(date)})
    return pd.DataFrame(rows, columns=["model_id", "label", "date"])


def _check_number(value, name: str, *, low: float, low_open: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < low or (low_open and value == low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}, got {value!r}")
    return float(value)


def lags(models: pd.DataFrame, scores: pd.DataFrame, milestones: pd.DataFrame, *,
         size_ratio: float = 1.0, mmlu_margin: float = 0.0, unmeasured: str = "first_open",
         prefer: str = "size") -> pd.DataFrame:
    """For each closed milestone, the first open-weight model that matched it, and how many months later.

    A candidate has open weights (``OPEN``), is in the milestone's ``MATCH_GROUP`` and was released
    strictly after the milestone's date. It matches when

    * the milestone's parameter count is disclosed: its parameters >= ``size_ratio`` x the milestone's;
    * otherwise, when the milestone has an MMLU score: its best MMLU >= the milestone's best minus
      ``mmlu_margin`` (points);
    * ``prefer="mmlu"`` swaps the first two: the MMLU test when the milestone has a score, else size;
    * otherwise (no measure in the data): with ``unmeasured="first_open"`` the first open-weight
      candidate at all, flagged as rule ``first_open``; with ``"skip"`` nothing matches (rule ``none``).

    ``milestones`` needs ``model_id`` and may carry ``label`` and ``date`` (default: the model's name
    and release date). Unmatched milestones get NaN months and, in ``months_so_far``, the months
    from the milestone to the latest release in ``models``.
    """
    _require(models, "models", ("model_id", "name", "released", "modality", "access", "parameters"))
    _require(milestones, "milestones", ("model_id",))
    size_ratio = _check_number(size_ratio, "size_ratio", low=0, low_open=True)
    mmlu_margin = _check_number(mmlu_margin, "mmlu_margin", low=0, low_open=False)
    if unmeasured not in UNMEASURED:
        raise ValueError(f"unmeasured must be one of {list(UNMEASURED)}, got {unmeasured!r}")
    if prefer not in PREFER:
        raise ValueError(f"prefer must be one of {list(PREFER)}, got {prefer!r}")

    mmlu = best_mmlu(scores)
    pool = models.assign(_mmlu=models["model_id"].map(mmlu).astype(float),
                         _group=models["modality"].map(lambda m: MATCH_GROUP.get(m, m)))
    pool = pool.sort_values(["released", "model_id"])
    candidates = pool[pool["access"].isin(OPEN)]
    as_of = pd.Timestamp(models["released"].max())

    rows = []
    for milestone in milestones.to_dict("records"):
        found = pool[pool["model_id"] == milestone["model_id"]]
        if found.empty:
            raise ValueError(f"milestone {milestone['model_id']!r} is not a model_id in models")
        model = found.iloc[0]
        date = milestone.get("date")
        date = pd.Timestamp(model["released"] if date is None or pd.isna(date) else date)
        label = milestone.get("label")
        label = str(model["name"]) if label is None or pd.isna(label) else str(label)
        later = candidates[(candidates["_group"] == model["_group"]) & (candidates["released"] > date)]
        measures = [m for m in (prefer, *PREFER) if pd.notna(model["parameters" if m == "size" else "_mmlu"])]
        if measures and measures[0] == "size":
            rule, bar = "size", size_ratio * float(model["parameters"])
            matched = later[later["parameters"].astype(float) >= bar]
            threshold = f"≥ {human(bar)} parameters"
        elif measures:
            rule, bar = "mmlu", float(model["_mmlu"]) - mmlu_margin
            matched = later[later["_mmlu"] >= bar]
            threshold = f"MMLU ≥ {bar:.1f}"
        elif unmeasured == "first_open":
            rule, bar, matched, threshold = "first_open", math.nan, later, "no measure: any open-weight release"
        else:
            rule, bar, matched, threshold = "none", math.nan, later.iloc[0:0], "no measure in the data"
        row = {"milestone": label, "model_id": model["model_id"], "organization": model["organization"]
               if "organization" in model else pd.NA, "modality": model["modality"], "closed_date": date,
               "rule": rule, "threshold": threshold, "milestone_parameters": model["parameters"],
               "milestone_mmlu": model["_mmlu"]}
        if matched.empty:
            row.update(match=pd.NA, match_id=pd.NA, match_organization=pd.NA, match_access=pd.NA,
                       match_date=pd.NaT, match_parameters=math.nan, match_mmlu=math.nan, months=math.nan,
                       months_so_far=round((as_of - date).days / DAYS_PER_MONTH, 1))
        else:
            first = matched.iloc[0]
            row.update(match=first["name"], match_id=first["model_id"],
                       match_organization=first["organization"] if "organization" in first else pd.NA,
                       match_access=first["access"], match_date=first["released"],
                       match_parameters=first["parameters"], match_mmlu=first["_mmlu"],
                       months=round((first["released"] - date).days / DAYS_PER_MONTH, 1), months_so_far=math.nan)
        rows.append(row)
    columns = ["milestone", "model_id", "organization", "modality", "closed_date", "rule", "threshold",
               "milestone_parameters", "milestone_mmlu", "match", "match_id", "match_organization",
               "match_access", "match_date", "match_parameters", "match_mmlu", "months", "months_so_far"]
    out = pd.DataFrame(rows, columns=columns)
    for column in ("months", "months_so_far", "milestone_parameters", "milestone_mmlu",
                   "match_parameters", "match_mmlu"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    out["closed_date"] = pd.to_datetime(out["closed_date"])
    out["match_date"] = pd.to_datetime(out["match_date"])
    return out


def stack_levels(dates: pd.Series, *, min_gap_days: int = 60, max_levels: int = 12) -> pd.Series:
    """Row within a lane for each date, so markers closer than ``min_gap_days`` sit on different rows.

    Greedy: each marker (in date order) takes the lowest row whose last marker is far enough back;
    when all ``max_levels`` rows are busy it takes the row that has been free longest.
    """
    if min_gap_days < 0 or max_levels < 1:
        raise ValueError("min_gap_days must be >= 0 and max_levels >= 1")
    order = dates.sort_values(kind="stable")
    last: list[pd.Timestamp] = []
    levels = pd.Series(0, index=dates.index, dtype=int)
    for index, date in order.items():
        free = [i for i, d in enumerate(last) if (date - d).days >= min_gap_days]
        if free:
            level = free[0]
        elif len(last) < max_levels:
            level = len(last)
            last.append(date)
        else:
            level = min(range(len(last)), key=lambda i: last[i])
        last[level] = date
        levels[index] = level
    return levels


def _lane_positions(models: pd.DataFrame, lanes, min_gap_days: int, max_levels: int):
    """y for every release, and each lane's (bottom, top, centre) on the y axis."""
    y = pd.Series(0.0, index=models.index)
    bands, base = {}, 0.0
    for lane in lanes:
        rows = models[models["modality"] == lane]
        levels = stack_levels(rows["released"], min_gap_days=min_gap_days, max_levels=max_levels)
        height = int(levels.max()) + 1 if len(levels) else 1
        y[rows.index] = base + levels.astype(float)
        bands[lane] = (base - 0.6, base + height - 0.4, base + (height - 1) / 2)
        base += height + 1.5
    return y, bands


def _release_hover(df: pd.DataFrame) -> list[str]:
    has_source = "source_title" in df.columns
    return [
        f"<b>{plain(r.name)}</b><br>{plain(r.organization)}<br>"
        f"{r.released:%-d %b %Y} ({plain(r.date_kind)})<br>Parameters: {human(r.parameters)}<br>"
        f"{ACCESS_LABELS.get(r.access, plain(r.access))}"
        + (f"<br>Source: {plain(r.source_title)}" if has_source else "")
        for r in df.itertuples()
    ]


PERIODS = (("All years", None), ("2018–2020", ("2018-01-01", "2020-12-31")),
           ("2021–2022", ("2021-01-01", "2022-12-31")), ("2023–2025", ("2023-01-01", "2025-12-31")))


def timeline(models: pd.DataFrame, *, lanes=LANES, start: str = "2018-01-01", end: str = "2025-12-31",
             min_gap_days: int = 60, max_levels: int = 12, height: int = 560) -> go.Figure:
    """Releases as markers in one lane per modality, coloured by access, stacked so none overlap.

    Buttons zoom to one lane or one period (precomputed ranges, no kernel needed); a range slider
    under the date axis narrows the years.
    """
    _require(models, "models", ("name", "organization", "released", "modality", "access", "parameters",
                                "date_kind"))
    lanes = tuple(lanes)
    if not lanes or any(lane not in MATCH_GROUP and lane not in MODALITY_SYMBOLS for lane in lanes):
        raise ValueError(f"lanes must be modalities such as {list(LANES)}, got {list(lanes)}")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    shown = models[models["modality"].isin(lanes) & models["released"].between(start, end)]
    shown = shown.sort_values(["released", "model_id"] if "model_id" in shown else ["released"])
    y, bands = _lane_positions(shown, lanes, min_gap_days, max_levels)
    span = [shown["released"].min() - pd.Timedelta(days=60), shown["released"].max() + pd.Timedelta(days=60)]
    full = (-0.6 - 0.5, max(b[1] for b in bands.values()) + 0.5)

    fig = go.Figure()
    for access in ACCESS_COLORS:
        group = shown[shown["access"] == access]
        if group.empty:
            continue
        fig.add_trace(go.Scatter(
            x=group["released"], y=y[group.index], mode="markers", name=ACCESS_LABELS[access],
            marker=dict(size=10, color=ACCESS_COLORS[access], line=dict(width=1, color="white"),
                        symbol=[MODALITY_SYMBOLS.get(m, "circle") for m in group["modality"]]),
            hovertext=_release_hover(group), hoverinfo="text"))
    for lane, (bottom, top, _) in bands.items():
        fig.add_hrect(y0=bottom, y1=top, fillcolor="#f2f2f2", line_width=0, layer="below")
    lane_buttons = [dict(label="All lanes", method="relayout", args=[{"yaxis.range": list(full)}])] + [
        dict(label=LANE_LABELS.get(lane, lane.capitalize()), method="relayout",
             args=[{"yaxis.range": [bands[lane][0] - 0.3, bands[lane][1] + 0.3]}]) for lane in lanes]
    period_buttons = [dict(label=label, method="relayout",
                           args=[{"xaxis.range": span if period is None else list(period)}])
                      for label, period in PERIODS]
    fig.update_layout(
        height=height, showlegend=True, hovermode="closest", margin=dict(l=100, r=20, t=80, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.12, x=0),
        updatemenus=[dict(type="dropdown", direction="down", buttons=lane_buttons, x=0, xanchor="left",
                          y=1.02, yanchor="bottom", showactive=True, pad=dict(t=0)),
                     dict(type="dropdown", direction="down", buttons=period_buttons, x=0.3, xanchor="left",
                          y=1.02, yanchor="bottom", showactive=True, pad=dict(t=0))])
    fig.update_yaxes(range=list(full), tickvals=[bands[lane][2] for lane in lanes], showgrid=False,
                     ticktext=[LANE_LABELS.get(lane, lane.capitalize()) for lane in lanes], zeroline=False,
                     fixedrange=False)
    fig.update_xaxes(range=span,
                     rangeslider=dict(visible=True, thickness=0.08), title_text="Date of first public availability")
    return fig


def _lag_hover(df: pd.DataFrame) -> list[str]:
    out = []
    for r in df.itertuples():
        head = (f"<b>{plain(r.milestone)}</b><br>Closed milestone: {r.closed_date:%-d %b %Y}<br>"
                f"Rule: {RULE_LABELS.get(r.rule, plain(r.rule))}, {plain(r.threshold)}<br>")
        if pd.isna(r.months):
            out.append(head + f"No open match yet: {r.months_so_far:.1f} months and counting")
        else:
            out.append(head + f"First open match: {plain(r.match)} ({plain(r.match_organization)}),"
                       f" {r.match_date:%-d %b %Y}<br>Lag: {r.months:.1f} months")
    return out


def lag_chart(table: pd.DataFrame, *, height: int = 420) -> go.Figure:
    """Months from each closed milestone to its first open match, by the milestone's date.

    Colour is the match's access; a hollow grey marker is a milestone not yet matched, placed at the
    months elapsed so far (the true lag is at least that).
    """
    _require(table, "table", ("milestone", "closed_date", "rule", "threshold", "match", "match_date",
                              "match_access", "months", "months_so_far", "modality"))
    fig = go.Figure()
    matched = table[table["months"].notna()]
    first = table["closed_date"].min()
    for access in OPEN:
        group = matched[matched["match_access"] == access]
        if group.empty:
            continue
        fig.add_trace(go.Scatter(
            x=group["closed_date"], y=group["months"], mode="markers+text", name=f"Matched by: {ACCESS_LABELS[access].lower()}",
            text=[plain(m) for m in group["milestone"]], cliponaxis=False,
            textposition=["top right" if d == first else "top center" for d in group["closed_date"]],
            marker=dict(size=13, color=ACCESS_COLORS[access], line=dict(width=1, color="white"),
                        symbol=[MODALITY_SYMBOLS.get(m, "circle") for m in group["modality"]]),
            hovertext=_lag_hover(group), hoverinfo="text"))
    waiting = table[table["months"].isna() & table["months_so_far"].notna()]
    if not waiting.empty:
        fig.add_trace(go.Scatter(
            x=waiting["closed_date"], y=waiting["months_so_far"], mode="markers+text", name="No open match yet",
            text=[plain(m) + " ↑" for m in waiting["milestone"]], textposition="middle right", cliponaxis=False,
            marker=dict(size=13, color=ACCESS_COLORS["unreleased"], line=dict(width=2, color=ACCESS_COLORS["unreleased"]),
                        symbol=[MODALITY_SYMBOLS.get(m, "circle") + "-open" for m in waiting["modality"]]),
            hovertext=_lag_hover(waiting), hoverinfo="text"))
    top = pd.concat([table["months"], table["months_so_far"]]).max()
    top = 12 if pd.isna(top) else top
    fig.update_layout(height=height, showlegend=True, hovermode="closest", margin=dict(t=60))
    fig.update_yaxes(title_text="Months until an open-weight match", rangemode="tozero", range=[0, top * 1.15 + 1])
    fig.update_xaxes(title_text="Date of the closed milestone",
                     range=[table["closed_date"].min() - pd.Timedelta(days=120),
                            table["closed_date"].max() + pd.Timedelta(days=240)])
    return fig


def lag_table(table: pd.DataFrame, models: pd.DataFrame | None = None):
    """The lag table as HTML, the match linked to its source when ``models`` carries source_url."""
    from essays.display import table as html_table

    shown = table.assign(
        closed=table["closed_date"].dt.strftime("%b %Y"),
        rule_text=[t[:1].upper() + t[1:] for t in table["threshold"]],
        found=table["match_date"].dt.strftime("%b %Y").fillna(""),
        lag=[f"{m:.1f}" if pd.notna(m) else f"none yet (> {s:.0f})" for m, s in
             zip(table["months"], table["months_so_far"])],
        match=table["match"].fillna("—"))
    link = None
    if models is not None and "source_url" in models.columns:
        shown = shown.merge(models[["model_id", "source_url"]].rename(columns={"model_id": "match_id"}),
                            on="match_id", how="left")
        link = {"match": "source_url"}
    return html_table(shown, {"milestone": "Closed milestone", "closed": "Date", "rule_text": "Comparable means",
                              "match": "First open-weight match", "found": "Date", "lag": "Months"}, links=link)


def milestone_choices(models: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, model_id) for every model that could serve as a closed milestone, oldest first.

    Models that were API-only or unreleased, in a lane of the timeline, plus GPT-2 1.5B (withheld
    before it was published); the default milestones come first in date order like the rest.
    """
    closed = models[models["modality"].isin(LANES) & ~models["access"].isin(OPEN)]
    closed = pd.concat([models[models["model_id"].isin(DEFAULT_MILESTONES)], closed]).drop_duplicates("model_id")
    closed = closed.sort_values(["released", "model_id"])
    return [(f"{name} ({date:%b %Y})", model_id)
            for name, date, model_id in zip(closed["name"], closed["released"], closed["model_id"])]


def explorer(models: pd.DataFrame, scores: pd.DataFrame, events: pd.DataFrame):
    """ipywidgets controls over ``lags``: size ratio, MMLU margin, which measure first, which milestones.

    The results are written into an Output widget's state directly (not captured from the kernel's
    output stream), so the cell's own output is only the widget view, the same in every client.
    """
    from IPython.display import HTML

    style = {"description_width": "9em"}
    layout = widgets.Layout(width="32em")
    choices = milestone_choices(models)
    controls = dict(
        size_ratio=widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=0.5, step=0.05, style=style,
                                          layout=layout, description="Size ratio"),
        mmlu_margin=widgets.FloatSlider(value=0.0, min=0.0, max=10.0, step=0.5, style=style, layout=layout,
                                        description="MMLU margin"),
        prefer=widgets.ToggleButtons(options=[("Size first", "size"), ("MMLU first", "mmlu")], value="size",
                                     style=style, description="Measure"),
        picked=widgets.SelectMultiple(options=choices, rows=10,
                                      value=tuple(m for _, m in choices if m in DEFAULT_MILESTONES),
                                      style=style, layout=layout, description="Milestones"))
    out = widgets.Output()

    def refresh(_=None):
        picked = controls["picked"].value
        out.outputs = ()
        if not picked:
            out.append_display_data(HTML("<p>Pick at least one milestone.</p>"))
            return
        ordered = [m for _, m in choices if m in picked]
        table = lags(models, scores, milestones(models, events, ordered),
                     size_ratio=controls["size_ratio"].value, mmlu_margin=controls["mmlu_margin"].value,
                     prefer=controls["prefer"].value)
        # A plotly Figure would display itself into the cell (its _ipython_display_), so hand the
        # Output widget the figure's JSON under plotly's mime type instead.
        figure = json.loads(lag_chart(table).to_json())
        out.outputs += ({"output_type": "display_data", "metadata": {},
                         "data": {"application/vnd.plotly.v1+json": figure, "text/plain": "Lag chart"}},)
        out.append_display_data(lag_table(table, models))

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    return Explorer(children=[*controls.values(), out])


class Explorer(widgets.VBox):
    """The explorer's box; its text form stays short and the same in every run (notebook tests compare it)."""

    def __repr__(self) -> str:
        return "Catch-up explorer: controls over catchup.lags (needs a running kernel)"


def by_ratio(models: pd.DataFrame, scores: pd.DataFrame, milestones: pd.DataFrame, ratios, **kwargs) -> pd.DataFrame:
    """``lags`` repeated for each size ratio: one row per (size_ratio, milestone)."""
    ratios = list(ratios)
    if not ratios:
        raise ValueError("ratios must list at least one size ratio, e.g. [0.1, 1.0]")
    return pd.concat([lags(models, scores, milestones, size_ratio=r, **kwargs).assign(size_ratio=float(r))
                      for r in ratios], ignore_index=True)
