"""Periods: reading a ``--period`` expression (the grammar of periods-notes.md §6.2)."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import NamedTuple, NoReturn, TypeVar

from ngoaivu_cli.errors import PeriodError
from ngoaivu_cli.formatting import pad_day, pad_month, roman, strip_accents, vn_date_short
from ngoaivu_cli.periods.model import (
    _ONE,
    MAX_YEAR,
    MIN_YEAR,
    Period,
    Term,
    _check_cutoff,
    _day_span,
    _named,
    _span_text,
    _term_full,
    _term_rest,
    _week,
    _weeks_in,
    period_for_kind,
    same_period_last_year,
)
from ngoaivu_cli.records import record

ACCEPTED_FORMS: tuple[str, ...] = (
    "2023-08-24:2023-08-31", "2023-08-24", "2023-08", "2023-Q3", "2023-H1", "2023-W35", "2023",
    "24/8 - 31/8/2023", "từ ngày 24/8 đến ngày 31/8/2023", "ngày 24/8/2023", "tháng 11/2017",
    "tháng 01 năm 2021", "8/2023", "T8/2023", "quý III/2023", "6 tháng đầu năm 2023",
    "9 tháng đầu năm 2023", "tuần 35/2023", "năm 2023", "tuần này", "tháng trước", "this-month",
    "từ đầu nhiệm kỳ đến nay", "nhiệm kỳ 2021-2026", "từ đầu năm đến nay", "lũy kế đến nay",
    "cùng kỳ năm trước của 6 tháng đầu năm 2023",
)

_HINT = "các dạng được chấp nhận: " + "; ".join(ACCEPTED_FORMS)

_TERMS_HINT = (
    "khai báo nhiệm kỳ trong ngoaivu.yaml, mục periods, ví dụ: "
    'terms: [{name: 2021-2026, start: "2021-01-01", end: "2026-06-30"}]'
)

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")

_ROMAN_VALUES = {roman(n).lower(): n for n in range(1, 40)}

# Relative words: unit word -> kind; direction word -> shift in periods.
_REL_UNITS = {"tuan": "week", "thang": "month", "quy": "quarter", "nam": "year", "week": "week",
              "month": "month", "quarter": "quarter", "year": "year"}

_REL_VN = {"nay": 0, "truoc": -1, "ngoai": -1, "toi": 1, "sau": 1}

_REL_EN = {"this": 0, "last": -1, "next": 1}

_TOKEN = re.compile(r"""
    (?P<isoday>\d{4}-\d{1,2}-\d{1,2})(?!\d)
  | (?P<compact>\d{8})(?!\d)
  | (?P<isox>\d{4}-?[qhw]\d{1,2})(?![\da-z])
  | (?P<isomonth>\d{4}-\d{1,2})(?!\d)
  | (?P<dmy>\d{1,2}[/.]\d{1,2}(?:[/.]\d+)?)(?!\d)
  | (?P<num>\d+)
  | (?P<word>[a-z]+)
  | (?P<sym>\.\.|[:/\-.,_()])
""", re.VERBOSE)

T = TypeVar("T")


# --- parsing -----------------------------------------------------------------------------------


class _NoSuch(Exception):
    """Raised by a builder when the period does not exist in the year it was asked for."""


class _Tok(NamedTuple):
    kind: str
    text: str
    pos: int
    end: int


@record
class _Spec:
    """A point of the grammar before its year is known: ``build(year)`` makes the period."""

    build: Callable[[int], Period]
    year: int | None


def _normalize(text: str) -> tuple[str, list[int]]:
    """Lower case, no diacritics, ASCII dashes; with the source index of each character."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in strip_accents(ch.lower().translate(_DASHES)):
            chars.append(c)
            where.append(i)
    return "".join(chars), where


def _key(name: str) -> str:
    return re.sub(r"[\s\-]", "", _normalize(unicodedata.normalize("NFC", name))[0])


