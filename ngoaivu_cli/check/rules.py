"""The checkable rules of Nghị định 30/2020/NĐ-CP, Phụ lục I (``nd30.md``), one function each.

Each rule finds its component by its text, the way a reader would ("Số:", "Kính gửi",
"Nơi nhận", the Quốc hiệu), then compares the effective formatting with the decree. A rule
whose component the document does not have says nothing, except for the mandatory components
(Điều 8: Quốc hiệu and Tiêu ngữ, agency, number, place and date, signature), whose absence
is a finding. Findings of one rule on many paragraphs are one finding with a count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ngoaivu_cli.check.document import Docx, Para, Section, W

ERROR = "error"
WARNING = "warning"
FONT = "Times New Roman"
MM = 1440 / 25.4  # twips per millimetre
SLACK = 3  # twips of rounding allowed on page sizes and margins


@dataclass(frozen=True)
class Finding:
    """One breach of a rule: its stable code, where it is, what is wrong and what to do."""

    code: str
    message: str
    hint: str
    paragraph: int | None = None  # 1-based number of the XML paragraph (for tools, not shown)
    part: str = "body"
    excerpt: str = ""
    count: int = 1  # how many places break the rule the same way
    severity: str = ERROR
    page: int = 0  # estimated page and line as Word shows them (0: not estimated)
    line: int = 0

    @property
    def where(self) -> str:
        """The place without its text: the page and line a reader looks at (estimated)."""
        if self.paragraph is None:
            return {"body": "toàn văn bản", "header": "đầu trang", "footer": "chân trang",
                    "footnote": "chú thích", "page": "trang in", "file": "tệp"}[self.part]
        if self.part == "body" and self.page:
            return f"khoảng trang {self.page}, dòng {self.line}" if self.line else \
                f"khoảng trang {self.page}"
        return {"body": "nội dung", "header": "đầu trang", "footer": "chân trang",
                "footnote": "chú thích"}.get(self.part, "nội dung")

    @property
    def place(self) -> str:
        if self.paragraph is None or not self.excerpt:
            return self.where
        return f"{self.where}, «{self.excerpt}»"

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "severity": self.severity, "part": self.part,
                "paragraph": self.paragraph, "page": self.page or None,
                "line": self.line or None, "excerpt": self.excerpt, "place": self.place,
                "message": self.message, "hint": self.hint, "count": self.count}


def _mm(twips: float) -> str:
    """Millimetres the Vietnamese way: one decimal, a comma ("25,4"), none when whole."""
    value = f"{twips / MM:.1f}".replace(".", ",")
    return value[:-2] if value.endswith(",0") else value


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _at(code: str, para: Para, message: str, hint: str, count: int = 1,
        severity: str = ERROR) -> Finding:
    return Finding(code, message, hint, para.number, para.part, para.excerpt(), count,
                   severity, para.page, para.page_line)


def _sizes(para: Para) -> str:
    sizes = sorted(para.sizes())
    return ", ".join(f"{s:g}" for s in sizes) if sizes else "không rõ"


def _size_ok(para: Para, low: float, high: float) -> bool:
    sizes = para.sizes()
    return bool(sizes) and all(low <= s <= high for s in sizes)


def _grouped(code: str, bad: list[tuple[Para, str]], hint: str) -> list[Finding]:
    """One finding per distinct message, at its first place, with the number of places."""
    by_message: dict[str, list[Para]] = {}
    for para, message in bad:
        by_message.setdefault(message, []).append(para)
    out = []
    for message, paras in by_message.items():
        more = f" (cùng lỗi ở {len(paras) - 1} chỗ khác)" if len(paras) > 1 else ""
        out.append(_at(code, paras[0], message + more, hint, len(paras)))
    return out


# --------------------------------------------------------------------------- finding parts

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
KINDS = (  # the 27 kinds of Điều 7 and Phụ lục III (nd30.md §4), the công văn aside
    "BÁO CÁO", "KẾ HOẠCH", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH",
    "THÔNG CÁO", "THÔNG BÁO", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "PHƯƠNG ÁN", "ĐỀ ÁN", "DỰ ÁN",
    "BIÊN BẢN", "TỜ TRÌNH", "HỢP ĐỒNG", "CÔNG ĐIỆN", "BẢN GHI NHỚ", "BẢN THỎA THUẬN",
    "GIẤY ỦY QUYỀN", "GIẤY MỜI", "GIẤY GIỚI THIỆU", "GIẤY NGHỈ PHÉP", "PHIẾU GỬI",
    "PHIẾU CHUYỂN", "PHIẾU BÁO",
)
_DATE = re.compile(r",\s*ngày\s*(\S*)\s*tháng\s*(\S*)\s*năm\s*(\d{4})")
_NUMBER = re.compile(r"^Số\s*(:|\d|/|…|\.)")
_MUC = re.compile(r"^[IVXLC]{1,7}\.\s+\S")
BODY_MIN = 60  # characters: a shorter line is a heading or a label, not body text


_FOLD = {"Ò": "O", "Ó": "O"}  # "HÒA" and "HOÀ" are both written


@lru_cache(maxsize=256)
def _key(s: str) -> str:
    """``s`` with case, marks, spaces and the kind of dash left out: the old and the new
    accent placement ("THỎA"/"THOẢ", "HÓA"/"HOÁ", "ỦY"/"UỶ") give the same key."""
    s = unicodedata.normalize("NFD", _norm(s).upper())
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return "".join(_FOLD.get(c, c) for c in s).replace("–", "-").replace(" ", "")


def _same(a: str, b: str) -> bool:
    """``a`` is the text ``b`` up to spaces, case, marks and the dash. A text far longer than
    ``b`` (a letter carries at most two marks) is not compared letter by letter: every
    paragraph of a document is compared with the Quốc hiệu, and 100,000 long ones took
    a minute."""
    kb = _key(b)
    if len("".join(a.split())) > 3 * len(kb) + 2:
        return False
    return _key(a) == kb


_KIND_KEYS = {_key(k): k for k in KINDS}


def kind_of(text: str) -> str | None:
    """The kind of document ``text`` names (its decree spelling), in any case or accent
    placement; None when it names none."""
    if len(text) > 40:
        return None
    return _KIND_KEYS.get(_key(text))


@dataclass
class Parts:
    """Where each component of the document is (lines of the body)."""

    quoc_hieu: Para | None = None
    tieu_ngu: Para | None = None
    agency: list[Para] | None = None
    number: Para | None = None
    place_date: Para | None = None
    kind: Para | None = None
    abstract: list[Para] | None = None
    vv: list[Para] | None = None
    kinh_gui: Para | None = None
    noi_nhan: Para | None = None
    noi_nhan_items: list[Para] | None = None
    signature: list[Para] | None = None
    body: list[Para] | None = None
    headings: list[Para] | None = None  # the Mục headings ("I. ...")
    body_start: int = 0  # index in Docx.body where the text (ô 6) begins


def find_parts(doc: Docx) -> Parts:
    paras = [p for p in doc.body if p.text.strip()]
    parts = Parts()
    for p in paras:
        if parts.quoc_hieu is None and _same(p.text, QUOC_HIEU):
            parts.quoc_hieu = p
        elif parts.tieu_ngu is None and _same(p.text, TIEU_NGU):
            parts.tieu_ngu = p
        elif parts.number is None and _NUMBER.match(_norm(p.text)) and len(p.text) < 80:
            parts.number = p
        elif parts.place_date is None and _DATE.search(_norm(p.text)) and len(p.text) < 90:
            parts.place_date = p
        elif parts.kinh_gui is None and _norm(p.text).startswith("Kính gửi"):
            parts.kinh_gui = p
        elif parts.noi_nhan is None and _norm(p.text).startswith("Nơi nhận"):
            parts.noi_nhan = p
    header = [p for p in (parts.quoc_hieu, parts.tieu_ngu, parts.number, parts.place_date) if p]
    header_end = max((p.index for p in header), default=-1)
    limit = parts.number.index if parts.number else (header_end + 1 if header else 8)
    # the agency block: upper-case lines before the number line, outside the right-hand column
    parts.agency = [p for p in paras if p.index < limit and p not in header and _upper(p.text)
                    and not _same(p.text, QUOC_HIEU)
                    and (parts.quoc_hieu is None or p.cell is None
                         or p.cell is not parts.quoc_hieu.cell)] or None
    if parts.number is not None and parts.number.cell is not None:
        vv = [p for p in paras if p.cell is parts.number.cell and p.index > parts.number.index]
        if vv and _norm(vv[0].text).startswith("V/v"):
            parts.vv = vv
    if parts.vv is None and parts.number is not None:  # "V/v" typed under the table
        near = [p for p in paras if parts.number.index < p.index <= parts.number.index + 8
                and _norm(p.text).startswith("V/v")]
        if near:
            parts.vv = near[:1]
    for p in paras:
        if p.index <= header_end or p.cell is not None:
            continue
        if len(_norm(p.text)) >= BODY_MIN or _norm(p.text).startswith("Kính gửi"):
            break  # the text has begun: a kind named in it is not the document's kind
        if kind_of(p.text):
            parts.kind = p
            break
    if parts.kind is not None:
        abstract: list[Para] = []
        for p in doc.body[parts.kind.index + 1:]:
            text = _norm(p.text)
            if not text or text.startswith(("Kính gửi", "(")) or len(text) > 150 \
                    or p.first_line > 0 or p.cell is not None or len(abstract) == 3 \
                    or _MUC.match(text) or _only_rule_text(text) \
                    or (abstract and p.all_italic() and not p.any_bold()):
                break  # a subtitle in italics, the recipient or the body follows
            abstract.append(p)
        parts.abstract = abstract or None
    if parts.noi_nhan is not None:
        items = []
        for p in doc.body[parts.noi_nhan.index + 1:]:
            if (parts.noi_nhan.cell is not None and p.cell is not parts.noi_nhan.cell) \
                    or not _norm(p.text).startswith(("-", "+", "–")):
                if p.text.strip():
                    break
                continue
            items.append(p)
        parts.noi_nhan_items = items or None
    start = max([header_end] + [p.index for p in (parts.kind, parts.kinh_gui) if p]
                + [p.index for p in (parts.abstract or []) + (parts.vv or [])])
    parts.body_start = start + 1
    parts.signature = _signature(doc, parts)
    ends = [p.index for p in (parts.signature or []) + [parts.noi_nhan] if p is not None]
    end = min(ends) if ends else len(doc.body)
    parts.body = [p for p in paras if start < p.index < end and p.cell is None
                  and len(_norm(p.text)) >= BODY_MIN and not p.all_bold()] or None
    parts.headings = [p for p in paras if start < p.index < end and p.cell is None
                      and _MUC.match(_norm(p.text)) and len(p.text) <= 200] or None
    return parts


def _only_rule_text(text: str) -> bool:
    """A line typed as a row of underscores or box-drawing dashes (a drawn rule)."""
    letters = text.replace(" ", "")
    return len(letters) >= 3 and all(c in "_─—–-‗━═" for c in letters)


_SIGNER = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.")


def _signature(doc: Docx, parts: Parts) -> list[Para] | None:
    """The signer's block: the cell beside "Nơi nhận", else the lines after its list; with
    no "Nơi nhận", the upper-case title lines and the name at the end of the document."""
    nn = parts.noi_nhan
    if nn is not None and nn.row is not None:
        block = [p for p in doc.body if p.row is nn.row and p.cell is not nn.cell
                 and p.text.strip()]
    elif nn is not None:
        after = (parts.noi_nhan_items or [nn])[-1]
        block = [p for p in doc.body[after.index + 1:after.index + 13] if p.text.strip()][:6]
        if not block:  # the signer's block before the list
            block = _signer_at_end(doc, parts, nn.index)
    else:
        block = _signer_at_end(doc, parts, len(doc.body))
    block = [p for p in block if not _norm(p.text).startswith("(")]
    return block or None


def _signer_at_end(doc: Docx, parts: Parts, end: int) -> list[Para]:
    """The last upper-case title lines ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC") before ``end`` that
    a name follows."""
    header = {id(p) for p in (parts.agency or []) + [parts.quoc_hieu, parts.tieu_ngu,
                                                      parts.kind] if p is not None}
    lines = [p for p in doc.body[parts.body_start:end] if p.text.strip()
             and not _norm(p.text).startswith("(") and id(p) not in header][-12:]
    for i in range(len(lines) - 1, 0, -1):
        name, title = lines[i], lines[i - 1]
        text = _norm(name.text)
        if _upper(title.text) and len(_norm(title.text)) <= 60 \
                and not _MUC.match(_norm(title.text)) and not _upper(text) \
                and len(text) <= 40 and not text.endswith((".", ":", ";", ",")):
            first = i - 1
            while first > 0 and i - first < 3 and _upper(lines[first - 1].text) \
                    and len(_norm(lines[first - 1].text)) <= 60 \
                    and not _MUC.match(_norm(lines[first - 1].text)):
                first -= 1
            return lines[first:i + 1]
    return []


# --------------------------------------------------------------------------- the rules

Rule = Callable[[Docx, Parts], list[Finding]]
LETTER_MM = "215,9 × 279,4 mm"


def rule_page_size(doc: Docx, parts: Parts) -> list[Finding]:
    out = []
    for i, s in enumerate(doc.sections, start=1):
        if s.width is None or s.height is None:
            out.append(Finding(
                "ND30-KHOGIAY", f"phần {i} không đặt khổ giấy: Word in theo khổ mặc định "
                f"của máy, thường là Letter ({LETTER_MM}), không phải A4 (210 × 297 mm)",
                "Word: Bố cục (Layout) → Kích thước (Size) → A4", part="page"))
            continue
        short, long = sorted((s.width, s.height))
        if abs(short - 11906) > SLACK or abs(long - 16838) > SLACK:
            out.append(Finding(
                "ND30-KHOGIAY", f"khổ giấy {_mm(short)} × {_mm(long)} mm (phần {i}), "
                "không phải A4 (210 × 297 mm)",
                "Word: Bố cục (Layout) → Kích thước (Size) → A4", part="page"))
        elif s.width > s.height:
            out.append(Finding(
                "ND30-KHOGIAY", f"trang nằm ngang (phần {i})",
                "chỉ để trang ngang khi có bảng không tách ra phụ lục; nếu không, chọn "
                "Hướng (Orientation) → Dọc", part="page", severity=WARNING))
    return out


MARGINS = (("top", "trên", 20, 25), ("bottom", "dưới", 20, 25), ("left", "trái", 30, 35),
           ("right", "phải", 15, 20))
WORD_MARGIN = 1440  # twips: Word's margin for a section that sets none (25.4 mm)


def _text_top(section: Section) -> int | None:
    """Where Word starts the text when the header is taller than the top margin leaves room
    for (LibreOffice writes the top margin as the header's distance): the header's distance
    and its lines; None when the header fits."""
    from ngoaivu_cli.check.measure import line_height

    if section.top is None or section.header_distance is None:
        return None
    paras = [p for p in section.headers.get("default", []) if p.text.strip()]
    if not paras:
        return None
    bottom = section.header_distance + sum(line_height(p) + max(p.before, 0) + max(p.after, 0)
                                           for p in paras)
    return bottom if bottom > abs(section.top) else None


def rule_margins(doc: Docx, parts: Parts) -> list[Finding]:
    out = []
    for i, s in enumerate(doc.sections, start=1):
        for attr, label, low, high in MARGINS:
            value = getattr(s, attr)
            unset = value is None
            value = WORD_MARGIN if value is None else value
            pushed = _text_top(s) if attr == "top" else None
            if pushed is not None:
                value = pushed
            if not low * MM - SLACK <= abs(value) <= high * MM + SLACK:
                said = (f"lề {label} không đặt (Word dùng lề mặc định {_mm(value)} mm)" if unset
                        else f"lề {label} {_mm(abs(value))} mm")
                if pushed is not None:
                    said = (f"nội dung bắt đầu cách mép trên {_mm(value)} mm (dưới đầu trang; "
                            f"lề trên đặt {_mm(abs(s.top or 0))} mm)")
                out.append(Finding(
                    "ND30-LE", f"{said} (phần {i}), phải từ {low} đến {high} mm",
                    "Word: Bố cục → Lề (Margins) → Lề tùy chỉnh: trên 20–25, dưới 20–25, "
                    "trái 30–35, phải 15–20 mm", part="page"))
    return out


def rule_font(doc: Docx, parts: Parts) -> list[Finding]:
    bad: list[tuple[Para, str]] = []
    for para in doc.body + doc.notes:
        for _text, fmt in para.text_runs:
            for font in {fmt.font, fmt.font_hansi}:
                if font != FONT:
                    shown = font or "không đặt (phông mặc định của máy)"
                    bad.append((para, f"phông chữ {shown}, không phải {FONT}"))
                    break
            else:
                continue
            break
    return _grouped("ND30-FONT", bad, "chọn cả văn bản (Ctrl+A) và đặt phông Times New Roman; "
                    "sửa cả các kiểu (style) dùng phông của chủ đề (+Body, +Headings)")


def _format_problems(para: Para, low: float, high: float, *, bold: bool | None,
                     italic: bool | None) -> list[str]:
    out = []
    if not _size_ok(para, low, high):
        span = f"{low:g}" if low == high else f"{low:g}–{high:g}"
        out.append(f"cỡ chữ {_sizes(para)}, phải {span}")
    if bold is True and not para.all_bold():
        out.append("phải in đậm")
    if bold is False and para.any_bold():
        out.append("không được in đậm")
    if italic is True and not para.all_italic():
        out.append("phải in nghiêng")
    if italic is False and para.any_italic():
        out.append("không được in nghiêng")
    return out


def _component(code: str, name: str, paras: list[Para] | None, low: float, high: float, *,
               bold: bool | None, italic: bool | None, hint: str) -> list[Finding]:
    out = []
    for para in paras or []:
        problems = _format_problems(para, low, high, bold=bold, italic=italic)
        if problems:
            out.append(_at(code, para, f"{name}: " + "; ".join(problems), hint))
    return out


def _missing(code: str, name: str, hint: str) -> list[Finding]:
    return [Finding(code, f"không thấy {name}", hint)]


def rule_quoc_hieu(doc: Docx, parts: Parts) -> list[Finding]:
    if parts.quoc_hieu is None:
        return _missing("ND30-QUOCHIEU", f"Quốc hiệu «{QUOC_HIEU}»",
                        "thêm Quốc hiệu ở góc trên bên phải trang đầu (ô 1)")
    out = _component("ND30-QUOCHIEU", "Quốc hiệu", [parts.quoc_hieu], 12, 13, bold=True,
                     italic=False, hint="Quốc hiệu: chữ in hoa, cỡ 12–13, đứng, đậm")
    if not _upper(parts.quoc_hieu.text):
        out.append(_at("ND30-QUOCHIEU", parts.quoc_hieu, "Quốc hiệu phải viết in hoa",
                       "gõ lại bằng chữ in hoa"))
    return out


def rule_tieu_ngu(doc: Docx, parts: Parts) -> list[Finding]:
    if parts.tieu_ngu is None:
        return _missing("ND30-TIEUNGU", f"Tiêu ngữ «{TIEU_NGU}»",
                        "thêm Tiêu ngữ ngay dưới Quốc hiệu")
    out = _component("ND30-TIEUNGU", "Tiêu ngữ", [parts.tieu_ngu], 13, 14, bold=True,
                     italic=False, hint="Tiêu ngữ: cỡ 13–14, đứng, đậm, chữ đầu mỗi cụm viết hoa")
    if _norm(parts.tieu_ngu.text) != TIEU_NGU:
        out.append(_at("ND30-TIEUNGU", parts.tieu_ngu,
                       f"Tiêu ngữ phải viết đúng «{TIEU_NGU}» (gạch nối có cách chữ hai bên)",
                       "dùng dấu gạch nối (-) có một dấu cách mỗi bên giữa các cụm từ"))
    return out


# the second line of an issuing agency's name written on two lines begins with one of these
_NAME_GOES_ON = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN",
                 "VÀ ", "VIỆT NAM", "NAM")


def agency_lines(parts: Parts) -> tuple[list[Para], list[Para]]:
    """(parent agency lines, issuing agency lines): the lines before the first bold one are
    the parent's; when every line is bold, the first is the parent's unless the second goes
    on with the same name ("ỦY BAN NHÂN DÂN" / "TỈNH HÀ TĨNH")."""
    lines = parts.agency or []
    if len(lines) < 2:
        return [], lines
    lead = 0
    while lead < len(lines) - 1 and not lines[lead].any_bold():
        lead += 1
    if lead:
        return lines[:lead], lines[lead:]
    if _norm(lines[1].text).startswith(_NAME_GOES_ON):
        return [], lines
    return lines[:1], lines[1:]


def rule_agency(doc: Docx, parts: Parts) -> list[Finding]:
    if not parts.agency:
        return _missing("ND30-COQUAN", "tên cơ quan ban hành (chữ in hoa, trên số ký hiệu)",
                        "thêm tên cơ quan ở góc trên bên trái trang đầu (ô 2)")
    parent, issuer = agency_lines(parts)
    hint = ("tên cơ quan chủ quản: cỡ 12–13, in hoa, đứng, không đậm; tên cơ quan ban hành: "
            "cỡ 12–13, in hoa, đứng, đậm")
    out = _component("ND30-COQUAN", "tên cơ quan ban hành", issuer, 12, 13, bold=True,
                     italic=False, hint=hint)
    out += _component("ND30-COQUAN", "tên cơ quan chủ quản", parent, 12, 13, bold=False,
                      italic=False, hint=hint)
    return out


def rule_number(doc: Docx, parts: Parts) -> list[Finding]:
    if parts.number is None:
        return _missing("ND30-SO", "dòng «Số: .../...» (số, ký hiệu)",
                        "thêm dòng số, ký hiệu dưới tên cơ quan, ví dụ «Số: 05/BC-SNgV»")
    p = parts.number
    out = _component("ND30-SO", "số, ký hiệu", [p], 13, 13, bold=False, italic=False,
                     hint="dòng «Số:» cỡ 13, đứng, không đậm")
    text = _norm(p.text)
    match = re.match(r"^Số\s*:\s*(\d+)\s*/", text)
    if not text.startswith(("Số:", "Số :")):
        out.append(_at("ND30-SO", p, "sau chữ «Số» phải có dấu hai chấm",
                       "viết «Số: 05/BC-SNgV»"))
    elif match and int(match[1]) < 10 and len(match[1]) < 2:
        out.append(_at("ND30-SO", p, f"số {match[1]} dưới 10 phải có số 0 đứng trước",
                       f"viết «Số: 0{match[1]}/...»"))
    return out


def rule_place_date(doc: Docx, parts: Parts) -> list[Finding]:
    if parts.place_date is None:
        return _missing("ND30-NGAY", "địa danh và thời gian («..., ngày ... tháng ... năm ...»)",
                        "thêm dòng địa danh, ngày tháng dưới Tiêu ngữ (ô 4)")
    p = parts.place_date
    out = _component("ND30-NGAY", "địa danh, ngày tháng", [p], 13, 14, bold=False, italic=True,
                     hint="dòng địa danh, ngày tháng: cỡ 13–14, nghiêng, không đậm")
    match = _DATE.search(_norm(p.text))
    if match:
        day, month = match[1], match[2]
        if day.isdigit() and int(day) < 10 and len(day) < 2:
            out.append(_at("ND30-NGAY", p, f"ngày {day} dưới 10 phải có số 0 đứng trước",
                           f"viết «ngày 0{day}»"))
        if month.isdigit():
            if int(month) in (1, 2) and len(month) < 2:
                out.append(_at("ND30-NGAY", p, f"tháng {month} phải viết «0{month}»",
                               "tháng 1 và 2 có số 0 đứng trước"))
            elif int(month) >= 3 and month.startswith("0"):
                out.append(_at("ND30-NGAY", p, f"tháng {month} không viết số 0 đứng trước",
                               f"viết «tháng {int(month)}»"))
    return out


def rule_kind(doc: Docx, parts: Parts) -> list[Finding]:
    kind = parts.kind
    if kind is None:
        return []
    hint = "tên loại (BÁO CÁO, KẾ HOẠCH...): in hoa, cỡ 13–14, đứng, đậm, căn giữa"
    out = _component("ND30-TENLOAI", "tên loại văn bản", [kind], 13, 14, bold=True,
                     italic=False, hint=hint)
    if not _upper(kind.text) and not all(f.caps for _t, f in kind.text_runs):
        out.append(_at("ND30-TENLOAI", kind, "tên loại văn bản phải viết in hoa, «"
                       f"{kind_of(kind.text)}»", "gõ lại bằng chữ in hoa"))
    if kind.jc != "center":
        out.append(_at("ND30-TENLOAI", kind, "tên loại văn bản phải căn giữa",
                       "căn giữa (Ctrl+E)"))
    return out


def rule_abstract(doc: Docx, parts: Parts) -> list[Finding]:
    out = _component("ND30-TRICHYEU", "trích yếu", parts.abstract, 13, 14, bold=True,
                     italic=False, hint="trích yếu dưới tên loại: cỡ 13–14, đứng, đậm, căn giữa")
    out += [_at("ND30-TRICHYEU", p, "trích yếu phải căn giữa", "căn giữa (Ctrl+E)")
            for p in parts.abstract or [] if p.jc != "center"]
    if parts.abstract and all(_upper(p.text) or all(f.caps for _t, f in p.text_runs)
                              for p in parts.abstract):
        out.append(_at("ND30-TRICHYEU", parts.abstract[0], "trích yếu không được viết in hoa "
                       "cả dòng", "trích yếu viết chữ thường, chỉ viết hoa chữ đầu và tên "
                       "riêng (Phụ lục II)"))
    out += _component("ND30-TRICHYEU", "trích yếu công văn (V/v)", parts.vv, 12, 13,
                      bold=False, italic=False,
                      hint="«V/v ...» dưới số ký hiệu: cỡ 12–13, đứng, không đậm")
    if parts.kind is None and parts.vv is None and parts.number is not None:
        out.append(Finding("ND30-TRICHYEU", "không thấy tên loại và trích yếu, cũng không "
                           "thấy trích yếu công văn «V/v ...»",
                           "văn bản có tên loại ghi tên loại và trích yếu ở giữa trang; công "
                           "văn ghi «V/v ...» dưới số ký hiệu"))
    return out


def rule_kinh_gui(doc: Docx, parts: Parts) -> list[Finding]:
    return _component("ND30-KINHGUI", "«Kính gửi»",
                      [parts.kinh_gui] if parts.kinh_gui else [], 13, 14, bold=False,
                      italic=False, hint="«Kính gửi:» và nơi gửi: cỡ 13–14, đứng, không đậm")


def rule_headings(doc: Docx, parts: Parts) -> list[Finding]:
    """The Mục headings ("I. KẾT QUẢ ..."): 13–14, upright, bold (case is the office's
    choice: some write them in sentence case)."""
    bad: list[tuple[Para, str]] = []
    for p in parts.headings or []:
        problems = _format_problems(p, 13, 14, bold=True, italic=False)
        if problems:
            bad.append((p, "đề mục: " + "; ".join(problems)))
    return _grouped("ND30-MUC", bad, "đề mục cấp Mục («I.», «II.»...): cỡ 13–14, đứng, đậm")


def rule_body(doc: Docx, parts: Parts) -> list[Finding]:
    bad: list[tuple[Para, str]] = []
    for p in parts.body or []:
        if not _size_ok(p, 13, 14):
            bad.append((p, f"nội dung cỡ chữ {_sizes(p)}, phải 13–14"))
        if p.jc not in ("both", "distribute"):
            bad.append((p, "nội dung phải căn đều hai bên"))
        if p.first_line > 0 and not 540 <= p.first_line <= 740:
            bad.append((p, f"lùi đầu dòng {_mm(p.first_line)} mm, phải 10 hoặc 12,7 mm"))
        elif p.first_line <= 0 and p.first_piece \
                and not _norm(p.text).startswith(("-", "+", "–")):
            bad.append((p, "đầu dòng phải lùi vào 1 cm hoặc 1,27 cm"))
        if p.line_rule == "auto" and not 240 <= p.line <= 360:
            bad.append((p, f"giãn dòng {p.line / 240:.2f} dòng, phải từ 1 đến 1,5 dòng".replace(
                ".", ",")))
        if max(p.before, p.after) < 120:
            bad.append((p, "khoảng cách giữa các đoạn dưới 6 pt"))
    return _grouped("ND30-NOIDUNG", bad, "kiểu (style) của nội dung: Times New Roman 13–14, căn "
                    "đều hai bên, thụt đầu dòng 1 cm, cách đoạn ít nhất 6 pt, giãn dòng 1–1,5")


_LUU = re.compile(r"^[-–]\s*Lưu\s*:?\s*(.*)$")
NOI_NHAN_HINT = ("«Nơi nhận:» cỡ 12, nghiêng, đậm; mỗi nơi nhận một dòng, cỡ 11, đứng, bắt đầu "
                 "bằng «-», kết thúc bằng «;»; dòng cuối «- Lưu: VT, <đơn vị soạn thảo>.»")


def rule_noi_nhan(doc: Docx, parts: Parts) -> list[Finding]:
    hint = NOI_NHAN_HINT
    if parts.noi_nhan is None:
        if parts.quoc_hieu is None and parts.number is None:
            return []  # not an official document at all: the missing header says enough
        return _missing("ND30-NOINHAN", "«Nơi nhận:» (danh sách nơi nhận văn bản, bên trái "
                        "khối chữ ký)", "thêm «Nơi nhận:» và các nơi nhận, mỗi nơi một dòng, ở "
                        "cuối văn bản bên trái, ngang dòng chức vụ người ký")
    nn = parts.noi_nhan
    out = _component("ND30-NOINHAN", "«Nơi nhận:»", [nn], 12, 12, bold=True, italic=True,
                     hint=hint)
    if not _norm(nn.text).rstrip().endswith(":"):
        out.append(_at("ND30-NOINHAN", nn, "sau «Nơi nhận» phải có dấu hai chấm",
                       "viết «Nơi nhận:»"))
    items = _component("ND30-NOINHAN", "danh sách nơi nhận", parts.noi_nhan_items, 11, 11,
                       bold=False, italic=False, hint=hint)
    if items:
        more = f" (cùng lỗi ở {len(items) - 1} dòng khác)" if len(items) > 1 else ""
        first = items[0]
        out.append(Finding(first.code, first.message + more, hint, first.paragraph, first.part,
                           first.excerpt, len(items), page=first.page, line=first.line))
    return out + _noi_nhan_punctuation(parts)


def _noi_nhan_punctuation(parts: Parts) -> list[Finding]:
    items = parts.noi_nhan_items or []
    nn = parts.noi_nhan
    if nn is None:
        return []
    hint = NOI_NHAN_HINT
    if not items:
        return [_at("ND30-NOINHAN", nn, "không có nơi nhận nào dưới «Nơi nhận:» (mỗi nơi một "
                    "dòng bắt đầu bằng «-»)", hint)]
    bad: list[tuple[Para, str]] = []
    texts = [_norm(p.text) for p in items]
    for i, (p, text) in enumerate(zip(items[:-1], texts[:-1], strict=True)):
        opens_group = text.endswith(":") and texts[i + 1].startswith("+")
        if not text.endswith(";") and not opens_group:
            bad.append((p, "mỗi dòng nơi nhận (trừ dòng cuối) phải kết thúc bằng dấu «;»"))
    out = _grouped("ND30-NOINHAN", bad, hint)
    last, text = items[-1], texts[-1]
    luu = _LUU.match(text)
    if luu is None:
        out.append(_at("ND30-NOINHAN", last, "dòng cuối của nơi nhận phải là «- Lưu: VT, "
                       "<đơn vị soạn thảo>.»", hint))
    else:
        rest = luu[1].rstrip(" .")
        if not re.match(r"^VT\s*,\s*\S", rest):
            out.append(_at("ND30-NOINHAN", last, "dòng «Lưu» phải ghi «VT» (văn thư) rồi tên "
                           "viết tắt đơn vị soạn thảo, ví dụ «- Lưu: VT, VP.»", hint))
        if not text.endswith("."):
            out.append(_at("ND30-NOINHAN", last, "dòng cuối «- Lưu: ...» phải kết thúc bằng "
                           "dấu chấm", hint))
    if parts.kinh_gui is not None and not re.match(r"^[-–]\s*Như trên\b", texts[0]):
        out.append(_at("ND30-NOINHAN", items[0], "văn bản có «Kính gửi» thì nơi nhận đầu tiên "
                       "là «- Như trên;»", hint, severity=WARNING))
    return out


def rule_signature(doc: Docx, parts: Parts) -> list[Finding]:
    if parts.signature is None:
        return _missing("ND30-CHUKY", "khối chữ ký (quyền hạn, chức vụ và họ tên người ký)",
                        "thêm chức vụ và họ tên người ký ở cuối văn bản, bên phải")
    hint = "quyền hạn, chức vụ (in hoa) và họ tên người ký: cỡ 13–14, đứng, đậm"
    *titles, name = parts.signature
    out = _component("ND30-CHUKY", "chức vụ người ký", [p for p in titles if _upper(p.text)],
                     13, 14, bold=True, italic=False, hint=hint)
    out += _component("ND30-CHUKY", "họ tên người ký", [name], 13, 14, bold=True,
                      italic=False, hint=hint)
    return out


def _has_page_field(paras: list[Para]) -> Para | None:
    for p in paras:
        instr = " ".join([t.text or "" for t in p.element.iter(W + "instrText")]
                         + [f.get(W + "instr", "") for f in p.element.iter(W + "fldSimple")])
        if re.search(r"\bPAGE\b", instr):
            return p
    return None


def rule_page_number(doc: Docx, parts: Parts) -> list[Finding]:
    """Every section's page numbers: in the header, centred, 13–14 upright, hidden on the
    first page of the document; a section that names no header of its own has the one of
    the section before (as Word shows it), and is not reported twice for it."""
    hint = ("Word: Chèn (Insert) → Số trang → Đầu trang, giữa; chọn «Trang đầu khác» "
            "(Different First Page) để trang 1 không có số; cỡ 13–14, đứng")
    out: list[Finding] = []
    seen: set[int] = set()
    none_said = False  # "no page numbers" once for the sections that have no header at all
    many = len(doc.sections) > 1
    pages: dict[int, set[int]] = {}
    for para in doc.body:
        pages.setdefault(para.section, set()).add(para.page)
    for i, section in enumerate(doc.sections):
        label = f" (phần {i + 1}, từ khoảng trang {section.first_page})" if many else ""
        default = section.headers.get("default", [])
        field = _has_page_field(default)
        if field is None:
            if (id(default) in seen and default) or (not default and none_said):
                continue
            if len(pages.get(i, set())) <= 1 and not _has_page_field(
                    section.footers.get("default", [])):
                continue  # a section of one page shows no number (page 1 has none)
            seen.add(id(default))
            none_said = none_said or not default
            in_footer = _has_page_field(section.footers.get("default", []))
            message = ("số trang ở chân trang, phải ở đầu trang (lề trên), giữa" if in_footer
                       else "không có số trang ở đầu trang (từ trang 2)")
            out.append(Finding("ND30-SOTRANG", message + label, hint, part="header"))
            continue
        if i == 0 and (not section.title_page
                       or _has_page_field(section.headers.get("first", []))):
            out.append(Finding("ND30-SOTRANG", "số trang hiện cả ở trang 1", hint,
                               part="header"))
        if id(default) in seen:
            continue
        seen.add(id(default))
        if field.jc != "center":
            out.append(_at("ND30-SOTRANG", field, "số trang phải căn giữa" + label, hint))
        if not _size_ok(field, 13, 14) or field.any_bold() or field.any_italic():
            out.append(_at("ND30-SOTRANG", field, f"số trang cỡ {_sizes(field)}, phải 13–14, "
                           "đứng, không đậm" + label, hint))
    return out


TEXT_RULES: tuple[Rule, ...] = (
    rule_page_size, rule_margins, rule_font, rule_agency, rule_quoc_hieu, rule_tieu_ngu,
    rule_number, rule_place_date, rule_kind, rule_abstract, rule_kinh_gui, rule_headings,
    rule_body, rule_noi_nhan, rule_signature, rule_page_number,
)
