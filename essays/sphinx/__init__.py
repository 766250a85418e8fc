"""The build side: how notebook outputs become HTML in the static book.

No chapter and no concept module imports this subpackage; ``import essays`` never loads Sphinx or
docutils (a test checks). Two pieces, both registered in pyproject.toml:

* ``MimeRenderer`` is a myst-nb mime renderer plugin (entry point ``myst_nb.mime_renderers``).
  plotly >= 6 emits only ``application/vnd.plotly.v1+json``, which myst-nb would drop. We render
  it as a ``<div>`` plus the figure JSON in a ``<script type="application/json">``, with an id that
  depends only on the page and the cell, and ask for ``essays-charts.js`` on that page only; it
  loads plotly.js when a chart comes near the viewport. A widget
  view (ipywidgets) cannot run without a kernel, so it becomes a note with a link to launch the
  chapter, never an empty box.
* ``setup`` is a Sphinx extension (listed in ``_config.yml``): it copies one versioned copy of
  plotly.js from the installed plotly package, and the small script that draws the charts, into
  ``_static``. Nothing is loaded from a CDN. It also lightens every page: two template overrides in
  ``templates/`` (no fontawesome.js; the theme's search scripts only on the search page), head
  scripts deferred, and sphinx-thebe's files dropped while live code is off. After the build,
  ``assets.py`` gives the site one small stylesheet and icon fonts cut to the icons it shows.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import warnings
from pathlib import Path

from docutils import nodes

from essays.sphinx import assets

PLOTLY_MIME = "application/vnd.plotly.v1+json"
CLAIM_MIME = "application/vnd.essays.claim+json"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"

# Chart config applied on the static page: no plotly logo, no link to plotly's cloud.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showLink": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


BASIC_BUNDLE = Path(__file__).resolve().parents[2] / "node_modules" / "plotly.js-basic-dist-min"


def _basic_bundle() -> Path | None:
    """plotly.js's basic bundle from npm (scatter, bar, pie: 1.2 MB instead of 4.8 MB), when it is
    installed (`npm ci`) and is the very version the plotly Python package was built against."""
    from plotly.offline import get_plotlyjs_version

    meta = BASIC_BUNDLE / "package.json"
    if meta.exists() and json.loads(meta.read_text())["version"] == get_plotlyjs_version():
        return BASIC_BUNDLE / "plotly-basic.min.js"
    return None


def plotly_js_path() -> Path:
    """The plotly.js the site serves: the basic bundle if installed, else the full plotly.min.js
    that the installed plotly package ships (its Python renderers use it too)."""
    import plotly

    return _basic_bundle() or Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_js_name() -> str:
    """File name under _static, versioned so a new plotly.js never meets a stale browser cache."""
    from plotly.offline import get_plotlyjs_version

    kind = "plotly-basic" if _basic_bundle() else "plotly"
    return f"{kind}-{get_plotlyjs_version()}.min.js"


def figure_options(cell_metadata: dict) -> dict:
    """The chart's label, caption and text alternative, kept in the cell's ``mystnb.figure`` metadata."""
    return dict((cell_metadata or {}).get("mystnb", {}).get("figure", {}) or {})


def chart_id(source: str, cell_index, output_index) -> str:
    """A stable element id: the same page and cell give the same id on every build."""
    digest = hashlib.sha1(f"{source}:{cell_index}:{output_index}".encode()).hexdigest()[:10]
    return f"chart-{digest}"


def script_json(obj) -> str:
    """JSON safe to put inside <script>: no '</' or '<!--' can close or confuse the tag."""
    text = json.dumps(obj, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _values(array) -> list:
    """A trace's data array as a list; plotly 6+ encodes numeric arrays as base64 typed arrays."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    if array is None:
        return []
    return list(array) if isinstance(array, (list, tuple)) else [array]


