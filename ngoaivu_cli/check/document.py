"""A DOCX read for checking: every paragraph with its text and *effective* formatting.

What Word shows is the result of a cascade: document defaults, then the table style, the
paragraph style and its ``basedOn`` chain, the character style, and the direct formatting of
the paragraph and run. Theme fonts (``asciiTheme="minorHAnsi"``) are looked up in the theme,
because that is where Word's defaults hide Calibri. The file is untrusted: members are read
with a size limit, and the XML parser resolves no entity and loads nothing from the network.
"""

from __future__ import annotations

import io
import math
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ngoaivu_cli.check.measure import estimate_pages, page_size
from ngoaivu_cli.errors import NgoaivuError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_MEMBER = 64 * 1024 * 1024  # bytes of one XML part, uncompressed
MAX_MEMBERS = 5000
MAX_FILE = 200 * 1024 * 1024  # bytes of the DOCX itself (with its pictures)
MAX_READ = 256 * 1024 * 1024  # bytes of XML read from one DOCX, every part together, unpacked
MAX_PARAGRAPHS = 100_000  # paragraphs of every part (a 200-page report: ~5,000)
MAX_RUNS = 1_000_000  # runs of every part
MAX_MEASURE = 1e9  # a size, indent or spacing beyond it is no measure (a page is ~20,000 twips)
MAX_SECONDS = 60.0  # reading one document for checking (a 200-page report: ~2 s)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)


class CheckError(NgoaivuError):
    """The file cannot be checked at all (not a DOCX, damaged, too large)."""


class _Budget:
    """What reading one DOCX may take: paragraphs, runs and time. The file is small, what it
    describes need not be (one header referred to by 3,000 relationships once took minutes
    and 2.7 GB): every part is read once, and these bounds end the rest."""

    def __init__(self) -> None:
        self.end = time.monotonic() + MAX_SECONDS
        self.paragraphs = MAX_PARAGRAPHS
        self.runs = MAX_RUNS

    def spend(self, paragraphs: int = 0, runs: int = 0) -> None:
        self.paragraphs -= paragraphs
        self.runs -= runs
        if self.paragraphs < 0 or self.runs < 0:
            what = f"{MAX_PARAGRAPHS:,} đoạn" if self.paragraphs < 0 else f"{MAX_RUNS:,} đoạn chữ"
            raise CheckError(f"văn bản quá lớn để kiểm tra (hơn {what.replace(',', '.')})",
                             hint="nghi là tệp hỏng hoặc độc hại; mở và lưu lại tệp bằng Word")
        if time.monotonic() > self.end:
            raise CheckError(f"đọc văn bản để kiểm tra quá {MAX_SECONDS:g} giây, dừng",
                             hint="nghi là tệp hỏng hoặc độc hại; mở và lưu lại tệp bằng Word")


@dataclass
class RunFormat:
    """The effective formatting of a run: fonts (after theme lookup), bold, italic, size."""

    font: str | None = None  # ascii slot
    font_hansi: str | None = None
    bold: bool = False
    italic: bool = False
    size: float | None = None  # points
    caps: bool = False
    underline: bool = False


