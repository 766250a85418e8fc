"""The book's one shared package: data loading, charts and book plumbing.

A chapter's setup cell is ``from essays import load, charts, glue``.
"""

from essays import charts
from essays.book import glue
from essays.data import DataError, load

__all__ = ["DataError", "charts", "glue", "load"]
