"""Checked claims can fail: one changed value in a copy of the data makes a named claim of a
chapter fail, while an unchanged copy (the control) keeps every claim holding."""

from __future__ import annotations

import csv
import io
import os
import shutil
from concurrent.futures import ProcessPoolExecutor

import pytest

from essays import claims, run, toc
from essays.data import data_dir

CHAPTER = toc.BOOK / "chapters" / "01-open-and-closed.md"
CLAIM = "opengpt2-full-size"  # "a replication of the full model": same size as GPT-2 1.5B


def run_with(data) -> dict:
    os.environ["ESSAYS_DATA_DIR"] = str(data)
    return run.execute(CHAPTER)


def edited_copy(target, model_id: str, column: str, change) -> None:
    shutil.copytree(data_dir(), target)
    path = target / "models.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["model_id"] == model_id)
    row[column] = change(row[column])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_one_changed_value_fails_a_named_claim_and_the_control_passes(tmp_path):
    control, changed = tmp_path / "control", tmp_path / "changed"
    shutil.copytree(data_dir(), control)
    edited_copy(changed, "opengpt-2-1.5b", "parameters", lambda v: repr(float(v) * 2))
    with ProcessPoolExecutor(max_workers=2) as pool:
        ok, bad = pool.map(run_with, [control, changed])
    assert ok["error"] is None and ok["claims"] and all(c["holds"] for c in ok["claims"]), ok
    failed = [c for c in bad["claims"] if not c["holds"]]
    assert [c["name"] for c in failed] == [CLAIM], failed
    assert failed[0]["sentence"] == "a replication of the full model"


def test_outside_record_mode_a_failed_claim_raises_naming_the_claim_and_sentence(monkeypatch):
    monkeypatch.delenv(claims.RECORD_ENV, raising=False)
    assert claims.claim("holds", 2 > 1, "two is more than one") is True
    with pytest.raises(claims.ClaimFailed, match=r"claim 'shrinks' does not hold: .*\"the table shrank\""):
        claims.claim("shrinks", 1 > 2, "the table shrank")


def test_in_record_mode_a_failed_claim_is_recorded_not_raised(monkeypatch):
    monkeypatch.setenv(claims.RECORD_ENV, "record")
    assert claims.claim("shrinks", 1 > 2, "the table shrank") is False


def test_a_claim_needs_a_name_and_a_sentence():
    with pytest.raises(ValueError):
        claims.claim("", True, "words")
