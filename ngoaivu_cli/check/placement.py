"""Where the components sit on the page (ND30-VITRI, Phụ lục I Mục IV):

- the agency's block on the left, each line centred in it, and "Số:" centred under it;
- the Quốc hiệu and Tiêu ngữ on the right, centred in their column, the place and date
  centred under them;
- the signer's block on the right, centred in its column;
- "Nơi nhận:" and its list flush left, "Nơi nhận:" level with the signer's first line.

The usual way is a borderless table of two columns (one or two rows at the top, one row at
the bottom); a document laid out without a table is judged by its alignment and indents.
"""

from __future__ import annotations

from ngoaivu_cli.check.document import Docx, Para
from ngoaivu_cli.check.measure import line_height, lines
from ngoaivu_cli.check.rules import MM, Finding, Parts, _at, _mm

CODE = "ND30-VITRI"
FLUSH = 2.5 * MM  # twips in from the margin still "flush left" (Word's own cell padding: 1.9 mm)
LEVEL = 60  # twips (3 pt) two lines may differ in height and still be level


def _right_side(para: Para) -> bool:
    """``para`` is in the right half: a column other than the first, or, outside a table,
    right-aligned or indented past a third of the width."""
    if para.cell is not None:
        return para.column > 0
    if para.jc in ("right", "end"):
        return True
    return para.left >= 0.3 * para.width and para.jc in ("center", "left", "start", "both")


def _left_side(para: Para) -> bool:
    if para.cell is not None:
        return para.column == 0
    if para.jc in ("right", "end"):
        return False
    return not (para.jc == "center" and abs(para.left - para.right) < 0.2 * para.width)


def _centred(paras: list[Para], name: str, where: str, hint: str) -> list[Finding]:
    bad = [p for p in paras if p.jc != "center"]
    if not bad:
        return []
    more = f" (và {len(bad) - 1} dòng khác)" if len(bad) > 1 else ""
    return [_at(CODE, bad[0], f"{name} phải căn giữa {where}{more}", hint, len(bad))]


def _offset(doc: Docx, para: Para) -> int:
    """Twips from the top of ``para``'s table cell to the top of its text."""
    top = 0
    for p in doc.body:
        if p is para:
            break
        if p.cell is para.cell:
            top += lines(p) * line_height(p)
            top += (p.before if p.first_piece else 0) + (p.after if p.last_piece else 0)
    return top + (para.before if para.first_piece else 0)


def rule_positions(doc: Docx, parts: Parts) -> list[Finding]:
    """The positions, for a document laid out in the flow of the page or in tables: text
    in a text box or a frame sits where its box is, which this rule does not follow."""
    placed = [p for p in (parts.quoc_hieu, parts.tieu_ngu, parts.noi_nhan, parts.number)
              if p is not None] + (parts.agency or []) + (parts.signature or [])
    if any(p.floating for p in placed):
        return []
    out: list[Finding] = []
    head_hint = ("đầu văn bản là một bảng không viền hai cột: bên trái tên cơ quan và số, ký "
                 "hiệu; bên phải Quốc hiệu, Tiêu ngữ và địa danh, ngày tháng; mỗi dòng căn giữa "
                 "trong cột của nó")
    qh = parts.quoc_hieu
    if qh is not None:
        if not _right_side(qh):
            out.append(_at(CODE, qh, "Quốc hiệu phải ở bên phải, phía trên trang đầu (ô 1)",
                           head_hint))
        out += _centred([p for p in (qh, parts.tieu_ngu) if p is not None],
                        "Quốc hiệu và Tiêu ngữ", "trong cột bên phải", head_hint)
    if parts.place_date is not None and qh is not None and qh.cell is not None \
            and parts.place_date.cell is not None:
        out += _centred([parts.place_date], "địa danh, ngày tháng",
                        "dưới Quốc hiệu và Tiêu ngữ", head_hint)
    if parts.agency:
        misplaced = [p for p in parts.agency if not _left_side(p)]
        if misplaced:
            out.append(_at(CODE, misplaced[0], "tên cơ quan phải ở bên trái, phía trên trang "
                           "đầu (ô 2)", head_hint))
        elif all(p.cell is not None for p in parts.agency):
            out += _centred(parts.agency, "tên cơ quan", "trong cột bên trái", head_hint)
    if parts.number is not None and parts.number.cell is not None and parts.agency \
            and parts.agency[-1].cell is not None:
        out += _centred([parts.number], "số, ký hiệu", "dưới tên cơ quan", head_hint)
    sign_hint = ("cuối văn bản là một bảng không viền hai cột: bên trái «Nơi nhận:» và danh "
                 "sách, căn trái sát lề; bên phải quyền hạn, chức vụ và họ tên người ký, căn "
                 "giữa; dòng «Nơi nhận:» ngang dòng đầu của khối chữ ký")
    signature = parts.signature or []
    if signature:
        if not all(_right_side(p) for p in signature):
            out.append(_at(CODE, signature[0], "khối chữ ký phải ở bên phải (ô 7)", sign_hint))
        elif all(p.cell is not None for p in signature):
            out += _centred(signature, "khối chữ ký", "trong cột bên phải", sign_hint)
    nn = parts.noi_nhan
    if nn is None:
        return out
    if not _left_side(nn) or nn.jc in ("center", "right", "end"):
        out.append(_at(CODE, nn, "«Nơi nhận:» phải ở bên trái, căn trái (ô 9b)", sign_hint))
    else:
        far = [p for p in [nn] + (parts.noi_nhan_items or [])
               if p.x + p.left + min(p.first_line, 0) > FLUSH]
        if far:
            inset = far[0].x + far[0].left + min(far[0].first_line, 0)
            out.append(_at(CODE, far[0], f"nơi nhận phải sát lề trái (cách lề {_mm(inset)} mm)",
                           sign_hint, len(far)))
    if signature:
        first = signature[0]
        if nn.row is None or first.row is not nn.row:
            out.append(_at(CODE, nn, "«Nơi nhận:» phải ngang hàng với dòng đầu của khối chữ ký "
                           f"«{first.excerpt()}» (hai ô của một bảng)", sign_hint))
        else:
            gap = _offset(doc, nn) - _offset(doc, first)
            if abs(gap) > LEVEL:
                lower = "thấp" if gap > 0 else "cao"
                out.append(_at(CODE, nn, f"«Nơi nhận:» {lower} hơn dòng «{first.excerpt()}» "
                               f"{_mm(abs(gap))} mm, phải ngang hàng", sign_hint))
    return out
