"""Periods: the :class:`Period` value, its words, and the periods of each kind (building
blocks of :mod:`.parse`)."""

from __future__ import annotations

import calendar
from dataclasses import field, replace
from datetime import date, timedelta

from ngoaivu_cli.errors import PeriodError
from ngoaivu_cli.formatting import pad_month, roman, vn_date_short
from ngoaivu_cli.records import record

MIN_YEAR, MAX_YEAR = 1900, 2199  # years a period, or a date on the command line, may lie in
KINDS = ("day", "days", "week", "month", "quarter", "half", "first_n", "last_n", "year", "term")


_ONE = timedelta(days=1)
_KIND_NAMES = {
    "day": "ngày", "days": "khoảng ngày", "week": "tuần (ISO)", "month": "tháng", "quarter": "quý",
    "half": "6 tháng", "first_n": "các tháng đầu năm", "last_n": "các tháng cuối năm",
    "year": "năm", "term": "nhiệm kỳ",
}


def kind_name(kind: str) -> str:
    """A period kind as messages say it: ``month`` → ``tháng``, ``first_n`` → ``các tháng đầu
    năm``."""
    return _KIND_NAMES.get(kind, kind)


_RELATIVE_NEXT = {
    "day": "tuần tới", "days": "tuần tới", "week": "tuần tới", "month": "tháng tới",
    "quarter": "quý tới", "year": "năm tới",
}
_PER_YEAR = {"month": 12, "quarter": 4, "half": 2}



@record(frozen=True)
class Term:
    """A term of office from the configuration (``periods.terms``); ``end`` is inclusive."""

    name: str
    start: date
    end: date


@record(frozen=True)
class Period:
    """A resolved period: days ``start`` .. ``end_exclusive - 1``, with the words reports print."""

    start: date
    end_exclusive: date
    kind: str
    label: str
    year: int | None = None
    index: int | None = None
    cutoff_day: int | None = None
    notes: tuple[str, ...] = ()
    term: Term | None = None
    # A report type's data window (``window: {day: 20}``): its months run from day
    # ``window[0]`` of the month before to day ``window[1]``, both printed with the year.
    window: tuple[int, int] | None = None
    # The configured terms, so that next() of a term can find the following one.
    known_terms: tuple[Term, ...] = field(default=(), repr=False, compare=False)
    # A period that runs to today from the start of the year ("ytd": "từ đầu năm đến nay") or
    # of the log ("all": "lũy kế đến nay"): its next period is the rest of the year.
    to_date: str = ""

    @property
    def end(self) -> date:
        """The last day, inclusive."""
        return self.end_exclusive - _ONE

    @property
    def days(self) -> int:
        return (self.end_exclusive - self.start).days

    @property
    def span_text(self) -> str:
        """``24/8 - 31/8/2023``; across years ``25/12/2022 - 05/01/2023``; one day ``24/8/2023``;
        a data window: both ends with the year, ``20/10/2017 - 20/11/2017``."""
        if self.window is not None:
            return f"{vn_date_short(self.start)} - {vn_date_short(self.end)}"
        return _span_text(self.start, self.end)

    @property
    def next_label(self) -> str:
        return self.next().label

    @property
    def relative_next(self) -> str:
        """How a plan section names the next period: "tuần tới", "tháng tới", ..."""
        if self.kind == "half":
            return "6 tháng cuối năm" if self.index == 1 else "6 tháng đầu năm"
        if self.to_date:
            return "thời gian tới"
        return _RELATIVE_NEXT.get(self.kind, "thời gian tới")

    def next(self) -> Period:
        """The period right after this one (no gap, no overlap), with the same cut-off.

        Days: the same number of days. first_n N → last_n 12-N of the same year → first_n N
        of the next year. A term: the rest of it, then the next configured term, else a term
        of the same length.
        """
        kind, year, index, cutoff = self.kind, self.year or 0, self.index or 0, self.cutoff_day
        if self.window is not None and kind in WINDOW_KINDS:
            return with_window(without_window(self).next(), self.window)
        if self.to_date:
            return _rest_of_year(self)
        if kind in ("day", "days"):
            return _day_span(self.end_exclusive, self.end_exclusive + (self.end_exclusive - self.start))
        if kind == "week":
            return _week_of(self.end_exclusive)
        if kind == "term":
            return _next_term(self)
        if kind == "year":
            return _named("year", year + 1, None, cutoff)
        if kind == "first_n":
            return _named("last_n", year, 12 - index, cutoff)
        if kind == "last_n":
            return _named("first_n", year + 1, 12 - index, cutoff)
        per_year = _PER_YEAR[kind]
        return _named(kind, year + index // per_year, index % per_year + 1, cutoff)

    def contains(self, d: date) -> bool:
        return self.start <= d < self.end_exclusive

    def overlaps(self, start: date, end: date | None = None) -> bool:
        """Whether days ``start``..``end`` (inclusive; one day when ``end`` is None) touch it."""
        return start < self.end_exclusive and (end or start) >= self.start

    def describe(self) -> list[str]:
        """The lines ``ngoaivu period`` prints."""
        nxt = self.next()
        lines = [
            f"Kỳ: {self.label}",
            f"Từ: {_dmy(self.start)}",
            f"Đến: {_dmy(self.end)} ({self.days} ngày)",
            f"Loại: {_KIND_NAMES.get(self.kind, self.kind)}",
            f"Kỳ tiếp theo: {nxt.label} ({_dmy(nxt.start)} - {_dmy(nxt.end)})",
        ]
        return lines + [f"Ghi chú: {note}" for note in self.notes]

    def to_json(self) -> dict[str, object]:
        nxt = self.next()
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "kind": self.kind,
            "label": self.label,
            "days": self.days,
            "cutoff_day": self.cutoff_day,
            "window": list(self.window) if self.window else None,
            "notes": list(self.notes),
            "next": {"start": nxt.start.isoformat(), "end": nxt.end.isoformat(), "label": nxt.label},
        }


