"""Vietnamese formatting: numbers, counts, dates, Roman numerals, money — pure functions.

Every function here is also a Jinja filter (see :data:`FILTERS`). The date forms follow
Nghị định 30/2020/NĐ-CP, Phụ lục I: days below 10 and months 1 and 2 take a leading zero,
months 3–12 do not ("ngày 05 tháng 02 năm 2024", "ngày 09 tháng 3 năm 2024").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# characters that XML 1.0 (so a DOCX) cannot hold; tab, line feed and carriage return can
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_ROMAN = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


MAX_DIGITS = 1000  # digits a number written by a filter may have (a report's: under 20)


def _bounded(d: Decimal) -> Decimal:
    """``d``, unless writing it out would take more than :data:`MAX_DIGITS` digits
    (``1E+999999``: a million zeros, computed in C where no time limit reaches)."""
    if d.is_finite() and not d.is_zero() and (
            abs(d.adjusted()) > MAX_DIGITS or len(d.as_tuple().digits) > MAX_DIGITS):
        raise ValueError(f"số quá lớn hoặc quá nhiều chữ số để viết ra (giới hạn {MAX_DIGITS} "
                         "chữ số)")
    return d


def _to_decimal(value: object) -> Decimal:
    return _bounded(_read_decimal(value))


def _read_decimal(value: object) -> Decimal:
    if isinstance(value, str) and type(value) is not str and hasattr(value, "value"):
        # a Figure (ngoaivu_cli.figures) prints "1.100" and keeps its number: use the number
        value = value.value
        if value is None:
            raise ValueError("chưa có số liệu")
    if isinstance(value, bool):
        raise TypeError("boolean is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite number: {value!r}")
        return Decimal(repr(value))
    try:
        d = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not d.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return d


def vn_number(value: object, decimals: int | None = None) -> str:
    """``1100`` → ``1.100``; ``2.5`` → ``2,5``; ``2901.81`` → ``2.901,81``.

    ``.`` groups thousands and ``,`` marks decimals. Trailing decimal zeros are dropped unless
    ``decimals`` fixes their number.
    """
    d = _to_decimal(value)
    if d.is_zero():
        d = abs(d)  # no "-0"
    if decimals is not None and not -MAX_DIGITS <= decimals <= MAX_DIGITS:
        raise ValueError(f"số chữ số thập phân {decimals} quá lớn (giới hạn {MAX_DIGITS})")
    if decimals is not None:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{d:f}"
    else:
        text = f"{d.normalize():f}" if d != d.to_integral_value() else f"{d.to_integral_value():f}"
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if frac:
        out += "," + frac
    return sign + out


PAD_COUNTS: ContextVar[bool] = ContextVar("pad_counts", default=True)  # the office's
# `formatting.pad_counts`, set while a report is built (render.report.make_report)


def vn_count(value: object, pad: bool | None = None) -> str:
    """A count as the documents write it: ``7`` → ``07`` (zero before 1–9), ``12`` → ``12``;
    without ``pad``, as the office's ``formatting.pad_counts`` says (:data:`PAD_COUNTS`).

    Non-integers are written with :func:`vn_number` and never padded.
    """
    if pad is None:
        pad = PAD_COUNTS.get()
    d = _to_decimal(value)
    if d == d.to_integral_value():
        n = int(d)
        if pad and 0 < n < 10:
            return f"0{n}"
        return vn_number(n)
    return vn_number(d)


def pad_day(day: int) -> str:
    """Day of month with the decree's zero: ``5`` → ``05``, ``24`` → ``24``."""
    return f"{day:02d}"


def pad_month(month: int) -> str:
    """Month with the decree's zero for January and February only: ``1`` → ``01``, ``8`` → ``8``."""
    return f"{month:02d}" if month < 3 else str(month)


# a month in the words of a period: "tháng 8/2023", "tháng 01 năm 2021", or the month of a
# day "24/8" / "31/8/2023" (a day is always two digits: 05/10)
_MONTH_OF_DAY = re.compile(r"(?<![\d/])(\d{2})/(\d{1,2})(?=/|(?![\d]))")
_MONTH_WORD = re.compile(r"(?<!\w)(tháng|Tháng|THÁNG) (\d{1,2})(?=[/ .,;:)]|$)")


