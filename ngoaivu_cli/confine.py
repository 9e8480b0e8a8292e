"""Paths a log repository names stay inside it; outputs go only where the user said.

A configuration from someone else's repository may ask for ``file_name: ../../../../tmp/x``, an
absolute ``file_name``, a report type named ``a/b``, ``template: /etc/passwd`` or a
``documents/`` folder that is a link to elsewhere. The checks here are used when the
configuration is read (each is an ``E-CONFIG-...`` problem at its line) and again when a file
is opened (the repository may change in between).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

# characters that have no place in a file name: separators, control characters, and the ones
# Windows refuses (a log is shared between machines)
_BAD_NAME = re.compile(r'[/\\\x00-\x1f\x7f<>:"|?*]')
# invisible characters: format (bidi overrides, zero-width, BOM), line/paragraph separators
_HIDDEN = frozenset(("Cf", "Zl", "Zp"))


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be one file name in a folder (None when it can)."""
    if not name.strip():
        return "tên rỗng"
    if name in (".", "..") or name.startswith("-"):
        return f"“{name}” không dùng được làm tên tệp"
    hidden = next((c for c in name if unicodedata.category(c) in _HIDDEN), None)
    if hidden is not None:  # U+202E turns "‮exod.-x.md" around on screen; U+200B is unseen
        return (f"tên có ký tự vô hình U+{ord(hidden):04X} (đảo chiều chữ, khoảng trắng "
                "rộng 0...): tên hiện ra khác tên thật")
    bad = _BAD_NAME.search(name)
    if bad:
        char = bad.group()
        shown = {"/": "/", "\\": "\\"}.get(char, repr(char)[1:-1])
        return f"tên có ký tự “{shown}” (tên tệp không được chứa / \\ hay ký tự điều khiển)"
    if len(name.encode("utf-8")) > 200:
        return "tên quá dài"
    return None


def relative_problem(value: str) -> str | None:
    """Why ``value`` cannot be a path relative to the log's root (None when it can)."""
    if not value.strip():
        return "đường dẫn rỗng"
    if any(c in value for c in "\x00\r\n") or re.search(r"[\x00-\x1f\x7f]", value):
        return "đường dẫn có ký tự điều khiển"
    path = Path(value)
    if path.is_absolute() or value.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:", value):
        return "đường dẫn tuyệt đối ra ngoài kho nhật ký"
    if ".." in Path(value.replace("\\", "/")).parts:
        return "đường dẫn có “..” ra ngoài kho nhật ký"
    return None


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, links resolved, lies under ``root`` (links resolved)."""
    try:
        real_root = os.path.realpath(root)
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return False
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def escapes(root: Path, path: Path) -> bool:
    """Whether ``path`` is written as a place under ``root`` but leads (through a link)
    outside it."""
    lexical = os.path.abspath(path)
    top = os.path.abspath(root).rstrip(os.sep) + os.sep
    return lexical.startswith(top) and not inside(root, path)


def confined(root: Path, value: str) -> Path | None:
    """``root / value`` when ``value`` is a relative path that stays under ``root`` once
    links are resolved; else None."""
    if relative_problem(value) is not None:
        return None
    path = root / value
    return path if inside(root, path) else None


def protected_folders(root: Path) -> list[Path]:
    """Folders of the log that hold what users wrote: outputs never go there by default."""
    from ngoaivu_cli.locate import DATA_FOLDER, DOCUMENTS_FOLDER

    return [root / DATA_FOLDER, root / DOCUMENTS_FOLDER, root / "templates"]


def default_output_folder(root: Path, cwd: Path | None = None) -> Path:
    """Where a report goes when ``-o``/``--out`` is not given: the working folder, unless it
    is inside ``data/``, ``documents/`` or ``templates/`` of the log (a report written there
    would become part of the log): then the log's root."""
    cwd = cwd or Path.cwd()
    for folder in protected_folders(root):
        if folder.exists() and inside(folder, cwd):
            return root
    return Path()
