"""Errors and problems shared by every stage.

Data problems (a bad entry, a bad configuration key) are *values*: :class:`Problem`, collected
over a whole run so that one ``validate`` reports all of them. Exceptions are for when the tool
cannot go on; :mod:`ngoaivu_cli.cli` turns both into output and exit codes in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"

# The configuration file in use, as shown to the user (``cauhinh/so.yaml``, ``../ngoaivu.yaml``),
# set by ``load_config``; None for the shipped configuration alone. Messages and hints say
# "ngoaivu.yaml" for the file a user edits: :func:`name_config` puts the real name there.
CONFIG_SHOWN: ContextVar[str | None] = ContextVar("ngoaivu_config_shown", default=None)
# "ngoaivu.yaml" as a word, not the end of a path ("<mặc định>/ngoaivu.yaml", "x/ngoaivu.yaml")
_GENERIC_NAME = re.compile(r"(?<![\w/\\.<>-])ngoaivu\.yaml(?![\w.])")


def name_config(text: str | None) -> str | None:
    """``text`` with the generic "ngoaivu.yaml" replaced by the configuration file in use, when
    that file is another one (given with ``--config``, ``NGOAIVU_CONFIG``, or found in a parent
    folder)."""
    shown = CONFIG_SHOWN.get()
    if not text or shown is None or shown == "ngoaivu.yaml" or "ngoaivu.yaml" not in text:
        return text
    return _GENERIC_NAME.sub(lambda _m: shown, text)


@dataclass(frozen=True, order=True)
class SourceLoc:
    """A place in a file: path as shown to the user, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One data problem: where, which rule (stable code), what, and how to fix it."""

    loc: SourceLoc
    code: str
    message: str
    field: str = "-"
    hint: str | None = None
    severity: str = ERROR
    excerpt: str | None = None  # the offending source line, when known
    span: int = 1  # how many characters of the excerpt to mark

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.loc.path, self.loc.line, self.loc.col, self.code)

    def first_line(self) -> str:
        message = name_config(self.message) or ""
        return (f"{printable(_clip(str(self.loc), 300))}: {self.severity} {self.code}: "
                f"{printable(_clip(self.field, 80))}: "
                f"{printable(_clip(message, 400), keep_newlines=True)}")

    def format(self, *, excerpt: bool = True) -> str:
        """The human form: first line, optional excerpt with a marker, optional hint. The
        excerpt is a window of at most :data:`EXCERPT_WIDTH` characters around the column,
        with terminal control characters shown escaped."""
        lines = [self.first_line()]
        if excerpt and self.excerpt is not None:
            num = str(self.loc.line)
            pad = " " * len(num)
            text, col, span = excerpt_window(self.excerpt, self.loc.col, self.span)
            lines.append(f"{pad} |")
            lines.append(f"{num} | {text}")
            lines.append(f"{pad} | {' ' * (col - 1)}{'^' * max(1, span)}")
        if self.hint:
            lines.append(f"  = gợi ý: {printable(name_config(self.hint) or '', keep_newlines=True)}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.loc.path,
            "line": self.loc.line,
            "column": self.loc.col,
            "severity": self.severity,
            "code": self.code,
            "field": self.field,
            "message": name_config(self.message),
            "hint": name_config(self.hint),
        }


EXCERPT_WIDTH = 160  # characters of a source line quoted under a problem
MAX_PER_FILE = 50  # problems printed for one file; the rest are counted

# what a terminal would act on: C0 and C1 controls but tab and newline, DEL, and the bidi
# controls that reorder a line on screen (a file name can hold any of them)
_UNSAFE = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7f, 0xa0)) if c not in (9, 10)}
_UNSAFE.update({c: f"\\u{c:04x}" for c in (0x200e, 0x200f, *range(0x202a, 0x202f),
                                            *range(0x2066, 0x206a), 0x2028, 0x2029)})
_UNSAFE_NL = {**_UNSAFE, 10: "\\n"}


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` safe to print on a terminal: control characters (and newlines unless kept)
    shown as ``\\x1b``-style escapes."""
    return text.translate(_UNSAFE if keep_newlines else _UNSAFE_NL)


