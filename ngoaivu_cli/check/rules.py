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

from ngoaivu_cli.check.document import Docx, Para, W

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
    paragraph: int | None = None  # 1-based paragraph number of the place
    part: str = "body"
    excerpt: str = ""
    count: int = 1  # how many places break the rule the same way
    severity: str = ERROR

    @property
    def place(self) -> str:
        if self.paragraph is None:
            return {"body": "toàn văn bản", "header": "đầu trang", "footer": "chân trang",
                    "footnote": "chú thích", "page": "trang in", "file": "tệp"}[self.part]
        where = {"body": "đoạn", "header": "đầu trang, đoạn", "footer": "chân trang, đoạn",
                 "footnote": "chú thích, đoạn"}.get(self.part, "đoạn")
        text = f"{where} {self.paragraph}"
        return f"{text} «{self.excerpt}»" if self.excerpt else text

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "severity": self.severity, "part": self.part,
                "paragraph": self.paragraph, "excerpt": self.excerpt, "place": self.place,
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


def _at(code: str, para: Para, message: str, hint: str, count: int = 1) -> Finding:
    return Finding(code, message, hint, para.number, para.part, para.excerpt(), count)


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
KINDS = (
    "BÁO CÁO", "KẾ HOẠCH", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH",
    "THÔNG CÁO", "THÔNG BÁO", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "PHƯƠNG ÁN", "ĐỀ ÁN", "DỰ ÁN",
    "BIÊN BẢN", "TỜ TRÌNH", "HỢP ĐỒNG", "CÔNG ĐIỆN", "BẢN GHI NHỚ", "BẢN THỎA THUẬN",
    "GIẤY ỦY QUYỀN", "GIẤY MỜI", "GIẤY GIỚI THIỆU", "GIẤY NGHỈ PHÉP", "PHIẾU GỬI",
    "PHIẾU CHUYỂN", "PHIẾU BÁO",
)
_DATE = re.compile(r",\s*ngày\s*(\S*)\s*tháng\s*(\S*)\s*năm\s*(\d{4})")
_NUMBER = re.compile(r"^Số\s*(:|\d|/|…|\.)")
BODY_MIN = 60  # characters: a shorter line is a heading or a label, not body text


_FOLD = {"Ò": "O", "Ó": "O"}  # "HÒA" and "HOÀ" are both written


@lru_cache(maxsize=64)
def _key(s: str) -> str:
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


@dataclass
class Parts:
    """Where each component of the document is (paragraphs of the body)."""

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
    header_end = max((p.number for p in header), default=0)
    limit = parts.number.number if parts.number else (header_end + 1 if header else 8)
    # the agency block: upper-case lines before the number line, outside the right-hand column
    parts.agency = [p for p in paras if p.number < limit and p not in header and _upper(p.text)
                    and not _same(p.text, QUOC_HIEU)
                    and (parts.quoc_hieu is None or p.cell is None
                         or p.cell is not parts.quoc_hieu.cell)] or None
    if parts.number is not None and parts.number.cell is not None:
        vv = [p for p in paras if p.cell is parts.number.cell and p.number > parts.number.number]
        if vv and _norm(vv[0].text).startswith("V/v"):
            parts.vv = vv
    for p in paras:
        if p.number > header_end and p.cell is None and _norm(p.text).upper() in KINDS \
                and _upper(p.text):
            parts.kind = p
            break
    if parts.kind is not None:
        abstract: list[Para] = []
        for p in doc.body[parts.kind.number:]:
            text = _norm(p.text)
            if not text or text.startswith(("Kính gửi", "(")) or len(text) > 150 \
                    or p.first_line > 0 or p.cell is not None or len(abstract) == 3 \
                    or (abstract and p.all_italic() and not p.any_bold()):
                break  # a subtitle in italics, the recipient or the body follows
            abstract.append(p)
        parts.abstract = abstract or None
    if parts.noi_nhan is not None:
        items = []
        for p in doc.body[parts.noi_nhan.number:]:
            if (parts.noi_nhan.cell is not None and p.cell is not parts.noi_nhan.cell) \
                    or not _norm(p.text).startswith(("-", "+", "–")):
                if p.text.strip():
                    break
                continue
            items.append(p)
        parts.noi_nhan_items = items or None
    parts.signature = _signature(doc, parts)
    start = max([header_end] + [p.number for p in (parts.kind, parts.kinh_gui) if p]
                + [p.number for p in (parts.abstract or []) + (parts.vv or [])])
    ends = [p.number for p in (parts.signature or []) + [parts.noi_nhan] if p is not None]
    end = min(ends) if ends else len(doc.body) + 1
    parts.body = [p for p in paras if start < p.number < end and p.cell is None
                  and len(_norm(p.text)) >= BODY_MIN and not p.all_bold()] or None
    return parts


