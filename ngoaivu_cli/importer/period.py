"""The period and the report type of an imported document.

The period is looked for in the head of the document (title, subtitle, abstract, then the
opening sentence): the first expression the project's period grammar accepts wins, with the
document's date as "today" and its year as the year of forms written without one. The report
type is the configured type whose title (filled with that period) shares the most words with
the document's title, among those of the same kind (BÁO CÁO, KẾ HOẠCH, công văn).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ngoaivu_cli.config import Config, ReportType
from ngoaivu_cli.errors import PeriodError
from ngoaivu_cli.importer.structure import Layout, fold
from ngoaivu_cli.periods import Period, parse_period

_D = r"\d{1,2}"
_Y = r"\d{4}"
# candidate expressions, tried in each paragraph; the earliest match in the paragraph wins
CANDIDATES = [
    re.compile(rf"(?:từ\s+ngày\s+|từ\s+)?{_D}\s*/\s*{_D}(?:\s*/\s*{_Y})?\s*(?:-|–|—|đến(?:\s+ngày)?)"
               rf"\s*{_D}\s*/\s*{_D}\s*/\s*{_Y}", re.I),
    re.compile(rf"(?:\d{{1,2}}|sáu|chín|ba)\s+tháng\s+(?:đầu|cuối)\s+năm\s+{_Y}", re.I),
    re.compile(rf"quý\s+(?:[IV]+|\d)\s*(?:/|\s+năm\s+)\s*{_Y}", re.I),
    re.compile(rf"tháng\s+{_D}\s*(?:/|-|\s+năm\s+)\s*{_Y}", re.I),
    re.compile(rf"tuần\s+{_D}\s*(?:/|\s+năm\s+)\s*{_Y}", re.I),
    re.compile(r"từ\s+đầu\s+nhiệm\s+kỳ(?:\s+đến\s+nay)?|nhiệm\s+kỳ\s+\d{4}\s*-\s*\d{4}", re.I),
    re.compile(rf"năm\s+{_Y}", re.I),
]
_DATE_LINE = re.compile(r"ngày\s+(?:\d{1,2}|\s*)\s*tháng\s+\d{1,2}\s+năm\s+\d{4}", re.I)
# the same forms written without their year ("Công tác thông tin đối ngoại tháng 11"): the year
# is the date line's ("Hà Tĩnh, ngày 23 tháng 11 năm 2017")
YEARLESS = [
    re.compile(r"(?:\d{1,2}|sáu|chín|ba)\s+tháng\s+(?:đầu|cuối)\s+năm(?!\s*\d)", re.I),
    re.compile(r"quý\s+(?:[IV]+|\d)\b(?!\s*(?:/|năm)\s*\d)", re.I),
    re.compile(rf"tháng\s+{_D}\b(?!\s*(?:/|-|năm)\s*\d)(?!\s*(?:đầu|cuối))", re.I),
]


@dataclass(frozen=True)
class Found:
    period: Period
    text: str  # the words it was read from
    # the line it was read from: "đọc “tháng 11” ở tiêu đề “…”, năm 2017 theo dòng ngày “…”"
    where: str


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


def _read_at(expr: str, where: str, line: str) -> str:
    """``đọc “tháng 11” ở tiêu đề “Công tác … tháng 11”``; the line alone when it is little
    more than the expression."""
    if len(" ".join(expr.split())) >= 0.8 * len(" ".join(line.split())):
        return f"đọc từ {where} {_quote(line)}"
    return f"đọc {_quote(expr)} ở {where} {_quote(line)}"


def find_period(layout: Layout, config: Config, today: dt.date) -> Found | None:
    """The period of the document, or None when no line of it names one.

    Looked for, in this order: a full expression (with its year) in the title, the head and
    the opening sentence; the same places written without the year ("tháng 11"), the year
    being the date line's (a month after the date line's is last year's, for a report); a
    full expression in a numbered heading ("1. Kết quả hoạt động từ ngày 25/10/2017 -
    25/11/2017"). ``where`` names the line it was read from."""
    when = layout.issue_date or today
    places = [(t, "tiêu đề") for t in layout.title] + \
             [(t, "phần đầu") for t in layout.head if t not in layout.title] + \
             [(t, "câu mở đầu") for t in layout.opening]
    for text, where in places:
        found = _full(text, where, config, when)
        if found is not None:
            return found
    if layout.issue_date is not None:
        dated = next((t for t in layout.head if _DATE_LINE.search(t)), "")
        for text, where in places:
            found = _yearless(text, where, config, layout, dated)
            if found is not None:
                return found
    for section in layout.sections:
        found = _full(section.title, "tiêu đề mục", config, when,
                      shown=f"{section.number}. {section.title}")
        if found is not None:
            return found
    return None


def _full(text: str, where: str, config: Config, when: dt.date,
          shown: str | None = None) -> Found | None:
    """The first period expression of the line, with its year (or a relative one)."""
    text = _DATE_LINE.sub(" ", text)
    if text.startswith("Số:"):
        return None
    hits = []
    for rank, rx in enumerate(CANDIDATES):
        for m in rx.finditer(text):
            hits.append((m.start(), rank, m.group(0)))
    for _start, _rank, expr in sorted(hits):
        try:
            period = parse_period(" ".join(expr.split()), today=when,
                                  cutoff_day=config.cutoff_day, terms=config.terms,
                                  year=when.year)
        except PeriodError:
            continue
        return Found(period, expr, _read_at(expr, where, shown or text))
    return None


def _yearless(text: str, where: str, config: Config, layout: Layout, dated: str
              ) -> Found | None:
    """A month, quarter or half written without its year, in the year of the date line."""
    assert layout.issue_date is not None
    issued = layout.issue_date
    if text.startswith("Số:"):
        return None
    plain = _DATE_LINE.sub(" ", text)
    hits = sorted((m.start(), m.group(0)) for rx in YEARLESS for m in rx.finditer(plain))
    for _start, expr in hits:
        words = " ".join(expr.split())
        year = issued.year
        try:
            period = parse_period(words, today=issued, cutoff_day=config.cutoff_day,
                                  terms=config.terms, year=year)
            if period.start > issued and layout.kind != "KẾ HOẠCH":
                # a report is written in or after its period: "tháng 12" dated January 2018
                year -= 1
                period = parse_period(words, today=issued, cutoff_day=config.cutoff_day,
                                      terms=config.terms, year=year)
        except PeriodError:
            continue
        return Found(period, words, f"{_read_at(words, where, text)}, năm {year} theo dòng "
                     f"ngày {_quote(dated)}")
    return None


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)) if not w.isdigit() and len(w) > 1}


