"""The Flask application of ``ngoaivu serve``: :func:`create_app`.

Safety (issue 24, "Safe by default"): only the server's own host names are answered (DNS
rebinding); every form carries a CSRF token kept in the session (a ``SameSite=Strict``,
``HttpOnly`` cookie) and a request from another origin (``Origin``/``Referer``) is refused;
``allow`` says what a visitor may do (``view``, ``add``, ``edit``); entries are addressed by an
id the server gives the files it found, never by a path from the browser; every write holds one
lock; every error a user can cause is a Vietnamese page.

The app never changes the process's working folder: ``ngoaivu serve`` changes it once, to the
log's folder, before the server starts (the paths the library shows are relative to it).
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import io
import json
import os
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

from flask import Flask, abort, g, redirect, render_template, request, send_file, session, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError, Problem

LEVELS = ("view", "add", "edit")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TRASH = ".ngoaivu-trash"
MAX_UPLOAD = 20 * 1024 * 1024  # an old report or a DOCX to check: a few MB at most
IMPORT_TYPES = (".docx", ".doc", ".odt", ".txt", ".md")
_STAMP = re.compile(r"\d{8}T\d{12}Z\Z")
_VN_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*\Z")
_ID = re.compile(r"[0-9a-f]{16}\Z")
STATUS_WORDS = {"done": "Đã thực hiện", "planned": "Kế hoạch"}
FORMAT_WORDS = {"docx": "Word (DOCX)", "md": "Markdown", "json": "JSON", "pdf": "PDF"}
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "md": "text/markdown; charset=utf-8", "json": "application/json",
        "pdf": "application/pdf"}

HTTP_WORDS = {
    400: ("Yêu cầu không hợp lệ", "tải lại trang rồi thử lại"),
    403: ("Không được phép", "máy chủ này không cho phép việc đó"),
    404: ("Không tìm thấy", "quay về trang Nhật ký và chọn lại"),
    405: ("Không dùng được cách gửi này", "dùng các nút và liên kết trên trang"),
    413: ("Tệp quá lớn", f"chỉ nhận tệp đến {MAX_UPLOAD // (1024 * 1024)} MB"),
    500: ("Lỗi của chương trình", "thử lại; nếu vẫn lỗi, báo cho người quản trị kèm thao tác vừa "
          "làm"),
}


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


# --------------------------------------------------------------------------- form parsing


@dataclass
class EntryForm:
    """The fields of the entry form, as typed, and the problems found at each."""

    date: str = ""
    end: str = ""
    category: str = ""
    status: str = "done"
    summary: str = ""
    unit: str = ""
    tags: str = ""
    partners: str = ""
    footnote: str = ""
    metrics: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def metrics_open_among(self, keys: Iterable[str]) -> bool:
        """Whether these number fields are shown unfolded: one is filled in, or wrong."""
        return any(k in self.metrics or f"metrics.{k}" in self.errors for k in keys)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @classmethod
    def from_request(cls, config: Any) -> EntryForm:
        f = request.form
        def get(name: str) -> str:
            return f.get(name, "").strip()

        form = cls(date=get("date"), end=get("end"), category=get("category"),
                   status=get("status"), summary=get("summary"), unit=get("unit"),
                   tags=get("tags"), partners=get("partners"), footnote=get("footnote"))
        form.metrics = {k: get(f"m_{k}") for k, m in config.metrics.items()
                        if get(f"m_{k}") and not m.sum_of}  # a computed one has no field
        return form

    @classmethod
    def from_entry(cls, entry: Any) -> EntryForm:
        date = ""
        if entry.approx:
            date = api.entry_when(entry)
        elif entry.date:
            date = api.short_date(entry.date)
        return cls(date=date, end=api.short_date(entry.end) if entry.end and not entry.approx
                   else "", category=entry.category or "", status=entry.status,
                   summary=entry.summary or "", unit=entry.unit or "",
                   tags=", ".join(entry.tags), partners=", ".join(entry.partners),
                   footnote=entry.footnote or "",
                   metrics={k: _number_text(v) for k, v in entry.metrics})

    def fields(self, config: Any) -> dict[str, Any] | None:
        """The arguments of ``api.add_entry``/``api.entry_yaml`` (None without a date); the
        problems found are noted, and the caller checks the rest with ``api.entry_problems``
        so that every problem is shown at once, then writes only when there are none."""
        out: dict[str, Any] = {}
        plan = api.parse_plan_date(self.date) if self.date else None
        if not self.date:
            self.error("date", "chưa ghi ngày")
        elif plan is not None:
            out.update(date=plan.start, approx=plan.stem)
        else:
            day = parse_day(self.date)
            if isinstance(day, str):
                self.error("date", day)
            else:
                out["date"] = day
        if self.end:
            day = parse_day(self.end)
            if isinstance(day, str):
                self.error("end", day)
            else:
                out["end"] = day
        if not self.category:
            self.error("category", "chọn một lĩnh vực")
        if self.status not in STATUS_WORDS:
            self.error("status", "chọn Đã thực hiện hoặc Kế hoạch")
        if not self.summary:
            self.error("summary", "chưa ghi nội dung hoạt động")
        metrics = []
        for key, text in self.metrics.items():
            try:
                metrics.append(api.parse_metric(f"{key}={text.replace(',', '.')}"))
            except NgoaivuError as exc:
                self.error(f"metrics.{key}", exc.message)
        if "date" not in out:
            return None
        out.update(category=self.category, status=self.status, summary=self.summary,
                   unit=self.unit or None, tags=split_list(self.tags),
                   partners=split_list(self.partners), metrics=tuple(metrics),
                   footnote=self.footnote or None)
        return out

    def take(self, problems: Iterable[Problem]) -> None:
        """Put each problem at its field (``metrics.doan_ra`` at that number)."""
        known = {"date", "end", "category", "status", "summary", "unit", "tags", "partners",
                 "footnote"}
        already = set(self.errors)  # what the form itself found is said once
        for p in problems:
            if not p.is_error:
                continue
            text = p.message + (f" (gợi ý: {p.hint})" if p.hint else "")
            name = p.field
            base = name.split(".", 1)[0].split("[", 1)[0]
            if name.startswith("metrics.") and name.split(".", 1)[1] in self.metrics:
                if name not in already:
                    self.error(name, text)
            elif base in known:
                if base not in already:
                    self.error(base, text)
            else:
                self.general.append(text)


def category_metrics(config: Any) -> dict[str, list[str]]:
    """The figures each category's statistics sentences speak of (``m.doan_ra``,
    ``raw.luot_ra``, ``when: doan_ra``), in the configuration's order, computed ones left out:
    the number fields the form shows first for that category."""
    out: dict[str, list[str]] = {}
    for key, category in config.categories.items():
        named: set[str] = set()
        for sentence in category.stats:
            named.update(re.findall(r"\b(?:m|raw)\.(\w+)", sentence.text))
            if sentence.when:
                named.add(sentence.when)
        out[key] = [k for k, m in config.metrics.items() if k in named and not m.sum_of]
    return out


def probe_path(config: Any, values: dict[str, Any]) -> Path:
    """Where a new entry of these fields goes (the name's date part is what the rules check),
    to check its text before writing."""
    approx = values.get("approx")
    if approx:
        return config.data_dir / approx[:4] / f"{approx}-bieu-mau.yaml"
    date = values["date"]
    return config.data_dir / f"{date:%Y}" / f"{date:%m}" / f"{date.isoformat()}-bieu-mau.yaml"


def _number_text(value: int | float) -> str:
    return str(value)


def split_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in re.split(r"[,;\n]", text) if p.strip()))


def parse_day(text: str) -> dt.date | str:
    """``28/8/2023`` or ``2023-08-28``; otherwise the message to show."""
    m = _VN_DATE.match(text)
    if m:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return f"ngày {text} không có trên lịch"
    day, message, hint = api.parse_date(text)
    if day is None:
        return f"{message or 'ngày không hợp lệ'} — ghi như 28/8/2023" + (
            f" ({hint})" if hint else "")
    return day


# --------------------------------------------------------------------------- the app


def create_app(root: Path | None = None, *, config_path: Path | None = None,
               allow: str | None = None, host: str = "127.0.0.1",
               hosts: Iterable[str] = (), secret_key: bytes | None = None) -> Flask:
    """The web app over the log at ``root`` (default: the working folder).

    ``allow``: ``view``, ``add`` or ``edit`` (default ``edit`` when ``host`` is a loopback
    address, ``view`` otherwise); ``hosts``: further host names the app answers to besides
    ``host`` and the loopback names (a request naming another host gets a 400 page)."""
    if allow is None:
        allow = "edit" if host in LOOPBACK else "view"
    if allow not in LEVELS:
        raise NgoaivuError(f"--allow {allow}: không có mức này", hint="dùng view, add hoặc edit")
    root = (root or Path.cwd()).resolve()
    site = Site(root=root, config_path=config_path, allow=allow,
                hosts=frozenset(h.lower().strip("[]") for h in (*LOOPBACK, host, *hosts)))
    site.config()  # a broken configuration stops the start, with its message

    here = Path(__file__).parent
    app = Flask(__name__, template_folder=str(here / "templates"),
                static_folder=str(here / "static"))
    app.config.update(SECRET_KEY=secret_key or secrets.token_bytes(32),
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_NAME="ngoaivu_session", MAX_CONTENT_LENGTH=MAX_UPLOAD,
                      MAX_FORM_MEMORY_SIZE=2 * 1024 * 1024)
    app.extensions["ngoaivu"] = site
    _install_guards(app, site)
    _install_errors(app)
    _install_filters(app, site)
    _routes(app, site)
    return app


def _install_guards(app: Flask, site: Site) -> None:
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


def _page(status: int, title: str, message: str, hint: str = "") -> tuple[str, int]:
    return render_template("error.html", title=title, message=message, hint=hint,
                           status=status), status


def _install_errors(app: Flask) -> None:
    @app.errorhandler(Refused)
    def refused(exc: Refused) -> tuple[str, int]:
        return _page(exc.status, exc.title, exc.message, exc.hint)

    @app.errorhandler(NgoaivuError)
    def ngoaivu_error(exc: NgoaivuError) -> tuple[str, int]:
        status = 400 if exc.exit_code == 2 else 422
        return _page(status, "Không làm được", exc.message, exc.hint or "")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        title, hint = HTTP_WORDS.get(code, (exc.name, ""))
        return _page(code, title, f"lỗi {code}", hint)

    @app.errorhandler(Exception)
    def crash(exc: Exception) -> tuple[str, int]:
        app.logger.exception("lỗi không lường trước")
        title, hint = HTTP_WORDS[500]
        return _page(500, title, "chương trình gặp lỗi khi làm việc này; chưa ghi gì", hint)


def _install_filters(app: Flask, site: Site) -> None:
    @app.context_processor
    def common() -> dict[str, Any]:
        config = site.config()
        return {"csrf": session.get("csrf", ""), "site": site, "config": config,
                "agency_name": config.agency.short_name if hasattr(config.agency, "short_name")
                else "", "status_words": STATUS_WORDS, "nav": request.endpoint or ""}

    app.jinja_env.filters["vndate"] = api.short_date


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


# --------------------------------------------------------------------------- routes


def _routes(app: Flask, site: Site) -> None:  # noqa: C901 - one place lists every page
    @app.before_request
    def bind() -> None:
        g.site = site

    @app.get("/")
    def home() -> Response:
        return redirect(url_for("log"))

    # ------------------------------------------------------------------ Nhật ký
    @app.get("/nhat-ky")
    def log() -> str:
        config = site.config()
        q = request.args
        expr = q.get("ky", "").strip() or "tháng này"
        chosen = {k: q.get(k, "").strip() for k in ("linh_vuc", "nhan", "trang_thai",
                                                    "co_quan", "don_vi")}
        error = None
        rows: list[dict[str, Any]] = []
        period = None
        try:
            period = api.resolve_period(expr, config)
            selection = api.select_entries(
                config, period,
                categories=(chosen["linh_vuc"],) if chosen["linh_vuc"] else (),
                units=(chosen["don_vi"],) if chosen["don_vi"] else (),
                tags=(chosen["nhan"],) if chosen["nhan"] else (),
                status=chosen["trang_thai"] or "any",
                agencies=(chosen["co_quan"],) if chosen["co_quan"] else ())
            for e in selection.entries:
                if e.official is not None:
                    continue
                rel = own_file(config, e.loc.path)
                rows.append({"entry": e, "when": api.entry_when(e),
                             "category": config.category_label(e.category),
                             "id": remember(site, rel) if rel is not None else None,
                             "agency": api.agency_of(e, config)})
        except NgoaivuError as exc:
            error = exc
        link = url_for("log") + "?" + query(ky=expr, **chosen)
        agencies = [config.own_agency, *(s.name for s in config.sources)]
        return render_template("log.html", expr=expr, period=period, rows=rows, error=error,
                               chosen=chosen, permalink=link, agencies=agencies)

    # ------------------------------------------------------------------ Thêm
    def suggestions(config: Any) -> dict[str, list[str]]:
        """Partners and tags of the log's recent entries (this year and last), for datalists."""
        try:
            today = dt.date.today()
            period = api.resolve_period(f"{today.year - 1}-01-01:{today:%Y-%m-%d}", config)
            entries = api.select_entries(config, period).entries
        except NgoaivuError:
            entries = []
        partners: dict[str, None] = {}
        tags: dict[str, None] = {}
        for e in entries:
            partners.update(dict.fromkeys(e.partners))
            tags.update(dict.fromkeys(e.tags))
        return {"partners": sorted(partners), "tags": sorted(tags)}

    def form_page(form: EntryForm, *, mode: str, key: str | None = None,
                  seen: str = "", status: int = 200, saved: str | None = None
                  ) -> tuple[str, int]:
        config = site.config()
        own = category_metrics(config).get(form.category, [])
        return render_template("entry_form.html", form=form, mode=mode, key=key, seen=seen,
                               saved=saved, hints=suggestions(config), own_metrics=own,
                               other_metrics=[k for k, m in config.metrics.items()
                                              if k not in own and not m.sum_of]), status

    @app.get("/them")
    @needs("add")
    def add_form() -> tuple[str, int]:
        form = EntryForm(date=api.short_date(dt.date.today()),
                         category=request.args.get("linh_vuc", ""),
                         unit=request.args.get("don_vi", ""))
        return form_page(form, mode="add", saved=request.args.get("da_ghi"))

    @app.post("/them")
    @needs("add")
    def add() -> Any:
        config = site.config()
        form = EntryForm.from_request(config)
        values = form.fields(config)
        if values is not None:
            form.take(api.entry_problems(config, api.entry_yaml(**values),
                                         probe_path(config, values)))
        if values is None or form.errors or form.general:
            return form_page(form, mode="add", status=422)
        with site.lock:
            try:
                result = api.add_entry(config, **values)
            except NgoaivuError as exc:
                form.general.append(exc.message + (f" (gợi ý: {exc.hint})" if exc.hint else ""))
                return form_page(form, mode="add", status=422)
        rel = own_file(config, str(result.path))
        key = remember(site, rel) if rel is not None else ""
        if request.form.get("tiep"):  # "Ghi và thêm tiếp": the same form, emptied of the text
            return redirect(url_for("add_form", da_ghi=key, linh_vuc=form.category,
                                    don_vi=form.unit))
        return redirect(url_for("show", key=key, da_ghi=1))

    # ------------------------------------------------------------------ one entry
    def load(key: str) -> tuple[Path, str, str, list[Any], list[Problem]]:
        config = site.config()
        rel = find_file(site, key)
        path = config.data_dir / rel
        text, seen = api.read_entry(config, path)
        entries, problems = api.entries_of_text(text, f"data/{rel.as_posix()}")
        return rel, text, seen, entries, problems

    def representable(text: str, entries: list[Any], problems: list[Problem]) -> bool:
        """Whether the form gives back exactly this file (one entry, written as `new` writes)."""
        if len(entries) != 1 or problems or entries[0].official is not None:
            return False
        e = entries[0]
        if e.date is None or e.category is None or e.summary is None:
            return False
        config = site.config()
        if any(k not in config.metrics or config.metrics[k].sum_of for k, _v in e.metrics):
            return False  # a figure the form has no field for
        try:
            again = api.entry_yaml(date=e.date, category=e.category, summary=e.summary,
                                   status=e.status, end=None if e.approx else e.end,
                                   unit=e.unit, tags=e.tags, partners=e.partners,
                                   metrics=e.metrics, footnote=e.footnote, approx=e.approx,
                                   order=e.order)
        except (NgoaivuError, ValueError):
            return False
        return again == text

    @app.get("/hoat-dong/<key>")
    def show(key: str) -> str:
        rel, text, _seen, entries, problems = load(key)
        config = site.config()
        return render_template("entry.html", key=key, rel=rel, text=text, entries=entries,
                               problems=problems, labels=config.category_label,
                               saved=request.args.get("da_ghi"))

    @app.get("/sua/<key>")
    @needs("edit")
    def edit_form(key: str) -> tuple[str, int]:
        rel, text, seen, entries, problems = load(key)
        if request.args.get("yaml") or not representable(text, entries, problems):
            return render_template("yaml_form.html", key=key, rel=rel, text=text, seen=seen,
                                   problems=[]), 200
        return form_page(EntryForm.from_entry(entries[0]), mode="edit", key=key, seen=seen)

    def conflict(key: str, rel: Path, mine: str) -> tuple[str, int]:
        config = site.config()
        try:
            theirs, _ = api.read_entry(config, config.data_dir / rel)
        except (NgoaivuError, OSError):
            theirs = None
        return render_template("conflict.html", key=key, rel=rel, mine=mine,
                               theirs=theirs), 409

    def write(key: str, rel: Path, text: str, seen: str) -> Any:
        """Replace the file, or say why not: a conflict page, or problems (returned)."""
        config = site.config()
        path = config.data_dir / rel
        with site.lock:
            try:
                _now, current = api.read_entry(config, path)
            except (NgoaivuError, OSError):
                current = None
            if current != seen:
                return conflict(key, rel, text)
            try:
                api.change_entry(config, path, text, seen)
            except NgoaivuError as exc:
                found = getattr(exc, "problems", None)
                if found is None:
                    return conflict(key, rel, text) if _changed(config, path, seen) else \
                        _page(422, "Không ghi được", exc.message, exc.hint or "")
                return list(found)
        return None

    def move(key: str, rel: Path, form: EntryForm, values: dict[str, Any], seen: str) -> Any:
        """An edit that changes the date: the entry goes to the file of its new date (as
        `new` names it) and the old file is removed, or nothing changes."""
        config = site.config()
        path = config.data_dir / rel
        text = api.entry_yaml(**values)
        found = [p for p in api.entry_problems(config, text, probe_path(config, values))
                 if not (p.code == "E-DUPLICATE-ENTRY" and rel.name in p.message)]
        form.take(found)
        if form.errors or form.general:
            return form_page(form, mode="edit", key=key, seen=seen, status=422)
        with site.lock:
            if _changed(config, path, seen):
                return conflict(key, rel, text)
            try:
                result = api.add_entry(config, **values)
            except NgoaivuError as exc:
                form.general.append(exc.message + (f" (gợi ý: {exc.hint})" if exc.hint else ""))
                return form_page(form, mode="edit", key=key, seen=seen, status=422)
            try:
                api.delete_entry(config, path, seen)
            except NgoaivuError:
                _new_text, new_hash = api.read_entry(config, result.path)
                api.delete_entry(config, result.path, new_hash)
                return conflict(key, rel, text)
        new_rel = own_file(config, str(result.path))
        return redirect(url_for("show", key=remember(site, new_rel) if new_rel else key,
                                da_ghi=1))

    @app.post("/sua/<key>")
    @needs("edit")
    def edit(key: str) -> Any:
        config = site.config()
        rel = find_file(site, key, gone_ok=True)
        seen = request.form.get("seen", "")
        if not (config.data_dir / rel).is_file():
            return conflict(key, rel, request.form.get("yaml") or "")
        if "yaml" in request.form:
            text = request.form.get("yaml", "").replace("\r\n", "\n")
            done = write(key, rel, text, seen)
            if isinstance(done, list):
                return render_template("yaml_form.html", key=key, rel=rel, text=text, seen=seen,
                                       problems=done), 422
            return done or redirect(url_for("show", key=key, da_ghi=1))
        form = EntryForm.from_request(config)
        values = form.fields(config)
        if values is not None:  # the entry keeps its place (`order`, issue 25 item 4)
            _rel, _text, _seen, before, _problems = load(key)
            values["order"] = before[0].order if len(before) == 1 else None
        if values is not None and form.errors:  # the rest too, but not the file itself
            form.take(p for p in api.entry_problems(config, api.entry_yaml(**values),
                                                    probe_path(config, values))
                      if not (p.code == "E-DUPLICATE-ENTRY" and rel.name in p.message))
        if values is None or form.errors:
            return form_page(form, mode="edit", key=key, seen=seen, status=422)
        text = api.entry_yaml(**values)
        if probe_path(config, values).parent != (config.data_dir / rel).parent or \
                not rel.name.startswith((values.get("approx") or values["date"].isoformat())
                                        + "-"):
            return move(key, rel, form, values, seen)
        done = write(key, rel, text, seen)
        if isinstance(done, list):
            form.take(done)
            if not (form.errors or form.general):
                form.general.append("nội dung chưa hợp lệ; chưa ghi gì")
            return form_page(form, mode="edit", key=key, seen=seen, status=422)
        return done or redirect(url_for("show", key=key, da_ghi=1))

    @app.get("/da-thuc-hien/<key>")
    @needs("add")
    def mark_done(key: str) -> tuple[str, int]:
        """A planned activity done: the add form, prefilled from the plan."""
        _rel, _text, _seen, entries, _problems = load(key)
        if len(entries) != 1:
            raise Refused(400, "Không mở được", "tệp này không phải một hoạt động",
                          "mở tệp và ghi hoạt động mới bằng trang Thêm")
        form = EntryForm.from_entry(entries[0])
        form.status = "done"
        if entries[0].approx or (entries[0].date and entries[0].date > dt.date.today()):
            form.date = api.short_date(dt.date.today())
        form.end = ""
        return form_page(form, mode="add")

    # ------------------------------------------------------------------ Xóa, thùng rác
    @app.get("/xoa/<key>")
    @needs("edit")
    def delete_form(key: str) -> str:
        rel, text, seen, _entries, _problems = load(key)
        return render_template("delete.html", key=key, rel=rel, text=text, seen=seen)

    @app.post("/xoa/<key>")
    @needs("edit")
    def delete(key: str) -> Any:
        config = site.config()
        rel = find_file(site, key, gone_ok=True)
        seen = request.form.get("seen", "")
        path = config.data_dir / rel
        with site.lock:
            try:
                text, current = api.read_entry(config, path)
            except (NgoaivuError, OSError):
                return conflict(key, rel, "")
            if current != seen:
                return conflict(key, rel, "")
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            keep = site.root / TRASH / stamp / "data" / rel
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.write_text(text, encoding="utf-8")
            try:
                api.delete_entry(config, path, seen)
            except BaseException:
                shutil.rmtree(site.root / TRASH / stamp, ignore_errors=True)
                raise
        return redirect(url_for("trash", xoa=stamp))

    def trash_items() -> list[dict[str, Any]]:
        folder = site.root / TRASH
        items = []
        if folder.is_dir():
            for stamp in sorted((p for p in folder.iterdir() if _STAMP.match(p.name)),
                                key=lambda p: p.name, reverse=True):
                files = [p for p in (stamp / "data").rglob("*") if p.is_file()]
                if files:
                    rel = files[0].relative_to(stamp / "data")
                    when = dt.datetime.strptime(stamp.name, "%Y%m%dT%H%M%S%fZ").replace(
                        tzinfo=dt.UTC).astimezone()
                    items.append({"stamp": stamp.name, "rel": rel,
                                  "when": f"{api.short_date(when.date())} {when:%H:%M}",
                                  "text": files[0].read_text(encoding="utf-8",
                                                             errors="replace")})
        return items

    @app.get("/thung-rac")
    def trash() -> str:
        return render_template("trash.html", items=trash_items(),
                               deleted=request.args.get("xoa"))

    @app.post("/thung-rac/<stamp>/khoi-phuc")
    @needs("edit")
    def restore(stamp: str) -> Any:
        if not _STAMP.match(stamp):
            abort(404)
        config = site.config()
        folder = site.root / TRASH / stamp
        files = [p for p in (folder / "data").rglob("*") if p.is_file()] if folder.is_dir() \
            else []
        if not files:
            abort(404)
        rel = files[0].relative_to(folder / "data")
        target = config.data_dir / rel
        with site.lock:
            data = files[0].read_bytes()
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                raise Refused(409, "Không khôi phục được",
                              f"đã có tệp data/{rel.as_posix()}",
                              "sửa hoặc xóa tệp đó trước rồi khôi phục lại") from None
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            shutil.rmtree(folder, ignore_errors=True)
        return redirect(url_for("show", key=remember(site, rel)))

    # ------------------------------------------------------------------ Lỗi
    @app.get("/loi")
    def problems() -> str:
        config = site.config()
        rows: list[dict[str, Any]] = []
        for p in api.problems(config):
            rel = own_file(config, p.loc.path)
            rows.append({"p": p, "id": remember(site, rel) if rel is not None and
                         rel.suffix in (".yaml", ".yml") else None})
        return render_template("problems.html", rows=rows,
                               errors=sum(1 for r in rows if r["p"].is_error))

    # ------------------------------------------------------------------ Báo cáo
    def report_args() -> tuple[Any, Any, str]:
        config = site.config()
        expr = request.args.get("ky", "").strip() or "tuần trước"
        kind = request.args.get("loai", "").strip() or None
        if kind is not None and kind not in config.report_types:
            raise Refused(404, "Không có loại báo cáo này", f"không có loại “{kind}”",
                          "chọn một loại trong danh sách")
        period, rt = api.report_period(config, expr, kind)
        return period, rt, expr

    @app.get("/bao-cao")
    def reports() -> str:
        config = site.config()
        expr = request.args.get("ky", "").strip() or "tuần trước"
        error = None
        due: list[Any] = []
        model = None
        warnings: list[Problem] = []
        chosen = None
        try:
            period = api.resolve_period(expr, config)
            due = api.reports_due(config, period)
            if request.args.get("loai") or due:
                rperiod, rt, _ = report_args() if request.args.get("loai") else \
                    (due[0][1], due[0][0], expr)
                built = api.build_report(config, rperiod, type_name=rt.key, fmt="json")
                model = json.loads(built.data)
                warnings = built.warnings
                chosen = rt
        except NgoaivuError as exc:
            error = exc
        return render_template("reports.html", expr=expr, due=due, model=model,
                               warnings=warnings, chosen=chosen, error=error,
                               formats=[f for f in api.REPORT_FORMATS
                                        if f != "pdf" or _has_office()],
                               format_words=FORMAT_WORDS, note_text=_note_text)

    @app.get("/bao-cao/tai")
    def download() -> Response:
        config = site.config()
        fmt = request.args.get("dinh_dang", "docx")
        if fmt not in api.REPORT_FORMATS:
            abort(404)
        period, rt, _expr = report_args()
        built = api.build_report(config, period, type_name=rt.key, fmt=fmt)
        return send_file(io.BytesIO(built.data), mimetype=MIME[fmt], as_attachment=True,
                         download_name=built.file_name())

    # ------------------------------------------------------------------ Đơn vị báo cáo
    @app.get("/don-vi")
    def agencies() -> str:
        config = site.config()
        expr = request.args.get("ky", "").strip() or "tháng trước"
        error = result = None
        if config.sources:
            try:
                result = api.agency_status(config, expr)
            except NgoaivuError as exc:
                error = exc
        return render_template("agencies.html", expr=expr, result=result, error=error,
                               word=api.status_word)

    # ------------------------------------------------------------------ uploads
    def upload(kinds: tuple[str, ...]) -> tuple[Path, str]:
        """The uploaded file, saved in the server's temporary folder under a name the server
        chose (only its extension is kept); a page saying what is wrong otherwise."""
        sent = request.files.get("tep")
        if sent is None or not sent.filename:
            raise Refused(400, "Chưa chọn tệp", "chưa chọn tệp nào để gửi",
                          "bấm “Chọn tệp” rồi gửi lại")
        suffix = Path(sent.filename).suffix.lower()
        if suffix not in kinds:
            raise Refused(415, "Loại tệp không nhận",
                          f"không nhận tệp {suffix or '(không có đuôi)'}",
                          "chỉ nhận tệp " + ", ".join(kinds))
        folder = Path(tempfile.mkdtemp(dir=site.upload_dir))
        path = folder / f"van-ban{suffix}"
        sent.save(path)
        return path, sent.filename

    @app.route("/kiem-tra", methods=["GET", "POST"])
    def check() -> str:
        result = name = None
        if request.method == "POST":
            path, name = upload((".docx",))
            try:
                result = api.check_document(path)
            finally:
                shutil.rmtree(path.parent, ignore_errors=True)
        return render_template("check.html", result=result, name=name)

    @app.route("/nhap", methods=["GET", "POST"])
    def import_page() -> Any:
        if request.method == "GET":
            return render_template("import.html", run=None, name=None, token=None)
        if not site.may("add"):
            raise Refused(403, "Không được phép", f"máy chủ này không cho thêm hoạt động "
                          f"(--allow {site.allow})", "chạy lại `ngoaivu serve --allow add`")
        config = site.config()
        token = request.form.get("tep_id", "")
        if token:  # the second step: write what the dry run proposed
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", token):
                abort(404)
            folder = site.upload_dir / token
            files = list(folder.glob("van-ban.*")) if folder.is_dir() else []
            if not files:
                raise Refused(404, "Tệp đã hết hạn", "không còn tệp đã gửi",
                              "gửi lại tệp văn bản")
            with site.lock:
                run = api.import_documents(files, config, dry_run=False)
            shutil.rmtree(folder, ignore_errors=True)
            return render_template("import.html", run=run, name=request.form.get("ten"),
                                   token=None, low=api.import_words()[0])
        path, name = upload(IMPORT_TYPES)
        run = api.import_documents([path], config, dry_run=True)
        return render_template("import.html", run=run, name=name,
                               token=path.parent.name, low=api.import_words()[0])


def _changed(config: Any, path: Path, seen: str) -> bool:
    try:
        return api.read_entry(config, path)[1] != seen
    except (NgoaivuError, OSError):
        return True


_office: bool | None = None


def _has_office() -> bool:
    """Whether LibreOffice is installed (PDF)."""
    global _office
    if _office is None:
        _office = any(shutil.which(n) for n in ("soffice", "libreoffice"))
    return _office


def _note_text(text: str) -> Markup:
    """A paragraph of the report model, HTML-escaped, its footnote references ``[^n]`` (as
    the JSON model writes them) as superscripts."""
    return Markup(re.sub(r"\[\^(\d+)\]", r'<sup class="fn">\1</sup>', str(escape(text))))


def query(**values: str) -> str:
    return urlencode({k: v for k, v in values.items() if v})