def _plain_text(value) -> str:
    """Hover text without its markup: <br> becomes '; ', tags go, entities are decoded."""
    text = re.sub(r"<br\s*/?>", "; ", str(value))
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def figure_rows(figure: dict) -> list[dict]:
    """Exactly the points the figure plots, one row per point: series, x, y and its hover text.

    Traces hidden until a button shows them are included (their 'shown' is 'no'), so the table
    holds every variant the reader can switch to.
    """
    rows = []
    for index, trace in enumerate(figure.get("data", [])):
        xs, ys = _values(trace.get("x")), _values(trace.get("y"))
        labels = _values(trace.get("hovertext") or trace.get("text"))
        name = _plain_text(trace.get("name") or f"series {index + 1}")
        shown = "no" if trace.get("visible") is False else "yes"
        xs = [re.sub(r"T00:00:00(\.0+)?$", "", x) if isinstance(x, str) else x for x in xs]
        for i in range(max(len(xs), len(ys))):
            rows.append(
                {
                    "series": name,
                    "x": xs[i] if i < len(xs) else "",
                    "y": ys[i] if i < len(ys) else "",
                    "label": _plain_text(labels[i]) if i < len(labels) else "",
                    "shown": shown,
                }
            )
    return rows


def rows_csv(rows: list[dict]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["series", "x", "y", "label", "shown"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def rows_table(rows: list[dict], axis_titles: tuple[str, str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ("Series", *axis_titles, "Label"))
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(r[k]))}</td>" for k in ("series", "x", "y", "label"))
        + "</tr>"
        for r in rows
    )
    return f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _axis_title(layout: dict, axis: str, default: str) -> str:
    title = (layout.get(axis) or {}).get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return _plain_text(text) if text else default


#: Widths of the two static images of a chart, in CSS pixels: one for phones (chart boxes of 272 to
#: 599 px), one for wider screens (600 to 820 px). Each is drawn with the layout essays.charts.fitted
#: gives for that kind of screen, and the live chart uses the same layout, so neither moves the page.
STATIC_WIDTHS = {"narrow": 340, "wide": 680}
#: The viewports whose chart box is under essays.charts.NARROW_BELOW (the page keeps 48 px of
#: padding below 960 px); CSS, the <picture> and essays-charts.js all use this one query.
NARROW_MEDIA = "(max-width: 647px)"


