"""Chart functions: a tidy DataFrame in, a plotly Figure out. None of them calls ``.show()``.

Importing this module registers the book's plotly template and makes it the default, so every
chart in every chapter shares fonts, margins and the colour of "open" and "closed".

The second half fits a finished figure to a width (``fitted``, ``fit_to_width``, ``narrow_trace``,
``apply_fit``): the build calls it once for phones and once for wider screens, and both the static
image and the live chart use the result. Chapters only call ``headline``, ``mark`` and, for a chart
laid out for a width, ``for_phones``.
"""

from __future__ import annotations

import html
import math
import re

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
        # x tick labels stand a little below the axis, clear of the y axis's label at the origin
        xaxis=dict(ticklabelstandoff=4),
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


#: Sizes the width-fitting below assumes: title and subtitle fonts, a menu row, the x axis's tick
#: labels and title, one slider (current value, rail, step labels) and one legend row, in pixels.
TITLE_SIZE, SUBTITLE_SIZE, MENU_ROW = 17, 13, 34
X_TICKS, X_TITLE, SLIDER_BLOCK, LEGEND_ROW, LEGEND_FONT = 30, 26, 82, 22, 12
#: Below this width (CSS pixels of the chart's box) a chart takes its narrow layout; each layout is
#: computed for the smallest box it serves, so it fits every box of its kind. Phones have boxes of
#: 272 to 599 px, tablets and desktops 600 to 820 (the book's text column).
NARROW_BELOW, NARROW_WIDTH, WIDE_WIDTH = 600, 300, 600
#: The least height the plot area keeps once the title, menus, sliders and legend have their room.
MIN_PLOT = 240


def wrap(text: str, chars: int) -> list[str]:
    """Words of ``text`` (line breaks already in it ignored) in lines of at most ``chars`` characters."""
    lines: list[str] = []
    for word in str(text or "").replace("<br>", " ").split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def legend_rows(names, width: int) -> int:
    """Rows a horizontal legend of ``names`` takes at ``width`` pixels (symbol, gap, ~0.6 em a letter)."""
    return len(_legend_layout(names, width))


def _legend_layout(names, width: int) -> list[int]:
    """The lines of text in each row of a horizontal legend of ``names`` at ``width`` pixels."""
    rows: list[int] = []
    used = width
    for name in names:
        lines = str(name).split("<br>")
        entry = 46 + max(len(re.sub(r"<[^>]+>", "", line)) for line in lines) * LEGEND_FONT * 0.6
        if used + entry > width:
            rows.append(0)
            used = 0
        rows[-1] = max(rows[-1], len(lines))
        used += entry
    return rows


def legend_height(names, width: int) -> int:
    """Pixels a horizontal legend of ``names`` takes at ``width``: a row, plus 15 per extra line."""
    return sum(LEGEND_ROW + (lines - 1) * 15 for lines in _legend_layout(names, width))


def short_names(names, width: int) -> list[str]:
    """Legend names wrapped so that each entry fits in ``width`` pixels."""
    chars = max(12, int((width - 60) / (LEGEND_FONT * 0.6)))
    return ["<br>".join(wrap(name, chars)) if len(str(name)) > chars else name for name in names]


def _title_text(value) -> str:
    return value.get("text", "") if isinstance(value, dict) else str(value or "")