KIND_OF_LAYOUT = {"cong_van": "CÔNG VĂN"}


def find_type(layout: Layout, period: Period, config: Config) -> tuple[ReportType | None, float]:
    """The configured report type the document looks like, with a score in 0..1."""
    from ngoaivu_cli.render.context import period_words
    from ngoaivu_cli.textfill import fill

    words = {"period": period_words(period), "next": period_words(period.next()),
             "agency": {"parent": config.agency.parent, "name": config.agency.name,
                        "short_name": config.agency.short_name, "symbol": config.agency.symbol,
                        "place": config.agency.place}, "report": {"key": "", "name": ""}}
    doc_words = _words(" ".join(layout.title + layout.head))
    best: tuple[float, int, ReportType | None] = (0.0, 0, None)
    for rt in config.report_types.values():
        kind = KIND_OF_LAYOUT.get(rt.layout, rt.doc_kind.upper())
        if layout.kind and kind != layout.kind:
            continue
        try:
            lines = [fill(t, words) for t in rt.title + rt.abstract]
            if rt.subtitle:
                lines.append(fill(rt.subtitle, words))
            lines += [fill(r, words) for r in rt.recipients]
        except Exception:  # a type whose strings cannot be filled for this period
            continue
        type_words = _words(" ".join(lines))
        if not type_words:
            continue
        score = len(doc_words & type_words) / len(type_words)
        due = 1 if period.kind in rt.due or config.default_types.get(period.kind) == rt.key else 0
        if (score, due) > best[:2]:
            best = (score, due, rt)
    return best[2], best[0]
