"""Folder digests: what a scope of a report needs of a data folder, kept between runs.

A report that prints ``{{ ytd.doan_ra }}`` in December needs, of January to November, only the
fields a section's filters and the sums look at — date, end, category, unit, status, tags,
partners, metrics (and the rare official records, whole) — not the summaries, footnotes and
positions of thousands of entries. For each data folder (``data/2023/05``) whose files all have
dated names, that is kept in ``.ngoaivu-cache/`` as two signed files: ``<hash>.digest``, small
(the folder's listing as a hash, its entries summed by category, unit, status and tags — the
*lumps* a window holding the whole month takes — and the rows of the entries that last past the
month, all a window after it can take), and ``<hash>.rows``, one :class:`Row` per entry, read
only for a window that cuts the month. Nothing is read back from an entry file. So a scope over
eleven months costs eleven directory listings (a ``stat`` of each file) and eleven small reads.

A digest is used only when it is exact:

* the folder lists the same files with the same stamps (name, size, modification and change
  time, inode) as when it was written; any change, new or removed file makes it stale (and it
  is written again from the files);
* the program and the configuration (its whole ``repr``) are the same: what is an error
  depends on both;
* every file of the folder was read without an error (a folder with one is read file by file,
  so the report stops on the error exactly as without digests); links, undated names and
  timestamps too fresh to trust (``replay.is_racy``) mean no digest.

The rows a window takes are those of files whose name date lies in the window with its
look-back, as the loader would choose the files (:class:`~ngoaivu_cli.logtree.Window`), so the
entries of a scope, and every figure summed from them, are the same as without digests.
Signed like every cache file (``replay.seal``): a digest edited or copied from someone else is
ignored. ``NGOAIVU_NO_CACHE=1`` turns digests off with the other caches.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import SourceLoc
from ngoaivu_cli.log.entries import Entry, overlaps

FORMAT = 2
SUFFIX = ".digest"


class Row:
    """An entry as a scope's figures see it: every field :mod:`ngoaivu_cli.scopes` and
    :mod:`ngoaivu_cli.stats` read. ``weight``: how many entries it stands for — a *lump* is
    every entry of a folder with the same category, unit, status and tags, their metrics
    summed (decimals exactly, as :class:`~decimal.Decimal`) and their partners together; it
    is dated on the first day of its month and used only for a window holding the whole
    month."""

    __slots__ = ("loc", "index", "date", "end", "category", "unit", "status", "tags",
                 "partners", "metrics", "weight")
    official = None  # a folder holding an official record has no digest
    agency = None  # digests are of the log's own folders (a source's entries are read whole)

    def __init__(self, loc: SourceLoc, index: int, date: dt.date | None, end: dt.date | None,
                 category: str | None, unit: str | None, status: str, tags: tuple[str, ...],
                 partners: tuple[str, ...], metrics: tuple[tuple[str, Any], ...],
                 weight: int = 1) -> None:
        self.loc, self.index, self.date, self.end = loc, index, date, end
        self.category, self.unit, self.status, self.tags = category, unit, status, tags
        self.partners, self.metrics, self.weight = partners, metrics, weight

    @property
    def last_day(self) -> dt.date | None:
        return self.end or self.date


class Folder:
    """One folder's digest: its month, its rows (decoded when first needed) and lumps."""

    def __init__(self, shown: str, first: dt.date, last: dt.date,
                 rows: Callable[[], list[list[Any]] | None], lumps: list[list[Any]],
                 count: int, spill: list[list[Any]] | None = None) -> None:
        self.shown, self.first, self.last = shown, first, last
        self._raw_rows, self._raw_lumps = rows, lumps
        self._raw_spill = spill or []
        self._rows: list[Row] | None = None
        self._lumps: list[Row] | None = None
        self._spill: list[Row] | None = None
        self.count = count
        self.reread: Callable[[], list[Any]] = list  # set by the pool that reads it

    def rows(self) -> list[Row] | None:
        """Every entry of the folder as a row; None when the rows file is gone or changed."""
        if self._rows is None:
            raw = self._raw_rows()
            if raw is None:
                return None
            self._rows = _decode(self.shown, raw)
        return self._rows

    def spill(self) -> list[Row]:
        """The rows that last past the folder's month (``end`` after its last day): all a
        window starting after the month can take from it (its look-back), kept in the digest
        itself so that such a window never reads the rows file."""
        if self._spill is None:
            self._spill = _decode(self.shown, self._raw_spill)
        return self._spill

    def lumps(self) -> list[Row]:
        if self._lumps is None:
            loc = SourceLoc(self.shown)
            first = self.first
            self._lumps = [Row(loc, -i - 1, first, None, c, u, s, tuple(t), tuple(p),
                               tuple([(n, _number(v)) for n, v in m]) if m else (), w)
                           for i, (c, u, s, t, w, m, p) in enumerate(self._raw_lumps)]
        return self._lumps


