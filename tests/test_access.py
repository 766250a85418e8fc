"""Tests of essays.access on small hand-made tables whose answers are known."""

from __future__ import annotations

import pandas as pd
import pytest

from essays import access as o


def frame(rows):
    """rows: (model_id, year, modality, access, license, organization, country[, family])."""
    records = []
    for r in rows:
        model_id, year, modality, access, license, org, country, *family = r
        records.append(
            {
                "model_id": model_id,
                "name": model_id.upper(),
                "family": family[0] if family else model_id,
                "released": pd.Timestamp(f"{year}-06-01"),
                "modality": modality,
                "access": access,
                "license": license,
                "organization": org,
                "country": country,
            }
        )
    return pd.DataFrame(records)


@pytest.fixture
def models():
    return frame(
        [
            ("a", 2020, "text", "open_unrestricted", "MIT", "Lab A", "US"),
            ("b", 2020, "text", "api", "proprietary", "Lab B", "US"),
            ("c", 2020, "image", "unreleased", None, "Lab B", "US"),
            ("d", 2020, "image", "open_restricted", "CreativeML OpenRAIL-M", "Lab C", "UK"),
            ("e", 2021, "text", "open_restricted", "Llama 2 Community License", "Lab A, Lab C", "US"),
            ("f", 2021, "text", "api", "proprietary", "Lab B", "US"),
            ("g", 2021, "multimodal", "api", "proprietary", "Lab A", "US"),
            ("h", 2021, "text", "open_restricted", "CC BY-NC 4.0", "Lab D", "FR"),
        ]
    )


@pytest.mark.parametrize(
    "license, access, family",
    [
        ("Apache-2.0", "open_unrestricted", "permissive"),
        ("MIT", "open_unrestricted", "permissive"),
        ("BSD-3-Clause", "open_unrestricted", "permissive"),
        ("Modified MIT", "open_unrestricted", "other_unrestricted"),
        ("No licence stated", "open_unrestricted", "other_unrestricted"),
        ("CreativeML OpenRAIL-M", "open_restricted", "rail"),
        ("BigScience RAIL 1.0", "open_restricted", "rail"),
        ("Llama 2 Community License", "open_restricted", "community"),
        ("Gemma Terms of Use", "open_restricted", "community"),
        ("LLaMA non-commercial research license", "open_restricted", "noncommercial"),
        ("CC BY-NC 4.0", "open_restricted", "noncommercial"),
        ("No licence stated", "open_restricted", "noncommercial"),
        ("Mistral AI Non-Production License", "open_restricted", "noncommercial"),
        ("GLM-130B license (on application)", "open_restricted", "noncommercial"),
        ("proprietary", "api", "proprietary"),
        (None, "unreleased", "not_released"),
    ],
)
def test_licence_family(license, access, family):
    assert o.licence_family(license, access) == family


def test_licence_family_rejects_unknown_access():
    with pytest.raises(ValueError, match="unknown access"):
        o.licence_family("MIT", "open")


def test_licence_spectrum_counts(models):
    spec = o.licence_spectrum(models).set_index("family")
    assert list(spec.index) == o.FAMILY_ORDER
    assert spec.loc["permissive", "n"] == 1
    assert spec.loc["rail", "n"] == 1
    assert spec.loc["community", "n"] == 1
    assert spec.loc["noncommercial", "n"] == 1
    assert spec.loc["proprietary", "n"] == 3
    assert spec.loc["not_released", "n"] == 1
    assert spec["n"].sum() == len(models)
    assert spec.loc["proprietary", "licences"] == "proprietary (3)"


def test_access_shares_by_year(models):
    shares = o.access_shares(models)
    assert list(shares.columns) == ["year", "access", "n", "total", "share"]
    assert len(shares) == 2 * 4  # every category for every year, zeros included
    y2020 = shares[shares["year"] == 2020].set_index("access")
    assert y2020["n"].to_dict() == {"open_unrestricted": 1, "open_restricted": 1, "api": 1, "unreleased": 1}
    assert (y2020["share"] == 0.25).all()
    y2021 = shares[shares["year"] == 2021].set_index("access")
    assert y2021.loc["api", "share"] == pytest.approx(0.5)
    assert y2021.loc["open_unrestricted", "n"] == 0
    assert shares.groupby("year")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_access_shares_filters(models):
    text = o.access_shares(models, modality="text")
    assert text.groupby("year")["total"].first().to_dict() == {2020: 2, 2021: 3}
    assert o.access_shares(models, modality="all").equals(o.access_shares(models))
    only_2021 = o.access_shares(models, years=(2021, 2021))
    assert only_2021["year"].unique().tolist() == [2021]
    by_country = o.access_shares(models, by="country")
    assert by_country.groupby("country")["total"].first().to_dict() == {"FR": 1, "UK": 1, "US": 6}
    with pytest.raises(KeyError):
        o.access_shares(models, by="colour")


