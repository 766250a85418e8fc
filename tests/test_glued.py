"""Data drift shows in review as one line per glued value: the values the build's chapters glued
(_build/jupyter_execute) must equal the committed snapshot chapters/_glued.json."""

from __future__ import annotations

import json

import pytest

from essays import run, toc


def built_values() -> dict:
    return {r["chapter"]: r["glued"] for r in run.built_results()}


def drift(snapshot: dict, built: dict) -> list[str]:
    lines = []
    for chapter in sorted(set(snapshot) | set(built)):
        old, new = snapshot.get(chapter, {}), built.get(chapter, {})
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                lines.append(f"{chapter}: {name}: {old.get(name, '(none)')} -> {new.get(name, '(none)')}")
    return lines


@pytest.mark.site
def test_glued_values_match_the_snapshot(site):
    snapshot = json.loads((toc.BOOK / run.SNAPSHOT).read_text(encoding="utf-8"))
    lines = drift(snapshot, built_values())
    assert not lines, (
        "glued values differ from chapters/_glued.json; if the change is intended, "
        "run `make glued` and commit the snapshot:\n" + "\n".join(lines)
    )


def test_drift_reads_as_one_line_per_value():
    assert drift({"01": {"n": "182", "y": "1"}}, {"01": {"n": "183", "y": "1", "z": "2"}}) == [
        "01: n: 182 -> 183",
        "01: z: (none) -> 2",
    ]


def test_a_data_edit_drops_the_execution_cache(tmp_path):
    """Otherwise the build would serve outputs computed from the old data (the cache keys on code)."""
    (tmp_path / "data").mkdir()
    (tmp_path / "essays").mkdir()
    (tmp_path / "data" / "t.csv").write_text("a\n1\n")
    cache = tmp_path / "_build" / ".jupyter_cache"
    cache.mkdir(parents=True)
    assert run.guard_cache(tmp_path) is True and not cache.exists()  # no stamp yet: unknown inputs
    cache.mkdir()
    assert run.guard_cache(tmp_path) is False and cache.exists()  # nothing changed
    (tmp_path / "data" / "t.csv").write_text("a\n2\n")
    assert run.guard_cache(tmp_path) is True and not cache.exists()
