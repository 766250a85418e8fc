"""Every internal link and anchor on the built site points at something that exists."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.site


@cache
def ids_in(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return frozenset(tag["id"] for tag in soup.find_all(id=True)) | frozenset(
        tag["name"] for tag in soup.find_all("a", attrs={"name": True})
    )


def test_internal_links_and_anchors_resolve(site):
    broken = []
    # _static holds the theme's Jinja macro files, copied verbatim: not pages.
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)
    assert pages, f"{site} has no pages"
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attr: True}):
                url = urlparse(element[attr])
                if url.scheme or url.netloc or element[attr].startswith(("mailto:", "data:")):
                    continue
                target = (page.parent / unquote(url.path)).resolve() if url.path else page
                if target.is_dir():
                    target = target / "index.html"
                where = f"{page.relative_to(site)}: {element[attr]}"
                if not target.exists():
                    broken.append(f"{where} (no such file)")
                elif (
                    url.fragment and target.suffix == ".html" and unquote(url.fragment) not in ids_in(target)
                ):
                    broken.append(f"{where} (no element with id '{url.fragment}')")
    assert broken == [], "broken links:\n" + "\n".join(broken)