def _signature(doc: Docx, parts: Parts) -> list[Para] | None:
    """The signer's block: the cell beside "Nơi nhận", else the lines after its list."""
    nn = parts.noi_nhan
    if nn is not None and nn.row is not None:
        block = [p for p in doc.body if p.row is nn.row and p.cell is not nn.cell
                 and p.text.strip()]
    else:
        after = (parts.noi_nhan_items or [nn])[-1] if nn is not None else None
        if after is None:
            return None
        block = [p for p in doc.body[after.number:after.number + 12] if p.text.strip()][:6]
    block = [p for p in block if not _norm(p.text).startswith("(")]
    return block or None


# --------------------------------------------------------------------------- the rules

Rule = Callable[[Docx, Parts], list[Finding]]


def rule_page_size(doc: Docx, parts: Parts) -> list[Finding]:
    out = []
    for i, s in enumerate(doc.sections, start=1):
        if s.width is None or s.height is None:
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


def rule_margins(doc: Docx, parts: Parts) -> list[Finding]:
    out = []
    for i, s in enumerate(doc.sections, start=1):
        for attr, label, low, high in MARGINS:
            value = getattr(s, attr)
            if value is None:
                continue
            if not low * MM - SLACK <= abs(value) <= high * MM + SLACK:
                out.append(Finding(
                    "ND30-LE", f"lề {label} {_mm(abs(value))} mm (phần {i}), phải từ "
                    f"{low} đến {high} mm",
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
        out.append("không in đậm")
    if italic is True and not para.all_italic():
        out.append("phải in nghiêng")
    if italic is False and para.any_italic():
        out.append("không in nghiêng")
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


def rule_agency(doc: Docx, parts: Parts) -> list[Finding]:
    if not parts.agency:
        return _missing("ND30-COQUAN", "tên cơ quan ban hành (chữ in hoa, trên số ký hiệu)",
                        "thêm tên cơ quan ở góc trên bên trái trang đầu (ô 2)")
    *parent, issuer = parts.agency
    hint = ("tên cơ quan chủ quản: cỡ 12–13, in hoa, đứng, không đậm; tên cơ quan ban hành: "
            "cỡ 12–13, in hoa, đứng, đậm")
    out = _component("ND30-COQUAN", "tên cơ quan ban hành", [issuer], 12, 13, bold=True,
                     italic=False, hint=hint)
    if len(parent) == 1:  # a long issuer name wrapped on two lines is not a parent
        out += _component("ND30-COQUAN", "tên cơ quan chủ quản", parent, 12, 13, bold=None,
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
    return _component("ND30-TENLOAI", "tên loại văn bản", [parts.kind] if parts.kind else [],
                      13, 14, bold=True, italic=False,
                      hint="tên loại (BÁO CÁO, KẾ HOẠCH...): in hoa, cỡ 13–14, đứng, đậm, "
                      "căn giữa") + [
        _at("ND30-TENLOAI", p, "tên loại văn bản phải căn giữa", "căn giữa (Ctrl+E)")
        for p in ([parts.kind] if parts.kind else []) if p.jc != "center"]


def rule_abstract(doc: Docx, parts: Parts) -> list[Finding]:
    out = _component("ND30-TRICHYEU", "trích yếu", parts.abstract, 13, 14, bold=True,
                     italic=False, hint="trích yếu dưới tên loại: cỡ 13–14, đứng, đậm, căn giữa")
    out += [_at("ND30-TRICHYEU", p, "trích yếu phải căn giữa", "căn giữa (Ctrl+E)")
            for p in parts.abstract or [] if p.jc != "center"]
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


def rule_body(doc: Docx, parts: Parts) -> list[Finding]:
    bad: list[tuple[Para, str]] = []
    for p in parts.body or []:
        if not _size_ok(p, 13, 14):
            bad.append((p, f"nội dung cỡ chữ {_sizes(p)}, phải 13–14"))
        if p.jc not in ("both", "distribute"):
            bad.append((p, "nội dung phải căn đều hai bên"))
        if p.first_line > 0 and not 540 <= p.first_line <= 740:
            bad.append((p, f"lùi đầu dòng {_mm(p.first_line)} mm, phải 10 hoặc 12,7 mm"))
        elif p.first_line <= 0 and not _norm(p.text).startswith(("-", "+", "–")):
            bad.append((p, "đầu dòng phải lùi vào 1 cm hoặc 1,27 cm"))
        if p.line_rule == "auto" and not 240 <= p.line <= 360:
            bad.append((p, f"giãn dòng {p.line / 240:.2f} dòng, phải từ 1 đến 1,5 dòng".replace(
                ".", ",")))
        if max(p.before, p.after) < 120:
            bad.append((p, "khoảng cách giữa các đoạn dưới 6 pt"))
    return _grouped("ND30-NOIDUNG", bad, "kiểu (style) của nội dung: Times New Roman 13–14, căn "
                    "đều hai bên, thụt đầu dòng 1 cm, cách đoạn ít nhất 6 pt, giãn dòng 1–1,5")


def rule_noi_nhan(doc: Docx, parts: Parts) -> list[Finding]:
    hint = "«Nơi nhận:» cỡ 12, nghiêng, đậm; mỗi nơi nhận một dòng, cỡ 11, đứng, bắt đầu bằng «-»"
    out = _component("ND30-NOINHAN", "«Nơi nhận:»", [parts.noi_nhan] if parts.noi_nhan else [],
                     12, 12, bold=True, italic=True, hint=hint)
    items = _component("ND30-NOINHAN", "danh sách nơi nhận", parts.noi_nhan_items, 11, 11,
                       bold=False, italic=False, hint=hint)
    if items:
        more = f" (cùng lỗi ở {len(items) - 1} dòng khác)" if len(items) > 1 else ""
        first = items[0]
        out.append(Finding(first.code, first.message + more, hint, first.paragraph, first.part,
                           first.excerpt, len(items)))
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
    hint = ("Word: Chèn (Insert) → Số trang → Đầu trang, giữa; chọn «Trang đầu khác» "
            "(Different First Page) để trang 1 không có số; cỡ 13–14, đứng")
    if not doc.sections:
        return []
    section = doc.sections[-1]  # the body's own section
    field = _has_page_field(section.headers.get("default", []))
    if field is None:
        return [Finding("ND30-SOTRANG", "không có số trang ở đầu trang (từ trang 2)", hint,
                        part="header")]
    out = []
    if not section.title_page or _has_page_field(section.headers.get("first", [])):
        out.append(Finding("ND30-SOTRANG", "số trang hiện cả ở trang 1", hint, part="header"))
    if field.jc != "center":
        out.append(_at("ND30-SOTRANG", field, "số trang phải căn giữa", hint))
    if not _size_ok(field, 13, 14) or field.any_bold() or field.any_italic():
        out.append(_at("ND30-SOTRANG", field, f"số trang cỡ {_sizes(field)}, phải 13–14, "
                       "đứng, không đậm", hint))
    return out


RULES: tuple[Rule, ...] = (
    rule_page_size, rule_margins, rule_font, rule_agency, rule_quoc_hieu, rule_tieu_ngu,
    rule_number, rule_place_date, rule_kind, rule_abstract, rule_kinh_gui, rule_body,
    rule_noi_nhan, rule_signature, rule_page_number,
)
CODES = ("ND30-KHOGIAY", "ND30-LE", "ND30-FONT", "ND30-COQUAN", "ND30-QUOCHIEU",
         "ND30-TIEUNGU", "ND30-SO", "ND30-NGAY", "ND30-TENLOAI", "ND30-TRICHYEU",
         "ND30-KINHGUI", "ND30-NOIDUNG", "ND30-NOINHAN", "ND30-CHUKY", "ND30-SOTRANG",
         "ND30-SCHEMA")


def check_layout(doc: Docx) -> list[Finding]:
    """Every layout rule on ``doc``, in the order of the document's components."""
    parts = find_parts(doc)
    out: list[Finding] = []
    for rule in RULES:
        out.extend(rule(doc, parts))
    return out