def fit_to_width(layout: dict, width: int, names=()) -> dict:
    """The layout changes that keep a chart's text readable at ``width`` pixels, stacked so nothing
    overlaps: from the top, the title and subtitle (wrapped to the width), the menus, the plot, the x
    axis's tick labels and title, the sliders, and the legend (``names``: its entries) at the bottom.
    Below ``NARROW_BELOW`` a row of buttons becomes a dropdown, axis titles give way to the
    subtitle, and the x axis gets fewer ticks. Titles that a button or slider step sets are wrapped
    too. The height grows if the plot would be left less than ``MIN_PLOT`` pixels.

    The build computes this once for phones and once for wider screens (``fitted``); the static
    images and the live chart both use the result, so they have the same height.
    """
    narrow = width < NARROW_BELOW
    usable = max(width - 30, 200)
    title_chars, sub_chars = int(usable / (TITLE_SIZE * 0.55)), int(usable / (SUBTITLE_SIZE * 0.52))
    changes: dict = {}

    def wrapped(args):
        """Button or step args with any title they set wrapped to the width; and its line count."""
        lines = 0
        out = []
        for arg in args or []:
            if isinstance(arg, dict) and "title.text" in arg:
                head = wrap(arg["title.text"], title_chars)
                lines = max(lines, len(head))
                arg = {**arg, "title.text": "<br>".join(head)}
            if narrow and isinstance(arg, dict) and arg.get("yaxis.categoryarray"):
                arg = {**arg, "yaxis.categoryarray": [wrap_category(v) for v in arg["yaxis.categoryarray"]]}
            out.append(arg)
        return out, lines

    most_lines = 0
    menus = []
    given = layout.get("margin") or {}
    plot_width = (
        width - (44 if narrow else (given.get("l") or 60)) - (12 if narrow else (given.get("r") or 20))
    )
    label_chars = max(12, int((width - 70) / 7))
    for menu in layout.get("updatemenus") or []:
        menu = dict(menu)
        row = sum(len(str(b.get("label", ""))) * 7 + 22 for b in menu.get("buttons") or [])
        if (narrow or row > plot_width) and menu.get("type") != "dropdown":
            menu.update(type="dropdown", direction="down")
        buttons = []
        for button in menu.get("buttons") or []:
            args, lines = wrapped(button.get("args"))
            most_lines = max(most_lines, lines)
            label = str(button.get("label", ""))
            if narrow and len(label) > label_chars:
                label = "<br>".join(wrap(label, label_chars))
            buttons.append({**button, "args": args, "label": label})
        if buttons == list(menu.get("buttons") or []):
            menu.pop("buttons", None)  # unchanged: apply_fit keeps the chart's own (carried once)
        else:
            menu["buttons"] = buttons
        menus.append(menu)
    if menus:
        changes["updatemenus"] = menus

    title = layout.get("title") or {}
    title = title if isinstance(title, dict) else {"text": title}
    head = wrap(_title_text(title), title_chars)
    sub = wrap(_title_text(title.get("subtitle")), sub_chars)
    head_lines = max(len(head), most_lines)
    top = (20 + head_lines * TITLE_SIZE * 1.3 + len(sub) * SUBTITLE_SIZE * 1.35 + 8) if head else 0
    if menus:  # a dropdown's header is as tall as its longest (wrapped) label
        label_lines = max(
            (b["label"].count("<br>") + 1 for m in menus for b in m.get("buttons", [])), default=1
        )
        # and some charts keep room under their menu (pad.b)
        padding = max(int((m.get("pad") or {}).get("b") or 0) for m in menus)
        top += MENU_ROW + (label_lines - 1) * 16 + padding
    margin = dict(layout.get("margin") or {})
    margin["t"] = int(max(margin.get("t") or 30, top))  # 30: the book's template
    if head:
        changes["title"] = {
            **title,
            "text": "<br>".join(head),
            "yref": "container",
            "yanchor": "top",
            "subtitle": {
                **(title.get("subtitle") or {}),
                "text": "<br>".join(sub),
                "font": {"size": SUBTITLE_SIZE},
            },
        }

    axes = [key for key in layout if re.fullmatch(r"[xy]axis\d*", key)]
    x_title = any(_title_text((layout.get(k) or {}).get("title")) for k in axes if k.startswith("x"))
    if narrow:
        for key in set(axes) | {"xaxis", "yaxis"}:
            axis = dict(layout.get(key) or {})
            if key.startswith("x") and axis.get("type") != "category":
                axis.setdefault("nticks", 5)
                if len(axis.get("tickvals") or ()) > 4:  # ticks the chapter named: every other one
                    axis.update(
                        tickvals=list(axis["tickvals"])[::2],
                        ticktext=list(axis.get("ticktext") or [])[::2] or None,
                    )
            if key.startswith("x") and axis.get("type") == "log" and not axis.get("tickvals"):
                axis["dtick"] = 1  # one label per power of ten
            if axis.get("ticktext"):  # "10 million" reads as "10M" on a phone
                axis["ticktext"] = [compact(t) for t in axis["ticktext"]]
            axis.update(
                title={"text": ""}, tickfont={**(axis.get("tickfont") or {}), "size": 11}, automargin=True
            )
            if axis.get("categoryarray"):
                axis["categoryarray"] = [wrap_category(v) for v in axis["categoryarray"]]
            changes[key] = axis
        # a slider's last label is centred on its end; numbers outside bars keep the room they had
        margin.update(l=44, r=28 if layout.get("sliders") else max(12, min(int(given.get("r") or 12), 48)))
        x_title = False
    below = X_TICKS + (X_TITLE if x_title else 0)

    sliders, offset = [], below
    for slider in layout.get("sliders") or []:
        steps = []
        for step in slider.get("steps") or []:
            args, lines = wrapped(step.get("args"))
            steps.append({**step, "args": args})
        current = dict(slider.get("currentvalue") or {})
        if narrow:
            current.update(font={**(current.get("font") or {}), "size": 11})
            if current.get("prefix"):
                current["prefix"] = "<br>".join(wrap(current["prefix"], int((width - 90) / 6.2))) + " "
        sliders.append(
            {
                **{k: v for k, v in slider.items() if k != "steps"},
                **({} if steps == list(slider.get("steps") or []) else {"steps": steps}),
                "currentvalue": current,
                "x": 0,
                "len": 1,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 0, "b": 0, "l": 0, "r": 0},
                "_offset": offset,
            }
        )
        offset += SLIDER_BLOCK + str(current.get("prefix", "")).count("<br>") * 14
    # plotly shows a legend for two or more named traces unless told otherwise
    shown = layout.get("showlegend")
    legend = bool(names) and (shown is True or (shown is None and len(names) > 1))
    if narrow:
        names = short_names(names, width - 20)
    margin["b"] = int(offset + (legend_height(names, width - 20) if legend else 0) + 8)
    height = int(layout.get("height") or 450)
    height = max(height, int(margin.get("t") or 0) + margin["b"] + MIN_PLOT)
    plot = height - int(margin.get("t") or 0) - margin["b"]
    for slider in sliders:
        slider["y"] = -slider.pop("_offset") / plot
    if sliders:
        changes["sliders"] = sliders
    if legend:
        changes["legend"] = {
            **(layout.get("legend") or {}),
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
            "font": {"size": LEGEND_FONT},
        }
    if head:
        changes["title"]["y"] = 1 - 16 / height
    changes.update(margin=margin, height=height)
    return changes


