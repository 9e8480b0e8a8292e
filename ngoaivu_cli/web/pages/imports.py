"""Nhập văn bản cũ: an uploaded old report → the ``import --dry-run`` table, where each proposed
activity can be chosen and its category and status corrected → only the chosen ones written.

Between the two requests the upload stays on the server, in its own temporary folder, under a
random token bound to the visitor's session and valid for :data:`UPLOAD_TTL` seconds; the
browser sends back only that token and, for each proposed activity, its index and the chosen
category and status. The second request reads the document again (the same dry run) and
applies the choices by index; an index, category or status that is not one of the proposal's
or the configuration's, a token of another session or an expired one is refused with a page,
and nothing is written."""

from __future__ import annotations

import dataclasses
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request, session

from ngoaivu_cli import api
from ngoaivu_cli.web import commits
from ngoaivu_cli.web.site import STATUS_WORDS, Refused, Site
from ngoaivu_cli.web.uploads import upload

IMPORT_TYPES = (".docx", ".doc", ".odt", ".txt", ".md")
UPLOAD_TTL = 30 * 60  # seconds an uploaded document waits for its "Ghi vào nhật ký"
MAX_PENDING = 20  # uploads kept waiting at once, 20 MB at most each (the oldest go first)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}\Z")


@dataclass
class Pending:
    """An uploaded document waiting for the visitor's choices."""

    path: Path
    name: str  # as the browser named it: shown, never used as a path
    owner: str  # the session's CSRF token: another session's request is refused
    proposed: int  # how many activities the dry run proposed
    made: float


def _expired(token: str, what: Pending) -> bool:
    return time.monotonic() - what.made > UPLOAD_TTL


def register(app: Flask, site: Site) -> None:  # noqa: C901 - the two steps of one page
    pending: dict[str, Pending] = {}

    def drop(token: str) -> None:
        what = pending.pop(token, None)
        if what is not None:
            shutil.rmtree(what.path.parent, ignore_errors=True)

    def sweep() -> None:
        for token, what in list(pending.items()):
            if _expired(token, what):
                drop(token)
        while len(pending) > MAX_PENDING:
            drop(min(pending, key=lambda t: pending[t].made))

    def page(run: Any, name: str | None, token: str | None, proposal: list[Any] | None,
             status: int = 200) -> tuple[str, int]:
        low, review = api.import_words()
        index_of = {id(e): i for i, e in enumerate(proposal or [])}
        config = site.config()
        categories = [(k, c.label) for k, c in config.categories.items()]
        if review not in config.categories:
            categories.append((review, "Cần xem lại (xem_lai)"))
        return render_template("import.html", run=run, name=name, token=token, low=low,
                               index_of=index_of, id_of=id, categories=categories), status

    def dry_run(path: Path) -> tuple[Any, list[Any]]:
        seen: list[Any] = []

        def keep(entries: list[Any]) -> list[Any]:
            seen[:] = entries
            return entries

        run = api.import_documents([path], site.config(), dry_run=True, choose=keep)
        return run, seen

    @app.route("/nhap", methods=["GET", "POST"])
    def import_page() -> Any:
        if request.method == "GET":
            return page(None, None, None, None)
        if not site.may("add"):
            raise Refused(403, "Không được phép", f"máy chủ này không cho thêm hoạt động "
                          f"(--allow {site.allow})", "chạy lại `ngoaivu serve --allow add`")
        sweep()
        token = request.form.get("tep_id", "")
        if token:  # the second step: write the chosen ones
            return write(token)
        path, name = upload(site, IMPORT_TYPES)
        run, proposal = dry_run(path)
        token = secrets.token_urlsafe(24)
        pending[token] = Pending(path, name, str(session.get("csrf", "")), len(proposal),
                                 time.monotonic())
        return page(run, name, token, proposal)

    def write(token: str) -> Any:
        what = pending.get(token) if _TOKEN.match(token) else None
        if what is None or not secrets.compare_digest(what.owner, str(session.get("csrf", ""))):
            raise Refused(404, "Tệp đã hết hạn", "không còn tệp đã gửi (hoặc tệp không phải "
                          "của phiên này)", "gửi lại tệp văn bản")
        if _expired(token, what) or not what.path.is_file():
            drop(token)
            raise Refused(410, "Tệp đã hết hạn", f"tệp đã gửi chỉ được giữ {UPLOAD_TTL // 60} "
                          "phút", "gửi lại tệp văn bản")
        # a form without the table's fields (no choice made at all): the proposal as it is
        table = any(k.startswith("lv_") for k in request.form)
        choices = read_choices(what.proposed) if table else None
        if choices is not None and not choices:
            raise Refused(400, "Chưa chọn hoạt động nào", "chưa đánh dấu hoạt động nào để ghi",
                          "đánh dấu ít nhất một hoạt động rồi bấm “Ghi vào nhật ký”")

        def apply(entries: list[Any]) -> list[Any]:
            if len(entries) != what.proposed:  # the document reads otherwise now
                raise Refused(409, "Văn bản đọc lại khác", "lần đọc này không giống lần đọc "
                              "thử (cấu hình hoặc chương trình đã đổi?)", "gửi lại tệp văn bản")
            if choices is None:
                return entries
            return [dataclasses.replace(entries[i], category=category, status=status)
                    for i, (category, status) in sorted(choices.items())]

        with site.lock:
            run = api.import_documents([what.path], site.config(), dry_run=False,
                                       choose=apply)
            files = [(p, text) for r in run.results for p, text in r.files]
            count = sum(len(r.written) for r in run.results)
            if files:
                commits.record(site, f"Nhập {count} hoạt động từ {what.name}",
                               {Path(p).resolve(): text.encode("utf-8") for p, text in files})
        drop(token)
        return page(run, what.name, None, None)

    def read_choices(proposed: int) -> dict[int, tuple[str, str]]:
        """The chosen indices, each with its category and status, all checked against the
        proposal and the configuration; a forged one is a page, nothing written."""
        config = site.config()
        _low, review = api.import_words()
        allowed = set(config.categories) | {review}
        out: dict[int, tuple[str, str]] = {}
        for raw in request.form.getlist("chon"):
            if not raw.isdigit() or int(raw) >= proposed:
                raise Refused(400, "Lựa chọn không hợp lệ", f"không có hoạt động số {raw[:20]}"
                              " trong đề xuất", "tải lại trang, gửi lại tệp rồi chọn lại")
            i = int(raw)
            category = request.form.get(f"lv_{i}", "").strip()
            status = request.form.get(f"tt_{i}", "done").strip()
            if category not in allowed:
                raise Refused(400, "Lĩnh vực không hợp lệ", f"lĩnh vực “{category[:40]}” "
                              "không có trong cấu hình", "chọn lĩnh vực trong danh sách")
            if status not in STATUS_WORDS:
                raise Refused(400, "Trạng thái không hợp lệ", f"trạng thái “{status[:40]}” "
                              "không có", "chọn Đã thực hiện hoặc Kế hoạch")
            out[i] = (category, status)
        return out
