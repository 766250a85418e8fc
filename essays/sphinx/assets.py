"""One small stylesheet for the whole site, and icon fonts cut down to the icons the book shows.

Sphinx, the theme and the extensions link nine stylesheets from every page (one of them imports a
tenth), about 100 KB compressed, and the theme's Font Awesome fonts add 270 KB more for the dozen
icons in the header. On a phone's slow link the stylesheets hold back the first paint. After an HTML
build, this step:

* joins the stylesheets that every page links, in their order and with their ``@import`` inlined,
  into one file, ``_static/styles/essays-<hash>.css``, and links it from every page instead;
* drops each rule whose every selector names a class or id that appears in no page and no script of
  the site (tinycss2 parses the CSS; classes that scripts add are kept because the scripts name
  them, and a selector's ``:not(...)``, ``:is(...)`` or ``:has(...)`` never counts against it);
* cuts each icon font down to the characters that the remaining rules still draw (fontTools), and
  drops a font that draws none of them.

Licence comments (``/*! ... */``) are kept. The step runs again after every build and rewrites every
page, so a page that a cached rebuild left untouched still points at the newest stylesheet.
"""

from __future__ import annotations

import hashlib
import os
import re
from io import BytesIO
from pathlib import Path, PurePosixPath

import tinycss2

BUNDLE_DIR = PurePosixPath("_static/styles")
BUNDLE_PREFIX = "essays-"

STYLESHEET_LINK = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>\n?')
HREF = re.compile(r'\bhref="([^"]+)"')
WORD = re.compile(r"[A-Za-z0-9_-]+")
# A class or id in a selector; CSS escapes (\:, \[) are part of the name.
NAMED = re.compile(r"[.#]((?:\\.|[\w-])+)")
# Arguments of functional pseudo-classes (:not(.a), :is(.a, .b), :has(> .c)) never decide a rule.
PSEUDO_ARGUMENTS = re.compile(r":(?:not|is|where|has|host|host-context)\((?:[^()]|\([^()]*\))*\)")
URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def site_words(outdir: Path) -> set[str]:
    """Every word (letters, digits, _ and -) in the site's pages and scripts: a class that a
    selector names is in use if it is one of these, or if a script builds it from one of these
    that ends in "-" (``"bs-tooltip-" + placement``)."""
    words: set[str] = set()
    for path in [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]:
        words.update(WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return words


def selector_in_use(selector: str, words: set[str], prefixes: tuple[str, ...]) -> bool:
    names = NAMED.findall(PSEUDO_ARGUMENTS.sub("", selector))
    return all(name in words or name.startswith(prefixes) for name in (n.replace("\\", "") for n in names))


def _prefixes(words: set[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w.endswith("-") and len(w) > 3)


def purge(css: str, words: set[str], prefixes: tuple[str, ...] | None = None) -> str:
    """The stylesheet without the rules that no page can match; at-rules other than @media,
    @supports, @layer and @container (fonts, keyframes, imports, charset) are kept as they are."""
    if prefixes is None:
        prefixes = _prefixes(words)
    return "".join(_purged(tinycss2.parse_stylesheet(css), words, prefixes))


def _purged(rules, words, prefixes) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in _split_selectors(tinycss2.serialize(rule.prelude))]
            used = [s for s in selectors if selector_in_use(s, words, prefixes)]
            if used:
                out.append(",".join(used) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif (
            rule.type == "at-rule"
            and rule.content is not None
            and rule.lower_at_keyword
            in (
                "media",
                "supports",
                "layer",
                "container",
            )
        ):
            inner = _purged(tinycss2.parse_rule_list(rule.content), words, prefixes)
            if inner:
                out.append(
                    f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}{{{''.join(inner)}}}"
                )
        elif rule.type == "comment":
            if rule.value.startswith("!"):
                out.append(f"/*{rule.value}*/\n")
        elif rule.type == "whitespace":
            continue
        else:
            out.append(rule.serialize())
    return out


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :is(...) and the like)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return parts


def joined(sources: list[Path], bundle_dir: Path) -> str:
    """The stylesheets as one, each ``@import`` replaced by the file it names and each relative
    ``url(...)`` rewritten to hold from ``bundle_dir``."""
    return "\n".join(_inlined(source, bundle_dir) for source in sources)


def _inlined(source: Path, bundle_dir: Path) -> str:
    text = source.read_text(encoding="utf-8")
    text = re.sub(r'@charset\s+"[^"]*";', "", text)

    def imported(match):
        return _inlined((source.parent / match[2]).resolve(), bundle_dir)

    text = re.sub(r"""@import\s+(?:url\()?\s*(['"])([^'"]+)\1\s*\)?\s*;""", imported, text)

    def rebased(match):
        url = match[2]
        if re.match(r"(?:[a-z]+:|/|#)", url):
            return match[0]
        target = (source.parent / url.split("#")[0].split("?")[0]).resolve()
        relative = Path(_relative(target, bundle_dir.resolve()))
        suffix = url[len(url.split("#")[0].split("?")[0]) :]
        return f"url({relative.as_posix()}{suffix})"

    return URL.sub(rebased, text)