# --- building periods ------------------------------------------------------------------------


def _dmy(d: date) -> str:
    """``01/07/2023``: the fixed-width form of ``ngoaivu period``."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _span_text(start: date, end: date) -> str:
    if start == end:
        return vn_date_short(start)
    return f"{vn_date_short(start, with_year=start.year != end.year)} - {vn_date_short(end)}"


def _month_after(year: int, month: int, n: int = 1) -> tuple[int, int]:
    k = year * 12 + month - 1 + n
    return k // 12, k % 12 + 1


def _weeks_in(iso_year: int) -> int:
    return date(iso_year, 12, 28).isocalendar().week


def _cut(year: int, month: int, cutoff: int) -> tuple[date, str | None]:
    """The cut-off day of a month, clamped to its last day (with a note when clamped)."""
    last = calendar.monthrange(year, month)[1]
    if cutoff <= last:
        return date(year, month, cutoff), None
    day = date(year, month, last)
    return day, f"tháng {pad_month(month)}/{year} chỉ có {last} ngày, chốt số liệu ngày {vn_date_short(day)}"


def _check_cutoff(cutoff: int | None) -> None:
    if cutoff is not None and not 1 <= cutoff <= 31:
        raise PeriodError(f"ngày chốt số liệu {cutoff} không hợp lệ (phải từ 1 đến 31)",
                          hint="cutoff_day: null (theo lịch) hoặc 14 (Nghị định 09/2019)")


def _named(kind: str, year: int, index: int | None, cutoff: int | None) -> Period:
    """A period over calendar months m1..m2 of ``year``, shifted by the cut-off if any."""
    if kind in ("first_n", "last_n") and index in (6, 12):
        kind, index = ("year", None) if index == 12 else ("half", 1 if kind == "first_n" else 2)
    n = index or 0
    if kind == "month":
        m1, m2, label = n, n, f"tháng {pad_month(n)}/{year}"
    elif kind == "quarter":
        m1, m2, label = 3 * n - 2, 3 * n, f"quý {roman(n)}/{year}"
    elif kind == "half":
        m1, m2 = (1, 6) if n == 1 else (7, 12)
        label = f"6 tháng {'đầu' if n == 1 else 'cuối'} năm {year}"
    elif kind == "first_n":
        m1, m2, label = 1, n, f"{n} tháng đầu năm {year}"
    elif kind == "last_n":
        m1, m2, label = 13 - n, 12, f"{n} tháng cuối năm {year}"
    else:
        m1, m2, label = 1, 12, f"năm {year}"
    if cutoff is None:
        return Period(date(year, m1, 1), date(*_month_after(year, m2), 1), kind, label, year, index)
    first, note1 = _cut(*_month_after(year, m1, -1), cutoff)
    last, note2 = _cut(year, m2, cutoff)
    notes = (f"chốt số liệu ngày {cutoff}", *(n for n in (note1, note2) if n))
    return Period(first + _ONE, last + _ONE, kind, label, year, index, cutoff, notes)


# the kinds of period made of calendar months, which a data window shifts
WINDOW_KINDS = ("month", "quarter", "half", "first_n", "last_n", "year")


def with_window(period: Period, window: tuple[int, int] | None) -> Period:
    """``period`` over a report type's data window: its months m1..m2 run from day
    ``window[0]`` of the month before m1 to day ``window[1]`` of m2, both included (a day past
    the end of a short month is its last day, said in a note). Periods not made of calendar
    months (days, weeks, a term) and a period with a cut-off day are returned unchanged."""
    if window is None or period.kind not in WINDOW_KINDS or period.cutoff_day is not None \
            or period.year is None:
        return period
    first_day, last_day = window
    m1 = period.start.month
    m2 = period.end.month
    y2 = period.end.year
    first, note1 = _cut(*_month_after(period.start.year, m1, -1), first_day)
    last, note2 = _cut(y2, m2, last_day)
    notes = (f"số liệu từ ngày {first_day} tháng trước đến ngày {last_day} (window của loại báo "
             "cáo)", *(n for n in (note1, note2) if n), *period.notes)
    return replace(period, start=first, end_exclusive=last + _ONE, window=window, notes=notes)


def without_window(period: Period) -> Period:
    """The calendar period a windowed one was made from (same kind, year and index)."""
    if period.window is None or period.year is None:
        return period
    return _named(period.kind, period.year, period.index, None)


def _week(iso_year: int, week: int) -> Period:
    start = date.fromisocalendar(iso_year, week, 1)
    return Period(start, start + 7 * _ONE, "week", f"tuần {week}/{iso_year}", iso_year, week)


def _week_of(d: date) -> Period:
    iso = d.isocalendar()
    return _week(iso.year, iso.week)


def _day_span(start: date, end_exclusive: date, notes: tuple[str, ...] = (),
              cutoff: int | None = None) -> Period:
    end = end_exclusive - _ONE
    if start == end:
        return Period(start, end_exclusive, "day", f"ngày {vn_date_short(start)}", start.year,
                      cutoff_day=cutoff, notes=notes)
    return Period(start, end_exclusive, "days", f"từ ngày {_span_text(start, end)}", end.year,
                  cutoff_day=cutoff, notes=notes)


def _term_full(term: Term, known: tuple[Term, ...], notes: tuple[str, ...] = ()) -> Period:
    return Period(term.start, term.end + _ONE, "term", f"nhiệm kỳ {term.name}", notes=notes,
                  term=term, known_terms=known)


def _term_rest(term: Term, start: date, known: tuple[Term, ...]) -> Period:
    return Period(start, term.end + _ONE, "term", f"thời gian còn lại của nhiệm kỳ {term.name}",
                  term=term, known_terms=known)


def _next_term(p: Period) -> Period:
    begin, term, known = p.end_exclusive, p.term, p.known_terms
    if term is not None and begin <= term.end:
        return _term_rest(term, begin, known)
    later = [t for t in known if t.end >= begin]
    if later:
        t = min(later, key=lambda t: t.start)
        if t.start == begin:
            return _term_full(t, known)
        note = (f"nhiệm kỳ {t.name} bắt đầu ngày {vn_date_short(t.start)}; kỳ này tính từ ngày "
                f"{vn_date_short(begin)} để không bỏ sót ngày nào")
        return replace(_term_full(t, known, (note,)), start=begin)
    # A term of the same length in whole years: 2021-01-01..2026-06-30 → 2026-07-01..2031-06-30.
    years = max(1, round((p.end_exclusive - (term.start if term else p.start)).days / 365.25))
    try:
        end = begin.replace(year=begin.year + years) - _ONE
    except ValueError:  # begins on 29/02
        end = date(begin.year + years, 2, 28)
    made = Term(f"{begin.year}-{end.year}", begin, end)
    return _term_full(made, known, ("nhiệm kỳ này chưa được khai báo trong cấu hình",))


def _rest_of_year(period: Period) -> Period:
    """The next period of one that runs up to a day (``từ đầu năm đến nay``, ``lũy kế đến
    nay``): the rest of that reporting year ("thời gian còn lại của năm 2022", 26/11 –
    31/12/2022, under the same cut-off); the next year when it ended on the year's last day."""
    year = period_for_kind("year", period.end, cutoff_day=period.cutoff_day)
    if period.end_exclusive >= year.end_exclusive:
        return year.next()
    return Period(period.end_exclusive, year.end_exclusive, "days",
                  f"thời gian còn lại của năm {year.year}", year.year,
                  cutoff_day=period.cutoff_day)


