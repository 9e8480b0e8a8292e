"""``ngoaivu import`` of documents that are old, broken or made to hurt.

Every bad document ends in one clear Vietnamese message naming it (exit status 1), the good
document imported in the same run is still imported, the user's files are never changed, and
nothing keeps running. The old ``.doc`` path goes through the real LibreOffice when it is
installed (the test makes the .doc from a generated DOCX); a LibreOffice that hangs is played
by a script on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from ngoaivu_cli.importer import read
from tests.test_import import REFERENCE, clerk_docx, entries, log, run

__all__ = ["log"]  # the fixture, shared with test_import

DATA = Path(__file__).resolve().parent / "data" / "import"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
GOOD = ("BÁO CÁO\nKết quả công tác đối ngoại\nTừ ngày 24/8 - 31/8/2023\n\n"
        "I. KẾT QUẢ THỰC HIỆN\n\n- Tham mưu Thường trực Tỉnh ủy về công tác đối ngoại.\n")


def import_with_a_good_one(bad: Path, tmp_path: Path, log: Path) -> str:
    """Import ``bad`` and a good report in one run: the bad one is named with its reason, the
    good one is imported, exit status 1, no traceback. Returns the output."""
    good = tmp_path / "good.txt"
    good.write_text(GOOD, "utf-8")
    before = bad.read_bytes() if bad.is_file() and bad.stat().st_size < 1 << 24 else None
    result = run("import", str(bad), str(good))
    assert result.exit_code == 1, result.output
    assert f"Lỗi: {bad}: " in result.output, result.output
    assert "Traceback" not in result.output
    assert [e["category"] for e in entries(log / "data")] == ["tham_muu_tinh_uy"]
    if before is not None:
        assert bad.read_bytes() == before  # never changed
    return result.output.split(f"Lỗi: {bad}: ", 1)[1]


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _docx(path: Path, document: bytes, **more: bytes) -> Path:
    return _zip(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": document, **more})


def _odt(path: Path, content: bytes, **more: bytes) -> Path:
    return _zip(path, {"mimetype": b"application/vnd.oasis.opendocument.text",
                       "content.xml": content, **more})


def _fake_soffice(folder: Path, body: str) -> Path:
    """A ``soffice`` on PATH that runs ``body`` (sh) instead of LibreOffice."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", "utf-8")
    script.chmod(0o755)
    return folder


def _word97_like(path: Path) -> Path:
    """An OLE container with a Word FIB (not encrypted) at the first sector: looks like a .doc
    to every check made before LibreOffice."""
    path.write_bytes(read.OLE_MAGIC + b"\0" * 504 + b"\xec\xa5" + b"\0" * 1534)
    return path


# --------------------------------------------------------------------------- .doc


@needs_soffice
def test_doc_through_libreoffice_imports_like_the_docx(log: Path, tmp_path: Path) -> None:
    """The real path: a .doc made by LibreOffice from the clerk's DOCX gives the same entries
    (same source id too) as the DOCX; the .doc and its folder are left as they were."""
    docx = clerk_docx(REFERENCE / "001_e2120d87a63bccc1.txt", tmp_path / "bc.docx")
    conv = tmp_path / "conv"
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(conv), str(docx)],
                   check=True, capture_output=True, timeout=180)
    doc = conv / "bc.doc"
    assert doc.read_bytes().startswith(read.OLE_MAGIC)
    before = (doc.read_bytes(), doc.stat().st_mtime_ns, sorted(os.listdir(conv)))
    result = run("import", str(doc))
    assert result.exit_code == 0, result.output
    from_doc = entries(log / "data")
    assert (doc.read_bytes(), doc.stat().st_mtime_ns, sorted(os.listdir(conv))) == before
    shutil.rmtree(log / "data")
    (log / "data").mkdir()
    assert run("import", str(docx)).exit_code == 0
    from_docx = entries(log / "data")
    assert len(from_doc) == 11
    assert from_doc == from_docx


