"""Figures as reports write them: a summed metric that prints formatted, and the Vietnamese words
for a change between two scopes or a ratio of two metrics (pure; every function here is also a
filter of the configuration strings, see :data:`FILTERS`).

    {{ m.doan_ra | change(last_year.doan_ra) }}      → "tăng 25%", "giảm 30%", "bằng cùng kỳ",
                                                       "gấp 2,5 lần", "chưa có số liệu cùng kỳ"
    {{ m.vien_tro_giai_ngan_usd | percent_of(m.vien_tro_cam_ket_usd) }}   → "25,7%"

A base that is zero or missing never divides: it prints the scope's "no figure" words (or the
text given as ``missing=``) — unless it is a true zero (the scope's window holds activities of
the log, none of them with the figure): then the change is the figure itself, "tăng 07 đoàn".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ngoaivu_cli.formatting import MAX_DIGITS, _to_decimal, vn_count, vn_number

# What a change prints when its base is zero or missing, and when the two are equal, by the
# scope the base comes from (the change's own words name it: "bằng cùng kỳ", "bằng kỳ trước").
NO_BASE = {"last_year": "chưa có số liệu cùng kỳ", "ytd_last_year": "chưa có số liệu cùng kỳ",
           "previous": "chưa có số liệu kỳ trước"}
NO_BASE_DEFAULT = "chưa có số liệu để so sánh"
# ... and when it is a true zero that no multiple can be taken of (``times``)
ZERO_BASE = {"last_year": "cùng kỳ không có", "ytd_last_year": "cùng kỳ không có",
             "previous": "kỳ trước không có"}
ZERO_BASE_DEFAULT = "không có số liệu để so sánh"
SAME = {"last_year": "bằng cùng kỳ", "ytd_last_year": "bằng cùng kỳ", "previous": "bằng kỳ trước"}
SAME_DEFAULT = "không thay đổi"
MISSING_TEXT = "chưa có số liệu"  # a figure of a scope that does not exist (no term declared)


class Figure(str):
    """A metric summed over one scope: prints as the report writes it (``05``, ``15,5``), and
    keeps its number for :func:`change` and :func:`percent_of`. False when zero or missing, so
    ``{% if ytd.doan_ra %}`` tests the number, not the text."""

    value: int | float | None
    scope: str
    unit: str
    counted: bool  # its window holds activities of the log: a 0 is a true zero, not "no data"

    def __new__(cls, value: int | float | None, *, integer: bool = True, pad: bool = True,
                scope: str = "", unit: str = "", counted: bool = False) -> Figure:
        text = MISSING_TEXT if value is None else format_figure(value, integer, pad)
        self = super().__new__(cls, text)
        self.value = value
        self.scope = scope
        self.unit = unit
        self.counted = counted and value is not None
        return self

    def __bool__(self) -> bool:
        return bool(self.value)

    def __int__(self) -> int:
        return int(self.value or 0)

    def __float__(self) -> float:
        return float(self.value or 0)


@lru_cache(maxsize=4096, typed=True)  # a report prints each metric of every scope: mostly 0
def format_figure(value: int | float, integer: bool = True, pad: bool = True) -> str:
    """``2`` → ``02`` (a count below ten, when the office pads counts); ``15.5`` → ``15,5``."""
    if integer or float(value).is_integer():
        return vn_count(value, pad=pad)
    return vn_number(value)


def _number(value: object) -> Decimal | None:
    """The number behind a figure, a plain number or its text (``"1.100"`` → 1100); None when
    missing. A string is read as the documents write numbers: ``.`` thousands, ``,`` decimals."""
    if isinstance(value, Figure):
        return None if value.value is None else _to_decimal(value.value)
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace(".", "").replace(",", ".")
        if not text:
            return None
        return _to_decimal(text)
    return _to_decimal(value)


def _scope(value: object) -> str:
    return value.scope if isinstance(value, Figure) else ""


def _digits(value: Decimal, digits: int) -> str:
    if not -MAX_DIGITS <= int(digits) <= MAX_DIGITS:
        raise ValueError(f"số chữ số {digits} quá lớn (giới hạn {MAX_DIGITS})")
    step = Decimal(1).scaleb(-int(digits))
    return vn_number(value.quantize(step, rounding=ROUND_HALF_UP))


def _true_zero(base: object) -> bool:
    """A base that is 0 because its window's activities have none of the figure, not because
    there is no data for it (a :class:`Figure` of a scope whose window holds activities)."""
    return isinstance(base, Figure) and base.counted and base.value == 0


def _amount(value: object, base: object) -> str:
    """``07 đoàn``: a figure as its sentence prints it, with its unit when known."""
    unit = next((f.unit for f in (value, base) if isinstance(f, Figure) and f.unit), "")
    text = str(value) if isinstance(value, Figure) else vn_number(_to_decimal(value))
    return f"{text} {unit}".strip()


def change(value: object, base: object, digits: int = 0, missing: str | None = None,
           same: str | None = None, times_from: float | None = 2, zero: str | None = None
           ) -> str:
    """The change from ``base`` to ``value`` as reports write it.

    ``tăng 25%`` / ``giảm 30%`` (``digits`` decimals, Vietnamese comma); ``gấp 2,5 lần`` from
    ``times_from`` times the base on (None: always a percentage); equal: ``same`` or the base
    scope's words ("bằng cùng kỳ"); a missing base, or a zero with no data behind it (the
    scope's window holds no activity): ``missing`` or the scope's words ("chưa có số liệu cùng
    kỳ"); a true zero (activities, none with the figure): ``zero`` or the figure itself, "tăng
    07 đoàn". A change that rounds to 0% is "equal".
    """
    scope = _scope(base)
    now, then = _number(value), _number(base)
    same_words = same if same is not None else SAME.get(scope, SAME_DEFAULT)
    if now is not None and then == 0 and _true_zero(base):
        if now == 0:
            return same_words
        return zero if zero is not None else f"tăng {_amount(value, base)}"
    if then is None or then == 0 or now is None:
        return missing if missing is not None else NO_BASE.get(scope, NO_BASE_DEFAULT)
    ratio = now / then
    if times_from is not None and ratio >= Decimal(str(times_from)):
        return f"gấp {_digits(ratio, max(1, int(digits)))} lần"
    pct = (ratio - 1) * 100
    shown = _digits(abs(pct), digits)
    if _to_decimal(shown.replace(".", "").replace(",", ".")) == 0:
        return same_words
    return f"{'tăng' if pct > 0 else 'giảm'} {shown}%"


def times(value: object, base: object, digits: int = 1, missing: str | None = None) -> str:
    """``gấp 2,5 lần``: ``value`` as a multiple of ``base`` (zero or missing base: ``missing``)."""
    now, then = _number(value), _number(base)
    if then is None or then == 0 or now is None:
        if missing is None and _true_zero(base):
            return ZERO_BASE.get(_scope(base), ZERO_BASE_DEFAULT)
        return missing if missing is not None else NO_BASE.get(_scope(base), NO_BASE_DEFAULT)
    return f"gấp {_digits(now / then, digits)} lần"


def percent_of(value: object, whole: object, digits: int = 1, missing: str | None = None) -> str:
    """``value`` as a percentage of ``whole``: ``25,7%`` (a disbursement rate); a zero or
    missing ``whole`` prints ``missing`` (default "chưa có số liệu")."""
    part, total = _number(value), _number(whole)
    if total is None or total == 0 or part is None:
        return missing if missing is not None else MISSING_TEXT
    return f"{_digits(part / total * 100, digits)}%"


FILTERS = {"change": change, "times": times, "percent_of": percent_of}
