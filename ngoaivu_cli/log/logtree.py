"""Finding the log's files: every ``*.yaml`` under the paths given, sorted, and for a period only
the ``YYYY``/``YYYY/MM`` folders and ``YYYY-MM-DD-*.yaml`` files its window can hold (so a report
costs what its period costs, not what the history costs). Unreadable folders are problems."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ngoaivu_cli.errors import Problem, SourceLoc, display_path, os_reason
from ngoaivu_cli.records import record

FILE_NAME_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml\Z")
YAML_SUFFIXES = (".yaml", ".yml")


@record(frozen=True)
class Window:
    """Only files whose name date is in ``[start - lookback, end]`` are read (misnamed: always)."""

    start: dt.date
    end: dt.date  # inclusive
    lookback_days: int = 31

    def keeps(self, d: dt.date) -> bool:
        return self.start - dt.timedelta(days=self.lookback_days) <= d <= self.end


def name_date(path: Path) -> dt.date | None:
    """The date in a file name ``YYYY-MM-DD-<slug>.yaml``, or None when the name does not follow it."""
    return _name_date(path.name)


def _name_date(name: str) -> dt.date | None:
    m = FILE_NAME_RE.match(name)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def find_files(paths: Iterable[Path], window: Window | None = None,
               base: Path | None = None, confine: Path | None = None
               ) -> tuple[list[Path], list[Problem]]:
    """YAML files under ``paths``, sorted; unreadable folders become problems, never silence.
    With ``confine`` (the log's root), a path under it that leads outside through a link
    (``data`` → ``~/.config``) is ``E-LINK-OUTSIDE`` and is not walked."""
    found, problems = find_names(paths, window, base, confine)
    return sort_names(found), problems


def find_names(paths: Iterable[Path], window: Window | None = None,
               base: Path | None = None, confine: Path | None = None,
               links: set[str] | None = None, folders: list[str] | None = None
               ) -> tuple[list[str], list[Problem]]:
    """:func:`find_files` as path strings in walk order (the same order on every run, but
    not sorted): what a check that nothing changed needs, without building Path objects.
    ``links``, when given, receives those of the strings that are symbolic links (the walk
    knows it without asking the system again); ``folders``, the folders listed."""
    from ngoaivu_cli.confine import escapes

    found: list[str] = []
    problems: list[Problem] = []
    for root in paths:
        if confine is not None and escapes(confine, root):
            problems.append(Problem(SourceLoc(display_path(root, base)), "E-LINK-OUTSIDE",
                                    "đường dẫn đi qua liên kết tượng trưng (symlink) ra ngoài "
                                    "kho nhật ký: không đọc",
                                    hint="chép các tệp vào kho thay cho liên kết"))
            continue
        if root.is_file():
            found.append(str(root))
            if links is not None and os.path.islink(root):
                links.add(str(root))
            continue
        if not root.exists():
            what = "tệp" if root.suffix.lower() in YAML_SUFFIXES else "tệp hoặc thư mục"
            problems.append(Problem(SourceLoc(display_path(root, base)), "E-READ",
                                    f"không tìm thấy {what}", hint="kiểm tra lại đường dẫn"))
            continue
        found.extend(_walk(root, window, base, problems, links, folders))
    return found, problems


def sort_names(found: list[str]) -> list[Path]:
    """Path strings from :func:`find_names` as sorted, distinct Path objects."""
    return [Path(text) for text in sort_strings(found)]


def sort_strings(found: list[str]) -> list[str]:
    """:func:`sort_names` as strings (a Path object costs about 400 bytes; a log of 100,000
    files is sorted in the memory of its path strings)."""
    prefixes = {text.partition(os.sep)[0] for text in found}
    if len(prefixes) <= 1 and len(set(found)) == len(found):
        # one tree: every path starts with the same root, so ordering by the parts (the
        # separator sorting before any character a name can hold) is the order of Path
        # objects, at a fraction of the cost; a walk of YYYY/MM folders is in that order
        # already, and sorting would hold a second string of every path
        return found if in_order(map(_parts_order, found)) else sorted(found, key=_parts_order)
    # several roots: the same file reached two ways (`data` and `$PWD/data`) is read once
    unique: dict[str, str] = {}
    for text in found:
        unique.setdefault(os.path.realpath(text), text)
    return sorted(unique.values(), key=_path_order)


def in_order(keys: Iterable[str]) -> bool:
    """Whether ``keys`` never decrease (looked at one by one, none kept)."""
    keys = iter(keys)
    last = next(keys, None)
    for key in keys:
        if key < last:  # type: ignore[operator]
            return False
        last = key
    return True


def _parts_order(text: str) -> str:
    return text.replace(os.sep, "\0")  # no file name holds a NUL


def _path_order(text: str) -> tuple[str, ...]:
    return Path(text).parts  # the order of Path objects, without a Python call per comparison


def _walk(root: Path, window: Window | None, base: Path | None,
          problems: list[Problem], links: set[str] | None = None,
          folders: list[str] | None = None) -> list[str]:
    out: list[str] = []

    def onerror(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        problems.append(Problem(SourceLoc(display_path(where, base)), "E-READ",
                                f"không đọc được thư mục: {os_reason(exc)}",
                                hint="kiểm tra quyền truy cập thư mục"))

    def too_deep(path: str) -> None:
        problems.append(Problem(SourceLoc(display_path(Path(path), base)), "E-FOLDER-DEPTH",
                                f"thư mục lồng quá sâu (hơn {MAX_DEPTH:,} cấp dưới "
                                f"{root.name or root}/): không đọc thư mục này".replace(",", "."),
                                hint="để các tệp hoạt động trong data/YYYY/MM/; xóa hoặc "
                                     "chuyển các thư mục lồng nhau này"))

    join = os.path.join
    for dirpath, dirnames, filenames, linked, dir_links in scan_tree(os.fspath(root), onerror,
                                                                 too_deep):
        if folders is not None:
            folders.append(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if window is not None:
            dirnames[:] = [d for d in dirnames if _dir_in_window(Path(dirpath), d, window)]
        for name in dirnames:
            if name in dir_links:  # never followed: said, not skipped in silence
                parent = display_path(Path(dirpath), base)  # the link's name, not its target
                problems.append(Problem(
                    SourceLoc(name if parent == "." else f"{parent}/{name}"), "E-LINK-FOLDER",
                    "thư mục là liên kết tượng trưng (symlink): ngoaivu không đi theo liên "
                    "kết thư mục, các hoạt động trong đó không được đọc",
                    hint="thay liên kết bằng thư mục thật (chuyển hoặc chép các tệp vào "
                         "đây), hoặc xóa liên kết"))
        for name in sorted(filenames):
            # the suffix in any case: `.YAML` from Windows tools is read (and warned about)
            if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
                continue
            if window is not None:
                d = _name_date(name)
                if d is not None and not window.keeps(d):
                    continue
            out.append(join(dirpath, name))
            if links is not None and name in linked:
                links.add(out[-1])
    return out


MAX_DEPTH = 64  # folders below the top of a walk (data/YYYY/MM is 2)


def scan_tree(top: str, onerror: Callable[[OSError], None],
          too_deep: Callable[[str], None] | None = None
          ) -> Iterator[tuple[str, list[str], list[str], set[str], set[str]]]:
    """``os.walk(top, onerror=onerror)`` (top down, links to folders listed but not followed;
    the caller may prune ``dirnames``), with the names of the files and of the folders that
    are symbolic links, which the listing tells without another system call. A loop, not a
    recursion: a tree thousands of folders deep is walked down to :data:`MAX_DEPTH` folders
    below ``top``; each folder deeper than that is given to ``too_deep`` and not walked."""
    stack: list[tuple[str, int]] = [(top, 0)]
    join = os.path.join
    while stack:
        path, depth = stack.pop()
        if depth > MAX_DEPTH:
            if too_deep is not None:
                too_deep(path)
            continue
        try:
            listing = os.scandir(path)
        except OSError as exc:
            onerror(exc)
            continue
        dirs: list[str] = []
        files: list[str] = []
        linked: set[str] = set()
        dir_links: set[str] = set()
        broken = False
        with listing:
            while True:
                try:
                    entry = next(listing, None)
                except OSError as exc:
                    onerror(exc)
                    broken = True
                    break
                if entry is None:
                    break
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                try:
                    is_link = entry.is_symlink()
                except OSError:
                    is_link = False
                (dirs if is_dir else files).append(entry.name)
                if is_link:
                    (dir_links if is_dir else linked).add(entry.name)
        if broken:
            continue
        yield path, dirs, files, linked, dir_links
        # the folders the caller kept, in their order: the last pushed is walked first
        stack.extend((join(path, name), depth + 1) for name in reversed(dirs)
                     if name not in dir_links)


_FOLDER_YEAR_RE = re.compile(r"\d{4}\Z")
_FOLDER_MONTH_RE = re.compile(r"\d{2}\Z")


def _dir_in_window(parent: Path, name: str, window: Window) -> bool:
    """Prune ``YYYY`` and ``YYYY/MM`` folders that cannot hold a file of the window."""
    lo = window.start - dt.timedelta(days=window.lookback_days)
    if _FOLDER_YEAR_RE.match(name):
        return lo.year <= int(name) <= window.end.year
    if _FOLDER_MONTH_RE.match(name) and _FOLDER_YEAR_RE.match(parent.name):
        month = int(parent.name) * 12 + int(name) - 1
        return lo.year * 12 + lo.month - 1 <= month <= window.end.year * 12 + window.end.month - 1
    return True
