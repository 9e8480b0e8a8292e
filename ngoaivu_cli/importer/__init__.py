"""``ngoaivu import``: past reports (DOCX, DOC, ODT, text) become entries of the log.

Stages, one module each: :mod:`.read` (a file → paragraphs, safely), :mod:`.structure` (the
parts of an official report), :mod:`.period` (its period and report type), :mod:`.classify`
(categories, merged bullets, metrics), :mod:`.plan` (the entries of the document). This module
writes them: one file per entry under ``data/YYYY/MM/``, named like ``ngoaivu new`` names
them and created the same way (never over an existing file). Every entry carries the tag
``imported`` and ``nguon-<id>``, the id of the document's text; an entry already in the log
with the same id, status and summary is not written again, so importing a document twice
adds nothing. One bad document never stops the others: its problem is a value in its result.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ngoaivu_cli.config import Config, ReportType
from ngoaivu_cli.errors import NgoaivuError, Problem, UsageError
from ngoaivu_cli.importer import classify
from ngoaivu_cli.importer.period import find_period, find_type
from ngoaivu_cli.importer.plan import SOURCE_PREFIX, Planned, build
from ngoaivu_cli.importer.read import Budget, ReadError, read_document
from ngoaivu_cli.importer.structure import cut, fold
from ngoaivu_cli.log.entries import REVIEW_CATEGORY, Entry
from ngoaivu_cli.periods import Period

__all__ = ["DocResult", "ImportRun", "import_files"]


@dataclass
class Written:
    entry: Planned
    path: Path
    text: str  # the YAML


@dataclass
class DocResult:
    """What happened to one document."""

    path: Path
    error: str | None = None
    hint: str | None = None
    period: Period | None = None
    period_text: str = ""
    period_where: str = ""
    report_type: str | None = None
    written: list[Written] = field(default_factory=list)
    files: list[tuple[Path, str]] = field(default_factory=list)  # each file and its YAML
    already: int = 0  # entries the log already has (imported before)
    refused: list[tuple[Planned, str]] = field(default_factory=list)  # validate would refuse
    skipped: dict[str, int] = field(default_factory=dict)
    closing: str = ""  # the closing sentence: the document's frame, not an activity
    notes: list[str] = field(default_factory=list)

    @property
    def by_category(self) -> Counter[str]:
        return Counter(w.entry.category for w in self.written)

    @property
    def low_confidence(self) -> list[Written]:
        return [w for w in self.written if w.entry.confidence == classify.LOW]

    @property
    def review(self) -> list[Written]:
        return [w for w in self.written if w.entry.category == REVIEW_CATEGORY]


@dataclass
class ImportRun:
    results: list[DocResult]
    dry_run: bool

    @property
    def failed(self) -> list[DocResult]:
        return [r for r in self.results if r.error]

    @property
    def refused(self) -> int:
        """Entries of the documents that were not written: ``validate`` would refuse them."""
        return sum(len(r.refused) for r in self.results)


def _summary_key(summary: str) -> str:
    return " ".join(fold(summary).rstrip(" .;").split())


class _LogIndex:
    """What the log already holds: (source tag, status, summary) and (date, category, summary)."""

    def __init__(self, config: Config) -> None:
        self.sources: set[tuple[str, str, str]] = set()
        self.same: set[tuple[dt.date | None, str | None, str]] = set()
        self.last_order = 0  # the highest `order` of the log (scaffold.next_order)
        if config.data_dir.is_dir():
            from ngoaivu_cli.log.loader import load_paths
            from ngoaivu_cli.scaffold import last_order

            entries = load_paths([config.data_dir], root=config.root).entries
            self.last_order = last_order(entries)
            for e in entries:
                self.add(e)

    def add(self, e: Entry | Planned) -> None:
        key = _summary_key(e.summary or "")
        for tag in e.tags:
            if tag.startswith(SOURCE_PREFIX):
                self.sources.add((tag, e.status, key))
        self.same.add((e.date, e.category, key))

    def has(self, e: Planned) -> bool:
        key = _summary_key(e.summary)
        src = next((t for t in e.tags if t.startswith(SOURCE_PREFIX)), "")
        return (src, e.status, key) in self.sources or (e.date, e.category, key) in self.same


def import_files(paths: list[Path], config: Config, *, period: str | None = None,
                 type_key: str | None = None, dry_run: bool = False,
                 today: dt.date | None = None,
                 choose: Callable[[list[Planned]], list[Planned]] | None = None) -> ImportRun:
    """Import every document; a document that fails is reported in its result. ``choose``:
    given a document's proposed entries (in the document's order), the ones to write, maybe
    corrected (the web app's choices); all of them otherwise."""
    today = today or dt.date.today()
    forced: Period | None = None
    if period:
        from ngoaivu_cli.selection import resolve_period

        forced = resolve_period(period, config, today=today)
    rt_forced: ReportType | None = None
    if type_key:
        rt_forced = config.report_types.get(type_key)
        if rt_forced is None:
            from ngoaivu_cli.yamlread import suggest

            guess = suggest(type_key, list(config.report_types))
            raise UsageError(f'--type "{type_key}" không có trong cấu hình',
                             hint=(f"có phải ý bạn là `{guess}`? " if guess else "")
                             + "các loại: " + ", ".join(config.report_types))
    index = _LogIndex(config)
    results = []
    for path in paths:
        result = DocResult(path)
        try:
            _import_one(result, config, forced, rt_forced, today, index, dry_run, choose)
        except NgoaivuError as exc:
            result.error, result.hint = exc.message, exc.hint
            result.written = [] if not dry_run else result.written
        results.append(result)
    if not dry_run and any(r.written for r in results) and hasattr(os, "sync"):
        os.sync()  # once for the whole archive, not once per file
    return ImportRun(results, dry_run)


def _import_one(result: DocResult, config: Config, forced: Period | None,
                rt_forced: ReportType | None, today: dt.date, index: _LogIndex,
                dry_run: bool,
                choose: Callable[[list[Planned]], list[Planned]] | None = None) -> None:
    budget = Budget()  # reading, cutting and planning one document: bounded in time
    doc = read_document(result.path, budget)
    layout = cut(doc.paragraphs)
    result.closing = layout.closing
    budget.spend()
    if forced is not None:
        period, result.period_text = forced, forced.label
        result.period_where = f"theo --period “{forced.label}”"
    else:
        found = find_period(layout, config, today)
        if found is None:
            raise ReadError("không tìm thấy kỳ báo cáo trong tiêu đề, câu mở đầu hay tiêu đề "
                            "các mục (ví dụ “Từ ngày 24/8 - 31/8/2023”, “tháng 01/2021”, “năm "
                            "2018”, hoặc “tháng 11” với dòng ngày “…, ngày 23 tháng 11 năm "
                            "2017”)",
                            hint='ghi rõ kỳ: ngoaivu import TỆP --period "tháng 01/2021"')
        period, result.period_text, result.period_where = found.period, found.text, found.where
    result.period = period
    rt = rt_forced
    if rt is None:
        rt, score = find_type(layout, period, config)
        if rt is None or score < 0.2:
            key = config.default_types.get(period.kind)
            rt = config.report_types.get(key or "")
            if rt is not None:
                result.notes.append(f"không nhận ra loại báo cáo, dùng loại mặc định của kỳ: "
                                    f"{rt.key}")
    result.report_type = rt.key if rt else None
    plan = build(doc, layout, period, rt, config)
    budget.spend()
    result.skipped = plan.skipped
    result.notes.extend(plan.notes)
    if not plan.entries:
        raise ReadError("không tìm thấy hoạt động nào trong văn bản (không có gạch đầu dòng hay "
                        "đoạn văn nào trong các mục kết quả/kế hoạch)",
                        hint="kiểm tra văn bản có phải một báo cáo không; --type chọn loại báo cáo")
    title = " ".join(layout.title) or (rt.name if rt else "") or result.path.stem
    _write(result, plan.entries if choose is None else choose(plan.entries), config, index,
           dry_run, title)


def entries_yaml(mappings: list[dict[str, object]]) -> str:
    """Entries as YAML, one field a line, strings as JSON (a valid YAML double-quoted scalar):
    the form the loader reads without libyaml, and ten times faster to write than PyYAML's.
    One entry is a mapping; several (one document's entries of one day) are a list."""
    from ngoaivu_cli.schema import MODELINE

    lines = [MODELINE]
    for mapping in mappings:
        for i, (key, value) in enumerate(mapping.items()):
            if isinstance(value, dict):
                inner = ", ".join(f"{k}: {json.dumps(v)}" for k, v in value.items())
                text = f"{key}: {{{inner}}}"
            elif key in ("category", "status"):
                text = f"{key}: {value}"  # configuration keys and done/planned: plain words
            else:
                text = f"{key}: {json.dumps(value, ensure_ascii=False)}"
            if len(mappings) > 1:
                text = ("- " if i == 0 else "  ") + text
            lines.append(text)
    return "\n".join(lines) + "\n"


def _create(path: Path, data: bytes, root: Path) -> bool:
    """Create ``path`` holding ``data``, atomically and through no folder link of the log
    ``root``; False when it exists (never over a file).

    Not synced one by one (an archive is thousands of files): :func:`import_files` syncs the
    file system once at the end."""
    from ngoaivu_cli.safeio import TargetTaken, write_atomic

    try:
        write_atomic(path, data, root=root, sync=False)
    except TargetTaken:
        return False
    return True


def _candidates(target: Path) -> Iterator[Path]:
    from ngoaivu_cli.scaffold import MAX_SUFFIX

    yield target
    for n in range(2, MAX_SUFFIX + 1):
        yield target.with_name(f"{target.stem}-{n}{target.suffix}")


def _mapping(e: Planned) -> dict[str, object]:
    from ngoaivu_cli.scaffold import entry_mapping

    mapping = entry_mapping(date=e.date, category=e.category, summary=e.summary,
                            status=e.status, unit=e.unit, tags=e.tags, metrics=e.metrics,
                            footnote=None)
    if e.footnote:
        mapping["footnote"] = e.footnote  # kept with its line breaks (one per paragraph)
    return mapping


def _refusal(problem: Problem) -> str:
    return f"{problem.code}: {problem.message}"


def _validated(group: list[Planned], config: Config, shown: str
               ) -> tuple[list[list[Planned]], list[tuple[Planned, str]]]:
    """The entries of one day cut into files ``validate`` accepts, and those it would refuse
    with the reason. Each file is read back by the loader and checked by the rules of
    ``validate`` (the same functions) before it is written: an entry too long for an entry
    file, a control character, anything the loader or a rule calls an error, is refused by
    name instead of becoming a file that ``validate`` then refuses. A day's entries go into
    as many files as needed to keep each under the size of an entry file."""
    from ngoaivu_cli.log.loader import MAX_FILE_BYTES, load_text
    from ngoaivu_cli.validate import DEFAULT_CHECKS, validate_entries

    room = MAX_FILE_BYTES - 4096  # a margin for the "-2" of a name, never needed in the text
    refused: list[tuple[Planned, str]] = []
    sized: list[tuple[Planned, dict[str, object], int]] = []
    for e in group:
        mapping = _mapping(e)
        size = len(entries_yaml([mapping]).encode())
        if size > room:
            refused.append((e, f"hoạt động quá dài ({size:,} byte; một tệp hoạt động tối đa "
                               f"{MAX_FILE_BYTES:,} byte)".replace(",", ".")))
        else:
            sized.append((e, mapping, size))
    chunks: list[list[tuple[Planned, dict[str, object]]]] = []
    used = room
    for e, mapping, size in sized:
        if used + size > room:
            chunks.append([])
            used = 0
        chunks[-1].append((e, mapping))
        used += size
    files: list[list[Planned]] = []
    for chunk in chunks:
        while chunk:
            text = entries_yaml([m for _e, m in chunk])
            loaded = load_text(text, shown)
            problems = [p for p in loaded.problems
                        + validate_entries(loaded.entries, config, DEFAULT_CHECKS) if p.is_error]
            if not problems:
                files.append([e for e, _m in chunk])
                break
            starts = _entry_lines([m for _e, m in chunk])
            bad: dict[int, str] = {}
            for problem in problems:
                index = _entry_at(starts, problem.loc.line)
                if index is None:  # about the whole file: every entry of it
                    bad = {i: _refusal(problem) for i in range(len(chunk))}
                    break
                bad.setdefault(index, _refusal(problem))
            refused.extend((chunk[i][0], reason) for i, reason in sorted(bad.items()))
            chunk = [c for i, c in enumerate(chunk) if i not in bad]
    return files, refused


def _entry_lines(mappings: list[dict[str, object]]) -> list[int]:
    """The line where each entry starts in :func:`entries_yaml` of ``mappings``."""
    starts, line = [], 2  # line 1: the modeline
    for mapping in mappings:
        starts.append(line)
        line += len(mapping)
    return starts


def _entry_at(starts: list[int], line: int) -> int | None:
    if line < (starts[0] if starts else 1) or not starts:
        return None
    import bisect

    return bisect.bisect_right(starts, line) - 1


def _write(result: DocResult, entries: list[Planned], config: Config, index: _LogIndex,
           dry_run: bool, title: str) -> None:
    """One file per day of the document (a list of its entries of that day, in its order),
    named like ``ngoaivu new`` names an entry: ``data/2023/08/2023-08-24-nhap-<title>.yaml``.
    An archive of 500 reports is then a thousand files, not ten thousand. Only what
    ``validate`` accepts is written (:func:`_validated`); the rest is in ``result.refused``."""
    from ngoaivu_cli.confine import inside
    from ngoaivu_cli.scaffold import entry_path

    by_day: dict[dt.date, list[Planned]] = {}
    orders: dict[int, int] = {}  # the document's order, after the log's (issue 25, item 4)
    for e in entries:
        if index.has(e):
            result.already += 1
            continue
        index.add(e)
        index.last_order += 1
        orders[id(e)] = index.last_order
        by_day.setdefault(e.date, []).append(e)
    for day, group in by_day.items():
        target = entry_path(config, day, f"nhập {title}")
        if not inside(config.root, target.parent):  # data/YYYY a link out of the log
            raise NgoaivuError(f"thư mục {target.parent} dẫn (qua liên kết tượng trưng) ra ngoài "
                               "kho nhật ký: không ghi", hint="thay liên kết bằng thư mục thật")
        files, refused = _validated(group, config, str(target))
        result.refused.extend(refused)
        candidates = _candidates(target)
        for part in files:
            text = entries_yaml([{**_mapping(e), "order": orders[id(e)]} for e in part])
            data = text.encode()
            for candidate in candidates:
                if dry_run and not candidate.exists() and all(
                        candidate != f for f, _t in result.files) \
                        or not dry_run and _create(candidate, data, config.root):
                    result.written.extend(Written(e, candidate, text) for e in part)
                    result.files.append((candidate, text))
                    break
            else:
                raise NgoaivuError(f"đã có quá nhiều tệp tên {target.stem}-*.yaml")
