"""PDF writer: DOCX → PDF through LibreOffice (``soffice --headless --convert-to pdf``).

Each call uses its own temporary LibreOffice profile and a timeout (docx-notes.md §5: parallel
conversions sharing a profile fail silently), and checks that the PDF really appeared.
LibreOffice runs in its own process group, ended whole at the timeout and after it exits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ngoaivu_cli.errors import RenderError, ToolMissingError, os_reason

TIMEOUT_SECONDS = 180
INSTALL_HINT = ("cài LibreOffice: `sudo apt-get install libreoffice-writer-nogui "
                "fonts-liberation2` (Debian/Ubuntu) hoặc tải tại libreoffice.org; hoặc dùng "
                "--format docx rồi xuất PDF bằng Word")


def find_soffice() -> str | None:
    """The LibreOffice program, from ``NGOAIVU_SOFFICE`` or the PATH."""
    explicit = os.environ.get("NGOAIVU_SOFFICE")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


MAX_PDF_BYTES = 500 * 1024 * 1024  # a year's report with pictures: a few MB


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process group LibreOffice runs in (soffice, oosplash, soffice.bin and anything
    they started): on a time-out, and after a normal exit too, when soffice.bin is left."""
    import signal

    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.killpg(proc.pid, signal.SIGKILL)


def docx_to_pdf(data: bytes, *, timeout: float | None = None) -> bytes:
    """Convert DOCX bytes to PDF bytes; raises ToolMissingError when LibreOffice is absent.

    LibreOffice runs in a session of its own (``start_new_session``); after ``timeout``
    seconds (:data:`TIMEOUT_SECONDS`) its whole process group is killed, and it is killed
    on the normal path as well, so no soffice.bin ever keeps running after the report."""
    return _convert(data, "pdf", "pdf", timeout)


def docx_first_page_png(data: bytes, *, timeout: float | None = None) -> bytes:
    """The first page of DOCX bytes as a PNG picture (Writer's png export, which gives the
    first page only; it needs LibreOffice's graphic filters, which ``writer-nogui`` lacks),
    run as :func:`docx_to_pdf` runs it."""
    return _convert(data, "png:writer_png_Export", "png", timeout)


def _convert(data: bytes, target: str, suffix: str, timeout: float | None) -> bytes:
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    soffice = find_soffice()
    if soffice is None:
        raise ToolMissingError("không tìm thấy LibreOffice để chuyển sang PDF", hint=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="ngoaivu-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "bao-cao.docx"
        source.write_bytes(data)
        profile = folder / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", target, "--outdir", str(folder),
               str(source)]
        log = folder / "soffice.log"
        try:
            with open(log, "wb") as out:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT, cwd=folder,
                                        start_new_session=True,
                                        env={**os.environ, "HOME": str(folder)})
        except OSError as exc:
            raise ToolMissingError(f"không chạy được LibreOffice ({os_reason(exc)})",
                                   hint=INSTALL_HINT) from None
        try:
            returncode = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end_group(proc)
            proc.wait()
            raise RenderError(f"LibreOffice không chuyển xong sang PDF sau {timeout:g} giây "
                              "(đã dừng LibreOffice)",
                              hint="thử lại; nếu vẫn lỗi, dùng --format docx rồi xuất PDF bằng "
                                   "Word") from None
        finally:
            _end_group(proc)
        pdf = folder / f"bao-cao.{suffix}"
        if returncode != 0 or not pdf.is_file():
            with open(log, "rb") as fh:
                detail = fh.read(300).decode("utf-8", "replace").strip()
            raise RenderError(f"LibreOffice không tạo được {suffix.upper()} (mã {returncode}): "
                              f"{detail}",
                              hint="dùng --format docx rồi xuất PDF bằng Word")
        from ngoaivu_cli.safeio import read_bytes, reason

        try:
            return read_bytes(pdf, MAX_PDF_BYTES)
        except OSError as exc:
            raise RenderError(f"không đọc được PDF LibreOffice tạo ra: {reason(exc)}",
                              hint="dùng --format docx rồi xuất PDF bằng Word") from None
