"""Writing outputs safely: atomically, never over an existing file without ``--force``.

A report is first written to a temporary file in the same folder and then renamed over the
target, so an interrupted run leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from ngoaivu_cli.errors import OutputError, os_reason

TMP_SUFFIX = ".ngoaivu-tmp"  # temporary files of a run: `.NAME.PID.RANDOM.ngoaivu-tmp`


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's process: leave its file alone
    return True


def remove_stale_temporaries(folder: Path, name: str) -> None:
    """Remove what a killed run left while writing ``name`` in ``folder`` (its process is
    gone); a running run's temporary file is left alone."""
    prefix = f".{name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.name.endswith(TMP_SUFFIX):
                pid = entry.name[len(prefix):].split(".", 1)[0]
                if pid.isdigit() and not _alive(int(pid)) and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


class TargetTaken(OutputError):
    """The name is taken: a file (without ``--force``), a folder, a device or a FIFO."""


def _exists(path: Path) -> TargetTaken:
    return TargetTaken(f"tệp {path} đã có", hint="thêm --force để ghi đè, hoặc chọn tên khác "
                       "bằng -o")


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to replace an existing file unless forced.

    The bytes go to a temporary file in the same folder. Without ``force`` it is hard-linked
    to ``path`` (a link never replaces an existing file, so of parallel runs exactly one
    wins and the others say the file exists); with ``force`` it is renamed over ``path``.
    Only a regular file (or a link, which is replaced, never written through) is replaced:
    a device, FIFO or folder never is."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"không ghi được {path}: {os_reason(exc)}",
                          hint="chọn nơi khác bằng -o") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode) or (stat.S_ISLNK(st.st_mode) and path.is_dir()):
            raise TargetTaken(f"{path} là một thư mục", hint="-o phải là đường dẫn tệp")
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
            raise TargetTaken(f"{path} không phải tệp thường (thiết bị, FIFO hay socket): "
                              "không ghi đè", hint="chọn tên tệp khác bằng -o")
        if not force:
            raise _exists(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"không tạo được thư mục {folder}: {os_reason(exc)}",
                          hint="chọn nơi khác bằng -o") from None
    remove_stale_temporaries(folder, path.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TMP_SUFFIX,
                               dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # a full disk, a file size limit: name the file
            raise OutputError(f"không ghi được {path}: {os_reason(exc)}",
                              hint="giải phóng chỗ trên ổ đĩa, hoặc chọn nơi khác bằng -o"
                              ) from None
        raise
    return path


def _link_new(tmp: str, path: Path) -> None:
    """Give ``tmp`` the name ``path`` only if no file has it (atomically), then drop ``tmp``."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _exists(path) from None  # another run wrote it meanwhile
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV,
                             errno.EMLINK):
            raise
        # a file system without hard links (FAT, some shares): O_EXCL claims the name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise _exists(path) from None
        os.close(fd)
        os.replace(tmp, path)  # replaces only the empty file this run just created
        return
    os.unlink(tmp)
