"""Lỗi: the problems of the log, as ``validate`` finds them, each linking to the form of its
file."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template

from ngoaivu_cli import api
from ngoaivu_cli.web.site import Site, own_file, remember


def register(app: Flask, site: Site) -> None:
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