#: On a phone, category labels longer than this wrap (the same way in the data and in the axis order).
CATEGORY_CHARS = 18
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def wrap_category(label) -> str:
    return "<br>".join(wrap(str(label), CATEGORY_CHARS)) if len(str(label)) > CATEGORY_CHARS else str(label)


def compact(label) -> str:
    """A tick label with its number words shortened: "10 million" -> "10M", "$100 thousand" -> "$100k"."""
    for word, short in ((" thousand", "k"), (" million", "M"), (" billion", "B"), (" trillion", "T")):
        label = str(label).replace(word, short)
    return label


def narrow_trace(trace: dict, width: int) -> dict:
    """What a trace changes on a phone: its legend name wrapped; long category labels wrapped; text
    labels dropped where they would run together (more than eight points, a crowded row of labels,
    long labels beside category rows) or shortened ("GPT-2 355M (published as ...)" -> "GPT-2 355M").
    The hover and the chart's data table keep every label."""
    change: dict = {}
    if trace.get("name"):
        name = short_names([trace["name"]], width)[0]
        if name != trace["name"]:
            change["name"] = name
    mode = trace.get("mode") or ""
    y = trace.get("y")
    rows = (
        isinstance(y, (list, tuple)) and bool(y) and all(isinstance(v, str) and not _DATE.match(v) for v in y)
    )
    if rows and any(
        len(v) > CATEGORY_CHARS for v in y
    ):  # long category labels wrap, leaving the plot its width
        change["y"] = [wrap_category(v) for v in y]
    labels = trace.get("text")
    if "text" in mode and isinstance(labels, (list, tuple)):
        longest = max((len(line) for label in labels for line in str(label).split("<br>")), default=0)
        crowded = mode == "text" and len(labels) * longest * 6.2 > width - 60  # a row of labels over bars
        if rows and any(len(str(label)) > 8 for label in labels):
            crowded = True  # labels beside markers in category rows run into the row names on a phone
        if len(labels) > 8 or crowded:  # emptied, not hidden, so a menu that shows the trace still works
            change["text"] = [""] * len(labels)
        elif any(" (" in str(label) for label in labels):  # "GPT-2 355M (published as ...)" -> "GPT-2 355M"
            change["text"] = [str(label).split(" (")[0] for label in labels]
    return change


