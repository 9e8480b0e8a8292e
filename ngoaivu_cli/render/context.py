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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ngoaivu_cli.config import Category, Config, ReportType, SectionSpec
from ngoaivu_cli.figures import format_figure
from ngoaivu_cli.formatting import (
    capfirst,
    repad_months,
    roman,
    vn_date_blank,
    vn_date_full,
)
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.notes import active as notes_active
from ngoaivu_cli.notes import muted
from ngoaivu_cli.official import split
from ngoaivu_cli.periods import Period
from ngoaivu_cli.records import record
from ngoaivu_cli.render import dropped, marks
from ngoaivu_cli.render.clauses import DEFAULT_JOIN, clusters, join_clauses, join_group
from ngoaivu_cli.scopes import Figures, Scopes, compare_words, period_figures
from ngoaivu_cli.selection import filter_entries, plan_belongs
from ngoaivu_cli.sums import metric_sums
from ngoaivu_cli.textfill import fill

if TYPE_CHECKING:
    from ngoaivu_cli.log.documents import StaticDocument

# XML 1.0 forbids these; an entry text carrying one must never corrupt the DOCX
_END_PUNCT = ".;:,"
FOOTNOTE_ANCHOR = "[^]"  # where an entry's footnote reference goes; default: the end


@record(frozen=True)
class ReportRequest:
    """What the user asked for: the type, the period and the document's number and date."""

    report_type: ReportType
    period: Period
    issue_date: dt.date | None = None  # default: the period's last day
    number: str = ""  # blank: "Số:      /BC-SNgV", filled in by the clerk at issue
    blank_day: bool = False  # print "ngày    tháng 8 năm 2022" for a draft
    signed: bool = False  # "(đã ký)" under the signature (the electronic copy), `--da-ky`


def clean_text(text: str) -> str:
    """Text from an entry as it may go into a document: NFC, no XML-illegal characters, no
    character that could forge a footnote reference (render/marks.py)."""
    text = unicodedata.normalize("NFC", text).replace("\t", " ")
    return marks.clean(text).strip()


SIGNED_MARK = "(đã ký)"
NOTHING_NEW = "Không có nội dung phát sinh."  # under a heading that has nothing else


def period_words(period: Period, months: str = "decree") -> dict[str, Any]:
    """What templates and configuration strings may say about a period; ``months``: how its
    months are padded (``formatting.pad_months``: decree, all, none)."""
    return {
        "label": repad_months(period.label, months),
        "span": repad_months(period.span_text, months),
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "days": period.days,
        "year": period.year,
        "relative_next": repad_months(period.relative_next, months),
    }


def format_metric(value: int | float, integer: bool, pad: bool = True) -> str:
    """``2`` → ``02`` (a count below ten, as the documents write it; ``pad=False``: ``2``);
    ``15.5`` → ``15,5``."""
    return format_figure(value, integer, pad)


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
    return marks.token(f"{entry.loc.path}#{entry.index}".replace(marks.SEP, ""))


_HAND_BULLET = re.compile(r"\A[-–—•+*]\s+")


def _summary(entry: Entry) -> str:
    """An entry's summary ready for a document; its ``[^]`` becomes the entry's own token. A
    bullet typed by hand at its start ("- Tham mưu...", "• ...", copied from an old report) is
    the document's to print, so it is dropped here (never "- - Tham mưu")."""
    text = _HAND_BULLET.sub("", clean_text(entry.summary or ""), count=1)
    if entry.footnote and FOOTNOTE_ANCHOR in text:
        text = text.replace(FOOTNOTE_ANCHOR, _note_key(entry), 1)
    return text


def _block(style: str, text: str, entries: list[Entry] | None = None,
           about: list[Entry] | None = None) -> dict[str, Any]:
    """A paragraph; ``entries``: those whose footnotes it carries; ``about``: those it speaks
    of (``entries`` unless given: a statistics sentence sums a whole group)."""
    notes = [{"key": _note_key(e), "text": clean_text(e.footnote)}
             for e in entries or () if e.footnote]
    out = {"style": style, "text": text, "footnotes": notes}
    about = entries if about is None else about
    if about:  # whose entries these are (named in build_context, for a log with sources)
        out["agencies"] = list(dict.fromkeys(e.agency or "" for e in about))
    return out


