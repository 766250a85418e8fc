"""The notebook tests can fail: one changed data value makes nbval reject the stored outputs."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys

from essays import toc
from essays.data import data_dir

PREFACE = toc.notebooks()[0]


def run_nbval(data: os.PathLike) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESSAYS_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--nbval", str(PREFACE), "-p", "no:cacheprovider"],
        cwd=toc.BOOK, env=env, capture_output=True, text=True, timeout=600,
    )


def test_changing_one_value_fails_the_notebook_test(tmp_path):
    scratch = tmp_path / "data"
    shutil.copytree(data_dir(), scratch)
    assert run_nbval(scratch).returncode == 0, "control run on an unchanged copy must pass"

    path = scratch / "models.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["parameters"])
    row["parameters"] = repr(float(row["parameters"]) * 2)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")

    result = run_nbval(scratch)
    assert result.returncode != 0, f"nbval passed although {row['model_id']}'s parameters doubled"
    assert "mismatch 'application/vnd.plotly.v1+json'" in result.stdout
