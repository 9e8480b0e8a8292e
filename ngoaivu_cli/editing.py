"""Changing and deleting an entry file that someone may be editing at the same time.

The caller passes the content hash of the file as it saw it (:func:`content_hash` of the bytes
it read); a change or a deletion is refused (:class:`ChangedMeanwhile`) when the file is no
longer that, so an edit made in another window, by ``git pull`` or by a colleague is never
overwritten. A change must pass every rule of ``ngoaivu validate`` (the same check as ``ngoaivu
new``); the new text goes to a temporary file in the same folder and replaces the old one in one
rename, so the file is either the old text or the new one, never a part. Only files inside the
log's ``data/`` are touched, never through a link.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import NgoaivuError, Problem, display_path
from ngoaivu_cli.safeio import check_no_links, read_bytes, write_atomic
from ngoaivu_cli.scaffold import check_entry

MAX_ENTRY_BYTES = 1_000_000  # an entry file: a few hundred bytes


class ChangedMeanwhile(NgoaivuError):
    """The file is not what the caller read: nothing was written."""


class InvalidEntry(NgoaivuError):
    """The new text would not pass ``ngoaivu validate``: nothing was written."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message, hint="sửa các lỗi trên rồi ghi lại")
        self.problems = problems


def content_hash(data: bytes) -> str:
    """The hash a caller keeps of the bytes it read (SHA-256, hex)."""
    return hashlib.sha256(data).hexdigest()


def entry_file(config: Config, path: Path) -> Path:
    """``path`` as a file of the log's ``data/``, refusing one outside it or reached through a
    link (any component of the path)."""
    data_dir = config.data_dir.resolve()
    target = path if path.is_absolute() else Path.cwd() / path
    try:
        rel = target.relative_to(config.data_dir if target.is_relative_to(config.data_dir)
                                 else data_dir)
    except ValueError:
        raise NgoaivuError(f"{display_path(path)} không nằm trong {display_path(config.data_dir)}/",
                           hint="chỉ sửa hoặc xóa được tệp hoạt động của nhật ký") from None
    if any(part in ("", ".", "..") for part in rel.parts):
        raise NgoaivuError(f"đường dẫn {display_path(path)} không hợp lệ",
                           hint="ghi đường dẫn tệp trong data/")
    current = config.data_dir / rel
    check_no_links(current, root=config.root)  # every folder from the log's root, as writes do
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISLNK(os.lstat(current).st_mode):
            raise NgoaivuError(f"{display_path(current)} là liên kết (symlink): không sửa hay "
                               "xóa qua liên kết", hint="sửa tệp thật mà liên kết trỏ tới")
    if current.suffix not in (".yaml", ".yml"):
        raise NgoaivuError(f"{display_path(path)} không phải tệp hoạt động (.yaml)",
                           hint="chỉ sửa hoặc xóa được tệp .yaml trong data/")
    return current


def _check_unchanged(path: Path, expected_hash: str) -> None:
    try:
        now = read_bytes(path, MAX_ENTRY_BYTES)
    except FileNotFoundError:
        raise ChangedMeanwhile(f"{display_path(path)} đã bị xóa hoặc đổi tên trong lúc sửa",
                               hint="tải lại trang (hoặc đọc lại tệp) rồi sửa lại") from None
    if content_hash(now) != expected_hash:
        raise ChangedMeanwhile(f"{display_path(path)} đã được sửa ở nơi khác sau khi bạn mở nó; "
                               "chưa ghi gì", hint="tải lại để xem nội dung mới rồi sửa lại")


def change_entry(config: Config, path: Path, text: str, expected_hash: str) -> Path:
    """Replace the entry file ``path`` (which must still hash to ``expected_hash``) by ``text``,
    checked as ``ngoaivu new`` checks a new entry; atomic."""
    target = entry_file(config, path)
    _check_unchanged(target, expected_hash)
    problems = [p for p in check_entry(text, target, config)
                if not (p.code == "E-DUPLICATE-ENTRY" and display_path(target) in p.message)]
    if problems:
        raise InvalidEntry(f"nội dung mới của {display_path(target)} chưa hợp lệ; chưa ghi gì",
                           problems)
    _check_unchanged(target, expected_hash)  # the last look before the write
    # atomic, through no link of the log, refused when the file changes during the write
    write_atomic(target, text.encode("utf-8"), force=True, root=config.root)
    return target


def delete_entry(config: Config, path: Path, expected_hash: str) -> Path:
    """Delete the entry file ``path`` if it still hashes to ``expected_hash``."""
    target = entry_file(config, path)
    _check_unchanged(target, expected_hash)
    os.unlink(target)
    return target


def restore_entry(config: Config, path: Path, data: bytes) -> Path:
    """Put a deleted entry file back at ``path`` with its old bytes (from a trash folder or
    from git history), never over an existing file (``TargetTaken`` then); atomic."""
    target = entry_file(config, path)
    write_atomic(target, data, force=False, root=config.root)
    return target


__all__ = ["ChangedMeanwhile", "InvalidEntry", "change_entry", "content_hash", "delete_entry",
           "entry_file", "restore_entry"]
