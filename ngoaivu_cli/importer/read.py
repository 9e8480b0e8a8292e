"""Reading a past report into plain paragraphs: .docx, .odt, .doc (through LibreOffice), .txt/.md.

A document to import is untrusted input. Before any XML is parsed the archive is checked: a
bounded number of members, bounded declared sizes (Python's zipfile never inflates a member
beyond its declared size, so checking the central directory is enough against zip bombs), an
OLE container instead of a zip (what Word writes for a password-protected file) is refused by
name. XML is parsed by lxml with entity resolution, DTD loading and network access switched
off, and a part declaring a DOCTYPE is refused before parsing (Word and LibreOffice never write
one), which is what defusedxml would add: it is not a dependency. A .doc goes through ``soffice --convert-to docx`` in a throw-away profile and folder, with
a time limit; nothing in a document is ever run. A .docx is read with lxml directly (its main
part and footnotes only): python-docx would parse every part (styles, numbering, theme) and
has no footnotes, so it was twice the work for less.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ngoaivu_cli.errors import NgoaivuError

MAX_FILE_BYTES = 50 * 1024 * 1024  # a 200-page report with pictures is ~10 MB
MAX_MEMBERS = 2000
MAX_XML_BYTES = 30 * 1024 * 1024  # uncompressed document.xml / content.xml / footnotes.xml
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # every member, uncompressed
MAX_TEXT_BYTES = 5 * 1024 * 1024  # a .txt/.md report
MAX_PARAGRAPHS = 20000
MAX_TEXT_CHARS = 20_000_000  # characters of all paragraphs and footnotes (a 200-page report: 1 M)
MAX_FOOTNOTES = 5000  # footnotes of one document (a long report has a few hundred)
MAX_NOTES_PER_PARAGRAPH = 200  # footnote references in one paragraph
MAX_SECONDS = 60.0  # reading one document (a 200-page report: under 2 s)
SOFFICE_TIMEOUT = 120  # seconds for one .doc
SUFFIXES = (".docx", ".docm", ".odt", ".doc", ".txt", ".md")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
T = "{" + TEXT_NS + "}"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class ReadError(NgoaivuError):
    """The document cannot be read (encrypted, corrupt, empty, too big, unknown format)."""


class Budget:
    """What reading one document may take: wall-clock time and characters of text. Every
    count taken from the document is bounded (paragraphs, footnotes, references, characters,
    repeated spaces), and :meth:`spend` is called as text is collected, so a small file that
    describes a huge text (40,000 references to one long footnote, ``text:c="2000000000"``)
    is refused after a bounded amount of work, with its reason."""

    def __init__(self, seconds: float = MAX_SECONDS, chars: int = MAX_TEXT_CHARS) -> None:
        self.end = time.monotonic() + seconds
        self.seconds = seconds
        self.chars = chars

    def spend(self, chars: int = 0) -> None:
        """Count ``chars`` more characters of text and check the time."""
        self.chars -= chars
        if self.chars < 0:
            raise ReadError(f"văn bản quá dài (hơn {MAX_TEXT_CHARS:,} ký tự chữ)".replace(",", "."),
                            hint="nghi là tệp hỏng hoặc độc hại; mở tệp trong Word để kiểm tra")
        if time.monotonic() > self.end:
            raise ReadError(f"đọc và phân tích văn bản quá {self.seconds:g} giây, dừng",
                            hint="nghi là tệp hỏng hoặc độc hại; mở tệp trong Word, lưu lại "
                                 "thành .docx rồi nhập lại")


@dataclass
class Paragraph:
    """One paragraph of the document: its text and the footnotes anchored in it.

    ``anchor`` is where the (first) footnote reference sits in ``text``; None at the end.
    """

    text: str
    footnotes: list[str] = field(default_factory=list)
    anchor: int | None = None


@dataclass
class Document:
    path: Path
    paragraphs: list[Paragraph]
    converted: bool = False  # read through LibreOffice


def safe_parser() -> Any:
    """An lxml parser that never expands entities, loads a DTD or touches the network."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