def _relative(target: Path, start: Path) -> str:
    return os.path.relpath(target, start)


def drawn_characters(css: str) -> set[int]:
    """The characters other than ASCII in the stylesheet's strings: an icon font's icons are such
    characters in ``content`` values and custom properties (``.fa-github:before{content:"\\f09b"}``)."""
    characters = set()
    for token in _tokens(tinycss2.parse_stylesheet(css)):
        if token.type == "string":
            characters.update(ord(c) for c in token.value if ord(c) > 127)
    return characters


def _tokens(nodes):
    """Every token of a parsed stylesheet, nested blocks and declarations included."""
    for node in nodes:
        yield node
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                yield from _tokens(children)


def cut_fonts(css: str, bundle_dir: Path) -> str:
    """Each local font of each @font-face rule cut down to the characters the stylesheet draws, as
    WOFF2 files named by their content; a rule whose font draws none of them is dropped."""
    from fontTools import subset

    wanted = drawn_characters(css)

    def cut(match):
        rule = match[0]
        urls = [u for _, u in URL.findall(rule) if not re.match(r"[a-z]+:", u)]
        woff2 = [u for u in urls if u.endswith(".woff2")] or urls
        if not woff2:
            return rule
        path = (bundle_dir / woff2[0]).resolve()
        if not path.exists():
            return rule
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        font = subset.load_font(str(path), options)
        characters = wanted & set(font.getBestCmap() or {})
        if not characters:
            return ""
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=characters)
        subsetter.subset(font)
        buffer = BytesIO()
        subset.save_font(font, buffer, options)
        data = buffer.getvalue()
        name = f"{path.name.split('.')[0]}.{hashlib.sha256(data).hexdigest()[:10]}.woff2"
        (path.parent / name).write_bytes(data)
        href = Path(_relative(path.parent / name, bundle_dir.resolve())).as_posix()
        return re.sub(r"src:[^;}]*", f'src:url({href}) format("woff2")', rule)

    return re.sub(r"@font-face\s*\{[^}]*\}", cut, css)


def stylesheet_hrefs(page_html: str) -> list[str]:
    head = page_html.split("</head>", 1)[0]
    return [HREF.search(tag)[1] for tag in STYLESHEET_LINK.findall(head) if HREF.search(tag)]


def relink(page_html: str, href: str) -> str:
    """The page with its stylesheet links in <head> replaced by one link, where the first stood."""
    head, sep, body = page_html.partition("</head>")
    done = []

    def one(match):
        if done:
            return ""
        done.append(True)
        return f'<link rel="stylesheet" href="{href}" />\n'

    return STYLESHEET_LINK.sub(one, head) + sep + body


def slim(outdir: Path) -> Path | None:
    """Bundle, purge and relink the built site at ``outdir``; returns the stylesheet written (None
    when no page links the original stylesheets and the site already has its bundle)."""
    pages = [p for p in sorted(outdir.rglob("*.html")) if p.relative_to(outdir).parts[0] != "_static"]
    bundle_dir = outdir / BUNDLE_DIR
    sources = None
    for page in pages:
        hrefs = stylesheet_hrefs(page.read_text(encoding="utf-8"))
        if hrefs and not all(Path(h).name.startswith(BUNDLE_PREFIX) for h in hrefs):
            found = [(page.parent / h.split("?")[0]).resolve() for h in hrefs]
            if sources is None:
                sources, first = found, page
            elif found != sources:
                raise RuntimeError(
                    f"{page.relative_to(outdir)} links other stylesheets than {first.relative_to(outdir)}:"
                    f" {[str(p.relative_to(outdir)) for p in found]}"
                )
    if sources is None:
        return None
    css = joined(sources, bundle_dir)
    css = cut_fonts(purge(css, site_words(outdir)), bundle_dir)
    name = f"{BUNDLE_PREFIX}{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    for old in bundle_dir.glob(f"{BUNDLE_PREFIX}*.css"):
        old.unlink()
    target = (bundle_dir / name).resolve()
    target.write_text('@charset "UTF-8";\n' + css, encoding="utf-8")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if not stylesheet_hrefs(text):
            continue  # a redirect page (index.html) links no stylesheet
        href = Path(_relative(target, page.parent.resolve())).as_posix()
        page.write_text(relink(text, href), encoding="utf-8")
    return target


def slim_site(app, exception):
    """build-finished: the HTML builder's site, slimmed (not the single-page build that `make pdf`
    prints, which is read from disk and never sent over a network)."""
    if exception or app.builder is None or app.builder.name != "html":
        return
    slim(Path(app.outdir))
