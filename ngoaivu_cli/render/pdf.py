"""PDF writer: DOCX → PDF through LibreOffice (``soffice --headless --convert-to pdf``).

Each call uses its own temporary LibreOffice profile and a timeout (docx-notes.md §5: parallel
conversions sharing a profile fail silently), and checks that the PDF really appeared.
"""

from __future__ import annotations

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


def docx_to_pdf(data: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Convert DOCX bytes to PDF bytes; raises ToolMissingError when LibreOffice is absent."""
    soffice = find_soffice()
    if soffice is None:
        raise ToolMissingError("không tìm thấy LibreOffice để chuyển sang PDF", hint=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="ngoaivu-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "bao-cao.docx"
        source.write_bytes(data)
        profile = folder / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False,
                                  env={**os.environ, "HOME": str(folder)})
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice không chuyển xong sau {timeout} giây",
                              hint="thử lại; nếu vẫn lỗi, dùng --format docx") from None
        except OSError as exc:
            raise ToolMissingError(f"không chạy được LibreOffice ({os_reason(exc)})",
                                   hint=INSTALL_HINT) from None
        pdf = folder / "bao-cao.pdf"
        if proc.returncode != 0 or not pdf.is_file():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[:300]
            raise RenderError(f"LibreOffice không tạo được PDF (mã {proc.returncode}): {detail}",
                              hint="dùng --format docx rồi xuất PDF bằng Word")
        return pdf.read_bytes()
