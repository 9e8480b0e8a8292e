"""Xóa and Thùng rác: a deleted entry goes to a trash folder inside the log (``.ngoaivu-trash``),
from which the page restores it (never over an existing file).

With ``--git`` a deletion is also a commit (``git rm``'s: the file stays in history), and the
page lists the entry files the last commits deleted, restored from the commit before; the
trash copy is kept only when that commit failed, so nothing is lost either way. Without
``--git`` the trash folder is the way back, git repository or not (the tool commits nothing
then)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

from flask import Flask, abort, redirect, render_template, request, url_for

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError
from ngoaivu_cli.web import commits
from ngoaivu_cli.web.pages.entries import conflict_page
from ngoaivu_cli.web.site import TRASH, Refused, Site, find_file, needs, own_file, remember

_STAMP = re.compile(r"\d{8}T\d{12}Z\Z")
_KEY = re.compile(r"[0-9a-f]{16}\Z")
MAX_GIT_SHOWN = 20  # deletions from history the page shows


def register(app: Flask, site: Site) -> None:  # noqa: C901 - the pages of the trash
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
                return conflict_page(site, key, rel, "")
            if current != seen:
                return conflict_page(site, key, rel, "")
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            keep = site.root / TRASH / stamp / "data" / rel
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.write_text(text, encoding="utf-8")
            try:
                api.delete_entry(config, path, seen)
            except BaseException:
                shutil.rmtree(site.root / TRASH / stamp, ignore_errors=True)
                raise
            if site.git is not None and commits.record(
                    site, "Xóa hoạt động " + commits.title_of_text(text, f"data/{rel}"),
                    {path.resolve(): None}):
                shutil.rmtree(site.root / TRASH / stamp, ignore_errors=True)  # in history
                with contextlib.suppress(OSError):
                    (site.root / TRASH).rmdir()  # when empty
                return redirect(url_for("trash", xoa="git"))
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

    def git_items() -> list[dict[str, Any]]:
        """The entry files of data/ that the last commits deleted (each once: the newest
        deletion), with an id of the server's (never a path from the browser)."""
        if site.git is None:
            return []
        config = site.config()
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for d in api.git_deleted(site.git):
            rel = own_file(config, str(site.git.repo.root / d.path))
            if rel is None or rel.suffix not in (".yaml", ".yml") or d.path in seen:
                continue
            seen.add(d.path)
            when = dt.datetime.fromtimestamp(d.when, dt.UTC).astimezone()
            items.append({"item": d, "rel": rel,
                          "key": hashlib.sha256(f"{d.commit}:{d.path}".encode()).hexdigest()[:16],
                          "when": f"{api.short_date(when.date())} {when:%H:%M}",
                          "commit": d.commit[:10]})
            if len(items) >= MAX_GIT_SHOWN:
                break
        return items

    @app.get("/thung-rac")
    def trash() -> str:
        history: list[dict[str, Any]] = []
        git_error = None
        try:
            history = git_items()
        except NgoaivuError as exc:
            git_error = exc.message
        return render_template("trash.html", items=trash_items(), history=history,
                               git_error=git_error, deleted=request.args.get("xoa"))

    def put_back(rel: Path, data: bytes) -> Any:
        config = site.config()
        target = config.data_dir / rel
        if target.exists():
            raise Refused(409, "Không khôi phục được", f"đã có tệp data/{rel.as_posix()}",
                          "sửa hoặc xóa tệp đó trước rồi khôi phục lại")
        try:
            api.restore_entry(config, target, data)
        except NgoaivuError as exc:
            if target.exists():
                raise Refused(409, "Không khôi phục được", f"đã có tệp data/{rel.as_posix()}",
                              "sửa hoặc xóa tệp đó trước rồi khôi phục lại") from None
            raise Refused(422, "Không khôi phục được", exc.message, exc.hint or "") from None
        commits.record(site, "Khôi phục hoạt động " + commits.title_of_text(
            data.decode("utf-8", "replace"), f"data/{rel.as_posix()}"),
            {target.resolve(): data})
        return redirect(url_for("show", key=remember(site, rel)))

    @app.post("/thung-rac/<stamp>/khoi-phuc")
    @needs("edit")
    def restore(stamp: str) -> Any:
        if not _STAMP.match(stamp):
            abort(404)
        folder = site.root / TRASH / stamp
        files = [p for p in (folder / "data").rglob("*") if p.is_file()] if folder.is_dir() \
            else []
        if not files:
            abort(404)
        rel = files[0].relative_to(folder / "data")
        with site.lock:
            done = put_back(rel, files[0].read_bytes())
            shutil.rmtree(folder, ignore_errors=True)
        return done

    @app.post("/thung-rac/git/<key>/khoi-phuc")
    @needs("edit")
    def restore_from_git(key: str) -> Any:
        if not _KEY.match(key) or site.git is None:
            abort(404)
        with site.lock:
            found = [it for it in git_items() if it["key"] == key]
            if not found:
                abort(404)
            data = api.git_deleted_text(site.git, found[0]["item"])
            return put_back(found[0]["rel"], data)
