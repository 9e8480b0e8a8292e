"""Uploaded files: bounded in size (``MAX_CONTENT_LENGTH``) and type, saved in the server's own
temporary folder under a name the server chose, never under their own names."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import request

from ngoaivu_cli.web.site import Refused, Site


def upload(site: Site, kinds: tuple[str, ...]) -> tuple[Path, str]:
    """The uploaded file, saved in the server's temporary folder under a name the server
    chose (only its extension is kept); a page saying what is wrong otherwise."""
    sent = request.files.get("tep")
    if sent is None or not sent.filename:
        raise Refused(400, "Chưa chọn tệp", "chưa chọn tệp nào để gửi",
                      "bấm “Chọn tệp” rồi gửi lại")
    suffix = Path(sent.filename).suffix.lower()
    if suffix not in kinds:
        raise Refused(415, "Loại tệp không nhận",
                      f"không nhận tệp {suffix or '(không có đuôi)'}",
                      "chỉ nhận tệp " + ", ".join(kinds))
    folder = Path(tempfile.mkdtemp(dir=site.upload_dir))
    path = folder / f"van-ban{suffix}"
    sent.save(path)
    return path, sent.filename