def test_doc_without_libreoffice_says_so(log: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    out = import_with_a_good_one(_word97_like(tmp_path / "cu.doc"), tmp_path, log)
    assert out.startswith("tệp .doc (Word 97-2003) cần LibreOffice")
    assert "cài LibreOffice" in out


def test_password_doc_is_named_before_libreoffice(log: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """``password.doc`` was saved by LibreOffice with a password (make_password_doc.py): the
    FIB says so, and neither LibreOffice nor a prompt is needed to tell the user."""
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    bad = tmp_path / "mat-khau.doc"
    shutil.copy(DATA / "password.doc", bad)
    assert import_with_a_good_one(bad, tmp_path, log).startswith("văn bản được đặt mật khẩu")


def test_encrypted_docx_named_doc(log: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bao-cao.doc"
    bad.write_bytes(read.OLE_MAGIC + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le"))
    assert import_with_a_good_one(bad, tmp_path, log).startswith("văn bản được đặt mật khẩu")


@pytest.mark.parametrize(("content", "reason"), [
    (read.OLE_MAGIC + bytes(range(256)) * 40, "tệp hỏng: không có phần nội dung"),
    (bytes(range(256)) * 40, "tệp không phải văn bản Word 97-2003"),
])
def test_corrupt_doc(log: Path, tmp_path: Path, content: bytes, reason: str,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Noise named .doc is refused without LibreOffice (which would read it as text)."""
    monkeypatch.setenv("PATH", str(_fake_soffice(tmp_path / "bin", "exit 99")))
    bad = tmp_path / "hong.doc"
    bad.write_bytes(content)
    assert import_with_a_good_one(bad, tmp_path, log).startswith(reason)


def test_huge_doc_is_refused_before_conversion(log: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "soffice-ran"
    monkeypatch.setenv("PATH", str(_fake_soffice(tmp_path / "bin", f"touch {marker}")))
    bad = _word97_like(tmp_path / "lon.doc")
    with open(bad, "r+b") as fh:
        fh.truncate(read.MAX_FILE_BYTES + 1)  # sparse: no disk used
    assert import_with_a_good_one(bad, tmp_path, log).startswith("tệp quá lớn")
    assert not marker.exists()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z")  # a zombie


def test_libreoffice_that_hangs_is_stopped_whole(log: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A .doc LibreOffice never finishes: after the time limit the message names it, and the
    whole process group is gone (the script and the child it started), not only soffice."""
    pids = tmp_path / "pids"
    body = f"sleep 300 &\necho $! >> {pids}\necho $$ >> {pids}\nwait"
    monkeypatch.setenv("PATH", str(_fake_soffice(tmp_path / "bin", body)) + os.pathsep
                       + os.environ["PATH"])
    monkeypatch.setattr(read, "SOFFICE_TIMEOUT", 2)
    start = time.monotonic()
    out = import_with_a_good_one(_word97_like(tmp_path / "treo.doc"), tmp_path, log)
    assert time.monotonic() - start < 60
    assert out.startswith("LibreOffice không chuyển xong tệp .doc sau 2 giây")
    started = [int(p) for p in pids.read_text().split()]
    assert len(started) == 2
    deadline = time.monotonic() + 10
    while not all(_gone(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(p) for p in started), started


def test_libreoffice_that_writes_nothing(log: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(_fake_soffice(tmp_path / "bin", "exit 1")))
    out = import_with_a_good_one(_word97_like(tmp_path / "cu.doc"), tmp_path, log)
    assert out.startswith("LibreOffice không đọc được tệp .doc này")


def test_docx_named_doc_is_read_as_docx(log: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    doc = tmp_path / "that-ra-la-docx.doc"
    clerk_docx(REFERENCE / "001_e2120d87a63bccc1.txt", doc)
    result = run("import", str(doc))
    assert result.exit_code == 0, result.output
    assert len(entries(log / "data")) == 11


# --------------------------------------------------------------------------- zip containers


def test_zip_bomb_declared_small(log: Path, tmp_path: Path) -> None:
    """A member whose central directory says 100 bytes but inflates to 20 MB: zipfile stops
    at the declared size and the check sum fails: a broken file, never 20 MB in memory."""
    bomb = _docx(tmp_path / "bom.docx", b"<w:document>" + b" " * (20 << 20) + b"</w:document>")
    data = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as z:
        info = z.getinfo("word/document.xml")
    real = info.file_size.to_bytes(4, "little")
    for at in [i for i in range(len(data)) if data[i:i + 4] == real]:
        data[at:at + 4] = (100).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    assert import_with_a_good_one(bomb, tmp_path, log).startswith("tệp hỏng")


def test_zip_bomb_of_many_parts(log: Path, tmp_path: Path) -> None:
    bomb = _docx(tmp_path / "nhieu.docx", b"<x/>",
                 **{f"word/media/{i}.bin": b"" for i in range(read.MAX_MEMBERS + 1)})
    assert import_with_a_good_one(bomb, tmp_path, log).startswith("tệp có quá nhiều phần")


def test_zip_bomb_in_total(log: Path, tmp_path: Path) -> None:
    """Each part under the limit of one part, all together over the limit of a file."""
    size = read.MAX_XML_BYTES - 1
    n = read.MAX_TOTAL_BYTES // size + 1
    bomb = _docx(tmp_path / "tong.docx", b"<x/>",
                 **{f"word/media/{i}.bin": bytes(size) for i in range(n)})
    assert bomb.stat().st_size < 2 << 20
    assert "bom nén" in import_with_a_good_one(bomb, tmp_path, log)


def test_zip_bomb_named_doc(log: Path, tmp_path: Path) -> None:
    bomb = _docx(tmp_path / "bom.doc", b"<" + b" " * (read.MAX_XML_BYTES + 1) + b"/>")
    assert "bom nén" in import_with_a_good_one(bomb, tmp_path, log)


def test_deeply_nested_xml(log: Path, tmp_path: Path) -> None:
    depth = 100_000
    doc = (f'<w:document xmlns:w="{W_NS}"><w:body>'.encode() + b"<w:p>" * depth
           + b"</w:p>" * depth + b"</w:body></w:document>")
    bad = _docx(tmp_path / "sau.docx", doc)
    assert import_with_a_good_one(bad, tmp_path, log).startswith(
        "tệp hỏng: phần word/document.xml không phải XML hợp lệ")


def test_relationship_out_of_the_package(log: Path, tmp_path: Path) -> None:
    rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" '
            b'Target="../../../../etc/passwd"/></Relationships>')
    bad = _zip(tmp_path / "ra-ngoai.docx", {"[Content_Types].xml": b"<Types/>",
                                            "_rels/.rels": rels})
    out = import_with_a_good_one(bad, tmp_path, log)
    assert out.startswith("tệp hỏng hoặc không phải văn bản Word (thiếu word/document.xml)")
    assert "root:" not in out


# --------------------------------------------------------------------------- .odt


def _odt_body(text: str) -> str:
    return (f'<office:document-content xmlns:office="{OFFICE_NS}" xmlns:text="{TEXT_NS}">'
            f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body>"
            "</office:document-content>")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_odt_with_external_entity_and_billion_laughs(log: Path, tmp_path: Path,
                                                     encoding: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT", "utf-8")
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE d [<!ENTITY l0 "ha">{laughs}'
           f'<!ENTITY x SYSTEM "{secret.as_uri()}">]>' + _odt_body("&x;&l9;"))
    bad = _odt(tmp_path / "thuc-the.odt", xml.encode(encoding))
    out = import_with_a_good_one(bad, tmp_path, log)
    assert out.startswith("phần content.xml có khai báo DOCTYPE/ENTITY")
    assert "BÍ MẬT" not in out and "haha" not in out


def test_encrypted_odt(log: Path, tmp_path: Path) -> None:
    manifest = (b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                b'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">'
                b"<manifest:encryption-data/></manifest:file-entry></manifest:manifest>")
    bad = _odt(tmp_path / "mat-khau.odt", os.urandom(2000),
               **{"META-INF/manifest.xml": manifest})
    assert import_with_a_good_one(bad, tmp_path, log).startswith("văn bản được đặt mật khẩu")


def test_odt_that_is_not_xml(log: Path, tmp_path: Path) -> None:
    bad = _odt(tmp_path / "hong.odt", b"\x00\x01 not xml")
    assert import_with_a_good_one(bad, tmp_path, log).startswith(
        "tệp hỏng: phần content.xml không phải XML hợp lệ")
