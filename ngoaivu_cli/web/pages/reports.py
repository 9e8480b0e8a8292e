"""Báo cáo: the report types due for a period, an HTML preview built from the report's JSON
model, its warnings, and the downloads (DOCX, Markdown, JSON, PDF when LibreOffice is there)."""

from __future__ import annotations

import io
import json
import re
import shutil
import threading
from typing import Any

from flask import Flask, abort, render_template, request, send_file
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError, Problem
from ngoaivu_cli.web import thumbnails
from ngoaivu_cli.web.site import Refused, Site, problem_rows

FORMAT_WORDS = {"docx": "Word (DOCX)", "md": "Markdown", "json": "JSON", "pdf": "PDF"}
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "md": "text/markdown; charset=utf-8", "json": "application/json",
        "pdf": "application/pdf"}


def register(app: Flask, site: Site) -> None:
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
        left_out: list[dict[str, Any]] = []
        exact = True
        try:
            period = api.resolve_period(expr, config)
            due = api.reports_due(config, period, expr=expr)  # as `batch` makes them
            exact = any((p.start, p.end) == (period.start, period.end) for _rt, p in due)
            if request.args.get("loai") or due:
                rperiod, rt, _ = report_args() if request.args.get("loai") else \
                    (due[0][1], due[0][0], expr)
                with api.leaving_out_broken_files():  # the valid files, the rest said beside
                    built = api.build_report(config, rperiod, type_name=rt.key, fmt="json")
                model = json.loads(built.data)
                warnings = [w for w in built.warnings if not w.is_error]
                left_out = problem_rows(site, (w for w in built.warnings if w.is_error))
                chosen = rt
        except NgoaivuError as exc:
            error = exc
        return render_template("reports.html", expr=expr, due=due, model=model,
                               warnings=warnings, chosen=chosen, error=error,
                               left_out=left_out, exact=exact,
                               formats=[f for f in api.REPORT_FORMATS
                                        if f != "pdf" or _has_office()],
                               format_words=FORMAT_WORDS, note_text=_note_text)

    thumbs = site.upload_dir / "anh-trang"  # the server's temporary folder, never the log
    making = threading.Lock()

    def make_pictures(config: Any, period: Any, rt: Any, key: str, first_only: bool
                      ) -> tuple[list[Any], str | None]:
        try:
            if first_only:  # LibreOffice's own png export: the first page
                docx = api.build_report(config, period, type_name=rt.key).data
                made = [api.docx_first_page_png(docx)]
            else:
                pdf = api.build_report(config, period, type_name=rt.key, fmt="pdf").data
                made = thumbnails.pdf_pages(pdf)
            return thumbnails.store(thumbs, key, made), None
        except (NgoaivuError, OSError, RuntimeError) as exc:
            if first_only:
                return [], ("cần pdftoppm (gói poppler-utils) để xem ảnh các trang: "
                            "LibreOffice ở máy này không xuất được ảnh PNG")
            return [], "không làm được ảnh các trang: " + str(
                getattr(exc, "message", None) or exc).splitlines()[0]

    @app.get("/bao-cao/anh")
    def page_pictures() -> str:
        """The pictures of the report's first pages (a fragment htmx loads into the Báo cáo
        page, or a page of its own without JavaScript)."""
        config = site.config()
        period, rt, _expr = report_args()
        why = thumbnails.missing()
        pictures: list[str] = []
        key = ""
        first_only = not thumbnails.has_pdftoppm()
        if why is None:
            model = api.build_report(config, period, type_name=rt.key, fmt="json").data
            key = thumbnails.content_key(model + rt.key.encode())
            thumbs.mkdir(exist_ok=True)
            found = thumbnails.cached(thumbs, key)
            if found is None:
                with making:  # one LibreOffice at a time, whatever the number of tabs
                    found = thumbnails.cached(thumbs, key)  # made meanwhile?
                    if found is None:
                        found, why = make_pictures(config, period, rt, key, first_only)
            pictures = [p.name for p in found]
        fragment = request.headers.get("HX-Request") == "true"
        return render_template("_pages.html" if fragment else "pages.html", why=why,
                               key=key, pictures=pictures, limit=thumbnails.MAX_PAGES,
                               first_only=first_only)

    @app.get("/bao-cao/anh/<key>/<name>")
    def page_picture(key: str, name: str) -> Response:
        if not re.fullmatch(r"[0-9a-f]{32}", key) or not re.fullmatch(r"trang-\d{1,3}\.png",
                                                                       name):
            abort(404)
        path = thumbs / key / name
        if not path.is_file():
            abort(404)
        return send_file(path, mimetype="image/png", max_age=3600)

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

