"""How long open models took to match closed ones: one function, ``lags``, shared by chapters 02 and 06.

The question has more than one honest answer, so the rule is an argument, never a hidden choice:

* ``rule="first_match"`` (chapter 02): for each closed milestone named by the caller, the first
  open-weight model of the same kind released *after* it that is at least as large (``measure="size"``)
  or scores at least as high on MMLU (``measure="mmlu"``); the other measure is the fallback when the
  milestone lacks the first.
* ``rule="frontier_record"`` (chapter 06): the milestones are the closed side's records on MMLU (each
  new best score), and the match is the first open model, at any date, that reached the record; a
  negative lag means an open model got there first.

Which side a model that was never released counts on is the ``unreleased`` argument, passed to
:func:`essays.access.members` (None: neither side).

The frontier functions (``scored_models``, ``frontier``, ``gap_by_year``) read the scores of one
``benchmark`` of ``benchmark_scores.csv``: MMLU unless told otherwise (chapter 06 also reads ECI and
GPQA Diamond).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from essays import access
from essays.charts import human

#: An average month, so that lags in months do not depend on which months they span.
DAYS_PER_MONTH = 365.25 / 12

#: The two rules of "how long open models took to match": see the module's docstring.
RULES = ("first_match", "frontier_record")
#: What "comparable" measures: parameters (size) or the best reported MMLU score.
MEASURES = ("size", "mmlu")
#: What first_match does with a milestone that has neither measure in the data.
UNMEASURED = ("first_open", "skip")
#: Which MMLU scores count: every reported score, or only 5-shot ones.
SETTINGS = {"all": "All reported scores", "5-shot": "5-shot scores only"}

#: Modalities compared with each other. A multimodal model such as GPT-4 reads images but writes
#: text, so its open rivals are language models of either kind; image generators form their own group.
MATCH_GROUP = {"text": "language", "multimodal": "language", "image": "image"}

#: Chapter 02's milestones, oldest first. The GPT-2 1.5B milestone is the day OpenAI announced the
#: model and withheld it (an event), not the day the weights came out.
DEFAULT_MILESTONES = (
    "gpt-2-1.5b",
    "gpt-3-175b",
    "dall-e-2",
    "gpt-3.5-turbo",
    "gpt-4",
    "claude-3-opus",
    "gpt-4o",
    "o1",
)
MILESTONE_EVENTS = {"gpt-2-1.5b": "ev-001"}

COLUMNS = [
    "milestone",
    "model_id",
    "organization",
    "modality",
    "closed_date",
    "measure",
    "threshold",
    "milestone_parameters",
    "milestone_mmlu",
    "match",
    "match_id",
    "match_organization",
    "match_access",
    "match_date",
    "match_parameters",
    "match_mmlu",
    "months",
    "months_so_far",
]


def months_between(start, end) -> float:
    """Months from ``start`` to ``end`` (dates), in average months of 365.25 / 12 days."""
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_MONTH


def _require(frame, name: str, columns) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it needs {list(columns)}")


def _number(value, name: str, *, low: float, low_open: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < low or (low_open and value == low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}, got {value!r}")
    return float(value)


def _choice(value, name: str, options) -> None:
    if value not in options:
        raise ValueError(f"{name} must be one of {list(options)}, got {value!r}")


def _score_rows(scores: pd.DataFrame, setting: str = "all", benchmark: str = "MMLU") -> pd.DataFrame:
    _require(scores, "scores", ("model_id", "benchmark", "score"))
    _choice(setting, "setting", SETTINGS)
    _choice(benchmark, "benchmark", sorted(set(scores["benchmark"].dropna())) or ["MMLU"])
    rows = scores[scores["benchmark"] == benchmark].dropna(subset=["score"])
    if setting == "5-shot":
        rows = rows[rows["shots"].fillna(-1) == 5]
    return rows


def best_mmlu(scores: pd.DataFrame, *, setting: str = "all") -> pd.Series:
    """Each model's highest reported MMLU score (any number of shots, or 5-shot only), by model_id."""
    return _score_rows(scores, setting).groupby("model_id")["score"].max().astype(float)