def _name_agencies(body: list[dict[str, Any]], config: Config) -> None:
    """A log with sources: each paragraph made of entries names the agencies they came from
    (the log's own as its own agency); without sources, the key is not kept."""
    for block in body:
        names = block.pop("agencies", None)
        if names is not None and config.sources:
            block["agencies"] = [name or config.own_agency for name in names]


def _entry_blocks(text: str, entry: Entry, marker: str) -> list[dict[str, Any]]:
    """An entry's summary; a line break inside it starts a further plain paragraph."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = [_block("bullet" if marker else "para", f"{marker}{parts[0] if parts else ''}",
                  [entry])]
    out.extend(_block("para", p) for p in parts[1:])
    return out


def _cluster_blocks(group: list[Entry], marker: str, join: str) -> list[dict[str, Any]]:
    """One entry's paragraphs, or the one bullet of entries sharing a ``group``."""
    if len(group) == 1:
        return _entry_blocks(_summary(group[0]), group[0], marker)
    text = join_group([_summary(e) for e in group], join)
    return [_block("bullet" if marker else "para", f"{marker}{text}", group)]


def category_blocks(cat: Category, entries: list[Entry], config: Config, *,
                    style: str | None = None, marker: str = "- ", lead: str | None = None,
                    with_stats: bool = True, figures: Figures | None = None,
                    spec: SectionSpec | None = None) -> list[dict[str, Any]]:
    """The body paragraphs of one category in one section (see the module docstring)."""
    shown = [e for e in entries if config.stats_only_tag not in e.tags]
    texts = [_summary(e) for e in shown]
    view = figures.view(entries, spec, cat.key) if figures else None
    stats = stat_sentences(cat.stats, entries, config, view) if with_stats else []
    style = style or cat.style
    lead = cat.lead if lead is None else lead
    if lead and view is not None:
        lead = fill(lead, view)
    kind = "bullet" if marker else "para"
    at = _stats_place(cat, entries, config)  # how many shown entries come before the figures
    if style == "merged":
        if not texts and not stats:
            return []
        before, after = ("; ".join(_item(t) for t in part) for part in (texts[:at], texts[at:]))
        parts = join_clauses([before, *stats, after])  # a lower-case figure clause: "a; b; c"
        return [_block(kind, marker + _lead(lead, parts), entries)]
    if style == "paragraph":
        if not texts and not stats:
            return []
        joined = join_clauses(texts[:at] + stats + texts[at:])
        return [_block(kind, marker + _lead(lead, joined), entries)]
    hidden = [e for e in entries if config.stats_only_tag in e.tags]
    figures_blocks = [_block(kind, marker + s, hidden if i == len(stats) - 1 else None,
                             entries) for i, s in enumerate(stats)]
    blocks: list[dict[str, Any]] = []
    join = spec.join if spec is not None else DEFAULT_JOIN
    placed = 0  # shown entries before the next group
    for group in clusters(shown):
        if placed <= at < placed + len(group):
            blocks.extend(figures_blocks)
            figures_blocks = []
        blocks.extend(_cluster_blocks(group, marker, join))
        placed += len(group)
    blocks.extend(figures_blocks)
    if lead and lead.strip() and blocks:  # bullets: the lead is a paragraph before them
        blocks.insert(0, _block("para", lead.strip()))
    return blocks


def _stats_place(cat: Category, entries: list[Entry], config: Config) -> int:
    """Where a category's statistics sentences go (``stats_at``), as the number of its printed
    entries before them: first (0), last (all), or at its first stats-only entry ("marker";
    first when it has none)."""
    shown = [e for e in entries if config.stats_only_tag not in e.tags]
    if cat.stats_at == "last":
        return len(shown)
    if cat.stats_at == "marker":
        for i, e in enumerate(entries):
            if config.stats_only_tag in e.tags:
                return sum(1 for x in entries[:i] if config.stats_only_tag not in x.tags)
    return 0


def stat_sentences(sentences: tuple[Any, ...], entries: list[Entry], config: Config,
                   view: dict[str, Any] | None = None) -> list[str]:
    """Statistics sentences filled from the metrics summed over ``entries`` (``m``, ``raw``)
    and, when ``view`` is given, its scopes (``ytd``, ``last_year`` ...)."""
    if not sentences:
        return []
    if view is None:
        m, sums = period_figures(entries, None, config, config.pad_counts)
        view = {"m": m, "raw": sums}
    sums = view["raw"]
    out = []
    for s in sentences:
        if s.when and not sums.get(s.when):
            continue
        m, printed = dropped.seen_metrics(view["m"])  # which figures the sentence prints
        text = fill(s.text, {**view, "m": m})
        if text:  # a sentence whose conditions all failed is dropped
            out.append(text)
            dropped.note_zero_metrics(m, printed, entries, config, text)
    return out


