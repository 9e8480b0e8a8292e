"""What a long-running process (``ngoaivu serve``) keeps in memory between requests: the files
of a period's window, as :func:`~ngoaivu_cli.log.loader.load_paths` loaded them.

A window is kept from the second time it is loaded in the process (a command loads its window
once and pays nothing). Its entries are given again only while nothing it was made of has
changed: every folder the walk listed and every file it found (those the look-back left unread
too) have the same stamp — size, modification and change time, inode (``os.lstat``) — as when
it was kept. A change made outside (an editor, ``git pull``, a copy that keeps the old
modification time: the change time still moves) is seen on the next load; so is a file added
or removed (its folder's times change). A window whose folders or files were changed within
two seconds of the load (:data:`~ngoaivu_cli.log.replay.RACY_NS`: a change within the same
clock tick could not be told) is not kept, nor one with a link among its files (a link's stamp
says nothing of its target), a problem in the walk, or too many files. ``NGOAIVU_NO_CACHE=1``
turns it off, as the other caches.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from ngoaivu_cli.errors import Problem
from ngoaivu_cli.locate import cache_enabled
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.log.loader import (
    LoadResult,
    ResultCache,
    confined_to,
    gc_paused,
    load_files,
    load_one,
    may_reach,
    shown_paths,
)
from ngoaivu_cli.log.logtree import Window, find_names, sort_names

MAX_WINDOWS = 16  # windows kept (the least recently used goes first)
MAX_FILES = 20_000  # a window of more files (a year of a big log, the whole log) is not kept

Key = tuple[str, Window, str, str]
Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


class _Kept:
    __slots__ = ("checked", "result", "stamps")

    def __init__(self, result: LoadResult, stamps: list[tuple[str, Stamp]]) -> None:
        self.result, self.stamps = result, stamps
        self.checked: tuple[object, list[Problem]] | None = None  # (owner, check's problems)


_lock = threading.Lock()
_kept: OrderedDict[Key, _Kept] = OrderedDict()
_seen: set[Key] = set()


def load_window_files(data_dir: Path, window: Window, base: Path,
                      cache: ResultCache | None, root: Path | None,
                      check: Callable[[list[Entry]], list[Problem]], owner: object
                      ) -> tuple[LoadResult, list[Problem]]:
    """``load_paths([data_dir], window, base, cache, root)`` and ``check`` of its entries
    (the rules of ``validate``, which depend on the entries and on ``owner``, the
    configuration, alone), from memory when nothing the load read has changed since and
    ``owner`` is the same object (see the module's text). The result is the caller's own (its
    lists are copies)."""
    key: Key = (str(data_dir), window, str(base), str(root))
    with _lock:
        kept = _kept.get(key)
        seen = key in _seen
        _seen.add(key)
    if kept is not None and _unchanged(kept.stamps):
        with _lock:
            if key in _kept:
                _kept.move_to_end(key)
        checked = kept.checked
        if checked is None or checked[0] is not owner:
            checked = kept.checked = (owner, check(list(kept.result.entries)))
        return _copy(kept.result), list(checked[1])
    started = time.time_ns()
    folders: list[str] = []
    names, problems = find_names([data_dir], window, base, root,
                                 folders=folders if seen else None)
    files = sort_names(names)
    with confined_to(root):
        files = [path for path in files if may_reach(path, window)]
        result = load_files(files, base, cache, root)
    result.problems[:0] = problems
    found = check(result.entries)
    if seen and cache_enabled() and not problems and len(names) <= MAX_FILES:
        stamps = _stamps(folders, names, started)
        with _lock:
            if stamps is None:
                _kept.pop(key, None)
            else:
                kept = _kept[key] = _Kept(_copy(result), stamps)
                kept.checked = (owner, list(found))
                _kept.move_to_end(key)
                while len(_kept) > MAX_WINDOWS:
                    _kept.popitem(last=False)
    return result, found


# the whole log's files, each with its stamp and a number made from its entries (the highest
# `order`, for scaffold.next_order): log root → {path: (stamp, number)}
_numbers: dict[tuple[str, str, str], dict[str, tuple[Stamp, int]]] = {}


def log_highest(data_dir: Path, base: Path, root: Path | None, cache: ResultCache | None,
                number: Callable[[list[Entry]], int]) -> int:
    """The highest ``number(entries of a file)`` over every file of the log (0 for none), as
    ``number(load_paths([data_dir], None, base, cache, root).entries)`` gives it for a
    ``number`` that is a maximum. A file is read again only when its stamp changed since the
    last call in this process (or was too fresh to trust): one walk and one ``lstat`` a file
    instead of reading the whole log (a server's every save, ``scaffold.next_order``)."""
    from ngoaivu_cli.log.replay import RACY_NS

    key = (str(data_dir), str(base), str(root))
    started = time.time_ns()
    names, _problems = find_names([data_dir], None, base, root)
    with _lock:
        known = _numbers.get(key, {})
    kept: dict[str, tuple[Stamp, int]] = {}
    highest = 0
    todo: list[str] = []
    for name in names if known else ():  # the first time, the reads give the stamps
        try:
            st = os.lstat(name)
        except OSError:
            todo.append(name)
            continue
        was = known.get(name)
        if was is not None and was[0] == _stamp(st) and stat.S_ISREG(st.st_mode):
            kept[name] = was
            highest = max(highest, was[1])
        else:
            todo.append(name)
    if not known:
        todo = names
    if todo:
        with shown_paths(base), gc_paused(), confined_to(root):
            for name in todo:
                loaded = load_one(name, base, cache)
                value = number(loaded.entries)
                highest = max(highest, value)
                # the stamp taken before the read (or now, for a result from the parse
                # cache, which checked it); a link (its target may change) or a file too
                # fresh to trust is read again next time
                try:
                    lst = os.lstat(name)
                except OSError:
                    continue
                if not stat.S_ISREG(lst.st_mode):
                    continue
                got = loaded.stamp
                stamp = (got.size, got.mtime_ns, got.ctime_ns, got.ino) if got else _stamp(lst)
                if max(stamp[1], stamp[2]) < started - RACY_NS:
                    kept[name] = (stamp, value)
        if cache is not None:
            cache.save()
    if cache_enabled():
        with _lock:
            _numbers[key] = kept
    return highest


def forget() -> None:
    """Drop every window kept (tests; a process that wants its memory back)."""
    with _lock:
        _kept.clear()
        _seen.clear()
        _numbers.clear()


def _copy(result: LoadResult) -> LoadResult:
    # entries and problems are frozen: the lists are the caller's, the objects shared
    return LoadResult(list(result.entries), list(result.problems), result.files,
                      skipped=list(result.skipped))


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _stamps(folders: list[str], files: list[str], started: int
            ) -> list[tuple[str, Stamp]] | None:
    """The stamps of the folders and files a load used, taken after it: None when one of
    them changed less than two seconds before the load began (it may have changed during the
    load, or again within the same clock tick), is a link, or cannot be looked at."""
    from ngoaivu_cli.log.replay import RACY_NS

    limit = started - RACY_NS
    out: list[tuple[str, Stamp]] = []
    for path, folder in [*((f, True) for f in folders), *((f, False) for f in files)]:
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not (stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)):
            return None
        if max(st.st_mtime_ns, st.st_ctime_ns) >= limit:
            return None
        out.append((path, _stamp(st)))
    return out


def _unchanged(stamps: list[tuple[str, Stamp]]) -> bool:
    lstat = os.lstat
    try:
        for path, was in stamps:
            st = lstat(path)
            if (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != was:
                return False
    except OSError:
        return False
    return True


__all__ = ["MAX_FILES", "MAX_WINDOWS", "forget", "load_window_files", "log_highest"]
