"""Lỗi: the problems of the log, as ``validate`` finds them, each linking to the form of its
file."""

from __future__ import annotations

from flask import Flask, render_template

from ngoaivu_cli import api
from ngoaivu_cli.web.site import Site, problem_rows


def register(app: Flask, site: Site) -> None:
    # ------------------------------------------------------------------ Lỗi
    @app.get("/loi")
    def problems() -> str:
        rows = problem_rows(site, api.problems(site.config()))
        return render_template("problems.html", rows=rows,
                               errors=sum(1 for r in rows if r["p"].is_error))
