"""The Flask application of ``ngoaivu serve``: :func:`create_app`.

The app is a small package: :mod:`.site` (what is served, the ids of entry files, the guards
of every request), :mod:`.errors` (the Vietnamese error pages), :mod:`.forms` (the activity
form), :mod:`.uploads`, and one module of :mod:`.pages` for each page.

Every write holds one lock; every error a user can cause is a Vietnamese page. The app never
changes the process's working folder: ``ngoaivu serve`` changes it once, to the log's folder,
before the server starts (the paths the library shows are relative to it).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask, redirect, request, session, url_for
from werkzeug.wrappers import Response

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError, UsageError
from ngoaivu_cli.web.errors import install_errors
from ngoaivu_cli.web.pages import agencies, check, entries, imports, problems, reports, trash
from ngoaivu_cli.web.site import (
    LEVELS,
    LOOPBACK,
    MAX_UPLOAD,
    STATUS_WORDS,
    TRASH,
    Site,
    entry_id,
    install_guards,
)


def create_app(root: Path | None = None, *, config_path: Path | None = None,
               allow: str | None = None, host: str = "127.0.0.1",
               hosts: Iterable[str] = (), secret_key: bytes | None = None,
               git: bool = False, author: str | None = None) -> Flask:
    """The web app over the log at ``root`` (default: the working folder).

    ``allow``: ``view``, ``add`` or ``edit`` (default ``edit`` when ``host`` is a loopback
    address, ``view`` otherwise); ``hosts``: further host names the app answers to besides
    ``host`` and the loopback names (a request naming another host gets a 400 page);
    ``git``: each change is one commit (the log must be a git repository and an author known:
    ``author``, ``Tên <email>``, or the repository's git configuration)."""
    if allow is None:
        allow = "edit" if host in LOOPBACK else "view"
    if allow not in LEVELS:
        raise NgoaivuError(f"--allow {allow}: không có mức này", hint="dùng view, add hoặc edit")
    root = (root or Path.cwd()).resolve()
    site = Site(root=root, config_path=config_path, allow=allow,
                hosts=frozenset(h.lower().strip("[]") for h in (*LOOPBACK, host, *hosts)))
    site.config()  # a broken configuration stops the start, with its message
    if author is not None and not git:
        raise UsageError("--author chỉ dùng cùng --git", hint="thêm --git, hoặc bỏ --author")
    if git:
        site.git = api.git_log(root, author)  # no repository, no author: the start stops

    here = Path(__file__).parent
    app = Flask(__name__, template_folder=str(here / "templates"),
                static_folder=str(here / "static"))
    app.config.update(SECRET_KEY=secret_key or secrets.token_bytes(32),
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_NAME="ngoaivu_session", MAX_CONTENT_LENGTH=MAX_UPLOAD,
                      MAX_FORM_MEMORY_SIZE=2 * 1024 * 1024)
    app.extensions["ngoaivu"] = site
    install_guards(app, site)
    install_errors(app)
    _install_filters(app, site)

    @app.get("/")
    def home() -> Response:
        return redirect(url_for("log"))

    for pages in (entries, trash, problems, reports, agencies, check, imports):
        pages.register(app, site)
    return app


def _install_filters(app: Flask, site: Site) -> None:
    @app.context_processor
    def common() -> dict[str, Any]:
        config = site.config()
        return {"csrf": session.get("csrf", ""), "site": site, "config": config,
                "agency_name": config.agency.short_name if hasattr(config.agency, "short_name")
                else "", "status_words": STATUS_WORDS, "nav": request.endpoint or ""}

    app.jinja_env.filters["vndate"] = api.short_date


__all__ = ["LOOPBACK", "TRASH", "create_app", "entry_id"]