def for_phones(fig: go.Figure, phone: go.Figure) -> go.Figure:
    """Give a chart a version of its own for phones: for a chart whose layout depends on its width
    in ways fitting cannot reach (labels laid out in rows for a plot width). The build fits and
    draws ``phone`` on phones and ``fig`` elsewhere; returns ``fig``."""
    version = phone.to_plotly_json()
    fig.layout.meta = {
        **(fig.layout.meta or {}),
        "phone": {"data": version["data"], "layout": version["layout"]},
    }
    return fig


def legend_names(data) -> list[str]:
    """The names a figure's legend shows: one per legend group, for traces that show in it."""
    names, groups = [], set()
    for trace in data:
        trace = trace if isinstance(trace, dict) else trace.to_plotly_json()
        if trace.get("showlegend") is False or trace.get("visible") is False or not trace.get("name"):
            continue  # hidden until a button or slider step shows it: the legend starts without it
        group = trace.get("legendgroup")
        if group and group in groups:
            continue
        groups.add(group)
        names.append(trace["name"])
    return names


def fitted(figure: dict) -> dict:
    """The narrow and the wide layout changes of a figure (a plotly JSON dict), for the build; under
    "traces", what each trace changes on phones (``narrow_trace``); under "phone", the chart's own
    phone version (``for_phones``), which the narrow changes apply to, or None."""
    layout, data = figure.get("layout") or {}, figure.get("data") or []
    phone = (layout.get("meta") or {}).get("phone") if isinstance(layout.get("meta"), dict) else None
    layout = (
        {**layout, "meta": {k: v for k, v in layout["meta"].items() if k != "phone"}} if phone else layout
    )
    narrow_layout, narrow_data = (phone["layout"], phone["data"]) if phone else (layout, data)
    narrow_width = NARROW_WIDTH - 20
    narrow = fit_to_width(narrow_layout, NARROW_WIDTH, legend_names(narrow_data))
    traces = [narrow_trace(t, narrow_width) for t in narrow_data]
    if phone:  # a version laid out for phones keeps its point labels
        traces = [{k: v for k, v in change.items() if k != "text"} for change in traces]
    rows = [len(set(c["y"])) + sum(v.count("<br>") for v in set(c["y"])) for c in traces if "y" in c]
    if rows:  # wrapped bar labels: room for every line, and for the numbers outside the bars
        height = max(narrow["height"], narrow["margin"]["t"] + narrow["margin"]["b"] + max(rows) * 20 + 40)
        narrow["margin"]["r"] = max(narrow["margin"]["r"], 48)
        if "title" in narrow:
            narrow["title"]["y"] = 1 - 16 / height
        narrow["height"] = height
    return {
        "narrow": narrow,
        "wide": fit_to_width(layout, WIDE_WIDTH, legend_names(data)),
        "traces": traces,
        # a phone version replaces the chart's own data and layout on phones, before the changes above
        "phone": {"data": narrow_data, "layout": narrow_layout} if phone else None,
    }


def apply_fit(layout: dict, changes: dict) -> dict:
    """A layout with the changes ``fit_to_width`` gives; menus and sliders are merged one by one,
    since the changes leave out buttons and steps they do not alter. essays-charts.js does the same."""
    out = {**layout, **changes}
    for key in ("updatemenus", "sliders"):
        if key in changes:
            own = layout.get(key) or []
            out[key] = [{**(own[i] if i < len(own) else {}), **part} for i, part in enumerate(changes[key])]
    return out


def with_traces(data: list, changes) -> list:
    """Traces with the changes ``fitted`` gives for narrow screens."""
    return [{**t, **c} for t, c in zip(data, changes or [{}] * len(data))]
