"""What "open" means in the models table, and how the mix of open and closed releases moved.

Chapter: ``chapters/01-open-and-closed.ipynb``. Every function takes a tidy DataFrame with the
columns of ``load("models")`` (``released``, ``modality``, ``access``, ``license``, ``organization``,
``country``) and returns a DataFrame or a plotly Figure; none of them reads files or calls ``.show()``.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go

from essays.charts import ACCESS_COLORS, ACCESS_LABELS, plain

#: The four access categories, from most to least open.
ACCESS_ORDER = ["open_unrestricted", "open_restricted", "api", "unreleased"]

#: Two definitions of "open": which access categories count as open under each.
DEFINITIONS = {
    "any_weights": ("open_unrestricted", "open_restricted"),
    "unrestricted": ("open_unrestricted",),
}
DEFINITION_LABELS = {
    "any_weights": "Weights downloadable, any licence",
    "unrestricted": "Weights downloadable, unrestricted licence only",
}

#: Licence families, from the most permissive to no release at all.
FAMILY_ORDER = ["permissive", "other_unrestricted", "rail", "community", "noncommercial",
                "proprietary", "not_released"]
FAMILY_LABELS = {
    "permissive": "Apache-2.0, MIT or BSD",
    "other_unrestricted": "Other licences allowing commercial use",
    "rail": "Responsible AI licences (OpenRAIL, BigScience RAIL)",
    "community": "Company community licences (Llama, Gemma, Qwen...)",
    "noncommercial": "Non-commercial or research only",
    "proprietary": "Proprietary: API or product only",
    "not_released": "Not released",
}
FAMILY_ACCESS = {"permissive": "open_unrestricted", "other_unrestricted": "open_unrestricted",
                 "rail": "open_restricted", "community": "open_restricted",
                 "noncommercial": "open_restricted", "proprietary": "api", "not_released": "unreleased"}

_PERMISSIVE = re.compile(r"(apache-2\.0|mit|bsd-[23]-clause)")
_NONCOMMERCIAL = ("non-commercial", "noncommercial", "by-nc", "research", "non-production", "on application")


def licence_family(license, access: str) -> str:
    """Place one release's licence on the spectrum; a key of FAMILY_LABELS.

    The access column decides the side (open, API, unreleased); the licence text decides where on
    the open side: OSI-style permissive licences, other licences that allow commercial use,
    responsible-AI (RAIL) licences, company community licences, or non-commercial and research-only terms.
    """
    if access == "unreleased":
        return "not_released"
    if access == "api":
        return "proprietary"
    text = "" if license is None or pd.isna(license) else str(license).strip().lower()
    if access == "open_unrestricted":
        return "permissive" if _PERMISSIVE.fullmatch(text) else "other_unrestricted"
    if access != "open_restricted":
        raise ValueError(f"unknown access category {access!r}; expected one of {ACCESS_ORDER}")
    if "rail" in text:
        return "rail"
    if any(word in text for word in _NONCOMMERCIAL):
        return "noncommercial"
    return "community"


def licence_spectrum(models: pd.DataFrame) -> pd.DataFrame:
    """Releases per licence family: family, label, access, n, and the licences it holds (with counts)."""
    fam = [licence_family(lic, acc) for lic, acc in zip(models["license"], models["access"])]
    frame = models.assign(family=fam)
    rows = []
    for family in FAMILY_ORDER:
        group = frame[frame["family"] == family]
        counts = group["license"].fillna("none").value_counts()
        rows.append({"family": family, "label": FAMILY_LABELS[family], "access": FAMILY_ACCESS[family],
                     "n": len(group),
                     "licences": "; ".join(f"{name} ({k})" for name, k in counts.items())})
    return pd.DataFrame(rows)


def _select(models: pd.DataFrame, modality=None, years=None) -> pd.DataFrame:
    shown = models
    if modality not in (None, "all"):
        shown = shown[shown["modality"] == modality]
    if years is not None:
        first, last = years
        year = shown["released"].dt.year
        shown = shown[(year >= first) & (year <= last)]
    return shown


def _group_key(models: pd.DataFrame, by: str) -> pd.Series:
    if by == "year":
        return models["released"].dt.year.rename("year")
    if by in models.columns:
        return models[by].astype("string").rename(by)
    raise KeyError(f"cannot group by {by!r}: use 'year' or a column of the table")


def access_shares(models: pd.DataFrame, *, by: str = "year", modality: str | None = None,
                  years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Share of releases in each access category per group (tidy: one row per group and category).

    Columns: the group (``year`` or the column named by ``by``), ``access``, ``n`` (releases in that
    category), ``total`` (releases in the group) and ``share`` (n / total, 0-1). Every category appears
    for every group, with n = 0 where there were none. ``modality`` keeps one modality ("all" or None
    keeps every release); ``years`` keeps an inclusive (first, last) range of release years.
    """
    shown = _select(models, modality, years)
    key = _group_key(shown, by)
    name = key.name
    counts = pd.crosstab(key, shown["access"].astype(str)).reindex(columns=ACCESS_ORDER, fill_value=0)
    counts.columns.name = "access"
    tidy = counts.stack().rename("n").reset_index()
    tidy["n"] = tidy["n"].astype(int)
    tidy["total"] = tidy.groupby(name)["n"].transform("sum").astype(int)
    tidy["share"] = tidy["n"] / tidy["total"]
    tidy["access"] = pd.Categorical(tidy["access"], ACCESS_ORDER)
    return tidy.sort_values([name, "access"]).reset_index(drop=True)


