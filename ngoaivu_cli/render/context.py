"""Context building (pure): a report type + a period + entries → the data a template lays out.

Everything is decided here, in Python: which entries fill each section, their order, how a
category is written (bullets, one merged bullet, a paragraph with statistics), the sums of
metrics, the numbering, and every number and date already formatted in Vietnamese. Templates
(DOCX and Markdown) only place the strings; ``--format json`` prints this context as it is.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ngoaivu_cli.config import Category, Config, ReportType, SectionSpec
from ngoaivu_cli.documents import StaticDocument, load_document
from ngoaivu_cli.entries import Entry
from ngoaivu_cli.formatting import roman, vn_count, vn_date_blank, vn_date_full, vn_number
from ngoaivu_cli.periods import Period
from ngoaivu_cli.selection import filter_entries
from ngoaivu_cli.textfill import capfirst, fill

# XML 1.0 forbids these; an entry text carrying one must never corrupt the DOCX
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_END_PUNCT = ".;:,"
FOOTNOTE_ANCHOR = "[^]"  # where an entry's footnote reference goes; default: the end


@dataclass(frozen=True)
class ReportRequest:
    """What the user asked for: the type, the period and the document's number and date."""

    report_type: ReportType
    period: Period
    issue_date: dt.date | None = None  # default: the period's last day
    number: str = ""  # blank: "Số:      /BC-SNgV", filled in by the clerk at issue
    blank_day: bool = False  # print "ngày    tháng 8 năm 2022" for a draft


def clean_text(text: str) -> str:
    """Text from an entry as it may go into a document: NFC, no XML-illegal characters."""
    text = unicodedata.normalize("NFC", text).replace("\t", " ")
    return _XML_BAD.sub("", text).strip()


def period_words(period: Period) -> dict[str, Any]:
    """What templates and configuration strings may say about a period."""
    return {
        "label": period.label,
        "span": period.span_text,
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "days": period.days,
        "year": period.year,
        "relative_next": period.relative_next,
    }


def metric_sums(entries: list[Entry], config: Config) -> dict[str, int | float]:
    """Sum every declared metric over ``entries`` (computed ``sum_of`` metrics included)."""
    sums: dict[str, int | float] = {key: 0 for key in config.metrics}
    for e in entries:
        for name, value in e.metrics:
            if name in sums:
                sums[name] += value
    for key, metric in config.metrics.items():
        if metric.sum_of:
            sums[key] = sum(sums.get(part, 0) for part in metric.sum_of)
    # 0.1 + 0.2 must print 0,3: decimal metrics are kept to 6 places
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in sums.items()}


def format_metric(value: int | float, integer: bool) -> str:
    """``2`` → ``02`` (a count below ten, as the documents write it); ``15.5`` → ``15,5``."""
    if integer or float(value).is_integer():
        return vn_count(value)
    return vn_number(value)


def _metric_view(sums: dict[str, int | float], config: Config) -> dict[str, str]:
    return {k: format_metric(v, config.metrics[k].integer) for k, v in sums.items()}


def _sentence(text: str) -> str:
    """A summary printed inside running text ends with a full stop."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "./.", "…", ":")) else text + "."


def _item(text: str) -> str:
    """A summary merged into a list "a; b; c" loses its own final punctuation (not "...")."""
    text = text.rstrip()
    if text.endswith(("...", "…")):
        return text
    return text.rstrip(_END_PUNCT).rstrip()


def _lead(lead: str, text: str) -> str:
    return f"{lead.rstrip()} {text}" if lead else text


def _note_key(entry: Entry) -> str:
    """The token standing for an entry's own footnote anchor until footnotes are numbered."""
    return f"[^@{entry.loc.path}#{entry.index}]"


def _summary(entry: Entry) -> str:
    """An entry's summary ready for a document; its ``[^]`` becomes the entry's own token."""
    text = clean_text(entry.summary or "")
    if entry.footnote and FOOTNOTE_ANCHOR in text:
        text = text.replace(FOOTNOTE_ANCHOR, _note_key(entry), 1)
    return text


