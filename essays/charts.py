"""Chart functions: a tidy DataFrame in, a plotly Figure out. None of them calls ``.show()``.

Importing this module registers the book's plotly template and makes it the default, so every
chart in every chapter shares fonts, margins and the colour of "open" and "closed".
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
ACCESS_COLORS = {
    "open_unrestricted": "#009E73",  # bluish green
    "open_restricted": "#56B4E9",  # sky blue
    "api": "#D55E00",  # vermillion
    "unreleased": "#7f7f7f",  # grey
}
ACCESS_LABELS = {
    "open_unrestricted": "Open weights",
    "open_restricted": "Open weights, restrictive licence",
    "api": "API or product only",
    "unreleased": "Not released",
}
MODALITY_SYMBOLS = {
    "text": "circle",
    "image": "square",
    "code": "diamond",
    "multimodal": "star",
    "audio": "triangle-up",
    "video": "hexagon",
}

pio.templates["essays"] = go.layout.Template(
    layout=dict(
        font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=14),
        margin=dict(l=60, r=20, t=30, b=50),
        hoverlabel=dict(align="left"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        colorway=list(ACCESS_COLORS.values()),
    )
)
pio.templates.default = "plotly_white+essays"


def plain(value) -> str:
    """Text from the data, made safe for plotly's HTML-like labels: markup shows as typed."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=False)


def human(number) -> str:
    """1.75e11 -> '175 billion'; blank for a missing value."""
    if number is None or pd.isna(number):
        return "not disclosed"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(number) >= size:
            return f"{number / size:.3g} {word}"
    return f"{number:.3g}"


def _release_hover(df: pd.DataFrame) -> list[str]:
    return [
        f"<b>{plain(r.name)}</b><br>{plain(r.organization)}<br>"
        f"{r.released:%d %b %Y} ({plain(r.date_kind)})<br>"
        f"Parameters: {human(r.parameters)}<br>{ACCESS_LABELS.get(r.access, plain(r.access))}"
        for r in df.itertuples()
    ]


def access_traces(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    hover,
    column: str = "access",
    order=None,
    size: int = 11,
    symbols: bool = True,
    **trace,
) -> list[go.Scatter]:
    """One marker trace per access category in ``frame``, coloured and named as everywhere in the book.

    ``hover`` turns a group of rows into their hover texts (escape data with ``plain``); ``order``
    is the order of the traces (default: the order of ``ACCESS_COLORS``); markers are shaped by
    modality unless ``symbols=False``; ``trace`` goes to every ``go.Scatter`` (``visible=...``).
    Categories with no rows get no trace.
    """
    traces = []
    for key in order if order is not None else ACCESS_COLORS:
        group = frame[frame[column] == key]
        if group.empty:
            continue
        marker = dict(size=size, color=ACCESS_COLORS.get(key), line=dict(width=1, color="white"))
        if symbols:
            marker["symbol"] = [MODALITY_SYMBOLS.get(m, "circle") for m in group["modality"]]
        traces.append(
            go.Scatter(
                x=group[x],
                y=group[y],
                mode="markers",
                name=ACCESS_LABELS.get(key, plain(key)),
                marker=marker,
                hovertext=hover(group),
                hoverinfo="text",
                **trace,
            )
        )
    return traces


def timeline(
    models: pd.DataFrame,
    *,
    y: str = "parameters",
    color: str = "access",
    log_y: bool = True,
    height: int = 460,
) -> go.Figure:
    """Model releases over time, one marker per release, coloured by access and shaped by modality.

    Releases without a value for ``y`` are left out (for parameters: undisclosed sizes).
    """
    shown = models.dropna(subset=[y]).sort_values("released")
    fig = go.Figure(
        access_traces(
            shown, x="released", y=y, hover=_release_hover, column=color, order=shown[color].dropna().unique()
        )
    )
    fig.update_layout(
        height=height,
        xaxis_title="Date of first public availability",
        yaxis_title=y.replace("_", " ").capitalize() + (" (log scale)" if log_y else ""),
    )
    if log_y:
        fig.update_yaxes(type="log")
    return fig


