"""The lines under the agency's name and under the trích yếu, as long as the decree says.

Nghị định 30 (nd30.md §2, ô 2 and ô 5a) wants each of these solid lines 1/3 to 1/2 as long as
the line of text above it, centred under it. A template draws them as an empty ``NV Rule``
paragraph with a bottom border; the text above is only known once the template is filled in
("SỞ NGOẠI VỤ" is 31 mm at 13 pt, "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" 62 mm, a trích yếu up to a
whole line), so :func:`fit_rules` sets each line's length there, from the width of the widest
line above it (Times New Roman's metrics, :mod:`ngoaivu_cli.textwidth`), by the paragraph's
left and right indents in its cell or on the page. The line under the Tiêu ngữ keeps the
template's length (the motto never changes). A rule whose text above is not one of the
template's styles is left as the template draws it.
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Twips

from ngoaivu_cli.textwidth import run_twips

RULE_STYLE = "NV Rule"
# the style of the text a rule is drawn under → the styles that text may have (the paragraph
# right above the rule first); the trích yếu's rule may have a subtitle between ("(Từ ngày…)")
ABOVE = {"NV Header Bold": ("NV Header Bold",), "NV Abstract": ("NV Abstract",)}
SKIPPED = ("NV Subtitle",)
RATIO = 0.42  # of the text's width: inside 1/3–1/2 with room for rounding either way
DEFAULT_CELL_MARGIN = 108  # twips: Word's left and right cell margin when a table sets none


def fit_rules(document: Any) -> None:
    """Set the length of every ``NV Rule`` line under an agency name or a trích yếu of the
    filled-in ``document`` (a python-docx Document) to :data:`RATIO` of the text above."""
    from docx.text.paragraph import Paragraph

    names = {s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    rule_ids = {i for i, s in names.items() if s.name == RULE_STYLE}
    if not rule_ids:
        return
    page = _page_width(document)
    for p in list(document.element.body.iter(qn("w:p"))):
        if _style_id(p) not in rule_ids:
            continue
        above = _text_above(p, names)
        if not above:
            continue
        usable = _usable_width(p, page)
        if usable is None or usable <= 0:
            continue
        widest = max(min(_width(Paragraph(q, document.part), names), usable) for q in above)
        side = max(0, round((usable - RATIO * widest) / 2))
        fmt = Paragraph(p, document.part).paragraph_format
        fmt.left_indent = Twips(side)
        fmt.right_indent = Twips(side)


def _style_id(p: Any) -> str | None:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else None


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()


def _text_above(rule: Any, names: dict[str, Any]) -> list[Any]:
    """The paragraphs of the text the rule is drawn under: the ones right above it (in the
    same cell or on the page) that have the style of the first, skipping empty ones."""
    found: list[Any] = []
    wanted: tuple[str, ...] | None = None
    node = rule.getprevious()
    while node is not None and len(found) < 6:
        if node.tag != qn("w:p"):
            break
        style = names.get(_style_id(node) or "")
        name = style.name if style is not None else ""
        if not _text(node):
            node = node.getprevious()
            continue
        if wanted is None:
            if name in SKIPPED:
                node = node.getprevious()
                continue
            wanted = ABOVE.get(name)
            if wanted is None:
                return []
        if name not in wanted:
            break
        found.append(node)
        node = node.getprevious()
    return found


def _style_value(style: Any, attr: str) -> Any:
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


def _width(paragraph: Any, names: dict[str, Any]) -> float:
    """Twips the paragraph's text takes on one line."""
    style = names.get(_style_id(paragraph._p) or "")
    size = _style_value(style, "size")
    bold = _style_value(style, "bold")
    caps = _style_value(style, "all_caps")
    total = 0.0
    for run in paragraph.runs:
        pt = run.font.size or size
        total += run_twips(run.text, pt.pt if pt is not None else None,
                           bool(run.font.bold if run.font.bold is not None else bold),
                           bool(run.font.all_caps if run.font.all_caps is not None else caps))
    return total


def _page_width(document: Any) -> float | None:
    section = document.sections[0]
    if section.page_width is None:
        return None
    left = section.left_margin.twips if section.left_margin is not None else 0
    right = section.right_margin.twips if section.right_margin is not None else 0
    return float(section.page_width.twips - left - right)


def _usable_width(p: Any, page: float | None) -> float | None:
    """Twips a line of the paragraph's container holds: its cell less the cell's margins, or
    the page's text width."""
    cell = p.getparent()
    if cell is None or cell.tag != qn("w:tc"):
        return page
    tcw = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    if tcw is None or tcw.get(qn("w:type")) not in (None, "dxa"):
        return None
    try:
        width = float(tcw.get(qn("w:w")) or 0)
    except ValueError:
        return None
    return width - _margin(cell, "left") - _margin(cell, "right")


def _margin(cell: Any, side: str) -> float:
    names = (side, "start" if side == "left" else "end")
    mar = cell.find(f"{qn('w:tcPr')}/{qn('w:tcMar')}")
    table = cell.getparent().getparent() if cell.getparent() is not None else None
    tbl_mar = (table.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
               if table is not None else None)
    for holder in (mar, tbl_mar):
        if holder is None:
            continue
        for name in names:
            el = holder.find(qn(f"w:{name}"))
            if el is not None and el.get(qn("w:type")) in (None, "dxa"):
                try:
                    return float(el.get(qn("w:w")) or 0)
                except ValueError:
                    return DEFAULT_CELL_MARGIN
    return DEFAULT_CELL_MARGIN
