"""Run the chapters outside the book build, to list their checked claims and glued values.

    python -m essays.run claims            # `make claims`: every claim by chapter, exit 1 if one fails
    python -m essays.run glued             # `make glued`: chapters/_glued.json from the build's chapters
    python -m essays.run guard-cache       # `make book`: drop the execution cache when data or code changed

For ``claims``, each chapter (its MyST text notebook, read with jupytext) runs once in a fresh
kernel, two at a time, with ``ESSAYS_CLAIMS=record`` so that a failed claim is listed instead of
stopping the chapter. ``glued`` reads the notebooks the book build executed
(``_build/jupyter_execute``), the same values tests/test_glued.py compares: the snapshot is what
review sees when the data change, one line per value.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from essays import toc
from essays.claims import CLAIM_MIME, RECORD_ENV

GLUE_PREFIX = "application/papermill.record/"
SNAPSHOT = "chapters/_glued.json"


def records(notebook) -> tuple[list[dict], dict[str, str]]:
    """The claims (in order) and glued values (name -> text) in an executed notebook's outputs."""
    claims, glued = [], {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if CLAIM_MIME in data:
                claims.append(dict(data[CLAIM_MIME]))
            name = (output.get("metadata", {}).get("scrapbook") or {}).get("name")
            if name and GLUE_PREFIX + "text/plain" in data:
                glued[name] = data[GLUE_PREFIX + "text/plain"]
    return claims, glued


def execute(path: Path) -> dict:
    """Run one chapter; its claims, glued values and the error that stopped it, if any."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = jupytext.read(path)
    os.environ[RECORD_ENV] = "record"
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1]
    claims, glued = records(notebook)
    return {"chapter": path.stem, "claims": claims, "glued": glued, "error": error}


def run_all(paths: list[Path] | None = None, workers: int = 2) -> list[dict]:
    paths = paths or [p for p in toc.sources() if toc.has_code(p)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(execute, paths))


def report_claims(results: list[dict]) -> int:
    failed = 0
    for result in results:
        print(f"\n{result['chapter']}: {len(result['claims'])} claims")
        for c in result["claims"]:
            failed += not c["holds"]
            print(f"  {'ok  ' if c['holds'] else 'FAIL'} {c['name']}: {c['sentence']}")
        if result["error"]:
            failed += 1
            print(f"  ERROR the chapter stopped: {result['error']}")
    total = sum(len(r["claims"]) for r in results)
    print(f"\n{total} claims in {len(results)} chapters; {failed} failed or stopped")
    return 1 if failed else 0


def glued_snapshot(results: list[dict]) -> dict:
    return {
        r["chapter"]: dict(sorted(r["glued"].items())) for r in sorted(results, key=lambda r: r["chapter"])
    }


def built_results(executed: Path | None = None) -> list[dict]:
    """The glued values of the chapters as the book build executed them: myst-nb writes each
    chapter's glue to ``_build/jupyter_execute/chapters/<chapter>.glue.json`` on every build, from the
    execution cache or a fresh run."""
    executed = executed or toc.BOOK / "_build" / "jupyter_execute"
    results = []
    for source in toc.sources():
        if toc.has_code(source):
            path = executed / source.relative_to(toc.BOOK).with_suffix(".glue.json")
            if not path.exists():
                raise FileNotFoundError(f"{path} is missing: build the book first (make book)")
            glue = json.loads(path.read_text(encoding="utf-8"))
            values = {name: output["data"].get("text/plain", "") for name, output in glue.items()}
            results.append({"chapter": source.stem, "glued": values})
    return results


def inputs_digest(book: Path | None = None) -> str:
    """A digest of what a chapter's outputs depend on besides its own cells: data/ and the package."""
    import hashlib

    book = book or toc.BOOK
    digest = hashlib.sha256()
    for path in sorted([*(book / "data").rglob("*"), *(book / "essays").rglob("*.py")]):
        if path.is_file():
            digest.update(str(path.relative_to(book)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def guard_cache(book: Path | None = None) -> bool:
    """myst-nb's execution cache is keyed by the code cells alone, so after an edit to data/ or to the
    package it would serve stale outputs. Drop it when those inputs changed; True if it was dropped."""
    import shutil

    book = book or toc.BOOK
    cache, stamp = book / "_build" / ".jupyter_cache", book / "_build" / ".jupyter_cache.inputs"
    current = inputs_digest(book)
    stale = cache.exists() and (not stamp.exists() or stamp.read_text() != current)
    if stale:
        shutil.rmtree(cache)
        print("data/ or essays/ changed since the last build: every chapter runs again")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)
    return stale


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "claims"
    if command == "claims":
        return report_claims(run_all([Path(a).resolve() for a in argv[1:]] or None))
    if command == "glued":
        results = built_results()
        target = toc.BOOK / SNAPSHOT
        target.write_text(
            json.dumps(glued_snapshot(results), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"wrote {target.relative_to(toc.BOOK)}: {sum(len(r['glued']) for r in results)} values")
        return 0
    if command == "guard-cache":
        guard_cache()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