@dataclass
class Para:
    """One line of a paragraph as Word shows it: a paragraph broken by Shift+Enter (a manual
    line break, ``w:br``) is one :class:`Para` per line, sharing the paragraph's properties,
    since that is how offices type the Quốc hiệu and Tiêu ngữ, or two agency names."""

    number: int  # 1-based, in the order of the part (body paragraphs count table cells too)
    part: str  # "body", "header", "footer", "footnote"
    text: str
    runs: list[tuple[str, RunFormat]]
    jc: str = "left"
    first_line: int = 0  # twips; negative for a hanging indent
    before: int = 0  # twips
    after: int = 0
    line: int = 240
    line_rule: str = "auto"
    left: int = 0  # indents, twips
    right: int = 0
    border_bottom: bool = False  # a bottom (or, for the line above, top) paragraph border
    border_top: bool = False
    page_break: bool = False  # starts on a new page (page break before it, pageBreakBefore)
    cell: Any = None  # the w:tc holding it, None at the top level
    row: Any = None  # the w:tr holding it
    element: Any = field(default=None, repr=False)
    index: int = 0  # position in its list (Docx.body)
    piece: int = 0  # which line of its paragraph (0: the first)
    pieces: int = 1  # how many lines its paragraph has
    shapes: list[int] = field(default_factory=list)  # lengths (twips) of lines drawn here
    width: int = 0  # twips between the margins or the cell's padding, before indents
    column: int = 0  # the cell's column in its row (0: the leftmost)
    x: int = 0  # where the text area starts, from the left margin (twips; a table's indent)
    section: int = 0  # index in Docx.sections
    floating: bool = False  # in a text box or a frame: placed where its box is, not by flow
    rendered: tuple[int, int] = (0, 0)  # Word's last rendered page breaks before, after its text
    page: int = 0  # estimated, 1-based (0: not estimated)
    page_line: int = 0  # estimated line on that page, 1-based

    @property
    def first_piece(self) -> bool:
        return self.piece == 0

    @property
    def last_piece(self) -> bool:
        return self.piece == self.pieces - 1

    @property
    def text_runs(self) -> list[tuple[str, RunFormat]]:
        return [(t, f) for t, f in self.runs if t.strip()]

    def excerpt(self, width: int = 50) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    def sizes(self) -> set[float]:
        return {f.size for _t, f in self.text_runs if f.size is not None}

    def all_bold(self) -> bool:
        return bool(self.text_runs) and all(f.bold for _t, f in self.text_runs)

    def any_bold(self) -> bool:
        return any(f.bold for _t, f in self.text_runs)

    def all_italic(self) -> bool:
        return bool(self.text_runs) and all(f.italic for _t, f in self.text_runs)

    def any_italic(self) -> bool:
        return any(f.italic for _t, f in self.text_runs)


@dataclass
class Section:
    width: int | None  # twips; None: the section does not say (Word uses its own default)
    height: int | None
    top: int | None
    bottom: int | None
    left: int | None
    right: int | None
    title_page: bool
    headers: dict[str, list[Para]]  # "default"/"first"/"even" → paragraphs of that header,
    # inherited from the section before when this one does not name its own, as Word does
    footers: dict[str, list[Para]] = field(default_factory=dict)
    start: int | None = None  # pgNumType/@start: the numbering restarts at this number
    new_page: bool = True  # the section starts on a new page (not a continuous break)
    first_page: int = 0  # estimated page its first paragraph is on
    header_distance: int | None = None  # twips from the page's top edge to the header


@dataclass
class Docx:
    path: Path
    body: list[Para]
    notes: list[Para]  # headers, footers and footnotes, for the font rule
    sections: list[Section]


def _bool(el: Any) -> bool | None:
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in ("0", "false", "off")


def _int(value: str | None, name: str = "") -> int | None:
    """A measure of the document (twips, half-points) as an integer; None when absent or not
    a number Word would read ("12pt" is left to the schema rule). A value that is no
    measure at all (``1e999``, ``inf``, ``nan``, 5,000 digits) is a :class:`CheckError`: Word
    refuses such a file too."""
    if value is None:
        return None
    text = value.strip()
    try:
        number = float(text) if len(text) <= 40 else math.inf
    except ValueError:
        return None
    if not math.isfinite(number) or abs(number) > MAX_MEASURE:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise CheckError(f"giá trị «{shown}» của {name or 'một thuộc tính'} không phải số đo "
                         "dùng được (vô hạn hoặc quá lớn)",
                         hint="tệp hỏng hoặc bị sửa tay; mở và lưu lại tệp bằng Word hoặc "
                              "LibreOffice")
    return int(number)


_ODF = {"application/vnd.oasis.opendocument.text": "văn bản OpenDocument (.odt)",
        "application/vnd.oasis.opendocument.text-template": "mẫu OpenDocument (.ott)"}


