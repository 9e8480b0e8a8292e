"""How ``password.doc`` was made (not run by the tests): a one-paragraph report saved by
LibreOffice as Word 97-2003 with the password ``matkhau``. Run with the system Python that has
LibreOffice's ``uno`` module: ``python3 make_password_doc.py`` (writes beside this file)."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from docx import Document

HERE = Path(__file__).resolve().parent


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bc.docx"
        doc = Document()
        for text in ("BÁO CÁO", "Kết quả công tác đối ngoại tháng 01/2021",
                     "I. KẾT QUẢ", "- Tham mưu Thường trực Tỉnh ủy về công tác đối ngoại."):
            doc.add_paragraph(text)
        doc.save(str(source))
        office = subprocess.Popen(["soffice", "--headless", "--norestore",
                                   f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                                   "--accept=pipe,name=ngoaivu-pw;urp;"])
        resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
        for _ in range(120):
            try:
                ctx = resolver.resolve("uno:pipe,name=ngoaivu-pw;urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - LibreOffice is still starting
                time.sleep(0.5)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        loaded = desktop.loadComponentFromURL(source.as_uri(), "_blank", 0,
                                              (prop("Hidden", True),))
        loaded.storeToURL((HERE / "password.doc").as_uri(),
                          (prop("FilterName", "MS Word 97"), prop("Password", "matkhau")))
        loaded.close(True)
        desktop.terminate()
        office.wait(timeout=60)


if __name__ == "__main__":
    main()
