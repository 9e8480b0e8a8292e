"""The problems of a whole log, as ``ngoaivu validate`` finds them: its entries (a few files at
a time), its documents, its configuration and templates, and its sources. Above the report
modules, since checking a log's templates is compiling them as a report would."""

from __future__ import annotations

import heapq
import os
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import field
from itertools import groupby
from pathlib import Path

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import Problem, cap_per_file
from ngoaivu_cli.locate import log_paths
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.log.loader import (
    MAX_FILE_BYTES,
    LoadResult,
    confined_to,
    find_names,
    gc_paused,
    in_order,
    load_one,
    shown_paths,
    sort_strings,
)
from ngoaivu_cli.records import record
from ngoaivu_cli.safeio import excerpt_lines
from ngoaivu_cli.selection import parse_cache, require_log
from ngoaivu_cli.validate import PER_FILE_CHECKS, Duplicates, attach_excerpts, validate_entries


@record
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
        return _summary(self.errors, self.warnings, self.files_with_problems, self.files,
                        self.entries)

    def to_json(self) -> dict[str, object]:
        return {**_json_head(self.files, self.entries, self.errors, self.warnings),
                "diagnostics": [p.to_json() for p in self.problems]}


def _summary(errors: int, warnings: int, paths: int, files: int, entries: int) -> str:
    where = f" trong {paths} tệp" if errors or warnings else ""
    return (f"{errors} lỗi, {warnings} cảnh báo{where} "
            f"(đã kiểm tra {files} tệp, {entries} hoạt động)")


def _json_head(files: int, entries: int, errors: int, warnings: int) -> dict[str, object]:
    return {"version": 1, "files_checked": files, "entries": entries, "errors": errors,
            "warnings": warnings}


def validate_paths(paths: list[Path] | None, config: Config,
                   base: Path | None = None) -> Validation:
    """Load and check every file under ``paths`` (default: the log's ``data/`` and
    ``documents/``); all problems, sorted by path and line. Files inside a ``documents``
    folder are static documents, the others entries. (``ngoaivu validate`` itself prints them
    as they come: :class:`ValidationRun`.)

    Unchanged files come from the parse cache (:mod:`ngoaivu_cli.log.cache`), which never changes
    the result; ``ngoaivu validate`` also replays its last output when nothing changed
    (:mod:`ngoaivu_cli.log.replay`)."""
    run = ValidationRun(paths, config, base)
    problems = list(run)
    return Validation(problems, run.files, run.entries)


