"""Kiểm tra thể thức: an uploaded DOCX → the ``ngoaivu check`` result."""

from __future__ import annotations

import shutil

from flask import Flask, render_template, request

from ngoaivu_cli import api
from ngoaivu_cli.web.site import Site
from ngoaivu_cli.web.uploads import upload


def register(app: Flask, site: Site) -> None:
    @app.route("/kiem-tra", methods=["GET", "POST"])
    def check() -> str:
        result = name = None
        if request.method == "POST":
            path, name = upload(site, (".docx",))
            try:
                result = api.check_document(path)
            finally:
                shutil.rmtree(path.parent, ignore_errors=True)
        return render_template("check.html", result=result, name=name)
