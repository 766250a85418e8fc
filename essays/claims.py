"""Checked claims: a sentence whose words depend on the data is checked every time its chapter runs.

In a chapter, next to the numbers the sentence cites::

    claim("open-share-fell-2025", share[2025] < share[2024], "the open share fell in 2025")

``sentence`` quotes the words of the chapter's prose that the check stands behind (the conventions
test finds them in the chapter). When the data no longer support them, the cell raises
``ClaimFailed``, so the strict build stops and names the chapter (myst-nb), the claim and the
sentence. ``make claims`` runs every chapter with ``ESSAYS_CLAIMS=record``: then nothing raises,
every claim is recorded, and ``essays.run`` lists them all with their status.
"""

from __future__ import annotations

import os

CLAIM_MIME = "application/vnd.essays.claim+json"
RECORD_ENV = "ESSAYS_CLAIMS"


class ClaimFailed(AssertionError):
    """The data contradict a sentence of the chapter."""

    def __init__(self, name: str, sentence: str):
        super().__init__(
            f"claim '{name}' does not hold: the data no longer support the sentence \"{sentence}\". "
            "Rewrite the sentence and its check, or fix the data (`make claims` lists every claim)."
        )
        self.name, self.sentence = name, sentence


def claim(name: str, holds, sentence: str) -> bool:
    """Check that ``holds`` is true for the sentence ``sentence``; raise ``ClaimFailed`` if not.

    The check is recorded as an output of the cell (a mime bundle a running JupyterLab shows as one
    line of text, and the book does not show), which is how ``make claims`` collects it.
    """
    from IPython.display import display

    if not name or not sentence:
        raise ValueError("a claim needs a name and the sentence it checks")
    holds = bool(holds)
    mark = "holds" if holds else "FAILS"
    display(
        {
            CLAIM_MIME: {"name": name, "holds": holds, "sentence": sentence},
            "text/plain": f"claim {name} {mark}: {sentence}",
        },
        raw=True,
    )
    if not holds and os.environ.get(RECORD_ENV) != "record":
        raise ClaimFailed(name, sentence)
    return holds