# C0 and C1 control characters (what a PDF copy or a wrong code page leaves), zero-width
# space, BOM, non-characters: never part of a report's words, and refused by ``validate``
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff\ufffe\uffff]")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\t", " ")
    text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def read_document(path: Path, budget: Budget | None = None) -> Document:
    """The paragraphs of ``path``; raises :class:`ReadError` with a Vietnamese reason.
    Reading spends ``budget`` (a fresh one, :data:`MAX_SECONDS`, when not given)."""
    budget = budget or Budget()
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(f"không nhận dạng được loại tệp “{path.suffix or path.name}”",
                        hint="nhập được .docx, .doc, .odt, .txt, .md")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ReadError("không phải một tệp", hint="chỉ ra đường dẫn tới tệp văn bản")
    except OSError as exc:
        from ngoaivu_cli.errors import os_reason

        raise ReadError(f"không đọc được tệp: {os_reason(exc)}") from None
    if size == 0:
        raise ReadError("tệp rỗng (0 byte)", hint="mở tệp trong Word để kiểm tra, hoặc bỏ qua tệp")
    if size > MAX_FILE_BYTES:
        raise ReadError(f"tệp quá lớn ({size // (1024 * 1024)} MB, tối đa "
                        f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")
    if suffix in (".txt", ".md"):
        paras = _read_text(path, size, budget)
        converted = False
    elif suffix == ".doc":
        paras = _read_doc(path, budget)
        converted = True
    else:
        head = _head(path)
        if head.startswith(OLE_MAGIC):
            raise ReadError(_ole_reason(path, suffix),
                            hint="mở tệp trong Word, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ tài "
                                 "liệu) hoặc lưu lại thành .docx, rồi nhập lại")
        if not head.startswith(b"PK"):
            raise ReadError("tệp hỏng hoặc không phải văn bản Word/LibreOffice (không phải tệp "
                            "nén .docx/.odt)", hint="mở tệp trong Word và lưu lại thành .docx")
        paras = _read_odt(path, budget) if suffix == ".odt" else _read_docx(path, budget)
        converted = False
    paras = [p for p in paras if p.text]
    if not paras:
        raise ReadError("văn bản không có chữ nào", hint="tệp rỗng hoặc chỉ có hình ảnh")
    return Document(path, paras, converted)


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(4096)


def _ole_reason(path: Path, suffix: str) -> str:
    if _encrypted_ooxml(path):
        return "văn bản được đặt mật khẩu (mã hóa), không đọc được"
    return (f"tệp {suffix} này thực ra là văn bản Word 97-2003 (.doc) hoặc đã được đặt mật khẩu")


# --------------------------------------------------------------------------- zip containers


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ReadError("tệp hỏng (không mở được phần nén bên trong)",
                        hint="mở tệp trong Word; nếu Word sửa được thì lưu lại rồi nhập lại") from None
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        z.close()
        raise ReadError(f"tệp có quá nhiều phần ({len(infos)}), nghi là tệp hỏng hoặc độc hại")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        z.close()
        raise ReadError("tệp khi giải nén quá lớn (nghi là “bom nén”), không đọc",
                        hint="mở tệp trong Word và lưu lại thành .docx")
    return z


def _member(z: zipfile.ZipFile, name: str, *, required: bool = True) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        if required:
            raise ReadError(f"tệp hỏng: thiếu phần {name}",
                            hint="mở tệp trong Word và lưu lại thành .docx") from None
        return None
    if info.flag_bits & 0x1:
        raise ReadError("văn bản được đặt mật khẩu (mã hóa), không đọc được")
    if info.file_size > MAX_XML_BYTES:
        raise ReadError(f"phần {name} quá lớn khi giải nén ({info.file_size // (1024 * 1024)} "
                        "MB), nghi là “bom nén”, không đọc")
    try:
        with z.open(info) as fh:
            data = fh.read(MAX_XML_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ReadError(f"tệp hỏng: không giải nén được phần {name}") from None
    if len(data) > MAX_XML_BYTES:
        raise ReadError(f"phần {name} quá lớn khi giải nén, không đọc")
    return data


_ROOT = re.compile(rb"<[A-Za-z_]")


def _no_doctype(data: bytes, name: str) -> None:
    """Refuse a DOCTYPE (where entities are declared): it can only stand before the root
    element, and neither Word nor LibreOffice ever writes one."""
    m = _ROOT.search(data, 0, 65536)
    prolog = data[:m.start()] if m else data[:65536].replace(b"\x00", b"")  # UTF-16
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
        raise ReadError(f"phần {name} có khai báo DOCTYPE/ENTITY (Word không bao giờ ghi), "
                        "không đọc vì an toàn")


def _xml(data: bytes, name: str) -> Any:
    from lxml import etree

    _no_doctype(data, name)
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        raise ReadError(f"tệp hỏng: phần {name} không phải XML hợp lệ") from None


REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "/officeDocument"
FOOTNOTES = "/footnotes"


def _target(z: zipfile.ZipFile, rels_name: str, base: str, kind: str) -> str | None:
    """The part a relationship of type ``…/kind`` points to, as a zip member name."""
    data = _member(z, rels_name, required=False)
    if data is None:
        return None
    for rel in _xml(data, rels_name).iter(f"{REL_NS}Relationship"):
        if rel.get("Type", "").endswith(kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(base, target))
            return None if name.startswith("..") else name
    return None


def _read_docx(path: Path, budget: Budget) -> list[Paragraph]:
    """Paragraphs of the main document part, in reading order (tables row by row), and the
    footnotes anchored in them. Only the parts that hold text are parsed (document and
    footnotes, not styles, numbering or theme), with the safe parser. A footnote is placed
    once, at its first reference (Word never refers to one twice), and at most
    :data:`MAX_NOTES_PER_PARAGRAPH` in a paragraph, so the text collected never outgrows the
    document's own parts."""
    with _open_zip(path) as z:
        names = set(z.namelist())
        if "EncryptionInfo" in names or "EncryptedPackage" in names:
            raise ReadError("văn bản được đặt mật khẩu (mã hóa), không đọc được")
        main = _target(z, "_rels/.rels", "", OFFICE_DOCUMENT) or "word/document.xml"
        if main not in names:
            raise ReadError("tệp hỏng hoặc không phải văn bản Word (thiếu word/document.xml)",
                            hint="mở tệp trong Word và lưu lại thành .docx")
        folder, file = posixpath.split(main)
        notes_name = _target(z, posixpath.join(folder, "_rels", file + ".rels"), folder,
                             FOOTNOTES)
        notes: dict[str, str] = {}
        if notes_name and notes_name in names:
            data = _member(z, notes_name)
            assert data is not None
            for note in _xml(data, notes_name).iter(f"{W}footnote"):
                if note.get(f"{W}type") in ("separator", "continuationSeparator",
                                              "continuationNotice"):
                    continue
                if len(notes) >= MAX_FOOTNOTES:
                    raise ReadError(f"văn bản có quá nhiều chú thích (hơn {MAX_FOOTNOTES})",
                                    hint="nghi là tệp hỏng hoặc độc hại; mở tệp trong Word "
                                         "để kiểm tra")
                texts = [_clean(_wtext(p)) for p in note.iter(f"{W}p")]
                text = "\n".join(t for t in texts if t)
                budget.spend(len(text))
                notes[note.get(f"{W}id", "")] = text
        data = _member(z, main)
        assert data is not None
        root = _xml(data, main)
    body = root.find(f"{W}body")
    if body is None:
        raise ReadError("tệp hỏng: văn bản Word không có phần thân (w:body)")
    out: list[Paragraph] = []
    used: set[str] = set()  # footnotes already placed

    def add(p: Any) -> None:
        para = _docx_paragraph(p, notes, used)
        budget.spend(len(para.text))
        out.append(para)
        if len(out) > MAX_PARAGRAPHS:
            raise ReadError(f"văn bản quá dài (hơn {MAX_PARAGRAPHS} đoạn)")

    for child in body.iterchildren():
        if child.tag == f"{W}p":
            add(child)
        elif child.tag == f"{W}tbl" or child.tag == f"{W}sdt":
            for p in child.iter(f"{W}p"):
                add(p)
    return out


def _wtext(p: Any) -> str:
    parts = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}noBreakHyphen"):
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts)