def test_open_share_depends_on_definition(models):
    anyw = o.open_share(models).set_index("year")
    assert anyw["n_open"].to_dict() == {2020: 2, 2021: 2}
    assert anyw.loc[2020, "share"] == pytest.approx(0.5)
    strict = o.open_share(models, definition="unrestricted").set_index("year")
    assert strict["n_open"].to_dict() == {2020: 1, 2021: 0}
    assert strict.loc[2021, "share"] == 0
    text = o.open_share(models, modality="text", definition="any_weights").set_index("year")
    assert text.loc[2021, "share"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="unknown definition"):
        o.open_share(models, definition="free")


def test_one_per_family_keeps_first_release_of_a_family_per_year():
    m = frame(
        [
            ("fam-small", 2019, "text", "open_unrestricted", "MIT", "L", "US", "fam"),
            ("fam-big", 2019, "text", "open_unrestricted", "MIT", "L", "US", "fam"),
            ("fam-next", 2020, "text", "open_unrestricted", "MIT", "L", "US", "fam"),
            ("fam-api", 2019, "text", "api", "proprietary", "L", "US", "fam"),
        ]
    )
    m.loc[1, "released"] = pd.Timestamp("2019-11-05")
    m.loc[0, "released"] = pd.Timestamp("2019-02-14")
    kept = o.one_per_family(m)["model_id"].tolist()
    assert kept == ["fam-small", "fam-next", "fam-api"]


def test_makers_split_joint_releases_but_not_parentheses():
    m = frame(
        [
            ("x", 2022, "text", "api", "proprietary", "Microsoft, NVIDIA", "US"),
            (
                "y",
                2022,
                "text",
                "open_restricted",
                "GLM",
                "Tsinghua University (KEG, Beijing), Zhipu AI",
                "CN",
            ),
            ("z", 2022, "text", "api", "proprietary", "A; B", "US"),
        ]
    )
    assert o.makers(m)["maker"].tolist() == [
        "Microsoft",
        "NVIDIA",
        "Tsinghua University (KEG, Beijing)",
        "Zhipu AI",
        "A",
        "B",
    ]


def test_makers_named_by_organisation_count_a_release_once_per_organisation():
    m = frame(
        [
            ("x", 2022, "text", "api", "proprietary", "Google Brain, Google Research", "US"),
            ("y", 2022, "text", "open_restricted", "Llama", "Meta AI; Stanford", "US"),
            ("z", 2022, "text", "api", "proprietary", "NVIDIA", "US"),
        ]
    )
    organizations = pd.DataFrame(
        {
            "name": ["Google Brain", "Google Research", "Meta AI", "NVIDIA"],
            "organization": ["Google", "Google", "Meta", "Nvidia"],
        }
    )
    assert o.makers(m, organizations)["maker"].tolist() == ["Google", "Meta", "Stanford", "Nvidia"]
    assert o.named(pd.Series(["Meta AI", "OpenAI"]), organizations).tolist() == ["Meta", "OpenAI"]
    table = o.access_by(m, organizations=organizations).set_index("maker")
    assert table.loc["Google", "total"] == 1


def test_access_by_maker(models):
    table = o.access_by(models, top=10).set_index("maker")
    assert table.loc["Lab A", "total"] == 3  # a, e (joint with Lab C) and g
    assert table.loc["Lab C", "total"] == 2
    assert bool(table.loc["Lab A", "both"]) is True  # open weights and an API model
    assert bool(table.loc["Lab B", "both"]) is False
    assert list(table.index[:2]) == ["Lab A", "Lab B"]  # 3 each, ties broken by name
    assert len(o.access_by(models, top=2)) == 2
    assert o.access_by(models, since=2021).set_index("maker").loc["Lab A", "total"] == 2
    countries = o.access_by(models, column="country").set_index("country")
    assert countries.loc["US", "api"] == 3


