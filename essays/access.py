"""The book's access vocabulary, defined once: what an outsider could do with a release.

Every chapter counts open and closed releases with these names. A release's ``access`` is one of
``ACCESS_ORDER``. "Open" has two definitions (``DEFINITIONS``): weights downloadable under any
licence, or only under a licence without use restrictions. Which side a model announced but never
released counts on is always an explicit argument (``side``, ``members``, ``open_share``), never a
hidden default that differs between chapters.

Also here: licence families (``licence_family``, ``licence_spectrum``), shares per year or group
(``access_shares``, ``open_share``), counts per maker or country (``makers``, ``access_by``, with
makers named once per organisation by ``named`` and ``load("organizations")``), and
what was published beside the weights (``components``, from ``load("release_components")``).
Every function takes tidy DataFrames and returns one; none reads files or draws.
"""

from __future__ import annotations

import re

import pandas as pd

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
FAMILY_ORDER = [
    "permissive",
    "other_unrestricted",
    "rail",
    "community",
    "noncommercial",
    "unchecked",
    "proprietary",
    "not_released",
]
#: The licence text of an open release whose licence the data do not yet record.
UNCHECKED = "Licence not yet checked"
FAMILY_LABELS = {
    "permissive": "Apache-2.0, MIT or BSD",
    "other_unrestricted": "Other licences allowing commercial use",
    "rail": "Responsible AI licences (OpenRAIL, BigScience RAIL)",
    "community": "Company community licences (Llama, Gemma, Qwen...)",
    "noncommercial": "Non-commercial, research only or no licence",
    "unchecked": "Open weights, licence not yet checked",
    "proprietary": "Proprietary: API or product only",
    "not_released": "Not released",
}
FAMILY_ACCESS = {
    "permissive": "open_unrestricted",
    "other_unrestricted": "open_unrestricted",
    "rail": "open_restricted",
    "community": "open_restricted",
    "noncommercial": "open_restricted",
    "unchecked": "open_restricted",
    "proprietary": "api",
    "not_released": "unreleased",
}

_PERMISSIVE = re.compile(r"(apache-2\.0|mit|bsd-[23]-clause)")
# Weights posted with no licence grant no right of use, so they sit with the non-commercial terms.
_NONCOMMERCIAL = (
    "non-commercial",
    "noncommercial",
    "by-nc",
    "research",
    "non-production",
    "on application",
    "no licence stated",
)


def licence_family(license, access: str) -> str:
    """Place one release's licence on the spectrum; a key of FAMILY_LABELS.

    The access column decides the side (open, API, unreleased); the licence text decides where on
    the open side: OSI-style permissive licences, other licences that allow commercial use,
    responsible-AI (RAIL) licences, company community licences, or non-commercial and research-only terms;
    an open release whose licence is not yet recorded (``UNCHECKED``) gets a family of its own.
    """
    if access == "unreleased":
        return "not_released"
    if access == "api":
        return "proprietary"
    text = "" if license is None or pd.isna(license) else str(license).strip().lower()
    if text == UNCHECKED.lower() and access in ("open_unrestricted", "open_restricted"):
        return "unchecked"
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
    fam = [licence_family(lic, acc) for lic, acc in zip(models["license"], models["access"], strict=True)]
    frame = models.assign(family=fam)
    rows = []
    for family in FAMILY_ORDER:
        group = frame[frame["family"] == family]
        counts = group["license"].fillna("none").value_counts()
        rows.append(
            {
                "family": family,
                "label": FAMILY_LABELS[family],
                "access": FAMILY_ACCESS[family],
                "n": len(group),
                "licences": "; ".join(f"{name} ({k})" for name, k in counts.items()),
            }
        )
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


