"""What the app serves and who may do what: :class:`Site` (the log's folder, its configuration,
the ``--allow`` level, the lock every write holds), the ids the server gives the entry files it
found, and the guards every request passes (host names, CSRF token, origin, read-only).

Safety (issue 24, "Safe by default"): only the server's own host names are answered (DNS
rebinding); every form carries a CSRF token kept in the session (a ``SameSite=Strict``,
``HttpOnly`` cookie) and a request from another origin (``Origin``/``Referer``) is refused;
``allow`` says what a visitor may do (``view``, ``add``, ``edit``); entries are addressed by an
id the server gives the files it found, never by a path from the browser.
"""

from __future__ import annotations

import atexit
import hashlib
import re
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, abort, g, request, session
from werkzeug.wrappers import Response

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError

LEVELS = ("view", "add", "edit")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TRASH = ".ngoaivu-trash"
MAX_UPLOAD = 20 * 1024 * 1024  # an old report or a DOCX to check: a few MB at most
_ID = re.compile(r"[0-9a-f]{16}\Z")
STATUS_WORDS = {"done": "Đã thực hiện", "planned": "Kế hoạch"}


class Refused(Exception):
    """A request the app refuses with a Vietnamese page (status, title, message, hint)."""

    def __init__(self, status: int, title: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.status, self.title, self.message, self.hint = status, title, message, hint


@dataclass
class Site:
    """What the app serves: the log's folder, its configuration file, what visitors may do."""

    root: Path
    config_path: Path | None
    allow: str
    hosts: frozenset[str]
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: dict[str, Path] = field(default_factory=dict)  # entry id → path relative to data/
    _config: Any = None
    _stamp: tuple[Any, ...] | None = None
    upload_dir: Path = field(default_factory=lambda: _upload_folder())
    git: Any = None  # api.git_log(...) with --git: each change is one commit

    def config(self) -> Any:
        """The configuration, read again when its file changed (an edit outside is seen on the
        next request)."""
        stamp = self._config_stamp()
        if self._config is None or stamp != self._stamp:
            self._config = api.load_config(self.config_path, cwd=self.root)
            self._stamp = self._config_stamp()
        return self._config

    def _config_stamp(self) -> tuple[Any, ...]:
        paths = [self.config_path] if self.config_path else [self.root / "ngoaivu.yaml"]
        out: list[tuple[str, int | None, int | None]] = []
        for p in paths:
            try:
                st = p.stat()
                out.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(p), None, None))
        return tuple(out)

    def may(self, level: str) -> bool:
        return LEVELS.index(self.allow) >= LEVELS.index(level)


def _upload_folder() -> Path:
    """The server's own temporary folder for uploads, removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="ngoaivu-web-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# --------------------------------------------------------------------------- entries and ids


def entry_id(rel: Path) -> str:
    """The id of an entry file: the first 16 hex digits of the hash of its path under data/."""
    return hashlib.sha256(rel.as_posix().encode()).hexdigest()[:16]


def own_file(config: Any, shown: str) -> Path | None:
    """An entry's file (as the library shows it) relative to the log's ``data/``, or None when
    it is not a file of this log (a source's)."""
    path = Path(shown)
    path = path if path.is_absolute() else Path.cwd() / path
    try:
        return path.resolve().relative_to(config.data_dir.resolve())
    except (ValueError, OSError):
        return None


def remember(site: Site, rel: Path) -> str:
    key = entry_id(rel)
    site.ids[key] = rel
    return key


def find_file(site: Site, key: str, *, gone_ok: bool = False) -> Path:
    """The file of id ``key`` (relative to data/), from the files the server has seen or, after
    a restart, from a walk of data/; a 404 page otherwise. ``gone_ok``: a file the server saw
    that is gone since (a form sent for it gets the conflict page, not a 404)."""
    if not _ID.match(key):
        abort(404)
    config = site.config()
    rel = site.ids.get(key)
    if gone_ok and rel is not None:
        return rel
    if rel is None or not (config.data_dir / rel).is_file():
        rel = None
        data = config.data_dir
        if data.is_dir():
            for path in data.rglob("*.y*ml"):
                if path.suffix in (".yaml", ".yml") and not path.is_symlink():
                    found = path.relative_to(data)
                    if entry_id(found) == key:
                        rel = found
                        break
        if rel is None:
            abort(404)
        site.ids[key] = rel
    return rel


def problem_rows(site: Site, problems: Iterable[Any]) -> list[dict[str, Any]]:
    """Each problem with the id of its file when that is an entry file of this log (the link
    to the form that fixes it)."""
    config = site.config()
    rows: list[dict[str, Any]] = []
    for p in problems:
        rel = own_file(config, p.loc.path)
        rows.append({"p": p, "id": remember(site, rel) if rel is not None and
                     rel.suffix in (".yaml", ".yml") else None})
    return rows


def changed(config: Any, path: Path, seen: str) -> bool:
    """Whether the file is no longer what the form was opened with (or is gone)."""
    try:
        return api.read_entry(config, path)[1] != seen
    except (NgoaivuError, OSError):
        return True


def query(**values: str) -> str:
    return urlencode({k: v for k, v in values.items() if v})


# --------------------------------------------------------------------------- guards


def install_guards(app: Flask, site: Site) -> None:
    @app.before_request
    def guard() -> None:
        name = (request.host or "").lower()
        name = name[1:name.index("]")] if name.startswith("[") and "]" in name else \
            name.rsplit(":", 1)[0]
        if name not in site.hosts:
            raise Refused(400, "Tên máy không được nhận",
                          f"máy chủ này không trả lời cho tên “{name or '(trống)'}”",
                          "mở địa chỉ mà lệnh `ngoaivu serve` đã in ra")
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if site.allow == "view":
            raise Refused(403, "Chỉ được xem",
                          "máy chủ này mở ở chế độ chỉ xem: không ghi, sửa hay xóa được gì",
                          "chạy lại `ngoaivu serve` không có --read-only để ghi")
        origin = request.headers.get("Origin") or request.headers.get("Referer")
        if origin:
            parts = urlsplit(origin)
            if f"{parts.scheme}://{parts.netloc}".lower() != request.host_url.rstrip("/").lower():
                raise Refused(403, "Yêu cầu từ trang khác",
                              "yêu cầu này không đến từ một trang của máy chủ này",
                              "mở lại trang từ địa chỉ `ngoaivu serve` đã in ra rồi gửi lại")
        token = request.form.get("csrf") or request.headers.get("X-CSRF-Token", "")
        if not secrets.compare_digest(str(token), str(session.get("csrf", ""))):
            raise Refused(400, "Biểu mẫu đã cũ",
                          "biểu mẫu thiếu mã bảo vệ hoặc mã đã hết hạn (máy chủ đã khởi động "
                          "lại?)", "tải lại trang, nhập lại rồi gửi")

    @app.before_request
    def bind() -> None:
        g.site = site

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'")
        return response


def needs(level: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            site: Site = g.site
            if not site.may(level):
                word = {"add": "thêm hoạt động", "edit": "sửa hoặc xóa"}[level]
                raise Refused(403, "Không được phép",
                              f"máy chủ này không cho {word} (--allow {site.allow})",
                              f"chạy lại `ngoaivu serve --allow {level}` nếu cần")
            return view(*args, **kwargs)
        return inner
    return wrap
