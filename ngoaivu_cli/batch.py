"""Batch stage: every report due for a period (``ngoaivu batch``), one :func:`make_report` each.

A report type says in ``due`` which kinds of period it is due for. For a batch over a period P:
a type due for P's own kind is made for P itself; a type due for another kind is made for each
period of that kind that *ends* inside P (the weeks ending in a month, the quarter ending in
December...). Jobs run one after the other; a failure is recorded with its message and the next
job goes on. File names come from :func:`default_output`, so a re-run finds its own files and,
without ``force``, replaces none of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ngoaivu_cli.config import Config, ReportType
from ngoaivu_cli.errors import NgoaivuError, PeriodError, Problem, UsageError, os_reason
from ngoaivu_cli.periods import Period, iter_periods
from ngoaivu_cli.render.report import FORMATS, default_output, make_report
from ngoaivu_cli.safeio import make_dirs
from ngoaivu_cli.yamlread import suggest

# Kinds for which iter_periods can enumerate the periods inside a longer one.
ENUMERABLE = ("day", "week", "month", "quarter", "half", "year")


@dataclass(frozen=True)
class Job:
    """One report to make: a type, a period, a format and the file it goes to."""

    report_type: ReportType
    period: Period
    fmt: str
    output: Path


@dataclass(frozen=True)
class Outcome:
    """How one job ended: ``error`` is None on success, else the Vietnamese message;
    ``warnings``: what a written report left out (render/dropped.py), as ``report`` says it."""

    job: Job
    error: str | None = None
    hint: str | None = None
    entries: int = 0
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Batch:
    """The planned jobs of a batch; :meth:`run` makes them and yields each outcome."""

    config: Config
    period: Period
    jobs: list[Job]
    force: bool = False
    strict: bool = False  # a report that would leave something out fails, unwritten
    signed: bool = False  # "(đã ký)" under every signature (`--da-ky`)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def run(self) -> Iterator[Outcome]:
        for job in self.jobs:
            outcome = run_job(self.config, job, force=self.force, strict=self.strict,
                              signed=self.signed)
            self.outcomes.append(outcome)
            yield outcome


def parse_list(text: str | None, what: str, known: tuple[str, ...] | list[str],
               option: str) -> list[str]:
    """``"docx,md"`` → ``["docx", "md"]``; unknown names are a usage error with a suggestion."""
    if not text:
        return []
    names = [n.strip() for n in text.split(",") if n.strip()]
    for name in names:
        if name not in known:
            guess = suggest(name, list(known))
            raise UsageError(f'{option}: {what} "{name}" không có',
                             hint=(f"có phải ý bạn là `{guess}`? " if guess else "")
                             + "chọn trong: " + ", ".join(known))
    return list(dict.fromkeys(names))


def periods_due(rt: ReportType, period: Period) -> list[Period]:
    """The periods inside ``period`` for which report type ``rt`` is due, in date order.

    ``period`` is the batch period as ``rt`` sees it (with its own cut-off day, if any); the
    periods inside it use the same cut-off.
    """
    if period.window is not None:  # enumerate calendar months, then shift each to the window
        from ngoaivu_cli.periods.model import with_window, without_window

        return [with_window(p, period.window) for p in periods_due(rt, without_window(period))]
    found: dict[tuple[object, ...], Period] = {}
    for kind in rt.due:
        if kind == period.kind:
            found[(period.start, period.end_exclusive)] = period
        elif kind in ENUMERABLE:
            try:
                inner = iter_periods(kind, period, cutoff_day=period.cutoff_day)
            except PeriodError:
                continue
            for p in inner:
                found.setdefault((p.start, p.end_exclusive), p)
    return sorted(found.values(), key=lambda p: (p.start, p.end_exclusive))


def plan_batch(config: Config, period: Period, *, types: list[str] | None = None,
               formats: list[str] | None = None, out_dir: Path | None = None,
               force: bool = False, strict: bool = False, signed: bool = False,
               period_of_type: Callable[[ReportType], Period] | None = None) -> Batch:
    """Every report due for ``period`` (only ``types`` when given), in each of ``formats``.

    ``period_of_type`` gives the batch period as one report type sees it, when a type has its
    own ``cutoff_day`` or ``calendar`` (``ngoaivu report`` resolves ``--period`` the same way);
    without it every type uses ``period``.
    """
    from ngoaivu_cli.selection import require_log

    require_log(config, Path.cwd())  # outside a log repository: say so once, not per report
    formats = formats or ["docx"]
    for fmt in formats:
        if fmt not in FORMATS:
            raise UsageError(f'--format: định dạng "{fmt}" không hỗ trợ',
                             hint="chọn trong: " + ", ".join(FORMATS))
    if out_dir is None:
        from ngoaivu_cli.confine import default_output_folder

        out_dir = default_output_folder(config.root)  # never inside data/ or documents/
    types = parse_list(",".join(types), "loại báo cáo", list(config.report_types),
                       "--types") if types else []
    chosen = [config.report_types[t] for t in types] or list(config.report_types.values())
    jobs: list[Job] = []
    for rt in chosen:
        seen = period_of_type(rt) if period_of_type else period
        due = periods_due(rt, seen)
        if types and not due:
            kinds = ", ".join(rt.due) or "(chưa khai báo `due`)"
            raise UsageError(f'loại báo cáo "{rt.key}" không đến hạn trong {period.label}',
                             hint=f"loại này đến hạn theo kỳ: {kinds}; {period.label} là kỳ "
                                  f'loại "{period.kind}"')
        for p in due:
            for fmt in formats:
                jobs.append(Job(rt, p, fmt, out_dir / default_output(rt, p, fmt)))
    if not jobs:
        listed = "; ".join(f"{k}: {', '.join(rt.due) or '-'}"
                           for k, rt in config.report_types.items())
        raise UsageError(f"không có loại báo cáo nào đến hạn trong {period.label} (kỳ loại "
                         f"\"{period.kind}\")",
                         hint=f"các loại và kỳ đến hạn (due) trong ngoaivu.yaml: {listed}")
    return Batch(config, period, jobs, force, strict, signed)


def run_job(config: Config, job: Job, *, force: bool = False, strict: bool = False,
            signed: bool = False) -> Outcome:
    """Make one report; every error of the tool becomes the outcome's message, never a raise
    (``strict``: what the report would leave out is such an error, as with ``report --strict``)."""
    if job.output.exists() and not force:  # before rendering: a re-run costs nothing
        return Outcome(job, f"tệp {job.output} đã có", "thêm --force để ghi đè")
    try:
        make_dirs(job.output.parent, root=config.root)  # never through a link in the log
        result = make_report(config, job.period, type_name=job.report_type.key, fmt=job.fmt,
                             output=job.output, force=force, strict=strict, signed=signed)
    except NgoaivuError as exc:
        problems = getattr(exc, "problems", None)
        message = exc.message
        if problems:
            first = problems[0]
            total = getattr(exc, "total", len(problems))  # a DataError prints 200 of them
            more = f" (và {total - 1:,} lỗi khác)".replace(",", ".") if total > 1 else ""
            message = f"{exc.message}: {first.first_line()}{more}"
        return Outcome(job, message, exc.hint)
    except OSError as exc:
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        return Outcome(job, f"không ghi được tệp{where}: {os_reason(exc)}")
    except Exception as exc:  # a bug in one report must not cost the others
        if os.environ.get("NGOAIVU_DEBUG"):
            raise
        return Outcome(job, f"lỗi nội bộ của ngoaivu: {type(exc).__name__}: {exc}",
                       "chạy lại với NGOAIVU_DEBUG=1 để xem chi tiết")
    return Outcome(job, None, None, result.entries, tuple(result.warnings))


__all__ = ["Batch", "Job", "Outcome", "parse_list", "periods_due", "plan_batch", "run_job"]
