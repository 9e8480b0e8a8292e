"""A corpus of documents for ``ngoaivu check``, each with the rule codes it must get.

Correct documents are made several ways: with python-docx (a one-row and a two-row header
table; the Quốc hiệu, Tiêu ngữ, agency names and signer's lines typed with Shift+Enter; the
lines drawn as paragraph borders, as shapes, as underscores; a công văn; an appendix in a
section of its own; a kind written with the old accent placement), by LibreOffice (the
.fodt files of tests/data/check-corpus/, converted by ``soffice --headless --convert-to
docx`` into the .docx committed beside them: ``python -m tests.check_corpus`` makes them
again), a Word 2016 file's own parts (webSettings) on a correct document, and the tool's own
outputs (``ngoaivu report``). Each defect is one change to a correct python-docx document.

:data:`DEFECTS` maps a name to (the change, the codes of the errors it must get); a correct
document must get none. Warnings (ND30-CAUTRUC, a landscape page) are not alarms and are
not scored.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

DATA = Path(__file__).resolve().parent / "data" / "check-corpus"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
FONT = "Times New Roman"

# Known defects of the tool's own outputs, (code, part of the message) per output: none today.
# An entry here lets tests/test_check*.py pass while a defect is being fixed; once the output
# no longer has it, those tests fail and say so, so the list only ever holds live defects.
KNOWN_OWN_OUTPUT_DEFECTS: dict[str, set[tuple[str, str]]] = {}


def known(name: str, code: str, message: str) -> bool:
    """The finding is one of the known defects of the tool's own output ``name``."""
    return any(code == c and part in message for c, part in KNOWN_OWN_OUTPUT_DEFECTS.get(name, ()))


# --------------------------------------------------------------------------- the document


@dataclass
class Spec:
    """A document of the corpus, as a clerk types it; each field is a way to type it or a
    defect to put in it."""

    header_rows: int = 1  # the header table: 1 row (ô 2 | ô 1) or 2 rows (names | Số, date)
    breaks: bool = False  # Quốc hiệu + Tiêu ngữ, parent + agency, signer lines: Shift+Enter
    line_how: str = "border"  # "border" (empty paragraph), "shape", "vml", "underscore"
    agency: tuple[str, ...] = ("UBND TỈNH HÀ TĨNH", "SỞ NGOẠI VỤ")
    parent_bold: bool = False
    issuer_bold: bool = True
    qh_size: float = 13
    qh_bold: bool = True
    motto: str = "Độc lập - Tự do - Hạnh phúc"
    motto_line: float | None = 1.0  # its length / the motto's (None: no line)
    agency_line: float | None = 0.45
    abstract_line: float | None = 0.4
    abstract_line_shift: float = 0  # mm the trích yếu's line is moved right
    swap_header: bool = False  # Quốc hiệu on the left, agency on the right
    agency_jc: str = "center"
    number: str = "Số: 05/BC-SNgV"
    date: str = "Hà Tĩnh, ngày 05 tháng 3 năm 2024"
    date_italic: bool = True
    kind: str = "BÁO CÁO"
    kind_bold: bool = True
    vv: str | None = None  # a công văn: "V/v ..." under Số, no kind
    vv_below: bool = False  # the "V/v" typed under the header table, not in its cell
    short: bool = False  # a page long: the body's first paragraphs only
    abstract: str = "Kết quả công tác đối ngoại tháng 3 năm 2024"
    abstract_bold: bool = True
    kinh_gui: str | None = "Kính gửi: Ủy ban nhân dân tỉnh Hà Tĩnh."
    kinh_gui_bold: bool = False
    heading_size: float = 14
    heading_bold: bool = True
    body_jc: str = "both"
    body_font: str = FONT
    noi_nhan: bool = True
    noi_nhan_italic: bool = True
    noi_nhan_before: int = 0  # pt
    noi_nhan_indent: float = 0  # mm
    items: tuple[str, ...] = ("- Như trên;", "- Giám đốc Sở;", "- Lưu: VT, VP.")
    sign_left: bool = False  # the signer's block in the left cell
    sign_in_table: bool = True
    signer: tuple[str, ...] = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    signer_name: str = "Nguyễn Văn An"
    signer_size: float = 14
    signature: bool = True
    page_numbers: str = "header"  # "header", "footer", "none"
    first_page_number: bool = False  # the number shown on page 1
    appendix: bool = False  # a second section: an appendix numbered on its own
    appendix_numbers: bool = True
    page_size: str = "A4"  # "A4", "letter", "unset"
    margins: str = "ok"  # "ok", "left20", "unset"
    extra: list[Callable[[Any], None]] = field(default_factory=list)  # on the python-docx doc


