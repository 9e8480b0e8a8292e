"""Selection stage: load the log for a period, refuse broken data, filter and sort entries.

These are the library calls behind ``validate``, ``list``, ``stats`` and ``report``; they never
print and never import click.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import DataError, NgoaivuError, Problem, cap_per_file, display_path
from ngoaivu_cli.locate import log_paths
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.log.loader import (
    LoadResult,
    Window,
    find_names,
    gc_paused,
    load_files,
    load_paths,
    sort_names,
)
from ngoaivu_cli.periods import Period, parse_period
from ngoaivu_cli.validate import attach_excerpts, validate_entries


@dataclass
class Validation:
    """The outcome of ``ngoaivu validate``: sorted problems and counts."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    entries: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def files_with_problems(self) -> int:
        return len({p.loc.path for p in self.problems})

    def summary(self) -> str:
        where = f" trong {self.files_with_problems} tệp" if self.problems else ""
        return (f"{self.errors} lỗi, {self.warnings} cảnh báo{where} "
                f"(đã kiểm tra {self.files} tệp, {self.entries} hoạt động)")

    def to_json(self) -> dict[str, object]:
        return {"version": 1, "files_checked": self.files, "entries": self.entries,
                "errors": self.errors, "warnings": self.warnings,
                "diagnostics": [p.to_json() for p in self.problems]}


def _reader(base: Path, root: Path | None = None):  # noqa: ANN202 - for attach_excerpts
    """Lines of a shown file, to quote; a link under ``root`` that leads outside is never
    opened (its problem is E-LINK-OUTSIDE, without an excerpt)."""

    def read(shown: str) -> list[str] | None:
        path = Path(shown)
        if not path.is_absolute():
            path = base / path
        try:
            from ngoaivu_cli.safeio import MAX_EXCERPT_SOURCE, read_bytes

            raw = read_bytes(path, MAX_EXCERPT_SOURCE, root)
            return raw.decode("utf-8", "replace").splitlines()
        except OSError:
            return None

    return read


def validate_paths(paths: list[Path] | None, config: Config,
                   base: Path | None = None) -> Validation:
    """Load and check every file under ``paths`` (default: the log's ``data/`` and
    ``documents/``); all problems, sorted by path and line. Files inside a ``documents``
    folder are static documents, the others entries.

    Unchanged files come from the parse cache (:mod:`ngoaivu_cli.log.cache`), which never changes
    the result; ``ngoaivu validate`` also replays its last output when nothing changed
    (:mod:`ngoaivu_cli.log.replay`)."""
    with gc_paused():  # see loader.gc_paused: the whole log stays in memory until the end
        return _validate_paths(paths, config, base or Path.cwd())


def _validate_paths(paths: list[Path] | None, config: Config, base: Path) -> Validation:
    from ngoaivu_cli.log.cache import open_cache
    from ngoaivu_cli.log.documents import FOLDER, check_documents

    whole_log = not paths
    if not paths:
        require_log(config, base)
        paths = log_paths(config.root)
    names, walk_problems = find_names(paths, None, base, config.root)
    files = sort_names(names)
    if config.source is not None:  # `validate .` in the log root: ngoaivu.yaml is no activity
        own = os.path.realpath(config.source)
        files = [f for f in files if f.name != config.source.name or os.path.realpath(f) != own]
    docs, entry_files = _split_documents(files, config.root, FOLDER)
    loaded = load_files(entry_files, base, open_cache(config.root), config.root)
    problems = walk_problems + loaded.problems + validate_entries(loaded.entries, config)
    problems += check_documents(docs, base, config.root)
    problems += configuration_problems(config)
    if whole_log:  # the log's own DOCX and Markdown templates, with the whole log
        from ngoaivu_cli.render.template_files import check_templates

        problems += check_templates(config, base)
    loaded.files += len(docs)
    problems.sort(key=Problem.sort_key)
    problems = attach_excerpts(cap_per_file(problems), _reader(base, config.root))
    return Validation(problems, loaded.files, len(loaded.entries))