def _block(style: str, text: str, entries: list[Entry] | None = None) -> dict[str, Any]:
    notes = [{"key": _note_key(e), "text": clean_text(e.footnote)}
             for e in entries or () if e.footnote]
    return {"style": style, "text": text, "footnotes": notes}


def _entry_blocks(text: str, entry: Entry, marker: str) -> list[dict[str, Any]]:
    """An entry's summary; a line break inside it starts a further plain paragraph."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = [_block("bullet" if marker else "para", f"{marker}{parts[0] if parts else ''}",
                  [entry])]
    out.extend(_block("para", p) for p in parts[1:])
    return out


def category_blocks(cat: Category, entries: list[Entry], config: Config, *,
                    style: str | None = None, marker: str = "- ", lead: str | None = None,
                    with_stats: bool = True) -> list[dict[str, Any]]:
    """The body paragraphs of one category in one section (see the module docstring)."""
    shown = [e for e in entries if config.stats_only_tag not in e.tags]
    texts = [_summary(e) for e in shown]
    stats = stat_sentences(cat.stats, entries, config) if with_stats else []
    style = style or cat.style
    lead = cat.lead if lead is None else lead
    kind = "bullet" if marker else "para"
    if style == "merged":
        if not texts and not stats:
            return []
        body = "; ".join(_item(t) for t in texts)
        parts = " ".join(stats + ([_sentence(body)] if body else []))
        return [_block(kind, marker + _lead(lead, parts), entries)]
    if style == "paragraph":
        if not texts and not stats:
            return []
        joined = " ".join(stats + [_sentence(" ".join(t.split())) for t in texts])
        return [_block(kind, marker + _lead(lead, joined), entries)]
    hidden = [e for e in entries if config.stats_only_tag in e.tags]
    blocks = [_block(kind, marker + s, hidden if i == len(stats) - 1 else None)
              for i, s in enumerate(stats)]
    for text, entry in zip(texts, shown, strict=True):
        blocks.extend(_entry_blocks(text, entry, marker))
    return blocks


def stat_sentences(sentences: tuple[Any, ...], entries: list[Entry], config: Config) -> list[str]:
    """Statistics sentences filled from the metrics summed over ``entries``."""
    if not sentences:
        return []
    sums = metric_sums(entries, config)
    view = {"m": _metric_view(sums, config), "raw": sums}
    filled = (fill(s.text, view) for s in sentences if not s.when or sums.get(s.when))
    return [text for text in filled if text]  # a sentence whose conditions all failed is dropped


def section_entries(spec: SectionSpec, entries: list[Entry], period: Period) -> list[Entry]:
    """The entries a section selects: by period (this or next), status, category, tag, unit."""
    target = period if spec.period == "current" else period.next()
    chosen = filter_entries(entries, start=target.start, end=target.end,
                            categories=spec.categories, units=spec.units, tags=spec.tags,
                            status=spec.status)
    if spec.exclude_categories:
        chosen = [e for e in chosen if e.category not in spec.exclude_categories]
    return chosen


def section_blocks(spec: SectionSpec, entries: list[Entry], config: Config) -> list[dict[str, Any]]:
    """Entry paragraphs of a section, grouped by category in the configured order or by date."""
    out: list[dict[str, Any]] = []
    if spec.stats:
        stats = stat_sentences(spec.stats, entries, config)
        if stats:
            hidden = [e for e in entries if config.stats_only_tag in e.tags]
            out.append(_block("para", " ".join(stats), hidden))
    if spec.group_by == "none":
        for e in entries:
            if config.stats_only_tag not in e.tags:
                out.extend(_entry_blocks(_summary(e), e, spec.marker))
        return out
    groups: OrderedDict[str, list[Entry]] = OrderedDict()
    order = list(spec.categories) or list(config.categories)
    for key in order:
        groups[key] = []
    for e in entries:
        groups.setdefault(e.category or "", []).append(e)
    for key, group in groups.items():
        cat = config.categories.get(key)
        if cat is None or not group:
            continue
        out.extend(category_blocks(cat, group, config, style=spec.style, marker=spec.marker,
                                   lead=spec.lead, with_stats=not spec.stats))
    return out


def document_blocks(doc: StaticDocument) -> list[dict[str, Any]]:
    """Paragraphs of a static document in its style."""
    out: list[dict[str, Any]] = []
    for i, item in enumerate(doc.items, start=1):
        text, *more = [p.strip() for p in clean_text(item.text).split("\n") if p.strip()] or [""]
        notes = [clean_text(item.footnote)] if item.footnote else []
        if doc.style == "numbered":
            label = f"{clean_text(item.label)}: " if item.label else ""
            block = {"style": "para", "text": f"{i}. {label}{text}", "footnotes": notes}
        elif doc.style == "bullets":
            label = f"{clean_text(item.label)}: " if item.label else ""
            block = {"style": "bullet", "text": f"- {label}{text}", "footnotes": notes}
        else:
            style = "quote" if doc.style == "quote" else "para"
            block = {"style": style, "text": text, "footnotes": notes}
        out.append(block)
        # further lines of an item are paragraphs of their own, after it
        out.extend({"style": "quote" if doc.style == "quote" else "para", "text": p,
                    "footnotes": []} for p in more)
    return out


@dataclass
class _Numbering:
    scheme: str
    top: int = 0
    sub: int = 0

    def heading(self, level: int) -> str:
        if level == 0:
            self.top += 1
            self.sub = 0
            return f"{roman(self.top)}. " if self.scheme == "roman" else f"{self.top}. "
        self.sub += 1
        return f"{self.sub}. " if self.scheme == "roman" else f"{self.top}.{self.sub}. "


def build_context(request: ReportRequest, entries: list[Entry], config: Config) -> dict[str, Any]:
    """The whole report as plain data (strings, lists, dicts): JSON-serialisable."""
    rt = request.report_type
    period = request.period
    nxt = period.next()
    words = {"period": period_words(period), "next": period_words(nxt),
             "agency": _agency(config), "report": {"key": rt.key, "name": rt.name}}

    def say(text: str) -> str:
        return fill(text, words)

    body: list[dict[str, Any]] = []
    if rt.opening:
        body.append({"style": "para", "text": say(rt.opening), "footnotes": []})
    numbering = _Numbering(rt.numbering)

    def add_section(spec: SectionSpec, level: int) -> None:
        if spec.heading:
            style = "heading" if level == 0 else "subheading"
            body.append({"style": style, "text": numbering.heading(level) + say(spec.heading),
                         "footnotes": []})
        if spec.text:
            body.append({"style": "para", "text": say(spec.text), "footnotes": []})
        if spec.document:
            body.extend(document_blocks(load_document(config.root, say(spec.document))))
        if spec.entries:
            blocks = section_blocks(spec, section_entries(spec, entries, period), config)
            if not blocks and spec.empty:
                marker = spec.marker
                blocks = [{"style": "bullet" if marker else "para",
                           "text": f"{marker}{spec.empty}", "footnotes": []}]
            body.extend(blocks)
        for sub in spec.subsections:
            add_section(sub, level + 1)

    for spec in rt.sections:
        add_section(spec, 0)
    if rt.closing:
        body.append({"style": "para", "text": say(rt.closing), "footnotes": []})
    _number_footnotes(body)

    done = filter_entries(entries, start=period.start, end=period.end, status="done")
    all_stats = metric_sums(done, config)
    issue = request.issue_date or (period.start if rt.issue_date == "start" else period.end)
    signer = config.signers[rt.signer]
    number = request.number
    if number.isdigit() and len(number) == 1:
        number = "0" + number
    recipients = [say(r) for r in rt.recipients]
    blank = request.blank_day or rt.blank_day
    return {
        "agency": _agency(config),
        "doc": {
            "layout": rt.layout,
            "kind": rt.doc_kind.upper(),
            "number_line": f"Số: {number}/{rt.symbol}" if number else f"Số:      /{rt.symbol}",
            "place_date": (vn_date_blank(issue, config.agency.place) if blank
                           else vn_date_full(issue, config.agency.place)),
            "issue_date": issue.isoformat(),
            "title": [say(t) for t in rt.title],
            "subtitle": capfirst(say(rt.subtitle)) if rt.subtitle else "",
            "abstract": [say(a) for a in rt.abstract],
        },
        "kinh_gui": _kinh_gui(recipients),
        "body": body,
        "receivers": _receivers(rt.receivers),
        "signer": {"authority": signer.authority, "title": signer.title, "name": signer.name},
        "period": period.to_json(),
        "next": nxt.to_json(),
        "report_type": {"key": rt.key, "name": rt.name},
        "stats": {k: {"label": config.metrics[k].label, "unit": config.metrics[k].unit,
                      "value": v, "text": format_metric(v, config.metrics[k].integer)}
                  for k, v in all_stats.items() if v},
        # no activity in the period: no "Phụ lục" page holding only a table header
        "appendix": _appendix(rt, done, config, say) if rt.appendix and done else None,
        "entries_count": len(entries),
    }


def _appendix(rt: ReportType, done: list[Entry], config: Config, say: Any) -> dict[str, Any]:
    """The "Phụ lục" table: one row per group and metric (STT, nhóm, chỉ tiêu, số liệu)."""
    from ngoaivu_cli.stats import GROUP_TITLES, compute_stats

    assert rt.appendix is not None
    stats = compute_stats(done, config, rt.appendix.by)
    rows: list[dict[str, str]] = []
    for g in stats.groups:
        metrics = [(k, v) for k, v in g.sums.items() if v and k in config.metrics]
        rows.append({"stt": str(len(rows) + 1), "group": g.label,
                     "metric": "Số hoạt động", "value": vn_number(g.entries)})
        for k, v in sorted(metrics, key=lambda kv: list(config.metrics).index(kv[0])):
            m = config.metrics[k]
            rows.append({"stt": "", "group": "", "metric": m.label,
                         "value": f"{format_metric(v, m.integer)} {m.unit}"})
    return {"title": say(rt.appendix.title), "note": say(rt.appendix.note),
            "group_title": GROUP_TITLES[rt.appendix.by], "rows": rows}


def _agency(config: Config) -> dict[str, str]:
    a = config.agency
    return {"parent": a.parent, "name": a.name, "short_name": a.short_name, "symbol": a.symbol,
            "place": a.place}


def _kinh_gui(recipients: list[str]) -> list[str]:
    """One recipient on the "Kính gửi:" line; several one per line, "- A;" ... "- B."."""
    if not recipients:
        return []
    if len(recipients) == 1:
        return [f"Kính gửi: {recipients[0]}"]
    lines = ["Kính gửi:"]
    for i, r in enumerate(recipients):
        lines.append(f"- {_item(r)}{'.' if i == len(recipients) - 1 else ';'}")
    return lines


def _receivers(items: tuple[str, ...]) -> list[str]:
    """Nơi nhận: each line "- X;" and the last "- Lưu: VT, ...."."""
    out = []
    for i, r in enumerate(items):
        out.append(f"- {_item(r)}{'.' if i == len(items) - 1 else ';'}")
    return out


def _number_footnotes(body: list[dict[str, Any]]) -> None:
    """Footnotes are numbered 1, 2, ... in reading order (Word numbers them the same way).

    Each reference is written ``[^n]`` in the text: where its entry wrote ``[^]`` (an entry's
    anchor always holds its own note), else at a ``[^]`` left in the paragraph (a statistics
    sentence's), else at the end of the paragraph; writers turn it into a real reference.
    """
    n = 0
    for block in body:
        text = block["text"]
        placed: list[tuple[int, int, dict[str, Any]]] = []
        for order, note in enumerate(block.get("footnotes", [])):
            key = note.get("key", "")
            if key and key in text:
                token = key
            elif FOOTNOTE_ANCHOR in text:
                token = f"[^@free{order}]"
                text = text.replace(FOOTNOTE_ANCHOR, token, 1)
            else:
                token = f"[^@end{order}]"
                text += token
            placed.append((text.index(token), order, {"token": token, "text": note["text"]}))
        numbered = []
        for _pos, _order, note in sorted(placed, key=lambda t: (t[0], t[1])):
            n += 1
            text = text.replace(note["token"], f"[^{n}]", 1)
            numbered.append({"n": n, "text": note["text"]})
        block["text"] = text.replace(FOOTNOTE_ANCHOR, "")
        block["footnotes"] = numbered