BODY = [
    ("Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Ngoại vụ báo cáo kết quả công tác đối "
     "ngoại tháng 3 năm 2024 và nhiệm vụ trọng tâm tháng 4 năm 2024 như sau:"),
    "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
    ("Trong tháng, Sở Ngoại vụ đã tham mưu Ủy ban nhân dân tỉnh tổ chức đón tiếp 04 đoàn "
     "khách quốc tế đến thăm và làm việc tại tỉnh, cử 02 đoàn cán bộ đi công tác nước ngoài."),
    "II. NHIỆM VỤ TRỌNG TÂM THÁNG 4",
    ("Tiếp tục tham mưu tổ chức các hoạt động đối ngoại theo kế hoạch năm; phối hợp với các "
     "sở, ngành chuẩn bị nội dung làm việc với các tỉnh bạn Lào."),
] + [("Phối hợp với các sở, ngành, địa phương tổ chức đón tiếp, làm việc với các đoàn khách "
       f"quốc tế; theo dõi, đôn đốc việc thực hiện các thỏa thuận đã ký kết (nội dung {k}).")
      for k in range(1, 13)] + [
    ("Trên đây là báo cáo kết quả công tác đối ngoại tháng 3 năm 2024 của Sở Ngoại vụ, kính "
     "báo cáo Ủy ban nhân dân tỉnh./."),
]


def _width(text: str, size: float, bold: bool) -> float:
    """Millimetres ``text`` takes in Times New Roman."""
    from ngoaivu_cli.textwidth import run_twips

    return run_twips(text, size, bold) * 25.4 / 1440


def _fmt(run: Any, size: float, bold: bool = False, italic: bool = False,
         font: str = FONT) -> None:
    run.font.name = font
    rpr = run._r.get_or_add_rPr()
    rpr.rFonts.set(qn("w:hAnsi"), font)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic


def _single(p: Any, jc: str = "center", before: float = 0, after: float = 0) -> None:
    fmt = p.paragraph_format
    fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                     "both": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}[jc]
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), 1.0


def _lines(container: Any, lines: list[tuple[str, float, bool, bool]], breaks: bool,
           jc: str = "center", first: Any = None) -> list[Any]:
    """Write ``lines`` (text, size, bold, italic) as paragraphs, or as one paragraph broken by
    Shift+Enter when ``breaks``; ``first``, an empty paragraph, is used first. Returns the
    paragraphs."""
    out: list[Any] = []
    para = None
    for k, (text, size, bold, italic) in enumerate(lines):
        if para is None or not breaks:
            if k == 0 and first is not None and not first.text:
                para = first
            else:
                para = container.add_paragraph()
            _single(para, jc)
            out.append(para)
        else:
            para.add_run().add_break()
        _fmt(para.add_run(text), size, bold, italic)
    return out


def _rule(container: Any, spec: Spec, length_mm: float, room_mm: float,
          shift_mm: float = 0) -> None:
    """A line ``length_mm`` long, centred in a column ``room_mm`` wide, drawn the way
    ``spec.line_how`` says."""
    p = container.add_paragraph()
    _single(p)
    if spec.line_how == "underscore":
        count = max(3, round(length_mm / _width("_", 13, False)))
        _fmt(p.add_run("_" * count), 13)
        return
    if spec.line_how == "vml":  # Word 2007's straight connector
        pt = length_mm * 72 / 25.4
        p.add_run()._r.append(parse_xml(
            f'<w:pict xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office"><v:shape type="#_x0000_t32" '
            f'o:connectortype="straight" style="position:absolute;margin-left:0;'
            f'margin-top:2pt;width:{pt:.1f}pt;height:0;z-index:1" strokeweight=".5pt"/>'
            "</w:pict>"))
        return
    if spec.line_how == "shape":
        emu = int(length_mm * 36000)
        p.add_run()._r.append(parse_xml(
            '<w:drawing xmlns:w="' + W_NS + '" xmlns:wp="http://schemas.openxmlformats.org/'
            'drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/'
            'drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
            f'wordprocessingShape"><wp:inline><wp:extent cx="{emu}" cy="0"/>'
            '<wp:docPr id="1" name="Line"/><a:graphic><a:graphicData uri="http://schemas.'
            'microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:spPr><a:xfrm>'
            f'<a:off x="0" y="0"/><a:ext cx="{emu}" cy="0"/></a:xfrm><a:prstGeom prst="line">'
            '<a:avLst/></a:prstGeom><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/>'
            '</a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData>'
            '</a:graphic></wp:inline></w:drawing>'))
        return
    side = (room_mm - length_mm) / 2
    p.paragraph_format.left_indent = Mm(max(side + shift_mm, 0))
    p.paragraph_format.right_indent = Mm(max(side - shift_mm, 0))
    from ngoaivu_cli.render.ooxml_order import put  # in the schema's order

    put(p._p.get_or_add_pPr(), parse_xml(
        f'<w:pBdr xmlns:w="{W_NS}"><w:bottom w:val="single" w:sz="6" w:space="1" '
        'w:color="000000"/></w:pBdr>'))


