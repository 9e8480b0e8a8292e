"""From a document's parts to the entries it holds (nothing is written here).

Each section of the document is matched with a section of the detected report type (its
heading filled with the period): the type says whether the section holds results (``done``)
or the plan (``planned``), for this period or the next, under which tags and categories, or
that it is static text (purposes, difficulties: ``documents/``, never entries). A section the
type does not know is read by its words ("KẾT QUẢ", "Kế hoạch trọng tâm … tới", "PHƯƠNG
HƯỚNG, NHIỆM VỤ", "MỤC ĐÍCH, YÊU CẦU" ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from ngoaivu_cli.config import Config, ReportType, SectionSpec
from ngoaivu_cli.importer import classify
from ngoaivu_cli.importer.read import Document
from ngoaivu_cli.importer.structure import Item, Layout, Section, fold
from ngoaivu_cli.log.entries import REVIEW_CATEGORY
from ngoaivu_cli.periods import Period

IMPORTED_TAG = "imported"
SOURCE_PREFIX = "nguon-"

PLAN_WORDS = ("ke hoach trong tam", "phuong huong", "nhiem vu thoi gian toi", "nhiem vu ",
              " toi", "ke hoach thang", "ke hoach tuan", "du kien")
STATIC_WORDS = ("muc dich", "yeu cau", "to chuc thuc hien", "che do bao cao", "kho khan",
                "vuong mac", "nguyen nhan", "kien nghi", "de xuat", "giai phap", "danh gia chung",
                "ton tai", "han che", "phan cong")


@dataclass
class Planned:
    """One entry to write, with how sure the guess is and where it came from."""

    date: dt.date
    category: str
    status: str
    summary: str
    tags: list[str]
    metrics: dict[str, int | float] = field(default_factory=dict)
    footnote: str | None = None
    confidence: str = classify.HIGH
    why: str = ""
    paragraph: int = 0
    source: str = ""  # the paragraph of the document it was read from (shown beside it)
    stray: list[str] = field(default_factory=list)  # words after a figure, left out
    unit: str | None = None  # the unit the report type's section selects, if it names one


@dataclass
class Plan:
    entries: list[Planned]
    skipped: dict[str, int]
    notes: list[str]


def source_id(doc: Document) -> str:
    """A stable id of the document's words (not its layout, paragraphs or punctuation): the same
    report saved as .doc, .docx or .txt gets the same id."""
    text = "".join("".join(re.findall(r"\w+", fold(p.text))) for p in doc.paragraphs)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _fill(text: str, period: Period) -> str:
    from ngoaivu_cli.render.context import period_words
    from ngoaivu_cli.textfill import fill

    try:
        return fill(text, {"period": period_words(period), "next": period_words(period.next()),
                           "agency": {}, "report": {}})
    except Exception:
        return text


def _flat_specs(rt: ReportType | None, period: Period) -> list[tuple[str, SectionSpec]]:
    out: list[tuple[str, SectionSpec]] = []

    def walk(spec: SectionSpec) -> None:
        out.append((fold(_fill(spec.heading, period)), spec))
        for sub in spec.subsections:
            walk(sub)

    for spec in rt.sections if rt else ():
        walk(spec)
    return out


def _similar(a: str, b: str) -> float:
    wa, wb = set(a.split()), set(b.split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / max(len(wa), len(wb))


def _spec_for(section: Section, specs: list[tuple[str, SectionSpec]]) -> SectionSpec | None:
    title = fold(section.title)
    best: tuple[float, SectionSpec | None] = (0.0, None)
    for heading, spec in specs:
        score = _similar(title, heading)
        if score > best[0]:
            best = (score, spec)
    return best[1] if best[0] >= 0.6 else None


@dataclass
class _Rule:
    """What a document section means: static text, or entries of a status and period."""

    static: bool
    status: str = "done"
    next_period: bool = False
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    lead: str = ""  # the section's own lead sentence, printed before its entries
    unit: str | None = None  # the section's unit, when it selects by unit
    # no section of the report type resembles the document's: the type's sections that take
    # entries of this status and period, in order; each entry goes to the first that takes
    # its category (and gets that section's tags), marked as a guess
    fallback: tuple[SectionSpec, ...] = ()


def _unit(spec: SectionSpec) -> str | None:
    return spec.units[0] if spec.units else None


def _takes(spec: SectionSpec, category: str) -> bool:
    return (not spec.categories or category in spec.categories) and \
        category not in spec.exclude_categories


def _fallback(rule: _Rule, specs: list[tuple[str, SectionSpec]]) -> _Rule:
    """``rule`` (read from the words of the document's heading) with the report type's sections
    that would print such entries: same status and period first, else same status."""
    def status_fits(spec: SectionSpec) -> bool:
        return spec.status in (rule.status, "any")

    taking = [spec for _h, spec in specs if spec.entries and status_fits(spec)]
    period = "next" if rule.next_period else "current"
    same = [spec for spec in taking if spec.period == period]
    chosen = same or taking
    if not chosen:
        return rule
    rule.fallback = tuple(chosen)
    rule.next_period = chosen[0].period == "next"
    if all(spec.categories for spec in chosen):  # only these categories can be printed
        rule.categories = tuple(dict.fromkeys(c for spec in chosen for c in spec.categories))
    return rule


def _rule(section: Section, specs: list[tuple[str, SectionSpec]], layout: Layout) -> _Rule:
    for node in reversed(section.path):
        spec = _spec_for(node, specs)
        if spec is None:
            continue
        if not spec.entries or (not spec.subsections and (spec.document or spec.text)
                                and not spec.status):
            return _Rule(static=True)
        if spec.subsections and not spec.categories and not spec.tags and node is section:
            # a heading over subsections: the subsection's own words decide
            break
        status = "planned" if spec.status == "planned" else "done"
        return _Rule(False, status, spec.period == "next", spec.tags, spec.categories,
                     spec.lead or "", _unit(spec))
    words = " ".join(fold(n.title) for n in section.path)
    if any(w in words for w in STATIC_WORDS) and not any(w in words for w in ("ket qua",)):
        return _Rule(static=True)
    if layout.kind == "KẾ HOẠCH":
        return _fallback(_Rule(False, "planned", False), specs)
    top = fold(section.path[0].title)
    if any(w in top for w in PLAN_WORDS) and "ket qua" not in top:
        return _fallback(_Rule(False, "planned", True), specs)
    return _fallback(_Rule(False, "done", False), specs)


def _place(planned: Planned, rule: _Rule, heading: str, period: Period) -> None:
    """An entry of a document section no section of the type resembles: the first fallback
    section that takes its category gives it its tags and unit; the guess is marked."""
    spec = next((s for s in rule.fallback if _takes(s, planned.category)), rule.fallback[0])
    planned.tags.extend(t for t in spec.tags if t not in planned.tags)
    planned.unit = planned.unit or _unit(spec)
    planned.confidence = classify.LOW
    where = f"“{_fill(spec.heading, period)}”" if spec.heading else "đầu tiên"
    planned.why = (f"mục “{heading}” không giống mục nào của loại báo cáo: xếp vào mục {where}; "
                   + planned.why)


_NOT_TEXT = " .,;:-–—…/()[]\"'“”"
_DAY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")


def entry_date(text: str, period: Period) -> dt.date:
    """A day written in the text that lies in ``period``, else the period's first day."""
    for m in _DAY.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else period.end.year
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if period.contains(d):
            return d
    return period.start


def build(doc: Document, layout: Layout, period: Period, rt: ReportType | None,
          config: Config) -> Plan:
    """The entries of the document (see the module docstring)."""
    tag = SOURCE_PREFIX + source_id(doc)
    specs = _flat_specs(rt, period)
    skipped = dict(layout.skipped)
    fixed = _fixed_texts(config, period)
    notes: list[str] = []
    entries: list[Planned] = []
    stats_seen: dict[str, int] = {}

    groups: list[tuple[Section | None, list[Item]]] = []
    if layout.loose:
        groups.append((None, layout.loose))
    groups.extend((s, s.items) for s in layout.sections)
    for section, items in groups:
        if section is not None:
            skipped["tiêu đề mục"] = skipped.get("tiêu đề mục", 0) + 1
        rule = _rule(section, specs, layout) if section else _fallback(_Rule(False), specs)
        if rule.static:
            if items:
                skipped["phần không phải hoạt động (mục đích, tổ chức thực hiện...)"] = \
                    skipped.get("phần không phải hoạt động (mục đích, tổ chức thực hiện...)",
                                0) + len(items)
            continue
        target = period.next() if rule.next_period else period
        titles = tuple(n.title for n in section.path[1:]) if section else ()
        tags = [IMPORTED_TAG, tag, *[t for t in rule.tags if t not in (IMPORTED_TAG, tag)]]
        heading = f"{section.number}. {section.title}" if section else "(không tiêu đề)"
        if rule.fallback and items:
            first = rule.fallback[0]
            notes.append(f"mục “{heading}” của văn bản không giống mục nào của loại báo cáo: "
                         f"các hoạt động của nó được xếp vào mục “{_fill(first.heading, period)}”"
                         + (f" (nhãn {', '.join(first.tags)})" if first.tags else "")
                         + ", đánh dấu đoán chưa chắc — kiểm tra lại")
        for item in items:
            if not item.text.strip(_NOT_TEXT):
                skipped["đoạn trống"] = skipped.get("đoạn trống", 0) + 1
                continue
            if _plain(item.text) in fixed:
                skipped["câu có sẵn của loại báo cáo"] = \
                    skipped.get("câu có sẵn của loại báo cáo", 0) + 1
                continue
            for planned in _entries_of(item, rule, titles, config, fixed):
                if not planned.summary.strip(_NOT_TEXT):
                    continue
                planned.date = entry_date(planned.summary, target)
                planned.status = rule.status
                planned.tags = [*tags, *[t for t in planned.tags if t not in tags]]
                planned.paragraph = item.number
                planned.source = item.text.strip()[:1000]
                planned.unit = planned.unit or rule.unit
                if rule.fallback:
                    _place(planned, rule, heading, period)
                if planned.stray:
                    notes.append(f"đoạn {item.number}: câu thống kê có chữ thừa sau số "
                                 + "; ".join(planned.stray)
                                 + " — đã bỏ chữ thừa, kiểm tra lại số liệu")
                if config.stats_only_tag in planned.tags:  # one summary per figure set
                    seen = stats_seen.get(planned.category, 0) + 1
                    stats_seen[planned.category] = seen
                    if seen > 1:
                        planned.summary = planned.summary[:-1] + f", {seen})"
                entries.append(planned)
    return Plan(entries, skipped, notes)


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def _fixed_texts(config: Config, period: Period) -> set[str]:
    """Sentences a report prints by itself, never from an entry: what a section says when it
    has no entry ("Không có nội dung phát sinh."), and the statistics sentences without a
    figure ("Sở Ngoại vụ đã làm tốt công tác tiếp nhận hồ sơ ..."), for every section and
    category of the configuration. Imported, they would be printed twice."""
    out = {_plain(SectionSpec.empty)}
    sentences = [st.text for cat in config.categories.values() for st in cat.stats]
    for rt in config.report_types.values():
        for _heading, spec in _flat_specs(rt, period):
            if spec.empty:
                out.add(_plain(_fill(spec.empty, period)))
            sentences.extend(st.text for st in spec.stats)
    for text in sentences:
        if "m." not in text and "raw." not in text:
            out.add(_plain(_fill(text.replace("[^]", ""), period)))
    out.discard("")
    return out


def _entries_of(item: Item, rule: _Rule, titles: tuple[str, ...], config: Config,
                fixed: set[str]) -> list[Planned]:
    """One item → its entries: metrics sentences, merged items, or the bullet itself."""
    text = item.text
    footnote = "\n".join(item.footnotes) or None
    if footnote and item.anchor is not None:
        text = text[:item.anchor] + "[^]" + text[item.anchor:]
    out: list[Planned] = []
    allowed = rule.categories
    if rule.lead:
        lead = " ".join(rule.lead.split())
        if classify.fold(text[:len(lead)]) == classify.fold(lead):
            text = text[len(lead):].strip()
            if not text:
                return []

    def new(summary: str, category: str, confidence: str, why: str,
            metrics: dict[str, int | float] | None = None, note: str | None = None) -> Planned:
        return Planned(dt.date.min, category, "done", summary, [], dict(metrics or {}), note,
                       confidence, why)

    # a category's lead opens the bullet
    for key, cat in config.categories.items():
        if allowed and key not in allowed:
            continue
        rest = classify.starts_with_lead(text, cat)
        if rest is None:
            continue
        stats = classify.find_stats(rest, config, (key,))
        if stats:
            out.append(_stats_entry(config, key, item, stats))
            rest = stats[-1].rest
        if not rest.strip(" .;:"):
            if out and footnote:
                out[-1].footnote = footnote
            return out
        if cat.style == "merged":
            parts = classify.split_items(rest)
            for i, part in enumerate(parts):
                out.append(new(part, key, classify.HIGH, "mở đầu bằng câu dẫn của lĩnh vực",
                               note=footnote if i == len(parts) - 1 else None))
        else:
            out.append(new(rest, key, classify.HIGH, "mở đầu bằng câu dẫn của lĩnh vực",
                           note=footnote))
        return out
    # statistics sentences inside an ordinary bullet
    stats = classify.find_stats(text, config, allowed)
    for key in dict.fromkeys(h.category for h in stats):
        out.append(_stats_entry(config, key, item, [h for h in stats if h.category == key]))
    if stats:
        text = stats[-1].rest
        if not text.strip(" .;:") or _plain(text) in fixed:  # the sentences round the figures
            if footnote:
                out[-1].footnote = footnote
            return out
    g = classify.guess(text, config, allowed, titles)
    if stats and g.category is None:
        g = classify.Guess(stats[0].category, classify.HIGH, "cùng đoạn với câu thống kê")
    if g.category is None and allowed:  # the report type's section says which categories
        g = classify.Guess(next(k for k in allowed if k in config.categories) if any(
            k in config.categories for k in allowed) else None, classify.LOW,
            "lĩnh vực đầu tiên của mục")
    category = g.category or REVIEW_CATEGORY
    out.append(new(text, category, g.confidence, g.why, note=footnote))
    return out


def _stats_entry(config: Config, key: str, item: Item, hits: list[classify.StatHit]) -> Planned:
    """One statistics-only entry holding every metric the item's sentences gave back."""
    metrics: dict[str, int | float] = {}
    tags = [config.stats_only_tag]
    stray: list[str] = []
    for hit in hits:
        metrics.update(hit.metrics)
        tags.extend(t for t in hit.tags if t not in tags)
        stray.extend(hit.stray)
    label = config.category_label(key)
    summary = f"Số liệu {label[:1].lower()}{label[1:]} (nhập từ văn bản)"
    return Planned(dt.date.min, key, "done", summary, tags, metrics, None,
                   classify.LOW if stray else classify.HIGH, "câu thống kê", stray=stray)
