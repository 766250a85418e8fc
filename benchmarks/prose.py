"""Readability of each chapter's prose: words, sentences, mean sentence length, share over 30 words.

    .venv/bin/python benchmarks/prose.py

Reads the markdown cells of every chapter in _toc.yml (code, directives, tables, headings, captions
and labels left out); a glued value counts as one word. The house aims at a mean of at most 20 words
and fewer than one sentence in ten over 30 words.
"""

from __future__ import annotations

import re

import jupytext

from essays import toc

ROLE = re.compile(r"\{[a-z:]+\}`([^`<]*)(?:<[^>]*>)?`")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(*])")


def sentences(markdown: str) -> list[str]:
    kept = []
    in_fence = False
    for line in markdown.splitlines():
        if line.startswith(("```", ":::")):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip() or line.lstrip().startswith(("#", "|", "(", ":", "<")):
            continue
        line = ROLE.sub(lambda m: m.group(1) or "value", line)
        line = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        kept += [s for s in SENTENCE_END.split(line.strip()) if s]
    return kept


def main() -> None:
    print(f"{'chapter':28} {'words':>6} {'sentences':>9} {'mean':>5} {'> 30':>6}")
    for path in toc.sources():
        text = "\n".join(c.source for c in jupytext.read(path).cells if c.cell_type == "markdown")
        lengths = [len(s.split()) for s in sentences(text)]
        if not lengths:
            continue
        long = sum(n > 30 for n in lengths) / len(lengths)
        print(
            f"{path.stem:28} {sum(lengths):6d} {len(lengths):9d} {sum(lengths) / len(lengths):5.1f} {long:6.0%}"
        )


if __name__ == "__main__":
    main()
