"""The parts of an official report: header, title, period, opening, sections, closing, signature.

Reports in the layout of Nghị định 30/2020 are regular: a header (agency, national motto,
number, place and date), the kind ("BÁO CÁO", "KẾ HOẠCH"; a công văn has "V/v ..." instead),
the title lines with the period, "Kính gửi", an opening sentence ("Thực hiện ..."), numbered
sections (I., II. / 1., 2. / 2.1.) holding bullets or paragraphs, a closing sentence ("Trên
đây là ..."), "Nơi nhận" and the signature. What is not a bullet or paragraph of a section is
boilerplate: it is counted, never imported.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ngoaivu_cli.importer.read import Paragraph

ROMAN = re.compile(r"^([IVXL]+)\s*[.)]\s*(.+)$")
DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)]\s*(.+)$")
BULLET = re.compile(r"^\s*(?:[-+•–—*]|\u2212)\s*")
DATE_LINE = re.compile(r"ngày\s+(\d{1,2}|\s*)\s*tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
HEADER_WORDS = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA", "Độc lập - Tự do",
                "Độc lập – Tự do", "UBND TỈNH", "ỦY BAN NHÂN DÂN", "SỞ NGOẠI VỤ")
DOC_KINDS = ("BÁO CÁO", "KẾ HOẠCH", "TỜ TRÌNH", "CHƯƠNG TRÌNH", "THÔNG BÁO")
MAX_HEADING_CHARS = 200
_SENTENCE_END = (".", ";", ":", "!", "?", "…", ")", "”", '"', "/.")


@dataclass
class Item:
    """A bullet or paragraph of a section, with where it came from (1-based paragraph)."""

    text: str
    number: int
    footnotes: list[str] = field(default_factory=list)
    anchor: int | None = None
    bullet: bool = False
    notemark: str = ""  # the superscript reference of a copied footnote, once placed


@dataclass
class Section:
    """A numbered heading ("I. KẾT QUẢ THỰC HIỆN", "2.1. Công tác ...") and what follows it."""

    number: str
    title: str
    level: int  # 0: I., II. ; 1: 1., 2. ; 2: 2.1.
    parent: Section | None = None
    items: list[Item] = field(default_factory=list)

    @property
    def path(self) -> list[Section]:
        out: list[Section] = []
        node: Section | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]


@dataclass
class Layout:
    """A document cut into its parts."""

    head: list[str]  # header, kind, title, abstract, Kính gửi (where the period is looked for)
    kind: str  # "BÁO CÁO", "KẾ HOẠCH", "CÔNG VĂN" or ""
    title: list[str]
    issue_date: dt.date | None
    opening: list[str]
    sections: list[Section]
    loose: list[Item]  # bullets before any heading (a report without numbered sections)
    skipped: dict[str, int]  # boilerplate part → paragraphs left out
    closing: str = ""  # the closing sentence, left out


_MARKS = re.compile("[\u0300-\u036f]")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case without diacritics, single spaces: for comparing words."""
    plain = _MARKS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")))
    return " ".join(plain.lower().split())


def _is_header(text: str) -> bool:
    """A line of the header block: short (the opening sentence "Thực hiện ... của UBND tỉnh
    ..." names the agency too, and is no header)."""
    if len(text) > 100:
        return False
    up = text.upper()
    return (any(w.upper() in up for w in HEADER_WORDS) or text.startswith("Số:")
            or text.startswith("Số :") or bool(DATE_LINE.search(text)) and len(text) < 80)


def _kind_of(text: str) -> str:
    up = text.strip().upper()
    for kind in DOC_KINDS:
        if up == kind or up.startswith(kind + " ") and up.replace(kind, "", 1).strip().isupper():
            return kind
    return ""


def _closing(text: str) -> bool:
    f = fold(text)
    return (f.startswith(("tren day la", "tren day ", "noi nhan"))
            or f.startswith(("tran trong", "xin tran trong")) and len(f) < 60)


# The mark that ends the body of an official document (Nghị định 30/2020: "./."), and the
# sentence an office closes a report with when it has no "Trên đây là ...": "Sở Ngoại vụ báo
# cáo công tác ... để Ban Tuyên giáo tổng hợp./.", "Kính báo cáo UBND tỉnh xem xét, chỉ đạo."
_END_MARK = re.compile(r"\.?/\.\s*$")
_REPORTS_TO = re.compile(r"^(?:kinh bao cao|(?:so|ubnd|uy ban|ban|phong|van phong|trung tam|cuc"
                         r"|chi cuc)\b.{0,80}?\b(?:kinh )?bao cao\b.*\b(?:tong hop|xem xet"
                         r"|chi dao|biet|theo doi|quyet dinh|cho y kien)\b)")
