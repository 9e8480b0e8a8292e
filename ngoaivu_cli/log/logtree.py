"""Finding the log's files: every ``*.yaml`` under the paths given, sorted, and for a period only
the ``YYYY``/``YYYY/MM`` folders and ``YYYY-MM-DD-*.yaml`` files its window can hold (so a report
costs what its period costs, not what the history costs). Unreadable folders are problems."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ngoaivu_cli.errors import Problem, SourceLoc, display_path, os_reason

FILE_NAME_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml\Z")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
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
               base: Path | None = None, confine: Path | None = None
               ) -> tuple[list[str], list[Problem]]:
    """:func:`find_files` as path strings in walk order (the same order on every run, but
    not sorted): what a check that nothing changed needs, without building Path objects."""
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
            continue
        if not root.exists():
            what = "tệp" if root.suffix.lower() in YAML_SUFFIXES else "tệp hoặc thư mục"
            problems.append(Problem(SourceLoc(display_path(root, base)), "E-READ",
                                    f"không tìm thấy {what}", hint="kiểm tra lại đường dẫn"))
            continue
        found.extend(_walk(root, window, base, problems))
    return found, problems


def sort_names(found: list[str]) -> list[Path]:
    """Path strings from :func:`find_names` as sorted, distinct Path objects."""
    prefixes = {text.partition(os.sep)[0] for text in found}
    if len(prefixes) <= 1 and len(set(found)) == len(found):
        # one tree: every path starts with the same root, so ordering by the split string is
        # the order of Path objects, at a fraction of the cost
        found = sorted(found, key=lambda text: text.split(os.sep))
        return [Path(text) for text in found]
    # several roots: the same file reached two ways (`data` and `$PWD/data`) is read once
    unique: dict[str, Path] = {}
    for text in found:
        unique.setdefault(os.path.realpath(text), Path(text))
    return sorted(unique.values(), key=_path_order)


def _path_order(path: Path) -> tuple[str, ...]:
    return path.parts  # the order of Path objects, without a Python call per comparison


def _walk(root: Path, window: Window | None, base: Path | None,
          problems: list[Problem]) -> list[str]:
    out: list[str] = []

    def onerror(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        problems.append(Problem(SourceLoc(display_path(where, base)), "E-READ",
                                f"không đọc được thư mục: {os_reason(exc)}",
                                hint="kiểm tra quyền truy cập thư mục"))

    join = os.path.join
    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if window is not None:
            dirnames[:] = [d for d in dirnames if _dir_in_window(Path(dirpath), d, window)]
        for name in sorted(filenames):
            # the suffix in any case: `.YAML` from Windows tools is read (and warned about)
            if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
                continue
            if window is not None:
                d = _name_date(name)
                if d is not None and not window.keeps(d):
                    continue
            out.append(join(dirpath, name))
    return out


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
