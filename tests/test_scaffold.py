"""`make chapter` gives a chapter that passes every test at once: scaffold it into a scratch copy of
the book, build the copy strictly, then run the notebook, conventions and browser tests there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from essays import scaffold, toc

pytestmark = pytest.mark.site

BOOK = toc.BOOK


def copy_book(target: Path) -> Path:
    ignore = shutil.ignore_patterns(".git", ".venv", "html", ".doctrees", "jupyter_execute", "__pycache__")
    shutil.copytree(BOOK, target, ignore=ignore)
    return target


def test_scaffolded_chapter_passes_every_check(tmp_path):
    book = copy_book(tmp_path / "book")
    env = {**os.environ, "ESSAYS_BOOK": str(book), "ESSAYS_DATA_DIR": str(book / "data")}
    made = subprocess.run(
        [sys.executable, "-m", "essays.scaffold", "first-steps", "First steps"],
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert made.returncode == 0, made.stderr
    chapter = next((book / "chapters").glob("*-first-steps.md"))
    notebook = chapter.with_suffix(".ipynb")
    assert notebook.exists() and f"chapters/{chapter.stem}" in (book / "_toc.yml").read_text()

    built = subprocess.run(
        [
            shutil.which("jupyter-book") or str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            ".",
            "--builder",
            "html",
            "--warningiserror",
            "--nitpick",
            "--keep-going",
        ],
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]

    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            str(notebook),
            "tests/test_conventions.py",
            "tests/test_build.py",
            "tests/test_browser.py",
            "-k",
            # A new chapter starts with the template's one claim; it needs 15 before it is finished,
            # which test_essay_checks_its_claims then asks of it (and says so).
            f"({chapter.stem} or toc or plotly_js or scripts_or_styles or data_file or source_is_cited)"
            " and not essay_checks_its_claims",
        ],
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert tests.returncode == 0, tests.stdout[-4000:]
    assert " passed" in tests.stdout and "failed" not in tests.stdout


def test_scaffold_refuses_a_bad_slug_and_a_duplicate(tmp_path):
    book = copy_book(tmp_path / "book")
    with pytest.raises(ValueError, match="lowercase words joined by hyphens"):
        scaffold.scaffold("First Steps", "First steps", book=book)
    scaffold.scaffold("first-steps", "First steps", book=book)
    with pytest.raises(ValueError, match="already in _toc.yml"):
        scaffold.scaffold("first-steps", "Again", book=book)
