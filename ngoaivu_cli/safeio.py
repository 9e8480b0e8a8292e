"""Bounded, typed reads: every file the tool reads from a log repository goes through here.

A repository may hold a FIFO, a device, a link to ``/dev/zero`` or a huge file where a
configuration, a template, a ``documents/`` file, an entry or a cache record is expected.
Each is opened with ``O_NONBLOCK`` (a FIFO never waits for a writer), must be a regular file,
and is read only up to a limit; anything else is an :class:`OSError` the caller reports.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from ngoaivu_cli.errors import Problem, SourceLoc

# O_NONBLOCK: opening a FIFO must not wait for a writer (it is then refused as not regular)
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_CLOEXEC", 0))
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # tells, for free, whether the path is a link

MAX_CONFIG_BYTES = 2_000_000  # a configuration: a few kilobytes
MAX_DOCUMENT_BYTES = 1_000_000  # a documents/ file: some paragraphs
MAX_TEMPLATE_BYTES = 20_000_000  # a DOCX template (with a logo) or a Markdown template
MAX_CACHE_BYTES = 256_000_000  # one cache file (a folder of a large log)
MAX_EXCERPT_SOURCE = 1_000_000  # a file read again to quote its lines


class NotARegularFile(OSError):
    """Raised for a directory, FIFO, socket or device met where a file was expected."""


class LinkOutside(OSError):
    """Raised, before anything is read, for a symbolic link that leads outside the folder the
    file must stay in (a log repository's ``data/x.yaml`` → ``~/.ssh/id_rsa``)."""


class FileTooLarge(OSError):
    """Raised when a file is over the limit of what it is (see :func:`read_bytes`)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, "tệp quá lớn")
        self.size = size
        self.limit = limit

    def __str__(self) -> str:
        # the Vietnamese thousands separator is the dot; the comma of the sentence stays
        size, limit = (f"{n:,}".replace(",", ".") for n in (self.size, self.limit))
        return f"tệp quá lớn ({size} byte; loại tệp này tối đa {limit} byte)"


def read_raw(path: Path | str, limit: int, confine: Path | None = None
             ) -> tuple[os.stat_result, bytes | None, int, bool | None]:
    """(stat taken before reading, the bytes or None when over ``limit``, when the read
    ended, whether ``path`` is a symbolic link if known): one open, one fstat, one read for a
    small file. Raises :class:`NotARegularFile` for anything but a regular file, and, with
    ``confine``, :class:`LinkOutside` for a link under ``confine`` that leads out of it."""
    is_link: bool | None = None
    if _NOFOLLOW:
        try:
            fd = os.open(path, _OPEN_FLAGS | _NOFOLLOW)
            is_link = False
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.EMLINK):  # EMLINK: FreeBSD's way
                raise
            _check_link(path, confine)
            fd = os.open(path, _OPEN_FLAGS)  # a link (or a loop, which fails again here)
            is_link = True
    else:  # pragma: no cover - Windows
        if os.path.islink(path):
            _check_link(path, confine)
        fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(errno.EINVAL, "không phải tệp thường", str(path))
        if st.st_size > limit:
            return st, None, 0, is_link
        chunks = [os.read(fd, st.st_size + 1)]
        total = len(chunks[0])
        # a short read before the size fstat gave, or a file that grew: read on to the end
        while total != st.st_size and chunks[-1] and total <= limit:
            chunks.append(os.read(fd, 65536))
            total += len(chunks[-1])
        read_ns = time.time_ns()
    finally:
        os.close(fd)
    if total > limit:
        return st, None, 0, is_link
    return st, chunks[0] if len(chunks) == 1 else b"".join(chunks), read_ns, is_link


def _check_link(path: Path | str, confine: Path | None) -> None:
    from ngoaivu_cli.confine import escapes

    if confine is not None and escapes(confine, Path(path)):
        raise LinkOutside(errno.EXDEV, "liên kết ra ngoài kho nhật ký", str(path))


def read_bytes(path: Path | str, limit: int, confine: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; else an OSError
    (:class:`NotARegularFile`, :class:`FileTooLarge`, :class:`LinkOutside` with ``confine``,
    or the system's own)."""
    st, raw, _ns, _link = read_raw(path, limit, confine)
    if raw is None:
        raise FileTooLarge(st.st_size, limit)
    return raw


def read_text_bounded(path: Path | str, *, limit: int = MAX_TEMPLATE_BYTES,
                      what: str = "tệp") -> str:
    """A bounded regular file decoded as UTF-8 (a BOM is allowed); a decoding error is an
    OSError naming ``what`` so callers report it like any unreadable file."""
    raw = read_bytes(path, limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OSError(errno.EILSEQ, f"{what} không phải UTF-8", str(path)) from None


def reason(exc: OSError) -> str:
    """Why a bounded read failed, in Vietnamese."""
    from ngoaivu_cli.errors import os_reason

    if isinstance(exc, FileTooLarge):
        return str(exc)
    if isinstance(exc, LinkOutside):
        return "liên kết tượng trưng (symlink) trỏ ra ngoài kho nhật ký (không đọc)"
    if isinstance(exc, NotARegularFile | IsADirectoryError):
        return "không phải tệp thường (thư mục, FIFO hay thiết bị)"
    if exc.errno == errno.EILSEQ:
        return exc.strerror or "không phải UTF-8"
    return os_reason(exc)


def decode_utf8(raw: bytes, shown: str) -> tuple[str, Problem | None]:
    """Strict UTF-8 (a BOM is allowed); the problem points at the first bad byte's line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start: exc.start].decode("utf-8", errors="replace")) + 1  # characters
        guess = "UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "Windows-1258/TCVN3/VNI"
        return "", Problem(SourceLoc(shown, line, col), "E-ENCODING",
                           f"tệp không phải UTF-8 (byte 0x{raw[exc.start]:02X} không hợp lệ)",
                           hint=f"có thể tệp được lưu bằng bảng mã {guess}; mở bằng trình soạn "
                                "thảo và lưu lại với mã hóa UTF-8")
    if "\x00" in text:
        return "", Problem(SourceLoc(shown), "E-ENCODING", "tệp chứa ký tự NUL (tệp nhị phân?)",
                           hint="tệp hoạt động phải là văn bản YAML lưu bằng UTF-8")
    return text, None


def excerpt_lines(base: Path, root: Path | None = None) -> Callable[[str], list[str] | None]:
    """A reader of the lines of a shown file (relative to ``base``), to quote; a link under ``root`` that leads outside is never
    opened (its problem is E-LINK-OUTSIDE, without an excerpt)."""

    def read(shown: str) -> list[str] | None:
        path = Path(shown)
        if not path.is_absolute():
            path = base / path
        try:
            raw = read_bytes(path, MAX_EXCERPT_SOURCE, root)
            return raw.decode("utf-8", "replace").splitlines()
        except OSError:
            return None

    return read
