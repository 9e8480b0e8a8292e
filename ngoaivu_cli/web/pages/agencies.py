"""Đơn vị báo cáo: for a log with ``sources:``, each agency's state for the period."""

from __future__ import annotations

from flask import Flask, render_template, request

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError
from ngoaivu_cli.web.site import Site


def register(app: Flask, site: Site) -> None:
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