def _fill_figures(text: str, view: dict[str, Any], entries: list[Entry], config: Config) -> str:
    """A configuration string filled from ``view``; each metric it prints that no entry of
    ``entries`` wrote (a zero nobody entered) is a ``W-METRIC-ZERO``, as in a statistics
    sentence."""
    m, printed = dropped.seen_metrics(view["m"])
    out = fill(text, {**view, "m": m})
    if out and printed:
        dropped.note_zero_metrics(m, printed, entries, config, out)
    return out


def section_entries(spec: SectionSpec, entries: list[Entry], period: Period) -> list[Entry]:
    """The entries a section selects: by period (this or next), status, category, tag, unit."""
    target = period if spec.period == "current" else period.next()
    chosen = filter_entries(entries, start=target.start, end=target.end,
                            categories=spec.categories, units=spec.units, tags=spec.tags,
                            status=spec.status)
    if spec.exclude_categories:
        chosen = [e for e in chosen if e.category not in spec.exclude_categories]
    if spec.agencies:
        chosen = [e for e in chosen if (e.agency or "") in spec.agencies]
    # a month's or a quarter's plan is printed once, by the report it belongs to
    return [e for e in chosen if e.approx is None or plan_belongs(e, target)]


def section_blocks(spec: SectionSpec, entries: list[Entry], config: Config,
                   figures: Figures | None = None) -> list[dict[str, Any]]:
    """Entry paragraphs of a section, grouped by category in the configured order or by date."""
    out: list[dict[str, Any]] = []
    if spec.stats:
        view = figures.view(entries, spec) if figures else None
        stats = stat_sentences(spec.stats, entries, config, view)
        if stats:
            hidden = [e for e in entries if config.stats_only_tag in e.tags]
            out.append(_block("para", " ".join(stats), hidden, entries))
    joined = spec.joined_stats.categories if spec.joined_stats else ()
    if spec.joined_stats:
        out.extend(_joined_block(spec, entries, config, figures))
    if spec.group_by == "none":
        _note_unsaid_stats(spec, entries, config, figures)
        out.extend(dated_blocks(spec, entries, config, figures))
        return out
    if spec.group_by == "agency":
        blocks = agency_blocks(spec, entries, config)
        if blocks and spec.lead:  # the section's own lead, before the agencies' paragraphs
            out.append(_block("para", _section_lead(spec, entries, figures)))
        out.extend(blocks)
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
                                   lead=spec.lead,
                                   with_stats=not spec.stats_given and key not in joined,
                                   figures=figures, spec=spec))
    return out


def _section_lead(spec: SectionSpec, entries: list[Entry], figures: Figures | None) -> str:
    lead = spec.lead or ""
    if figures is not None and "{" in lead:
        lead = fill(lead, figures.view(entries, spec))
    return lead


def dated_blocks(spec: SectionSpec, entries: list[Entry], config: Config,
                 figures: Figures | None = None) -> list[dict[str, Any]]:
    """``group_by: none``: the entries in their order (by date, see selection.sort_entries),
    whatever their category, in the section's own ``style`` and after its own ``lead``:
    ``bullets`` (the default) one paragraph each, the lead a paragraph before them; ``merged``
    "lead a; b; c."; ``paragraph`` "lead A. B. C." (a plan paragraph "Năm 2010, Sở sẽ tiếp
    tục tập trung ..."). Nothing when no entry is printed."""
    shown = [e for e in entries if config.stats_only_tag not in e.tags]
    if not shown:
        return []
    texts = [_summary(e) for e in shown]
    lead = _section_lead(spec, entries, figures)
    kind = "bullet" if spec.marker else "para"
    if spec.style == "merged":
        body = _sentence("; ".join(_item(t) for t in texts))
        return [_block(kind, spec.marker + _lead(lead, body), shown)]
    if spec.style == "paragraph":
        body = join_clauses(texts)  # the punctuation each summary has (render/clauses.py)
        return [_block(kind, spec.marker + _lead(lead, body), shown)]
    out = [_block("para", lead.strip())] if lead.strip() else []
    for group in clusters(shown):  # entries sharing a `group`: one bullet
        out.extend(_cluster_blocks(group, spec.marker, spec.join))
    return out


