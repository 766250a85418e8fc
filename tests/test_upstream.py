"""The inclusion rule on the pinned upstream snapshots, and `make data-refresh`'s review report."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from essays import upstream
from essays.data import data_dir

UPSTREAM = data_dir() / "upstream"
MANIFEST = UPSTREAM / "manifest.csv"


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def snapshots() -> pd.DataFrame:
    return upstream.combined(MANIFEST)


def test_every_snapshot_matches_its_manifest_entry():
    for entry in pd.read_csv(MANIFEST, dtype=str, keep_default_na=False).itertuples():
        path = UPSTREAM / entry.file
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256, (
            f"{entry.file}: bytes differ from the manifest"
        )
        rows = upstream.read(path)
        assert len(rows) == int(entry.rows), f"{entry.file}: {len(rows)} rows, manifest says {entry.rows}"
        assert rows["Publication date"].max()[:10] == entry.newest_date, f"{entry.file}: newest date"
        assert entry.repository and entry.licence and entry.rows_read, (
            f"{entry.file}: manifest entry incomplete"
        )


def test_every_upstream_row_the_rule_takes_is_a_release_or_an_exclusion(snapshots):
    taken = snapshots[upstream.meets_rule(snapshots)]
    known = set(table("models")["upstream_name"]) | set(table("exclusions")["upstream_name"])
    missing = sorted(set(taken["Model"]) - known)
    assert missing == [], (
        f"{len(missing)} upstream rows meet the inclusion rule but are neither in models.csv "
        f"(upstream_name) nor in exclusions.csv with a reason: {missing[:10]}"
    )


def test_every_rule_row_of_models_names_an_upstream_row_that_meets_the_rule(snapshots):
    taken = set(snapshots.loc[upstream.meets_rule(snapshots), "Model"])
    models = table("models")
    rule = models[models["inclusion"] == "epoch_rule"]
    assert set(rule["upstream_name"]) <= taken, sorted(set(rule["upstream_name"]) - taken)[:10]
    additions = models[models["inclusion"] != "epoch_rule"]
    assert not set(additions["upstream_name"]) & taken, (
        "an addition is in fact an upstream row: mark it epoch_rule"
    )
    exclusions = table("exclusions")
    assert not set(exclusions["upstream_name"]) & set(models["upstream_name"]), (
        "a row is both kept and excluded"
    )


def test_every_release_has_an_access_category_and_a_licence():
    models = table("models")
    assert (models["access"] != "").all() and (models["license"] != "").all()


@pytest.mark.parametrize(
    "domain, expected",
    [
        ("Language", True),
        ("Vision", False),
        ("Language,Vision", True),
        ("Image generation", True),
        ("Speech", True),
        ("Biology", False),
        ("Games,Language", True),
        ("", False),
    ],
)
def test_the_rule_takes_the_domains_it_names(domain, expected):
    frame = pd.DataFrame({"Publication date": ["2024-05-01"], "Domain": [domain]})
    assert bool(upstream.meets_rule(frame).iloc[0]) is expected


def test_the_rule_window_is_inclusive_at_both_ends():
    dates = ["2017-05-31", "2017-06-01", "2026-11-30", "2026-12-01"]
    frame = pd.DataFrame({"Publication date": dates, "Domain": ["Language"] * 4})
    assert upstream.meets_rule(frame).tolist() == [False, True, True, False]


def test_modalities_and_countries_are_read_as_the_book_names_them():
    assert upstream.modality("Language,Vision") == "multimodal"
    assert upstream.modality("Image generation") == "image"
    assert upstream.modality("Speech") == "audio"
    assert upstream.modality("Language") == "text"
    assert (
        upstream.country("United States of America,United Kingdom of Great Britain and Northern Ireland")
        == "United States"
    )


def test_refresh_reviews_a_newer_file_against_tables_built_from_an_older_one():
    """The April 2025 copy stands for the tables; the newer extract is the refresh."""
    older = upstream.read(UPSTREAM / "epoch-notable-2025-04-10.csv")
    newer = upstream.read(UPSTREAM / "epoch-notable-2026-09-21-head.csv")
    old_rule = older[upstream.meets_rule(older)]
    models = pd.DataFrame(
        {
            "model_id": [f"m{i}" for i in range(len(old_rule))],
            "upstream_name": old_rule["Model"].values,
            "upstream_date": old_rule["Publication date"].values,
            "parameters": old_rule["Parameters"].values,
            "training_compute_flop": old_rule["Training compute (FLOP)"].values,
            "access": old_rule["Model accessibility"].map(upstream.ACCESS).fillna("").values,
        }
    )
    found = upstream.review(newer, models, pd.DataFrame({"upstream_name": []}))
    # Names are matched as upstream.key reduces them ('Grok-3' and 'Grok 3' are one model).
    new_names = set(newer.loc[upstream.meets_rule(newer), "Model"].map(upstream.key)) - set(
        old_rule["Model"].map(upstream.key)
    )
    assert set(found["missing"]["Model"].map(upstream.key)) == new_names and len(new_names) > 100
    changed = found["differ"]
    assert {"access"} <= set(changed["field"]), "accessibility that Epoch changed between copies is reported"
    assert changed["model_id"].isin(models["model_id"]).all()


def test_make_data_refresh_writes_a_report_and_never_edits_the_tables(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    before = (data / "models.csv").read_bytes()
    report = tmp_path / "report.md"
    env = {"ESSAYS_DATA_DIR": str(data), "PATH": ""}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "essays.upstream",
            str(data / "upstream" / "epoch-notable-2026-09-21-head.csv"),
            str(report),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    text = report.read_text(encoding="utf-8")
    assert "# Data refresh review" in text and "SHA-256" in text and "## Missing rows" in text
    assert (data / "models.csv").read_bytes() == before
