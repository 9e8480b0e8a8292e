"""Page pictures of a report's PDF for the Báo cáo page (when LibreOffice and ``pdftoppm``, of
poppler-utils, are installed): at most :data:`MAX_PAGES` pages at a low resolution, each run
bounded by a time-out, cached by the hash of the report's content (its JSON model) in the
server's own temporary folder, never inside the log. Without the programs the page says so."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

MAX_PAGES = 4
RESOLUTION = 50  # dots per inch: a page is about 410 × 580 pixels
PDFTOPPM_TIMEOUT = 30.0
MAX_CACHED = 40  # reports whose pictures are kept


def missing() -> str | None:
    """Why there can be no pictures (in Vietnamese), or None."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return "cần LibreOffice để xem ảnh các trang của báo cáo"
    if not shutil.which("pdftoppm"):
        return "cần pdftoppm (gói poppler-utils) để xem ảnh các trang của báo cáo"
    return None


def content_key(model_bytes: bytes) -> str:
    return hashlib.sha256(model_bytes).hexdigest()[:32]


def cached(folder: Path, key: str) -> list[Path] | None:
    """The pictures already made for this content, or None."""
    here = folder / key
    if not (here / "done").is_file():
        return None
    return sorted(here.glob("trang-*.png"))


def make(folder: Path, key: str, pdf: bytes) -> list[Path]:
    """The pictures of the first pages of ``pdf``, made once for ``key``; raises OSError or
    RuntimeError (with a Vietnamese message) when pdftoppm fails or takes too long."""
    here = folder / key
    done = cached(folder, key)
    if done is not None:
        return done
    _trim(folder)
    work = Path(tempfile.mkdtemp(dir=folder))
    try:
        (work / "bao-cao.pdf").write_bytes(pdf)
        proc = subprocess.Popen(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", "1", "-l",
                                 str(MAX_PAGES), "bao-cao.pdf", "trang"], cwd=work,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            code = proc.wait(timeout=PDFTOPPM_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise RuntimeError(f"pdftoppm không xong sau {PDFTOPPM_TIMEOUT:.0f} giây") from None
        if code != 0:
            raise RuntimeError("pdftoppm không đọc được PDF của báo cáo")
        (work / "bao-cao.pdf").unlink()
        (work / "done").write_text("", encoding="utf-8")
        try:
            work.rename(here)
        except OSError:  # made meanwhile by another request
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return cached(folder, key) or []


def _trim(folder: Path) -> None:
    """Keep the pictures of the last :data:`MAX_CACHED` reports only."""
    made = sorted((p for p in folder.iterdir() if p.is_dir() and (p / "done").exists()),
                  key=lambda p: p.stat().st_mtime)
    for old in made[:-MAX_CACHED] if len(made) > MAX_CACHED else []:
        shutil.rmtree(old, ignore_errors=True)
