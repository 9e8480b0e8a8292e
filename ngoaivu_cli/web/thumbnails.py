"""Page pictures of a report for the Báo cáo page, when LibreOffice is installed: the first
:data:`MAX_PAGES` pages of its PDF by ``pdftoppm`` (poppler-utils) when present, else the
first page by LibreOffice's own png export; each run bounded by a time-out, the pictures cached
by the hash of the report's content (its JSON model) in the server's own temporary folder,
never inside the log. Without LibreOffice the page says so."""

from __future__ import annotations

import contextlib
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
MAX_PICTURE = 5 * 1024 * 1024  # bytes of one page picture


def missing() -> str | None:
    """Why there can be no pictures (in Vietnamese), or None."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return "cần LibreOffice để xem ảnh các trang của báo cáo"
    return None


def has_pdftoppm() -> bool:
    return shutil.which("pdftoppm") is not None


def content_key(model_bytes: bytes) -> str:
    return hashlib.sha256(model_bytes).hexdigest()[:32]


def cached(folder: Path, key: str) -> list[Path] | None:
    """The pictures already made for this content, or None."""
    here = folder / key
    if not (here / "done").is_file():
        return None
    return sorted(here.glob("trang-*.png"), key=lambda p: int(p.stem.split("-")[1]))


def pdf_pages(pdf: bytes) -> list[bytes]:
    """The first pages of ``pdf`` as PNG pictures, by pdftoppm; RuntimeError (a Vietnamese
    message) when it fails or takes longer than :data:`PDFTOPPM_TIMEOUT`."""
    with tempfile.TemporaryDirectory(prefix="ngoaivu-trang-") as tmp:
        work = Path(tmp)
        (work / "bao-cao.pdf").write_bytes(pdf)
        proc = subprocess.Popen(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", "1", "-l",
                                 str(MAX_PAGES), "bao-cao.pdf", "trang"], cwd=work,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            code = proc.wait(timeout=PDFTOPPM_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise RuntimeError(f"pdftoppm không xong sau {PDFTOPPM_TIMEOUT:.0f} giây") from None
        if code != 0:
            raise RuntimeError("pdftoppm không đọc được PDF của báo cáo")
        pages = sorted(work.glob("trang-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        return [p.read_bytes() for p in pages[:MAX_PAGES] if p.stat().st_size <= MAX_PICTURE]


def store(folder: Path, key: str, pictures: list[bytes]) -> list[Path]:
    """Keep ``pictures`` as the pages of ``key`` (once: a copy made meanwhile wins)."""
    _trim(folder)
    work = Path(tempfile.mkdtemp(dir=folder))
    try:
        for n, data in enumerate(pictures[:MAX_PAGES], 1):
            (work / f"trang-{n}.png").write_bytes(data)
        (work / "done").write_text("", encoding="utf-8")
        try:
            work.rename(folder / key)
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
