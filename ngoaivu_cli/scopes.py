"""Scopes: the same figures over other windows than the report's period.

A configuration string that prints ``{{ m.doan_ra }}`` (the period's sum) may also print, with
the same section filters (category, tags, unit, status):

    {{ ytd.doan_ra }}         from the start of the period's year (same cut-off) to its end
    {{ ttd.doan_ra }}         from the start of the term (``periods.terms``) to the period's end
    {{ cumulative.doan_ra }}  everything up to the period's end ("lũy kế")
    {{ previous.doan_ra }}    the previous period of the same kind (tháng 6 before tháng 7)
    {{ last_year.doan_ra }}   the same period one year earlier ("cùng kỳ")
    {{ ytd_last_year.doan_ra }}  the year to date of that period (7 tháng đầu năm 2022)

and, of each scope (``m`` included): ``entries`` (activities counted), ``partners`` (distinct
partners), ``label`` ("7 tháng đầu năm 2023", "6 tháng đầu năm 2022"), ``span``, ``start``,
``end``, ``year``. A figure prints formatted and keeps its number, for the change filters of
:mod:`ngoaivu_cli.figures`.

Each scope has its own window of days; :func:`windows_to_load` says which files a report must
read (only those whose path dates lie in the windows the report type uses), so the cost of a
report follows the scopes it prints, not the length of the history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ngoaivu_cli.config import Config, ReportType, SectionSpec
from ngoaivu_cli.config.vocabulary import (
    CONTAINING,
    SCOPE_TITLES,
    SCOPE_WORDS,
    SCOPES,
    names_for,
)
from ngoaivu_cli.figures import Figure
from ngoaivu_cli.formatting import repad_months, vn_date_short, vn_number
from ngoaivu_cli.log.entries import Entry, overlaps
from ngoaivu_cli.official import split
from ngoaivu_cli.official_figures import apply_official, note_unused
from ngoaivu_cli.periods import Period, period_for_kind
from ngoaivu_cli.periods.model import (
    MIN_YEAR,
    Term,
    _day_span,
    _named,
    _span_text,
    _week,
    minus_year,
    same_period_last_year,
    with_window,
)
from ngoaivu_cli.records import record
from ngoaivu_cli.sums import Select, distinct_partners, metric_sums, section_filter, weight

_ONE = dt.timedelta(days=1)
_NAMED = ("month", "quarter", "half", "first_n", "last_n", "year")
_PER_YEAR = {"month": 12, "quarter": 4, "half": 2}
_MONTHS_DONE = {"month": 1, "quarter": 3, "half": 6}
_SCOPE_RE = re.compile(r"\b(" + "|".join(SCOPES) + r")\s*[.\[]")


@record(frozen=True)
class ScopeWindow:
    """The days of one scope (``end`` inclusive) and the words that name it."""

    name: str
    start: dt.date
    end: dt.date
    label: str
    year: int

    def holds(self, entry: Entry) -> bool:
        """An entry belongs to every window it overlaps (as to a period)."""
        return overlaps(entry, self.start, self.end)


# --- the windows -----------------------------------------------------------------------------


def year_start(period: Period) -> dt.date:
    """The first day of the period's reporting year, under the period's cut-off rule."""
    if period.kind in _NAMED and period.year is not None:
        return with_window(_named("year", period.year, None, period.cutoff_day),
                           period.window).start
    return period_for_kind("year", period.end, cutoff_day=period.cutoff_day).start


def _ytd_label(period: Period, start: dt.date) -> str:
    """``7 tháng đầu năm 2023``, ``năm 2023``; a period not made of months: ``từ ngày 01/01 -
    24/8/2023``."""
    year = period.year
    months = None
    if period.kind in _MONTHS_DONE and period.index:
        months = period.index * _MONTHS_DONE[period.kind]
    elif period.kind == "first_n":
        months = period.index
    elif period.kind in ("last_n", "year"):
        months = 12
    if months is None or year is None:
        return f"từ ngày {_span_text(start, period.end)}"
    if months == 12:
        return f"năm {year}"
    if months == 1:
        return f"tháng 01/{year}"
    return f"{months} tháng đầu năm {year}"


def previous_period(period: Period, terms: Iterable[Term] = ()) -> Period | None:
    """The period of the same kind right before: tháng 6 before tháng 7, quý IV/2022 before quý
    I/2023, the week before, as many days before; "7 tháng đầu năm" and "6 tháng cuối năm" have
    the same months of the year before; a term the configured term that ended before it."""
    kind, year, index, cutoff = period.kind, period.year, period.index, period.cutoff_day
    if kind in ("day", "days"):
        length = period.end_exclusive - period.start
        if period.start.year <= MIN_YEAR and period.start - length < dt.date(MIN_YEAR, 1, 1):
            return None
        return _day_span(period.start - length, period.start, cutoff=cutoff)
    if kind == "week":
        before = period.start - _ONE
        iso = before.isocalendar()
        return _week(iso.year, iso.week)
    if kind == "term":
        earlier = [t for t in terms if t.end < period.start]
        if not earlier:
            return None
        t = max(earlier, key=lambda t: t.end)
        return Period(t.start, t.end + _ONE, "term", f"nhiệm kỳ {t.name}", term=t)
    if year is None or year - 1 < MIN_YEAR:
        return None
    if kind in ("year", "first_n", "last_n"):
        return with_window(_named(kind, year - 1, index, cutoff), period.window)
    per_year = _PER_YEAR[kind]
    n = index or 1
    earlier_one = _named(kind, year, n - 1, cutoff) if n > 1 else _named(kind, year - 1, per_year,
                                                                     cutoff)
    return with_window(earlier_one, period.window)


def _from_period(name: str, p: Period | None) -> ScopeWindow | None:
    if p is None:
        return None
    return ScopeWindow(name, p.start, p.end, p.label, p.year or p.end.year)


def scope_window(name: str, period: Period, terms: Iterable[Term] = ()) -> ScopeWindow | None:
    """The window of scope ``name`` for ``period``; None when it does not exist (no term holds
    the period's end, or no year before it may be counted)."""
    end = period.end
    if name == "ytd":
        start = year_start(period)
        year = period.year if period.kind in _NAMED and period.year else end.year
        return ScopeWindow(name, start, end, _ytd_label(period, start), year)
    if name == "ttd":
        held = [t for t in terms if t.start <= end <= t.end]
        if not held:
            return None
        t = max(held, key=lambda t: t.start)
        return ScopeWindow(name, t.start, end, f"từ đầu nhiệm kỳ {t.name} đến ngày "
                           f"{vn_date_short(end)}", end.year)
    if name == "cumulative":
        return ScopeWindow(name, dt.date(MIN_YEAR, 1, 1), end,
                           f"lũy kế đến ngày {vn_date_short(end)}", end.year)
    if name == "previous":
        return _from_period(name, previous_period(period, terms))
    if name == "last_year":
        return _from_period(name, same_period_last_year(period))
    if name == "ytd_last_year":
        before = same_period_last_year(period)
        w = scope_window("ytd", before, terms) if before is not None else None
        return None if w is None else ScopeWindow(name, w.start, w.end, w.label, w.year)
    raise ValueError(name)


def compare_window(name: str, period: Period, terms: Iterable[Term] = ()) -> ScopeWindow:
    """The window of scope ``name`` set beside ``period`` by ``--compare``; raises
    :class:`~ngoaivu_cli.errors.UsageError` saying why when the two cannot be compared (no term
    holds the period, no year before 1900, a year to date that does not hold the period)."""
    from ngoaivu_cli.errors import UsageError

    title = SCOPE_TITLES[name]
    if name not in CONTAINING and period.start <= dt.date(MIN_YEAR, 1, 1):
        raise UsageError(f"không so sánh được {period.label} với {title}: kỳ tính từ đầu nhật "
                         "ký, không có kỳ nào trước nó", hint="so sánh một kỳ có đầu có cuối, "
                         "ví dụ --period \"năm 2023\" --compare last-year")
    w = scope_window(name, period, terms)
    if w is None:
        if name == "ttd":
            raise UsageError(f"không so sánh được {period.label} với {title}: không nhiệm kỳ nào "
                             f"chứa ngày {vn_date_short(period.end)}",
                             hint="khai báo nhiệm kỳ trong `periods.terms` của ngoaivu.yaml, hoặc "
                                  "chọn --compare last-year, previous, ytd")
        raise UsageError(f"không so sánh được {period.label} với {title}: kỳ ấy trước năm "
                         f"{MIN_YEAR}", hint="chọn --compare ytd hoặc cumulative")
    if name in CONTAINING and w.start > period.start:
        raise UsageError(f"không so sánh được {period.label} với {title} "
                         f"({w.label}): kỳ bắt đầu trước đầu {'năm' if name == 'ytd' else 'nhiệm kỳ'}"
                         ", nên phạm vi ấy không chứa cả kỳ",
                         hint="chọn --compare last-year (cùng kỳ năm trước) hoặc previous (kỳ "
                              "trước), hoặc một kỳ nằm trong một năm")
    return w


def _dmy(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def window_span(w: ScopeWindow) -> str:
    """``01/01/2022–30/06/2022``; empty for a cumulative window, which has no start to print
    (it runs from the first activity of the log) and whose label says its end."""
    if w.name == "cumulative":
        return ""
    return f"{_dmy(w.start)}–{_dmy(w.end)}"


_HEADING_TITLE = {"ytd_last_year": "cùng kỳ"}  # its label says "7 tháng đầu năm 2022" already


def compare_heading(w: ScopeWindow, pad_months: str = "decree") -> str:
    """What a table is compared with, in words that say each thing once: ``cùng kỳ 6 tháng đầu
    năm 2022 (01/01/2022–30/06/2022)``, ``kỳ trước tháng 6/2023 (...)``, ``cùng kỳ 7 tháng đầu
    năm 2022 (...)``; a scope that holds the period is named by its label alone: ``số liệu 7
    tháng đầu năm 2023 (01/01/2023–31/07/2023)``, ``số liệu lũy kế đến ngày 31/7/2023`` (never
    "từ đầu năm 7 tháng đầu năm", "lũy kế lũy kế", a start in 1900)."""
    label = repad_months(w.label, pad_months)
    span = window_span(w)
    words = (f"số liệu {label}" if w.name in CONTAINING else
             f"{_HEADING_TITLE.get(w.name, SCOPE_TITLES[w.name])} {label}")
    return f"{words} ({span})" if span else words


def length_note(period: Period, w: ScopeWindow) -> str:
    """A remark when a change is taken between windows of different lengths (a month against
    the seven months of last year's year to date): empty when they are alike (a month and the
    month before, 28 and 31 days) or the scope holds the period (its share is printed)."""
    if w.name in CONTAINING:
        return ""
    days, other = period.days, (w.end - w.start).days + 1
    if max(days, other) <= 1.2 * min(days, other):
        return ""
    return (f"Lưu ý: hai khoảng dài khác nhau ({period.label}: {days} ngày; {w.label}: "
            f"{other} ngày); mức tăng, giảm là so sánh hai khoảng không cùng độ dài")


def compare_words(name: str, period: Period, terms: Iterable[Term] = (),
                  pad_months: str = "decree") -> dict[str, str]:
    """``compare`` of the strings: the scope the appendix compares with (``title`` "cùng kỳ",
    ``label`` "6 tháng đầu năm 2022", months padded as ``formatting.pad_months`` says,
    ``start``, ``end``); empty texts without one."""
    w = scope_window(name, period, terms) if name else None
    label = repad_months(w.label, pad_months) if w else ""
    return {"scope": name, "title": SCOPE_TITLES.get(name, ""), "label": label,
            "start": w.start.isoformat() if w else "", "end": w.end.isoformat() if w else ""}


# --- which scopes a report type prints, and the files it must read ----------------------------


def scopes_in(texts: Iterable[str]) -> set[str]:
    """The scopes named by configuration strings (``ytd.doan_ra`` → ``ytd``)."""
    found: set[str] = set()
    for text in texts:
        if "{" in text:
            found.update(m[1] for m in _SCOPE_RE.finditer(text))
    return found


def _section_texts(spec: SectionSpec) -> Iterator[str]:
    yield from (spec.heading, spec.text, spec.document, spec.lead or "", spec.empty)
    yield from (s.text for s in spec.stats)
    for sub in spec.subsections:
        yield from _section_texts(sub)


def report_texts(rt: ReportType, config: Config) -> Iterator[str]:
    """Every configuration string a report of type ``rt`` may fill."""
    yield from rt.title
    yield from rt.abstract
    yield from rt.recipients
    yield from (rt.subtitle, rt.opening, rt.closing)
    if rt.appendix is not None:
        yield from (rt.appendix.title, rt.appendix.note)
    for spec in rt.sections:
        yield from _section_texts(spec)
    for cat in config.categories.values():
        yield cat.lead
        yield from (s.text for s in cat.stats)


def used_scopes(rt: ReportType, config: Config) -> set[str]:
    """The scopes a report of type ``rt`` prints (its strings, and its appendix's comparison)."""
    found = scopes_in(report_texts(rt, config))
    if rt.appendix is not None and rt.appendix.compare:
        found.add(rt.appendix.compare)
    return found


def windows_to_load(period: Period, names: Iterable[str], terms: Iterable[Term],
                    lookback_days: int, with_next: bool = True) -> list[tuple[dt.date, dt.date]]:
    """Day ranges whose files a report must read: its period (and the next one), and the window
    of every scope it prints; ranges whose files would overlap (a file dated up to
    ``lookback_days`` before a window may hold one of its activities) are merged."""
    ranges = [(period.start, max(period.end, period.next().end) if with_next else period.end)]
    for name in names:
        w = scope_window(name, period, terms)
        if w is not None:
            ranges.append((w.start, w.end))
    ranges.sort()
    merged: list[tuple[dt.date, dt.date]] = []
    reach = dt.timedelta(days=lookback_days)
    for start, end in ranges:
        if merged and start - reach <= merged[-1][1] + _ONE:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def load_for_report(config: Config, rt: ReportType, period: Period) -> ReportPool:
    """The entries a report of type ``rt`` needs: those of its period and the next one, read
    now, and those of the window of every scope it prints, read when first asked for (only
    those files are read); raises :class:`~ngoaivu_cli.errors.DataError` when any file read
    has an error."""
    own = (period.start, max(period.end, period.next().end))
    ranges = windows_to_load(period, used_scopes(rt, config), config.terms,
                             config.max_activity_days)
    return ReportPool(config, own, ranges)


class ReportPool:
    """What a report reads. ``entries``: the files of its period and the next one, read at
    once. Calling it gives the entries of every window its scopes need, read the first time
    a string asks for a scope's figures: a string that names a scope under a condition that
    does not hold for this period (the weekly report's ``{% if period.kind in ['month',
    'quarter'] and ytd.doan_ra %}``) reads nothing more, so a week costs a week, not the
    year so far. Those entries are what reading all the windows at once would give, in the
    same order; a file with an error among them stops the report when they are read."""

    def __init__(self, config: Config, own: tuple[dt.date, dt.date],
                 ranges: list[tuple[dt.date, dt.date]]) -> None:
        from ngoaivu_cli.selection import load_window

        loaded = load_window(config, *own)
        self.entries = loaded.entries
        self.skipped = loaded.skipped  # sources left out (--skip-missing-sources)
        self._config, self._ranges = config, ranges
        self._pool: Any = self.entries if ranges == [own] else None

    def __call__(self) -> list[Entry]:
        if self._pool is None:
            from ngoaivu_cli.sandbox import outside_limits

            try:
                with outside_limits():  # set off by a string: its limits are not for the log
                    self._read()
            except Exception as exc:  # the program's own failure, not the string's
                exc.ngoaivu_own = True  # type: ignore[attr-defined]  # (textfill.fill)
                raise
        return self._pool

    def _read(self) -> None:
        if self._pool is None:
            from ngoaivu_cli.log.replay import cache_enabled, cache_inside

            # the scopes' folders from their digests (ngoaivu_cli.digest), kept in the log's
            # cache folder: never when it is turned off or a link out of the log (digests
            # cover the log's own folders only: a source's entries come from its files and
            # its parse cache, as load_window reads them)
            if cache_enabled() and cache_inside(self._config.root):
                from ngoaivu_cli.digest import DigestPool

                self._pool = DigestPool(self._config, self._ranges)
            else:
                self._pool, _files = load_ranges(self._config, self._ranges)

    @property
    def read(self) -> int:
        """How many entries were read (the scopes' windows included once read)."""
        pool: Any = self.entries if self._pool is None else self._pool
        return int(pool.count) if hasattr(pool, "window") else len(pool)


def load_ranges(config: Config, ranges: list[tuple[dt.date, dt.date]]
                ) -> tuple[list[Entry], int]:
    """The entries of the files that can hold activities of the day ranges (disjoint, as
    :func:`windows_to_load` makes them), each entry once, and the number of files read."""
    from ngoaivu_cli.selection import load_window

    if len(ranges) == 1:
        loaded = load_window(config, *ranges[0])
        return loaded.entries, loaded.files
    entries: list[Entry] = []
    seen: set[tuple[str, int]] = set()
    files = 0
    for start, end in ranges:
        loaded = load_window(config, start, end)
        files += loaded.files
        for e in loaded.entries:  # a file without a date in its name is read for every range
            key = (e.loc.path, e.index)
            if key not in seen:
                seen.add(key)
                entries.append(e)
    return entries, files


# --- figures of a scope under a section's filters --------------------------------------------


def _figures(sums: Mapping[str, int | float], config: Config, pad: bool, scope: str,
             counted: bool = False) -> dict[str, Figure]:
    """``counted``: the scope's window holds activities of the log, so a 0 is a true zero."""
    return {k: Figure(v, integer=config.metrics[k].integer, pad=pad, scope=scope,
                      unit=config.metrics[k].unit, counted=counted)
            for k, v in sums.items()}


_LAZY = object()


class ScopeFigures(Mapping[str, Any]):
    """The figures of one scope under one selection, computed on first use: ``ytd.doan_ra``
    (a :class:`Figure`), ``ytd.entries``, ``ytd.partners``, ``ytd.label`` ... A string looks
    its names up as attributes first: this class has no public attribute but the Mapping's."""

    def __init__(self, name: str, window: ScopeWindow | None, pool: Callable[[], list[Entry]],
                 select: Select, config: Config, pad: bool = True,
                 officials: Callable[[], list[Entry]] = list, cutoff: int | None = None) -> None:
        self._name, self._window, self._pool, self._select = name, window, pool, select
        self._config, self._pad = config, pad
        self._officials, self._cutoff = officials, cutoff
        self._figures: dict[str, Any] | None = None
        self._chosen_entries: list[Entry] = []
        self._counted = False

    def _chosen(self) -> list[Entry]:
        if self._window is None:
            return []
        return [e for e in self._pool() if self._select(e)]

    def _build(self) -> dict[str, Any]:
        if self._figures is not None:
            return self._figures
        w, config, scope = self._window, self._config, self._name
        out: dict[str, Any] = {}
        if w is None:
            out.update({k: "" for k in ("label", "span", "start", "end", "year")})
            out["entries"] = out["partners"] = Figure(None, scope=scope)
            out.update({k: Figure(None, integer=m.integer, scope=scope)
                        for k, m in config.metrics.items()})
            out["computed"] = {k: out[k] for k in config.metrics}
        else:
            chosen = self._chosen()
            months = config.pad_months  # "tháng 07/2023" when the office pads months
            out.update(label=repad_months(w.label, months),
                       span=repad_months(_span_text(w.start, w.end), months),
                       start=w.start.isoformat(), end=w.end.isoformat(), year=w.year)
            # the log has activities in the window: a figure none of them has is a true 0
            counted = bool(self._pool()) or bool(self._officials())
            out["entries"] = Figure(weight(chosen), pad=self._pad, scope=scope,
                                    unit="hoạt động", counted=counted)
            out["partners"] = _LAZY  # counted when a string prints it (see __getitem__)
            self._counted = counted
            self._chosen_entries = chosen
            sums = metric_sums(chosen, config)
            shown = apply_official(sums, chosen, self._officials(), self._select, w.start,
                                   w.end, self._cutoff, config, w.label)
            if scope in CONTAINING:  # the official figures of its parts: not in its sums
                note_unused(self._officials(), self._select, w.start, w.end, self._cutoff,
                            config, w.label)
            out.update(_figures(shown, config, self._pad, scope, counted))
            out["computed"] = _figures(sums, config, self._pad, scope, counted)
        self._figures = out
        return out

    def __getitem__(self, key: str) -> Any:
        out = self._build()
        value = out[key]
        if value is _LAZY:  # distinct partners: a set over every entry, only when printed
            value = out[key] = Figure(distinct_partners(self._chosen_entries), pad=self._pad,
                                      scope=self._name, unit="đối tác",
                                      counted=self._counted)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())


class Scopes:
    """The scopes of one report: each one's window and the entries loaded for it."""

    def __init__(self, period: Period, config: Config,
                 pool: list[Entry] | Callable[[], list[Entry]], pad: bool = True,
                 own_officials: list[Entry] | None = None) -> None:
        self.period, self.config, self.pad = period, config, pad
        self.own_officials = own_officials or []  # those read with the period itself
        self.windows = {name: scope_window(name, period, config.terms) for name in SCOPES}
        self._pool = pool  # a list, or what reads it when first needed (ReportPool)
        self._in: dict[str, list[Entry]] = {}
        self._official: dict[str, list[Entry]] = {}

    def _entries_of(self, name: str, lumps: bool = True) -> list[Entry]:
        key = name if lumps else f"{name}:rows"
        if key not in self._in:
            w = self.windows[name]
            pool: Any = self._pool if isinstance(self._pool, list) else self._pool()
            if w is None:
                held: list[Any] = []
            elif hasattr(pool, "window"):  # a DigestPool (ngoaivu_cli.digest)
                from ngoaivu_cli.sandbox import outside_limits

                with outside_limits():  # may decode a rows file, or read a folder again
                    held = pool.window(w.start, w.end, lumps)
            else:
                held = [e for e in pool if w.holds(e)]
            self._in[key], self._official[key] = split(held)
        return self._in[key]

    def has_data(self, name: str) -> bool:
        """Whether the log has activities (or official figures) in the window of scope
        ``name``: a figure of 0 there is a true zero, not a missing one."""
        if self.windows[name] is None:
            return False
        return bool(self._entries_of(name)) or bool(self.officials(name))

    def officials(self, name: str) -> list[Entry]:
        """The official records (:mod:`ngoaivu_cli.official`) read with scope ``name``."""
        self._entries_of(name)
        return self._official[name]

    def figures(self, name: str, select: Select) -> ScopeFigures:
        """What strings print of scope ``name`` under ``select``."""
        return ScopeFigures(name, self.windows[name], lambda: self._entries_of(name), select,
                            self.config, self.pad, lambda: self.officials(name),
                            self.period.cutoff_day)

    def entries(self, name: str, select: Select, lumps: bool = True) -> list[Entry]:
        """The entries of scope ``name`` that ``select`` keeps (none when it does not exist);
        without ``lumps``, one for each entry (for counts by partner)."""
        return [e for e in self._entries_of(name, lumps) if select(e)]

    def sums(self, name: str, select: Select) -> dict[str, int | float] | None:
        """The plain sums of scope ``name`` under ``select``; None when it does not exist."""
        if self.windows[name] is None:
            return None
        return metric_sums(self.entries(name, select), self.config)


def period_figures(entries: list[Entry], period: Period | None, config: Config,
                   pad: bool = True, officials: list[Entry] | None = None,
                   select: Select | None = None
                   ) -> tuple[dict[str, Any], dict[str, int | float]]:
    """``m`` and ``raw`` of a string: the period's own figures over ``entries`` (already
    selected), with the period's words; an official figure for exactly the period (among
    ``officials``, taken by ``select``) wins, and ``m.computed`` keeps the sums."""
    computed = metric_sums(entries, config)
    sums = computed
    if officials and period is not None:
        sums = apply_official(computed, entries, officials, select or section_filter(),
                              period.start, period.end, period.cutoff_day, config,
                              period.label)
    m: dict[str, Any] = {"entries": Figure(len(entries), pad=pad, scope="m", unit="hoạt động"),
                         "partners": Figure(distinct_partners(entries), pad=pad, scope="m",
                                            unit="đối tác")}
    if period is not None:
        m.update(label=repad_months(period.label, config.pad_months),
                 span=repad_months(period.span_text, config.pad_months),
                 start=period.start.isoformat(),
                 end=period.end.isoformat(), year=period.year or period.end.year)
    m.update(_figures(sums, config, pad, "m"))
    m["computed"] = _figures(computed, config, pad, "m")
    return m, sums


class Figures:
    """What the strings of one report may print of figures: ``m`` and ``raw`` over the entries
    a string's section selects, and every scope under the same filters, beside ``words`` (the
    period, the agency, the report)."""

    def __init__(self, words: dict[str, Any], scopes: Scopes) -> None:
        self.words, self.scopes = words, scopes
        self.officials = scopes.own_officials  # the official records read with the period

    def view(self, entries: list[Entry], spec: SectionSpec | None = None,
             category: str | None = None) -> dict[str, Any]:
        """The names a string may use; ``entries`` are the period's entries it speaks of."""
        select = section_filter(spec, category)
        m, sums = period_figures(entries, self.scopes.period, self.scopes.config,
                                 self.scopes.pad, self.officials, select)
        out = dict(self.words)
        out.update({"m": m, "raw": sums})
        out.update({name: self.scopes.figures(name, select) for name in SCOPES})
        return out


def compare_groups(done: list[Entry], scopes: Scopes, by: str, compare: str = "",
                   status: str = "done") -> list[tuple[Any, Any]]:
    """The appendix's groups as (this period's, the ``compare`` scope's) pairs of
    :class:`~ngoaivu_cli.stats.Group`: every group with an activity in either scope, in the
    order of the period's table (then the other scope's); months are matched by their number.
    Without ``compare`` the second of each pair is an empty group."""
    from ngoaivu_cli.official_figures import apply_to_groups
    from ngoaivu_cli.stats import Group, compute_stats

    config, period = scopes.config, scopes.period
    now = compute_stats(done, config, by)
    if by == "category":
        apply_to_groups(now.groups, scopes.own_officials, period.start, period.end,
                        period.cutoff_day, config)
    if not compare:
        return [(g, Group(g.key, g.label)) for g in now.groups]
    base_entries = scopes.entries(compare, section_filter(status=status), by != "partner")
    base = compute_stats(base_entries, config, by)
    window = scopes.windows[compare]
    if by == "category" and window is not None:
        apply_to_groups(base.groups, scopes.officials(compare), window.start, window.end,
                        period.cutoff_day, config)

    def key(g: Any) -> str:
        return g.key[5:] if by == "month" else g.key

    others = {key(g): g for g in base.groups}
    pairs = [(g, others.pop(key(g), Group(g.key, g.label))) for g in now.groups]
    if by == "category":  # the configured order, whichever scope holds the group
        order = list(scopes.config.categories)
        pairs += [(Group(g.key, g.label), g) for g in others.values()]
        pairs.sort(key=lambda p: order.index(p[0].key) if p[0].key in order else len(order))
    else:
        pairs += [(Group(g.key, g.label), g) for g in others.values()]
    return pairs


def compare_table(entries: list[Entry], scopes: Scopes, by: str, compare: str,
                  status: str = "done") -> dict[str, Any]:
    """``ngoaivu stats --compare``: for each group (and the total) the activities and every
    metric non-zero in either scope, this period's figure, the other scope's and the change."""
    from ngoaivu_cli.figures import change, percent_of
    from ngoaivu_cli.official_figures import apply_to_stats
    from ngoaivu_cli.stats import Group, compute_stats

    config, period = scopes.config, scopes.period
    window = scopes.windows[compare]
    base_entries = scopes.entries(compare, section_filter(status=status), by != "partner")
    pairs = compare_groups(entries, scopes, by, compare, status)
    now_total = compute_stats(entries, config, by)  # the totals, as `m` and a scope print them
    used = apply_to_stats(now_total, entries, scopes.own_officials, period.start, period.end,
                          period.cutoff_day, config, status)
    base_total = Group("", "")
    if window:
        base_stats = compute_stats(base_entries, config, by)
        used += apply_to_stats(base_stats, base_entries, scopes.officials(compare), window.start,
                               window.end, period.cutoff_day, config, status)
        if compare in CONTAINING:
            note_unused(scopes.officials(compare), section_filter(status=status), window.start,
                        window.end, period.cutoff_day, config, window.label)
        base_total = base_stats.total
    pairs.append((now_total.total, base_total))

    counted = scopes.has_data(compare)

    def figure(value: int | float, base: int | float, integer: bool = True,
               unit: str = "hoạt động") -> dict[str, Any]:
        then = Figure(base if window else None, integer=integer, scope=compare, unit=unit,
                      counted=counted)
        if compare in CONTAINING:  # the period is part of the scope: its share, not a change
            words = f"chiếm {percent_of(value, then)}" if then else percent_of(value, then)
        else:  # numbers as the table prints them: 1, not 01
            words = change(Figure(value, integer=integer, pad=False, unit=unit), then)
        return {"value": value, "base": base if window else None, "change": words,
                "text": vn_number(value), "base_text": vn_number(base) if window else ""}

    groups = []
    for now, base in pairs:
        keys = [k for k in config.metrics if now.sums.get(k) or base.sums.get(k)]
        groups.append({
            "key": (now if now.entries else base).key,
            "label": (now if now.entries or not base.entries else base).label,
            "entries": figure(now.entries, base.entries),
            "metrics": {k: {"label": config.metrics[k].label, "unit": config.metrics[k].unit,
                            **figure(now.sums.get(k, 0), base.sums.get(k, 0),
                                     config.metrics[k].integer, config.metrics[k].unit)}
                        for k in keys}})
    total = groups.pop()
    total["label"] = "Tổng cộng"
    compared: dict[str, Any] = {"scope": compare, "label": window.label if window else "",
                                "start": window.start.isoformat() if window else None,
                                "end": window.end.isoformat() if window else None}
    note = length_note(period, window) if window else ""
    if note:  # the windows differ in length: the change compares unlike spans
        compared["note"] = note
    out: dict[str, Any] = {"by": by, "compare": compared, "groups": groups, "total": total}
    if used:
        from ngoaivu_cli.stats import official_json

        out["official"] = official_json(used)
    return out


__all__ = ["SCOPES", "SCOPE_WORDS", "ScopeFigures", "ScopeWindow", "Figures", "Scopes",
           "compare_heading", "compare_window", "distinct_partners", "length_note", "window_span",
           "metric_sums", "minus_year", "names_for", "period_figures", "previous_period",
           "report_texts", "same_period_last_year", "scope_window", "scopes_in",
           "section_filter", "used_scopes", "windows_to_load", "year_start"]