def milestones(models: pd.DataFrame, events: pd.DataFrame, model_ids=DEFAULT_MILESTONES) -> pd.DataFrame:
    """The milestones to measure: model_id, label and date (the event's date where one is named)."""
    _require(models, "models", ("model_id", "name", "released"))
    rows = []
    for model_id in model_ids:
        found = models[models["model_id"] == model_id]
        if found.empty:
            raise ValueError(f"milestone {model_id!r} is not a model_id in models")
        date, label = found.iloc[0]["released"], str(found.iloc[0]["name"])
        event_id = MILESTONE_EVENTS.get(model_id)
        if event_id is not None:
            event = events[events["event_id"] == event_id]
            if event.empty:
                raise ValueError(f"event {event_id!r} (the date of milestone {model_id!r}) is not in events")
            date, label = event.iloc[0]["date"], f"{label} (withheld)"
        rows.append({"model_id": model_id, "label": label, "date": pd.Timestamp(date)})
    return pd.DataFrame(rows, columns=["model_id", "label", "date"])


def scored_models(
    scores: pd.DataFrame,
    models: pd.DataFrame,
    *,
    setting: str = "all",
    organizations=None,
    years=None,
    unreleased: str | None = None,
    benchmark: str = "MMLU",
) -> pd.DataFrame:
    """One row per score on ``benchmark``, joined to its model's name, maker, release date, access
    and ``side``.

    ``benchmark``: a benchmark of the scores table ('MMLU', 'ECI', 'GPQA Diamond'). ``setting``:
    'all' or '5-shot' (MMLU's shots). ``organizations``: keep only these makers (None keeps all).
    ``years``: (first, last) release years, inclusive. Rows on neither side (by default the
    unreleased models, see ``unreleased``) are dropped. Sorted by date, best score first within a date.
    """
    joined = _score_rows(scores, setting, benchmark).merge(
        models[["model_id", "name", "organization", "released", "access"]],
        on="model_id",
        how="inner",
        validate="many_to_one",
    )
    if organizations is not None:
        joined = joined[joined["organization"].isin(list(organizations))]
    if years is not None:
        year = joined["released"].dt.year
        joined = joined[(year >= years[0]) & (year <= years[1])]
    joined = joined.assign(side=access.side(joined["access"], unreleased=unreleased)).dropna(subset=["side"])
    return joined.sort_values(["released", "score"], ascending=[True, False]).reset_index(drop=True)


def frontier(scores: pd.DataFrame, models: pd.DataFrame, *, side: str, **options) -> pd.DataFrame:
    """The running best score of one side ('open' or 'closed'): one row per new best.

    Columns: date, score, model_id, name, organization, access, shots, note. ``options`` are those of
    :func:`scored_models` (benchmark, setting, organizations, years, unreleased).
    """
    _choice(side, "side", access.SIDES)
    rows = scored_models(scores, models, **options)
    rows = rows[rows["side"] == side]
    best = rows["score"].cummax().shift(fill_value=-np.inf)
    out = rows[rows["score"] > best].reindex(
        columns=["released", "score", "model_id", "name", "organization", "access", "shots", "note"]
    )
    return out.rename(columns={"released": "date"}).reset_index(drop=True)


def best_on(front: pd.DataFrame, date) -> pd.Series | None:
    """The frontier row in force on ``date`` (the last step on or before it), or None before the first."""
    before = front[front["date"] <= pd.Timestamp(date)]
    return None if before.empty else before.iloc[-1]


def gap_series(open_front: pd.DataFrame, closed_front: pd.DataFrame, *, end=None) -> pd.DataFrame:
    """Closed best minus open best, in points, at every date either frontier moved (and at ``end``).

    Only dates on which both sides have a score. Positive: closed ahead; negative: open ahead.
    """
    dates = sorted(
        set(open_front["date"]) | set(closed_front["date"]) | ({pd.Timestamp(end)} if end else set())
    )
    rows = []
    for date in dates:
        o, c = best_on(open_front, date), best_on(closed_front, date)
        if o is not None and c is not None:
            rows.append(
                {"date": date, "open": o["score"], "closed": c["score"], "gap": c["score"] - o["score"]}
            )
    return pd.DataFrame(rows, columns=["date", "open", "closed", "gap"])


