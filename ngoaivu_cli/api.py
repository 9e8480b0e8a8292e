"""The library API of ngoaivu: everything a front end (the ``ngoaivu`` command, the web app, a
script) needs, and the only module they import (besides :mod:`ngoaivu_cli.errors` for the
exceptions and their exit codes).

Nothing here prints or exits. Problems in the data are values (:class:`~ngoaivu_cli.errors.
Problem`: file, line, column, code, message, hint); when the work cannot go on, an exception of
:mod:`ngoaivu_cli.errors` (:class:`~ngoaivu_cli.errors.NgoaivuError` and its kinds, each with a
Vietnamese message, a hint and an exit code). Results give their JSON with ``to_json()``.

The modules below are imported when a function needs them, so that importing this module costs
next to nothing (``ngoaivu --help`` stays fast). See ``docs/api.md`` for a tour.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ngoaivu_cli.errors import Problem, UsageError

if TYPE_CHECKING:
    from ngoaivu_cli.batch import Batch
    from ngoaivu_cli.check import Result as CheckResult
    from ngoaivu_cli.committing import Deleted, GitLog
    from ngoaivu_cli.config import Config, ReportType
    from ngoaivu_cli.importer import ImportRun
    from ngoaivu_cli.log.entries import Entry
    from ngoaivu_cli.log.replay import ValidateReplay
    from ngoaivu_cli.logcheck import ValidationRun
    from ngoaivu_cli.office import Office
    from ngoaivu_cli.periods import Period
    from ngoaivu_cli.periods.dates import ApproxDate
    from ngoaivu_cli.render.report import BuiltReport, ReportResult
    from ngoaivu_cli.scaffold import InitResult, NewResult
    from ngoaivu_cli.scopes import ScopeWindow
    from ngoaivu_cli.stats import Stats
    from ngoaivu_cli.status import Status

REPORT_FORMATS = ("docx", "md", "json", "pdf")  # render.report.FORMATS (a test keeps them equal)
MIN_YEAR, MAX_YEAR = 1900, 2199  # periods.model's (a test keeps them equal)


# --------------------------------------------------------------------------- the log


@dataclasses.dataclass(frozen=True)
class Log:
    """An opened log: its configuration, its folder, and the agencies (``sources:``) it reads."""

    config: Config

    @property
    def root(self) -> Path:
        """The repository's folder (where ``ngoaivu.yaml`` and ``data/`` are)."""
        return self.config.root

    @property
    def sources(self) -> tuple[Any, ...]:
        """The agencies of ``sources:``, each with its ``name`` and ``path``."""
        return tuple(self.config.sources)


def load_config(config_path: Path | None = None, *, cwd: Path | None = None,
                skip_missing_sources: bool = False) -> Config:
    """The configuration as every command finds it (``--config``, ``NGOAIVU_CONFIG``, the
    nearest ``ngoaivu.yaml``, the shipped one); raises ConfigError with every problem.
    ``skip_missing_sources``: a source that cannot be read is left out with a warning."""
    from ngoaivu_cli.config import load_config as _load

    config = _load(config_path, cwd)
    if skip_missing_sources:
        config = dataclasses.replace(config, skip_missing_sources=True)
    return config


def open_log(path: Path | None = None, *, config_path: Path | None = None,
             skip_missing_sources: bool = False) -> Log:
    """Open the log at folder ``path`` (default: the current folder, or the configuration
    ``config_path`` names)."""
    return Log(load_config(config_path, cwd=path, skip_missing_sources=skip_missing_sources))


def run() -> contextlib.AbstractContextManager[object]:
    """One run (a command, a request of a server): every template and configuration string
    rendered inside shares one budget of time and output (``budget.py``), besides each render's
    own bounds. A front end opens one around each command or request; nested, the outer holds."""
    from ngoaivu_cli.budget import run_budget

    return run_budget()


# --------------------------------------------------------------------------- periods


def resolve_period(expr: str, config: Config, *, today: dt.date | None = None,
                   year: int | None = None, cutoff: int | None = None,
                   calendar: bool = False) -> Period:
    """A period in the tool's grammar (``tháng 11/2017``, ``quý III/2023``, ``tuần này``,
    ``2023-08-24:2023-08-31``, without diacritics too); raises PeriodError (a usage error)."""
    from ngoaivu_cli.selection import resolve_period as _resolve

    return _resolve(expr, config, today=today, year=year, cutoff=cutoff, calendar=calendar)