def open_share(models: pd.DataFrame, *, by: str = "year", modality: str | None = None,
               definition: str = "any_weights", years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Share of releases that were open under ``definition``, per group.

    Columns: the group, ``n_open``, ``total``, ``share`` (0-1). ``definition`` is "any_weights" (weights
    downloadable under any licence) or "unrestricted" (only licences without use restrictions).
    """
    if definition not in DEFINITIONS:
        raise ValueError(f"unknown definition {definition!r}; use one of {list(DEFINITIONS)}")
    shares = access_shares(models, by=by, modality=modality, years=years)
    name = shares.columns[0]
    shares["n_open"] = shares["n"].where(shares["access"].isin(DEFINITIONS[definition]), 0)
    out = shares.groupby(name, sort=True).agg(n_open=("n_open", "sum"), total=("total", "first"))
    out["share"] = out["n_open"] / out["total"]
    return out.reset_index().astype({"n_open": int, "total": int})


def one_per_family(models: pd.DataFrame) -> pd.DataFrame:
    """Keep the first release of each family per year and access category.

    Open families often publish several sizes on one day (four GPT-2 rows, two LLaMA rows), each a
    row; API products rarely do. Counting families instead of rows checks that this does not drive a share.
    """
    marked = models.assign(_year=models["released"].dt.year,
                           _family=models["family"].fillna(models["model_id"]))  # no family: its own
    keep = ~marked.sort_values("released").duplicated(["_family", "_year", "access"])
    return models.loc[keep[keep].index].sort_index()


def makers(models: pd.DataFrame) -> pd.DataFrame:
    """One row per release and maker: a release by several makers ('A, B' or 'A; B') counts for each."""
    split = models["organization"].astype(str).str.split(r"\s*[;,]\s*(?![^()]*\))", regex=True)
    return models.assign(maker=split).explode("maker").reset_index(drop=True)


def access_by(models: pd.DataFrame, *, column: str = "maker", top: int = 15,
              since: int | None = None) -> pd.DataFrame:
    """Counts of releases per access category for the ``top`` groups with most releases.

    Wide table: one row per group (``column`` is "maker" or "country"), one column per access
    category, plus ``total`` and ``both`` (True when the group has open-weight and API releases).
    Sorted by total, largest first; ties by name.
    """
    frame = makers(models) if column == "maker" else models
    if since is not None:
        frame = frame[frame["released"].dt.year >= since]
    table = pd.crosstab(frame[column].astype(str), frame["access"].astype(str))
    table = table.reindex(columns=ACCESS_ORDER, fill_value=0)
    table["total"] = table.sum(axis=1)
    table["both"] = (table["open_unrestricted"] + table["open_restricted"] > 0) & (table["api"] > 0)
    table.columns.name = None
    table.index.name = column
    table = table.reset_index().sort_values(["total", column], ascending=[False, True])
    return table.head(top).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Charts


def licence_chart(models: pd.DataFrame, *, height: int = 380) -> go.Figure:
    """Horizontal bars: releases per licence family, most open at the top, coloured by access."""
    spec = licence_spectrum(models).iloc[::-1]
    fig = go.Figure(go.Bar(
        y=spec["label"], x=spec["n"], orientation="h",
        marker_color=[ACCESS_COLORS[a] for a in spec["access"]],
        customdata=[[ACCESS_LABELS[a], _wrap(plain(lic))] for a, lic in zip(spec["access"], spec["licences"])],
        hovertemplate="<b>%{y}</b><br>%{x} releases<br>Access: %{customdata[0]}"
                      "<br>%{customdata[1]}<extra></extra>",
        text=spec["n"], textposition="outside", cliponaxis=False,
    ))
    fig.update_layout(height=height, showlegend=False, xaxis_title="Releases in the table",
                      margin=dict(l=20, r=40), yaxis=dict(automargin=True))
    return fig


def _wrap(text: str, width: int = 60) -> str:
    """Break a long '; '-separated list into lines for hover text."""
    lines, line = [], ""
    for part in text.split("; "):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = part
        else:
            line = f"{line}; {part}" if line else part
    return "<br>".join(lines + [line])


def _modalities(models: pd.DataFrame) -> list[str]:
    counts = models["modality"].value_counts()
    return ["all"] + [m for m in counts.index if counts[m] > 0]


def _modality_label(modality: str, models: pd.DataFrame) -> str:
    n = len(models) if modality == "all" else int((models["modality"] == modality).sum())
    name = "All" if modality == "all" else modality.capitalize()
    return f"{name} ({n})"


def _menu(buttons: list[dict], *, dropdown: bool = False) -> dict:
    """One row of buttons (or a dropdown) above the plot, left-aligned."""
    return dict(type="dropdown" if dropdown else "buttons", direction="down" if dropdown else "right",
                buttons=buttons, x=0, y=1.03, xanchor="left", yanchor="bottom", showactive=True,
                pad=dict(r=4, t=0, b=4), font=dict(size=12), bgcolor="white")


#: Legend below the x axis, so that it never collides with the buttons above the plot.
LEGEND_BELOW = dict(orientation="h", x=0, y=-0.18, yanchor="top")


def access_share_chart(models: pd.DataFrame, *, height: int = 460) -> go.Figure:
    """Stacked 100% bars: each year's releases split by access, with buttons that pick a modality.

    Every modality's bars are precomputed as their own traces; the buttons only change which are
    visible, so the chart works on a static page. The number of releases behind each bar is written
    above it, because early years hold only a handful.
    """
    modalities = _modalities(models)
    years = list(range(int(models["released"].dt.year.min()), int(models["released"].dt.year.max()) + 1))
    fig = go.Figure()
    annotations = {}
    for i, modality in enumerate(modalities):
        shares = access_shares(models, modality=modality)
        for access in ACCESS_ORDER:
            part = shares[shares["access"] == access].set_index("year").reindex(years)
            fig.add_trace(go.Bar(
                x=years, y=(part["share"] * 100).round(1), name=ACCESS_LABELS[access],
                marker_color=ACCESS_COLORS[access], legendgroup=access, showlegend=(i == 0),
                visible=(i == 0), customdata=part[["n", "total"]].fillna(0).astype(int).values,
                hovertemplate=f"{ACCESS_LABELS[access]}<br>%{{x}}: %{{y:.0f}}%"
                              "<br>%{customdata[0]} of %{customdata[1]} releases<extra></extra>",
            ))
        totals = shares.groupby("year")["total"].first()
        annotations[modality] = [dict(x=year, y=100, text=f"n={totals[year]}", showarrow=False,
                                      yanchor="bottom", font=dict(size=11, color="#555"))
                                 for year in totals.index]
    per = len(ACCESS_ORDER)
    buttons = []
    for i, modality in enumerate(modalities):
        visible = [j // per == i for j in range(len(modalities) * per)]
        showlegend = [j // per == i for j in range(len(modalities) * per)]
        buttons.append(dict(label=_modality_label(modality, models), method="update",
                            args=[{"visible": visible, "showlegend": showlegend},
                                  {"annotations": annotations[modality]}]))
    fig.update_layout(
        barmode="stack", height=height, annotations=annotations[modalities[0]],
        yaxis=dict(title="Share of the year's releases (%)", range=[0, 108], ticksuffix="%"),
        xaxis=dict(title="Year of first public availability", dtick=1),
        legend={**LEGEND_BELOW, "traceorder": "normal"}, margin=dict(t=50, b=40),
        updatemenus=[_menu(buttons, dropdown=True)],
    )
    return fig


SHARE_LINE_STYLES = {"all": dict(color="#000000", width=3), "text": dict(color="#0072B2", width=2),
                     "image": dict(color="#CC79A7", width=2), "multimodal": dict(color="#E69F00", width=2),
                     "code": dict(color="#999999", width=2, dash="dot"),
                     "audio": dict(color="#999999", width=2, dash="dash"),
                     "video": dict(color="#999999", width=2, dash="dashdot")}


def open_share_chart(models: pd.DataFrame, *, shown=("all", "text", "image", "multimodal"),
                     height: int = 440) -> go.Figure:
    """Lines: share of each year's releases that were open, per modality, with a button per definition.

    Both definitions are precomputed (one set of lines each); the buttons switch between them.
    Modalities not in ``shown`` start hidden (click the legend to show them). Marker size grows
    with the number of releases behind each point.
    """
    modalities = _modalities(models)
    fig = go.Figure()
    for d, definition in enumerate(DEFINITIONS):
        for modality in modalities:
            share = open_share(models, modality=modality, definition=definition)
            fig.add_trace(go.Scatter(
                x=share["year"], y=(share["share"] * 100).round(1), mode="lines+markers",
                name=_modality_label(modality, models), legendgroup=modality, showlegend=(d == 0),
                visible=(True if modality in shown else "legendonly") if d == 0 else False,
                line=SHARE_LINE_STYLES.get(modality, dict(width=2)),
                marker=dict(size=[5 + min(int(t), 40) / 3 for t in share["total"]]),
                customdata=share[["n_open", "total"]].astype(int).values,
                hovertemplate=f"{_modality_label(modality, models)}<br>%{{x}}: %{{y:.0f}}% open"
                              "<br>%{customdata[0]} of %{customdata[1]} releases<extra></extra>",
            ))
    n = len(modalities)
    buttons = []
    for d, definition in enumerate(DEFINITIONS):
        visible = [(True if m in shown else "legendonly") if k == d else False
                   for k in range(len(DEFINITIONS)) for m in modalities]
        showlegend = [k == d for k in range(len(DEFINITIONS)) for _ in range(n)]
        buttons.append(dict(label=DEFINITION_LABELS[definition], method="update",
                            args=[{"visible": visible, "showlegend": showlegend}]))
    fig.update_layout(
        height=height, hovermode="closest", margin=dict(t=50, b=40),
        yaxis=dict(title="Open releases, share of the year (%)", range=[-3, 103], ticksuffix="%"),
        xaxis=dict(title="Year of first public availability", dtick=1),
        legend=LEGEND_BELOW, updatemenus=[_menu(buttons)],
    )
    return fig


def staged_release_chart(models: pd.DataFrame, *, height: int = 380) -> go.Figure:
    """``charts.timeline`` of a few releases on a linear size axis, each marker labelled with its name."""
    from essays.charts import timeline

    fig = timeline(models, log_y=False, height=height)
    for trace in fig.data:
        shown = models.dropna(subset=["parameters"]).sort_values("released")
        shown = shown[[ACCESS_LABELS.get(a, a) == trace.name for a in shown["access"]]]
        trace.update(mode="markers+text", text=[plain(n) for n in shown["name"]],
                     textposition="top center", textfont=dict(size=12), cliponaxis=False)
    top = float(models["parameters"].max())
    fig.update_layout(showlegend=False, yaxis=dict(range=[0, top * 1.15]),
                      xaxis=dict(range=[models["released"].min() - pd.Timedelta(days=60),
                                        models["released"].max() + pd.Timedelta(days=60)]))
    return fig


def access_by_chart(models: pd.DataFrame, *, top: int = 15, since: int | None = None,
                    height: int = 520) -> go.Figure:
    """Stacked horizontal bars of releases by access for the most active makers, with a button for countries.

    Both views are precomputed; each button shows its traces and sets the category axis to its own
    list, so only that view's names appear.
    """
    views = {"maker": access_by(models, column="maker", top=top, since=since),
             "country": access_by(models, column="country", top=top, since=since)}
    fig = go.Figure()
    layouts = {}
    for v, (column, table) in enumerate(views.items()):
        table = table.iloc[::-1]
        for access in ACCESS_ORDER:
            fig.add_trace(go.Bar(
                y=[plain(x) for x in table[column]], x=table[access], orientation="h",
                name=ACCESS_LABELS[access], marker_color=ACCESS_COLORS[access], legendgroup=access,
                showlegend=(v == 0), visible=(v == 0), customdata=table["total"],
                hovertemplate=f"%{{y}}<br>{ACCESS_LABELS[access]}: %{{x}} of %{{customdata}}<extra></extra>",
            ))
        layouts[column] = {"yaxis.categoryarray": [plain(x) for x in table[column]],
                           "yaxis.categoryorder": "array"}
    per = len(ACCESS_ORDER)
    buttons = []
    for v, (column, label) in enumerate((("maker", "Organizations"), ("country", "Countries"))):
        flags = [j // per == v for j in range(2 * per)]
        buttons.append(dict(label=label, method="update",
                            args=[{"visible": flags, "showlegend": flags}, layouts[column]]))
    fig.update_layout(
        barmode="stack", height=height, xaxis_title="Releases in the table",
        yaxis=dict(automargin=True, categoryorder="array", categoryarray=layouts["maker"]["yaxis.categoryarray"]),
        legend={**LEGEND_BELOW, "y": -0.12}, margin=dict(t=50, b=40, l=20),
        updatemenus=[_menu(buttons)],
    )
    return fig


# ---------------------------------------------------------------------------------------------
# What was published beside the weights

_SOURCE_ID = re.compile(r"[a-z0-9](?:[a-z0-9._\-]*[a-z0-9])?")


def further_sources(note, known) -> list[str]:
    """Source ids named in a note ('Further sources: a, b.'), in order, keeping only ids in ``known``."""
    if note is None or pd.isna(note):
        return []
    known = set(known)
    return list(dict.fromkeys(t for t in _SOURCE_ID.findall(str(note)) if t in known))


def components(releases: pd.DataFrame, models: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """What was published beside the weights: ``load("release_components")`` joined with the models
    table (name, date, access) and every source of each row (its source_id, then the ids its note names).

    Raises KeyError naming any model_id or source_id that the tables do not hold.
    """
    by_model = models.set_index("model_id")
    by_source = sources.set_index("source_id")
    missing = [m for m in releases["model_id"] if m not in by_model.index]
    missing += [s for s in releases["source_id"] if s not in by_source.index]
    if missing:
        raise KeyError(f"not in the models or sources table: {missing}")
    rows = []
    for case in releases.itertuples():
        model = by_model.loc[case.model_id]
        cited = [case.source_id] + [s for s in further_sources(case.note, by_source.index) if s != case.source_id]
        rows.append({
            "model_id": case.model_id, "name": model["name"], "released": model["released"],
            "access": model["access"], "weights": case.weights, "code": case.training_code,
            "data": case.training_data,
            "sources": [(by_source.loc[s, "title"], by_source.loc[s, "url"]) for s in cited],
        })
    return pd.DataFrame(rows)


def components_table(frame: pd.DataFrame):
    """An HTML table of ``components()``: every value escaped, each source a link."""
    from IPython.display import HTML

    head = "".join(f"<th>{h}</th>" for h in ("Release", "Weights", "Training code", "Training data", "Sources"))
    rows = []
    for r in frame.itertuples():
        links = "<br>".join(f'<a href="{html.escape(url)}">{html.escape(title)}</a>' for title, url in r.sources)
        cells = [f"{html.escape(r.name)} ({r.released:%b %Y})", html.escape(r.weights), html.escape(r.code),
                 html.escape(r.data), links]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return HTML(f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


# ---------------------------------------------------------------------------------------------
# For learners


def share_table_html(share: pd.DataFrame) -> str:
    """An HTML table of ``open_share`` output, with a bar drawn in CSS for each year's share."""
    color = ACCESS_COLORS["open_unrestricted"]
    rows = "".join(
        f"<tr><td>{r.year}</td><td>{r.n_open}</td><td>{r.total}</td><td>{r.share:.0%}</td>"
        f'<td style="width:220px"><div style="background:{color};height:12px;width:{r.share * 100:.0f}%">'
        "</div></td></tr>"
        for r in share.itertuples())
    n_open, total = int(share["n_open"].sum()), int(share["total"].sum())
    summary = (f"<p>Together: {n_open} of {total} releases open ({n_open / total:.0%}).</p>" if total
               else "<p>No releases match.</p>")
    return ('<table class="table"><thead><tr><th>Year</th><th>Open</th><th>Releases</th><th>Share</th>'
            f"<th></th></tr></thead><tbody>{rows}</tbody></table>{summary}")


def share_explorer(models: pd.DataFrame):
    """ipywidgets controls (modality, year range, definition of open) over ``open_share``.

    The result is written into an HTML widget rather than printed, so running the cell produces no
    output besides the widget itself, and the stored notebook stays the same from run to run.
    """
    import ipywidgets as widgets

    first, last = int(models["released"].dt.year.min()), int(models["released"].dt.year.max())
    modality = widgets.Dropdown(options=[(_modality_label(m, models), m) for m in _modalities(models)],
                                value="all", description="Modality")
    years = widgets.IntRangeSlider(value=(first, last), min=first, max=last, description="Years")
    definition = widgets.ToggleButtons(options=[(label, key) for key, label in DEFINITION_LABELS.items()],
                                       value="any_weights", description="Open means")
    result = widgets.HTML()

    def refresh(_change=None):
        share = open_share(models, modality=modality.value, definition=definition.value, years=years.value)
        result.value = share_table_html(share)

    for control in (modality, years, definition):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([modality, years, definition, result])


def source_links(sources: pd.DataFrame, ids: list[str]):
    """A Markdown list of the named sources (title as a link, then publisher), in the order given."""
    from IPython.display import Markdown

    by_id = sources.set_index("source_id")
    missing = [i for i in ids if i not in by_id.index]
    if missing:
        raise KeyError(f"not in the sources table: {missing}")

    def safe(text):
        return re.sub(r"([\[\]\\`*_<>])", r"\\\1", str(text))

    return Markdown("\n".join(f"- [{safe(by_id.loc[i, 'title'])}]({by_id.loc[i, 'url']}), "
                              f"{safe(by_id.loc[i, 'publisher'])}." for i in ids))