def excerpt_window(line: str, col: int, span: int,
                   width: int = EXCERPT_WIDTH) -> tuple[str, int, int]:
    """(the part of ``line`` shown, the marker's column in it, its width): at most ``width``
    characters around ``col``, cut ends shown as ``…``, control characters escaped."""
    start = 0
    end = len(line)
    if end > width:
        start = max(0, min(col - 1 - width // 3, end - width))
        end = start + width
    span = max(1, min(span, end - (col - 1))) if col - 1 < end else 1
    head = line[start:col - 1] if col - 1 >= start else ""
    marked = line[col - 1:col - 1 + span]
    tail = line[col - 1 + span:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(line) else ""
    head_p, marked_p = printable(head.replace("\t", " ")), printable(marked.replace("\t", " "))
    text = prefix + head_p + marked_p + printable(tail.replace("\t", " ")) + suffix
    return text, len(prefix) + len(head_p) + 1, max(1, len(marked_p))


def cap_per_file(problems: list[Problem], limit: int = MAX_PER_FILE) -> list[Problem]:
    """At most ``limit`` problems of each file (sorted), and for a file with more, one more
    line saying how many were left out ("và 9.990 lỗi khác")."""
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.loc.path] = counts.get(p.loc.path, 0) + 1
    if all(n <= limit for n in counts.values()):
        return problems
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for p in problems:
        n = seen[p.loc.path] = seen.get(p.loc.path, 0) + 1
        if n <= limit:
            out.append(p)
        elif n == limit + 1:
            rest = f"{counts[p.loc.path] - limit:,}".replace(",", ".")
            out.append(Problem(p.loc, "E-MORE", f"và {rest} lỗi khác trong tệp này (chỉ in "
                               f"{limit} lỗi đầu)", hint="sửa các lỗi trên rồi chạy lại",
                               severity=p.severity))
    return out


class NgoaivuError(Exception):
    """Base of every error the tool raises on purpose; the CLI prints its message, exit 1."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(NgoaivuError):
    """Raised when the command line itself is wrong (bad option value); exit status 2."""

    exit_code = 2


class PeriodError(UsageError):
    """Raised when a ``--period`` expression cannot be resolved to a real period."""


class ConfigError(NgoaivuError):
    """Raised when the configuration has problems; carries them as :class:`Problem` values."""

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        super().__init__(message or "cấu hình có lỗi")
        self.problems = problems


MAX_SHOWN = 200  # errors a command other than validate prints of a broken log


class DataError(NgoaivuError):
    """Raised when a command needs clean entries and the log has errors: ``problems`` to
    print, of ``total`` (a log broken through and through is ``validate``'s to list)."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        super().__init__("nhật ký có lỗi, hãy chạy `ngoaivu validate` và sửa trước khi lập báo cáo")
        self.problems = problems
        self.total = len(problems) if total is None else total

    @classmethod
    def shown(cls, errors: list[Problem],
              excerpts: Callable[[list[Problem]], list[Problem]]) -> DataError:
        """The error of ``errors`` (in any order): the first :data:`MAX_SHOWN` of them, sorted,
        given their excerpts by ``excerpts`` (the others are counted, not read again)."""
        errors = sorted(errors, key=Problem.sort_key)
        return cls(excerpts(errors[:MAX_SHOWN]), total=len(errors))


class OutputError(NgoaivuError):
    """Raised when an output file cannot be written (exists without --force, no permission)."""


class RenderError(NgoaivuError):
    """Raised when a template cannot be rendered (missing file, template syntax error); a
    template's own mistakes come as located ``E-TEMPLATE`` problems."""

    def __init__(self, message: str, *, hint: str | None = None,
                 problems: list[Problem] | None = None) -> None:
        super().__init__(message, hint=hint)
        self.problems = problems or []


class ToolMissingError(NgoaivuError):
    """Raised when an external program (LibreOffice) needed for an output is not installed."""


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as shown to the user: relative to ``base`` (or the working folder) with ``/``."""
    base = base or Path.cwd()
    try:
        rel = path.resolve().relative_to(base.resolve())
        return rel.as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        try:
            return path.absolute().relative_to(base.absolute()).as_posix()
        except ValueError:
            return path.as_posix()


_OS_REASONS = {
    "ENOENT": "không có tệp hoặc thư mục này",
    "EACCES": "không có quyền truy cập",
    "EPERM": "không được phép",
    "ENOSPC": "ổ đĩa đã đầy",
    "EDQUOT": "đã hết hạn mức dung lượng",
    "EFBIG": "tệp vượt giới hạn kích thước được phép ghi",
    "EROFS": "ổ đĩa chỉ cho đọc",
    "EISDIR": "đây là một thư mục, không phải tệp",
    "ENOTDIR": "một phần của đường dẫn không phải thư mục",
    "EEXIST": "đã có",
    "ENAMETOOLONG": "tên quá dài",
    "ELOOP": "vòng liên kết tượng trưng (symlink)",
    "EBUSY": "tệp đang được chương trình khác dùng",
    "ETXTBSY": "tệp đang được chương trình khác dùng",
    "EMFILE": "mở quá nhiều tệp cùng lúc",
    "EIO": "lỗi đọc/ghi của ổ đĩa",
    "EXDEV": "không chuyển được sang ổ đĩa khác",
    "EINVAL": "tên hoặc giá trị không hợp lệ",
    "ENXIO": "không mở được: không phải tệp thường (socket, hoặc thiết bị không có)",
    "ENODEV": "không mở được: thiết bị không có",
}


def os_reason(exc: OSError) -> str:
    """The reason of an operating-system error in Vietnamese (``exc.strerror`` is English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name) or exc.strerror or str(exc)