def headline(fig: go.Figure, title: str, *, subtitle: str | None = None) -> go.Figure:
    """Give a chart a title that states its finding (what happened, to whom, when) and a subtitle
    that says what is plotted. Returns the figure, so a chart cell can end with it."""
    fig.update_layout(
        title=dict(
            text=plain(title),
            subtitle=dict(text=plain(subtitle or "")),
            x=0,
            xanchor="left",
            font=dict(size=17),
        )
    )
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 30
    fig.update_layout(margin=dict(t=max(top, 90 if subtitle else 60)))
    return fig


def mark(fig: go.Figure, x, y, text: str, *, ax: int = -40, ay: int = -30) -> go.Figure:
    """Annotate a point the prose names, with a short arrow; returns the figure.

    ``x`` and ``y`` are the point's data values; on a log axis plotly places an annotation by the
    value's logarithm, which this takes (so set the axis type before marking).
    """

    def placed(value, axis):
        return math.log10(value) if fig.layout[axis].type == "log" else value

    fig.add_annotation(
        x=placed(x, "xaxis"),
        y=placed(y, "yaxis"),
        text=plain(text),
        showarrow=True,
        arrowhead=0,
        ax=ax,
        ay=ay,
        font=dict(size=12),
        bgcolor="rgba(255,255,255,0.8)",
    )
    return fig


def switch(
    fig: go.Figure, owners: list, labels: dict, *, dropdown: bool = False, active: int = 0, always=None
) -> go.Figure:
    """Precomputed buttons (or a dropdown) that show one group of traces at a time, on the static page.

    ``owners`` names the group of each trace of ``fig`` in order (``always``, default None, marks a
    trace shown under every button); ``labels`` maps each group, in button order, to its label.
    """
    if len(owners) != len(fig.data):
        raise ValueError(f"owners names {len(owners)} traces but the figure has {len(fig.data)}")
    groups = list(labels)
    buttons = [
        dict(label=labels[g], method="update", args=[{"visible": [o == g or o == always for o in owners]}])
        for g in groups
    ]
    for trace, owner in zip(fig.data, owners):
        trace.visible = owner == groups[active] or owner == always
    fig.update_layout(
        updatemenus=[
            dict(
                type="dropdown" if dropdown else "buttons",
                direction="down" if dropdown else "right",
                buttons=buttons,
                active=active,
                showactive=True,
                x=0,
                y=1.02,
                xanchor="left",
                yanchor="bottom",
                pad=dict(r=4, t=0, b=4),
                font=dict(size=12),
                bgcolor="white",
            )
        ]
    )
    return fig


#: Sizes the width-fitting below assumes (the headline's title and subtitle fonts, a menu row).
TITLE_SIZE, SUBTITLE_SIZE, MENU_ROW = 17, 13, 34


def wrap(text: str, chars: int) -> list[str]:
    """Words of ``text`` (line breaks already in it ignored) in lines of at most ``chars`` characters."""
    lines: list[str] = []
    for word in str(text or "").replace("<br>", " ").split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def fit_to_width(layout: dict, width: int) -> dict:
    """The layout changes that keep a headline chart's title, subtitle and menus readable at ``width``
    pixels: the title and subtitle wrap, and the top margin grows to hold them above the menus.

    The static images (essays.sphinx) use this; essays-charts.js does the same for the live chart
    at the reader's width, so the two agree.
    """
    title = layout.get("title") or {}
    text = title.get("text") if isinstance(title, dict) else title
    if not text:
        return {}
    usable = max(width - 30, 200)
    head = wrap(text, int(usable / (TITLE_SIZE * 0.55)))
    sub = wrap((title.get("subtitle") or {}).get("text", ""), int(usable / (SUBTITLE_SIZE * 0.52)))
    menus = MENU_ROW if layout.get("updatemenus") else 0
    top = 20 + len(head) * TITLE_SIZE * 1.3 + len(sub) * SUBTITLE_SIZE * 1.35 + menus + 8
    margin = dict(layout.get("margin") or {})
    margin["t"] = int(max(margin.get("t") or 0, top))
    return {
        "title": {
            **title,
            "text": "<br>".join(head),
            "y": 1 - 16 / (layout.get("height") or 450),
            "yref": "container",
            "yanchor": "top",
            "subtitle": {
                **(title.get("subtitle") or {}),
                "text": "<br>".join(sub),
                "font": {"size": SUBTITLE_SIZE},
            },
        },
        "margin": margin,
    }
