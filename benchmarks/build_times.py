"""Print build times of the whole book on this machine, beside the floor a build cannot beat.

    .venv/bin/python benchmarks/build_times.py

Builds a scratch copy of the book (so _build of the working tree is untouched) four ways:
clean (no execution cache), cached rebuild with nothing changed, rebuild after editing one chapter's
prose, and executing each chapter alone with nbclient (the sum is the floor for a clean build).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext
from nbclient import NotebookClient

from essays import toc

JB = str(Path(sys.executable).parent / "jupyter-book")


def build(book: Path, clean_site: bool = True) -> float:
    if clean_site:
        shutil.rmtree(book / "_build" / "html", ignore_errors=True)
        shutil.rmtree(book / "_build" / ".doctrees", ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(
        [JB, "build", str(book), "--builder", "html", "-W", "-n", "--keep-going"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book"
        shutil.copytree(
            toc.BOOK, book, ignore=shutil.ignore_patterns(".git", ".venv", "_build", "node_modules")
        )
        # The copy reads its own chapters and data, whatever happens in the working tree meanwhile.
        os.environ.update(ESSAYS_BOOK=str(book), ESSAYS_DATA_DIR=str(book / "data"))
        clean = build(book)
        cached = build(book)
        chapter = toc.sources(book)[1]
        text = chapter.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("# "))
        chapter.write_text(text.replace(title, title + "\n\nOne more sentence.", 1), encoding="utf-8")
        prose = build(book)

        floor = 0.0
        for path in toc.sources(book):
            notebook = jupytext.read(path)
            start = time.perf_counter()
            NotebookClient(
                notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}}
            ).execute()
            floor += time.perf_counter() - start

    print(f"clean build                    {clean:7.1f} s")
    print(f"cached rebuild, no change      {cached:7.1f} s   {cached / clean:5.2f} of clean")
    print(f"rebuild after a prose edit     {prose:7.1f} s   {prose / clean:5.2f} of clean")
    print(f"sum of executing each chapter  {floor:7.1f} s   clean build is {clean / floor:4.2f}x this floor")


if __name__ == "__main__":
    main()