def _note_unsaid_stats(spec: SectionSpec, entries: list[Entry], config: Config,
                       figures: Figures | None) -> None:
    """``group_by: none`` prints no category's statistics sentences: W-STATS-DROPPED for each
    category whose sentences would print something here — not for a plan section without
    figures, nor when the section says which sentences it wants (``stats:``, even ``[]``),
    nor when a subsection or ``joined_stats`` speaks for the category."""
    if spec.stats_given or notes_active() is None:
        return
    by_cat: dict[str, list[Entry]] = {}
    for e in entries:
        by_cat.setdefault(e.category or "", []).append(e)
    spoken = {key for sub in spec.subsections for key in sub.categories}
    if spec.joined_stats is not None:
        spoken.update(spec.joined_stats.categories)
    for key, group in by_cat.items():
        cat = config.categories.get(key)
        if cat is None or not cat.stats or key in spoken:
            continue
        view = figures.view(group, spec, key) if figures else None
        with muted():  # only whether they print: their own warnings are not this report's
            said = stat_sentences(cat.stats, group, config, view)
        if said:
            dropped.note_stats_dropped(spec, key, group)


def _joined_block(spec: SectionSpec, entries: list[Entry], config: Config,
                  figures: Figures | None) -> list[dict[str, Any]]:
    """``joined_stats``: the listed categories' statistics sentences over the section's entries,
    each without its capital and full stop, joined by "; " after the lead, as one paragraph
    ("Năm qua, Sở Ngoại vụ đã tham mưu ...; tổ chức ...; tiếp nhận ..."). Nothing when no
    sentence is printed."""
    assert spec.joined_stats is not None
    said: list[str] = []
    used: list[Entry] = []
    for key in spec.joined_stats.categories:
        cat = config.categories.get(key)
        group = [e for e in entries if e.category == key]
        if cat is None or not group:
            continue
        view = figures.view(group, spec, key) if figures else None
        for text in stat_sentences(cat.stats, group, config, view):
            text = text.strip().rstrip(".").strip()
            if text:
                said.append(text[:1].lower() + text[1:])
                used.extend(e for e in group if config.stats_only_tag in e.tags
                            and all(e is not u for u in used))
    if not said:
        return []
    lead = spec.joined_stats.lead
    if figures is not None and "{" in lead:
        lead = fill(lead, figures.view(entries, spec))
    text = _lead(lead, "; ".join(said) + ".")
    joined = [e for e in entries if e.category in spec.joined_stats.categories]
    return [_block("bullet" if spec.marker else "para", spec.marker + text,
                   used, joined)]


def agency_blocks(spec: SectionSpec, entries: list[Entry], config: Config
                  ) -> list[dict[str, Any]]:
    """``group_by: agency``: one numbered paragraph per agency, the log's own first, then its
    sources in the order of ``sources:`` — "1. Sở Công Thương: a. b." (seed 004, section III);
    with ``style: merged`` "a; b."; with ``style: bullets`` the agency's line, then a bullet
    per entry. Inside an agency, entries follow the configured order of categories."""
    order = {key: i for i, key in enumerate(spec.categories or config.categories)}
    groups: OrderedDict[str, list[Entry]] = OrderedDict(
        (name, []) for name in ("", *(s.name for s in config.sources)))
    for e in entries:
        if config.stats_only_tag not in e.tags:
            groups.setdefault(e.agency or "", []).append(e)
    out: list[dict[str, Any]] = []
    n = 0
    for name, group in groups.items():
        if not group:
            continue
        n += 1
        group.sort(key=lambda e: order.get(e.category or "", len(order)))
        label = clean_text(name or config.own_agency)
        texts = [_summary(e) for e in group]
        if spec.style == "bullets":
            out.append(_block("para", f"{n}. {label}:"))
            for cluster in clusters(group):
                out.extend(_cluster_blocks(cluster, spec.marker or "- ", spec.join))
        elif spec.style == "merged":
            body = "; ".join(_item(t) for t in texts)
            out.append(_block("para", f"{n}. {label}: {_sentence(body)}", group))
        else:
            joined = " ".join(_sentence(" ".join(t.split())) for t in texts)
            out.append(_block("para", f"{n}. {label}: {joined}", group))
    return out