def period_for_kind(kind: str, d: date, *, cutoff_day: int | None = None) -> Period:
    """The period of ``kind`` ("day", "week", "month", "quarter", "half", "year") containing
    ``d``, with the cut-off applied to month-based kinds."""
    if kind == "day":
        return _day_span(d, d + _ONE)
    if kind == "week":
        return _week_of(d)
    if kind not in ("month", "quarter", "half", "year"):
        raise PeriodError(f"không có loại kỳ “{kind}”",
                          hint="dùng một trong: day, week, month, quarter, half, year")
    _check_cutoff(cutoff_day)
    year, month = d.year, d.month
    if cutoff_day is not None and d > _cut(year, month, cutoff_day)[0]:
        year, month = _month_after(year, month)
    index = {"month": month, "quarter": (month + 2) // 3, "half": (month + 5) // 6, "year": None}
    return _named(kind, year, index[kind], cutoff_day)


def iter_periods(kind: str, within: Period, *, cutoff_day: int | None = None) -> list[Period]:
    """The periods of ``kind`` that end inside ``within`` (each ISO week ending in a month...)."""
    out: list[Period] = []
    p = period_for_kind(kind, within.start, cutoff_day=cutoff_day)
    while p.end < within.end_exclusive:
        out.append(p)
        p = p.next()
    return out


_NAMED_KINDS = ("month", "quarter", "half", "first_n", "last_n", "year")


def minus_year(d: date) -> date:
    """The same day one year earlier; 29/02 becomes 28/02."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return date(d.year - 1, 2, 28)


def same_period_last_year(period: Period) -> Period | None:
    """The same period one year earlier: tháng 8/2022 for tháng 8/2023 (same cut-off); week 35
    of the ISO year before (its last week when it has no week 53); days shifted by a year, a
    29/02 becoming 28/02. None before the first year a period may lie in."""
    year = (period.year or period.end.year) - 1
    if year < MIN_YEAR:
        return None
    kind = period.kind
    if kind in _NAMED_KINDS and period.year is not None:
        return with_window(_named(kind, year, period.index, period.cutoff_day), period.window)
    if kind == "week" and period.year is not None and period.index is not None:
        return _week(year, min(period.index, _weeks_in(year)))
    start, end = minus_year(period.start), minus_year(period.end)
    return _day_span(start, end + _ONE, cutoff=period.cutoff_day)
