"""How long open models took to match closed ones: one rule, shared by chapters 02 and 06.

(Being filled in: the lag functions of chapters 02 and 06 move here with their rule as an argument.)
"""

from __future__ import annotations

import pandas as pd

#: An average month, so that lags in months do not depend on which months they span.
DAYS_PER_MONTH = 365.25 / 12


def months_between(start, end) -> float:
    """Months from ``start`` to ``end`` (dates), in average months of 365.25 / 12 days."""
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_MONTH
