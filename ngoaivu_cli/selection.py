"""Selection stage: load the log for a period, refuse broken data, filter and sort entries.

These are the library calls behind ``validate``, ``list``, ``stats`` and ``report``; they never
print and never import click.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import DataError, NgoaivuError, display_path
from ngoaivu_cli.locate import cache_enabled
from ngoaivu_cli.log.entries import Entry, overlaps
from ngoaivu_cli.log.loader import (
    LoadResult,
    Window,
    load_paths,
)
from ngoaivu_cli.periods import Period, parse_period
from ngoaivu_cli.safeio import excerpt_lines
from ngoaivu_cli.validate import attach_excerpts, validate_entries

if TYPE_CHECKING:
    from ngoaivu_cli.log.cache import ParseCache


def resolve_period(expr: str, config: Config, *, today: dt.date | None = None,
                   year: int | None = None, cutoff: int | None = None,
                   calendar: bool = False) -> Period:
    """A ``--period`` expression resolved with the configuration's cut-off and terms."""
    cut = None if calendar else (cutoff if cutoff is not None else config.cutoff_day)
    return parse_period(expr, today=today or dt.date.today(), cutoff_day=cut,
                        terms=config.terms, year=year)


class NoLogError(NgoaivuError):
    """The command runs outside a log repository: there is no ``data/`` to read."""

    def __init__(self, data_dir: Path, base: Path) -> None:
        super().__init__(
            f"không có thư mục nhật ký {display_path(data_dir, base)}/ (đang ở {base})",
            hint="chuyển vào thư mục kho nhật ký (nơi có ngoaivu.yaml và data/), chỉ rõ cấu "
                 "hình bằng --config, hoặc tạo kho mới bằng `ngoaivu init`")


def require_log(config: Config, base: Path) -> None:
    """Raise :class:`NoLogError` when the configuration's log has no ``data/`` folder."""
    if not config.data_dir.is_dir():
        raise NoLogError(config.data_dir, base)


def parse_cache(root: Path) -> ParseCache | None:
    """The log's parse cache; with caches off, none of their modules is imported (hashing,
    signing: about 3 ms of a report)."""
    if not cache_enabled():
        return None
    from ngoaivu_cli.log.cache import open_cache

    return open_cache(root)


# set by leaving_out_broken_files(): load_window then leaves out the files with an error
_LEAVE_OUT: ContextVar[bool] = ContextVar("ngoaivu_leave_out_broken", default=False)


@contextlib.contextmanager
def leaving_out_broken_files() -> Iterator[None]:
    """Within it, :func:`load_window` does not refuse a log with errors: the entries of the
    files that have one are left out and the errors are given as ``skipped`` (what a report
    lists among its warnings), so a front end can show every valid entry beside what is
    wrong (the web app's list and preview; ``report`` itself still refuses)."""
    token = _LEAVE_OUT.set(True)
    try:
        yield
    finally:
        _LEAVE_OUT.reset(token)


def load_window(config: Config, start: dt.date, end: dt.date, paths: list[Path] | None = None,
                base: Path | None = None) -> LoadResult:
    """Entries of files that can hold activities of ``start..end``; raises :class:`DataError`
    when any of them has an error, so a report is never built from a broken log. Only the
    folders and files whose path dates fall in the window are opened, and unchanged ones come
    from the parse cache."""
    base = base or Path.cwd()
    if not paths:
        require_log(config, base)
    window = Window(start, end, config.max_activity_days)
    loaded = load_paths(paths or [config.data_dir], window, base, parse_cache(config.root),
                        config.root)
    problems = loaded.problems + validate_entries(loaded.entries, config)
    if not paths and config.sources:  # the same window in every source
        from ngoaivu_cli.sources import load_sources

        from_sources = load_sources(config, window, base)
        problems += from_sources.problems
        loaded.extend(from_sources)
    errors = [p for p in problems if p.is_error]
    if errors:
        reader = excerpt_lines(base, config.root)
        shown = DataError.shown(errors, lambda shown: attach_excerpts(shown, reader))
        if not _LEAVE_OUT.get():
            raise shown
        broken = {p.loc.path for p in errors}
        loaded.entries = [e for e in loaded.entries if e.loc.path not in broken]
        loaded.skipped.extend(shown.problems)
    return loaded


def in_range(entry: Entry, start: dt.date, end: dt.date) -> bool:
    """An entry belongs to every period it overlaps (``end`` inclusive)."""
    return overlaps(entry, start, end)


def plan_belongs(entry: Entry, period: Period) -> bool:
    """Whether a plan known only to a month or a quarter (``approx``) is printed for
    ``period``: a month's or a quarter's plan belongs to the one period of a report type
    that holds its first day — the report whose "kỳ sau" is that month (with a window
    ``{day: 25}``, the plans of "tháng 12" belong to November's report, whose next period
    25/11–25/12 is "tháng 12", not to December's, whose next period 25/12–25/01 only touches
    December). A first day shared by two windowed periods (the window's own day) belongs to
    the earlier one. Any other entry belongs to every period it overlaps (:func:`in_range`)."""
    if entry.approx is None or entry.date is None:
        return in_range(entry, period.start, period.end)
    first = entry.date
    if not period.contains(first):
        return False
    return not (period.window is not None and first == period.start)


def filter_entries(entries: list[Entry], *, start: dt.date | None = None,
                   end: dt.date | None = None, categories: tuple[str, ...] = (),
                   units: tuple[str, ...] = (), tags: tuple[str, ...] = (),
                   status: str | None = None) -> list[Entry]:
    """Entries matching every given condition, sorted by date, then file and position."""
    out = []
    for e in entries:
        if start is not None and end is not None and not in_range(e, start, end):
            continue
        if categories and e.category not in categories:
            continue
        if units and e.unit not in units:
            continue
        if tags and not set(tags) & set(e.tags):
            continue
        if status and status != "any" and e.status != status:
            continue
        out.append(e)
    return sort_entries(out)


def sort_entries(entries: list[Entry]) -> list[Entry]:
    """The order a report prints: the order the writer chose. By date (then file and position
    in it), except that the entries carrying ``order`` (written by ``new`` and ``import`` in
    the order of entry, or by hand) follow their ``order`` among themselves, in the places
    they take in the dated list — a plan entered first stays first, whether it has a day or
    only a month; an entry without ``order`` keeps its place by date."""
    dated = sorted(entries, key=_by_date)
    slots = [i for i, e in enumerate(dated) if e.order is not None]
    if slots:
        chosen = sorted((dated[i] for i in slots), key=lambda e: (e.order, *_by_date(e)))
        for i, e in zip(slots, chosen, strict=True):
            dated[i] = e
    return dated


def _by_date(e: Entry) -> tuple[dt.date, str, int]:
    return e.date or dt.date.min, e.loc.path, e.index


__all__ = ["display_path", "filter_entries", "in_range", "leaving_out_broken_files",
           "load_window", "parse_cache", "plan_belongs",
           "require_log", "resolve_period", "sort_entries"]