class StaticCharts:
    """Vector images of the charts, drawn at build time by kaleido with Debian's chromium, so that every
    chart shows as soon as the page paints, with scripts off and in print. Images are cached by the
    figure's content in ``_build/.chart_svg``, so a rebuild draws only changed charts. Without a
    browser (kaleido cannot start) the book still builds and the page waits for the live chart."""

    def __init__(self, cache: Path):
        self.cache, self.started, self.failed = cache, False, False

    def svg(self, figure: dict, variant: str, fits: dict) -> bytes | None:
        """The image of ``figure`` with its ``variant`` ("narrow" or "wide") layout from ``fits``
        (``essays.charts.fitted``)."""
        from essays.charts import apply_fit, with_traces

        width = STATIC_WIDTHS[variant]
        base = (fits["phone"] if variant == "narrow" else None) or without_phone(figure)
        layout = apply_fit(base.get("layout", {}), fits[variant])
        data = base.get("data", [])
        data = with_traces(data, fits["traces"]) if variant == "narrow" else data
        payload = json.dumps({"data": data, "layout": layout}, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(f"{width}:{payload}".encode()).hexdigest()[:20]
        cached = self.cache / f"{digest}.svg"
        if cached.exists():
            return cached.read_bytes()
        if self.failed:
            return None
        try:
            import kaleido
            import plotly.io as pio

            if not self.started:
                kaleido.start_sync_server(silence_warnings=True)
                self.started = True
            with warnings.catch_warnings():  # plotly warns that kaleido's server ignores its options
                warnings.simplefilter("ignore", UserWarning)
                image = pio.to_image(
                    {"data": data, "layout": layout},
                    format="svg",
                    width=width,
                    height=int(layout["height"]),
                )
        except Exception as error:  # no chromium, or kaleido could not start it
            from sphinx.util import logging

            logging.getLogger(__name__).info(f"essays.sphinx: no static chart images ({error!r})")
            self.failed = True
            return None
        self.cache.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(image)
        return image

    def stop(self, app, exception):
        if self.started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            self.started = False


def without_phone(figure: dict) -> dict:
    """The figure without the phone version charts.for_phones keeps in its layout (the build passes
    that version on once, in the fitted layouts)."""
    layout = dict(figure.get("layout") or {})
    meta = layout.get("meta")
    if isinstance(meta, dict) and "phone" in meta:
        layout["meta"] = {k: v for k, v in meta.items() if k != "phone"}
    return {**figure, "layout": layout}


def chart_payload(figure: dict) -> dict:
    """What essays-charts.js draws a chart from: its data, layout, both fitted layouts and config."""
    from essays.charts import fitted

    config = {**figure.get("config", {}), **PLOTLY_CONFIG}
    config.pop("plotlyServerURL", None)
    return {
        "data": figure.get("data", []),
        "layout": without_phone(figure)["layout"],
        "fitted": fitted(figure),
        "frames": figure.get("frames", []),
        "config": config,
    }


def chart_script(element_id: str, payload: dict) -> str:
    """The file that carries a chart's figure, loaded only when the chart is drawn: a script (not
    JSON), so a copy of the site opened from disk draws its charts too."""
    body = json.dumps(payload, separators=(",", ":"))
    return f"window.essaysCharts=window.essaysCharts||{{}};window.essaysCharts[{json.dumps(element_id)}]={body};\n"


def plotly_html(
    figure: dict,
    element_id: str,
    alt: str,
    data_href: str | None = None,
    images: dict | None = None,
    figure_href: str | None = None,
    payload: dict | None = None,
) -> str:
    """The chart's box: its static images (``images``: href of the "narrow" and "wide" one), the
    figure with both fitted layouts for essays-charts.js (in the page, or at ``figure_href``, a
    file ``chart_script`` wrote, so the page itself stays small), its data table and CSV link.
    ``payload`` is ``chart_payload(figure)`` if the caller already has it."""
    payload = payload or chart_payload(figure)
    layouts = payload["fitted"]
    layout = figure.get("layout", {})
    heights = {variant: int(layouts[variant]["height"]) for variant in STATIC_WIDTHS}
    rows = figure_rows(figure)
    titles = (_axis_title(layout, "xaxis", "x"), _axis_title(layout, "yaxis", "y"))
    download = (
        (
            f' <a class="essays-chart-download" href="{html.escape(data_href)}" download>'
            "Download the data behind this chart (CSV)</a>"
        )
        if data_href
        else ""
    )
    # The static image has an empty alt: the figure's own label already describes it. The browser
    # fetches only the image its screen needs.
    static = (
        f'<picture class="essays-static"><source media="{NARROW_MEDIA}" srcset="{html.escape(images["narrow"])}"'
        f' width="{STATIC_WIDTHS["narrow"]}" height="{heights["narrow"]}">'
        f'<img class="essays-static" src="{html.escape(images["wide"])}" alt=""'
        f' width="{STATIC_WIDTHS["wide"]}" height="{heights["wide"]}" decoding="async"></picture>'
        if images
        else ""
    )
    source = f' data-src="{html.escape(figure_href)}"' if figure_href else ""
    inline = (
        ""
        if figure_href
        else f'<script type="application/json" class="essays-plotly-data" data-target="{element_id}">'
        f"{script_json(payload)}</script>"
    )
    return (
        f'<div class="essays-chart">'
        f'<div id="{element_id}" class="essays-plotly" role="figure" aria-label="{html.escape(alt)}"'
        f' data-narrow="{NARROW_MEDIA}"{source}'
        f' style="--essays-h:{heights["wide"]}px;--essays-h-narrow:{heights["narrow"]}px">{static}</div>'
        f"{inline}"
        f'<details class="essays-chart-data"><summary>Data table ({len(rows)} points)</summary>'
        f"{rows_table(rows, titles)}</details>{download}</div>"
    )


def launch_url(config, docname: str) -> str | None:
    """Binder link that opens this page's notebook in JupyterLab, from the theme's repository settings."""
    options = getattr(config, "html_theme_options", {}) or {}
    repo = options.get("repository_url", "").rstrip("/")
    hub = (options.get("launch_buttons", {}) or {}).get("binderhub_url", "").rstrip("/")
    if not repo.startswith("https://github.com/") or not hub:
        return None
    branch = options.get("repository_branch", "main")
    path = options.get("path_to_book", "").strip("/")
    notebook = f"{path}/{docname}.ipynb" if path else f"{docname}.ipynb"
    owner_repo = repo.removeprefix("https://github.com/")
    return f"{hub}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{notebook}"


def widget_note(url: str | None) -> str:
    link = (
        (f' <a class="essays-launch" href="{html.escape(url)}">Launch this chapter in Binder</a> to use it.')
        if url
        else " Run this chapter in JupyterLab to use it."
    )
    return (
        '<div class="admonition note essays-live-only"><p class="admonition-title">Live control</p>'
        "<p>This control needs a running Python kernel, which a static page does not have."
        f"{link} The charts on this page already show the same results for the book's assumptions.</p></div>"
    )


class MimeRenderer:
    """myst-nb plugin: plotly figures and widget views for HTML builders."""

    # Lower numbers win: the plotly JSON beats the widget view (10) and text/html (30).
    # A checked claim (essays.claims) leaves a record in the notebook for `make claims`; the page shows nothing.
    mime_priority_overrides = [
        (builder, mime, priority)
        for builder in ("html", "dirhtml", "singlehtml")
        for mime, priority in ((PLOTLY_MIME, 5), (CLAIM_MIME, 4))
    ]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type not in (PLOTLY_MIME, WIDGET_VIEW_MIME, CLAIM_MIME):
            return None
        if data.mime_type == CLAIM_MIME:
            return []
        doc = renderer.renderer.document
        env = getattr(renderer.renderer, "sphinx_env", None)
        if data.mime_type == WIDGET_VIEW_MIME:
            url = launch_url(env.config, env.docname) if env is not None else None
            return [nodes.raw("", widget_note(url), format="html")]
        figure = data.content if isinstance(data.content, dict) else json.loads(data.string)
        options = figure_options(data.cell_metadata)
        alt = options.get("alt") or figure.get("layout", {}).get("meta", {}).get("alt") or "Interactive chart"
        page = env.docname if env is not None else doc.get("source", "")
        element_id = chart_id(page, data.cell_index, data.output_index)
        href = images = figure_href = None
        payload = chart_payload(figure)  # both fitted layouts, computed once for the page, file and images
        if env is not None and getattr(env.app.builder, "format", "") == "html":
            # singlehtml (the PDF edition) puts every page into the root document's file.
            where = env.config.root_doc if env.app.builder.name == "singlehtml" else page
            up = "../" * where.count("/")
            name = options.get("name") or element_id
            target = Path(env.app.outdir) / "chart-data" / f"{name}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(rows_csv(figure_rows(figure)), encoding="utf-8")
            href = up + f"chart-data/{name}.csv"
            script = Path(env.app.outdir) / "chart-figures" / f"{name}.js"
            script.parent.mkdir(parents=True, exist_ok=True)
            script.write_text(chart_script(element_id, payload), encoding="utf-8")
            figure_href = up + f"chart-figures/{name}.js"
            drawn = {
                variant: STATIC_CHARTS.svg(figure, variant, payload["fitted"]) for variant in STATIC_WIDTHS
            }
            if all(image is not None for image in drawn.values()):
                images = {}
                for variant, image in drawn.items():
                    svg = Path(env.app.outdir) / "chart-images" / f"{name}-{variant}.svg"
                    svg.parent.mkdir(parents=True, exist_ok=True)
                    svg.write_bytes(image)
                    images[variant] = up + f"chart-images/{name}-{variant}.svg"
        # essays-charts.js loads plotly.js itself, when the reader first scrolls or reaches for a chart.
        renderer.add_js_file(
            "essays-charts", "essays-charts.js", {"defer": "defer", "data-plotly": plotly_js_name()}
        )
        return [
            nodes.raw(
                "", plotly_html(figure, element_id, alt, href, images, figure_href, payload), format="html"
            )
        ]


def _copy_plotly_js(app, exception):
    """Put one copy of plotly.js in _static (our own script and CSS come through html_static_path)."""
    if exception or app.builder is None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    source, target = plotly_js_path(), static / plotly_js_name()
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        target.write_bytes(source.read_bytes())


def _label_empty_table_headers(app, doctree, docname):
    """pandas draws a DataFrame's index corner as an empty header cell, which screen readers announce
    as nothing (axe: empty-table-header). Give each empty header of a data table a label that only
    assistive technology reads."""
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if 'class="dataframe' not in text or "<th></th>" not in text:
            continue
        node.parent.replace(
            node,
            nodes.raw(
                "",
                text.replace("<th></th>", '<th><span class="visually-hidden">row label</span></th>'),
                format="html",
            ),
        )


def _executed_downloads(app, exception):
    """The download menu offers each chapter as the notebook the build executed (the theme copies
    ``_build/jupyter_execute/<page>.ipynb`` to ``_sources``). When a chapter came from the
    execution cache, myst-nb writes that notebook without outputs; put the cached outputs back."""
    if exception or app.builder is None or app.builder.format != "html":
        return
    import nbformat

    # Jupyter Book keeps the cache beside the site (_build/.jupyter_cache) unless _config.yml says otherwise.
    cache_path = getattr(app.config, "nb_execution_cache_path", "") or str(
        Path(app.outdir).parent / ".jupyter_cache"
    )
    sources = Path(app.outdir) / "_sources"
    if not Path(cache_path).exists() or not sources.exists():
        return
    from jupyter_cache import get_cache

    cache = get_cache(cache_path)
    for path in sources.rglob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        if not code or any(c.get("outputs") for c in code):
            continue
        try:
            _, merged = cache.merge_match_into_notebook(notebook)
        except KeyError:
            continue
        nbformat.write(merged, path)


def _thebe_enabled(app) -> bool:
    options = getattr(app.config, "html_theme_options", {}) or {}
    return bool((options.get("launch_buttons") or {}).get("thebe"))


def _drop_thebe_config(app, doctree, docname):
    """With live code off, drop the thebe settings sphinx-thebe appends to every page anyway (they
    name a placeholder repository, binder-examples/jupyter-stacks-datascience)."""
    if _thebe_enabled(app):
        return
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "x-thebe-config" in text or text.startswith("<script>kernelName"):
            node.parent.remove(node)


def _deferred(script):
    """The same script with ``defer``: a new object of the script's own class (Sphinx's public
    ``add_js_file`` makes these objects; their class is not public API, so it is never imported)."""
    return type(script)(script.filename, priority=script.priority, **{**script.attributes, "defer": "defer"})


PDF_NAME = "open-closed-ai.pdf"


def _pdf_download(app, pagename, templatename, context, doctree):
    """The download menu's .pdf entry: the book's PDF edition (`make pdf` puts it at the site's root),
    instead of the theme's print-this-page button."""
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if isinstance(group, dict) else []:
            if button.get("label") == "download-pdf-button":
                button.clear()
                button.update(
                    type="link",
                    url=context["pathto"](PDF_NAME, 1),
                    text=".pdf",
                    tooltip="The whole book as a PDF",
                    icon="fas fa-file-pdf",
                    label="download-pdf-button",
                )


def _tidy_scripts(app, pagename, templatename, context, doctree):
    """Keep one copy of each inline script, and defer the scripts that would block the first paint.

    sphinx-thebe (always loaded by Jupyter Book) registers its ``const THEBE_JS_URL = ...`` line
    twice (once with filename None, once with ""), and the second copy throws "Identifier
    'THEBE_JS_URL' has already been declared" on every page; sphinx-togglebutton's line repeats too.
    """
    seen, kept = set(), []
    if not _thebe_enabled(app):
        # Jupyter Book always loads sphinx-thebe; with live code off (_config.yml) its files are
        # dead weight on every page, and its inline line names a CDN.
        context["css_files"][:] = [c for c in context.get("css_files", []) if "thebe" not in str(c.filename)]
    for script in context.get("script_files", []):
        if (
            not _thebe_enabled(app)
            and "thebe" in f"{script.filename or ''} {script.attributes.get('body', '')}".lower()
        ):
            continue
        # Sphinx stores an inline script's filename as None or "" depending on who added it.
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    # Scripts that Sphinx and the extensions put in <head> block the first paint. Deferred, they
    # still run in order and before DOMContentLoaded. documentation_options.js stays as it is:
    # inline lines after it (DOCUMENTATION_OPTIONS.pagename = ...) need it at once, and so does
    # the search page's own inline script, which calls doctools' _ready at once. The script
    # objects are shared by every page, so a deferred one is a new object, never an edited one.
    if pagename != "search":
        kept = [
            _deferred(script)
            if script.filename
            and not {"async", "defer"} & set(script.attributes)
            and "documentation_options" not in script.filename
            else script
            for script in kept
        ]
    context["script_files"][:] = kept  # in place: later handlers append to this same list


def _add_static_path(app):
    app.config.html_static_path.append(str(STATIC))


def _add_templates(app, config):
    """Our template overrides come first: templates/static/webpack-macros.html drops fontawesome.js,
    templates/layout.html keeps the theme's search scripts to the search page."""
    config.templates_path.insert(0, str(TEMPLATES))


def _no_ad_slot(app, config):
    """The theme's default end of the left sidebar is an empty slot for Read the Docs' ads, which
    its script later collapses, moving the page (a layout shift). This book shows no ads."""
    config.html_theme_options.setdefault("primary_sidebar_end", [])


STATIC_CHARTS = StaticCharts(Path("_build") / ".chart_svg")


def setup(app):
    STATIC_CHARTS.cache = Path(app.srcdir) / "_build" / ".chart_svg"
    app.connect("build-finished", STATIC_CHARTS.stop)
    app.connect("config-inited", _write_bibliography)
    app.connect("config-inited", _write_dataset_zip)
    app.connect("config-inited", _add_templates)
    app.connect("config-inited", _no_ad_slot)
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("essays.css")
    app.add_js_file("essays-a11y.js", defer="defer")
    app.connect("build-finished", _copy_plotly_js)
    app.connect("build-finished", _executed_downloads)
    app.connect("build-finished", assets.slim_site, priority=900)  # after every file is written
    app.connect("html-page-context", _tidy_scripts, priority=100)
    app.connect("html-page-context", _pdf_download, priority=600)  # after the theme adds its buttons
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)  # after sphinx-thebe's (500)
    app.connect("doctree-resolved", _label_empty_table_headers)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", str(text))


