"""The lines a reader looks for under three components (ND30-DUONGKE, Phụ lục I):

- under the Tiêu ngữ, a solid line as long as the Tiêu ngữ;
- under the issuing agency's name, a solid line 1/3 to 1/2 as long as the name, centred;
- under the trích yếu, a solid line 1/3 to 1/2 as long as the trích yếu, centred.

Lines are drawn by eye: a length within 15 % of the Tiêu ngữ, and from 0.28 to 0.6 of the
name or trích yếu, passes.

A line is found the ways Word, LibreOffice and python-docx users draw it: a paragraph border
(the bottom of the component's own paragraph, of an empty paragraph under it, or the top of
the next one), a drawn shape (a DrawingML line or connector, a VML line), a row of
underscores, or (for the Tiêu ngữ only, where the line is as long as the text) the text
underlined. Lengths are measured with Times New Roman's widths (:mod:`.measure`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ngoaivu_cli.check.document import Docx, Para
from ngoaivu_cli.check.measure import text_width, underscore_width
from ngoaivu_cli.check.rules import (
    MM,
    Finding,
    Parts,
    _at,
    _mm,
    _norm,
    _only_rule_text,
    agency_lines,
)

CODE = "ND30-DUONGKE"
CENTRE_SLACK = 3 * MM  # twips a line's middle may be off its text's middle
LOOK_AHEAD = 4  # lines after the component where its line may be


@dataclass
class Drawn:
    """A line found under a component: where, how long (twips), its middle (None: unknown,
    a shape placed freely), and how it was made."""

    para: Para
    length: int
    middle: int | None
    how: str


def _middle(para: Para, length: int | None = None) -> int:
    """Where the middle of ``para``'s text (or of a line ``length`` long in it) is, twips
    from the start of its column."""
    room = para.width - para.left - para.right
    if length is None:
        return para.left + room // 2
    if para.jc == "center":
        return para.left + room // 2
    if para.jc in ("right", "end"):
        return para.width - para.right - length // 2
    return para.left + max(para.first_line, 0) + length // 2


def _text_middle(para: Para) -> int:
    return _middle(para, min(text_width(para.text_runs), para.width))


def find_line(doc: Docx, block: list[Para], *, underline: bool = False,
              subtitles: int = 0, anchors: list[Para] | None = None) -> Drawn | None:
    """The line drawn under the lines ``block`` (the last of them is the lowest). A drawn
    shape floats: it may be anchored to any line of the component (``anchors``), or to the
    line after it."""
    last = block[-1]
    for para in anchors or block:
        if para.shapes:
            return Drawn(para, max(para.shapes), None, "hình vẽ")
    if last.border_bottom:
        length = last.width - last.left - last.right
        return Drawn(last, length, _middle(last), "viền dưới đoạn")
    if underline and last.text_runs and all(f.underline for _t, f in last.text_runs):
        return Drawn(last, text_width(last.text_runs), _text_middle(last), "gạch chân chữ")
    empties = 0
    for para in doc.body[last.index + 1:last.index + 1 + LOOK_AHEAD + subtitles]:
        if para.cell is not last.cell:
            break
        if para.shapes:
            return Drawn(para, max(para.shapes), None, "hình vẽ")
        if para.border_top:
            return Drawn(para, para.width - para.left - para.right, _middle(para),
                         "viền trên đoạn sau")
        text = _norm(para.text)
        if not text:
            if para.border_bottom:
                return Drawn(para, para.width - para.left - para.right, _middle(para),
                             "viền dưới đoạn")
            empties += 1
            if empties > 2:
                break
            continue
        if _only_rule_text(text):
            length = underscore_width(para)
            return Drawn(para, length, _middle(para, length), "dòng gạch dưới")
        if subtitles and para.all_italic() and not para.any_bold():
            subtitles -= 1
            continue
        if para.shapes:  # a line anchored to the text under it, drawn above that text
            return Drawn(para, max(para.shapes), None, "hình vẽ")
        break
    return None


def _check(doc: Docx, block: list[Para], measured: Para, name: str, low: float, high: float,
           span: str, *, underline: bool = False, subtitles: int = 0,
           anchors: list[Para] | None = None) -> list[Finding]:
    hint = (f"kẻ một đường nét liền dưới {name}, dài {span}, căn giữa: Word: Trang chủ → "
            "Đường viền (Borders) → Đường viền dưới (Bottom Border) cho một đoạn trống, lùi "
            "hai bên cho đủ độ dài; hoặc Chèn → Hình (Shapes) → Đường thẳng")
    found = find_line(doc, block, underline=underline, subtitles=subtitles, anchors=anchors)
    if found is None:
        return [_at(CODE, block[-1], f"không có đường kẻ ngang dưới {name}", hint)]
    text = min(text_width(measured.text_runs), measured.width)
    out = []
    if text > 0 and not low <= found.length / text <= high:
        out.append(_at(CODE, found.para if found.para.text.strip() else block[-1],
                       f"đường kẻ dưới {name} dài {_mm(found.length)} mm ({found.how}), phải "
                       f"{span} (chữ dài khoảng {_mm(text)} mm)", hint))
    if found.middle is not None and found.para.cell is measured.cell and measured.jc == "center" \
            and abs(found.middle - _text_middle(measured)) > CENTRE_SLACK:
        out.append(_at(CODE, block[-1], f"đường kẻ dưới {name} không nằm giữa dưới chữ "
                       f"(lệch {_mm(abs(found.middle - _text_middle(measured)))} mm)", hint))
    return out


def rule_lines(doc: Docx, parts: Parts) -> list[Finding]:
    out: list[Finding] = []
    if parts.tieu_ngu is not None:
        block = [p for p in (parts.quoc_hieu, parts.tieu_ngu) if p is not None]
        out += _check(doc, block, parts.tieu_ngu, "Tiêu ngữ", 0.85, 1.15,
                      "bằng độ dài dòng Tiêu ngữ", underline=True)
    _parent, issuer = agency_lines(parts)
    if issuer:
        widest = max(issuer, key=lambda p: min(text_width(p.text_runs), p.width))
        out += _check(doc, issuer, widest, "tên cơ quan ban hành", 0.28, 0.6,
                      "từ 1/3 đến 1/2 độ dài dòng chữ", anchors=parts.agency)
    if parts.abstract:
        widest = max(parts.abstract, key=lambda p: min(text_width(p.text_runs), p.width))
        out += _check(doc, parts.abstract, widest, "trích yếu", 0.28, 0.6,
                      "từ 1/3 đến 1/2 độ dài dòng trích yếu", subtitles=2)
    return out