def document_blocks(doc: StaticDocument) -> list[dict[str, Any]]:
    """Paragraphs of a static document in its style."""
    out: list[dict[str, Any]] = []
    for i, item in enumerate(doc.items, start=1):
        text, *more = [p.strip() for p in clean_text(item.text).split("\n") if p.strip()] or [""]
        notes = [{"text": clean_text(item.footnote)}] if item.footnote else []
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


@record
class _Numbering:
    """The running numbers of a report's headings (I., 1. or 1., 1.1.)."""
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


def build_context(request: ReportRequest, entries: list[Entry], config: Config,
                  pool: list[Entry] | Callable[[], list[Entry]] | None = None
                  ) -> dict[str, Any]:
    """The whole report as plain data (strings, lists, dicts): JSON-serialisable.

    ``pool``: the entries loaded for the scopes the report prints (``ytd``, ``last_year`` ...,
    see :mod:`ngoaivu_cli.scopes`); default ``entries``."""
    rt = request.report_type
    period = request.period
    nxt = period.next()
    words = {"period": period_words(period, config.pad_months),
             "next": period_words(nxt, config.pad_months),
             "agency": _agency(config), "report": {"key": rt.key, "name": rt.name},
             "compare": compare_words(rt.appendix.compare if rt.appendix else "", period,
                                      config.terms, config.pad_months)}
    entries, officials = split(entries)  # official figures are no activities
    figures = Figures(words, Scopes(period, config, entries if pool is None else pool,
                                    pad=config.pad_counts, own_officials=officials))
    done = filter_entries(entries, start=period.start, end=period.end, status="done")
    whole: list[dict[str, Any]] = []  # the names over the whole period, made on first use

    notes = notes_active()
    if notes is not None:  # W-METRIC-ZERO names the activities a sentence did not count
        notes.pool = entries

    def say(text: str) -> str:
        if "{" not in text:
            return text
        if not whole:
            whole.append(figures.view(done))
        return _fill_figures(text, whole[0], done, config)

    def say_in(text: str, spec: SectionSpec) -> str:
        """A section's string: its figures are those of what the section selects."""
        if "{" not in text:
            return text
        chosen = section_entries(spec, entries, period)
        return _fill_figures(text, figures.view(chosen, spec), chosen, config)

    body: list[dict[str, Any]] = []
    if rt.opening:
        body.append({"style": "para", "text": say(rt.opening), "footnotes": []})
    numbering = _Numbering(rt.numbering)

    def add_section(spec: SectionSpec, level: int) -> None:
        start, counts = len(body), (numbering.top, numbering.sub)
        if spec.heading:
            style = "heading" if level == 0 else "subheading"
            text = say_in(spec.heading, spec)
            if level == 0:  # a Mục heading: in capitals where the type's layout says so
                text = text.upper() if rt.heading_case == "upper" else capfirst(text)
            body.append({"style": style, "text": numbering.heading(level) + text,
                         "footnotes": []})
        if spec.text:
            text = say_in(spec.text, spec)
            if text:  # a text whose conditions all failed prints nothing
                body.append(_block("para", text, None, section_entries(spec, entries, period)))
        if spec.document:
            from ngoaivu_cli.log.documents import load_document  # only for a static document

            body.extend(document_blocks(load_document(config.root, say(spec.document))))
        if spec.entries:
            blocks = section_blocks(spec, section_entries(spec, entries, period), config,
                                    figures)
            if not blocks and spec.empty:
                marker = spec.marker
                blocks = [{"style": "bullet" if marker else "para",
                           "text": f"{marker}{say(spec.empty)}", "footnotes": []}]
            body.extend(blocks)
        for sub in spec.subsections:
            add_section(sub, level + 1)
        if spec.heading and len(body) == start + 1:  # a heading with nothing under it
            if spec.when_empty == "omit":  # left out, and not numbered
                del body[start:]
                numbering.top, numbering.sub = counts
            else:
                body.append({"style": "bullet" if spec.marker else "para",
                             "text": spec.marker + say(spec.empty or NOTHING_NEW),
                             "footnotes": []})

    for spec in rt.sections:
        add_section(spec, 0)
    if rt.closing:
        body.append({"style": "para", "text": say(rt.closing), "footnotes": []})
    _number_footnotes(body)

    all_stats = metric_sums(done, config)
    issue = request.issue_date or (period.start if rt.issue_date == "start" else period.end)
    signer = config.signers[rt.signer]
    number = request.number
    if number.isdigit() and len(number) == 1:
        number = "0" + number
    recipients = [say(r) for r in rt.recipients]
    blank = request.blank_day or rt.blank_day
    _name_agencies(body, config)
    # every text outside the body's references is cleaned like an entry's (render/marks.py):
    # a control character or a U+2063 typed in the configuration cannot reach a document
    return marks.scrub_context({
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
        "receivers": _receivers(tuple(say(r) for r in rt.receivers)),
        "signer": {"authority": say(signer.authority), "title": say(signer.title),
                   "name": say(signer.name),
                   "signed": SIGNED_MARK if request.signed or config.signed else ""},
        "period": period.to_json(),
        "next": nxt.to_json(),
        "report_type": {"key": rt.key, "name": rt.name},
        "stats": {k: {"label": config.metrics[k].label, "unit": config.metrics[k].unit,
                      "value": v, "text": format_metric(v, config.metrics[k].integer,
                                                            config.pad_counts)}
                  for k, v in all_stats.items() if v},
        # no activity in the period: no "Phụ lục" page holding only a table header
        "appendix": _attached(_appendix(rt, done, config, say, figures), rt, config, number,
                              issue, blank, period) if rt.appendix and done else None,
        "entries_count": len(entries),
        # what the report leaves out (render/dropped.py): empty unless built by make_report
        "warnings": [p.to_json() for p in dropped.check_report(
            rt, period, entries, config, lambda spec: section_entries(spec, entries, period))],
    })


