"""Real Word footnotes (numbered, at the foot of the page) for an entry's ``footnote``.

docxtpl has no footnote API and python-docx none either: after rendering, each marker left in
a paragraph's text is replaced by a ``w:footnoteReference`` run, and the footnote bodies are
written into ``word/footnotes.xml`` (created when the template has none, appended otherwise).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
FONT = "Times New Roman"
TEXT_STYLE = "FootnoteText"  # style ids of Word's "footnote text" / "footnote reference"
REF_STYLE = "FootnoteReference"

_EMPTY_FOOTNOTES = (
    f'<w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


def _el(tag: str, **attrs: str) -> Any:
    el = etree.Element(W + tag)
    for key, value in attrs.items():
        el.set(W + key, value)
    return el


def _rpr(size_half_points: int, superscript: bool) -> Any:
    rpr = _el("rPr")
    if superscript:
        rpr.append(_el("rStyle", val=REF_STYLE))
    rpr.append(_el("rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT))
    rpr.append(_el("sz", val=str(size_half_points)))
    rpr.append(_el("szCs", val=str(size_half_points)))
    if superscript:  # CT_RPr order: sz, szCs, ..., vertAlign
        rpr.append(_el("vertAlign", val="superscript"))
    return rpr


def _footnote_xml(fid: int, text: str) -> Any:
    """A footnote; each line of ``text`` is a paragraph (the first carries the number)."""
    note = _el("footnote", id=str(fid))
    lines = [line.strip() for line in text.split("\n") if line.strip()] or [""]
    for i, line in enumerate(lines):
        p = etree.SubElement(note, W + "p")
        ppr = etree.SubElement(p, W + "pPr")
        ppr.append(_el("pStyle", val=TEXT_STYLE))
        ppr.append(_el("spacing", after="0", line="240", lineRule="auto"))
        ppr.append(_el("jc", val="both"))
        if i == 0:
            ref = etree.SubElement(p, W + "r")
            ref.append(_rpr(24, True))
            ref.append(_el("footnoteRef"))
        run = etree.SubElement(p, W + "r")
        run.append(_rpr(24, False))
        t = etree.SubElement(run, W + "t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = (" " if i == 0 else "") + line
    return note


def _footnotes_part(document: Any) -> tuple[Any, Any]:
    """The document's footnotes part and its parsed root (created when missing)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = document.part
    for rel in main.rels.values():
        if rel.reltype == FOOTNOTES_RT and not rel.is_external:
            part = rel.target_part
            blob = part.blob if not hasattr(part, "_element") else etree.tostring(part._element)
            return part, etree.fromstring(blob)
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, _EMPTY_FOOTNOTES.encode(),
                main.package)
    main.relate_to(part, FOOTNOTES_RT)
    return part, etree.fromstring(_EMPTY_FOOTNOTES.encode())


def _save_part(part: Any, root: Any) -> None:
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if hasattr(part, "_element"):
        part._element = etree.fromstring(blob)
    else:
        part._blob = blob


def add_footnotes(document: Any, notes: dict[int, str], marker: re.Pattern[str]) -> None:
    """Replace each marker in the body by a reference to a new footnote holding its text."""
    if not notes:
        return
    part, root = _footnotes_part(document)
    ids = [int(n.get(W + "id")) for n in root.iter(W + "footnote")]
    base = max([0, *ids])
    mapping: dict[int, int] = {}
    for n in sorted(notes):
        mapping[n] = base + len(mapping) + 1
        root.append(_footnote_xml(mapping[n], notes[n]))
    _save_part(part, root)

    body = document.element.body
    for t in list(body.iter(W + "t")):
        text = t.text or ""
        if not marker.search(text):
            continue
        run = t.getparent()
        # what follows this text in its run (a line break, more text) must follow the last
        # piece, not the first: it moves into a run of its own after the references
        following = list(t.itersiblings())
        pieces = marker.split(text)  # text, n, text, n, ..., text
        t.text = pieces[0]
        anchor = run
        for i in range(1, len(pieces), 2):
            fid = mapping.get(int(pieces[i]))
            if fid is not None:
                ref = _el("r")
                ref.append(_rpr(28, True))
                ref.append(_el("footnoteReference", id=str(fid)))
                anchor.addnext(ref)
                anchor = ref
            rest = pieces[i + 1]
            if rest:
                tail = copy.deepcopy(run)
                for child in list(tail):
                    if child.tag != W + "rPr":
                        tail.remove(child)
                nt = etree.SubElement(tail, W + "t")
                nt.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                nt.text = rest
                anchor.addnext(tail)
                anchor = tail
        if following and anchor is not run:
            rest_run = copy.deepcopy(run)
            for child in list(rest_run):
                if child.tag != W + "rPr":
                    rest_run.remove(child)
            for child in following:
                rest_run.append(child)
            anchor.addnext(rest_run)