class ValidationRun:
    """:func:`validate_paths` as a stream. Iterating reads the log a few files at a time, in
    the order of their shown paths, and gives the problems as they are found: sorted by path
    and line, at most :data:`~ngoaivu_cli.errors.MAX_PER_FILE` per file (then one line
    counting the others), with their excerpts. Of the entries read only what the rule across
    files (duplicates) needs is kept, so memory does not grow with the log. The counts are
    final once the iteration ends."""

    CHUNK_ENTRIES = 2000  # entries checked together (a rule's setup is paid once per chunk)

    def __init__(self, paths: list[Path] | None, config: Config, base: Path | None = None
                 ) -> None:
        self.paths = paths
        self.config = config
        self.base = base or Path.cwd()
        self.files = 0
        self.entries = 0
        self.errors = 0
        self.warnings = 0
        self.files_with_problems = 0
        self.read_errors = 0  # E-READ problems (a passing cause: such a run is not replayed)

    def summary(self) -> str:
        return _summary(self.errors, self.warnings, self.files_with_problems, self.files,
                        self.entries)

    def json_head(self) -> dict[str, object]:
        """The JSON form's fields before ``diagnostics``, once the iteration has ended."""
        return _json_head(self.files, self.entries, self.errors, self.warnings)

    def __iter__(self) -> Iterator[Problem]:
        with gc_paused():  # see loader.gc_paused
            read = excerpt_lines(self.base, self.config.root)
            for _path, group in groupby(self._sorted(), key=_path_of):
                capped = attach_excerpts(cap_per_file(list(group)), read)
                self.files_with_problems += 1
                for p in capped:
                    if p.code == "E-READ":
                        self.read_errors += 1
                    if p.is_error:
                        self.errors += 1
                    else:
                        self.warnings += 1
                    yield p

    def _sorted(self) -> Iterator[Problem]:
        """Every problem in the order of :meth:`Problem.sort_key` (ties as a stable sort of
        the walk's, the files', the rules', then the other checks' problems would leave them)."""
        from ngoaivu_cli.locate import DOCUMENTS_FOLDER as FOLDER  # log/documents.py's

        config, base, paths = self.config, self.base, self.paths
        whole_log = not paths
        if not paths:
            require_log(config, base)
            paths = log_paths(config.root)
        links: set[str] = set()
        names, walk_problems = find_names(paths, None, base, config.root, links)
        files = sort_strings(names)  # strings: a log of 100,000 files, in 15 MB
        del names
        if config.source is not None:  # `validate .` in the log root: ngoaivu.yaml is no activity
            own, own_name = os.path.realpath(config.source), config.source.name
            files = [f for f in files
                     if f.rpartition(os.sep)[2] != own_name or os.path.realpath(f) != own]
        docs, files = _split_documents(files, config.root, FOLDER)
        # everything but the entry files first: what can fail does before anything is printed
        others: list[Problem] = []
        if docs:  # the documents' module only for a log that has some
            from ngoaivu_cli.log.documents import check_documents

            others = check_documents([Path(d) for d in docs], base, config.root)
        others += configuration_problems(config)
        if whole_log and _may_have_templates(config):  # the log's own DOCX and Markdown
            # templates, with the whole log
            from ngoaivu_cli.render.template_files import check_templates

            others += check_templates(config, base)
        if whole_log and config.sources:  # every source's data/, each with its own cache
            from ngoaivu_cli.sources import load_sources

            # read whole, source by source (not streamed like the log's own files)
            from_sources = load_sources(config, None, base)
            others += from_sources.problems + from_sources.skipped
            self.files += from_sources.files
            self.entries += len(from_sources.entries)
            del from_sources
        self.files += len(docs)
        walk_problems.sort(key=Problem.sort_key)
        others.sort(key=Problem.sort_key)
        yield from heapq.merge(walk_problems, self._entry_problems(files, links), others,
                               key=Problem.sort_key)

    def _entry_problems(self, files: list[str], links: set[str]) -> Iterator[Problem]:
        """The loader's and the rules' problems of the entry files, sorted, chunk by chunk.
        Files are read in the order of their shown paths (a linked file is shown where it
        leads), so that each chunk's problems come after the previous chunk's."""
        config, base = self.config, self.base
        cache = parse_cache(config.root)
        root = config.root

        def load(path: str) -> LoadResult:
            with confined_to(root):  # set and reset around each file, never across a yield
                return load_one(path, base, cache)

        with shown_paths(base) as names:
            shown = names.shown
            def shown_of(i: int) -> str:
                return shown(files[i], files[i] in links)

            # file numbers in that order (4 bytes each; the shown paths are made again below),
            # when it is not already the order of the files (the usual case: no link, and
            # folder names that sort alike as paths and as strings)
            order: Sequence[int] = range(len(files))
            if not in_order(map(shown_of, order)):
                order = array("L", sorted(order, key=shown_of))
            loaded: dict[int, LoadResult] = {}  # the last file read again for `entry_at`

            def entry_at(number: int) -> Entry | None:
                k, index = divmod(number, MAX_FILE_BYTES + 1)
                if k not in loaded:
                    loaded.clear()
                    loaded[k] = load(files[order[k]])
                return next((e for e in loaded[k].entries if e.index == index), None)

            duplicates = Duplicates(entry_at)
            k, count, last = 0, len(order), ""
            while k < count:
                problems: list[Problem] = []
                entries: list[tuple[int, Entry]] = []
                # a chunk ends between two shown paths, never inside one
                while k < count:
                    path = files[order[k]]
                    here = shown(path, path in links)
                    if len(entries) >= self.CHUNK_ENTRIES and here != last:
                        break
                    last = here
                    result = load(path)
                    problems += result.problems
                    first = k * (MAX_FILE_BYTES + 1)  # index < MAX_FILE_BYTES: one per byte
                    entries += ((first + e.index, e) for e in result.entries)
                    self.files += result.files
                    self.entries += len(result.entries)
                    k += 1
                problems += validate_entries([e for _n, e in entries], config, PER_FILE_CHECKS)
                entries.sort(key=_entry_order)
                problems += duplicates.check(entries)
                problems.sort(key=Problem.sort_key)
                yield from problems
        if cache is not None:
            cache.save()


def _path_of(p: Problem) -> str:
    return p.loc.path


def _entry_order(item: tuple[int, Entry]) -> tuple[str, int]:
    return item[1].loc.path, item[1].loc.line


def _may_have_templates(config: Config) -> bool:
    """Whether the log can have templates of its own to check: a ``templates`` folder (or
    anything by that name), or a report type of its configuration naming a template. Else
    checking them would only import the report's modules (about 8 ms of a small log's run)."""
    if os.path.lexists(config.templates_dir):
        return True
    return config.source is not None and any(
        rt.template or rt.md_template for rt in config.report_types.values())


def configuration_problems(config: Config) -> list[Problem]:
    """Warnings about the configuration itself that ``validate`` reports with the log's
    (another office still holding the shipped office's names, a placeholder signer)."""
    from ngoaivu_cli.config import config_document
    from ngoaivu_cli.office import office_problems
    from ngoaivu_cli.render.template_check import template_problems

    merged = config_document(config)
    return office_problems(config, merged) + template_problems(config, merged)


def _split_documents(files: list[str], root: Path, folder: str) -> tuple[list[str], list[str]]:
    """(static documents, entries) of path strings: a file under ``<root>/documents/`` (or,
    outside the log, under a ``documents`` folder named on the command line) is a static
    document. Each folder is resolved once, not each file."""
    parents = {f.rpartition(os.sep)[0] for f in files}
    if not (root / folder).exists() and not any(folder in Path(p).parts for p in parents):
        return [], files  # no documents folder anywhere: every file is an entry
    root_resolved = _resolved(root)
    folders: dict[str, tuple[str, ...] | None] = {}  # folder → its parts under root, if any
    docs: list[str] = []
    entries: list[str] = []
    for text in files:
        path = Path(text)
        if os.path.islink(path):
            is_doc = _in_documents(_under(_resolved(path), root_resolved), path, folder)
        else:
            parent = text.rpartition(os.sep)[0]
            if parent not in folders:
                folders[parent] = _under(_resolved(path.parent), root_resolved)
            rel = folders[parent]
            is_doc = _in_documents(None if rel is None else (*rel, path.name), path, folder)
        (docs if is_doc else entries).append(text)
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