def _docx_paragraph(p: Any, notes: dict[str, str], used: set[str]) -> Paragraph:
    """One paragraph's text and footnotes. Where the first reference sits is measured once
    (measuring at every reference was quadratic: 40,000 references took minutes); a footnote
    already placed is not placed again."""
    parts: list[str] = []
    first: int | None = None
    footnotes: list[str] = []
    refs = 0
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}noBreakHyphen",
                     f"{W}footnoteReference"):
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}noBreakHyphen":
            parts.append("-")
        elif el.tag == f"{W}footnoteReference":
            refs += 1
            if refs > MAX_NOTES_PER_PARAGRAPH:
                raise ReadError(f"một đoạn văn có quá nhiều chú thích (hơn "
                                f"{MAX_NOTES_PER_PARAGRAPH})",
                                hint="nghi là tệp hỏng hoặc độc hại; mở tệp trong Word để "
                                     "kiểm tra")
            if first is None:
                first = len(_clean("".join(parts)))
            fid = el.get(f"{W}id", "")
            if fid not in used and notes.get(fid):
                used.add(fid)
                footnotes.append(notes[fid])
        else:
            parts.append(" ")
    text = _clean("".join(parts))
    anchor = first if first is not None and first < len(text.rstrip(".;: ")) else None
    return Paragraph(text, footnotes, anchor)


