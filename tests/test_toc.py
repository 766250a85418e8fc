"""essays.toc: the one list of chapters, and the errors a maintainer sees when it is wrong."""

import pytest

from essays import toc


def make_book(tmp_path, files, toc_text):
    (tmp_path / "chapters").mkdir()
    for name in files:
        (tmp_path / "chapters" / name).write_text("{}", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(toc_text, encoding="utf-8")
    return tmp_path


TOC = "format: jb-book\nroot: chapters/00-a\nparts:\n  - caption: X\n    chapters:\n      - file: chapters/01-b\n"


def test_entries_come_in_reading_order(tmp_path):
    book = make_book(tmp_path, ["00-a.md", "01-b.md"], TOC)
    assert toc.entries(book) == ["chapters/00-a", "chapters/01-b"]
    assert [p.name for p in toc.sources(book)] == ["00-a.md", "01-b.md"]
    assert [p.name for p in toc.notebooks(book)] == ["00-a.ipynb", "01-b.ipynb"]  # their pairs


def test_an_entry_without_its_file_names_the_entry_and_the_fix(tmp_path):
    book = make_book(tmp_path, ["00-a.md"], TOC)
    with pytest.raises(
        FileNotFoundError, match=r"_toc.yml lists 'chapters/01-b' but chapters/01-b.md does not exist"
    ):
        toc.sources(book)


def test_an_empty_site_fails_the_build_check(tmp_path):
    book = make_book(tmp_path, ["00-a.md", "01-b.md"], TOC)
    (book / "_build" / "html").mkdir(parents=True)
    problems = toc.missing_pages(book / "_build" / "html", book)
    assert len(problems) == 2 and all("not built" in p for p in problems)