def _other_format(data: bytes) -> str | None:
    """What a file that is not a zip is, from its first bytes (None: a zip, or unknown)."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "tệp Word 97–2003 (.doc)"
    head = data[:512].lstrip().lower()
    if head.startswith(b"{\\rtf"):
        return "tệp RTF (.rtf)"
    if head.startswith(b"%pdf"):
        return "tệp PDF"
    if head.startswith((b"<!doctype html", b"<html")):
        return "trang HTML"
    if head.startswith(b"<?xml") and b"opendocument" in data[:4096]:
        return "văn bản OpenDocument dạng XML (.fodt)"
    return None


def _odf_kind(z: zipfile.ZipFile) -> str | None:
    try:
        info = z.getinfo("mimetype")
    except KeyError:
        return None
    if info.file_size > 200:
        return None
    try:
        kind = z.read(info).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError):
        return None
    return _ODF.get(kind, "tệp OpenDocument" if "opendocument" in kind else None)


def _convert_hint(path: Path) -> str:
    """The command that converts ``path`` (its name quoted for the shell)."""
    import shlex

    name = path.name or "tep"
    name = shlex.quote(f"./{name}" if name.startswith("-") else name)
    return (f"chuyển sang .docx rồi kiểm tra lại: soffice --headless --convert-to docx {name} "
            "(LibreOffice; tệp .docx ghi vào thư mục đang đứng), hoặc mở bằng Word → Lưu thành "
            "(Save As) → Tài liệu Word (.docx)")


class _Package:
    def __init__(self, path: Path) -> None:
        from ngoaivu_cli.safeio import read_bytes
        from ngoaivu_cli.safeio import reason as read_reason

        try:  # a regular file, bounded, opened without waiting (a FIFO, /dev/zero: refused)
            data = read_bytes(path, MAX_FILE)
        except FileNotFoundError:
            raise CheckError("không có tệp này", hint="kiểm tra tên và đường dẫn tệp") from None
        except OSError as exc:
            raise CheckError(f"không đọc được tệp: {read_reason(exc)}",
                             hint="chỉ kiểm tra được tệp .docx thường") from None
        other = _other_format(data)
        if other is not None:
            raise CheckError(f"đây là {other}, không phải tệp Word .docx: chỉ kiểm tra được "
                             ".docx", hint=_convert_hint(path))
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "không phải tệp zip"
            raise CheckError(f"không đọc được như tệp DOCX ({reason})",
                             hint="lưu lại bằng Word hoặc LibreOffice dạng .docx") from None
        odf = _odf_kind(self.zip)
        if odf is not None:
            raise CheckError(f"đây là {odf}, không phải tệp Word .docx: chỉ kiểm tra được "
                             ".docx", hint=_convert_hint(path))
        if len(self.zip.infolist()) > MAX_MEMBERS:
            raise CheckError(f"tệp có quá nhiều phần ({len(self.zip.infolist())})")
        self.path = path
        self.unread = MAX_READ  # bytes of XML that may still be read
        self.parsed: dict[str, Any] = {}  # each part is parsed once

    def xml(self, name: str) -> Any:
        if name in self.parsed:
            return self.parsed[name]
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_MEMBER:
            raise CheckError(f"phần {name} quá lớn ({info.file_size:,} byte)".replace(",", "."))
        self.unread -= info.file_size
        if self.unread < 0:
            raise CheckError(f"các phần XML của tệp quá lớn khi giải nén (hơn "
                             f"{MAX_READ // (1024 * 1024)} MB)",
                             hint="nghi là “bom nén”; mở và lưu lại tệp bằng Word")
        try:
            with self.zip.open(info) as fh:
                data = fh.read(MAX_MEMBER + 1)
            if len(data) > MAX_MEMBER:
                raise CheckError(f"phần {name} quá lớn")
            root = etree.fromstring(data, _PARSER)
            self.parsed[name] = root
            return root
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError,
                zipfile.LargeZipFile, NotImplementedError, ValueError) as exc:
            raise CheckError(f"phần {name} hỏng ({exc})",
                             hint="mở và lưu lại tệp bằng Word hoặc LibreOffice") from None

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (type, target part name) of a part's relationships."""
        folder, _, name = part.rpartition("/")
        root = self.xml(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        for rel in root.iter(REL + "Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                full = target.lstrip("/")
            else:
                parts = (folder.split("/") if folder else []) + target.split("/")
                stack: list[str] = []
                for piece in parts:
                    if piece == "..":
                        if stack:
                            stack.pop()
                    elif piece and piece != ".":
                        stack.append(piece)
                full = "/".join(stack)
            out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], full)
        return out


