"""A clean package for the shipped template: what python-docx's default file leaves behind goes.

python-docx starts every document from a Word 2010 (Mac) file. Kept as it is, the template
would carry a stale ``stylesWithEffects.xml`` (Calibri theme fonts, en-US), a blank thumbnail,
``customXml``, ``webSettings``, 189 styles of which about 20 are reachable, unused numbering
definitions, fixed rsids and ``compatibilityMode`` 14 (Word opens it in Compatibility Mode),
and an ``app.xml`` naming "Microsoft Macintosh Word". :func:`clean_package` removes or rewrites
all of it on the built :class:`docx.document.Document` before it is saved.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ngoaivu_cli.render.docx_writer import APP_XML
from ngoaivu_cli.render.ooxml_order import put

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT = "Times New Roman"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PACKAGE_RT = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
DROPPED_PARTS = (  # relationship types of the parts the template does not need
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RT + "customXml",
    RT + "webSettings",
    RT + "numbering",
)
KEPT_STYLES = ("FootnoteText", "FootnoteReference")  # used by rendered footnotes

SETTINGS_XML = f"""<w:settings xmlns:w="{W_NS}">
<w:zoom w:percent="100"/>
<w:defaultTabStop w:val="720"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>
<w:compat>
<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
<w:compatSetting w:name="differentiateMultirowTableHeaders" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
</w:compat>
<w:themeFontLang w:val="vi-VN"/>
<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1" w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6" w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>
<w:decimalSymbol w:val=","/>
<w:listSeparator w:val=";"/>
</w:settings>""".replace("\n", "")

FONT_TABLE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="{W_NS}"><w:font w:name="{FONT}"><w:panose1 w:val="02020603050405020304"/>\
<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/>\
<w:sig w:usb0="E0002EFF" w:usb1="C000785B" w:usb2="00000009" w:usb3="00000000" \
w:csb0="000001FF" w:csb1="00000000"/></w:font></w:fonts>"""

def _drop_parts(doc: Any) -> None:
    main = doc.part
    for rid, rel in list(main.rels.items()):
        if rel.reltype in DROPPED_PARTS:
            main.drop_rel(rid)
    package = main.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == PACKAGE_RT:
            package.rels.pop(rid)


def _used_style_ids(doc: Any) -> set[str]:
    """Style ids referenced by the body and headers/footers (p, r and table styles)."""
    roots = [doc.element]
    for rel in doc.part.rels.values():
        if not rel.is_external and hasattr(rel.target_part, "element"):
            roots.append(rel.target_part.element)
    used: set[str] = set()
    for root in roots:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            for el in root.iter(qn(tag)):
                used.add(el.get(qn("w:val")))
    return used


def _prune_styles(doc: Any) -> None:
    """Keep the styles in use, the defaults of each type, the footnote styles and everything
    they are based on or linked to; drop the rest (and the numbering they pointed to)."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    keep = _used_style_ids(doc) | set(KEPT_STYLES)
    keep |= {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"}
    todo = list(keep)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in keep:
                keep.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)
    for style in styles.iterchildren(qn("w:style")):
        for tag in ("w:next", "w:link"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in by_id:
                style.remove(ref)
        for num in style.iter(qn("w:numPr")):
            num.getparent().remove(num)


def _builtin_footnote_styles(doc: Any) -> None:
    """The footnote styles as Word defines its built-in ones (hidden until used, priority 99)."""
    for sid, based in (("FootnoteText", "Normal"), ("FootnoteReference", "DefaultParagraphFont")):
        style = doc.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{sid}']")
        if style is None:
            continue
        style.attrib.pop(qn("w:customStyle"), None)
        for tag, val in (("w:basedOn", based), ("w:uiPriority", "99")):
            el = parse_xml(f'<{tag} xmlns:w="{W_NS}" w:val="{val}"/>')
            put(style, el)
        for tag in ("w:semiHidden", "w:unhideWhenUsed"):
            put(style, parse_xml(f'<{tag} xmlns:w="{W_NS}"/>'))
        for tag in ("w:qFormat",):
            for el in style.findall(qn(tag)):
                style.remove(el)


def _defaults(doc: Any) -> None:
    """Paragraph defaults single-spaced with no space after (Normal says so too)."""
    ppr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    ppr = ppr_default.find(qn("w:pPr"))
    put(ppr, parse_xml(f'<w:spacing xmlns:w="{W_NS}" w:after="0" w:line="240" '
                       'w:lineRule="auto"/>'))


def _theme_fonts(doc: Any) -> None:
    """The theme's heading and body Latin fonts become Times New Roman as well."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT + "theme":
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
            for latin in root.iter(f"{a}latin"):
                latin.set("typeface", FONT)
            rel.target_part._blob = etree.tostring(root, xml_declaration=True,
                                                   encoding="UTF-8", standalone=True)


def _rewrite(doc: Any) -> None:
    doc.part._settings_part._element = parse_xml(SETTINGS_XML)
    for rel in doc.part.rels.values():
        if rel.reltype == RT + "fontTable":
            rel.target_part._blob = FONT_TABLE_XML.encode()
    for rel in doc.part.package.rels.values():
        if rel.reltype == RT + "extended-properties":
            rel.target_part._blob = APP_XML


def clean_package(doc: Any) -> None:
    """Remove python-docx's leftovers from ``doc`` and write our settings, fonts and app.xml."""
    from ngoaivu_cli.render.footnotes import _footnotes_part, _save_part

    _drop_parts(doc)
    _prune_styles(doc)
    _builtin_footnote_styles(doc)
    _defaults(doc)
    _theme_fonts(doc)
    _rewrite(doc)
    # the separators the settings' footnotePr points to, as Word writes them
    part, root = _footnotes_part(doc)
    _save_part(part, root)