# The signature block: "TL. GIÁM ĐỐC", "KT. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "GIÁM ĐỐC".
_SIGNER = re.compile(r"^(?:(?:TL|KT|TM|Q|TUQ)\s*\.\s*)?(?:PHÓ\s+)?(?:GIÁM ĐỐC|CHÁNH VĂN PHÒNG"
                     r"|CHỦ TỊCH|TRƯỞNG PHÒNG|THỦ TRƯỞNG CƠ QUAN)\b[\sA-ZÀ-Ỹ.,]*$")


def _signer(text: str) -> bool:
    plain = text.strip().strip("*_ ").upper()
    return len(plain) < 80 and bool(_SIGNER.match(plain)) and text.strip().strip("*_ ").isupper()


def _end_of_body(texts: list[str], start: int) -> int:
    """Where the document's frame begins: the closing sentence ("Trên đây là ...", a last
    sentence ending with the mark "./.", "<cơ quan> báo cáo ... tổng hợp."), "Trân trọng",
    "Nơi nhận", or the signature block, whichever comes first after paragraph ``start``."""
    end = len(texts)
    for i in range(max(start, 1), len(texts)):
        if _closing(texts[i]) or _signer(texts[i]):
            end = i
            break
    if end < len(texts) and fold(texts[end]).startswith("tren day"):
        return end  # the closing sentence itself
    last = next((i for i in range(end - 1, max(start, 1) - 1, -1) if texts[i].strip()), None)
    if last is None:
        return end
    t = texts[last].strip()
    if BULLET.match(t) or heading(t) or len(t) > 600:
        return end
    if _END_MARK.search(t) or _REPORTS_TO.search(fold(t)) and t.endswith("."):
        return last
    return end


def _opening(text: str) -> bool:
    f = fold(text)
    return (f.startswith(("thuc hien ", "can cu ", "trien khai ", "theo de nghi", "trên co so"))
            and len(text) > 60)


def heading(text: str) -> tuple[str, str, int] | None:
    """``("II", "KẾ HOẠCH TRỌNG TÂM TUẦN TỚI", 0)`` when the paragraph is a numbered heading."""
    if len(text) > MAX_HEADING_CHARS:
        return None
    m = ROMAN.match(text)
    if m and m.group(1) in _ROMANS:
        return m.group(1), m.group(2).strip(), 0
    m = DECIMAL.match(text)
    if m:
        title = m.group(2).strip()
        number = m.group(1)
        # "1. Sở Ngoại vụ: Chủ trì, hướng dẫn ..." is a numbered item, not a heading
        if title.endswith((".", ";", ",")) and not title.endswith("..."):
            return None
        if re.search(r":\s+\S", title) or len(title) > 160:
            return None
        return number, title, 1 + number.count(".")
    return None


_ROMANS = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}


def issue_date(texts: list[str]) -> dt.date | None:
    """The document's date ("Hà Tĩnh, ngày 31 tháng 8 năm 2023"); a blank day: month's end."""
    for text in texts:
        m = DATE_LINE.search(text)
        if not m:
            continue
        year, month = int(m.group(3)), int(m.group(2))
        day = m.group(1).strip()
        try:
            if day:
                return dt.date(year, month, int(day))
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        except ValueError:
            return None
    return None


