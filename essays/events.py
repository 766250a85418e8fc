"""Dated events around a release: which events belong to a story, in which lane, counted month by month.

Used by the chapter on Stable Diffusion, and open to any chapter that lays the book's ``events``
table on a timeline. The functions take the ``events`` table (or any frame with ``event_id``,
``date``, ``kind``, ``title``, ``organization`` and ``model_id``) and never read files, so the tests
feed them small hand-made frames.

What lives here and what does not:

* ``image_events``, ``lane_of``, ``months_after`` and ``monthly_counts`` are here because each has a
  rule a reader should be able to check with a unit test (which events count as part of the image
  story; months counted whole and rounded down, with month-only dates counted from the 1st; empty
  months kept as zeros), and ``monthly_counts`` is what the chapter's learners' widget recounts.
* Days from the release are one line of pandas (``(frame["date"] - start).dt.days``), so the chapter
  writes that step itself rather than calling a function for it.
* The charts (the event timeline, the monthly bars, the licence strip) and their labels are used by
  one chapter only, so they live in that chapter, built from ``essays.charts``.
"""

from __future__ import annotations

import re

import pandas as pd

#: Lanes of the timeline: label -> the event kinds (events.csv ``kind``) drawn in it, top to bottom.
LANES = {
    "Open models and tools": ("release_policy", "ecosystem", "dataset", "replication"),
    "Closed services: access": ("access",),
    "Lawsuits, money, governance": ("lawsuit", "funding", "other", "licence", "policy"),
}

#: Who counts as part of the image-generation story when an event names no model.
IMAGE_ORGS = ("Stability AI", "Midjourney", "Black Forest Labs", "Civitai", "LAION", "Getty Images")
IMAGE_MENTIONS = ("Stable Diffusion", "DALL-E", "DALL·E", "Midjourney")


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


def lane_of(kinds: pd.Series, *, lanes: dict = LANES) -> pd.Series:
    """The lane label of each event kind; <NA> for a kind that is in no lane."""
    lookup = {kind: lane for lane, members in lanes.items() for kind in members}
    return kinds.map(lookup).astype("string").rename("lane")


def image_events(
    events: pd.DataFrame,
    models: pd.DataFrame,
    *,
    modality: str = "image",
    organizations=IMAGE_ORGS,
    mentions=IMAGE_MENTIONS,
) -> pd.DataFrame:
    """The events about image generation.

    An event that names a model is kept when that model's modality is ``modality``. An event that
    names none is kept when its organization includes one of ``organizations`` or its title or note
    mentions one of ``mentions``.
    """
    modality_of = models.set_index("model_id")["modality"]
    has_model = events["model_id"].notna()
    model_hit = events["model_id"].map(modality_of).eq(modality).fillna(False).astype(bool)
    org_hit = _contains_any(events["organization"], organizations)
    note = events["note"] if "note" in events else pd.Series("", index=events.index)
    text = events["title"].fillna("").astype(str) + " " + note.fillna("").astype(str)
    mention_hit = _contains_any(text, mentions)
    keep = (has_model & model_hit) | (~has_model & (org_hit | mention_hit))
    return events[keep.to_numpy()].copy()


def _contains_any(texts: pd.Series, needles) -> pd.Series:
    if not needles:
        return pd.Series(False, index=texts.index)
    pattern = "|".join(re.escape(n) for n in needles)
    return texts.fillna("").astype(str).str.contains(pattern, regex=True).astype(bool)


def monthly_counts(
    events: pd.DataFrame,
    start,
    *,
    kinds=("ecosystem",),
    months: int = 12,
    by: str | None = None,
    lanes: dict = LANES,
) -> pd.DataFrame:
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
        rank = {lane: i for i, lane in enumerate(lanes)} if by == "lane" else {}  # lanes in their order
        groups = sorted(frame[by].dropna().unique(), key=lambda g: (rank.get(g, len(rank)), str(g)))
        groups = groups or ["(none)"]
        index = pd.MultiIndex.from_product([range(1, months + 1), groups], names=keys)
    else:
        index = pd.Index(range(1, months + 1), name="month")
    out = counted.reindex(index, fill_value=0).reset_index()
    out["month"] = out["month"].astype(int)
    out["events"] = out["events"].astype(int)
    out.insert(1, "month_start", [pd.Timestamp(start) + pd.DateOffset(months=m - 1) for m in out["month"]])
    return out
