"""Writing outputs safely: atomically, never over an existing file without ``--force``.

A report is first written to a temporary file in the same folder and then renamed over the
target, so an interrupted run leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ngoaivu_cli.errors import OutputError, os_reason


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to replace an existing file unless forced."""
    if path.exists() and not force:
        raise OutputError(f"tệp {path} đã có", hint="thêm --force để ghi đè, hoặc chọn tên khác "
                          "bằng -o")
    if path.is_dir():
        raise OutputError(f"{path} là một thư mục", hint="-o phải là đường dẫn tệp")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"không tạo được thư mục {folder}: {os_reason(exc)}",
                          hint="chọn nơi khác bằng -o") from None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
