"""Xóa and Thùng rác: a deleted entry goes to a trash folder inside the log (``.ngoaivu-trash``),
from which the page restores it (never over an existing file)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from typing import Any

from flask import Flask, abort, redirect, render_template, request, url_for

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError
from ngoaivu_cli.web.pages.entries import conflict_page
from ngoaivu_cli.web.site import TRASH, Refused, Site, find_file, needs, remember

_STAMP = re.compile(r"\d{8}T\d{12}Z\Z")


def register(app: Flask, site: Site) -> None:
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