def _read_odt(path: Path, budget: Budget) -> list[Paragraph]:
    with _open_zip(path) as z:
        manifest = _member(z, "META-INF/manifest.xml", required=False)
        if manifest is not None and b"encryption-data" in manifest:
            raise ReadError("văn bản được đặt mật khẩu (mã hóa), không đọc được",
                            hint="mở tệp trong LibreOffice, bỏ mật khẩu rồi nhập lại")
        data = _member(z, "content.xml")
        assert data is not None
        root = _xml(data, "content.xml")
    out: list[Paragraph] = []
    body = root.find(f"{{{OFFICE_NS}}}body")
    if body is None:
        raise ReadError("tệp hỏng: content.xml không có phần thân văn bản")
    for el in body.iter(f"{T}p", f"{T}h"):
        if _inside_note(el):
            continue
        parts: list[str] = []
        notes: list[str] = []
        anchor: int | None = None
        _odt_text(el, parts, notes)
        if len(notes) > MAX_NOTES_PER_PARAGRAPH:
            raise ReadError(f"một đoạn văn có quá nhiều chú thích (hơn "
                            f"{MAX_NOTES_PER_PARAGRAPH})",
                            hint="nghi là tệp hỏng hoặc độc hại; mở tệp trong LibreOffice để "
                                 "kiểm tra")
        text = _clean("".join(p for p in parts if p != "\0NOTE"))
        budget.spend(len(text) + sum(len(n) for n in notes))
        if notes:
            before = "".join(parts[:parts.index("\0NOTE")]) if "\0NOTE" in parts else text
            pos = len(_clean(before))
            anchor = pos if pos < len(text.rstrip(".;: ")) else None
        out.append(Paragraph(text, notes, anchor))
        if len(out) > MAX_PARAGRAPHS:
            raise ReadError(f"văn bản quá dài (hơn {MAX_PARAGRAPHS} đoạn)")
    return out


def _inside_note(el: Any) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == f"{T}note":
            return True
        parent = parent.getparent()
    return False