def configuration_problems(config: Config) -> list[Problem]:
    """Warnings about the configuration itself that ``validate`` reports with the log's
    (another office still holding the shipped office's names, a placeholder signer)."""
    from ngoaivu_cli.config import config_document
    from ngoaivu_cli.office import office_problems
    from ngoaivu_cli.render.template_check import template_problems

    merged = config_document(config)
    return office_problems(config, merged) + template_problems(config, merged)


def _split_documents(files: list[Path], root: Path, folder: str) -> tuple[list[Path], list[Path]]:
    """(static documents, entry files): a file under ``<root>/documents/`` (or, outside the
    log, under a ``documents`` folder named on the command line) is a static document.
    Each folder is resolved once, not each file."""
    parents = {str(f).rpartition(os.sep)[0] for f in files}
    if not (root / folder).exists() and not any(folder in Path(p).parts for p in parents):
        return [], list(files)  # no documents folder anywhere: every file is an entry
    root_resolved = _resolved(root)
    folders: dict[str, tuple[str, ...] | None] = {}  # folder → its parts under root, if any
    docs: list[Path] = []
    entries: list[Path] = []
    for path in files:
        if os.path.islink(path):
            is_doc = _in_documents(_under(_resolved(path), root_resolved), path, folder)
        else:
            parent = str(path).rpartition(os.sep)[0]
            if parent not in folders:
                folders[parent] = _under(_resolved(path.parent), root_resolved)
            rel = folders[parent]
            is_doc = _in_documents(None if rel is None else (*rel, path.name), path, folder)
        (docs if is_doc else entries).append(path)
    return docs, entries


def _under(path: Path | None, root: Path | None) -> tuple[str, ...] | None:
    if path is None or root is None:
        return None
    try:
        return path.relative_to(root).parts
    except ValueError:
        return None


def _in_documents(rel: tuple[str, ...] | None, path: Path, folder: str) -> bool:
    if rel is None:
        return folder in path.parts[:-1]
    return bool(rel) and rel[0] == folder


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return None


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


def load_window(config: Config, start: dt.date, end: dt.date, paths: list[Path] | None = None,
                base: Path | None = None) -> LoadResult:
    """Entries of files that can hold activities of ``start..end``; raises :class:`DataError`
    when any of them has an error, so a report is never built from a broken log. Only the
    folders and files whose path dates fall in the window are opened, and unchanged ones come
    from the parse cache."""
    from ngoaivu_cli.log.cache import open_cache

    base = base or Path.cwd()
    if not paths:
        require_log(config, base)
    window = Window(start, end, config.max_activity_days)
    loaded = load_paths(paths or [config.data_dir], window, base, open_cache(config.root),
                        config.root)
    problems = loaded.problems + validate_entries(loaded.entries, config)
    errors = [p for p in problems if p.is_error]
    if errors:
        errors = attach_excerpts(errors, _reader(base, config.root))
        errors.sort(key=Problem.sort_key)
        raise DataError(errors)
    return loaded


def in_range(entry: Entry, start: dt.date, end: dt.date) -> bool:
    """An entry belongs to every period it overlaps (``end`` inclusive)."""
    if entry.date is None:
        return False
    last = entry.last_day or entry.date
    return entry.date <= end and last >= start


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
    return sorted(entries, key=lambda e: (e.date or dt.date.min, e.loc.path, e.index))


def data_paths(config: Config, paths: tuple[str, ...] | list[str], base: Path) -> list[Path]:
    """PATH arguments, or the configuration's ``data/`` folder when none is given."""
    if paths:
        return [Path(p) for p in paths]
    return [config.data_dir]


__all__ = ["Validation", "display_path", "filter_entries", "in_range", "load_window",
           "resolve_period", "sort_entries", "validate_paths", "data_paths"]
