"""Showing values in prose and tables: ``glue`` for numbers the text cites, ``table`` for data tables.

Neither imports Sphinx: the page is built elsewhere (``essays.sphinx``).
"""

from __future__ import annotations

import html

import pandas as pd


class Text:
    """A glued string that shows without quotes ({glue:text} would otherwise print 'like this')."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def glue(name: str, value, display: bool = False):
    """myst-nb's ``glue`` for values cited in prose.

    numpy scalars become plain numbers (2019, not np.int32(2019)) and strings show without quotes,
    so ``{glue:text}`name``` reads naturally; for numbers a format spec works, e.g.
    ``{glue:text}`cost:,.0f```. ``display=False`` by default: the value appears where the prose
    cites it, not under the cell. Returns the value, so a cell can glue and use it at once.
    """
    from myst_nb import glue as _glue

    if hasattr(value, "item") and not hasattr(value, "__len__"):
        value = value.item()
    shown = Text(value) if isinstance(value, str) else value
    _glue(name, shown, display=display)
    return value


def table(frame: pd.DataFrame, columns: dict | None = None, *, links: dict | None = None):
    """A data table for the page, through pandas: every value escaped (data may hold markup).

    ``columns`` maps column name to header (default: every column as named); ``links`` maps a
    column to the column holding its URL, which turns that column's text into a link.
    """
    from IPython.display import HTML

    columns = columns or {c: c for c in frame.columns}
    shown = frame[list(columns)].copy()
    for column in shown.columns:
        shown[column] = [("" if pd.isna(v) else html.escape(str(v))) for v in shown[column]]
    for column, url_column in (links or {}).items():
        shown[column] = [
            f'<a href="{html.escape(str(u))}">{t}</a>' if isinstance(u, str) and u else t
            for t, u in zip(shown[column], frame[url_column])
        ]
    shown = shown.rename(columns=columns)
    return HTML(shown.to_html(index=False, escape=False, classes="table", border=0, na_rep=""))