class _Styles:
    """Style lookup and the cascade of paragraph and run properties."""

    def __init__(self, root: Any, theme: dict[str, str]) -> None:
        self.by_id: dict[str, Any] = {}
        self.default: dict[str, str] = {}
        self.theme = theme
        self.ppr_default = self.rpr_default = None
        self._chains: dict[tuple[str | None, str], list[Any]] = {}
        self._bases: dict[tuple[str | None, str | None], tuple[Para, RunFormat]] = {}
        self._runs: dict[tuple[tuple[Any, ...], str], RunFormat] = {}
        if root is None:
            return
        for style in root.iter(W + "style"):
            sid = style.get(W + "styleId")
            if sid is None:
                continue
            self.by_id.setdefault(sid, style)
            if style.get(W + "default") in ("1", "true", "on"):
                self.default.setdefault(style.get(W + "type", "paragraph"), sid)
        defaults = root.find(W + "docDefaults")
        if defaults is not None:
            self.ppr_default = defaults.find(f"{W}pPrDefault/{W}pPr")
            self.rpr_default = defaults.find(f"{W}rPrDefault/{W}rPr")

    def chain(self, sid: str | None, kind: str) -> list[Any]:
        """The style and its basedOn ancestors, root first (loops and depth are cut); worked
        out once per style."""
        key = (sid, kind)
        if key not in self._chains:
            self._chains[key] = self._chain(sid, kind)
        return self._chains[key]

    def base(self, pstyle: str | None, tstyle: str | None) -> tuple[Para, RunFormat]:
        """The paragraph properties and run format the defaults, a table style and a paragraph
        style give (once per pair: not 50 styles again for each of 100,000 paragraphs)."""
        key = (pstyle, tstyle)
        if key not in self._bases:
            pchain = self.chain(pstyle, "paragraph")
            tchain = self.chain(tstyle, "table") if tstyle is not None else []
            para = Para(number=0, part="", text="", runs=[])
            _apply_ppr(para, self.ppr_default)
            for style in tchain + pchain:
                _apply_ppr(para, style.find(W + "pPr"))
            fmt = RunFormat()
            self.apply_rpr(fmt, self.rpr_default)
            for style in tchain + pchain:
                self.apply_rpr(fmt, style.find(W + "rPr"))
            self._bases[key] = (para, fmt)
        return self._bases[key]

    def run_format(self, base: RunFormat, rstyle: str) -> RunFormat:
        """``base`` with a character style's chain applied (once per pair)."""
        key = (tuple(vars(base).values()), rstyle)
        if key not in self._runs:
            fmt = RunFormat(**vars(base))
            for style in self.chain(rstyle, "character"):
                self.apply_rpr(fmt, style.find(W + "rPr"))
            self._runs[key] = fmt
        return RunFormat(**vars(self._runs[key]))

    def _chain(self, sid: str | None, kind: str) -> list[Any]:
        if sid is None or sid not in self.by_id:
            sid = self.default.get(kind)
        out: list[Any] = []
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen and len(out) < 50:
            seen.add(sid)
            style = self.by_id[sid]
            out.append(style)
            based = style.find(W + "basedOn")
            sid = based.get(W + "val") if based is not None else None
        return out[::-1]

    def font(self, fonts: Any, slot: str) -> str | None:
        theme = fonts.get(W + f"{slot}Theme" if slot != "cs" else W + "cstheme")
        if theme:
            return self.theme.get("major" if theme.startswith("major") else "minor")
        return fonts.get(W + slot)

    def apply_rpr(self, fmt: RunFormat, rpr: Any) -> None:
        if rpr is None:
            return
        fonts = rpr.find(W + "rFonts")
        if fonts is not None:
            fmt.font = self.font(fonts, "ascii") or fmt.font
            fmt.font_hansi = self.font(fonts, "hAnsi") or fmt.font_hansi
        for tag, attr in (("b", "bold"), ("i", "italic"), ("caps", "caps")):
            value = _bool(rpr.find(W + tag))
            if value is not None:
                setattr(fmt, attr, value)
        underline = rpr.find(W + "u")
        if underline is not None:
            fmt.underline = underline.get(W + "val", "single") not in ("none", "0", "false")
        sz = rpr.find(W + "sz")
        size = _int(sz.get(W + "val"), "w:sz") if sz is not None else None
        if size is not None:
            fmt.size = size / 2


