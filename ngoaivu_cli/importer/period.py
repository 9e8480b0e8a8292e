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


@dataclass(frozen=True)
class Found:
    period: Period
    text: str  # the words it was read from
    where: str  # "tiêu đề", "câu mở đầu", "--period"


def find_period(layout: Layout, config: Config, today: dt.date) -> Found | None:
    """The period of the document, or None when no paragraph of its head names one."""
    when = layout.issue_date or today
    places = [(t, "tiêu đề") for t in layout.title] + \
             [(t, "phần đầu") for t in layout.head if t not in layout.title] + \
             [(t, "câu mở đầu") for t in layout.opening]
    for text, where in places:
        text = _DATE_LINE.sub(" ", text)
        if text.startswith("Số:"):
            continue
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
            return Found(period, expr, where)
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
