"""The paired notebooks (essays.publish): in sync with their chapters, without outputs, and with a
Colab cell written from _config.yml's one repository setting, inert outside Colab, that in Colab
fetches the book and makes its package importable in the running kernel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import types

import nbformat
import pytest

from essays import publish, toc


def scratch_book(tmp_path, url="https://github.com/someone/fork", branch="draft"):
    (tmp_path / "_config.yml").write_text(
        f"repository:\n  url: {url}\n  branch: {branch}\n", encoding="utf-8"
    )
    shutil.copy(toc.BOOK / "pyproject.toml", tmp_path)
    (tmp_path / "requirements.txt").write_text(
        "frictionless==1.0\njupytext==1.0\nmyst-nb==2.0\npandas==3.0.9\nplotly==4.0\n-e .\n", encoding="utf-8"
    )
    return tmp_path


def test_the_cell_follows_the_repository_setting(tmp_path):
    source = publish.bootstrap_source(scratch_book(tmp_path))
    assert '"https://github.com/someone/fork"' in source and '"--branch", "draft"' in source
    assert "open-closed-ai" not in source


@pytest.fixture()
def calls(monkeypatch):
    """Record the commands and directory changes the cell makes, instead of making them."""
    made = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: made.append(("run", args)))
    monkeypatch.setattr(os, "chdir", lambda path: made.append(("chdir", path)))
    monkeypatch.setattr(sys, "path", list(sys.path))
    return made


def test_the_cell_does_nothing_outside_colab(calls, monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(publish.bootstrap_source(), {})
    assert calls == [] and publish.TARGET not in sys.path


def test_in_colab_the_cell_clones_installs_and_imports(calls, monkeypatch, tmp_path):
    source = publish.bootstrap_source(scratch_book(tmp_path))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(os.path, "isdir", lambda path: False)
    exec(source, {})
    (_, clone), (_, install), chdir = calls
    assert clone[:2] == ["git", "clone"] and clone[-2:] == ["https://github.com/someone/fork", publish.TARGET]
    assert clone[clone.index("--branch") + 1] == "draft"
    assert install[1:4] == ["-m", "pip", "install"] and install[install.index("-e") + 1] == publish.TARGET
    assert {"pandas==3.0.9", "plotly==4.0", "frictionless==1.0", "myst-nb==2.0"} <= set(install)
    assert chdir == ("chdir", f"{publish.TARGET}/chapters")
    assert sys.path[0] == publish.TARGET


def test_a_second_run_in_colab_does_not_clone_again(calls, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(os.path, "isdir", lambda path: path == publish.TARGET)
    exec(publish.bootstrap_source(), {})
    assert [kind for kind, _ in calls] == ["chdir"]


def test_write_bootstrap_adds_the_cell_once_before_the_first_code_cell():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("(x)=\n# X"),
            nbformat.v4.new_code_cell("from essays import load"),
        ]
    )
    publish.write_bootstrap(notebook)
    publish.write_bootstrap(notebook)
    assert [c.get("id") for c in notebook.cells].count(publish.CELL_ID) == 1
    assert notebook.cells[1].id == publish.CELL_ID and notebook.cells[2].source == "from essays import load"
    notebook.cells[1].source = "stale"
    publish.write_bootstrap(notebook)
    assert notebook.cells[1].source == publish.bootstrap_source()
    nbformat.validate(notebook)


def test_a_page_without_code_gets_no_cell():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("(x)=\n# X")])
    publish.write_bootstrap(notebook)
    assert len(notebook.cells) == 1


def test_a_dependency_without_a_pin_is_an_error_that_says_what_to_run(tmp_path):
    book = scratch_book(tmp_path)
    (book / "requirements.txt").write_text("pandas==3.0.9\n", encoding="utf-8")
    with pytest.raises(
        ValueError,
        match=r"pins no version of \['frictionless', 'jupytext', 'myst-nb', 'plotly'\]: run `make lock`",
    ):
        publish.bootstrap_source(book)


def test_every_paired_notebook_matches_its_chapter():
    """The committed .ipynb of each chapter is exactly what `make notebooks` writes from its .md."""
    for source in toc.sources():
        target = source.with_suffix(".ipynb")
        assert target.exists(), f"{target.relative_to(toc.BOOK)} is missing: run `make notebooks`"
        assert target.read_text(encoding="utf-8") == publish.render(source), (
            f"{target.relative_to(toc.BOOK)} has drifted from {source.name}: run `make notebooks`"
        )


def test_paired_notebooks_carry_no_outputs_and_start_with_the_colab_cell():
    for target in toc.notebooks():
        notebook = nbformat.read(target, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), f"{target.name} stores outputs"
        if code:
            assert code[0].id == publish.CELL_ID and "remove-cell" in code[0].metadata.get("tags", [])
