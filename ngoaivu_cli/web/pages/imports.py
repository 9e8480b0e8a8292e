"""Nhập văn bản cũ: an uploaded old report → the ``import --dry-run`` table → write."""

from __future__ import annotations

import re
import shutil
from typing import Any

from flask import Flask, abort, render_template, request

from ngoaivu_cli import api
from ngoaivu_cli.web.site import Refused, Site
from ngoaivu_cli.web.uploads import upload

IMPORT_TYPES = (".docx", ".doc", ".odt", ".txt", ".md")


def register(app: Flask, site: Site) -> None:
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
        path, name = upload(site, IMPORT_TYPES)
        run = api.import_documents([path], config, dry_run=True)
        return render_template("import.html", run=run, name=name,
                               token=path.parent.name, low=api.import_words()[0])