def parse_period(text: str, *, today: date, cutoff_day: int | None = None,
                 terms: Sequence[Term] = (), year: int | None = None) -> Period:
    """Resolve a period expression (see ``docs/ky-bao-cao.md``) against ``today``.

    ``year`` is the default year for forms written without one (the CLI's ``--year``); when it
    is None such a form means the latest period of that shape that has already started, and a
    note says which year was taken. Raises :class:`PeriodError` with the accepted forms.
    """
    _check_cutoff(cutoff_day)
    if len(text) > MAX_PERIOD_CHARS:  # pasted garbage: refuse at once, without echoing it all
        length = f"{len(text):,}".replace(",", ".")
        raise PeriodError(f"kỳ báo cáo quá dài ({length} ký tự, tối đa {MAX_PERIOD_CHARS}): "
                          f"“{text[:40]}…”", hint=_HINT)
    return _Parser(text, today, cutoff_day, tuple(terms), year).parse()


MAX_PERIOD_CHARS = 200  # the longest real form ("từ ngày 01 tháng 12 năm 2023 đến ...") is ~60


# the longest range whose start, written without a year, is taken in the year before its end
MAX_ROLLBACK_DAYS = 183


class _Parser:
    """Recursive descent over the tokens of one expression (grammar: periods-notes.md §6.2)."""

    def __init__(self, text: str, today: date, cutoff: int | None, terms: tuple[Term, ...],
                 year: int | None) -> None:
        self.source = unicodedata.normalize("NFC", text).strip()
        self.norm, self.where = _normalize(self.source)
        self.today, self.cutoff, self.terms = today, cutoff, terms
        self.year = None if year is None else self._year_value(year)
        self.notes: list[str] = []
        self.toks = self._tokenize()
        self.i = 0

    # -- plumbing

    def _fail(self, reason: str, hint: str = _HINT) -> NoReturn:
        raise PeriodError(f"kỳ báo cáo “{self.source}” không hợp lệ: {reason}", hint=hint)

    def _tokenize(self) -> list[_Tok]:
        toks: list[_Tok] = []
        pos = 0
        while pos < len(self.norm):
            if self.norm[pos].isspace():
                pos += 1
                continue
            m = _TOKEN.match(self.norm, pos)
            if m is None or m.lastgroup is None:
                self._fail(f"không dùng được ký tự “{self.source[self.where[pos]]}”")
            toks.append(_Tok(m.lastgroup, m.group(m.lastgroup), pos, m.end()))
            pos = m.end()
        return toks

    def _peek(self, k: int = 0) -> _Tok | None:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def _kind(self, k: int) -> str | None:
        t = self._peek(k)
        return None if t is None else t.kind

    def _is(self, k: int, *texts: str) -> bool:
        t = self._peek(k)
        return t is not None and t.text in texts

    def _take(self, *texts: str) -> bool:
        """Consume the tokens ``texts`` if they come next, in that order."""
        if all(self._is(k, t) for k, t in enumerate(texts)):
            self.i += len(texts)
            return True
        return False

    def _text(self, first: int, stop: int | None = None) -> str:
        """The user's own words for tokens ``first`` .. ``stop - 1`` (to the end by default)."""
        stop = len(self.toks) if stop is None else stop
        a, b = self.toks[first].pos, self.toks[stop - 1].end
        return self.source[self.where[a]:self.where[b - 1] + 1]

    def _year(self, tok: _Tok) -> int:
        if len(tok.text) != 4:
            example = f"20{tok.text}" if len(tok.text) == 2 else "2023"
            self._fail(f"năm “{tok.text}” phải viết đủ 4 chữ số (ví dụ {example})")
        return self._year_value(int(tok.text))

    def _year_value(self, value: int) -> int:
        if not MIN_YEAR <= value <= MAX_YEAR:
            self._fail(f"năm {value} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
        return value

    def _opt_year(self, seps: tuple[str, ...]) -> int | None:
        """An optional year after a named period: ``/2023``, ``năm 2023``, ``-2023``, `` 2023``."""
        t, after = self._peek(), self._peek(1)
        if t is not None and t.kind == "num" and len(t.text) == 4:
            self.i += 1
            return self._year(t)
        if t is None or t.text not in seps or after is None or after.kind != "num":
            return None
        if t.text == "-" and len(after.text) != 4:
            return None  # "tháng 8 - 12": a range, not a year
        self.i += 2
        return self._year(after)

    def _number(self, what: str, example: str) -> _Tok:
        t = self._peek()
        if t is not None and t.kind == "dmy" and len(re.split(r"[/.]", t.text)) == 2:
            self._year(_Tok("num", re.split(r"[/.]", t.text)[1], 0, 0))  # "tháng 8/23"
        if t is None or t.kind != "num":
            self._fail(f"sau “{what}” cần một số, ví dụ “{example}”")
        self.i += 1
        return t

    def _build(self, make: Callable[[int], T], year: int) -> T:
        try:
            return make(year)
        except _NoSuch as exc:
            self._fail(str(exc))

    def _latest(self, make: Callable[[int], T], start_of: Callable[[T], date]) -> T:
        """The latest year whose period has already started (the missing-year rule)."""
        reason = "không có kỳ nào như vậy đã bắt đầu"
        for y in range(min(self.today.year + 1, MAX_YEAR), MIN_YEAR - 1, -1):
            try:
                found = make(y)
            except _NoSuch as exc:
                reason = str(exc)
                continue
            if start_of(found) <= self.today:
                self.notes.append(f"không ghi năm, hiểu là năm {y}")
                return found
        self._fail(reason)

    # -- grammar

    def parse(self) -> Period:
        if not self.toks:
            self._fail("chưa ghi kỳ nào")
        period = self._expression()
        if self.i < len(self.toks):
            self._fail(f"thừa “{self._text(self.i)}” ở cuối")
        notes = list(dict.fromkeys([*self.notes, *period.notes]))
        if period.start > self.today:
            notes.append("kỳ chưa bắt đầu")
        elif period.end > self.today:
            notes += ["kỳ chưa kết thúc", f"số liệu tính đến ngày {vn_date_short(self.today)}"]
        return replace(period, notes=tuple(notes), known_terms=self.terms)

    def _expression(self) -> Period:
        if self._take("tu", "dau", "nam") or self._take("dau", "nam"):
            if not (self._take("den", "nay") or self._take("toi", "nay")):
                self._fail("sau “từ đầu năm” cần “đến nay” (hoặc ghi “7 tháng đầu năm 2023”)")
            return self._year_to_date()
        if self._take("cung", "ky"):
            return self._same_period_last_year()
        if self._take("luy", "ke"):
            if not (self._take("den", "nay") or self._take("toi", "nay")):
                self._fail("sau “lũy kế” cần “đến nay”")
            return self._cumulative()
        if self._take("tu", "dau", "nhiem", "ky") or self._take("dau", "nhiem", "ky"):
            _ = self._take("den", "nay") or self._take("toi", "nay")
            return self._term_to_date()
        if self._take("nhiem", "ky"):
            return self._term_named(rest=False)
        if self._take("thoi", "gian", "con", "lai"):
            self._take("cua")
            if not self._take("nhiem", "ky"):
                self._fail("sau “thời gian còn lại” cần “của nhiệm kỳ …”")
            return self._term_named(rest=True)
        opened = self._take("tu") or self._take("from")
        if self._is(0, ":", ".."):
            self._fail("thiếu ngày bắt đầu (ví dụ “2023-08-24:2023-08-31”)")
        first = self._point()
        if (self._take("den", "nay") or self._take("toi", "nay") or self._take("to", "date")
                or (self._peek(1) is None and (self._take(":") or self._take("..")))):
            return self._range(first, None)
        if self._separator():
            return self._range(first, self._point())
        if opened and self.i == len(self.toks):
            self._fail("sau “từ …” cần “đến …” hoặc “đến nay”")
        return self._resolve(first)

    def _separator(self) -> bool:
        t = self._peek()
        if t is None:
            return False
        after = self._peek(1)
        iso_pair = (t.text == "/" and self.toks[self.i - 1].kind == "isoday"
                    and after is not None and after.kind == "isoday")
        if t.text in (":", "..", "-", "den", "toi", "to", "until") or iso_pair:
            self.i += 1
            return True
        return False

    def _point(self) -> _Spec:
        """One end of a range (or the whole expression): a day, a named or a relative period."""
        ngay = self._take("ngay")
        t = self._peek()
        if t is None:
            self._fail("thiếu ngày hoặc kỳ ở cuối")
        if ngay or t.kind in ("dmy", "isoday", "compact"):
            return self._day_point(t)
        self.i += 1
        if t.kind == "isomonth":
            y, m = (int(x) for x in t.text.split("-"))
            return self._named_spec("month", self._month_number(m), self._year_value(y))
        if t.kind == "isox":
            return self._iso_x(t.text)
        if (t.kind == "num" or t.text == "sau") and self._take("thang"):
            return self._months_spec(6 if t.text == "sau" else int(t.text))
        if t.kind == "num" and len(t.text) == 4:
            return self._named_spec("year", None, self._year(t))
        if t.kind == "num" and len(t.text) <= 2 and self._is(0, "/") and self._kind(1) == "num":
            # "8/2023", "08/2023": a month ("8/23" is a day token, refused as a day).
            return self._named_spec("month", self._month_number(int(t.text)), self._opt_year(("/",)))
        return self._word_point(t)

    def _day_point(self, t: _Tok) -> _Spec:
        """``24/8[/2023]``, ``24.8.2023``, ``2023-08-24``, ``20230824``, ``ngày 24 tháng 8 năm 2023``."""
        self.i += 1
        if t.kind == "compact":
            return self._day_spec(t.text[6:], t.text[4:6], t.text[:4])
        parts = re.split(r"[-/.]", t.text)
        if t.kind == "isoday":
            return self._day_spec(parts[2], parts[1], parts[0])
        if t.kind == "dmy":
            return self._day_spec(parts[0], parts[1], parts[2] if len(parts) > 2 else None)
        if t.kind == "num" and self._take("thang"):
            month = self._number("tháng", "ngày 24 tháng 8 năm 2023").text
            y = self._opt_year(("nam",))
            return self._day_spec(t.text, month, None if y is None else str(y))
        self._fail(f"sau “ngày” cần ngày dạng 24/8/2023, không hiểu “{self._text(self.i - 1)}”")

    def _word_point(self, t: _Tok) -> _Spec:
        """Named periods in words (``tháng 11/2017``, ``quý III``...) and relative words."""
        start = self.i - 1
        shift = self._peek()
        if (t.text in _REL_UNITS and shift is not None and shift.text in _REL_VN
                and (shift.text != "ngoai" or t.text == "nam")):
            self.i += 1
            return self._relative(_REL_UNITS[t.text], _REL_VN[shift.text], start)
        if t.text in _REL_EN:
            _ = self._take("-") or self._take("_")
            unit = self._peek()
            if unit is None or unit.text not in ("day", "week", "month", "quarter", "year"):
                self._fail(f"sau “{t.text}” cần week, month, quarter hoặc year")
            self.i += 1
            return self._relative(unit.text, _REL_EN[t.text], start)
        if t.text in ("today", "yesterday") or (t.text == "hom" and self._is(0, "nay", "qua")):
            if t.text == "hom":
                self.i += 1
            back = self.toks[self.i - 1].text in ("qua", "yesterday")
            return self._relative("day", -1 if back else 0, start)
        if t.text == "nam" or (t.text == "ca" and self._take("nam")):
            return self._named_spec("year", None, self._year(self._number("năm", "năm 2023")))
        if t.text in ("thang", "t", "th"):  # "T8/2023", "th8": common abbreviations of "tháng"
            word = self._text(start, self.i)
            m = self._month_number(int(self._number(word, "tháng 11/2017").text))
            return self._named_spec("month", m, self._opt_year(("/", "-", "nam")))
        if t.text == "quy":
            return self._quarter_spec()
        if t.text == "tuan":
            w = int(self._number("tuần", "tuần 35/2023").text)
            return self._week_spec(w, self._opt_year(("/", "-", "nam")))
        guess = self._month_guess(start)
        self._fail(f"không hiểu “{self._text(start)}”"
                   + (f" (có phải ý bạn là “{guess}”?)" if guess else ""))

    def _month_guess(self, first: int) -> str | None:
        """``tháng 8/2023`` when the words from token ``first`` hold just a month and a year."""
        month, *year = [t.text for t in self.toks[first:] if t.kind == "num"] or ["0"]
        if len(month) > 2 or not 1 <= int(month) <= 12 or [len(y) for y in year] not in ([], [4]):
            return None
        return f"tháng {int(month)}" + "".join(f"/{y}" for y in year)

    def _month_number(self, m: int) -> int:
        if not 1 <= m <= 12:
            self._fail(f"tháng {m} không tồn tại (tháng phải từ 1 đến 12)")
        return m

    def _named_spec(self, kind: str, index: int | None, year: int | None) -> _Spec:
        cutoff = self.cutoff
        return _Spec(lambda y: _named(kind, y, index, cutoff), year)

    def _months_spec(self, n: int) -> _Spec:
        """``N tháng [đầu năm | cuối năm] [[năm] YYYY]``; N = 6 is a half, 12 the year."""
        if not 1 <= n <= 12:
            self._fail(f"“{n} tháng”: số tháng phải từ 1 đến 12")
        kind = "last_n" if self._take("cuoi", "nam") else "first_n"
        if kind == "first_n":
            self._take("dau", "nam")
        return self._named_spec(kind, n, self._opt_year(("nam",)))

    def _quarter_spec(self) -> _Spec:
        t = self._peek()
        if t is None or t.kind not in ("num", "word"):
            self._fail("sau “quý” cần số quý I–IV, ví dụ “quý III/2023”")
        self.i += 1
        q = int(t.text) if t.kind == "num" else _ROMAN_VALUES.get(t.text)
        if q is None:
            self._fail(f"không hiểu số quý “{self._text(self.i - 1, self.i)}”")
        if not 1 <= q <= 4:
            self._fail(f"quý {self._text(self.i - 1, self.i)} không tồn tại (quý phải từ I đến IV)")
        return self._named_spec("quarter", q, self._opt_year(("/", "-", "nam")))

    def _week_spec(self, week: int, year: int | None) -> _Spec:
        if not 1 <= week <= 53:
            self._fail(f"tuần {week} không tồn tại (tuần ISO từ 1 đến 53)")

        def build(y: int) -> Period:
            if week > _weeks_in(y):
                raise _NoSuch(f"tuần {week}/{y} không tồn tại (năm {y} có {_weeks_in(y)} tuần ISO)")
            return _week(y, week)

        return _Spec(build, year)

    def _iso_x(self, text: str) -> _Spec:
        """``2023-Q3``, ``2023q3``, ``2023-H1``, ``2023-W35``, ``2023W35``."""
        m = re.fullmatch(r"(\d{4})-?([qhw])(\d{1,2})", text)
        assert m is not None  # the token pattern guarantees it
        y, letter, n = self._year_value(int(m[1])), m[2], int(m[3])
        if letter == "w":
            return self._week_spec(n, y)
        if letter == "q" and not 1 <= n <= 4:
            self._fail(f"quý {n} không tồn tại (quý phải từ 1 đến 4)")
        if letter == "h" and n not in (1, 2):
            self._fail(f"H{n} không tồn tại (chỉ có H1 và H2)")
        return self._named_spec("quarter" if letter == "q" else "half", n, y)

    def _day_spec(self, day_text: str, month_text: str, year_text: str | None) -> _Spec:
        d, m = int(day_text), int(month_text)
        dd, mm = pad_day(d), pad_month(m)
        if not 1 <= m <= 12:
            guess = year_text is None and len(month_text) == 2 and 1 <= d <= 12  # "8/23"
            self._fail(f"ngày {day_text}/{month_text}: tháng {m} không tồn tại "
                       "(tháng phải từ 1 đến 12)"
                       + (f"; có phải ý bạn là “tháng {d}/20{month_text}”?" if guess else ""))
        if year_text is None:
            most = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]
            if not 1 <= d <= most:
                self._fail(f"ngày {dd}/{mm} không tồn tại (tháng {mm} có tối đa {most} ngày)")
        year = None if year_text is None else self._year(_Tok("num", year_text, 0, 0))

        def build(y: int) -> Period:
            last = calendar.monthrange(y, m)[1]
            if not 1 <= d <= last:
                raise _NoSuch(f"ngày {dd}/{mm}/{y} không tồn tại (tháng {mm}/{y} có {last} ngày)")
            return _day_span(date(y, m, d), date(y, m, d) + _ONE)

        return _Spec(build, year)

    def _relative(self, kind: str, shift: int, start: int) -> _Spec:
        p = period_for_kind(kind, self.today, cutoff_day=self.cutoff)
        if shift < 0:
            p = period_for_kind(kind, p.start - _ONE, cutoff_day=self.cutoff)
        elif shift > 0:
            p = p.next()
        self.notes.append(f"“{self._text(start, self.i)}” tính theo ngày {vn_date_short(self.today)}")
        return _Spec(lambda _y: p, p.year if p.year is not None else p.end.year)

    def _resolve(self, spec: _Spec) -> Period:
        if spec.year is not None:
            return self._build(spec.build, spec.year)
        if self.year is not None:
            return self._build(spec.build, self.year)
        return self._latest(spec.build, lambda p: p.start)

    def _range(self, a: _Spec, b: _Spec | None) -> Period:
        """``a`` .. ``b`` inclusive; a named end contributes its last day. ``b`` None = today."""
        if b is None:
            today = self.today
            self.notes.append(f"“đến nay” là đến ngày {vn_date_short(today)}")
            b = _Spec(lambda _y: _day_span(today, today + _ONE), today.year)
        end_spec = b

        def pair(y: int) -> tuple[Period, Period]:
            end = end_spec.build(y if end_spec.year is None else end_spec.year)
            if a.year is not None:
                return a.build(a.year), end
            start_year = end.year if end.year is not None else end.end.year
            start = a.build(start_year)
            if start.start <= end.end:
                return start, end
            # a start without a year is the year before only for a short range across New
            # Year (28/12-3/1/2024); 31/8-24/8/2023 is a mistake, not 31/8/2022-24/8/2023
            before = a.build(start_year - 1)
            if (end.end - before.start).days + 1 <= MAX_ROLLBACK_DAYS:
                return before, end
            return start, end

        if b.year is not None:
            start, end = self._build(pair, b.year)
        elif a.year is not None:
            start = self._build(a.build, a.year)
            end = self._build(b.build, a.year)
            if end.end < start.start:
                end = self._build(b.build, a.year + 1)
        elif self.year is not None:
            start, end = self._build(pair, self.year)
        else:
            start, end = self._latest(pair, lambda se: se[0].start)
        if start.start > end.end:
            hint = _HINT
            if a.year is None:
                hint = (f"kỳ qua năm mới thì ghi năm cho ngày bắt đầu, ví dụ "
                        f"{start.start.day}/{start.start.month}/{start.start.year - 1}-"
                        f"{vn_date_short(end.end)}; hoặc kiểm tra lại thứ tự hai ngày")
            self._fail(f"ngày bắt đầu {vn_date_short(start.start)} sau ngày kết thúc "
                       f"{vn_date_short(end.end)}", hint)
        notes = tuple(dict.fromkeys(start.notes + end.notes))
        return _day_span(start.start, end.end_exclusive, notes, start.cutoff_day or end.cutoff_day)

    # -- terms of office

    def _terms_hint(self) -> str:
        """Never an example of a term already declared: show the declared ones instead."""
        if not self.terms:
            return _TERMS_HINT
        known = "; ".join(f"{t.name} ({_span_text(t.start, t.end)})" for t in self.terms)
        return f"nhiệm kỳ đã khai báo trong periods.terms (ngoaivu.yaml): {known}"

    def _need_terms(self) -> None:
        if not self.terms:
            self._fail("chưa khai báo nhiệm kỳ nào (thêm `terms` vào ngoaivu.yaml)", _TERMS_HINT)

    def _current_term(self) -> Term:
        """The term holding today; once it has ended, the latest term that has started (noted)."""
        self._need_terms()
        started = [t for t in self.terms if t.start <= self.today]
        if not started:
            first = min(self.terms, key=lambda t: t.start)
            self._fail(f"chưa có nhiệm kỳ nào bắt đầu vào ngày {vn_date_short(self.today)} (sớm "
                       f"nhất là {first.name}, từ ngày {vn_date_short(first.start)})",
                       self._terms_hint())
        term = max(started, key=lambda t: (t.end >= self.today, t.start))
        if term.end < self.today:
            later = [t for t in self.terms if t.start > self.today]
            nxt = min(later, key=lambda t: t.start) if later else None
            self.notes += [
                f"nhiệm kỳ {term.name} đã kết thúc ngày {vn_date_short(term.end)}; lấy cả nhiệm kỳ",
                f"nhiệm kỳ {nxt.name} bắt đầu ngày {vn_date_short(nxt.start)}" if nxt else
                "có thể khai báo nhiệm kỳ mới trong periods.terms (ngoaivu.yaml)",
            ]
        return term

    def _year_to_date(self) -> Period:
        """``từ đầu năm đến nay``: from the first day of this reporting year (under the
        cut-off: the day after the cut-off of December before) to today."""
        year = period_for_kind("year", self.today, cutoff_day=self.cutoff)
        self.notes.append(f"từ ngày {vn_date_short(year.start)} đến hôm nay "
                          f"{vn_date_short(self.today)}")
        return replace(_day_span(year.start, self.today + _ONE, cutoff=self.cutoff),
                       label="từ đầu năm đến nay", to_date="ytd")

    def _same_period_last_year(self) -> Period:
        """``cùng kỳ năm trước của 6 tháng đầu năm 2023``: the same period one year earlier."""
        how = ("ghi “cùng kỳ năm trước của 6 tháng đầu năm 2023”, hoặc --period \"6 tháng đầu "
               "năm 2023\" --compare cùng-kỳ")
        if not self._take("nam", "truoc"):
            self._fail("sau “cùng kỳ” cần “năm trước của …”", how)
        if not self._take("cua"):
            if self.i == len(self.toks):
                self._fail("“cùng kỳ năm trước” cần kỳ để so sánh", how)
            self._fail(f"sau “cùng kỳ năm trước” cần “của”, không phải “{self._text(self.i)}”",
                       how)
        if self.i < len(self.toks) and self.toks[self.i].text in ("cung",):
            self._fail("“cùng kỳ năm trước” chỉ ghi một lần", how)
        inner = self._expression()
        before = same_period_last_year(inner)
        if before is None or inner.start <= date(MIN_YEAR, 1, 1):
            self._fail(f"{inner.label} không có cùng kỳ năm trước (trước năm {MIN_YEAR})", how)
        self.notes.append(f"cùng kỳ năm trước của {inner.label} ({inner.span_text})")
        return before

    def _cumulative(self) -> Period:
        """``lũy kế đến nay``: every activity up to today."""
        self.notes.append(f"mọi hoạt động đến hôm nay {vn_date_short(self.today)}")
        return replace(_day_span(date(MIN_YEAR, 1, 1), self.today + _ONE, cutoff=self.cutoff),
                       label="lũy kế đến nay", to_date="all")

    def _term_to_date(self) -> Period:
        term = self._current_term()
        if term.end < self.today:  # "đến nay" stops at the end of the term
            return _term_full(term, self.terms)
        self.notes.append(f"nhiệm kỳ {term.name}: từ ngày {vn_date_short(term.start)} "
                          f"đến hôm nay {vn_date_short(self.today)}")
        return Period(term.start, self.today + _ONE, "term", "từ đầu nhiệm kỳ đến nay",
                      term=term)

    def _term_named(self, *, rest: bool) -> Period:
        if self.i == len(self.toks):
            term = self._current_term()
        else:
            self._need_terms()
            wanted = self._text(self.i)
            self.i = len(self.toks)
            matches = [t for t in self.terms if _key(t.name) == _key(wanted)]
            if not matches:
                names = ", ".join(t.name for t in self.terms)
                self._fail(f"không có nhiệm kỳ “{wanted}” (đã khai báo: {names})",
                           self._terms_hint())
            term = matches[0]
        if not rest:
            return _term_full(term, self.terms)
        start = max(self.today + _ONE, term.start)
        if start > term.end:
            when = ("hôm nay là ngày cuối" if term.end == self.today
                    else f"đã kết thúc ngày {vn_date_short(term.end)}")
            self._fail(f"nhiệm kỳ {term.name} không còn ngày nào sau hôm nay "
                       f"({vn_date_short(self.today)}: {when})", self._terms_hint())
        return _term_rest(term, start, self.terms)