def sources_bibtex(directory: Path | None = None) -> str:
    """data/sources.csv as BibTeX, so chapters can cite a source by its id: {cite}`openai-2020-api`."""
    import csv

    from essays.data import data_dir

    path = (directory or data_dir()) / "sources.csv"
    entries = []
    for row in csv.DictReader(path.open(encoding="utf-8")):
        fields = {
            "title": "{" + _bibtex_escape(row["title"]) + "}",
            "author": "{" + _bibtex_escape(row["publisher"]) + "}",
            "url": row["url"].replace("%", "\\%"),
        }
        if row.get("published"):
            year, month, _ = row["published"].split("-")
            import calendar

            fields.update(year=year, month=calendar.month_name[int(month)])
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
        entries.append(f"@misc{{{row['source_id']},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


DATASET_ZIP = "open-closed-ai-data.zip"


def _write_dataset_zip(app, config):
    """Zip data/ (every CSV, the descriptor and the data card) for the appendix's one-click download.

    Entries carry a fixed timestamp, so the same data always gives the same file.
    """
    import zipfile

    from essays.data import data_dir

    target = Path(app.srcdir) / "_build" / "downloads" / DATASET_ZIP
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(data_dir().iterdir()):
            if path.suffix in (".csv", ".json", ".md"):
                info = zipfile.ZipInfo(f"open-closed-ai-data/{path.name}", date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())


def _write_bibliography(app, config):
    """Regenerate _build/sources.bib from data/sources.csv before sphinxcontrib-bibtex reads it."""
    target = Path(app.srcdir) / "_build" / "sources.bib"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = sources_bibtex()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
