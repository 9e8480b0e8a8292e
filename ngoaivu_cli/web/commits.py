"""``ngoaivu serve --git``: after a change is written, one commit of exactly the files it
touched, with a Vietnamese message (``Thêm hoạt động 2023-08-28: …``) and the author given at
start-up. The file is written first; a commit that fails loses nothing: the page says so (a
warning) and the file stays as written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import flash

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError
from ngoaivu_cli.web.site import Site

TITLE_CHARS = 60  # of the summary, in a commit's first line


def title(when: dt.date | str | None, summary: str | None) -> str:
    """``2023-08-28: Dịch tài liệu hội thảo…``: what a commit message names an entry by."""
    text = " ".join((summary or "").split())
    if len(text) > TITLE_CHARS:
        text = text[:TITLE_CHARS - 1].rstrip() + "…"
    day = when.isoformat() if isinstance(when, dt.date) else (when or "")
    return f"{day}: {text}" if day else text


def title_of_text(text: str, name: str) -> str:
    """The title of the entry (the first one) of a file's text, or its file name."""
    try:
        entries, _problems = api.entries_of_text(text, name)
    except (NgoaivuError, ValueError):
        entries = []
    if entries:
        e = entries[0]
        return title(e.approx or e.date, e.summary)
    return Path(name).name


def record(site: Site, message: str, changes: dict[Path, bytes | None]) -> bool:
    """Commit ``changes`` (absolute paths) when the server runs with ``--git``; whether a
    commit was made (not when HEAD had the files so already: a deleted file that was never
    committed is then kept in the trash folder). A failure is a warning on the next page, never
    an error: the files are written."""
    log: Any = site.git
    if log is None or not changes:
        return False
    try:
        return api.git_commit(log, message, changes) is not None
    except NgoaivuError as exc:
        why = exc.message
    except (OSError, ValueError) as exc:
        why = str(exc)
    flash(f"Đã ghi tệp nhưng chưa commit được vào git: {why}. Tệp vẫn giữ nguyên (một tệp "
          "đã xóa nằm trong Thùng rác); commit bằng git khi sửa được lỗi.", "warning")
    return False