def _odt_text(el: Any, parts: list[str], notes: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == f"{T}note":
            body = child.find(f"{T}note-body")
            if body is not None:
                texts = [_clean("".join(body_p.itertext())) for body_p in body.iter(f"{T}p")]
                notes.append("\n".join(t for t in texts if t))
                parts.append("\0NOTE")
        elif tag == f"{T}s":
            # text:c repeats the space (2000000000 once took 2 GB): the text is read with
            # its spaces collapsed, so one stands for any number, whatever c says ("1e9")
            parts.append(" ")
        elif tag in (f"{T}tab", f"{T}line-break"):
            parts.append(" ")
        else:
            _odt_text(child, parts, notes)
        if child.tail:
            parts.append(child.tail)


# --------------------------------------------------------------------------- .doc, text


def _read_doc(path: Path, budget: Budget) -> list[Paragraph]:
    """A Word 97-2003 file, converted to .docx by LibreOffice. The conversion works on a copy
    with a plain name in a throw-away folder and profile (the user's file, folder and
    LibreOffice settings are never touched: no lock file beside it), in its own process group
    stopped whole after :data:`SOFFICE_TIMEOUT`; the .docx it gives is read with every limit
    of a .docx. What LibreOffice is not needed for is decided first: a .docx or .odt named
    .doc is read as what it is, an encrypted Office file is named as such."""
    head = _head(path)
    if head.startswith(b"PK"):
        return _read_zip_as_what_it_is(path, budget)
    if head.startswith(OLE_MAGIC):
        flags, whole = _word97_flags(path)
        if _encrypted_ooxml(path) or flags is not None and flags & 0x0100:
            raise ReadError("văn bản được đặt mật khẩu (mã hóa), không đọc được",
                            hint="mở tệp trong Word, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ tài "
                                 "liệu) rồi nhập lại")
        if flags is None and whole:
            raise ReadError("tệp hỏng: không có phần nội dung của văn bản Word 97-2003",
                            hint="mở tệp trong Word; nếu Word mở được thì lưu lại thành .docx")
    elif b"\x00" in head[:512]:  # neither Word 97-2003, a zip, RTF, HTML nor text
        raise ReadError("tệp không phải văn bản Word 97-2003 (.doc) hay tệp hỏng",
                        hint="mở tệp trong Word và lưu lại thành .docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReadError("tệp .doc (Word 97-2003) cần LibreOffice để đọc, mà máy chưa cài "
                        "LibreOffice (không thấy lệnh soffice)",
                        hint="cài LibreOffice (apt-get install libreoffice-writer-nogui), hoặc "
                             "mở tệp trong Word và lưu thành .docx rồi nhập tệp .docx")
    with tempfile.TemporaryDirectory(prefix="ngoaivu-import-") as tmp:
        src = Path(tmp) / "van-ban.doc"
        shutil.copyfile(path, src)  # a plain name: the original's name is never a command
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", "docx", "--outdir",
               str(Path(tmp) / "out"), str(src)]
        start = time.monotonic()
        _convert(cmd, tmp)  # bounded by its own limit, SOFFICE_TIMEOUT
        budget.end += time.monotonic() - start
        out = Path(tmp) / "out" / "van-ban.docx"
        if not out.is_file():
            raise ReadError("LibreOffice không đọc được tệp .doc này (tệp hỏng hoặc có mật khẩu)",
                            hint="mở tệp trong Word (nhập mật khẩu nếu có) và lưu thành .docx")
        if out.stat().st_size > MAX_FILE_BYTES:
            raise ReadError("tệp .doc khi chuyển sang .docx quá lớn, không đọc")
        return _read_docx(out, budget)