def access_shares(
    models: pd.DataFrame,
    *,
    by: str = "year",
    modality: str | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
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


def open_share(
    models: pd.DataFrame,
    *,
    by: str = "year",
    modality: str | None = None,
    definition: str = "any_weights",
    years: tuple[int, int] | None = None,
    unreleased: str | None = "closed",
) -> pd.DataFrame:
    """Share of releases that were open under ``definition``, per group.

    Columns: the group, ``n_open``, ``total``, ``share`` (0-1). ``definition`` is "any_weights" (weights
    downloadable under any licence) or "unrestricted" (only licences without use restrictions).
    ``unreleased`` says where models that were announced but never released go: "closed" (the
    default) keeps them in the total as not open, None leaves them out of the count, and "open"
    counts them as open.
    """
    if definition not in DEFINITIONS:
        raise ValueError(f"unknown definition {definition!r}; use one of {list(DEFINITIONS)}")
    if unreleased not in (None, *SIDES):
        raise ValueError(f"unreleased must be None, 'open' or 'closed', not {unreleased!r}")
    if unreleased is None:
        models = models[models["access"] != "unreleased"]
    opened = DEFINITIONS[definition] + (("unreleased",) if unreleased == "open" else ())
    shares = access_shares(models, by=by, modality=modality, years=years)
    name = shares.columns[0]
    shares["n_open"] = shares["n"].where(shares["access"].isin(opened), 0)
    out = shares.groupby(name, sort=True).agg(n_open=("n_open", "sum"), total=("total", "first"))
    out["share"] = out["n_open"] / out["total"]
    return out.reset_index().astype({"n_open": int, "total": int})


def one_per_family(models: pd.DataFrame) -> pd.DataFrame:
    """Keep the first release of each family per year and access category.

    Open families often publish several sizes on one day (four GPT-2 rows, two LLaMA rows), each a
    row; API products rarely do. Counting families instead of rows checks that this does not drive a share.
    """
    marked = models.assign(
        _year=models["released"].dt.year, _family=models["family"].fillna(models["model_id"])
    )  # no family: its own
    keep = ~marked.sort_values("released").duplicated(["_family", "_year", "access"])
    return models.loc[keep[keep].index].sort_index()


def named(names: pd.Series, organizations: pd.DataFrame | None = None) -> pd.Series:
    """Each maker's name as the organisation the book counts it under.

    ``organizations`` is ``load("organizations")``: one spelling per company (NVIDIA and Nvidia are
    Nvidia) and a company's labs under the company (DeepMind under Google). A name it does not list
    stays as it is; without it every name stays as it is.
    """
    if organizations is None:
        return names
    one = dict(zip(organizations["name"], organizations["organization"]))
    return names.map(lambda name: one.get(name, name))


def makers(models: pd.DataFrame, organizations: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per release and maker: a release by several makers ('A, B' or 'A; B') counts for each.

    With ``organizations``, makers are named by ``named`` and a release counts once for each
    organisation: a paper by Google Brain and Google Research counts once, for Google.
    """
    split = models["organization"].astype(str).str.split(r"\s*[;,]\s*(?![^()]*\))", regex=True)
    frame = models.assign(maker=split).explode("maker")
    if organizations is not None:
        frame = frame.assign(maker=named(frame["maker"], organizations))
        once = pd.MultiIndex.from_arrays([frame.index, frame["maker"]]).duplicated()
        frame = frame[~once]
    return frame.reset_index(drop=True)


def access_by(
    models: pd.DataFrame,
    *,
    column: str = "maker",
    top: int = 15,
    since: int | None = None,
    organizations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Counts of releases per access category for the ``top`` groups with most releases.

    Wide table: one row per group (``column`` is "maker" or "country"), one column per access
    category, plus ``total`` and ``both`` (True when the group has open-weight and API releases).
    Sorted by total, largest first; ties by name. Makers are named by ``named`` when
    ``organizations`` is given.
    """
    frame = makers(models, organizations) if column == "maker" else models
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


#: The two sides of the book's comparison. Open: weights downloadable (any licence). Closed: API or
#: product only. Unreleased models belong to neither unless a caller says so (``unreleased=``).
OPEN = ("open_unrestricted", "open_restricted")
CLOSED = ("api",)
SIDES = ("open", "closed")
SIDE_LABELS = {"open": "Open weights", "closed": "Closed (API or product only)"}


def members(side: str, *, unreleased: str | None = None) -> tuple[str, ...]:
    """The access categories on one side: ``side`` is 'open' or 'closed'; ``unreleased`` says
    which side, if any ('open', 'closed' or None), models that were never released count on."""
    if side not in SIDES:
        raise ValueError(f"side must be 'open' or 'closed', not {side!r}")
    if unreleased not in (None, *SIDES):
        raise ValueError(f"unreleased must be None, 'open' or 'closed', not {unreleased!r}")
    base = OPEN if side == "open" else CLOSED
    return base + (("unreleased",) if unreleased == side else ())


def side(access: pd.Series, *, unreleased: str | None = None) -> pd.Series:
    """'open' or 'closed' for each release's access category; <NA> for unreleased models unless
    ``unreleased`` puts them on a side."""
    lookup = {a: s for s in SIDES for a in members(s, unreleased=unreleased)}
    return access.astype("string").map(lookup).astype("string")


# What was published beside the weights (``load("release_components")``)

_SOURCE_ID = re.compile(r"[a-z0-9](?:[a-z0-9._\-]*[a-z0-9])?")


def further_sources(note, known) -> list[str]:
    """Source ids named in a note ('Further sources: a, b.'), in order, keeping only ids in ``known``."""
    if note is None or pd.isna(note):
        return []
    known = set(known)
    return list(dict.fromkeys(t for t in _SOURCE_ID.findall(str(note)) if t in known))


def components(releases: pd.DataFrame, models: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """What was published beside the weights: ``load("release_components")`` joined with the models
    table (name, date, access, licence) and every source of each row (its source_id, then the ids its
    note names), as a list of (title, url) pairs.

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
        cited = [case.source_id]
        cited += [s for s in further_sources(case.note, by_source.index) if s != case.source_id]
        rows.append(
            {
                "model_id": case.model_id,
                "name": model["name"],
                "released": model["released"],
                "access": model["access"],
                "license": model["license"],
                "weights": case.weights,
                "code": case.training_code,
                "data": case.training_data,
                "sources": [(by_source.loc[s, "title"], by_source.loc[s, "url"]) for s in cited],
            }
        )
    return pd.DataFrame(rows)