def _appendix(rt: ReportType, done: list[Entry], config: Config, say: Any,
              figures: Figures) -> dict[str, Any]:
    """The "Phụ lục" table: one row per group and metric (STT, nhóm, chỉ tiêu, số liệu); with
    ``compare``, each figure beside the other scope's and the change (see scopes.compare_groups)."""
    from ngoaivu_cli.scopes import compare_groups
    from ngoaivu_cli.stats import GROUP_TITLES

    assert rt.appendix is not None
    spec = rt.appendix
    rows: list[dict[str, str]] = []
    # the log has activities in the compared window: a 0 there is a true zero
    counted = bool(spec.compare) and figures.scopes.has_data(spec.compare)
    order = list(config.metrics)
    # STT numbers the groups, not the metric rows under them
    for number, (now, base) in enumerate(
            compare_groups(done, figures.scopes, spec.by, spec.compare), start=1):
        source = now if now.entries else base
        rows.append({"stt": str(number), "group": source.label,
                     "metric": "Số hoạt động",
                     **_appendix_value(now.entries, base.entries if spec.compare else None,
                                       "", True, spec.compare, config.pad_counts, counted)})
        keys = {k for g in (now, base) for k, v in g.sums.items() if v and k in config.metrics}
        if not spec.compare:
            keys = {k for k in keys if now.sums.get(k)}
        for k in sorted(keys, key=order.index):
            m = config.metrics[k]
            rows.append({"stt": "", "group": "", "metric": m.label,
                         **_appendix_value(now.sums.get(k, 0),
                                           base.sums.get(k, 0) if spec.compare else None,
                                           m.unit, m.integer, spec.compare,
                                           config.pad_counts, counted)})
    out = {"title": "\n".join(say(line) for line in spec.title.split("\n")),
           "note": say(spec.note),
           "group_title": GROUP_TITLES[spec.by], "rows": rows}
    window = figures.scopes.windows.get(spec.compare) if spec.compare else None
    if window is not None:
        out["compare_label"] = repad_months(window.label, config.pad_months)
    return out


