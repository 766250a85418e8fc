"""What an open release set off: dated events around a release, in lanes, counted by month.

Used by the chapter on Stable Diffusion. The functions take the book's ``events`` table (or any
frame with ``event_id``, ``date``, ``date_precision``, ``kind``, ``title`` and ``organization``)
and never read files themselves, so the tests can feed them small hand-made frames.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from essays.charts import ACCESS_COLORS, ACCESS_LABELS, plain

#: Lanes of the timeline: label -> the event kinds (events.csv ``kind``) drawn in it, top to bottom.
LANES = {
    "Open models and tools": ("release_policy", "ecosystem", "dataset", "replication"),
    "Closed services: access": ("access",),
    "Lawsuits, money, governance": ("lawsuit", "funding", "other", "licence", "policy"),
}
#: Open and closed keep the book's colours; the third lane gets another Okabe-Ito colour.
LANE_COLORS = dict(zip(LANES, (ACCESS_COLORS["open_unrestricted"], ACCESS_COLORS["api"], "#CC79A7")))

#: Who counts as part of the image-generation story when an event names no model.
IMAGE_ORGS = ("Stability AI", "Midjourney", "Black Forest Labs", "Civitai", "LAION", "Getty Images")
IMAGE_MENTIONS = ("Stable Diffusion", "DALL-E", "DALL·E", "Midjourney")

#: Short on-chart labels for the events a reader most needs to find without hovering.
SD_LABELS = {
    "ev-018": "LAION-5B", "ev-028": "SD 1.4 weights", "ev-025": "Textual inversion", "ev-026": "A1111 web UI", "ev-027": "diffusers",
    "ev-029": "DreamBooth", "ev-030": "M1 Macs", "ev-070": "SD 1.5", "ev-033": "Civitai", "ev-035": "SD 2.0",
    "ev-037": "Core ML",    "ev-038": "LoRA", "ev-072": "ComfyUI", "ev-043": "ControlNet", "ev-054": "SDXL", "ev-076": "SD3 Medium",
    "ev-077": "FLUX.1", "ev-019": "Midjourney beta", "ev-021": "DALL-E 2 waitlist", "ev-023": "Midjourney open",
    "ev-024": "DALL-E paid beta", "ev-031": "No waitlist", "ev-071": "DALL-E API", "ev-073": "No free trial",
    "ev-032": "Funding round", "ev-039": "Artists sue", "ev-040": "Getty (UK)", "ev-042": "Getty (US)",
    "ev-074": "Intel note", "ev-075": "Sale talks", "ev-061": "CEO resigns", "ev-078": "BFL seed",
    "ev-079": "US ruling", "ev-080": "UK ruling",
}


def months_after(events: pd.DataFrame, start, *, column: str = "date") -> pd.Series:
    """Whole calendar months from ``start`` to each event, rounded down.

    An event in the first month after the start (start day included) is 0; one a day before the
    start is -1. A date known only to the month is stored as the 1st, so it counts from that day.
    """
    dates = pd.to_datetime(events[column])
    start = pd.Timestamp(start)
    months = (dates.dt.year - start.year) * 12 + (dates.dt.month - start.month)
    months = months - (dates.dt.day < start.day).astype(int)
    return months.astype("Int64").rename("months_after")


def days_after(events: pd.DataFrame, start, *, column: str = "date") -> pd.Series:
    """Days from ``start`` to each event (negative before it)."""
    return (pd.to_datetime(events[column]) - pd.Timestamp(start)).dt.days.astype("Int64").rename("days_after")


def lane_of(kinds: pd.Series, *, lanes: dict = LANES) -> pd.Series:
    """The lane label of each event kind; <NA> for a kind that is in no lane."""
    lookup = {kind: lane for lane, members in lanes.items() for kind in members}
    return kinds.map(lookup).astype("string").rename("lane")


def image_events(events: pd.DataFrame, models: pd.DataFrame, *, modality: str = "image",
                 organizations=IMAGE_ORGS, mentions=IMAGE_MENTIONS) -> pd.DataFrame:
    """The events about image generation.

    An event that names a model is kept when that model's modality is ``modality``. An event that
    names none is kept when its organization includes one of ``organizations`` or its title or note
    mentions one of ``mentions``.
    """
    modality_of = models.set_index("model_id")["modality"]
    has_model = events["model_id"].notna()
    model_hit = events["model_id"].map(modality_of).eq(modality).fillna(False).astype(bool)
    org_hit = _contains_any(events["organization"], organizations)
    text = events["title"].fillna("").astype(str) + " " + events.get("note", pd.Series("", index=events.index)).fillna("").astype(str)
    mention_hit = _contains_any(text, mentions)
    keep = (has_model & model_hit) | (~has_model & (org_hit | mention_hit))
    return events[keep.to_numpy()].copy()


def _contains_any(texts: pd.Series, needles) -> pd.Series:
    if not needles:
        return pd.Series(False, index=texts.index)
    pattern = "|".join(re.escape(n) for n in needles)
    return texts.fillna("").astype(str).str.contains(pattern, regex=True).astype(bool)


def monthly_counts(events: pd.DataFrame, start, *, kinds=("ecosystem",), months: int = 12,
                   by: str | None = None, lanes: dict = LANES) -> pd.DataFrame:
    """Events of the given kinds in each of the first ``months`` months after ``start``.

    One row per month (and per value of ``by``, if given: ``"lane"`` or ``"kind"``), with zeros for
    empty months: columns ``month`` (1 = the first month), ``month_start``, [``by``], ``events``.
    """
    frame = events[events["kind"].isin(list(kinds))].copy()
    frame["month"] = months_after(frame, start) + 1
    frame = frame[(frame["month"] >= 1) & (frame["month"] <= months)]
    if by == "lane":
        frame["lane"] = lane_of(frame["kind"], lanes=lanes)
    keys = ["month"] + ([by] if by else [])
    counted = frame.groupby(keys, observed=True).size().rename("events")
    if by:
        groups = sorted(frame[by].dropna().unique(), key=lambda g: list(lanes).index(g)
                        if by == "lane" and g in lanes else str(g)) or ["(none)"]
        index = pd.MultiIndex.from_product([range(1, months + 1), groups], names=keys)
    else:
        index = pd.Index(range(1, months + 1), name="month")
    out = counted.reindex(index, fill_value=0).reset_index()
    out["month"] = out["month"].astype(int)
    out["events"] = out["events"].astype(int)
    out.insert(1, "month_start", [pd.Timestamp(start) + pd.DateOffset(months=m - 1) for m in out["month"]])
    return out


def _levels(starts: pd.Series, ends: pd.Series, *, max_levels: int) -> list[int]:
    """Rows for events drawn with a footprint from ``starts`` to ``ends`` (marker plus label).

    Each event takes the lowest row that is free at its start; when all ``max_levels`` rows are
    busy it takes the row that frees up first, and may overlap there.
    """
    busy_until: list[pd.Timestamp | None] = [None] * max_levels
    out = []
    for start, end in zip(starts, ends):
        free = [i for i, until in enumerate(busy_until) if until is None or until <= start]
        level = free[0] if free else min(range(max_levels), key=lambda i: busy_until[i])
        busy_until[level] = end
        out.append(level)
    return out


def _hover(row) -> str:
    when = f"{row.date:%-d %b %Y}" if row.date_precision == "day" else f"{row.date:%B %Y} (month only)"
    source = getattr(row, "source_title", None)
    publisher = getattr(row, "source_publisher", None)
    cited = f"<br>Source: {plain(source)}" + (f" ({plain(publisher)})" if plain(publisher) else "") if plain(source) else ""
    return (f"<b>{plain(row.title)}</b><br>{plain(row.organization)}<br>{when}"
            f"<br>Kind: {plain(row.kind).replace('_', ' ')}{cited}")


def event_timeline(events: pd.DataFrame, *, start=None, start_label: str = "Stable Diffusion weights public",
                   lanes: dict = LANES, colors: dict | None = None, labels: dict | None = None,
                   zooms=(("First 100 days", -14, 100), ("Year around the release", -183, 365),
                          ("All years", None, None)),
                   active: int = 1, max_levels: int = 6, plot_width: int = 620, row_height: int = 24,
                   rangeslider: bool = False) -> go.Figure:
    """Events on a time axis in lanes, one marker each, with hover text naming the source.

    Each lane is a band of rows under its name; events close in time are stacked on separate rows,
    leaving room for their ``labels`` (event id -> short text written beside the marker) at the
    first view's scale (``plot_width`` pixels). ``zooms`` are buttons (label, first and last day of
    the view counted from ``start``, negative before it; ``None`` for the whole range); button
    ``active`` sets the first view. Filled markers have an exact day; open markers are known only
    to the month.
    """
    colors = colors or LANE_COLORS
    labels = labels or {}
    frame = events.assign(lane=lane_of(events["kind"], lanes=lanes)).dropna(subset=["lane"])
    frame = frame.sort_values(["date", "event_id"])
    lo = frame["date"].min() - pd.Timedelta(days=45)
    hi = frame["date"].max() + pd.Timedelta(days=45)
    ranges = []
    for _, before, after in zooms:
        if before is None or start is None:
            ranges.append((lo, hi))
        else:
            ranges.append((pd.Timestamp(start) + pd.Timedelta(days=before), pd.Timestamp(start) + pd.Timedelta(days=after)))
    first = ranges[active] if ranges else (lo, hi)
    days_per_px = (first[1] - first[0]).days / plot_width

    fig = go.Figure()
    row = 0  # rows count downwards from the top of the chart
    separators, titles = [], []
    for lane in lanes:
        group = frame[frame["lane"] == lane]
        if group.empty:
            continue
        texts = [plain(labels.get(e, "")) for e in group["event_id"]]
        footprint = [pd.Timedelta(days=(16 + 6.2 * len(t)) * days_per_px) for t in texts]
        levels = _levels(group["date"], group["date"] + pd.Series(footprint, index=group.index),
                         max_levels=max_levels)
        titles.append((lane, -row))
        fig.add_trace(go.Scatter(
            x=group["date"], y=[-(row + 1 + lvl) for lvl in levels], name=lane,
            mode="markers+text", text=texts, textposition="middle right",
            textfont=dict(size=11, color="#333"), cliponaxis=False,
            marker=dict(size=10, color=colors.get(lane), line=dict(width=1.5, color=colors.get(lane)),
                        symbol=["circle" if p == "day" else "circle-open" for p in group["date_precision"]]),
            hovertext=[_hover(r) for r in group.itertuples()], hoverinfo="text",
        ))
        row += 2 + max(levels)
        separators.append(-row + 0.5)
    for y in separators[:-1]:
        fig.add_hline(y=y, line=dict(color="#ddd", width=1))
    for lane, y in titles:
        fig.add_annotation(x=0, xref="paper", y=y, text=f"<b>{plain(lane)}</b>", showarrow=False,
                           xanchor="left", font=dict(size=12, color=colors.get(lane)))
    fig.update_yaxes(visible=False, range=[-row + 0.3, 0.7], fixedrange=True)
    buttons = [dict(label=label, method="relayout",
                    args=[{"xaxis.range": [f"{a:%Y-%m-%d}", f"{b:%Y-%m-%d}"]}])
               for (label, _, _), (a, b) in zip(zooms, ranges)]
    if start is not None:
        fig.add_vline(x=pd.Timestamp(start).timestamp() * 1000, line=dict(color="#555", width=1, dash="dot"))
        fig.add_annotation(x=pd.Timestamp(start), y=1.0, yref="paper", text=plain(start_label),
                           showarrow=False, xanchor="left", yanchor="bottom", font=dict(size=11, color="#555"))
    fig.update_xaxes(range=[f"{first[0]:%Y-%m-%d}", f"{first[1]:%Y-%m-%d}"], type="date",
                     rangeslider=dict(visible=rangeslider))
    fig.update_layout(
        height=row * row_height + 110, showlegend=False, margin=dict(l=10, r=20, t=80, b=30),
        updatemenus=[dict(type="buttons", direction="right", buttons=buttons, active=active,
                          x=0, xanchor="left", y=1.0, yanchor="bottom", showactive=True,
                          pad=dict(b=28))] if buttons else [],
    )
    return fig


def monthly_bars(counts: pd.DataFrame, *, by: str | None = None, colors: dict | None = None,
                 height: int = 360) -> go.Figure:
    """Bars of ``monthly_counts`` output: events per month after the start, stacked by ``by``."""
    colors = colors or LANE_COLORS
    fig = go.Figure()
    groups = counts.groupby(by, sort=False) if by else [("Events", counts)]
    for name, group in groups:
        fig.add_trace(go.Bar(
            x=group["month"], y=group["events"], name=plain(name), marker_color=colors.get(name),
            hovertext=[f"Month {m} (from {d:%-d %b %Y})<br>{plain(name)}: {n}"
                       for m, d, n in zip(group["month"], group["month_start"], group["events"])],
            hoverinfo="text",
        ))
    fig.update_layout(barmode="stack", height=height, showlegend=bool(by),
                      xaxis=dict(title="Month after the release (1 = the first month)", dtick=1),
                      yaxis=dict(title="Events recorded", rangemode="tozero", dtick=1))
    return fig


def family_strip(models: pd.DataFrame, *, families, height: int = 380) -> go.Figure:
    """Releases of the given model families on a time axis, one row per family, coloured by access."""
    shown = models[models["family"].isin(list(families))].sort_values("released")
    order = list(families)
    fig = go.Figure()
    for access, group in shown.groupby("access", sort=False, observed=True):
        fig.add_trace(go.Scatter(
            x=group["released"], y=group["family"], mode="markers", name=ACCESS_LABELS.get(access, plain(access)),
            marker=dict(size=12, color=ACCESS_COLORS.get(access), line=dict(width=1, color="white")),
            hovertext=[f"<b>{plain(r.name)}</b><br>{plain(r.organization)}<br>{r.released:%-d %b %Y}"
                       f"<br>{ACCESS_LABELS.get(r.access, plain(r.access))}<br>Licence: {plain(r.license)}"
                       for r in group.itertuples()],
            hoverinfo="text",
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], title=None)
    fig.update_layout(height=height, xaxis_title="Date of first public availability")
    return fig