def _convert(cmd: list[str], tmp: str) -> None:
    """Run LibreOffice in a new session; on time-out the whole group (soffice, oosplash,
    soffice.bin) is killed, so nothing keeps running after the message."""
    import signal

    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=tmp, start_new_session=True,
                                env={**os.environ, "HOME": tmp})
    except OSError as exc:
        raise ReadError(f"không chạy được LibreOffice: {exc.strerror or exc}") from None
    try:
        proc.wait(timeout=SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # not reaped yet: the group is still its own
        proc.wait()
        raise ReadError(f"LibreOffice không chuyển xong tệp .doc sau {SOFFICE_TIMEOUT} giây "
                        "(tệp hỏng, quá lớn hoặc có mật khẩu?)",
                        hint="mở tệp trong Word và lưu thành .docx") from None
    finally:
        # soffice may exit and leave soffice.bin (or anything it started) running: the
        # group is ended on every path, the normal one too
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


def _encrypted_ooxml(path: Path) -> bool:
    """An OLE container holding an ``EncryptedPackage`` stream: a password-protected .docx."""
    with open(path, "rb") as fh:
        blob = fh.read(min(MAX_FILE_BYTES, 1 << 20))
    return "EncryptedPackage".encode("utf-16-le") in blob or b"EncryptedPackage" in blob


def _word97_flags(path: Path) -> tuple[int | None, bool]:
    """The flags of a Word 97-2003 file's FIB and whether the whole file was looked at. The
    stream ``WordDocument`` starts, at a sector boundary, with the FIB (``wIdent`` 0xA5EC);
    its word at offset 10 holds ``fEncrypted`` (0x0100). Only the first MiB is looked at."""
    with open(path, "rb") as fh:
        blob = fh.read((1 << 20) + 1)
    for offset in range(512, len(blob) - 12, 512):
        if blob[offset:offset + 2] == b"\xec\xa5":
            return int.from_bytes(blob[offset + 10:offset + 12], "little"), True
    return None, len(blob) <= 1 << 20


def _read_zip_as_what_it_is(path: Path, budget: Budget) -> list[Paragraph]:
    with _open_zip(path) as z:
        names = set(z.namelist())
    if "content.xml" in names and "word/document.xml" not in names:
        return _read_odt(path, budget)
    return _read_docx(path, budget)


_MD_MARKS = re.compile(r"^\s*#+\s*|\*\*|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|^\s*>\s?")


def _read_text(path: Path, size: int, budget: Budget) -> list[Paragraph]:
    """A .txt/.md report: UTF-8 (with or without BOM), or UTF-16 with its BOM (Notepad's
    "Unicode"); a file with NUL bytes that is not UTF-16 is a binary file renamed."""
    if size > MAX_TEXT_BYTES:
        raise ReadError(f"tệp chữ quá lớn (tối đa {MAX_TEXT_BYTES // (1024 * 1024)} MB)")
    from ngoaivu_cli.safeio import read_bytes, reason

    try:  # bounded: the file may have grown since it was looked at
        raw = read_bytes(path, MAX_TEXT_BYTES)
    except OSError as exc:
        raise ReadError(f"không đọc được tệp: {reason(exc)}") from None
    if raw.startswith(OLE_MAGIC) or raw.startswith(b"PK\x03\x04"):
        raise ReadError("tệp không phải văn bản chữ thuần (có thể là tệp Word đổi đuôi)",
                        hint="đổi lại đuôi .docx/.doc đúng với tệp")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 (every other byte of ASCII is NUL)
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError("tệp chữ UTF-16 bị hỏng (có byte không giải mã được)",
                            hint="lưu lại tệp với bảng mã UTF-8 (Notepad: Lưu thành… > UTF-8)"
                            ) from None
    elif b"\x00" in raw[:4096]:
        raise ReadError("tệp không phải văn bản chữ thuần (có thể là tệp Word đổi đuôi)",
                        hint="đổi lại đuôi .docx/.doc đúng với tệp")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ReadError("tệp chữ không phải UTF-8",
                            hint="lưu lại tệp với bảng mã UTF-8 (Notepad: Lưu thành… > UTF-8)"
                            ) from None
    out: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        # a line break inside a block starts a new paragraph only before a list item or a
        # heading; otherwise it is the soft wrap of a text editor
        current: list[str] = []
        for line in lines:
            stripped = line.strip()
            if current and (re.match(r"[-+•–]\s|\d+(\.\d+)*\.\s|[IVX]+\.\s|#|\*\*", stripped)):
                out.append(Paragraph(_clean(_MD_MARKS.sub("", " ".join(current)))))
                current = []
            current.append(stripped)
        if current:
            out.append(Paragraph(_clean(_MD_MARKS.sub("", " ".join(current)))))
        budget.spend()
        if len(out) > MAX_PARAGRAPHS:
            raise ReadError(f"văn bản quá dài (hơn {MAX_PARAGRAPHS} đoạn)")
    return out