def report_period(config: Config, expr: str, type_name: str | None = None, *,
                  today: dt.date | None = None, year: int | None = None,
                  cutoff: int | None = None, calendar: bool = False
                  ) -> tuple[Period, ReportType]:
    """The period as a report type reads it (its own cut-off day, window or calendar) and the
    type (default: the one configured for the period's kind)."""
    from ngoaivu_cli.render.report import resolve_for_report

    return resolve_for_report(config, expr, type_name, today=today, year=year, cutoff=cutoff,
                              calendar=calendar)


def scope_title(scope: str) -> str:
    """How a table names a scope (``last_year`` → ``cùng kỳ``)."""
    from ngoaivu_cli.config.vocabulary import SCOPE_TITLES

    return SCOPE_TITLES[scope]


def compare_window(scope: str, period: Period, config: Config) -> ScopeWindow:
    """The days of another scope of ``period`` (``last_year``, ``ytd``, ``previous``...), or
    a usage error saying why it has none."""
    from ngoaivu_cli.scopes import compare_window as _window

    return _window(scope, period, config.terms)


def compare_heading(window: ScopeWindow, config: Config) -> str:
    """What a table is compared with: ``cùng kỳ 6 tháng đầu năm 2022 (01/01/2022–30/06/2022)``,
    ``số liệu lũy kế đến ngày 31/7/2023 (đến 31/07/2023)`` (months as ``pad_months`` says)."""
    from ngoaivu_cli.scopes import compare_heading as _heading

    return _heading(window, config.pad_months)


def window_span(window: ScopeWindow) -> str:
    """``01/01/2022–30/06/2022``; a cumulative scope, which has no start: ``đến 31/07/2023``."""
    from ngoaivu_cli.scopes import window_span as _span

    return _span(window)


def length_note(period: Period, window: ScopeWindow) -> str:
    """A remark when ``period`` is compared with a window of a different length; else empty."""
    from ngoaivu_cli.scopes import length_note as _note

    return _note(period, window)


def office_label(config: Config, label: str) -> str:
    """A period's words with its months as the office pads them (``formatting.pad_months``)."""
    from ngoaivu_cli.formatting import repad_months

    return repad_months(label, config.pad_months)


def parse_date(text: str) -> tuple[dt.date | None, str | None, str]:
    """A strict ``YYYY-MM-DD`` date: ``(date, None, "")``, or ``(None, message, hint)``."""
    from ngoaivu_cli.periods.dates import parse_date_text

    date, _code, message, hint = parse_date_text(text)
    return date, message, hint


def parse_plan_date(text: str) -> ApproxDate | None:
    """A plan's month or quarter (``2024-12``, ``quý I/2024``), or None."""
    from ngoaivu_cli.periods.dates import parse_approx

    return parse_approx(text)


def is_plan_date(value: object) -> bool:
    """Whether ``value`` is what :func:`parse_plan_date` gives."""
    from ngoaivu_cli.periods.dates import ApproxDate

    return isinstance(value, ApproxDate)


# --------------------------------------------------------------------------- entries


@dataclasses.dataclass
class Selection:
    """The entries of a period (or of the whole log), filtered; ``skipped``: the sources left
    out (with ``skip_missing_sources``); ``window``: the other scope listed, when asked."""

    entries: list[Entry]
    skipped: list[Problem]
    window: ScopeWindow | None = None

    def to_json(self, config: Config) -> list[dict[str, Any]]:
        from ngoaivu_cli.sources import agency_of

        return [{**e.to_json(), "agency": agency_of(e, config)} for e in self.entries]


def check_filters(config: Config, *, categories: Iterable[str] = (), units: Iterable[str] = (),
                  agencies: Iterable[str] = ()) -> None:
    """A usage error (with the closest name) for a category, unit or agency the configuration
    does not have."""
    for name, given, known in (
            ("lĩnh vực", categories, list(config.categories)),
            ("đơn vị", units, list(config.units)),
            ("cơ quan", agencies, [config.own_agency, *(s.name for s in config.sources)])):
        for value in given:
            if value not in known:
                guess = suggest(value, known)
                where = " (`sources:`)" if name == "cơ quan" else ""
                raise UsageError(f'{name} "{value}" không có trong cấu hình{where}',
                                 hint=f"có phải ý bạn là `{guess}`?" if guess
                                 else "có: " + ", ".join(known))