def test_components_joins_tables_and_reports_missing_ids(models):
    sources = pd.DataFrame(
        {
            "source_id": ["s1", "s2"],
            "title": ["A <paper>", "B"],
            "url": ["https://example.org/a", "https://example.org/b"],
        }
    )
    releases = pd.DataFrame(
        {
            "model_id": ["a", "b"],
            "weights": ["Published under MIT", "Not published"],
            "training_code": ["Published", "None"],
            "training_data": ["Published", "None"],
            "source_id": ["s1", "s1"],
            "note": ["Further sources: s2, s9.", None],
        }
    )
    table = o.components(releases, models, sources)
    assert table["weights"].tolist() == ["Published under MIT", "Not published"]
    # the row's own source first, then the ids its note names that the sources table holds
    assert table.loc[0, "sources"] == [("A <paper>", "https://example.org/a"), ("B", "https://example.org/b")]
    assert table.loc[1, "sources"] == [("A <paper>", "https://example.org/a")]
    assert table.loc[0, "license"] == "MIT" and table.loc[0, "access"] == "open_unrestricted"
    with pytest.raises(KeyError, match="nope"):
        o.components(releases.assign(model_id=["nope", "b"]), models, sources)


def test_further_sources_reads_ids_from_a_note():
    assert o.further_sources("Further sources: x-1.2, y, z.", ["x-1.2", "z"]) == ["x-1.2", "z"]
    assert o.further_sources(None, ["x"]) == [] and o.further_sources(pd.NA, ["x"]) == []


def test_components_cases_exist_in_the_book_data():
    from essays import load

    releases, models = load("release_components"), load("models")
    table = o.components(releases, models, load("sources"))
    assert len(table) == len(releases) == 8
    # every further source named in a note is a real source (a typo would silently drop a link)
    assert (
        sum(len(s) for s in table["sources"])
        == len(releases) + releases["note"].fillna("").str.count(r"[,:] ").sum()
    )
    # an open release's weights text names the licence the models table gives it
    joined = releases.merge(models[["model_id", "access", "license"]], on="model_id")
    for r in joined[joined["access"].str.startswith("open")].itertuples():
        assert r.license in r.weights, r.model_id


def test_open_share_puts_unreleased_models_where_it_is_told(models):
    closed = o.open_share(models).set_index("year")  # default: unreleased count, as not open
    assert closed.loc[2020, ["n_open", "total"]].tolist() == [2, 4]
    left_out = o.open_share(models, unreleased=None).set_index("year")
    assert left_out.loc[2020, ["n_open", "total"]].tolist() == [2, 3]
    assert left_out.loc[2020, "share"] == pytest.approx(2 / 3)
    as_open = o.open_share(models, unreleased="open", definition="unrestricted").set_index("year")
    assert as_open.loc[2020, ["n_open", "total"]].tolist() == [2, 4]
    with pytest.raises(ValueError, match="unreleased must be"):
        o.open_share(models, unreleased="neither")


def test_members_of_each_side():
    assert o.members("open") == ("open_unrestricted", "open_restricted")
    assert o.members("closed") == ("api",)
    assert o.members("closed", unreleased="closed") == ("api", "unreleased")
    assert o.members("open", unreleased="closed") == ("open_unrestricted", "open_restricted")
    assert o.members("open", unreleased="open") == ("open_unrestricted", "open_restricted", "unreleased")
    assert o.members("closed", unreleased="open") == ("api",)
    every = set(o.members("open", unreleased="open")) | set(o.members("closed"))
    assert every == set(o.ACCESS_ORDER)


@pytest.mark.parametrize(
    "call",
    [
        lambda: o.members("both"),
        lambda: o.members("Open"),
        lambda: o.members("open", unreleased="neither"),
        lambda: o.members("closed", unreleased=True),
        lambda: o.side(pd.Series(["api"]), unreleased="api"),
    ],
)
def test_members_and_side_reject_bad_arguments(call):
    with pytest.raises(ValueError):
        call()


def test_side_of_each_release():
    acc = pd.Series(["open_unrestricted", "open_restricted", "api", "unreleased"])
    assert o.side(acc).tolist()[:3] == ["open", "open", "closed"]
    assert o.side(acc).isna().tolist() == [False, False, False, True]
    assert o.side(acc, unreleased="closed").tolist() == ["open", "open", "closed", "closed"]
    assert o.side(acc, unreleased="open").tolist() == ["open", "open", "closed", "open"]
    assert str(o.side(acc).dtype) == "string"


def test_side_of_the_book_data_covers_every_release_once_unreleased_is_placed():
    from essays import load

    models = load("models")
    placed = o.side(models["access"], unreleased="closed")
    assert placed.notna().all()
    assert (o.side(models["access"]).isna() == (models["access"] == "unreleased")).all()


def test_an_open_release_with_an_unchecked_licence_has_a_family_of_its_own():
    for kind in ("open_unrestricted", "open_restricted"):
        assert o.licence_family(o.UNCHECKED, kind) == "unchecked"
    assert o.licence_family(o.UNCHECKED, "api") == "proprietary"
