"""Caches of the loading stage, kept between runs in ``<log root>/.ngoaivu-cache/``.

*Parse cache* (:class:`ParseCache`): one JSON file per data folder (``data/2023/08`` →
``.ngoaivu-cache/<hash>.json``) holding, for each file, the stamp it was read with (size,
modification and change time, inode, a CRC of its bytes) and its
:class:`~ngoaivu_cli.log.loader.LoadResult` (entries and problems). Files in the simple form
(:func:`ngoaivu_cli.yamlread.parse_simple`) are not kept: reading them again costs about as
much as looking them up. (The last output of ``ngoaivu validate`` is replayed by
:mod:`ngoaivu_cli.log.replay`, before any of this is imported.)

A record is used only when the stamps are unchanged, so a cache never changes a result: at
worst it is not used. A file whose timestamps are too fresh to tell a change within the same
clock tick is checked by its bytes. Cache files are written
atomically (temporary file, then rename), so runs in parallel each see a whole file, old or
new. A cache file that is corrupt, from another version of the program or about another
folder is ignored and rebuilt; a cache folder that cannot be written only makes runs slower.
Only files under the log's root are cached. ``NGOAIVU_NO_CACHE=1`` turns both off.

JSON rather than pickle: a cache file is data, and loading it can never run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
import zlib
from pathlib import Path
from typing import Any

from ngoaivu_cli.errors import MAX_PER_FILE, Problem, SourceLoc
from ngoaivu_cli.log.entries import Entry, Official
from ngoaivu_cli.log.loader import MAX_FILE_BYTES, LoadResult
from ngoaivu_cli.log.replay import (
    CACHE_DIR,
    ENV_OFF,
    blake2b,
    cache_enabled,
    cache_inside,
    is_log_root,
    program_stamp,
    read_sealed,
    seal,
)
from ngoaivu_cli.log.replay import is_racy as _is_racy
from ngoaivu_cli.log.replay import keep as _keep
from ngoaivu_cli.log.replay import prepare as _prepare
from ngoaivu_cli.log.replay import write_errors as _write_errors
from ngoaivu_cli.safeio import read_bytes

FORMAT = 5  # 2: an entry's `approx` (a plan known to a month or a quarter); 3: `official`;
# 4: `order`; 5: `group`


def open_cache(root: Path) -> ParseCache | None:
    """The cache of the log at ``root``; None when turned off or ``root`` is not a log (no
    ``data/`` folder and no ``ngoaivu.yaml``), so no cache folder appears in random places."""
    if not cache_enabled() or not is_log_root(root) or not cache_inside(root):
        return None
    return ParseCache(root / CACHE_DIR)


def open_source_cache(log_root: Path, source_root: Path) -> ParseCache | None:
    """The cache of a source's files, kept in the compiling log's cache folder (never in the
    source's own folder, which belongs to another agency); None when caches are off."""
    if not cache_enabled() or not is_log_root(log_root) or not cache_inside(log_root):
        return None
    key = blake2b(str(source_root).encode("utf-8", "surrogatepass"),
                  digest_size=12).hexdigest()
    folder = log_root / CACHE_DIR / f"source-{key}"
    from ngoaivu_cli.confine import escapes

    if os.path.islink(folder) or escapes(log_root, folder):  # a link planted there: no cache
        return None
    return ParseCache(folder, root=source_root)


def code_version() -> str:
    """What a cached record depends on besides its file: this format and the program (every
    file of the package, PyYAML with its libyaml, Python; see :func:`replay.program_stamp`).
    A change anywhere rebuilds the cache, which is cheaper than a wrong guess about what
    depends on what."""
    return f"{FORMAT}|{program_stamp()}"


class _Group:
    """The cached records of one folder: file name → record (see :func:`_encode`)."""

    def __init__(self, folder: str, file: Path, records: dict[str, list[Any]]) -> None:
        self.folder = folder  # resolved folder path
        self.file = file  # its cache file
        self.records = records
        self.dirty = False
        self.outside = False  # not under the log's root: never cached
        self.seen: set[str] = set()


class ParseCache:
    """Per-file :class:`LoadResult` values keyed by resolved folder, file name and stamp."""

    KEEP_FOLDERS = 4  # folders held in memory before they are written and forgotten

    def __init__(self, folder: Path, root: Path | None = None) -> None:
        self.folder = folder
        # only files under the log's root are cached: a run that reads other folders (another
        # department's log, a test's temporary folder) must not fill this log's cache. A
        # source's cache (ngoaivu_cli/sources.py) lives in the compiling log's cache folder
        # and covers the source's folder (``root``).
        self.nested = root is not None
        self.log_root = folder.parent.parent if self.nested else folder.parent  # its writes
        self.root = os.path.realpath(folder.parent if root is None else root)
        self._groups: dict[str, _Group] = {}  # resolved folder → its records
        self._by_parent: dict[str, _Group] = {}  # folder as written in paths → the same
        self.disabled = False

    # ----------------------------------------------------------------- reading

    def has(self, path: Path | str) -> bool:
        """Whether a record of ``path`` exists (it may be stale): one dictionary look-up, so
        files without one (new, or in the simple form) cost nothing more."""
        if self.disabled:
            return False
        group, name = self._group_of(path)
        group.seen.add(name)
        return name in group.records

    def get(self, path: Path | str, shown: str, lstat: os.stat_result | None = None
            ) -> LoadResult | None:
        """The cached result of ``path`` if the file is unchanged since, else None; ``lstat``
        is the file's own stat when the caller has it and it is not a link."""
        if self.disabled:
            return None
        group, name = self._group_of(path)
        if group.outside:
            return None
        record = group.records.get(name)
        group.seen.add(name)
        if record is None:
            return None
        try:
            st = lstat or os.stat(path)
            rec_shown, size, mtime, ctime, ino, digest, racy = record[:7]
            if (rec_shown, size, mtime, ctime, ino) != (shown, st.st_size, st.st_mtime_ns,
                                                      st.st_ctime_ns, st.st_ino):
                raise LookupError
            if racy:
                # the timestamps could not tell a same-tick change: compare the bytes
                if zlib.crc32(read_bytes(path, MAX_FILE_BYTES)) != digest:
                    raise LookupError
                if not _is_racy(st.st_mtime_ns, st.st_ctime_ns, time.time_ns()):
                    record[6] = False
                    group.dirty = True
            result = _decode(shown, record[7], record[8])
        except (OSError, LookupError, TypeError, ValueError):
            return None
        return result

    # ----------------------------------------------------------------- writing

    def put(self, path: Path | str, result: LoadResult) -> None:
        """Remember the result of a file just read: only results that depend on its bytes alone,
        and not those of the simple form, which are read again as fast as they are looked up."""
        stamp = result.stamp
        if self.disabled or stamp is None or any(p.code == "E-READ" for p in result.problems):
            return
        group, name = self._group_of(path)
        if group.outside:
            return
        located = result.entries[0].loc if result.entries else (
            result.problems[0].loc if result.problems else None)
        shown = located.path if located is not None else ""
        encoded = None if result.cheap or not shown else _encode(shown, result)
        if encoded is None:
            if group.records.pop(name, None) is not None:
                group.dirty = True
            return
        group.records[name] = [shown, stamp.size, stamp.mtime_ns, stamp.ctime_ns, stamp.ino,
                               stamp.digest, _is_racy(stamp.mtime_ns, stamp.ctime_ns,
                                                      stamp.read_ns), *encoded]
        group.seen.add(name)
        group.dirty = True

    def save(self) -> None:
        """Write the folders that changed; never raises (the cache is only a speed-up)."""
        dirty = [g for g in self._groups.values() if g.dirty]
        if self.disabled or not dirty:
            return
        try:
            self._prepare_folder()
            for group in dirty:
                self._write(group)
        except _write_errors():
            self.disabled = True  # read-only log, full disk, a link...: go on without a cache

    def _prepare_folder(self) -> None:
        if self.nested:
            _prepare(self.folder.parent, self.log_root)
        _prepare(self.folder, self.log_root)

    def _write(self, group: _Group) -> None:
        for name in [n for n in group.records if n not in group.seen]:
            if not os.path.lexists(os.path.join(group.folder, name)):
                del group.records[name]  # the file is gone
        data = {"format": FORMAT, "code": code_version(), "folder": group.folder,
                "files": group.records}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        sealed = seal(text.encode("utf-8", "surrogatepass"))
        if sealed is not None:
            _keep(group.file, sealed, self.log_root)
        group.dirty = False

    # ----------------------------------------------------------------- groups

    def _group_of(self, path: Path | str) -> tuple[_Group, str]:
        parent, _, name = str(path).rpartition(os.sep)
        group = self._by_parent.get(parent)
        if group is None:
            folder = os.path.realpath(parent or os.curdir)
            group = self._groups.get(folder)
            if group is None:
                self._leave_folders()
                group = self._groups[folder] = self._load_group(folder)
            self._by_parent[parent] = group
        return group, name

    def _leave_folders(self) -> None:
        """Write the folders read so far and forget them: files come folder by folder, so the
        cache of a log of any size is held one folder at a time (a folder met again is read
        back from its cache file)."""
        if len(self._groups) < self.KEEP_FOLDERS:
            return
        self.save()
        self._groups.clear()
        self._by_parent.clear()

    def covers(self, folder: str) -> bool:
        """Whether a resolved folder lies inside the log's root."""
        return folder == self.root or folder.startswith(self.root.rstrip(os.sep) + os.sep)

    def _load_group(self, folder: str) -> _Group:
        key = blake2b(folder.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        file = self.folder / f"{key}.json"
        records: dict[str, list[Any]] = {}
        if not self.covers(folder):
            group = _Group(folder, file, records)
            group.outside = True
            return group
        with contextlib.suppress(OSError, ValueError, UnicodeDecodeError, RecursionError):
            payload = read_sealed(file)
            if payload is None:
                raise ValueError("no signed cache here")
            data = json.loads(payload.decode("utf-8", "surrogatepass"))
            if (isinstance(data, dict) and data.get("format") == FORMAT
                    and data.get("code") == code_version() and data.get("folder") == folder
                    and isinstance(data.get("files"), dict)):
                records = {k: v for k, v in data["files"].items()
                           if isinstance(v, list) and len(v) == 9}
        return _Group(folder, file, records)


# ----------------------------------------------------------------- encoding
# entry:   [line, col, date ordinal, category, summary, status, end ordinal, unit, tags,
#           partners, metrics [[name, value]], footnote, positions [[field, line, col]], index,
#           approx, official [scope, [[name, value]]] or null, order, group]
# problem: [line, col, code, message, field, hint, severity, excerpt, span]


def _encode(shown: str, result: LoadResult) -> tuple[list[Any], list[Any]] | None:
    if any(e.loc.path != shown for e in result.entries) or any(
            p.loc.path != shown for p in result.problems):
        return None  # not a result of this file alone: do not cache
    if len(result.problems) > MAX_PER_FILE or sum(
            len(p.excerpt or "") for p in result.problems) > 100_000:
        return None  # a file with very many problems (or on huge lines) is read again
    entries = [[e.loc.line, e.loc.col, _ordinal(e.date), e.category, e.summary, e.status,
                _ordinal(e.end), e.unit, list(e.tags), list(e.partners),
                [list(m) for m in e.metrics], e.footnote, [list(p) for p in e.positions],
                e.index, e.approx, _official(e.official), e.order, e.group]
               for e in result.entries]
    problems = [[p.loc.line, p.loc.col, p.code, p.message, p.field, p.hint, p.severity,
                 p.excerpt, p.span] for p in result.problems]
    return entries, problems


def _official(o: Official | None) -> list[Any] | None:
    return None if o is None else [o.scope, [list(m) for m in o.metrics]]


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _date(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def _decode(shown: str, entries: list[Any], problems: list[Any]) -> LoadResult:
    result = LoadResult(files=1)
    for (line, col, date, category, summary, status, end, unit, tags, partners, metrics,
         footnote, positions, index, approx, official, order, group) in entries:
        result.entries.append(Entry(
            SourceLoc(shown, line, col), _date(date), category, summary, status, _date(end),
            unit, tuple(tags), tuple(partners), tuple((n, v) for n, v in metrics), footnote,
            tuple((f, ln, c) for f, ln, c in positions), index, approx,
            None if official is None else Official(official[0],
                                                   tuple((n, v) for n, v in official[1])),
            order=order, group=group))
    for line, col, code, message, field, hint, severity, excerpt, span in problems:
        result.problems.append(Problem(SourceLoc(shown, line, col), code, message, field, hint,
                                       severity, excerpt, span))
    return result


__all__ = ["CACHE_DIR", "ENV_OFF", "ParseCache", "cache_enabled", "code_version", "open_cache",
           "open_source_cache"]