def select_entries(config: Config, period: Period | None = None, *,
                   categories: tuple[str, ...] = (), units: tuple[str, ...] = (),
                   tags: tuple[str, ...] = (), status: str = "any",
                   agencies: tuple[str, ...] = (), compare: str | None = None) -> Selection:
    """The entries of ``period`` (every entry without one), sorted by date, that have every
    given category/unit/tag/status/agency; ``compare``: those of that scope of the period
    instead. Only the files that can hold the period's entries are read."""
    from ngoaivu_cli.selection import filter_entries, load_window

    check_filters(config, categories=categories, units=units)
    window = None
    if period is not None:
        start, end = period.start, period.end
        if compare:
            window = compare_window(compare, period, config)
            start, end = window.start, window.end
        loaded = load_window(config, start, end)
        first: dt.date | None = start
        last: dt.date | None = end
    else:
        loaded = load_window(config, dt.date.min + dt.timedelta(days=400), dt.date.max)
        first = last = None
    rows = filter_entries(loaded.entries, start=first, end=last, categories=categories,
                          units=units, tags=tags, status=status)
    if agencies:
        check_filters(config, agencies=agencies)
        rows = [e for e in rows if agency_of(e, config) in agencies]
    return Selection(rows, list(loaded.skipped), window)


def leaving_out_broken_files() -> contextlib.AbstractContextManager[None]:
    """Within it, a list or a report of a log with errors is made of the valid files: those
    with an error are left out and their errors are given among the ``skipped`` problems
    (:attr:`Selection.skipped`, a report's ``warnings``), instead of refusing the log."""
    from ngoaivu_cli.selection import leaving_out_broken_files as _leave_out

    return _leave_out()


def agency_of(entry: Entry, config: Config) -> str:
    """The agency (source name, or the log's own agency) an entry belongs to."""
    from ngoaivu_cli.sources import agency_of as _agency

    return _agency(entry, config)


def entry_when(entry: Entry) -> str:
    """An entry's date as the lists show it: ``28/8/2023``, ``28/8/2023–30/8/2023``, or a plan's
    ``tháng 12/2024``."""
    from ngoaivu_cli.formatting import vn_date_short
    from ngoaivu_cli.log.entries import approx_label

    if entry.approx:
        return approx_label(entry.approx)
    assert entry.date is not None
    return vn_date_short(entry.date) + (f"–{vn_date_short(entry.end)}" if entry.end else "")


def short_date(date: dt.date) -> str:
    """``28/8/2023``."""
    from ngoaivu_cli.formatting import vn_date_short

    return vn_date_short(date)


# --------------------------------------------------------------------------- problems


def problems(config: Config, paths: list[Path] | None = None) -> list[Problem]:
    """Every problem of the log (or of ``paths``), as ``ngoaivu validate`` finds them, sorted
    by file and line, with their excerpts."""
    return list(validation(config, paths))


def validation(config: Config, paths: list[Path] | None = None) -> ValidationRun:
    """:func:`problems` as a stream: iterate it for the problems as they are found (a few files
    at a time); its counts (``errors``, ``warnings``, ``files``...) and ``summary()`` are final
    once the iteration ends."""
    from ngoaivu_cli.logcheck import ValidationRun as _Run

    return _Run(paths, config)


_REPLAY_MAX = 8_000_000  # characters of output kept for the replay; longer ones run again


@dataclasses.dataclass(frozen=True)
class ValidateOutcome:
    """What ``ngoaivu validate`` found: the counts (from the run, or from its replay)."""

    errors: int
    warnings: int


def validate_output(paths: list[Path], *, config_path: Path | None, fmt: str = "text",
                    excerpt: bool = True, skip_missing_sources: bool = False,
                    emit: Callable[[str], None], config: Callable[[], Config] | None = None,
                    ) -> ValidateOutcome:
    """The output of ``ngoaivu validate`` (text or JSON), handed to ``emit`` piece by piece as
    the problems are found; when nothing changed since the last run here, its output again
    (the replay cache, ``log/replay.py``). ``config``: how to read the configuration when the
    run cannot be replayed (default :func:`load_config`)."""
    from ngoaivu_cli.log.replay import Stored, open_validate_replay

    options = [fmt, "excerpt" if excerpt else "no-excerpt"]
    if skip_missing_sources:
        options.append("skip-missing-sources")
    replay = open_validate_replay(config_path, list(paths), options)
    stored = replay.load() if replay is not None else None
    if stored is not None:
        emit(stored.text)
        return ValidateOutcome(stored.errors, stored.warnings)
    conf = config() if config is not None else load_config(
        config_path, skip_missing_sources=skip_missing_sources)
    sources = None  # their folders' stamps, taken before the run reads them
    if replay is not None and conf.sources:
        folders = [str(conf.root / Path(s.path)) for s in conf.sources]
        sources = (folders, replay.sources_key(folders))
    result = validation(conf, list(paths) or None)
    parts: list[str] = []  # printed as they are found (never built whole), kept when small
    size = 0
    if fmt == "json":
        size = _validate_json(result, parts, emit)
    else:
        for p in result:
            piece = p.format(excerpt=excerpt) + "\n"
            emit(piece)
            size += len(piece)
            if size <= _REPLAY_MAX:
                parts.append(piece)
        parts.append(result.summary() + "\n")
        emit(parts[-1])
    if size > _REPLAY_MAX:
        parts = []
    kept = Stored("".join(parts), result.errors, result.warnings)
    # a read error may be passing (a network share, too many open files): never replayed
    if replay is not None and parts and not result.read_errors and _covers(replay, conf):
        replay.store(kept, sources)
    return ValidateOutcome(kept.errors, kept.warnings)