def config_stamp(config: Config) -> str:
    """What the errors of a folder depend on besides its files: the whole configuration."""
    return hashlib.blake2b(repr(config).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def _listing(folder: str, strict: bool = True) -> list[list[Any]] | None:
    """``[name, size, mtime_ns, ctime_ns, ino]`` of every file of ``folder``, by name; None
    when the folder cannot have a digest (a link, a subfolder, an undated or odd name, a
    timestamp too fresh to trust).

    Not ``strict``: the names and timestamps are not judged (a listing only compared with
    the one of a digest, which was strict when written: an odd name or a file changed since
    makes the two differ)."""
    from ngoaivu_cli.log.logtree import FILE_NAME_RE, YAML_SUFFIXES
    from ngoaivu_cli.log.replay import is_racy

    out: list[list[Any]] = []
    now = time.time_ns()
    append, match = out.append, FILE_NAME_RE.match
    try:
        with os.scandir(folder) as it:
            for entry in it:
                name = entry.name
                if name[0] == "." or not name.lower().endswith(YAML_SUFFIXES):
                    if name[0] != "." and entry.is_dir():  # (a link to one too: an error)
                        return None  # a subfolder: its files are the loader's to find
                    continue  # what the loader never reads
                if not entry.is_file(follow_symlinks=False):  # a link, a device, a FIFO
                    return None
                if strict and not match(name):
                    return None
                st = entry.stat(follow_symlinks=False)
                if strict and is_racy(st.st_mtime_ns, st.st_ctime_ns, now):
                    return None
                append([name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    except OSError:
        return None
    out.sort()
    return out


def _listing_key(listing: list[list[Any]]) -> str:
    """A digest keeps its folder's listing as this hash (the listing itself is most of its
    size). marshal's version 2 writes no back-references, so the same listing always gives
    the same bytes (and a listing of other names or stamps, other bytes)."""
    import marshal

    return hashlib.blake2b(marshal.dumps(listing, 2), digest_size=16).hexdigest()


class Digests:
    """The digests of one log, for one configuration."""

    def __init__(self, config: Config) -> None:
        from ngoaivu_cli.log.cache import code_version
        from ngoaivu_cli.log.replay import CACHE_DIR

        self.config = config
        self.folder = config.root / CACHE_DIR
        self.root = os.path.realpath(config.root)
        self.stamp = f"{FORMAT}|{code_version()}|{config_stamp(config)}"
        self.used = 0  # folders read from a digest
        self.written = 0

    def _file(self, folder: str, suffix: str = SUFFIX) -> Path:
        key = hashlib.blake2b(folder.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        return self.folder / f"{key}{suffix}"

    def covers(self, folder: str) -> bool:
        return folder.startswith(self.root.rstrip(os.sep) + os.sep)

    def read(self, folder: str, shown: str) -> tuple[Folder | None, list[list[Any]] | None]:
        """(the digest of a folder, a resolved path, when it is exact, else None; the folder's
        listing, or None when it cannot have a digest). ``shown``: the folder as paths are
        shown to the user (``data/2023/05``)."""
        if not self.covers(folder):
            return None, None
        listing = _listing(folder, strict=False)
        if listing is None:
            return None, None
        from ngoaivu_cli.log.replay import read_sealed

        with contextlib.suppress(OSError, ValueError, TypeError, UnicodeDecodeError,
                                 RecursionError, KeyError, IndexError, AttributeError):
            payload = read_sealed(self._file(folder))
            if payload is not None:
                data = json.loads(payload.decode("utf-8", "surrogatepass"))
                if (data.get("stamp") == self.stamp and data.get("folder") == folder
                        and data.get("files") == _listing_key(listing)):
                    first, last = (dt.date.fromordinal(d) for d in data["month"])
                    self.used += 1
                    rows_file, key = self._file(folder, ".rows"), data["rows"]
                    return Folder(shown, first, last, lambda: _rows_of(rows_file, key),
                                  data["lumps"], data["count"], data["spill"]), listing
        return None, _listing(folder)  # stale or none: judged as the loader will read it

    def write(self, folder: str, listing: list[list[Any]], entries: list[Entry],
              month: tuple[dt.date, dt.date]) -> None:
        """Keep the digest of a folder just read whole and without an error (never raises);
        a folder holding an official record is always read whole (its warnings name lines)."""
        from ngoaivu_cli.log.replay import keep, prepare, seal, write_errors

        if any(e.official is not None for e in entries):
            return
        if not self.covers(folder) or _listing(folder) != listing:
            return  # changed while it was read
        encoded = [_encode(e) for e in entries]
        rows = json.dumps(encoded, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8", "surrogatepass")
        last = month[1].toordinal()
        data = {"stamp": self.stamp, "folder": folder, "files": _listing_key(listing),
                "month": [month[0].toordinal(), last], "count": len(entries),
                "rows": hashlib.blake2b(rows, digest_size=16).hexdigest(),
                "lumps": _lumps(entries),
                "spill": [r for r in encoded if (r[5] or r[4] or 0) > last]}
        try:
            sealed_rows = seal(rows)
            sealed = seal(json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                          .encode("utf-8", "surrogatepass"))
            if sealed is None or sealed_rows is None:
                return
            prepare(self.folder, self.config.root)
            keep(self._file(folder, ".rows"), sealed_rows, self.config.root)  # the rows
            keep(self._file(folder), sealed, self.config.root)  # first: the digest names them
            self.written += 1
        except write_errors():
            return


# row:  [file name, line, col, index, date ordinal, end ordinal, category, unit, status, tags,
#        partners, metrics [[name, value]]]
# lump: [category, unit, status, tags, entries, metrics [[name, int or decimal text]], partners]


def _rows_of(path: Path, key: str) -> list[list[Any]] | None:
    """The rows a digest names by their hash; None when absent, foreign or another version."""
    from ngoaivu_cli.log.replay import read_sealed

    payload = read_sealed(path)
    if payload is None or hashlib.blake2b(payload, digest_size=16).hexdigest() != key:
        return None
    try:
        rows = json.loads(payload.decode("utf-8", "surrogatepass"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return rows if isinstance(rows, list) else None


def _encode(e: Entry) -> list[Any]:
    return [os.path.basename(e.loc.path), e.loc.line, e.loc.col, e.index,
            e.date.toordinal() if e.date else None, e.end.toordinal() if e.end else None,
            e.category, e.unit, e.status, list(e.tags), list(e.partners),
            [list(m) for m in e.metrics]]


def exact(value: Any) -> Any:
    """A metric value for exact summing: an int as is, a decimal number as the
    :class:`~decimal.Decimal` of the digits it was written with."""
    return Decimal(repr(value)) if type(value) is float else value


def _number(value: Any) -> Any:
    return Decimal(value) if isinstance(value, str) else value


def _lumps(entries: list[Entry]) -> list[list[Any]]:
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for e in entries:
        key = (e.category, e.unit, e.status, e.tags)
        g = groups.get(key)
        if g is None:
            g = groups[key] = [0, {}, {}]
        g[0] += 1
        for name, value in e.metrics:
            g[1][name] = g[1].get(name, 0) + exact(value)
        for partner in e.partners:
            g[2][partner] = None
    return [[c, u, s, list(t), n, [[k, str(v) if isinstance(v, Decimal) else v]
                                   for k, v in sums.items()], list(partners)]
            for (c, u, s, t), (n, sums, partners) in groups.items()]


def _decode(folder: str, rows: list[list[Any]]) -> list[Row]:
    out: list[Row] = []
    fromordinal = dt.date.fromordinal
    shown: dict[str, str] = {}
    for name, line, col, index, date, end, category, unit, status, tags, partners, metrics \
            in rows:
        path = shown.get(name)
        if path is None:
            path = shown[name] = f"{folder}/{name}" if folder else name
        out.append(Row(SourceLoc(path, line, col), index,
                       None if date is None else fromordinal(date),
                       None if end is None else fromordinal(end), category, unit, status,
                       tuple(tags), tuple(partners), tuple((n, v) for n, v in metrics)))
    return out


def _month_of(listing: list[list[Any]]) -> tuple[dt.date, dt.date] | None:
    """The calendar month every file of a folder is named in; None when they are not one."""
    import calendar

    from ngoaivu_cli.log.logtree import FILE_NAME_RE

    months = {FILE_NAME_RE.match(item[0])[0][:7] for item in listing}  # type: ignore[index]
    if len(months) != 1:
        return None
    y, m = (int(x) for x in next(iter(months)).split("-"))
    if not 1 <= m <= 12 or y < 1:
        return None
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


class DigestPool:
    """What the scopes of one report read: the folders of their day ranges, each from its
    digest (or read whole and digested now), and the files of folders that cannot have one;
    :meth:`window` gives the entries (rows, lumps) of one scope's window. Raises
    :class:`~ngoaivu_cli.errors.DataError` for an error in any file a range reads, as
    reading the files would."""

    def __init__(self, config: Config, ranges: list[tuple[dt.date, dt.date]],
                 base: Path | None = None) -> None:
        from ngoaivu_cli.errors import DataError, Problem
        from ngoaivu_cli.log.cache import open_cache
        from ngoaivu_cli.log.loader import load_files
        from ngoaivu_cli.log.logtree import Window, find_names, sort_names
        from ngoaivu_cli.safeio import excerpt_lines
        from ngoaivu_cli.selection import require_log
        from ngoaivu_cli.validate import attach_excerpts, validate_entries

        base = base or Path.cwd()
        require_log(config, base)
        self.lookback = dt.timedelta(days=config.max_activity_days)
        digests = Digests(config)
        cache = open_cache(config.root)
        self.folders: dict[str, Folder | list[Entry] | None] = {}
        self.rest: list[Entry] = []
        seen: set[tuple[str, int]] = set()
        for start, end in ranges:
            window = Window(start, end, config.max_activity_days)
            folders = _month_folders(config.data_dir, window)
            problems: list[Problem] = []
            rest: list[str] = []
            if folders is None:  # files or folders besides data/YYYY/MM: the loader's walk
                names, problems = find_names([config.data_dir], window, base)
                walked: dict[str, list[str] | None] = {}
                for name in names:
                    walked.setdefault(os.path.dirname(name), []).append(name)  # type: ignore[union-attr]
                folders = walked
            for parent, files in folders.items():
                real = os.path.realpath(parent)
                if real not in self.folders:
                    got = self.folders[real] = _folder(digests, real, parent, base, cache,
                                                       config)
                    if isinstance(got, Folder):
                        got.reread = functools.partial(_reread, parent, base, cache,
                                                       config.root)
                if self.folders[real] is None:
                    if files is None:  # as the loader's walk reads it (a subfolder too)
                        files, more = find_names([Path(parent)], window, base, config.root)
                        problems.extend(more)
                    rest.extend(files)
            loaded = load_files(sort_names(rest), base, cache, config.root)
            problems += loaded.problems + validate_entries(loaded.entries, config)
            if config.sources:  # the same window in every source, as load_window reads it
                from ngoaivu_cli.sources import load_sources

                from_sources = load_sources(config, window, base)
                problems += from_sources.problems  # (a source skipped was said already)
                loaded.extend(from_sources)
            errors = [p for p in problems if p.is_error]
            if errors:
                raise DataError.shown(errors, functools.partial(
                    attach_excerpts, read=excerpt_lines(base, config.root)))
            for e in loaded.entries:
                if (e.loc.path, e.index) not in seen:
                    seen.add((e.loc.path, e.index))
                    self.rest.append(e)
        self.digests = digests

    @property
    def count(self) -> int:
        """How many entries were read (a folder's digest counts its entries)."""
        return len(self.rest) + sum(f.count if isinstance(f, Folder) else len(f)
                                    for f in self.folders.values() if f is not None)

    def window(self, start: dt.date, end: dt.date, lumps: bool = True) -> list[Any]:
        """The entries of ``start..end`` (those overlapping it): a folder whose month the
        window holds whole gives its lumps (with ``lumps``), another its rows that overlap."""
        out: list[Any] = []
        reach = start - self.lookback
        for f in self.folders.values():
            if f is None:
                continue
            if isinstance(f, list):
                out.extend(e for e in f if overlaps(e, start, end))
            elif f.last < reach or f.first > end:
                continue
            elif f.last < start:  # a folder of the look-back: what lasts into the window
                out.extend(r for r in f.spill() if overlaps(r, start, end))
            elif lumps and start <= f.first and f.last <= end:
                out.extend(f.lumps())
            else:
                rows: list[Any] | None = f.rows()
                if rows is None:  # its rows file is gone: the files, unchanged since listed
                    rows = f.reread()
                out.extend(r for r in rows if overlaps(r, start, end))
        out.extend(e for e in self.rest if overlaps(e, start, end))
        return out


def _month_folders(data_dir: Path, window: Any) -> dict[str, list[str] | None] | None:
    """The ``data/YYYY/MM`` folders a window's files may be in (their files not listed yet:
    None), and the files straight in a year's folder (plans of a month or a quarter, listed),
    as the loader's walk would find them; None when ``data/`` holds anything else it would
    read (a file straight in ``data/``, another folder), which the walk then finds."""
    from ngoaivu_cli.log.logtree import YAML_SUFFIXES, name_date

    lo = window.start - dt.timedelta(days=window.lookback_days)
    first, last = lo.year * 12 + lo.month - 1, window.end.year * 12 + window.end.month - 1
    out: dict[str, list[str] | None] = {}

    def odd(entry: os.DirEntry[str]) -> bool:  # read by the walk, and no month folder
        return not entry.is_dir(follow_symlinks=False) and entry.name.lower().endswith(
            YAML_SUFFIXES)

    def linked_folder(entry: os.DirEntry[str]) -> bool:  # the walk says it is not followed
        return entry.is_symlink() and entry.is_dir()

    try:
        with os.scandir(data_dir) as years:
            for y in sorted(years, key=lambda e: e.name):
                if y.name.startswith("."):
                    continue
                if not y.is_dir(follow_symlinks=False):
                    if odd(y) or linked_folder(y):
                        return None
                    continue
                if not (len(y.name) == 4 and y.name.isascii() and y.name.isdigit()):
                    return None
                if not lo.year <= int(y.name) <= window.end.year:
                    continue
                with os.scandir(y.path) as months:
                    for m in sorted(months, key=lambda e: e.name):
                        if m.name.startswith("."):
                            continue
                        if not m.is_dir(follow_symlinks=False):
                            if linked_folder(m):
                                return None
                            if odd(m):  # a plan of a month or a quarter (2024-12-...yaml):
                                # read from its file, as the walk keeps it (an undated name
                                # always, a dated one in the window)
                                d = name_date(Path(m.name))
                                if d is None or window.keeps(d):
                                    loose = out.setdefault(y.path, [])
                                    assert loose is not None
                                    loose.append(m.path)
                            continue
                        if not (len(m.name) == 2 and m.name.isascii()
                                and m.name.isdigit()):
                            return None
                        if first <= int(y.name) * 12 + int(m.name) - 1 <= last:
                            out[os.path.join(str(data_dir), y.name, m.name)] = None
    except OSError:
        return None
    return out


def _window_files(parent: str, window: Any) -> list[str]:
    """The files of one folder the loader would read for ``window`` (as its walk chooses)."""
    from ngoaivu_cli.log.logtree import YAML_SUFFIXES, name_date

    out = []
    for name in sorted(os.listdir(parent)):
        if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
            continue
        d = name_date(Path(name))
        if d is None or window.keeps(d):
            out.append(os.path.join(parent, name))
    return out


def _reread(parent: str, base: Path, cache: Any, root: Path) -> list[Any]:
    from ngoaivu_cli.log.loader import load_files
    from ngoaivu_cli.log.logtree import sort_names

    return list(load_files(sort_names(_window_files(parent, _ALL)), base, cache, root).entries)


class _All:
    @staticmethod
    def keeps(_d: dt.date) -> bool:
        return True


_ALL = _All()


def _folder(digests: Digests, real: str, parent: str, base: Path, cache: Any,
            config: Config) -> Folder | list[Entry] | None:
    """One folder: its digest, or its entries read whole now (and digested); None when it
    cannot be (undated names, links, fresh files, not one month, an error in a file)."""
    from ngoaivu_cli.errors import display_path
    from ngoaivu_cli.log.loader import load_files
    from ngoaivu_cli.validate import validate_entries

    shown = display_path(Path(parent), base)
    folder, listing = digests.read(real, shown)
    if folder is not None:
        return folder
    month = _month_of(listing) if listing else None
    if listing is None or month is None:
        return None
    loaded = load_files([Path(parent, item[0]) for item in listing], base, cache, config.root)
    if any(p.is_error for p in loaded.problems) or any(
            p.is_error for p in validate_entries(loaded.entries, config)):
        return None
    digests.write(real, listing, loaded.entries, month)
    return loaded.entries


__all__ = ["DigestPool", "Digests", "Row", "config_stamp", "exact"]