def repad_months(text: str, mode: str = "decree") -> str:
    """The months of a period's words as an office writes them: ``decree`` (Nghị định 30:
    01 and 02 only, as the tool prints them), ``all`` (``tháng 08/2023``, ``24/08``) or ``none``
    (``tháng 1/2021``, ``05/1``)."""
    if mode == "decree":
        return text

    def month(number: str) -> str:
        n = int(number)
        if not 1 <= n <= 12:
            return number
        return f"{n:02d}" if mode == "all" else str(n)

    text = _MONTH_WORD.sub(lambda m: f"{m.group(1)} {month(m.group(2))}", text)
    return _MONTH_OF_DAY.sub(lambda m: f"{m.group(1)}/{month(m.group(2))}", text)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_date(value: object) -> dt.date:
    """A date the date filters accept: a :class:`datetime.date` or the ``YYYY-MM-DD`` text the
    strings' variables hold (``period.start``, ``period.end``, ``ytd.end``...)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"ngày {value!r} không tồn tại") from exc
    raise ValueError(f"không phải một ngày (ngày viết YYYY-MM-DD, như period.start): {value!r}")


def vn_date_full(d: dt.date | str, place: str | None = None) -> str:
    """``ngày 05 tháng 01 năm 2021``; with a place: ``Hà Tĩnh, ngày 31 tháng 8 năm 2023``.
    ``d`` is a date or its ``YYYY-MM-DD`` text."""
    d = as_date(d)
    text = f"ngày {pad_day(d.day)} tháng {pad_month(d.month)} năm {d.year}"
    return f"{place}, {text}" if place else text


def vn_date_blank(d: dt.date, place: str | None = None, *, blank_day: bool = True) -> str:
    """The draft form with the day left for the clerk: ``Hà Tĩnh, ngày    tháng 8 năm 2022``."""
    day = "    " if blank_day else pad_day(d.day)
    text = f"ngày {day} tháng {pad_month(d.month)} năm {d.year}"
    return f"{place}, {text}" if place else text


def vn_date_short(d: dt.date | str, with_year: bool = True) -> str:
    """``24/8/2023``, ``05/01/2021``; without the year: ``24/8``. ``d`` is a date or its
    ``YYYY-MM-DD`` text."""
    d = as_date(d)
    text = f"{pad_day(d.day)}/{pad_month(d.month)}"
    return f"{text}/{d.year}" if with_year else text


def vn_month(month: int | dt.date | str, year: int | bool | None = None) -> str:
    """``tháng 01/2021``, ``tháng 8/2023``; without a year ``tháng 8``. ``month`` is a number
    or a date (or its ``YYYY-MM-DD`` text): ``vn_month(period.end)`` → ``tháng 11``, with
    ``year=True`` the date's year: ``tháng 11/2022``."""
    if isinstance(month, dt.date | str):
        d = as_date(month)
        month, year = d.month, (d.year if year is True else None if year is False else year)
    elif isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValueError(f"tháng phải là số từ 1 đến 12, hoặc một ngày: {month!r}")
    if isinstance(year, bool):
        raise ValueError("vn_month(true) chỉ dùng với một ngày (period.end | vn_month(true))")
    text = f"tháng {pad_month(month)}"
    return f"{text}/{year}" if year is not None else text


def roman(n: int) -> str:
    """``3`` → ``III``; section numbers of reports (I., II., ...)."""
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0 or n >= 4000:
        raise ValueError(f"cannot write {n!r} in Roman numerals")
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def vn_money(value: object, currency: str = "đồng", decimals: int = 2) -> str:
    """Money in words of scale: ``2_500_000_000`` → ``2,5 tỷ đồng``; ``1_500_000, 'USD'`` →
    ``1,5 triệu USD``; below a million the plain number: ``10.000 USD``."""
    d = _to_decimal(value)
    if not -MAX_DIGITS <= decimals <= MAX_DIGITS:
        raise ValueError(f"số chữ số thập phân {decimals} quá lớn (giới hạn {MAX_DIGITS})")
    step = Decimal(1).scaleb(-decimals)
    for scale, word in ((Decimal(10) ** 9, "tỷ"), (Decimal(10) ** 6, "triệu")):
        # a scale is used from its own size on; rounding may lift a value of the scale below
        # into it, so 999.999.999 becomes "1 tỷ", not "1.000 triệu"
        rounded = abs((d / scale).quantize(step, rounding=ROUND_HALF_UP))
        if abs(d) >= scale or (abs(d) >= Decimal(10) ** 6 and rounded >= 1):
            q = (d / scale).quantize(step, rounding=ROUND_HALF_UP)
            return f"{vn_number(q.normalize())} {word} {currency}"
    return f"{vn_number(d)} {currency}"


def strip_accents(text: str) -> str:
    """Vietnamese without diacritics, ``đ`` → ``d``: ``Tham mưu`` → ``Tham muu``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def slugify(text: str, max_len: int = 60) -> str:
    """File-name slug: ``Tham mưu Thường trực Tỉnh ủy`` → ``tham-muu-thuong-truc-tinh-uy``."""
    plain = strip_accents(text).lower()
    out: list[str] = []
    dash = False
    for ch in plain:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    slug = "".join(out).strip("-")
    if len(slug) > max_len:
        cut = slug[: max_len + 1]
        # keep whole words: cut at the last hyphen unless the cut falls right on one
        slug = cut[:max_len] if cut.endswith("-") or "-" not in cut else cut.rsplit("-", 1)[0]
        slug = slug.strip("-")
    return slug or "hoat-dong"


def upper_vn(text: str) -> str:
    """Upper case that keeps Vietnamese letters right (``đ`` → ``Đ``)."""
    return text.upper()


FILTERS = {
    "vn_number": vn_number,
    "vn_count": vn_count,
    "vn_date": vn_date_full,
    "vn_date_short": vn_date_short,
    "vn_month": vn_month,
    "roman": roman,
    "vn_money": vn_money,
    "upper_vn": upper_vn,
}


def capfirst(text: str) -> str:
    """Upper-case the first letter only: ``từ ngày 24/8`` → ``Từ ngày 24/8``."""
    return text[:1].upper() + text[1:] if text else text