def cut(paragraphs: list[Paragraph]) -> Layout:
    """Cut the paragraphs of a document into its parts (see the module docstring)."""
    texts = [p.text for p in paragraphs]
    skipped: dict[str, int] = {}

    def skip(part: str, n: int = 1) -> None:
        skipped[part] = skipped.get(part, 0) + n

    # the end: closing sentence, Nơi nhận, signature
    begin = next((i for i, t in enumerate(texts) if heading(t)), 0)
    end = _end_of_body(texts, begin)
    tail = texts[end:]
    closing_text = ""
    if tail:
        closing = 1 if not (fold(tail[0]).startswith("noi nhan") or _signer(tail[0])) else 0
        if closing:
            skip("câu kết")
            closing_text = tail[0]
        skip("nơi nhận, chữ ký", len(tail) - closing)

    first_heading = next((i for i in range(end) if heading(texts[i])), None)
    head: list[str] = []
    title: list[str] = []
    kind = ""
    opening: list[str] = []
    loose: list[Item] = []
    stop = first_heading if first_heading is not None else end
    in_title = False
    for i in range(stop):
        t = texts[i]
        k = _kind_of(t)
        if k and not kind:
            kind = k
            in_title = True
            head.append(t)
            rest = t[len(k):].strip()
            if rest:
                title.append(rest)
            skip("tên loại, tiêu đề")
            continue
        if t.startswith("V/v") and not kind:
            kind = "CÔNG VĂN"
            head.append(t)
            title.append(t[3:].strip())
            in_title = True
            skip("trích yếu (V/v)")
            continue
        if fold(t).startswith("kinh gui"):
            head.append(t)
            skip("Kính gửi")
            in_title = False
            continue
        if _is_header(t) and not opening:
            head.append(t)
            skip("phần đầu (cơ quan, quốc hiệu, số, ngày)")
            continue
        if _opening(t) or opening:
            if BULLET.match(t) and opening:
                loose.append(_item(paragraphs[i], i + 1))
                continue
            opening.append(t)
            in_title = False
            skip("câu mở đầu")
            continue
        if in_title or not opening and not BULLET.match(t) and len(t) < 200:
            head.append(t)
            title.append(t)
            skip("tên loại, tiêu đề")
            continue
        loose.append(_item(paragraphs[i], i + 1))

    sections: list[Section] = []
    current: Section | None = None
    stack: list[Section] = []
    if first_heading is not None:
        for i in range(first_heading, end):
            t = texts[i]
            h = heading(t)
            if h:
                number, htitle, level = h
                while stack and stack[-1].level >= level:
                    stack.pop()
                current = Section(number, htitle, level, stack[-1] if stack else None)
                stack.append(current)
                sections.append(current)
                continue
            assert current is not None
            item = _item(paragraphs[i], i + 1)
            # a paragraph cut by a page break in a copy: the one before does not end a
            # sentence. The copy prints the page's footnotes ("¹ Tặng ...") at the cut: they
            # are never joined, and the rest of the sentence joins the paragraph before them.
            if not item.bullet and not heading(item.text) and not _NOTE_TEXT.match(item.text):
                prev = next((p for p in reversed(current.items)
                             if p.bullet or not _NOTE_TEXT.match(p.text)), None)
                if prev is not None and not prev.text.endswith(_SENTENCE_END):
                    prev.text = f"{prev.text} {item.text}"
                    prev.footnotes.extend(item.footnotes)
                    continue
            current.items.append(item)
    _attach_copied_footnotes(sections, skipped)
    return Layout(head, kind, title, issue_date(head + texts[:stop]), opening, sections, loose,
                  skipped, closing_text)


_SUPERSCRIPT = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_NOTE_TEXT = re.compile(f"^([{_SUPERSCRIPT}]+)\\s+(.+)$")


def _attach_copied_footnotes(sections: list[Section], skipped: dict[str, int]) -> None:
    """A text copy of a Word file prints its footnotes as paragraphs "¹ Tặng tỉnh ..." (a note
    ending with ":" goes on with the bullets after it) and their references as superscript
    digits ("Lào¹."). They become the footnote of the paragraph holding the reference."""
    for section in sections:
        kept: list[Item] = []
        note: tuple[str, list[str]] | None = None
        for item in section.items:
            m = _NOTE_TEXT.match(item.text) if not item.bullet else None
            if m:
                note = (m.group(1), [m.group(2)])
                _place_note(sections, note)
                continue
            if note and item.bullet and note[1][0].endswith(":"):
                note[1].append(f"- {item.text}")
                _place_note(sections, note)
                continue
            note = None
            kept.append(item)
        section.items = kept


def _place_note(sections: list[Section], note: tuple[str, list[str]]) -> None:
    mark, lines = note
    for section in sections:
        for item in section.items:
            pos = item.text.find(mark)
            if pos > 0 and not item.text[pos - 1].isspace():
                item.text = item.text[:pos] + item.text[pos + len(mark):]
                item.anchor = pos if pos < len(item.text.rstrip(".;: ")) else None
                item.footnotes = ["\n".join(lines)]
                item.notemark = mark
                return
            if item.notemark == mark:
                item.footnotes = ["\n".join(lines)]
                return


def _item(p: Paragraph, number: int) -> Item:
    text = p.text
    m = BULLET.match(text)
    anchor = p.anchor
    if m:
        text = text[m.end():]
        if anchor is not None:
            anchor = max(0, anchor - m.end())
    return Item(text.strip(), number, list(p.footnotes), anchor, bool(m))
