"""DOCX writer: fill a docxtpl template with a built context, then make the bytes reproducible.

docxtpl runs with ``autoescape=True`` and ``StrictUndefined`` (docx-notes.md §1): ``& < >``
in an entry can never break the XML, and a misspelt variable in a user's template is an
error naming it. After rendering, footnote markers become real Word footnotes, and the zip is
rewritten with fixed timestamps and core properties, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from ngoaivu_cli.errors import RenderError

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """XML text escape (xml.sax.saxutils would import urllib.request: 15 ms per report)."""
    return text.translate(_XML_ESCAPES)

# docxtpl turns "{_{", "}_}", "{_%" and "%_}" of the rendered XML into "{{" ... (its escape for
# template authors), values included: in values, an invisible guard splits them until it is
# taken out of the rendered parts, so an entry's text prints exactly as written
_GUARD = "\ue000"
_GUARDED = re.compile("(?<=\\{)(?=_)|(?<=_)(?=\\})")
_UNGUARD = re.compile("(?<=\\{)\ue000(?=_)|(?<=_)\ue000(?=\\})")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


MAX_UNZIPPED = 200_000_000  # bytes a DOCX template may hold once unzipped
MAX_PARTS = 2_000


def read_template(template: Path) -> bytes:
    """The bytes of a DOCX template: a regular file, bounded, a zip whose parts are bounded
    once unzipped (a zip bomb is refused before anything is inflated)."""
    from ngoaivu_cli.errors import display_path
    from ngoaivu_cli.safeio import MAX_TEMPLATE_BYTES, read_bytes, reason

    shown = display_path(template)
    try:
        data = read_bytes(template, MAX_TEMPLATE_BYTES)
    except OSError as exc:
        raise RenderError(f"không đọc được mẫu DOCX {shown}: {reason(exc)}",
                          hint="kiểm tra khóa `template` của loại báo cáo trong ngoaivu.yaml, "
                               "hoặc tệp templates/van-ban.docx") from None
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RenderError(f"{shown} không phải tệp DOCX hợp lệ ({exc})",
                          hint="lưu mẫu bằng Word hoặc LibreOffice dạng .docx") from None
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise RenderError(f"{shown} quá lớn khi giải nén (bom zip?)",
                          hint="lưu lại mẫu bằng Word hoặc LibreOffice dạng .docx") from None
    return data


class _DocxRender:
    """docxtpl's render as a 'template' for :func:`render_bounded` (one time limit for all
    the parts docxtpl renders: body, headers, footers, properties, footnotes)."""

    def __init__(self, tpl: Any, env: Any) -> None:
        self.tpl, self.env = tpl, env

    def render(self, context: dict[str, Any]) -> str:
        self.tpl.render(context, self.env, autoescape=True)
        return ""


def _guarded(value: Any) -> tuple[Any, bool]:
    """``value`` with every "{_" and "_}" in its strings split by the guard; and whether any
    was."""
    if isinstance(value, str):
        if "{_" in value or "_}" in value:
            return _GUARDED.sub(_GUARD, value), True
        return value, False
    if isinstance(value, dict):
        out, hit = {}, False
        for k, v in value.items():
            out[k], h = _guarded(v)
            hit = hit or h
        return out, hit
    if isinstance(value, (list, tuple)):
        items = [_guarded(v) for v in value]
        return type(value)(v for v, _h in items), any(h for _v, h in items)
    return value, False


def _unguard(document: Any) -> None:
    """Take the guards out of every rendered XML part (body, headers, footers): values land
    in ``w:t`` text only."""
    w_t = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for t in element.iter(w_t):
            if t.text and _GUARD in t.text:
                t.text = _UNGUARD.sub("", t.text)


def render_docx(template: Path, context: dict[str, Any], *, when: dt.datetime | None = None,
                title: str = "") -> bytes:
    """Render ``template`` with ``context``; returns reproducible DOCX bytes.

    The whole of it is under the render's time limit (:data:`~.sandbox.TIME_LIMIT`), not the
    filling alone: opening the template, filling it, and the post-processing (footnotes,
    schema order of every part, the zip written again). A template whose parts are huge once
    unzipped (400,000 styles in 1 MB took 12 s to put in order, after a fill of 1 s) is
    stopped with its name."""
    from ngoaivu_cli.errors import display_path
    from ngoaivu_cli.sandbox import (
        TIME_LIMIT,
        TimeOut,
        time_limit,
    )

    shown = display_path(template)
    data = read_template(template)
    try:
        with time_limit():
            return _render_docx(data, shown, context, when=when, title=title)
    except TimeOut:
        raise RenderError(f"lập văn bản từ mẫu DOCX {shown} quá {TIME_LIMIT:g} giây (mẫu quá "
                          "lớn hoặc quá phức tạp khi giải nén: kiểu chữ, đầu trang, phần ẩn)",
                          hint="lưu lại mẫu bằng Word hoặc LibreOffice (Lưu thành… .docx), bỏ "
                               "các kiểu chữ và phần không dùng; hoặc dùng mẫu có sẵn "
                               "(xóa templates/van-ban.docx)") from None


def _render_docx(data: bytes, shown: str, context: dict[str, Any], *,
                 when: dt.datetime | None, title: str) -> bytes:
    from docxtpl import DocxTemplate

    from ngoaivu_cli.sandbox import render_bounded, template_env, template_problem

    env = template_env()
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        values, guarded = _guarded(context)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RenderError(f"{shown} không phải tệp DOCX hợp lệ ({exc})",
                          hint="lưu mẫu bằng Word hoặc LibreOffice dạng .docx") from None
    try:
        render_bounded(_DocxRender(tpl, env), values)
    except RenderError:
        raise
    except Exception as exc:  # anything a template can do wrong: a located E-TEMPLATE
        excerpt = " ".join(getattr(exc, "docx_context", None) or []).strip() or None
        raise RenderError(f"mẫu {shown} có lỗi",
                          hint="sửa các thẻ {{ ... }} và {%p ... %} trong mẫu (xem "
                               "docs/loai-bao-cao.md, mục “Mẫu văn bản”)",
                          problems=[template_problem(exc, shown, excerpt=excerpt)]) from None
    if guarded:
        _unguard(tpl.docx)
    footnotes = [f for block in context["body"] for f in block.get("footnotes", [])]
    if footnotes:
        from ngoaivu_cli.render.footnotes import add_footnotes
        from ngoaivu_cli.render.marks import REF_RE

        add_footnotes(tpl.docx, {f["n"]: f["text"] for f in footnotes}, REF_RE)
    from ngoaivu_cli.render.rules import fit_rules

    fit_rules(tpl.docx)  # the lines under the agency and the trích yếu, from their text
    from ngoaivu_cli.render.ooxml_order import repair_document

    repair_document(tpl.docx)  # a template saved by LibreOffice or Word keeps Word's schema
    members = _package_members(tpl)
    if members is None:  # docxtpl has media to swap in after saving, or python-docx changed
        buf = io.BytesIO()
        tpl.save(buf)
        return normalize_docx(buf.getvalue(), modified=when, title=title)
    return _normalized_zip(members, modified=when, title=title)


def _package_members(tpl: Any) -> list[tuple[str, bytes]] | None:
    """The (name, bytes) of each zip member, in the order ``tpl.save`` would write them,
    without writing the zip (which :func:`normalize_docx` would then read back and compress
    again: 8 % of a weekly report). None when that is not the whole of what ``save`` does."""
    try:
        from docx.opc.pkgwriter import PackageWriter
    except ImportError:
        return None
    steps = [getattr(PackageWriter, name, None) for name in
             ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")]
    if (any(step is None for step in steps) or tpl.pics_to_replace or tpl.crc_to_new_media
            or tpl.crc_to_new_embedded or tpl.zipname_to_replace):
        return None
    members: list[tuple[str, bytes]] = []

    class Collect:  # what PackageWriter asks of a physical package writer
        def write(self, pack_uri: Any, blob: bytes) -> None:
            members.append((pack_uri.membername, blob))

    package = tpl.docx.part.package
    for part in package.parts:  # as OpcPackage.save
        part.before_marshal()
    content_types, pkg_rels, parts = steps
    writer = Collect()
    content_types(writer, package.parts)  # type: ignore[misc]
    pkg_rels(writer, package.rels)  # type: ignore[misc]
    parts(writer, package.parts)  # type: ignore[misc]
    return members


def source_date(default: dt.date) -> dt.datetime:
    """The document's timestamp: ``SOURCE_DATE_EPOCH`` when set, else ``default`` at midnight."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        try:
            when = dt.datetime.fromtimestamp(int(epoch.strip()[:20]), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            when = None
        if when is None:
            raise RenderError(f"SOURCE_DATE_EPOCH={epoch[:30]} nằm ngoài khoảng dùng được "
                              "(số giây quá lớn)",
                              hint="đặt số giây tính từ 1/1/1970, ví dụ 1693440000, hoặc bỏ "
                                   "biến này")
        return when.replace(tzinfo=None)
    return dt.datetime(default.year, default.month, default.day)


def _core_xml(when: dt.datetime, title: str) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://'
        'purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://'
        'www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>ngoaivu</dc:creator>"
        "<cp:lastModifiedBy>ngoaivu</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


# the extended properties: this program wrote the file; no page or word counts (they would be
# the template's, stale), so Word computes its own
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>ngoaivu'
    b"</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>"
    b"false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false"
    b"</HyperlinksChanged></Properties>"
)


def normalize_docx(data: bytes, *, modified: dt.datetime | None, title: str = "") -> bytes:
    """Rewrite a DOCX zip so it is byte-identical for identical content (docx-notes.md §4):
    fixed entry dates and attributes, ``[Content_Types].xml`` first, fixed core properties."""
    src = zipfile.ZipFile(io.BytesIO(data))
    return _normalized_zip([(name, src.read(name)) for name in src.namelist()],
                           modified=modified, title=title)


def _normalized_zip(members: list[tuple[str, bytes]], *, modified: dt.datetime | None,
                    title: str = "") -> bytes:
    """The zip of :func:`normalize_docx` from its members, in their original order (a name
    written twice holds its last bytes, as when read back from a zip)."""
    when = modified or dt.datetime(2000, 1, 1)
    blobs = dict(members)
    original = [name for name, _blob in members]
    names = sorted(original, key=lambda n: (n != "[Content_Types].xml", original.index(n)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            blob = blobs[name]
            if name == "docProps/core.xml":
                blob = _core_xml(when, title)
            elif name == "docProps/app.xml":
                blob = APP_XML
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
