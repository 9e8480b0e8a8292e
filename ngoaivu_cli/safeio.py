"""Bounded, typed reads and checked, atomic writes: every file the tool reads from a log
repository, and every file and folder it writes, goes through here.

A repository may hold a FIFO, a device, a link to ``/dev/zero`` or a huge file where a
configuration, a template, a ``documents/`` file, an entry or a cache record is expected.
Each is opened with ``O_NONBLOCK`` (a FIFO never waits for a writer), must be a regular file,
and is read only up to a limit; anything else is an :class:`OSError` the caller reports.

A repository may also hold a folder link where the tool writes: ``data/2023/08 -> /elsewhere``,
``schema -> ~/.config/autostart``, a committed ``bao-cao -> /srv/share``, or a
``.ngoaivu-cache -> data`` that would receive a ``.gitignore`` holding ``*``. :func:`write_atomic`
and :func:`make_dirs` open every folder of the path below the log's root one by one, relative
to the one before, without following a link (``O_NOFOLLOW`` on a folder descriptor, so a link
swapped in meanwhile is met too), and refuse a link there whether it leads out of the log or to
another of its folders (:class:`LinkInPath`). Above the log's root, and for a path the user
gives outside the log, the user's own links are followed; the written file itself never is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from ngoaivu_cli.errors import OutputError, Problem, SourceLoc, os_reason

# O_NONBLOCK: opening a FIFO must not wait for a writer (it is then refused as not regular)
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_CLOEXEC", 0))
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # tells, for free, whether the path is a link

MAX_CONFIG_BYTES = 2_000_000  # a configuration: a few kilobytes
MAX_DOCUMENT_BYTES = 1_000_000  # a documents/ file: some paragraphs
MAX_TEMPLATE_BYTES = 20_000_000  # a DOCX template (with a logo) or a Markdown template
MAX_CACHE_BYTES = 256_000_000  # one cache file (a folder of a large log)
MAX_EXCERPT_SOURCE = 1_000_000  # a file read again to quote its lines


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in words ("một FIFO (ống đặt tên)"): the one
    wording every message about a special file uses."""
    if stat.S_ISFIFO(mode):
        return "một FIFO (ống đặt tên)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một tệp thiết bị"
    if stat.S_ISSOCK(mode):
        return "một socket"
    if stat.S_ISDIR(mode):
        return "một thư mục"
    return "một tệp đặc biệt"


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


# --------------------------------------------------------------------------- checked writes

TMP_SUFFIX = ".ngoaivu-tmp"  # temporary files of a run: `.NAME.PID.RANDOM.ngoaivu-tmp`
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NEW_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
              | getattr(os, "O_BINARY", 0))
# folder descriptors and the *at calls: each folder is opened relative to the one before it
_AT = bool(_NOFOLLOW) and all(f in os.supports_dir_fd for f in (
    os.open, os.mkdir, os.stat, os.unlink, os.link, os.rename)) and os.scandir in os.supports_fd


class TargetTaken(OutputError):
    """The name is taken: a file (without ``--force``), a folder, a device or a FIFO."""


class LinkInPath(OutputError):
    """A folder on the way to a file to write, under the log's root, is a symbolic link."""


class TargetChanged(OutputError):
    """``--force``: the file to replace changed while the new one was being written."""


def _exists(path: Path) -> TargetTaken:
    return TargetTaken(f"tệp {path} đã có", hint="thêm --force để ghi đè, hoặc chọn tên khác "
                       "bằng -o")


def _shown(path: str) -> str:
    """An absolute path as the user sees it: relative to the working folder when under it
    (never resolved: a link is named as the link, not as where it leads)."""
    with contextlib.suppress(OSError):
        cwd = os.getcwd()
        if path == cwd:
            return "."
        if path.startswith(cwd.rstrip(os.sep) + os.sep):
            return path[len(cwd.rstrip(os.sep)) + 1:].replace(os.sep, "/")
    return path


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def _parts(path: str, top: str) -> list[str]:
    return [p for p in path[len(top):].split(os.sep) if p]


