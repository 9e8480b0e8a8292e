"""Child order of the WordprocessingML property elements (ECMA-376 Part 1, §17).

The schema fixes the order of the children of ``w:pPr``, ``w:rPr``, ``w:tblPr``, ``w:style``
and ``w:sectPr`` (each is an ``xsd:sequence``). Word refuses or "repairs" a file where, say,
``w:pBdr`` follows ``w:ind`` or ``w:vertAlign`` precedes ``w:sz``; LibreOffice forgives it.
:func:`put` inserts (or replaces) a child at its place in the sequence instead of appending.
"""

from __future__ import annotations

from typing import Any

from ngoaivu_cli.sandbox import tick

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"

# CT_PPr (CT_PPrBase, then rPr, sectPr, pPrChange)
PPR = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
)
# CT_RPr (the paragraph mark's CT_ParaRPr starts with ins, del, moveFrom, moveTo)
RPR = (
    "ins", "del", "moveFrom", "moveTo",
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
    "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
    "oMath", "rPrChange",
)
# CT_TblPr
TBLPR = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange",
)
# CT_Style
STYLE = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
    "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
    "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
)
# CT_SectPr (header and footer references come first, in any number)
SECTPR = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
    "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
    "sectPrChange",
)
SEQUENCES: dict[str, tuple[str, ...]] = {
    "pPr": PPR, "rPr": RPR, "tblPr": TBLPR, "style": STYLE, "sectPr": SECTPR,
}
_REPEATABLE = {"headerReference", "footerReference"}


def _local(tag: Any) -> str:
    text = str(tag)
    return text[len(_W):] if text.startswith(_W) else ""


def put(parent: Any, child: Any) -> Any:
    """Insert ``child`` into ``parent`` where the schema sequence wants it; returns ``child``.

    An existing child of the same name is replaced (each of these elements occurs once).
    Children the sequence does not know keep their place, and an unknown ``child`` is appended.
    """
    order = SEQUENCES.get(_local(parent.tag))
    name = _local(child.tag)
    if order is None or name not in order:
        parent.append(child)
        return child
    rank = order.index(name)
    if name not in _REPEATABLE:
        for old in parent.findall(child.tag):
            if old is not child:
                parent.remove(old)
    for sibling in parent:
        sib = _local(sibling.tag)
        if sibling is not child and sib in order and order.index(sib) > rank:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def out_of_order(root: Any) -> list[str]:
    """Every property element under ``root`` whose children break their sequence (for tests
    and the checker): a list of "parent: child after later" descriptions."""
    problems: list[str] = []
    for name, order in SEQUENCES.items():
        for el in root.iter(_W + name):
            last = -1
            for child in el:
                sib = _local(child.tag)
                if sib not in order:
                    continue
                rank = order.index(sib)
                if rank < last:
                    problems.append(f"{name}: {sib} sau {order[last]}")
                last = max(last, rank)
    return problems


# Children of w:trPr and w:tcPr typed ST_OnOffOnly in the Office schemas ("on"/"off" only);
# LibreOffice writes w:val="true" there, which Word's validator rejects.
ON_OFF_ONLY = ("cantSplit", "tblHeader", "hidden", "noWrap", "tcFitText", "hideMark")
_ON_OFF = {"true": "on", "1": "on", "false": "off", "0": "off"}


def repair(root: Any) -> None:
    """Bring a rendered part into schema shape: property children sorted into their sequence
    (stable, unknown children last in their order) and on/off-only values spelt "on"/"off"."""
    for name, order in SEQUENCES.items():
        for el in root.iter(_W + name):
            tick()  # under the render's time limit (sandbox.time_limit)
            children = list(el)
            ranked = sorted(children, key=lambda c: (
                order.index(_local(c.tag)) if _local(c.tag) in order else len(order)))
            if ranked != children:
                for child in children:
                    el.remove(child)
                el.extend(ranked)
    for parent in ("trPr", "tcPr"):
        for props in root.iter(_W + parent):
            tick()
            for child in props:
                val = child.get(_W + "val")
                if _local(child.tag) in ON_OFF_ONLY and val in _ON_OFF:
                    child.set(_W + "val", _ON_OFF[val])


def repair_document(document: Any) -> None:
    """:func:`repair` on a python-docx document's body and its headers, footers and notes,
    each part once however many relationships point at it."""
    repair(document.element)
    seen = {id(document.part)}
    for rel in document.part.rels.values():
        part = rel.target_part if not rel.is_external else None
        element = getattr(part, "_element", None)
        if element is not None and id(part) not in seen:
            seen.add(id(part))
            repair(element)