def _apply_ppr(para: Para, ppr: Any) -> None:
    if ppr is None:
        return
    jc = ppr.find(W + "jc")
    if jc is not None and jc.get(W + "val"):
        para.jc = jc.get(W + "val", "left")
    ind = ppr.find(W + "ind")
    if ind is not None:
        hanging = _int(ind.get(W + "hanging"), "w:ind/@w:hanging")
        first = _int(ind.get(W + "firstLine"), "w:ind/@w:firstLine")
        if hanging:
            para.first_line = -hanging
        elif first is not None:
            para.first_line = first
        for attr, names in (("left", ("left", "start")), ("right", ("right", "end"))):
            for name in names:
                value = _int(ind.get(W + name), f"w:ind/@w:{name}")
                if value is not None:
                    setattr(para, attr, value)
                    break
    borders = ppr.find(W + "pBdr")
    if borders is not None:
        for side in ("bottom", "top"):
            edge = borders.find(W + side)
            if edge is not None:
                setattr(para, f"border_{side}",
                        edge.get(W + "val", "none") not in ("none", "nil"))
    page_break = _bool(ppr.find(W + "pageBreakBefore"))
    if page_break is not None:
        para.page_break = page_break
    spacing = ppr.find(W + "spacing")
    if spacing is not None:
        for attr, key in (("before", "before"), ("after", "after"), ("line", "line")):
            value = _int(spacing.get(W + attr), f"w:spacing/@w:{attr}")
            if value is not None:
                setattr(para, key, value)
        if spacing.get(W + "lineRule"):
            para.line_rule = spacing.get(W + "lineRule", "auto")


_PARA_FIELDS = ("jc", "first_line", "before", "after", "line", "line_rule", "left", "right",
                "border_bottom", "border_top", "page_break")
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
V = "{urn:schemas-microsoft-com:vml}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_LINE_SHAPES = ("line", "straightConnector1")
_VML_UNITS = {"pt": 20.0, "in": 1440.0, "cm": 1440 / 2.54, "mm": 144 / 2.54, "px": 15.0,
              "pc": 240.0, "": 15.0}


def _vml_length(value: str) -> float | None:
    """A VML length ("12pt", "1.5in", "100") in twips; None when not one."""
    text = value.strip().lower()
    unit = next((u for u in ("pt", "in", "cm", "mm", "px", "pc") if text.endswith(u)), "")
    try:
        number = float(text[: len(text) - len(unit)] or "0")
    except ValueError:
        return None
    if not math.isfinite(number) or abs(number) > MAX_MEASURE:
        return None
    return number * _VML_UNITS[unit]