def _covers(replay: ValidateReplay, config: Config) -> bool:
    """Whether the replay's key covers every file the run read: a report type whose template
    lives outside ``templates/`` (``custom/tuan.md.j2``) is read by the run but is in no stamped
    tree, so such a run is not kept (the next run checks it again)."""
    named = [config.root / name for rt in config.report_types.values()
             for name in (rt.template, rt.md_template) if name]
    if config.templates_dir.is_dir():
        named.append(config.templates_dir)
    return replay.covers(named)


def _validate_json(result: ValidationRun, parts: list[str], emit: Callable[[str], None]) -> int:
    """``validate --format json``: the document ``json.dumps(indent=2)`` would print, with
    the diagnostics written to a spool file as they come (their counts go first); returns its
    size, and fills ``parts`` with it unless it is over the replay's limit."""
    import json
    import tempfile

    dumps = json.dumps
    with tempfile.SpooledTemporaryFile(max_size=_REPLAY_MAX, mode="w+",
                                       encoding="utf-8", errors="surrogatepass") as spool:
        first = True
        for p in result:
            # what json.dumps(indent=2) prints for this flat dict, one value at a time: the
            # indenting encoder is pure Python and leaves a reference cycle per call, which
            # nothing frees while validate pauses the cyclic collector
            item = ",\n      ".join(f"{dumps(k)}: {dumps(v, ensure_ascii=False)}"
                                     for k, v in p.to_json().items())
            spool.write(("\n    {\n      " if first else ",\n    {\n      ") + item + "\n    }")
            first = False
        head = json_text(result.json_head())
        text = head[:-2] + ',\n  "diagnostics": ' + ("[]" if first else "[")
        tail = "\n}\n" if first else "\n  ]\n}\n"
        size = len(text) + spool.tell() + len(tail)
        emit(text)
        spool.seek(0)
        if size <= _REPLAY_MAX:
            body = spool.read()
            emit(body)
            parts.append(text + body + tail)
        else:
            for block in iter(lambda: spool.read(1 << 16), ""):
                emit(block)
        emit(tail)
    return size