def _plan(folder: str, root: Path | None) -> tuple[str, list[str]]:
    """(a folder opened as it is, the names below it each opened without following a link)
    for the absolute, normalized ``folder``.

    Under ``root`` (the log repository; as written or resolved) every name below the root is
    checked. Elsewhere (``-o`` outside the log) the deepest folder that exists is opened as it
    is, links and all (the user's own), unless one of its folders, resolved, enters the log:
    from there on every name is checked again (``~/kho -> the log``, then its ``bao-cao``)."""
    real_root = os.path.realpath(root) if root is not None else None
    if root is not None:
        for top in (os.path.abspath(root), real_root):
            if top is not None and _under(folder, top):
                return top, _parts(folder, top)
    drive, rest = os.path.splitdrive(folder)
    names = [n for n in rest.split(os.sep) if n]
    prefix = drive + os.sep
    for i, name in enumerate(names):
        prefix = os.path.join(prefix, name)
        if not os.path.lexists(prefix):
            return os.path.dirname(prefix), names[i:]
        if real_root is not None:
            real = os.path.realpath(prefix)
            if _under(real, real_root):
                return real_root, _parts(real, real_root) + names[i + 1:]
    return folder, []


class _Folder:
    """An open folder: its descriptor where the system has the *at calls (every name is then
    looked up in this very folder, whatever is renamed meanwhile), else its path."""

    def __init__(self, path: str, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    def at(self, name: str) -> tuple[str, int | None]:
        """(the name to pass, the dir_fd to pass with it)."""
        return (name, self.fd) if self.fd is not None else (os.path.join(self.path, name), None)

    def lstat(self, name: str) -> os.stat_result | None:
        where, fd = self.at(name)
        try:
            return os.stat(where, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class _Link(Exception):
    """A link met where a folder must be opened (its path)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def _open_child(folder: _Folder, name: str) -> _Folder:
    """The folder ``name`` in ``folder``, never through a link (:class:`_Link`)."""
    path = os.path.join(folder.path, name)
    if folder.fd is None:  # pragma: no cover - no *at calls (Windows)
        found = os.lstat(path)
        junction = getattr(stat, "IO_REPARSE_TAG_MOUNT_POINT", -1)
        if stat.S_ISLNK(found.st_mode) or getattr(found, "st_reparse_tag", 0) == junction:
            raise _Link(path)
        if not stat.S_ISDIR(found.st_mode):
            raise NotADirectoryError(errno.ENOTDIR, "không phải thư mục", path)
        return _Folder(path, None)
    try:
        return _Folder(path, os.open(name, _DIR_FLAGS | _NOFOLLOW, dir_fd=folder.fd))
    except OSError as exc:
        # O_NOFOLLOW | O_DIRECTORY on a link: ENOTDIR on Linux, ELOOP or EMLINK elsewhere
        if exc.errno in (errno.ENOTDIR, errno.ELOOP, errno.EMLINK):
            st = folder.lstat(name)
            if st is not None and stat.S_ISLNK(st.st_mode):
                raise _Link(path) from None
        raise


def _child(folder: _Folder, name: str, create: bool) -> _Folder | None:
    """The folder ``name`` in ``folder``, created when missing with ``create`` (else None
    when missing); a link there, even one put in place of the folder just made, raises
    :class:`_Link`."""
    try:
        return _open_child(folder, name)
    except FileNotFoundError:
        if not create:
            return None
    where, fd = folder.at(name)
    with contextlib.suppress(FileExistsError):  # made meanwhile: opened as any other
        os.mkdir(where, 0o777, dir_fd=fd)
    return _open_child(folder, name)


def _link_error(link: str, root: Path | None, what: str) -> LinkInPath:
    shown = _shown(link)
    where = ""
    if root is not None:
        real, real_root = os.path.realpath(link), os.path.realpath(root)
        inner = _parts(real, real_root)
        where = (" trỏ ra ngoài kho nhật ký" if not _under(real, real_root)
                 else f" trỏ tới {'/'.join(inner)} trong kho nhật ký" if inner
                 else " trỏ tới chính gốc kho nhật ký")
    return LinkInPath(f"không ghi {what}: {shown} là liên kết tượng trưng (symlink){where}; "
                      "ngoaivu không ghi qua liên kết",
                      hint=f"thay {shown} bằng một thư mục thật (hoặc xóa liên kết) rồi chạy lại")


def _open_folder(folder: str, root: Path | None, *, create: bool, what: str
                 ) -> _Folder | None:
    """``folder`` (absolute, normalized) opened with every name below the log's root checked
    (see :func:`_plan`); None when it does not exist and ``create`` is False."""
    base, names = _plan(folder, root)
    try:
        current = _Folder(base, os.open(base, _DIR_FLAGS) if _AT else None)
        if not _AT and not os.path.isdir(base):  # pragma: no cover - Windows
            raise NotADirectoryError(errno.ENOTDIR, "không phải thư mục", base)
    except OSError as exc:
        if not create and exc.errno == errno.ENOENT:
            return None
        raise OutputError(f"không tạo được thư mục {_shown(folder)}: {os_reason(exc)}",
                          hint="chọn nơi khác bằng -o") from None
    for name in names:
        try:
            inner = _child(current, name, create)
        except _Link as link:
            current.close()
            raise _link_error(link.path, root, what) from None
        except OSError as exc:
            current.close()
            raise OutputError(f"không tạo được thư mục {_shown(folder)}: {os_reason(exc)}",
                              hint="chọn nơi khác bằng -o") from None
        current.close()
        if inner is None:
            return None
        current = inner
    return current


def make_dirs(path: Path, *, root: Path | None) -> Path:
    """``mkdir -p path`` that refuses a link at every name below the log's ``root``
    (:class:`LinkInPath`, or :class:`OutputError` for any other failure)."""
    target = os.path.abspath(path)
    folder = _open_folder(target, root, create=True, what=f"thư mục {_shown(target)}")
    assert folder is not None
    folder.close()
    return path


def check_no_links(path: Path, *, root: Path | None) -> None:
    """Raise :class:`LinkInPath` when a folder on the way to ``path`` that exists is a link
    where :func:`write_atomic` would refuse one (nothing is created): said before a command
    writes its first file, so it does not stop half-way."""
    target = os.path.abspath(path)
    folder = _open_folder(os.path.dirname(target), root, create=False, what=_shown(target))
    if folder is not None:
        folder.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's process: leave its file alone
    return True


def _remove_stale_temporaries(folder: _Folder, name: str) -> None:
    """Remove what a killed run left while writing ``name`` in ``folder`` (its process is
    gone); a running run's temporary file is left alone."""
    prefix = f".{name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder.fd if folder.fd is not None else folder.path):
            if entry.name.startswith(prefix) and entry.name.endswith(TMP_SUFFIX):
                pid = entry.name[len(prefix):].split(".", 1)[0]
                if pid.isdigit() and not _alive(int(pid)) and entry.is_file(follow_symlinks=False):
                    where, fd = folder.at(entry.name)
                    with contextlib.suppress(OSError):
                        os.unlink(where, dir_fd=fd)


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return ((a.st_dev, a.st_ino, a.st_mode, a.st_size, a.st_mtime_ns, a.st_ctime_ns)
            == (b.st_dev, b.st_ino, b.st_mode, b.st_size, b.st_mtime_ns, b.st_ctime_ns))


def write_atomic(path: Path, data: bytes, *, force: bool = False, root: Path | None = None,
                 mode: int = 0o644, sync: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to replace an existing file unless forced.

    ``root``: the log repository the write belongs to: no folder below it on the way to
    ``path`` may be a link (:class:`LinkInPath`, see :func:`_plan`); missing folders are
    created. The bytes go to a temporary file in the same folder (removed on any failure,
    ``SystemExit`` from SIGTERM included). Without ``force``, or when nothing had the name, it
    is hard-linked to ``path``: a link never replaces an existing file, so of parallel runs
    exactly one wins and the others say the file exists. With ``force`` it is renamed over
    ``path``, unless ``path`` changed while the bytes were written (:class:`TargetChanged`).
    Only a regular file (or a link, which is replaced, never written through) is replaced: a
    device, FIFO or folder never is. ``sync``: the bytes are on disk before the rename."""
    target = os.path.abspath(path)
    parent, name = os.path.split(target)
    if not name:
        raise TargetTaken(f"{path} là một thư mục", hint="-o phải là đường dẫn tệp")
    folder = _open_folder(parent, root, create=True, what=_shown(target))
    assert folder is not None
    try:
        _write_in(folder, name, path, data, force=force, mode=mode, sync=sync)
    finally:
        folder.close()
    return path


def _write_in(folder: _Folder, name: str, path: Path, data: bytes, *, force: bool, mode: int,
              sync: bool) -> None:
    try:
        st = folder.lstat(name)
    except OSError as exc:
        raise OutputError(f"không ghi được {path}: {os_reason(exc)}",
                          hint="chọn nơi khác bằng -o") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            where, fd = folder.at(name)
            with contextlib.suppress(OSError):
                if stat.S_ISDIR(os.stat(where, dir_fd=fd).st_mode):
                    raise TargetTaken(f"{path} là một thư mục", hint="-o phải là đường dẫn tệp")
        elif stat.S_ISDIR(st.st_mode):
            raise TargetTaken(f"{path} là một thư mục", hint="-o phải là đường dẫn tệp")
        elif not stat.S_ISREG(st.st_mode):
            raise TargetTaken(f"{path} không phải tệp thường (thiết bị, FIFO hay socket): "
                              "không ghi đè", hint="chọn tên tệp khác bằng -o")
        if not force:
            raise _exists(path)
    _remove_stale_temporaries(folder, name)
    tmp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}{TMP_SUFFIX}"
    tmp_at, fd_at = folder.at(tmp)
    created = False
    try:
        fd = os.open(tmp_at, _NEW_FLAGS, 0o600, dir_fd=fd_at)
        created = True
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            if sync:
                os.fsync(fd)
        if not hasattr(os, "fchmod"):  # pragma: no cover - Windows
            os.chmod(tmp_at, mode)
        now = folder.lstat(name) if st is not None else None
        if now is None:  # nothing had the name: nothing is replaced, whatever appeared since
            _link_new(folder, tmp, name, path)
        elif not _same(st, now):  # type: ignore[arg-type]
            raise TargetChanged(f"tệp {path} đã thay đổi trong lúc ghi (một chương trình khác "
                                "vừa lưu nó): không ghi đè", hint="xem lại tệp đó rồi chạy lại")
        else:
            os.replace(tmp_at, folder.at(name)[0], src_dir_fd=fd_at, dst_dir_fd=fd_at)
    except BaseException as exc:
        if created:
            with contextlib.suppress(OSError):
                os.unlink(tmp_at, dir_fd=fd_at)
        if isinstance(exc, OSError):  # a full disk, a file size limit: name the file
            raise OutputError(f"không ghi được {path}: {os_reason(exc)}",
                              hint="giải phóng chỗ trên ổ đĩa, hoặc chọn nơi khác bằng -o"
                              ) from None
        raise


def _link_new(folder: _Folder, tmp: str, name: str, path: Path) -> None:
    """Give ``tmp`` the name ``name`` only if no file has it (atomically), then drop ``tmp``."""
    tmp_at, fd_at = folder.at(tmp)
    name_at = folder.at(name)[0]
    try:
        os.link(tmp_at, name_at, src_dir_fd=fd_at, dst_dir_fd=fd_at)
    except FileExistsError:
        raise _exists(path) from None  # another run wrote it meanwhile
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV,
                             errno.EMLINK):
            raise
        # a file system without hard links (FAT, some shares): O_EXCL claims the name
        try:
            fd = os.open(name_at, _NEW_FLAGS, 0o644, dir_fd=fd_at)
        except FileExistsError:
            raise _exists(path) from None
        os.close(fd)
        os.replace(tmp_at, name_at, src_dir_fd=fd_at, dst_dir_fd=fd_at)  # our empty file
        return
    with contextlib.suppress(OSError):
        os.unlink(tmp_at, dir_fd=fd_at)