def _attached(appendix: dict[str, Any], rt: ReportType, config: Config, number: str,
              issue: dt.date, blank: bool, period: Period) -> dict[str, Any]:
    """What heads the "Phụ lục" (nd30.md §2, row PL): ``heading`` "Phụ lục" (one appendix:
    no numeral), ``attached`` "(Kèm theo Báo cáo số      /BC-SNgV ngày 30 tháng 9 năm 2023 của
    Sở Ngoại vụ)"; compared, the titles of its three figure columns."""
    kind = capfirst(rt.doc_kind.lower()) if rt.doc_kind else "Văn bản"
    when = vn_date_blank(issue) if blank else vn_date_full(issue)
    number_text = f"{number}/{rt.symbol}" if number else f"     /{rt.symbol}"
    agency = config.agency.short_name or config.agency.name
    out = {"compare_label": "", **appendix, "heading": "Phụ lục",
           "title_lines": appendix["title"].split("\n"),
           "attached": f"(Kèm theo {kind} số {number_text} {when} của {agency})"}
    if appendix.get("compare_label"):  # short column titles: the note names both periods
        from ngoaivu_cli.scopes import SCOPE_TITLES

        scope = rt.appendix.compare if rt.appendix else ""
        out["now_title"] = "Kỳ báo cáo"
        out["base_title"] = capfirst(COMPARED_WITH.get(scope, SCOPE_TITLES.get(scope, "")))
        out["change_title"] = "So sánh"
    return out


NO_FIGURE = "chưa có số liệu"  # the other scope has no figure (a zero base)
COMPARED_WITH = {"last_year": "cùng kỳ", "ytd_last_year": "cùng kỳ"}  # how a scope is named


def _appendix_value(value: int | float, base: int | float | None, unit: str, integer: bool,
                    scope: str, pad: bool = True, counted: bool = False) -> dict[str, str]:
    """A figure of the appendix: ``15 đoàn``; compared: ``15 đoàn (cùng kỳ: 12 đoàn; tăng 25%)``
    in ``value`` (on a zero base: ``(cùng kỳ: không có; tăng 15 đoàn)`` when the log has
    activities in the compared window, ``counted``, else ``(cùng kỳ: chưa có số liệu)``), its
    parts in ``now``, ``base`` and ``change`` for a template that gives them columns of their
    own."""
    from ngoaivu_cli.figures import Figure, change

    def shown(v: int | float) -> str:  # counts padded as the office pads them ("07", "04 đoàn")
        return f"{format_metric(v, integer, pad)} {unit}".strip()

    if base is None:
        return {"value": shown(value)}
    from ngoaivu_cli.figures import percent_of
    from ngoaivu_cli.scopes import CONTAINING, SCOPE_TITLES

    if scope in CONTAINING:  # the period is part of the scope: its share, not a change
        words = f"chiếm {percent_of(value, base)}" if base else ""
    else:
        words = change(Figure(value, integer=integer, pad=pad, unit=unit),
                       Figure(base, integer=integer, scope=scope, unit=unit, counted=counted))
    what = COMPARED_WITH.get(scope, SCOPE_TITLES.get(scope, "so sánh"))
    grew = bool(counted and value and scope not in CONTAINING)  # from a true zero
    if base:
        told = f"{shown(base)}; {words}"
    elif grew:
        told = f"không có; {words}"
    else:
        told = "không có" if counted else NO_FIGURE
    base_text = shown(base) if base else ("không có" if counted else NO_FIGURE)
    return {"value": f"{shown(value)} ({what}: {told})", "now": shown(value),
            "base": base_text, "change": words if base or grew else ""}


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

    Each reference goes where its entry wrote ``[^]`` (an entry's anchor always holds its own
    note), else at a ``[^]`` left in the paragraph (a statistics sentence's), else at the end
    of the paragraph, as the invisible token of render/marks.py (a ``[^2]`` written in a
    summary stays those four characters); writers turn it into a real reference.
    """
    n = 0
    for block in body:
        notes = block.get("footnotes", [])
        text = block["text"]
        keys = [note["key"] for note in notes if note.get("key") and note["key"] in text]
        text = marks.keep_tokens(text, keys)  # a U+2063 that no note put there goes
        placed: list[tuple[int, int, dict[str, Any]]] = []
        for order, note in enumerate(notes):
            key = note.get("key", "")
            if key and key in text:
                token = key
            elif FOOTNOTE_ANCHOR in text:
                token = marks.token(f"free{order}")
                text = text.replace(FOOTNOTE_ANCHOR, token, 1)
            else:
                token = marks.token(f"end{order}")
                text += token
            placed.append((text.index(token), order, {"token": token, "text": note["text"]}))
        numbered = []
        for _pos, _order, note in sorted(placed, key=lambda t: (t[0], t[1])):
            n += 1
            text = text.replace(note["token"], marks.ref(n), 1)
            numbered.append({"n": n, "text": note["text"]})
        block["text"] = text.replace(FOOTNOTE_ANCHOR, "")
        block["footnotes"] = numbered