def json_text(data: Any) -> str:
    """``data`` as the commands print JSON (indented, UTF-8 letters kept; no final newline)."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- figures


@dataclasses.dataclass
class StatsTable:
    """``ngoaivu stats``: the table (:class:`~ngoaivu_cli.stats.Stats`), its rows as text and
    the lines naming the official figures used."""

    period: Period
    stats: Stats
    rows: list[list[str]]
    official_lines: list[str]
    config: Config
    skipped: list[Problem] = dataclasses.field(default_factory=list)
    # what `report` would warn of these figures (W-OFFICIAL-DIFFERS), said by `stats` too
    warnings: list[Problem] = dataclasses.field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period.to_json(), **self.stats.to_json(self.config),
                "warnings": [p.to_json() for p in self.warnings]}


def stats_table(config: Config, period: Period, *, by: str = "category",
                status: str = "done") -> StatsTable:
    """Counts and sums of ``period`` grouped ``by`` category, unit, partner, month or agency;
    an official figure for exactly the period replaces its computed sum."""
    from ngoaivu_cli.notes import collecting
    from ngoaivu_cli.official import split
    from ngoaivu_cli.official_figures import apply_to_stats
    from ngoaivu_cli.selection import filter_entries, load_window
    from ngoaivu_cli.stats import compute_stats, official_json, official_lines, stats_rows

    loaded = load_window(config, period.start, period.end)
    entries, officials = split(filter_entries(loaded.entries, start=period.start,
                                              end=period.end, status=status))
    result = compute_stats(entries, config, by)
    with collecting() as notes:  # the warnings `report` gives of the same figures
        result.officials = apply_to_stats(result, entries, officials, period.start, period.end,
                                          period.cutoff_day, config, status)
    lines = official_lines(official_json(result.officials), config,
                           computed=result.total.computed, by=by)
    return StatsTable(period, result, stats_rows(result, config), lines, config,
                      list(loaded.skipped), sorted(notes.problems, key=Problem.sort_key))


def compare_stats_table(config: Config, period: Period, *, compare: str, by: str = "category",
                        status: str = "done"
                        ) -> tuple[dict[str, Any], list[str], list[Problem]]:
    """``ngoaivu stats --compare``: for each group (and the total) this period's figures, the
    other scope's and the change (a JSON-ready mapping, its ``warnings`` included), the
    official figures' lines, and the warnings `report` gives of the same figures
    (W-OFFICIAL-DIFFERS, W-OFFICIAL-UNUSED)."""
    from ngoaivu_cli.notes import collecting
    from ngoaivu_cli.official import split
    from ngoaivu_cli.scopes import Scopes, compare_table, load_ranges, windows_to_load
    from ngoaivu_cli.selection import filter_entries
    from ngoaivu_cli.stats import official_lines

    compare_window(compare, period, config)  # one that makes sense, or why not
    ranges = windows_to_load(period, [compare], config.terms, config.max_activity_days,
                             with_next=False)
    pool, _files = load_ranges(config, ranges)
    entries, officials = split(filter_entries(pool, start=period.start, end=period.end,
                                              status=status))
    with collecting() as notes:
        table = compare_table(entries, Scopes(period, config, pool, own_officials=officials), by,
                              compare, status)
    warnings = sorted(notes.problems, key=Problem.sort_key)
    table["warnings"] = [p.to_json() for p in warnings]
    return table, official_lines(table.get("official", []), config), warnings


def group_title(by: str) -> str:
    """How a table names its grouping (``category`` → ``Lĩnh vực``)."""
    from ngoaivu_cli.stats import GROUP_TITLES

    return GROUP_TITLES[by]


# --------------------------------------------------------------------------- reports


def build_report(config: Config, period: Period, *, type_name: str | None = None,
                 fmt: str = "docx", issue_date: dt.date | None = None, number: str = "",
                 strict: bool = False, signed: bool = False, compare: str | None = None
                 ) -> BuiltReport:
    """Build a report in memory (DOCX, PDF, Markdown or JSON bytes) with its warnings; writes
    nothing. ``strict``: raise StrictError when it would leave anything out."""
    from ngoaivu_cli.render.report import build_report as _build

    return _build(config, period, type_name=type_name, fmt=fmt, issue_date=issue_date,
                  number=number, strict=strict, signed=signed, compare=compare)


def make_report(config: Config, period: Period, *, type_name: str | None = None,
                fmt: str = "docx", output: Path | None = None, force: bool = False,
                issue_date: dt.date | None = None, number: str = "", to_stdout: bool = False,
                strict: bool = False, signed: bool = False, compare: str | None = None
                ) -> ReportResult:
    """Build a report and write it atomically (never over an existing file without
    ``force``); ``to_stdout``: give the Markdown/JSON text back instead of writing."""
    from ngoaivu_cli.render.report import make_report as _make

    return _make(config, period, type_name=type_name, fmt=fmt, output=output, force=force,
                 issue_date=issue_date, number=number, to_stdout=to_stdout, strict=strict,
                 signed=signed, compare=compare)


def docx_first_page_png(data: bytes) -> bytes:
    """The first page of a DOCX report as a PNG picture, by LibreOffice (its png export);
    ``ToolMissingError`` without it."""
    from ngoaivu_cli.render.pdf import docx_first_page_png as _png

    return _png(data)


def signer_note(config: Config, rt: ReportType) -> str | None:
    """A note when the report's signer still has the placeholder name of the shipped
    configuration (``[Họ và tên]``): it must not be signed so."""
    from ngoaivu_cli.config.model import is_placeholder

    signer = config.signers.get(rt.signer)
    if signer is None or not is_placeholder(signer.name):  # office.py only then: 2 ms
        return None
    from ngoaivu_cli.office import placeholder_signer_note

    return placeholder_signer_note(config, rt.signer) or None


def plan_batch(config: Config, period_expr: str, *, types: str | None = None,
               formats: str = "docx", out_dir: Path | None = None, force: bool = False,
               strict: bool = False, signed: bool = False, today: dt.date | None = None,
               year: int | None = None, cutoff: int | None = None,
               calendar: bool = False) -> tuple[Period, Batch]:
    """Every report due in a period (``batch``): ``types`` and ``formats`` comma-separated;
    ``run()`` the batch to make them one by one."""
    from ngoaivu_cli.batch import parse_list
    from ngoaivu_cli.batch import plan_batch as _plan

    period = resolve_period(period_expr, config, today=today, year=year, cutoff=cutoff,
                            calendar=calendar)

    def period_of_type(rt: ReportType) -> Period:  # a type's own cut-off, as `report` applies it
        return report_period(config, period_expr, rt.key, today=today, year=year,
                             cutoff=cutoff, calendar=calendar)[0]

    plan = _plan(config, period,
                 types=parse_list(types, "loại báo cáo", list(config.report_types), "--types"),
                 formats=parse_list(formats, "định dạng", list(REPORT_FORMATS), "--format"),
                 out_dir=out_dir, force=force, strict=strict, signed=signed,
                 period_of_type=period_of_type)
    return period, plan


def reports_due(config: Config, period: Period, *, expr: str | None = None
                ) -> list[tuple[ReportType, Period]]:
    """The report types due in ``period`` and the period of each (what ``batch`` makes).
    ``expr``: the period as typed; each type then sees it as ``batch --period`` makes it
    see it (a type's own ``cutoff_day`` or ``calendar``), so the list is ``batch``'s."""
    from ngoaivu_cli.batch import plan_batch as _plan

    def period_of_type(rt: ReportType) -> Period:  # as plan_batch resolves it for each type
        return report_period(config, expr or "", rt.key)[0]

    plan = _plan(config, period, out_dir=config.root,
                 period_of_type=period_of_type if expr is not None else None)
    seen: dict[tuple[str, dt.date, dt.date], tuple[ReportType, Period]] = {}
    for job in plan.jobs:
        seen.setdefault((job.report_type.key, job.period.start, job.period.end),
                        (job.report_type, job.period))
    return list(seen.values())


# --------------------------------------------------------------------------- agencies


def agency_status(config: Config, period_expr: str, type_name: str | None = None, *,
                  today: dt.date | None = None, year: int | None = None,
                  cutoff: int | None = None, calendar: bool = False
                  ) -> tuple[Period, ReportType, Status]:
    """Whether each agency of ``sources:`` has reported for the period, and on time (by the
    ``deadline`` of ``type_name``; default: the period's own type if it has a deadline, else the
    first type with one). A usage error when there are no sources."""
    from ngoaivu_cli.status import source_status

    if not config.sources:
        raise UsageError("cấu hình không khai báo nguồn nào (`sources:`)",
                         hint="thêm `sources:` vào ngoaivu.yaml, ví dụ `- {name: Sở Công "
                              "Thương, path: ../so-cong-thuong}`")
    if type_name is None:  # the period's default type, else the first one with a deadline
        kind = resolve_period(period_expr, config, today=today, year=year, cutoff=cutoff,
                              calendar=calendar).kind
        default = config.report_types.get(config.default_types.get(kind, ""))
        if default is None or default.deadline is None:
            type_name = next((k for k, t in config.report_types.items() if t.deadline), None)
    period, rt = report_period(config, period_expr, type_name, today=today, year=year,
                               cutoff=cutoff, calendar=calendar)
    return period, rt, source_status(config, rt, period, today or dt.date.today())


def status_word(state: str) -> str:
    """``late`` → ``TRỄ HẠN`` (the words of the status table)."""
    from ngoaivu_cli.status import STATE_WORDS

    return STATE_WORDS[state]


def source_log(config: Config, name: str) -> Config:
    """The configuration of the source (agency) ``name``, to write into its log."""
    from ngoaivu_cli.sources import source_config

    return source_config(config, name)


# --------------------------------------------------------------------------- writing entries


def parse_metric(text: str) -> tuple[str, int | float]:
    """``doan_ra=2`` → ``("doan_ra", 2)`` (a usage error otherwise)."""
    from ngoaivu_cli.scaffold import parse_metric as _parse

    return _parse(text)


def add_entry(config: Config, *, date: dt.date, category: str, summary: str,
              status: str = "done", end: dt.date | None = None, unit: str | None = None,
              tags: tuple[str, ...] = (), partners: tuple[str, ...] = (),
              metrics: tuple[tuple[str, int | float], ...] = (), footnote: str | None = None,
              approx: str | None = None, order: int | float | None = None,
              official: str | None = None, group: str | None = None) -> NewResult:
    """Write a new entry, exactly the file ``ngoaivu new`` writes (checked by every rule of
    ``validate``, never over an existing file); a usage error naming the field otherwise.
    ``order``: its place (an edited entry keeps its own); default: after every entry.
    ``official``: the period (``năm 2023``) whose official figures ``metrics`` are; ``group``:
    the key of entries printed as one bullet."""
    from ngoaivu_cli.scaffold import new_entry

    return new_entry(config, date=date, category=category, summary=summary, status=status,
                     end=end, unit=unit, tags=tags, partners=partners, metrics=metrics,
                     footnote=footnote, approx=approx, order=order, official=official,
                     group=group)


def next_order(config: Config) -> int:
    """The ``order`` :func:`add_entry` gives the next entry (the order of entry: one more than
    the log's highest), for a form that shows the exact text before it is written."""
    from ngoaivu_cli.scaffold import next_order as _next

    return _next(config)


def official_last_day(config: Config, scope: str) -> dt.date:
    """The last day of an official figure's period (``năm 2023`` → 2023-12-31): the date such
    an entry is written on by default; a usage error when ``scope`` is no full period."""
    from ngoaivu_cli.official import official_days

    if not scope.strip():
        raise UsageError("--official cần một kỳ", hint='ví dụ: --official "năm 2023"')
    got = official_days(scope, config)
    if isinstance(got, str):
        raise UsageError(f"--official “{scope}”: {got}",
                         hint="ghi một kỳ đầy đủ, ví dụ “năm 2023”, “6 tháng đầu năm 2023”, "
                              "“quý III/2023”")
    return got[1]


def entry_yaml(*, date: dt.date, category: str, summary: str, status: str = "done",
               end: dt.date | None = None, unit: str | None = None, tags: tuple[str, ...] = (),
               partners: tuple[str, ...] = (), metrics: tuple[tuple[str, int | float], ...] = (),
               footnote: str | None = None, approx: str | None = None,
               order: int | float | None = None) -> str:
    """The text of the entry file ``ngoaivu new`` (:func:`add_entry`) writes for these fields,
    without writing it: what a form shows or gives to :func:`change_entry` (``order``: the
    edited entry's own, so that an edit keeps its place)."""
    from ngoaivu_cli.scaffold import MODELINE, entry_mapping, entry_text

    mapping = entry_mapping(date=date, category=category, summary=summary, status=status,
                            end=end, unit=unit, tags=tags, partners=partners, metrics=metrics,
                            footnote=footnote, approx=approx, order=order)
    return entry_text(mapping, modeline=MODELINE.replace("../../../", "../../") if approx
                      else MODELINE)


def entry_problems(config: Config, text: str, path: Path) -> list[Problem]:
    """The problems of an entry file's ``text`` about to be written at ``path`` (inside
    ``data/``): the check :func:`add_entry` and :func:`change_entry` make, each problem with its
    ``field`` (``date``, ``metrics.doan_ra``...), so that a form can show it at the field."""
    from ngoaivu_cli.scaffold import check_entry

    return check_entry(text, path, config)


def entries_of_text(text: str, name: str) -> tuple[list[Entry], list[Problem]]:
    """The entries an entry file's ``text`` holds (``name``: the file as shown) and the
    problems met reading it."""
    from ngoaivu_cli.log.loader import load_text

    loaded = load_text(text, name)
    return list(loaded.entries), list(loaded.problems)


def read_entry(config: Config, path: Path) -> tuple[str, str]:
    """An entry file's text and the content hash to give back to :func:`change_entry` or
    :func:`delete_entry`; a NgoaivuError (ChangedMeanwhile when it is gone) when it cannot be
    read, never an OSError."""
    from ngoaivu_cli.editing import read_entry as _read

    return _read(config, path)


def change_entry(config: Config, path: Path, text: str, expected_hash: str) -> Path:
    """Replace an entry file by ``text`` (checked as a new entry), atomically; refused
    (ChangedMeanwhile) when the file no longer hashes to ``expected_hash``."""
    from ngoaivu_cli.editing import change_entry as _change

    return _change(config, path, text, expected_hash)


def delete_entry(config: Config, path: Path, expected_hash: str) -> Path:
    """Delete an entry file, refused (ChangedMeanwhile) when it changed since it was read."""
    from ngoaivu_cli.editing import delete_entry as _delete

    return _delete(config, path, expected_hash)


def restore_entry(config: Config, path: Path, data: bytes) -> Path:
    """Put a deleted entry file of ``data/`` back with its old bytes, never over an existing
    file; atomic."""
    from ngoaivu_cli.editing import restore_entry as _restore

    return _restore(config, path, data)


# --------------------------------------------------------------------------- serve --git


def git_log(root: Path, author: str | None = None) -> GitLog:
    """The log at ``root`` as a git repository that ``serve --git`` commits to, with the
    author of its commits (``--author``, else the repository's or the user's git
    configuration); a usage error when it is none, git may not run on it, or no author."""
    from ngoaivu_cli.committing import open_repository

    return open_repository(root, author)


def git_commit(log: GitLog, message: str, changes: dict[Path, bytes | None]) -> str | None:
    """One commit of exactly ``changes`` (a file of the log → its new bytes, None when
    deleted), nothing else staged or read, no hook or program of the repository run; the
    commit's hash (None: nothing changed). Raises ``GitError`` (the files stay written)."""
    from ngoaivu_cli.committing import commit

    root = log.repo.root.resolve()
    return commit(log, message, {p.resolve().relative_to(root).as_posix()
                                 if p.is_absolute() else p.as_posix(): data
                                 for p, data in changes.items()})


def git_deleted(log: GitLog) -> list[Deleted]:
    """The entry files of ``data/`` the last commits deleted, newest first."""
    from ngoaivu_cli.committing import deleted_files

    return deleted_files(log)


def git_deleted_text(log: GitLog, item: Deleted) -> bytes:
    """A deleted file's bytes, from the commit before the one that deleted it."""
    from ngoaivu_cli.committing import deleted_text

    return deleted_text(log, item)


def init_repo(target: Path, *, force: bool = False, office: Office | None = None
              ) -> InitResult:
    """Start a new log repository in ``target`` (``ngoaivu init``)."""
    from ngoaivu_cli.scaffold import init_repo as _init

    return _init(target, force=force, office=office)


def office_setup() -> Any:
    """The pieces ``init`` describes an office with: the module holding ``Office``,
    ``SignerSetting``, ``place_from_parent`` and ``shipped_signers``."""
    from ngoaivu_cli import office

    return office


def schema_text(config: Config) -> str:
    """The JSON Schema of an entry file for editors (``ngoaivu schema``)."""
    from ngoaivu_cli.schema import schema_text as _text

    return _text(config)


def write_schema(config: Config, output: Path, *, force: bool = False) -> Path:
    """Write :func:`schema_text` to ``output`` atomically."""
    from ngoaivu_cli.schema import write_schema as _write

    return _write(config, output, force=force)


# --------------------------------------------------------------------------- documents


def import_documents(paths: list[Path], config: Config, *, period: str | None = None,
                     type_key: str | None = None, dry_run: bool = False,
                     today: dt.date | None = None,
                     choose: Callable[[list[Any]], list[Any]] | None = None) -> ImportRun:
    """Old reports (.docx, .doc, .odt, .txt, .md) into entries: ``dry_run`` proposes the files
    (each entry with its source paragraph) without writing them; ``choose``: given a
    document's proposed entries, in its order, those to write (maybe corrected with
    ``dataclasses.replace``: ``category``, ``status``)."""
    from ngoaivu_cli.importer import import_files

    return import_files(paths, config, period=period, type_key=type_key, dry_run=dry_run,
                        today=today, choose=choose)


def import_words() -> tuple[str, str]:
    """(the confidence an unsure guess has, the category of entries left to review)."""
    from ngoaivu_cli.importer.classify import LOW
    from ngoaivu_cli.log.entries import REVIEW_CATEGORY

    return LOW, REVIEW_CATEGORY


def check_document(path: Path, *, schema: bool = True) -> CheckResult:
    """Any DOCX checked against Nghị định 30 (``ngoaivu check``)."""
    from ngoaivu_cli.check import check_file

    return check_file(path, schema=schema)


# --------------------------------------------------------------------------- small helpers


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to a misspelt ``word`` (for "có phải ý bạn là …?")."""
    from ngoaivu_cli.yamlread import suggest as _suggest

    return _suggest(word, list(choices))


def strip_accents(text: str) -> str:
    """``cùng kỳ`` → ``cung ky``."""
    from ngoaivu_cli.formatting import strip_accents as _strip

    return _strip(text)


def cap_per_file(items: list[Problem]) -> Iterator[Problem]:
    """At most MAX_PER_FILE problems of each file, then one counting the rest."""
    from ngoaivu_cli.errors import cap_per_file as _cap

    return iter(_cap(items))


__all__ = [
    "MAX_YEAR", "MIN_YEAR", "REPORT_FORMATS", "Log", "Selection", "StatsTable",
    "ValidateOutcome", "add_entry", "agency_of", "agency_status", "build_report",
    "cap_per_file", "change_entry", "entries_of_text", "entry_problems", "entry_yaml", "check_document", "check_filters", "compare_stats_table",
    "compare_window", "delete_entry", "entry_when", "group_title", "import_documents",
    "import_words", "init_repo", "is_plan_date", "json_text", "load_config", "make_report", "next_order",
    "office_setup", "open_log", "parse_date", "parse_metric", "parse_plan_date", "plan_batch",
    "problems", "read_entry", "report_period", "reports_due", "resolve_period", "run", "schema_text",
    "scope_title", "select_entries", "short_date", "signer_note", "source_log", "stats_table",
    "status_word", "strip_accents", "suggest", "validate_output", "validation", "write_schema",
    "leaving_out_broken_files", "restore_entry", "git_log", "git_commit", "git_deleted",
    "git_deleted_text", "docx_first_page_png",
]
# the words of a comparison (issue 25, item 11)
__all__ += ["compare_heading", "length_note", "office_label", "window_span"]
