"""The book's one shared package, arranged by concept.

A chapter's setup cell is ``from essays import load, glue, claim, charts``. The concept modules
(``access``, ``lags``, ``costs``, ``events``) hold what two chapters share and the calculators a
reader should be able to test; ``essays.sphinx`` is the build side, which no chapter imports.
"""

from essays import charts
from essays.claims import claim
from essays.data import DataError, load
from essays.display import glue, table

__all__ = ["DataError", "charts", "claim", "glue", "load", "table"]