def gap_by_year(scores: pd.DataFrame, models: pd.DataFrame, **options) -> pd.DataFrame:
    """The best open and best closed score standing at the end of each year, and the gap in points.

    The last year is cut at the last score in the data rather than 31 December. Years in which
    either side has no score yet are left out. ``options`` as for :func:`scored_models`.
    """
    columns = ["year", "closed_best", "closed_model", "open_best", "open_model", "gap"]
    o = frontier(scores, models, side="open", **options)
    c = frontier(scores, models, side="closed", **options)
    if o.empty or c.empty:
        return pd.DataFrame(columns=columns)
    last = max(o["date"].max(), c["date"].max())
    rows = []
    for year in range(min(o["date"].min(), c["date"].min()).year, last.year + 1):
        cut = min(pd.Timestamp(year, 12, 31), last)
        ob, cb = best_on(o, cut), best_on(c, cut)
        if ob is not None and cb is not None:
            rows.append(
                {
                    "year": year,
                    "closed_best": cb["score"],
                    "closed_model": cb["name"],
                    "open_best": ob["score"],
                    "open_model": ob["name"],
                    "gap": round(cb["score"] - ob["score"], 1),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def _row(milestone: dict, date, match, *, measure: str, threshold: str, as_of) -> dict:
    """One row of the lags table (``COLUMNS``); ``match`` is a row of the candidates or None."""
    row = {
        "milestone": milestone["label"],
        "model_id": milestone["model_id"],
        "organization": milestone.get("organization", pd.NA),
        "modality": milestone.get("modality", pd.NA),
        "closed_date": date,
        "measure": measure,
        "threshold": threshold,
        "milestone_parameters": milestone.get("parameters", math.nan),
        "milestone_mmlu": milestone["_mmlu"],
    }
    if match is None:
        return row | dict(
            match=pd.NA,
            match_id=pd.NA,
            match_organization=pd.NA,
            match_access=pd.NA,
            match_date=pd.NaT,
            match_parameters=math.nan,
            match_mmlu=math.nan,
            months=math.nan,
            months_so_far=round(months_between(date, as_of), 1),
        )
    return row | dict(
        match=match["name"],
        match_id=match["model_id"],
        match_organization=match.get("organization"),
        match_access=match["access"],
        match_date=match["_date"],
        match_parameters=match.get("parameters", math.nan),
        match_mmlu=match["_mmlu"],
        months=round(months_between(date, match["_date"]), 1),
        months_so_far=math.nan,
    )


def _first_match(
    models, scores, table, *, measure, size_ratio, mmlu_margin, unmeasured, unreleased, setting
) -> list[dict]:
    _require(models, "models", ("model_id", "name", "released", "modality", "access", "parameters"))
    _require(table, "milestones", ("model_id",))
    pool = models.assign(
        _mmlu=models["model_id"].map(best_mmlu(scores, setting=setting)).astype(float),
        _group=models["modality"].map(lambda m: MATCH_GROUP.get(m, m)),
        _date=models["released"],
    )
    pool = pool.sort_values(["released", "model_id"])
    candidates = pool[pool["access"].isin(access.members("open", unreleased=unreleased))]
    as_of = pd.Timestamp(models["released"].max())
    rows = []
    for wanted in table.to_dict("records"):
        found = pool[pool["model_id"] == wanted["model_id"]]
        if found.empty:
            raise ValueError(f"milestone {wanted['model_id']!r} is not a model_id in models")
        model = found.iloc[0].to_dict()
        date = wanted.get("date")
        date = pd.Timestamp(model["released"] if date is None or pd.isna(date) else date)
        label = wanted.get("label")
        model["label"] = str(model["name"]) if label is None or pd.isna(label) else str(label)
        later = candidates[(candidates["_group"] == model["_group"]) & (candidates["released"] > date)]
        usable = [
            m for m in (measure, *MEASURES) if pd.notna(model["parameters" if m == "size" else "_mmlu"])
        ]
        if usable and usable[0] == "size":
            bar = size_ratio * float(model["parameters"])
            used, matched, threshold = (
                "size",
                later[later["parameters"].astype(float) >= bar],
                f"≥ {human(bar)} parameters",
            )
        elif usable:
            bar = float(model["_mmlu"]) - mmlu_margin
            used, matched, threshold = "mmlu", later[later["_mmlu"] >= bar], f"MMLU ≥ {bar:.1f}"
        elif unmeasured == "first_open":
            used, matched, threshold = "first_open", later, "no measure: any open-weight release"
        else:
            used, matched, threshold = "none", later.iloc[0:0], "no measure in the data"
        first = None if matched.empty else matched.iloc[0]
        rows.append(_row(model, date, first, measure=used, threshold=threshold, as_of=as_of))
    return rows


def _frontier_record(models, scores, *, mmlu_margin, unreleased, benchmark, **options) -> list[dict]:
    _require(models, "models", ("model_id", "name", "released", "access"))
    records = frontier(scores, models, side="closed", unreleased=unreleased, benchmark=benchmark, **options)
    opened = frontier(scores, models, side="open", unreleased=unreleased, benchmark=benchmark, **options)
    details = models.drop_duplicates("model_id").set_index("model_id")
    sizes = details["parameters"] if "parameters" in details else pd.Series(dtype=float)
    opened = opened.assign(
        _date=opened["date"], _mmlu=opened["score"], parameters=opened["model_id"].map(sizes)
    )
    as_of = pd.Timestamp(models["released"].max())
    rows = []
    for record in records.to_dict("records"):
        model = details.loc[record["model_id"]].to_dict() | record
        model |= {"label": record["name"], "_mmlu": record["score"]}
        bar = record["score"] - mmlu_margin
        matched = opened[opened["score"] >= bar]
        rows.append(
            _row(
                model,
                record["date"],
                None if matched.empty else matched.iloc[0],
                measure="mmlu",
                threshold=f"{benchmark} ≥ {bar:.1f}",
                as_of=as_of,
            )
        )
    return rows


def lags(
    models: pd.DataFrame,
    scores: pd.DataFrame,
    milestones: pd.DataFrame | None = None,
    *,
    rule: str = "first_match",
    measure: str | None = None,
    size_ratio: float = 1.0,
    mmlu_margin: float = 0.0,
    unmeasured: str = "first_open",
    unreleased: str | None = None,
    setting: str = "all",
    organizations=None,
    years=None,
    benchmark: str = "MMLU",
) -> pd.DataFrame:
    """How many months after each closed milestone an open-weight model matched it, under one ``rule``.

    ``rule="first_match"`` (needs ``milestones``, e.g. from :func:`milestones`): a candidate has open
    weights (``access.members("open", unreleased=unreleased)``), is in the milestone's ``MATCH_GROUP``
    and came out strictly after the milestone's date. It matches when, with ``measure="size"`` (the
    default), its parameters are >= ``size_ratio`` x the milestone's, or, when the milestone's size is
    not disclosed, its best MMLU score is >= the milestone's minus ``mmlu_margin`` points;
    ``measure="mmlu"`` tries the score first. A milestone with neither measure is matched by the first
    open candidate at all (``unmeasured="first_open"``, measure 'first_open') or by none (``"skip"``).

    ``rule="frontier_record"`` (``milestones`` must be None): the milestones are each new best MMLU score
    of the closed side (``unreleased="closed"`` adds the labs' unreleased models to it), and the match
    is the first open model, at any date, scoring >= the record minus ``mmlu_margin``; lags may be
    negative. ``measure`` must be 'mmlu'; ``setting``, ``organizations`` and ``years`` select the scores,
    and ``benchmark`` says whose records they are (MMLU by default; the ``*_mmlu`` columns then hold
    that benchmark's scores). ``rule="first_match"`` reads MMLU only.

    One row per milestone, in order, with ``COLUMNS``: ``months`` is NaN when nothing matched, and
    then ``months_so_far`` counts the months from the milestone to the latest release in ``models``.
    """
    _choice(rule, "rule", RULES)
    measure = ("size" if rule == "first_match" else "mmlu") if measure is None else measure
    _choice(measure, "measure", MEASURES)
    size_ratio = _number(size_ratio, "size_ratio", low=0, low_open=True)
    mmlu_margin = _number(mmlu_margin, "mmlu_margin", low=0, low_open=False)
    _choice(unmeasured, "unmeasured", UNMEASURED)
    if rule == "first_match":
        if milestones is None:
            raise ValueError("rule='first_match' needs milestones, e.g. lags.milestones(models, events)")
        if organizations is not None or years is not None:
            raise ValueError("organizations and years select scores for rule='frontier_record' only")
        if benchmark != "MMLU":
            raise ValueError("rule='first_match' compares MMLU scores only: leave benchmark='MMLU'")
        rows = _first_match(
            models,
            scores,
            milestones,
            measure=measure,
            size_ratio=size_ratio,
            mmlu_margin=mmlu_margin,
            unmeasured=unmeasured,
            unreleased=unreleased,
            setting=setting,
        )
    else:
        if milestones is not None:
            raise ValueError(
                "rule='frontier_record' takes its milestones from the closed side's records; "
                "pass milestones=None"
            )
        if measure != "mmlu":
            raise ValueError("rule='frontier_record' measures MMLU records only: use measure='mmlu'")
        rows = _frontier_record(
            models,
            scores,
            mmlu_margin=mmlu_margin,
            unreleased=unreleased,
            setting=setting,
            organizations=organizations,
            years=years,
            benchmark=benchmark,
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    for column in (
        "months",
        "months_so_far",
        "milestone_parameters",
        "milestone_mmlu",
        "match_parameters",
        "match_mmlu",
    ):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    out["closed_date"] = pd.to_datetime(out["closed_date"])
    out["match_date"] = pd.to_datetime(out["match_date"])
    return out