def _table(doc: Any, widths_mm: list[float], rows: int = 1) -> Any:
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False
    tbl = table._tbl
    tblpr = tbl.tblPr
    from ngoaivu_cli.render.ooxml_order import put  # in the schema's order

    put(tblpr, parse_xml(f'<w:tblInd xmlns:w="{W_NS}" w:w="0" w:type="dxa"/>'))
    put(tblpr, parse_xml(f'<w:tblCellMar xmlns:w="{W_NS}"><w:left w:w="0" w:type="dxa"/>'
                         '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for col, width in zip(tbl.tblGrid.findall(W + "gridCol"), widths_mm, strict=True):
        col.set(W + "w", str(round(width * 1440 / 25.4)))
    return table


def _field(paragraph: Any) -> None:
    paragraph._p.append(parse_xml(
        f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:rPr><w:rFonts '
        f'w:ascii="{FONT}" w:hAnsi="{FONT}"/><w:sz w:val="28"/></w:rPr><w:t>2</w:t></w:r>'
        "</w:fldSimple>"))


def _numbers(section: Any, spec: Spec, numbered: bool = True) -> None:
    section.different_first_page_header_footer = not spec.first_page_number
    section.header.is_linked_to_previous = False
    where = section.footer if spec.page_numbers == "footer" else section.header
    p = where.paragraphs[0]
    _single(p)
    if spec.page_numbers != "none" and numbered:
        _field(p)


def build(spec: Spec, path: Path) -> Path:
    """Write the document ``spec`` describes to ``path``."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.element.get_or_add_rPr().rFonts.set(qn("w:hAnsi"), FONT)
    normal.font.size = Pt(14)
    section = doc.sections[0]
    if spec.page_size == "letter":
        section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin = Mm(20 if spec.margins == "left20" else 30)
    section.right_margin = Mm(15)
    room = (215.9 if spec.page_size == "letter" else 210) - (20 if spec.margins == "left20"
                                                             else 30) - 15
    left_w, right_w = 62.0, room - 62.0
    header = _table(doc, [left_w, right_w], spec.header_rows)
    agency_cell, qh_cell = header.cell(0, 0), header.cell(0, 1)
    if spec.swap_header:
        agency_cell, qh_cell = qh_cell, agency_cell
    number_cell = header.cell(1, 0) if spec.header_rows == 2 else agency_cell
    date_cell = header.cell(1, 1) if spec.header_rows == 2 else qh_cell
    if spec.swap_header and spec.header_rows == 2:
        number_cell, date_cell = date_cell, number_cell
    names = [(t, 13, spec.issuer_bold if k == len(spec.agency) - 1 else spec.parent_bold, False)
             for k, t in enumerate(spec.agency)]
    _lines(agency_cell, names, spec.breaks, spec.agency_jc, agency_cell.paragraphs[0])
    if spec.agency_line is not None:
        cell_w = left_w if not spec.swap_header else right_w
        _rule(agency_cell, spec, spec.agency_line * _width(spec.agency[-1], 13, True), cell_w)
    top = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", spec.qh_size, spec.qh_bold, False),
           (spec.motto, 14, True, False)]
    _lines(qh_cell, top, spec.breaks, "center", qh_cell.paragraphs[0])
    if spec.motto_line is not None:
        cell_w = right_w if not spec.swap_header else left_w
        _rule(qh_cell, spec, spec.motto_line * _width(spec.motto, 14, True), cell_w)
    number = number_cell.paragraphs[0] if spec.header_rows == 2 else number_cell.add_paragraph()
    _single(number, "center", before=6 if spec.header_rows == 1 else 0)
    _fmt(number.add_run(spec.number), 13)
    if spec.vv and not spec.vv_below:
        vv = number_cell.add_paragraph()
        _single(vv, "center", before=6)
        _fmt(vv.add_run(spec.vv), 12)
    if spec.vv and spec.vv_below:
        vv = doc.add_paragraph()
        _single(vv, "left", before=6)
        vv.paragraph_format.left_indent = Mm(8)
        _fmt(vv.add_run(spec.vv), 12)
    date = date_cell.paragraphs[0] if spec.header_rows == 2 else date_cell.add_paragraph()
    _single(date, "center", before=6 if spec.header_rows == 1 else 0)
    _fmt(date.add_run(spec.date), 14, italic=spec.date_italic)
    if spec.kind and not spec.vv:
        kind = doc.add_paragraph()
        _single(kind, "center", before=18)
        _fmt(kind.add_run(spec.kind), 14, bold=spec.kind_bold)
        abstract = doc.add_paragraph()
        _single(abstract)
        _fmt(abstract.add_run(spec.abstract), 14, bold=spec.abstract_bold)
        if spec.abstract_line is not None:
            _rule(doc, spec, spec.abstract_line * _width(spec.abstract, 14, True), room,
                  spec.abstract_line_shift)
    if spec.kinh_gui:
        kg = doc.add_paragraph()
        _single(kg, "center", before=12, after=6)
        _fmt(kg.add_run(spec.kinh_gui), 14, bold=spec.kinh_gui_bold)
    for text in BODY[:3] + BODY[-1:] if spec.short else BODY:
        p = doc.add_paragraph()
        heading = text[:3] in ("I. ", "II.")
        _single(p, "both" if heading else spec.body_jc, before=6)
        p.paragraph_format.first_line_indent = Mm(10)
        if heading:
            _fmt(p.add_run(text), spec.heading_size, bold=spec.heading_bold)
        else:
            _fmt(p.add_run(text), 14, font=spec.body_font)
    sign = [(t, spec.signer_size, True, False) for t in spec.signer]
    name = [("(Đã ký)", 14, False, True), ("", 14, False, False),
            (spec.signer_name, spec.signer_size, True, False)]
    nn_lines = [("Nơi nhận:", 12, True, spec.noi_nhan_italic)] + [
        (t, 11, False, False) for t in spec.items]
    if spec.sign_in_table:
        bottom = _table(doc, [70.0, room - 70.0])
        nn_cell, sign_cell = bottom.cell(0, 0), bottom.cell(0, 1)
        if spec.sign_left:
            nn_cell, sign_cell = sign_cell, nn_cell
        if spec.noi_nhan:
            first = _lines(nn_cell, nn_lines[:1], False, "left", nn_cell.paragraphs[0])[0]
            first.paragraph_format.space_before = Pt(spec.noi_nhan_before)
            if spec.noi_nhan_indent:
                first.paragraph_format.left_indent = Mm(spec.noi_nhan_indent)
            _lines(nn_cell, nn_lines[1:], spec.breaks, "left")
        if spec.signature:
            _lines(sign_cell, sign, spec.breaks, "center", sign_cell.paragraphs[0])
            _lines(sign_cell, name, False, "center")
    else:
        if spec.signature:
            for para in _lines(doc, sign + name, False, "center"):
                para.paragraph_format.left_indent = Mm(90)
        if spec.noi_nhan:
            _lines(doc, nn_lines, False, "left")
    _numbers(section, spec)
    if spec.appendix:
        appendix = doc.add_section(WD_SECTION.NEW_PAGE)
        appendix.header.is_linked_to_previous = False
        appendix.different_first_page_header_footer = False
        p = appendix.header.paragraphs[0]
        _single(p)
        if spec.appendix_numbers:
            _field(p)
        sect = appendix._sectPr
        numbering = parse_xml(f'<w:pgNumType xmlns:w="{W_NS}" w:start="1"/>')
        sect.find(W + "pgMar").addnext(numbering)
        for text, size, bold, italic in (("Phụ lục", 14, True, False),
                                         ("SỐ LIỆU CÁC ĐOÀN RA, ĐOÀN VÀO", 14, True, False),
                                         ("(Kèm theo Báo cáo số 05/BC-SNgV ngày 05 tháng 3 "
                                          "năm 2024 của Sở Ngoại vụ)", 14, False, True),
                                         *((f"{k}. Đoàn công tác số {k:02d}, 05 người, làm "
                                            "việc với tỉnh bạn", 14, False, False)
                                           for k in range(1, 46))):
            p = doc.add_paragraph()
            _single(p)
            _fmt(p.add_run(text), size, bold, italic)
    for change in spec.extra:
        change(doc)
    doc.save(str(path))
    if spec.page_size == "unset" or spec.margins == "unset":
        _edit(path, lambda root: _unset(root, spec))
    return path


def _unset(root: Any, spec: Spec) -> None:
    for sect in root.iter(W + "sectPr"):
        for tag, what in (("pgSz", "page_size"), ("pgMar", "margins")):
            el = sect.find(W + tag)
            if el is not None and getattr(spec, what) == "unset":
                sect.remove(el)


def _edit(path: Path, change: Callable[[Any], None], part: str = "word/document.xml") -> None:
    """Change one XML part of the DOCX at ``path`` in place."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            zout.writestr(info, data)
    tmp.replace(path)


def _schema_order(root: Any) -> None:
    """A paragraph property out of the schema's order: Word refuses such a file."""
    for p in root.iter(W + "p"):
        if "".join(t.text or "" for t in p.iter(W + "t")).startswith("Trên đây"):
            ppr = p.find(W + "pPr")
            ppr.append(etree.Element(W + "pageBreakBefore"))
            ppr.append(etree.Element(W + "keepNext"))  # keepNext after pageBreakBefore: wrong
            return


def _pct_tables(doc: Any) -> None:
    """Tables as Word's "AutoFit to window" leaves them: a width in percent, no cell widths,
    Word's own cell padding (1.9 mm)."""
    for tbl in doc.element.body.iter(W + "tbl"):
        width = tbl.find(W + "tblPr").find(W + "tblW")
        width.set(W + "type", "pct")
        width.set(W + "w", "5000")
        for el in list(tbl.iter(W + "tcW", W + "tblCellMar")):
            el.getparent().remove(el)


def _anchored(doc: Any) -> None:
    """Lines drawn as floating shapes (anchored to their paragraph), not inline."""
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    for inline in list(doc.element.body.iter(wp + "inline")):
        inline.tag = wp + "anchor"


# --------------------------------------------------------------------------- the corpus

BASE = Spec()
CORRECT: dict[str, Spec] = {
    "pd-mot-hang": BASE,
    "pd-hai-hang": replace(BASE, header_rows=2),
    "pd-xuong-dong": replace(BASE, breaks=True),
    "pd-xuong-dong-hai-hang": replace(BASE, breaks=True, header_rows=2),
    "pd-duong-ke-hinh": replace(BASE, line_how="shape"),
    "pd-duong-ke-gach": replace(BASE, line_how="underscore"),
    "pd-duong-ke-vml": replace(BASE, line_how="vml"),
    "pd-duong-ke-neo": replace(BASE, line_how="shape", extra=[_anchored]),
    "pd-bang-phan-tram": replace(BASE, breaks=True, header_rows=2, extra=[_pct_tables]),
    "pd-cong-van": replace(BASE, vv="V/v tổ chức đón đoàn khách quốc tế", kind="",
                           number="Số: 05/SNgV-VP", signer=("GIÁM ĐỐC",),
                           kinh_gui="Kính gửi: Ủy ban nhân dân tỉnh Hà Tĩnh."),
    "pd-phu-luc": replace(BASE, appendix=True),
    "pd-thoa-thuan-cu": replace(BASE, kind="BẢN THOẢ THUẬN", kinh_gui=None,
                                items=("- Các bên ký kết;", "- Lưu: VT, VP.")),
    "pd-uy-ban-hai-dong": replace(BASE, agency=("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"),
                                  agency_line=0.45),
    "pd-mot-co-quan": replace(BASE, agency=("SỞ NGOẠI VỤ TỈNH HÀ TĨNH",)),
    "pd-mot-trang-khong-so-trang": replace(BASE, page_numbers="none", short=True),
    "pd-vv-duoi-bang": replace(BASE, vv="V/v tổ chức đón đoàn khách quốc tế", kind="",
                               number="Số: 05/SNgV-VP", signer=("GIÁM ĐỐC",), vv_below=True),
}

# name → (the document, the codes of the errors it must get)
DEFECTS: dict[str, tuple[Spec, set[str]]] = {
    "khogiay-letter": (replace(BASE, page_size="letter"), {"ND30-KHOGIAY"}),
    "khogiay-khong-dat": (replace(BASE, page_size="unset"), {"ND30-KHOGIAY"}),
    "le-trai-20mm": (replace(BASE, margins="left20"), {"ND30-LE"}),
    "le-khong-dat": (replace(BASE, margins="unset"), {"ND30-LE"}),
    "font-arial": (replace(BASE, body_font="Arial"), {"ND30-FONT"}),
    "coquan-khong-dam": (replace(BASE, issuer_bold=False), {"ND30-COQUAN"}),
    "coquan-chu-quan-dam": (replace(BASE, parent_bold=True), {"ND30-COQUAN"}),
    "coquan-chu-quan-dam-xuong-dong": (replace(BASE, parent_bold=True, breaks=True),
                                       {"ND30-COQUAN"}),
    "quochieu-11pt": (replace(BASE, qh_size=11), {"ND30-QUOCHIEU"}),
    "quochieu-khong-dam-xuong-dong": (replace(BASE, qh_bold=False, breaks=True),
                                      {"ND30-QUOCHIEU"}),
    "tieungu-gach-dai": (replace(BASE, motto="Độc lập – Tự do – Hạnh phúc"), {"ND30-TIEUNGU"}),
    "so-khong-co-so-0": (replace(BASE, number="Số: 5/BC-SNgV"), {"ND30-SO"}),
    "ngay-dung": (replace(BASE, date_italic=False), {"ND30-NGAY"}),
    "ngay-thang-03": (replace(BASE, date="Hà Tĩnh, ngày 05 tháng 03 năm 2024"), {"ND30-NGAY"}),
    "tenloai-khong-dam": (replace(BASE, kind_bold=False), {"ND30-TENLOAI"}),
    "tenloai-chu-thuong": (replace(BASE, kind="Báo cáo"), {"ND30-TENLOAI"}),
    "tenloai-dau-cu-khong-dam": (replace(BASE, kind="BẢN THOẢ THUẬN", kind_bold=False,
                                         kinh_gui=None,
                                         items=("- Các bên ký kết;", "- Lưu: VT, VP.")),
                                 {"ND30-TENLOAI"}),
    "trichyeu-khong-dam": (replace(BASE, abstract_bold=False), {"ND30-TRICHYEU"}),
    "trichyeu-in-hoa": (replace(BASE, abstract="KẾT QUẢ CÔNG TÁC ĐỐI NGOẠI THÁNG 3 NĂM 2024"),
                        {"ND30-TRICHYEU"}),
    "kinhgui-dam": (replace(BASE, kinh_gui_bold=True), {"ND30-KINHGUI"}),
    "muc-12pt": (replace(BASE, heading_size=12), {"ND30-MUC"}),
    "muc-khong-dam": (replace(BASE, heading_bold=False), {"ND30-MUC"}),
    "noidung-can-trai": (replace(BASE, body_jc="left"), {"ND30-NOIDUNG"}),
    "noinhan-dung": (replace(BASE, noi_nhan_italic=False), {"ND30-NOINHAN"}),
    "noinhan-thieu": (replace(BASE, noi_nhan=False), {"ND30-NOINHAN"}),
    "noinhan-thieu-cham-phay": (replace(BASE, items=("- Như trên", "- Giám đốc Sở;",
                                                     "- Lưu: VT, VP.")), {"ND30-NOINHAN"}),
    "noinhan-thieu-luu": (replace(BASE, items=("- Như trên;", "- Giám đốc Sở.")),
                          {"ND30-NOINHAN"}),
    "noinhan-luu-thieu-don-vi": (replace(BASE, items=("- Như trên;", "- Lưu: VT.")),
                                 {"ND30-NOINHAN"}),
    "noinhan-luu-thieu-cham": (replace(BASE, items=("- Như trên;", "- Lưu: VT, VP")),
                               {"ND30-NOINHAN"}),
    "chuky-12pt": (replace(BASE, signer_size=12), {"ND30-CHUKY"}),
    "chuky-thieu": (replace(BASE, signature=False), {"ND30-CHUKY"}),
    "sotrang-trang-1": (replace(BASE, first_page_number=True), {"ND30-SOTRANG"}),
    "sotrang-chan-trang": (replace(BASE, page_numbers="footer"), {"ND30-SOTRANG"}),
    "sotrang-phu-luc": (replace(BASE, appendix=True, appendix_numbers=False), {"ND30-SOTRANG"}),
    "duongke-tieungu-thieu": (replace(BASE, motto_line=None), {"ND30-DUONGKE"}),
    "duongke-tieungu-ngan": (replace(BASE, motto_line=0.5), {"ND30-DUONGKE"}),
    "duongke-tieungu-ngan-hinh": (replace(BASE, motto_line=0.5, line_how="shape"),
                                  {"ND30-DUONGKE"}),
    "duongke-coquan-thieu": (replace(BASE, agency_line=None), {"ND30-DUONGKE"}),
    "duongke-coquan-dai": (replace(BASE, agency_line=1.0), {"ND30-DUONGKE"}),
    "duongke-coquan-dai-gach": (replace(BASE, agency_line=1.0, line_how="underscore"),
                                {"ND30-DUONGKE"}),
    "duongke-trichyeu-ngan-vml": (replace(BASE, abstract_line=0.15, line_how="vml"),
                                  {"ND30-DUONGKE"}),
    "duongke-trichyeu-thieu": (replace(BASE, abstract_line=None), {"ND30-DUONGKE"}),
    "duongke-trichyeu-lech": (replace(BASE, abstract_line_shift=40), {"ND30-DUONGKE"}),
    "vitri-quochieu-ben-trai": (replace(BASE, swap_header=True), {"ND30-VITRI"}),
    "vitri-coquan-can-trai": (replace(BASE, agency_jc="left"), {"ND30-VITRI"}),
    "vitri-chuky-ben-trai": (replace(BASE, sign_left=True), {"ND30-VITRI"}),
    "vitri-noinhan-thut": (replace(BASE, noi_nhan_indent=10), {"ND30-VITRI"}),
    "vitri-noinhan-thap": (replace(BASE, noi_nhan_before=12), {"ND30-VITRI"}),
    "vitri-khong-bang": (replace(BASE, sign_in_table=False), {"ND30-VITRI"}),
    "schema-thu-tu": (replace(BASE, extra=[]), {"ND30-SCHEMA"}),
}
SCHEMA_DEFECTS = {"schema-thu-tu": _schema_order}  # changes made to the saved file

# Made by LibreOffice from the .fodt beside them (committed; ``python -m tests.check_corpus``)
LIBREOFFICE: dict[str, set[str]] = {
    "lo-mot-hang": set(),
    "lo-xuong-dong": set(),
    "lo-duong-ke-hinh": set(),
    "lo-tieungu-khong-duong-ke": {"ND30-DUONGKE"},
}

WEB_SETTINGS_2016 = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:webSettings xmlns:mc="http:'
    b'//schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxml'
    b'formats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org'
    b'/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/'
    b'wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" xmlns:w16se="'
    b'http://schemas.microsoft.com/office/word/2015/wordml/symex" mc:Ignorable="w14 w15 w16se">'
    b"<w:optimizeForBrowser/><w:allowPNG/></w:webSettings>")


def with_web_settings(src: Path, dst: Path) -> Path:
    """``src`` with the webSettings part Word 2016 writes (and its relationship)."""
    rel = (b'<Relationship Id="rIdWeb" Type="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/relationships/webSettings" Target="webSettings.xml"/>')
    override = (b'<Override PartName="/word/webSettings.xml" ContentType="application/vnd.'
                b'openxmlformats-officedocument.wordprocessingml.webSettings+xml"/>')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/webSettings.xml":
                continue
            if info.filename == "word/_rels/document.xml.rels" and b"webSettings" not in data:
                data = data.replace(b"</Relationships>", rel + b"</Relationships>")
            if info.filename == "[Content_Types].xml" and b"webSettings" not in data:
                data = data.replace(b"</Types>", override + b"</Types>")
            zout.writestr(info, data)
        zout.writestr("word/webSettings.xml", WEB_SETTINGS_2016)
        assert "word/document.xml" in names
    return dst


def make(folder: Path) -> dict[str, tuple[Path, set[str]]]:
    """Write every python-docx document of the corpus into ``folder``; name → (path, the
    error codes expected). The LibreOffice ones are in :data:`DATA`."""
    out: dict[str, tuple[Path, set[str]]] = {}
    for name, spec in CORRECT.items():
        out[name] = (build(copy.deepcopy(spec), folder / f"{name}.docx"), set())
    for name, (spec, codes) in DEFECTS.items():
        path = build(copy.deepcopy(spec), folder / f"{name}.docx")
        if name in SCHEMA_DEFECTS:
            _edit(path, SCHEMA_DEFECTS[name])
        out[name] = (path, codes)
    for name, codes in LIBREOFFICE.items():
        out[name] = (DATA / f"{name}.docx", codes)
    out["word2016-websettings"] = (with_web_settings(out["pd-mot-hang"][0],
                                                     folder / "word2016-websettings.docx"),
                                   set())
    return out


def convert_libreoffice() -> None:
    """Make the LibreOffice documents again from their .fodt (needs ``soffice``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("cần LibreOffice (soffice) để tạo lại các tệp .docx")
    for name in LIBREOFFICE:
        subprocess.run([soffice, "--headless", "--convert-to", "docx", "--outdir", str(DATA),
                        str(DATA / f"{name}.fodt")], check=True, capture_output=True,
                       timeout=120)




# --------------------------------------------------------------------------- LibreOffice

_FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Times New Roman" svg:font-family="'Times New Roman'"
  style:font-family-generic="roman"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:margin-top="0mm" fo:margin-bottom="0mm"/>
  <style:text-properties style:font-name="Times New Roman" fo:font-size="14pt"
   style:font-name-asian="Times New Roman" style:font-name-complex="Times New Roman"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
 <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm"
   style:print-orientation="portrait" fo:margin-top="10mm" fo:margin-bottom="20mm"
   fo:margin-left="30mm" fo:margin-right="15mm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0mm"
   fo:margin-bottom="6mm"/></style:header-style>
 </style:page-layout>
 <style:page-layout style:name="pm2">
  <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm"
   style:print-orientation="portrait" fo:margin-top="20mm" fo:margin-bottom="20mm"
   fo:margin-left="30mm" fo:margin-right="15mm"/>
 </style:page-layout>
 <style:style style:name="Tbl" style:family="table" style:master-page-name="First_20_Page">
  <style:table-properties style:width="165mm" table:align="left"/>
 </style:style>
 <style:style style:name="Tbl2" style:family="table">
  <style:table-properties style:width="165mm" table:align="left" fo:margin-top="6mm"/>
 </style:style>
 <style:style style:name="ColA" style:family="table-column">
  <style:table-column-properties style:column-width="62mm"/></style:style>
 <style:style style:name="ColB" style:family="table-column">
  <style:table-column-properties style:column-width="103mm"/></style:style>
 <style:style style:name="ColC" style:family="table-column">
  <style:table-column-properties style:column-width="70mm"/></style:style>
 <style:style style:name="ColD" style:family="table-column">
  <style:table-column-properties style:column-width="95mm"/></style:style>
 <style:style style:name="Cell" style:family="table-cell">
  <style:table-cell-properties fo:padding="0mm" fo:border="none"/></style:style>
 <style:style style:name="C13" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center"/><style:text-properties fo:font-size="13pt"/></style:style>
 <style:style style:name="C13B" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center"/><style:text-properties fo:font-size="13pt" fo:font-weight="bold"
  style:font-weight-complex="bold"/></style:style>
 <style:style style:name="C14B" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center"/><style:text-properties fo:font-size="14pt"
  fo:font-weight="bold"/></style:style>
 <style:style style:name="C14I" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center" fo:margin-top="2mm"/><style:text-properties fo:font-size="14pt"
  fo:font-style="italic"/></style:style>
 <style:style style:name="C13S" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center" fo:margin-top="2mm"/><style:text-properties
  fo:font-size="13pt"/></style:style>
 <style:style style:name="Kind" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center" fo:margin-top="6mm"/><style:text-properties fo:font-size="14pt"
  fo:font-weight="bold"/></style:style>
 <style:style style:name="Kg" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center" fo:margin-top="4mm" fo:margin-bottom="2mm"/></style:style>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties
  fo:text-align="justify" fo:text-indent="10mm" fo:margin-top="6pt"/></style:style>
 <style:style style:name="Head" style:family="paragraph"><style:paragraph-properties
  fo:text-align="justify" fo:text-indent="10mm" fo:margin-top="6pt"/><style:text-properties
  fo:font-weight="bold"/></style:style>
 <style:style style:name="NN" style:family="paragraph"><style:text-properties
  fo:font-size="12pt" fo:font-weight="bold" fo:font-style="italic"/></style:style>
 <style:style style:name="NNI" style:family="paragraph"><style:text-properties
  fo:font-size="11pt"/></style:style>
 <style:style style:name="I14" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center"/><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="Ctr" style:family="paragraph"><style:paragraph-properties
  fo:text-align="center"/></style:style>
 <style:style style:name="Bold" style:family="text"><style:text-properties
  fo:font-weight="bold"/></style:style>
 {rules}
 <style:style style:name="gr1" style:family="graphic"><style:graphic-properties
  svg:stroke-width="0.26mm" svg:stroke-color="#000000" style:vertical-pos="top"
  style:vertical-rel="paragraph" style:horizontal-pos="center"
  style:horizontal-rel="paragraph" style:wrap="none"/></style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:header><text:p text:style-name="Header"><text:page-number
   text:select-page="current">2</text:page-number></text:p></style:header>
 </style:master-page>
 <style:master-page style:name="First_20_Page" style:display-name="First Page"
  style:page-layout-name="pm2" style:next-style-name="Standard"/>
</office:master-styles>
<office:body><office:text>
"""

_RULE_STYLE = ('<style:style style:name="{name}" style:family="paragraph"><style:paragraph-'
               'properties fo:margin-left="{side}mm" fo:margin-right="{side}mm" '
               'fo:border-bottom="0.26mm solid #000000" fo:padding-bottom="0.5mm" '
               'fo:line-height="30%"/><style:text-properties fo:font-size="4pt"/>'
               '</style:style>')


def fodt(shapes: bool = False, breaks: bool = False, motto_line: bool = True) -> str:
    """A correct report as a LibreOffice user types it, as a flat OpenDocument text."""
    agency_w = _width("SỞ NGOẠI VỤ", 13, True) * 0.45
    motto_w = _width("Độc lập - Tự do - Hạnh phúc", 14, True)
    abstract = "Kết quả công tác đối ngoại tháng 3 năm 2024"
    abstract_w = _width(abstract, 14, True) * 0.4
    rules = "\n ".join(_RULE_STYLE.format(name=n, side=f"{(room - w) / 2:.2f}")
                       for n, room, w in (("RA", 62, agency_w), ("RM", 103, motto_w),
                                          ("RT", 165, abstract_w)))

    def rule(style: str, length: float) -> str:
        if not shapes:
            return f'<text:p text:style-name="{style}"/>'
        return (f'<text:p text:style-name="Ctr"><draw:line draw:style-name="gr1" '
                f'text:anchor-type="paragraph" svg:x1="0mm" svg:y1="1mm" '
                f'svg:x2="{length:.2f}mm" svg:y2="1mm"/></text:p>')

    br = "<text:line-break/>"

    def lines(style: str, *texts: str) -> str:
        if breaks:
            return f'<text:p text:style-name="{style}">{br.join(texts)}</text:p>'
        return "".join(f'<text:p text:style-name="{style}">{t}</text:p>' for t in texts)

    parent = '<text:p text:style-name="C13">UBND TỈNH HÀ TĨNH</text:p>'
    issuer = '<text:p text:style-name="C13B">SỞ NGOẠI VỤ</text:p>'
    if breaks:
        parent = ('<text:p text:style-name="C13">UBND TỈNH HÀ TĨNH' + br
                  + '<text:span text:style-name="Bold">SỞ NGOẠI VỤ</text:span></text:p>')
        issuer = ""
    top = lines("C13B", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                '<text:span text:style-name="Bold">Độc lập - Tự do - Hạnh phúc</text:span>'
                ) if breaks else (
        '<text:p text:style-name="C13B">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</text:p>'
        '<text:p text:style-name="C14B">Độc lập - Tự do - Hạnh phúc</text:p>')
    body = "".join(
        f'<text:p text:style-name="{"Head" if t[:3] in ("I. ", "II.") else "Body"}">{t}'
        "</text:p>" for t in BODY)
    items = ("- Như trên;", "- Giám đốc Sở;", "- Lưu: VT, VP.")
    signer = lines("C14B", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    text = (
        '<table:table table:name="Dau" table:style-name="Tbl">'
        '<table:table-column table:style-name="ColA"/><table:table-column '
        'table:style-name="ColB"/><table:table-row>'
        f'<table:table-cell table:style-name="Cell">{parent}{issuer}'
        f'{rule("RA", agency_w)}'
        '<text:p text:style-name="C13S">Số: 05/BC-SNgV</text:p></table:table-cell>'
        f'<table:table-cell table:style-name="Cell">{top}'
        f'{rule("RM", motto_w) if motto_line else ""}'
        '<text:p text:style-name="C14I">Hà Tĩnh, ngày 05 tháng 3 năm 2024</text:p>'
        '</table:table-cell></table:table-row></table:table>'
        '<text:p text:style-name="Kind">BÁO CÁO</text:p>'
        f'<text:p text:style-name="C14B">{abstract}</text:p>{rule("RT", abstract_w)}'
        '<text:p text:style-name="Kg">Kính gửi: Ủy ban nhân dân tỉnh Hà Tĩnh.</text:p>'
        f"{body}"
        '<table:table table:name="Ky" table:style-name="Tbl2">'
        '<table:table-column table:style-name="ColC"/><table:table-column '
        'table:style-name="ColD"/><table:table-row><table:table-cell table:style-name="Cell">'
        '<text:p text:style-name="NN">Nơi nhận:</text:p>'
        + lines("NNI", *items) +
        f'</table:table-cell><table:table-cell table:style-name="Cell">{signer}'
        '<text:p text:style-name="I14">(Đã ký)</text:p><text:p text:style-name="Ctr"/>'
        '<text:p text:style-name="C14B">Nguyễn Văn An</text:p></table:table-cell>'
        "</table:table-row></table:table>")
    return _FODT_HEAD.replace("{rules}", rules) + text + "\n</office:text></office:body>" \
        "</office:document>\n"


LIBREOFFICE_SOURCES: dict[str, dict[str, bool]] = {
    "lo-mot-hang": {},
    "lo-xuong-dong": {"breaks": True},
    "lo-duong-ke-hinh": {"shapes": True},
    "lo-tieungu-khong-duong-ke": {"motto_line": False},
}


def write_libreoffice_sources() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for name, options in LIBREOFFICE_SOURCES.items():
        (DATA / f"{name}.fodt").write_text(fodt(**options), "utf-8")


if __name__ == "__main__":
    write_libreoffice_sources()
    convert_libreoffice()
