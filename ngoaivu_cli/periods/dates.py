"""Dates as the log writes them: the strict ``YYYY-MM-DD`` of an entry's ``date`` (with the
problem a wrong form is, in Vietnamese), and a plan's month or quarter (``tháng 12/2024``,
``2024-Q1``). Below the configuration, which reads dates the same way."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import NamedTuple

_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_DMY_RE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\Z")


class ApproxDate(NamedTuple):
    """A plan's ``date`` known only to a month or a quarter: its first and last day, and the
    canonical stem (``2024-12``, ``2024-q1``) that names its file."""

    start: dt.date
    end: dt.date
    stem: str


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LOOKS_APPROX = re.compile(r"\A\s*\d{4}-(\d{1,2}|[qQ]\d)\s*\Z|quý|tháng|Quý|Tháng|QUÝ|THÁNG")
_APPROX_FORMS = (
    (re.compile(r"(\d{4})-(\d{1,2})"), "month", (1, 2)),
    (re.compile(r"(\d{4})-q([1-4])"), "quarter", (1, 2)),
    (re.compile(r"(?:dự kiến\s+)?(?:tháng|th|t)\s*(\d{1,2})\s*(?:/|\s+năm\s+)\s*(\d{4})"),
     "month", (2, 1)),
    (re.compile(r"(?:dự kiến\s+)?quý\s*(iv|iii|ii|i|[1-4])\s*(?:/|\s+năm\s+)\s*(\d{4})"),
     "quarter", (2, 1)),
)


def parse_approx(text: str) -> ApproxDate | None:
    """``2024-12``, ``tháng 12/2024``, ``dự kiến tháng 12 năm 2024`` → the month;
    ``2024-Q1``, ``quý I/2024``, ``quý 1 năm 2024`` → the quarter; anything else: None."""
    import calendar
    import unicodedata

    low = " ".join(unicodedata.normalize("NFC", text).lower().split())
    for pattern, kind, (yi, ni) in _APPROX_FORMS:
        m = pattern.fullmatch(low)
        if not m:
            continue
        year = int(m[yi])
        raw = m[ni]
        n = _ROMAN[raw] if raw in _ROMAN else int(raw)
        if not 1900 <= year <= 2200:
            return None
        if kind == "month":
            if not 1 <= n <= 12:
                return None
            first, last = (n, n)
            stem = f"{year}-{n:02d}"
        else:
            first, last = (3 * n - 2, 3 * n)
            stem = f"{year}-q{n}"
        return ApproxDate(dt.date(year, first, 1),
                          dt.date(year, last, calendar.monthrange(year, last)[1]), stem)
    return None


def parse_date_text(text: str) -> tuple[dt.date | None, str | None, str | None, str]:
    """Strict date parsing: (date, problem code, message, hint); only ``YYYY-MM-DD`` is valid."""
    text = text.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        with contextlib.suppress(ValueError):  # the usual case, in C; else the full parse below
            return dt.date.fromisoformat(text), None, None, ""
    m = _ISO_DATE_RE.match(text)
    if m and len(m[2]) == 2 and len(m[3]) == 2:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        try:
            return dt.date(y, mo, d), None, None, ""
        except ValueError:
            return None, "E-DATE-INVALID", _impossible(y, mo, d), _IMPOSSIBLE_HINT
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        try:
            iso = dt.date(y, mo, d).isoformat()
        except ValueError:
            return None, "E-DATE-INVALID", _impossible(y, mo, d), _IMPOSSIBLE_HINT
        return (None, "E-DATE-INVALID", f'ngày "{text}" phải có đủ hai chữ số cho tháng và ngày',
                f"viết `{iso}`")
    m = _DMY_RE.match(text)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        try:
            iso = dt.date(y, mo, d).isoformat()
        except ValueError:
            return None, "E-DATE-INVALID", _impossible(y, mo, d), _IMPOSSIBLE_HINT
        return (None, "E-DATE-DMY", f'ngày "{text}" viết theo kiểu ngày/tháng/năm',
                f"viết theo ISO: `{iso}` (năm-tháng-ngày)")
    return (None, "E-DATE-INVALID", f'"{text}" không phải là ngày',
            "ngày phải viết YYYY-MM-DD, ví dụ 2023-08-28")


_IMPOSSIBLE_HINT = "kiểm tra lại ngày và tháng trên giấy tờ gốc"


def _impossible(y: int, mo: int, d: int) -> str:
    if y < 1:
        return f"năm {y:04d} không tồn tại (ngày {d:02d}/{mo:02d}/{y:04d})"
    if not 1 <= mo <= 12:
        return f"tháng {mo} không tồn tại (ngày {d:02d}/{mo:02d}/{y})"
    import calendar

    days = calendar.monthrange(y, mo)[1]
    return f"ngày {d:02d}/{mo:02d}/{y} không tồn tại (tháng {mo:02d}/{y} có {days} ngày)"