def _vml_point(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    parts = [_vml_length(v) for v in value.split(",")[:2]]
    if len(parts) != 2 or parts[0] is None or parts[1] is None:
        return None
    return parts[0], parts[1]


O_NS = "urn:schemas-microsoft-com:office:office"


def _vml_style(style: str) -> dict[str, str]:
    out = {}
    for item in style.split(";")[:64]:
        key, _, value = item.partition(":")
        out[key.strip().lower()] = value.strip()
    return out


def _upright(degrees: float) -> bool:
    """A shape turned by ``degrees`` still lies flat (a line turned 90° stands)."""
    turn = abs(degrees) % 180
    return turn < 10 or turn > 170


def _shape_lines(run: Any) -> list[int]:
    """Lengths (twips) of the horizontal lines drawn in ``run``: a DrawingML line or straight
    connector (Word, LibreOffice), or a VML line or straight connector (older Word); the VML
    fallback copy Word writes beside a DrawingML shape is not counted twice."""
    out: list[int] = []
    for el in run.iter(WP + "inline", WP + "anchor", V + "line", V + "shape"):
        if any(a.tag == MC_FALLBACK for a in el.iterancestors()):
            continue
        if el.tag in (V + "line", V + "shape"):
            style = _vml_style(el.get("style", ""))
            rotation = style.get("rotation", "0").strip().lower()
            fixed = rotation.endswith("fd")  # 1/65536 of a degree
            degrees = (_vml_length(rotation.removesuffix("fd")) or 0) / 15  # a bare number
            if not _upright(degrees / 65536 if fixed else degrees):
                continue
            if el.tag == V + "line":
                start, end = _vml_point(el.get("from")), _vml_point(el.get("to"))
                if start and end and abs(end[1] - start[1]) <= 0.1 * abs(end[0] - start[0]):
                    out.append(round(abs(end[0] - start[0])))
                continue
            connector = el.get(f"{{{O_NS}}}connectortype") or \
                el.get("type", "").endswith(("_x0000_t32", "_x0000_t20"))
            width = _vml_length(style.get("width", "")) or 0
            height = _vml_length(style.get("height", "0")) or 0
            if connector and width > 0 and abs(height) <= width / 10:
                out.append(round(width))
            continue
        geom = el.find(f".//{A}prstGeom")
        extent = el.find(WP + "extent")
        if geom is None or geom.get("prst") not in _LINE_SHAPES or extent is None:
            continue
        xfrm = el.find(f".//{A}xfrm")
        rot = _int(xfrm.get("rot"), "a:xfrm/@rot") if xfrm is not None else None
        if rot and not _upright(rot / 60000):
            continue
        cx = _int(extent.get("cx"), "wp:extent/@cx") or 0
        cy = _int(extent.get("cy"), "wp:extent/@cy") or 0
        if cx > 0 and cy <= cx // 10:
            out.append(round(cx / 635))  # EMU → twips
    return out


def _dxa(el: Any, name: str = "w") -> int | None:
    """A table measure in twips (``w:type="dxa"`` or none); None for "auto", "pct"."""
    if el is None or el.get(W + "type", "dxa") not in ("dxa", ""):
        return None
    return _int(el.get(W + name), f"{el.tag.rpartition('}')[2]}/@w:{name}")


class _Tables:
    """Where each table cell's text sits: its width between the cell's padding, its column,
    and how far in from the margin its text starts (worked out once per cell)."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.cells: dict[Any, tuple[int, int, int]] = {}

    def padding(self, tbl: Any, cell: Any) -> tuple[int, int]:
        left = right = None
        for holder in (cell.find(f"{W}tcPr/{W}tcMar"), tbl.find(f"{W}tblPr/{W}tblCellMar")):
            if holder is None:
                continue
            for side, names in (("left", ("left", "start")), ("right", ("right", "end"))):
                for name in names:
                    value = _dxa(holder.find(W + name))
                    if value is not None:
                        if side == "left" and left is None:
                            left = value
                        elif side == "right" and right is None:
                            right = value
                        break
        if left is None or right is None:
            tstyle = tbl.find(f"{W}tblPr/{W}tblStyle")
            for style in reversed(self.styles.chain(tstyle.get(W + "val") if tstyle is not None
                                                    else None, "table")):
                mar = style.find(f"{W}tblPr/{W}tblCellMar")
                if mar is None:
                    continue
                left = left if left is not None else _dxa(mar.find(W + "left"))
                right = right if right is not None else _dxa(mar.find(W + "right"))
        return (108 if left is None else left), (108 if right is None else right)

    def place(self, cell: Any, room: int) -> tuple[int, int, int]:
        """(text width, column, text start from the margin) of ``cell`` in a page ``room``
        twips wide."""
        if cell in self.cells:
            return self.cells[cell]
        row = cell.getparent()
        tbl = row.getparent() if row is not None else None
        if tbl is None or tbl.tag != W + "tbl":
            self.cells[cell] = (room, 0, 0)
            return self.cells[cell]
        grid = [_dxa(g) or 0 for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]
        column = 0
        for tc in row.findall(W + "tc"):
            if tc is cell:
                break
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            column += max(_int(span.get(W + "val"), "w:gridSpan") or 1, 1) if span is not None \
                else 1
        span_el = cell.find(f"{W}tcPr/{W}gridSpan")
        span = max(_int(span_el.get(W + "val"), "w:gridSpan") or 1, 1) if span_el is not None \
            else 1
        width = _dxa(cell.find(f"{W}tcPr/{W}tcW"))
        if not width:
            width = sum(grid[column:column + span]) or room
        pad_left, pad_right = self.padding(tbl, cell)
        tpr = tbl.find(W + "tblPr")
        jc = tpr.find(W + "jc") if tpr is not None else None
        align = jc.get(W + "val", "left") if jc is not None else "left"
        # a centred or right-aligned table is where the page's width puts it; its text is
        # judged against the table's own edge (a page of the wrong size is a finding already)
        start = 0
        if align not in ("center", "right", "end") and tpr is not None:
            start = _dxa(tpr.find(W + "tblInd")) or 0
        x = start + sum(grid[:column]) + pad_left
        self.cells[cell] = (max(width - pad_left - pad_right, 1), column, x)
        return self.cells[cell]


@dataclass
class _Piece:
    """One line of a paragraph while it is read."""

    runs: list[tuple[str, RunFormat]] = field(default_factory=list)
    shapes: list[int] = field(default_factory=list)
    page_break: bool = False
    lead: int = 0  # Word's rendered page breaks before its first letter
    tail: int = 0  # and after it


def _pieces(p: Any, budget: _Budget, styles: _Styles, base: RunFormat) -> list[_Piece]:
    """The runs of paragraph ``p`` cut at its manual line breaks."""
    out = [_Piece()]
    for run in p.iter(W + "r"):
        if next(run.iterancestors(W + "p")) is not p:
            continue  # a run of a text box inside this paragraph has its own paragraph
        budget.spend(runs=1)
        rpr = run.find(W + "rPr")
        rstyle = rpr.find(W + "rStyle") if rpr is not None else None
        if rstyle is not None:
            fmt = styles.run_format(base, rstyle.get(W + "val", ""))
        else:
            fmt = RunFormat(**vars(base))
        styles.apply_rpr(fmt, rpr)
        text: list[str] = []
        for child in run:
            if child.tag == W + "t":
                text.append(child.text or "")
            elif child.tag in (W + "tab", W + "ptab"):
                text.append("\t")
            elif child.tag in (W + "br", W + "cr"):
                out[-1].runs.append(("".join(text), fmt))
                text = []
                out.append(_Piece(page_break=child.get(W + "type") == "page"))
            elif child.tag == W + "lastRenderedPageBreak":  # where Word last broke the page
                if "".join(text).strip() or any(t.strip() for t, _f in out[-1].runs):
                    out[-1].tail += 1
                else:
                    out[-1].lead += 1
        out[-1].runs.append(("".join(text), fmt))
        out[-1].shapes.extend(_shape_lines(run))
    return out


def _paragraphs(root: Any, part: str, styles: _Styles, budget: _Budget) -> list[Para]:
    paras: list[Para] = []
    for number, p in enumerate(root.iter(W + "p"), start=1):
        budget.spend(paragraphs=1)
        ancestors = [a.tag for a in p.iterancestors()]
        if MC_FALLBACK in ancestors:
            continue  # the VML copy of a text box Word writes beside the DrawingML one
        ppr = p.find(W + "pPr")
        pstyle = ppr.find(W + "pStyle") if ppr is not None else None
        cell = next(p.iterancestors(W + "tc"), None)
        row = next(p.iterancestors(W + "tr"), None)
        table_style: str | None = None
        if cell is not None:
            tbl = next(p.iterancestors(W + "tbl"))
            tstyle = tbl.find(f"{W}tblPr/{W}tblStyle")
            table_style = (tstyle.get(W + "val") if tstyle is not None else None) or ""
        styled, base = styles.base(pstyle.get(W + "val") if pstyle is not None else None,
                                   table_style)
        pieces = _pieces(p, budget, styles, base)
        for k, piece in enumerate(pieces):
            para = Para(number=number, part=part, text="", runs=piece.runs, cell=cell, row=row,
                        element=p, index=len(paras), piece=k, pieces=len(pieces),
                        shapes=piece.shapes, floating=W + "txbxContent" in ancestors
                        or (ppr is not None and ppr.find(W + "framePr") is not None),
                        rendered=(piece.lead, piece.tail))
            for name in _PARA_FIELDS:
                setattr(para, name, getattr(styled, name))
            _apply_ppr(para, ppr)
            if k > 0:
                para.page_break = piece.page_break
            if k < len(pieces) - 1:
                para.border_bottom = False  # the border is under the paragraph's last line
            if k > 0:
                para.border_top = False
            para.text = "".join(t for t, _f in para.runs)
            paras.append(para)
    return paras


def _theme(pkg: _Package, rels: dict[str, tuple[str, str]]) -> dict[str, str]:
    for kind, target in rels.values():
        if kind == "theme":
            root = pkg.xml(target)
            if root is None:
                break
            out = {}
            for which in ("major", "minor"):
                latin = root.find(f".//{A}{which}Font/{A}latin")
                if latin is not None and latin.get("typeface"):
                    out[which] = latin.get("typeface", "")
            return out
    return {}


def _main_part(pkg: _Package) -> str:
    for kind, target in pkg.rels("").values():
        if kind == "officeDocument":
            return target
    raise CheckError("không có phần văn bản chính (word/document.xml)",
                     hint="tệp không phải văn bản Word; lưu lại dạng .docx")


def _sections(root: Any, parts: dict[str, list[Para]], budget: _Budget) -> list[Section]:
    """The sections in order, each with the headers and footers Word shows in it: a section
    that names no header of a kind has the one of the section before."""
    sections: list[Section] = []
    for sect in root.iter(W + "sectPr"):
        budget.spend()
        if sect.getparent() is not None and sect.getparent().tag == W + "sectPrChange":
            continue  # a tracked change's old properties
        size = sect.find(W + "pgSz")
        margins = sect.find(W + "pgMar")

        def attr(el: Any, name: str) -> int | None:
            return _int(el.get(W + name), f"w:sectPr/@w:{name}") if el is not None else None

        previous = sections[-1] if sections else None
        refs: dict[str, dict[str, list[Para]]] = {"header": {}, "footer": {}}
        for kind in refs:
            if previous is not None:
                refs[kind].update(previous.headers if kind == "header" else previous.footers)
            for ref in sect.findall(W + f"{kind}Reference"):
                rid = ref.get(f"{{{R_NS}}}id", "")
                refs[kind][ref.get(W + "type", "default")] = parts.get(rid, [])
        numbering = sect.find(W + "pgNumType")
        kind = sect.find(W + "type")
        sections.append(Section(
            width=attr(size, "w"), height=attr(size, "h"), top=attr(margins, "top"),
            bottom=attr(margins, "bottom"), left=attr(margins, "left"),
            right=attr(margins, "right"),
            title_page=bool(_bool(sect.find(W + "titlePg"))), headers=refs["header"],
            footers=refs["footer"], start=attr(numbering, "start"),
            header_distance=attr(margins, "header"),
            new_page=kind is None or kind.get(W + "val", "nextPage") != "continuous"))
    return sections


def _place(body: list[Para], sections: list[Section], tables: _Tables) -> None:
    """Each body line's section, and its column's width and start (for the rules that
    measure lines and positions)."""

    current = 0
    for para in body:
        para.section = min(current, max(len(sections) - 1, 0))
        room = page_size(sections[para.section])[0] if sections else 12240 - 2 * 1440
        if para.cell is not None:
            para.width, para.column, para.x = tables.place(para.cell, room)
        else:
            para.width = room
        ppr = para.element.find(W + "pPr")
        if para.last_piece and ppr is not None and ppr.find(W + "sectPr") is not None \
                and para.cell is None:
            current += 1


def read_docx(path: Path) -> Docx:
    """Read ``path`` for checking; :class:`CheckError` when it is not a readable DOCX."""
    pkg = _Package(path)
    budget = _Budget()
    with pkg.zip:
        main = _main_part(pkg)
        root = pkg.xml(main)
        if root is None or root.find(W + "body") is None:
            raise CheckError(f"không có phần văn bản chính ({main})",
                             hint="tệp không phải văn bản Word; lưu lại dạng .docx")
        rels = pkg.rels(main)
        theme = _theme(pkg, rels)
        styles_part = next((t for k, t in rels.values() if k == "styles"), None)
        styles = _Styles(pkg.xml(styles_part) if styles_part else None, theme)
        body = _paragraphs(root.find(W + "body"), "body", styles, budget)
        notes: list[Para] = []
        parts: dict[str, list[Para]] = {}
        by_target: dict[str, list[Para]] = {}  # a part many relationships point at: read once
        for rid, (kind, target) in rels.items():
            if kind in ("header", "footer", "footnotes", "endnotes"):
                if target in by_target or target == main:
                    parts[rid] = by_target.get(target, [])
                    continue
                part_root = pkg.xml(target)
                if part_root is not None:
                    label = {"footnotes": "footnote", "endnotes": "footnote"}.get(kind, kind)
                    by_target[target] = parts[rid] = _paragraphs(part_root, label, styles,
                                                                 budget)
                    notes.extend(parts[rid])
        sections = _sections(root, parts, budget)
        _place(body, sections, _Tables(styles))
        estimate_pages(body, sections)
    return Docx(path=path, body=body, notes=notes, sections=sections)
