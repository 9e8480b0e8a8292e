"""Periods stage: turn a ``--period`` expression into a :class:`Period` (a range of days).

Every command that selects entries by time goes through :func:`parse_period`; reports take the
words they print (``label``, ``span_text``, ``next_label``, ``relative_next``) from the result.
Inside, a period is half-open, ``[start, end_exclusive)``; users only ever see inclusive ends.

The input is normalised (NFC, lower case, diacritics stripped, dashes unified), cut into tokens
and read by a small recursive-descent grammar (``periods-notes.md`` §6.2). Named periods over
calendar months follow the data cut-off of Nghị định 09/2019/NĐ-CP (§6.3): with
``cutoff_day = C`` the months m1..m2 become (day C+1 of the month before m1)..(day C of m2).
Nothing is rolled over or guessed silently: an impossible period is a :class:`PeriodError`, and
whatever was not written out (a missing year, a relative word) is said in ``notes``.

Beyond §6.2: a month may also be written ``8/2023``, ``08/2023`` or ``T8/2023`` (``T`` and
``th`` abbreviate "tháng", so ``T8`` alone follows the missing-year rule like ``tháng 8``); a
two-digit year (``8/23``) stays an error. Once the latest configured term has ended,
``nhiệm kỳ`` and ``từ đầu nhiệm kỳ đến nay`` mean the latest term that has started, whole, with
a note saying so.
"""

from __future__ import annotations

from ngoaivu_cli.periods.model import (
    KINDS,
    Period,
    Term,
    iter_periods,
    period_for_kind,
)
from ngoaivu_cli.periods.parse import ACCEPTED_FORMS, MAX_PERIOD_CHARS, parse_period

__all__ = [
    "ACCEPTED_FORMS", "KINDS", "MAX_PERIOD_CHARS", "Period", "Term",
    "iter_periods", "parse_period", "period_for_kind",
]
