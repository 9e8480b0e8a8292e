"""Validation stage: rules over loaded entries, each a small function with a stable code.

Every rule has the signature ``check_x(entries, config) -> list[Problem]`` and a docstring that
states it; :data:`DEFAULT_CHECKS` is the registry ``ngoaivu validate`` runs. Structural
problems (YAML syntax, types, impossible dates) are found earlier, by the loader.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import WARNING, Problem
from ngoaivu_cli.log.entries import REVIEW_CATEGORY, Entry, approx_label
from ngoaivu_cli.log.loader import FILE_NAME_RE
from ngoaivu_cli.official import check_official
from ngoaivu_cli.yamlread import suggest

Check = Callable[[list[Entry], Config], list[Problem]]

# Characters that TCVN3 (ABC) puts where Unicode has Vietnamese letters; none of them is used in
# Unicode Vietnamese text ("B¸o c¸o" is "Báo cáo" read with the wrong font).
_TCVN3 = set("¸µ¶·¹¨©ª«¬®¯°±²³´½¾ÆÇËÌÎÏÒ×ØÜÞßåæçîþ")
_TCVN3_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3))) + "]")
# VNI writes a base vowel followed by a mark character ("Baùo caùo", "Vieät", "Ñoàng"): tone
# marks ù ø û õ ï right after a vowel never occur in Unicode Vietnamese nor in foreign names,
# while ä ë ö ñ alone do (Malmö, Muñoz, Zoë), so they only count next to a tone mark pair.
_VNI_TONE = re.compile(r"[aeiouyAEIOUY][ùøûõïÙØÛÕÏ]")
_VNI_OTHER = re.compile(r"[aeiouyAEIOUY][äëöâêôÄËÖÂÊÔ]|[ñÑ][aeiouAEIOU]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# a text without any of these has no legacy encoding (every TCVN3 mark; every VNI pattern needs
# a tone mark) and no control character
# the superscript digits of TCVN3 (ơ ư read as ¹ ²...) are also footnote marks of Unicode text
# ("đồng²"): they count only in a text without a Vietnamese letter TCVN3 cannot write (a
# Unicode letter beyond Latin-1, "ồ", "đ", "ư"), which text in that encoding never has
_SUPERSCRIPTS = "¹²³"
_TCVN3_RE_NO_SUP = re.compile("[" + re.escape("".join(sorted(_TCVN3 - set(_SUPERSCRIPTS)))) + "]")
_UNICODE_VI = re.compile("[\u0100-\u024f\u1ea0-\u1ef9]")
_SUSPECT = re.compile("[" + re.escape("".join(sorted(_TCVN3)) + "ùøûõïÙØÛÕÏ")
                      + r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _problem(entry: Entry, field: str, code: str, message: str, hint: str | None = None,
             severity: str = "error") -> Problem:
    return Problem(entry.field_loc(field), code, message, field, hint, severity)


def _texts(entry: Entry) -> Iterable[tuple[str, str]]:
    if entry.summary:
        yield "summary", entry.summary
    if entry.footnote:
        yield "footnote", entry.footnote
    if entry.group:
        yield "group", entry.group
    for name in ("tags", "partners"):
        for value in getattr(entry, name):
            yield name, value


def check_references(entries: list[Entry], config: Config) -> list[Problem]:
    """category, unit and every metric name must be declared in the configuration (with the
    closest known name as a hint); computed metrics (``sum_of``) cannot be written directly."""
    out = []
    cats = list(config.categories)
    for e in entries:
        if e.category is not None and e.category not in config.categories \
                and e.category != REVIEW_CATEGORY:
            guess = suggest(e.category, cats) or _label_match(e.category, config)
            out.append(_problem(e, "category", "E-UNKNOWN-CATEGORY",
                                f'lĩnh vực "{e.category}" không có trong cấu hình',
                                f"có phải ý bạn là `{guess}`?" if guess
                                else "xem danh sách bằng `ngoaivu schema` hoặc mục categories "
                                     "trong ngoaivu.yaml"))
        if e.unit is not None and e.unit not in config.units:
            guess = suggest(e.unit, list(config.units))
            out.append(_problem(e, "unit", "E-UNKNOWN-UNIT", f'đơn vị "{e.unit}" không có trong '
                                "cấu hình",
                                f"có phải ý bạn là `{guess}`?" if guess
                                else "các đơn vị: " + ", ".join(config.units)))
        for name, _value in e.metrics:
            metric = config.metrics.get(name)
            if metric is None:
                guess = suggest(name, list(config.metrics))
                out.append(_problem(e, f"metrics.{name}", "E-UNKNOWN-METRIC",
                                    f"số liệu `{name}` không có trong cấu hình",
                                    f"có phải ý bạn là `{guess}`?" if guess
                                    else "khai báo nó trong mục metrics của ngoaivu.yaml"))
            elif metric.sum_of:
                out.append(_problem(e, f"metrics.{name}", "E-METRIC-DERIVED",
                                    f"số liệu `{name}` được tính tự động, không ghi trực tiếp",
                                    "ghi các số liệu thành phần: " + ", ".join(metric.sum_of)))
    return out


def check_review(entries: list[Entry], config: Config) -> list[Problem]:
    """An entry ``ngoaivu import`` could not place (category ``xem_lai``) is a warning until
    someone gives it its real category."""
    return [_problem(e, "category", "W-REVIEW", "hoạt động nhập từ văn bản cũ chưa xếp được "
                     "lĩnh vực", "ghi lĩnh vực đúng vào `category` (xem `ngoaivu schema`)",
                     severity=WARNING)
            for e in entries if e.category == REVIEW_CATEGORY]


def _label_match(value: str, config: Config) -> str | None:
    """A category written by its Vietnamese label instead of its key."""
    for key, cat in config.categories.items():
        if cat.label.lower() == value.lower():
            return key
    return None


def check_metric_values(entries: list[Entry], config: Config) -> list[Problem]:
    """A metric is a count or an amount: never negative; whole for metrics declared integer."""
    out = []
    for e in entries:
        for name, value in e.metrics:
            if value < 0:
                out.append(_problem(e, f"metrics.{name}", "E-METRIC-VALUE",
                                    f"số liệu `{name}` không được âm ({value})",
                                    "ghi số lượng đã thực hiện, từ 0 trở lên"))
            metric = config.metrics.get(name)
            if metric and metric.integer and isinstance(value, float) and not value.is_integer():
                out.append(_problem(e, f"metrics.{name}", "E-METRIC-VALUE",
                                    f"số liệu `{name}` phải là số nguyên ({metric.unit}), không "
                                    f"phải {value}", "làm tròn, hoặc khai báo `integer: false` "
                                    "cho số liệu này trong ngoaivu.yaml"))
    return out


def check_dates(entries: list[Entry], config: Config) -> list[Problem]:
    """``end`` is not before ``date``, and a multi-day activity lasts at most
    ``periods.max_activity_days`` days (reports look back that far for running activities)."""
    out = []
    for e in entries:
        if e.date and e.end and not e.approx:  # a month or a quarter: its own span
            if e.end < e.date:
                out.append(_problem(e, "end", "E-DATE-ORDER",
                                    f"ngày kết thúc {e.end.isoformat()} trước ngày bắt đầu "
                                    f"{e.date.isoformat()}",
                                    "kiểm tra lại `date` và `end`, hoặc bỏ `end` với hoạt động "
                                    "một ngày"))
            elif (e.end - e.date).days + 1 > config.max_activity_days:
                out.append(_problem(e, "end", "E-DATE-SPAN",
                                    f"hoạt động kéo dài {(e.end - e.date).days + 1} ngày, quá "
                                    f"{config.max_activity_days} ngày",
                                    "tách thành nhiều hoạt động, hoặc tăng "
                                    "`periods.max_activity_days` trong ngoaivu.yaml"))
    return out


def check_file_names(entries: list[Entry], config: Config) -> list[Problem]:
    """A file is named ``YYYY-MM-DD-<slug>.yaml`` after the date of its entries (warning when
    the name does not follow it; error when the name's date differs from ``date``)."""
    out = []
    warned: set[str] = set()
    for e in entries:
        name = _file_name(e.loc.path)
        if e.approx:
            out.extend(_approx_name(e, name))
            continue
        if e.date is not None and name[:10] == e.date.isoformat() and FILE_NAME_RE.match(name):
            continue  # the usual case: named after its own (real) date
        m = FILE_NAME_RE.match(name)
        if not m:
            if e.loc.path not in warned:
                warned.add(e.loc.path)
                expected = (f"{e.date.isoformat()}-<mo-ta-ngan>.yaml" if e.date
                            else "YYYY-MM-DD-<mo-ta-ngan>.yaml")
                out.append(Problem(e.loc.__class__(e.loc.path), "W-FILENAME",
                                   "tên tệp không theo mẫu YYYY-MM-DD-<mo-ta>.yaml (validate vẫn "
                                   "đọc, nhưng báo cáo theo kỳ có thể bỏ qua tệp này)",
                                   "-", f"đổi tên thành {expected} (chữ thường, không dấu, "
                                   "nối bằng dấu -)", WARNING))
            continue
        try:
            named = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            out.append(_problem(e, "date", "E-DATE-FILENAME", f"tên tệp chứa ngày không tồn tại "
                                f"({m[1]}-{m[2]}-{m[3]})", "đổi tên tệp theo ngày của hoạt động"))
            continue
        if e.date and e.date != named:
            out.append(_problem(e, "date", "E-DATE-FILENAME",
                                f"ngày trong tệp ({e.date.isoformat()}) khác ngày trong tên tệp "
                                f"({named.isoformat()})",
                                f"sửa `date`, hoặc đổi tên tệp thành {e.date.isoformat()}-"
                                f"{m[4]}.yaml"))
    return out


# a plan known only to a month or a quarter: data/YYYY/YYYY-MM-<slug>.yaml, data/YYYY/YYYY-qN-...
APPROX_NAME_RE = re.compile(r"(\d{4})-(\d{2}|q[1-4])-([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml\Z")


def _approx_name(e: Entry, name: str) -> list[Problem]:
    """A month or quarter plan is named after it (``2024-12-...``, ``2024-q1-...``), in the
    year's folder: reports of any period of that year open it."""
    stem = e.approx or ""
    m = APPROX_NAME_RE.match(name)
    if m and f"{m[1]}-{m[2]}" == stem and not FILE_NAME_RE.match(name):
        return []
    year = stem[:4]
    slug = m[3] if m else "<mo-ta-ngan>"
    return [_problem(e, "date", "E-DATE-FILENAME", f"kế hoạch {approx_label(stem)} phải nằm "
                     f"trong tệp {stem}-<mo-ta>.yaml (tên tệp: {name})",
                     f"đổi tên tệp thành {stem}-{slug}.yaml, đặt trong thư mục data/{year}/ "
                     "(xem docs/nhat-ky.md, mục “Kế hoạch chưa rõ ngày”)")]


def check_folders(entries: list[Entry], config: Config) -> list[Problem]:
    """A dated file kept in a ``YYYY`` or ``YYYY/MM`` folder sits in the folder of its date:
    reports for a period only open the folders of that period (warning)."""
    out = []
    seen: set[str] = set()
    for e in entries:
        if e.loc.path in seen:
            continue
        seen.add(e.loc.path)
        grand, parent, name = _last_parts(e.loc.path)
        if not grand:  # shown from inside data/2023 (say): the folders are above the working one
            grand, parent, name = _last_parts(os.path.abspath(e.loc.path).replace(os.sep, "/"))
        if e.approx:
            if parent != e.approx[:4]:
                out.append(Problem(e.loc.__class__(e.loc.path), "W-FOLDER",
                                   f"kế hoạch {approx_label(e.approx)} nằm trong thư mục "
                                   f"{PurePosixPath(e.loc.path).parent}: báo cáo theo kỳ có thể "
                                   "bỏ sót nó", "-", f"chuyển tệp vào thư mục {e.approx[:4]}/ "
                                   "(thư mục năm, không phải thư mục tháng)", WARNING))
            continue
        m = FILE_NAME_RE.match(name)
        if not m:
            continue
        if _TWO_DIGITS.fullmatch(parent) and _FOUR_DIGITS.fullmatch(grand):
            wrong = (grand, parent) != (m[1], m[2])
        elif _FOUR_DIGITS.fullmatch(parent):
            wrong = parent != m[1]
        else:
            continue
        if wrong:
            out.append(Problem(e.loc.__class__(e.loc.path), "W-FOLDER",
                               f"tệp ngày {m[3]}/{m[2]}/{m[1]} nằm trong thư mục "
                               f"{PurePosixPath(e.loc.path).parent}: "
                               "báo cáo theo kỳ có thể bỏ sót nó", "-",
                               f"chuyển tệp vào thư mục {m[1]}/{m[2]}/", WARNING))
    return out


_TWO_DIGITS = re.compile(r"\d{2}")
_FOUR_DIGITS = re.compile(r"\d{4}")


def _plain(shown: str) -> bool:
    """A path string that ``PurePosixPath`` would not change (shown paths almost always are)."""
    return not ("//" in shown or "/." in shown or shown.startswith(".") or shown.endswith("/"))


def _file_name(shown: str) -> str:
    """``PurePosixPath(shown).name``, without building a path when it is not needed."""
    return shown.rpartition("/")[2] if _plain(shown) else PurePosixPath(shown).name


def _last_parts(shown: str) -> tuple[str, str, str]:
    """Names of the grandparent folder, the parent folder and the file of a shown path ("" when
    absent), as ``PurePosixPath`` gives them."""
    if not _plain(shown):
        p = PurePosixPath(shown)
        return p.parent.parent.name, p.parent.name, p.name
    parts = shown.rsplit("/", 2)
    if len(parts) == 3:
        return parts[0].rpartition("/")[2], parts[1], parts[2]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return "", "", parts[0]


def check_summary(entries: list[Entry], config: Config) -> list[Problem]:
    """``summary`` holds the sentence the report prints: it cannot be empty or blank."""
    return [
        _problem(e, "summary", "E-SUMMARY-EMPTY", "nội dung (summary) để trống",
                 "ghi nội dung hoạt động đúng như sẽ in trong báo cáo")
        for e in entries
        if e.summary is not None and not e.summary.strip()
    ]


def check_unicode(entries: list[Entry], config: Config) -> list[Problem]:
    """Text is Unicode NFC (warning: NFD from some keyboards prints oddly in Word); text that
    looks like legacy TCVN3 (ABC) or VNI encoding is an error; control characters are errors."""
    out = []
    suspect, normalized = _SUSPECT.search, unicodedata.is_normalized
    for e in entries:
        for field, text in _texts(e):
            if suspect(text) is None and normalized("NFC", text):
                continue  # the usual case: nothing below can apply
            encoding = legacy_encoding(text)
            if encoding:
                out.append(_problem(e, field, "E-LEGACY-ENCODING",
                                    f'chữ "{_clip(text)}" có vẻ gõ bằng bảng mã {encoding}, '
                                    "không phải Unicode",
                                    f"chuyển mã từ {encoding} sang Unicode (Unikey: Công cụ "
                                    "chuyển mã, hoặc gõ lại bằng bảng mã Unicode)"))
            elif _CONTROL.search(text):
                out.append(_problem(e, field, "E-TEXT-CONTROL",
                                    "nội dung chứa ký tự điều khiển không in được",
                                    "xóa ký tự lạ (thường do sao chép từ PDF hoặc phần mềm khác)"))
            elif not unicodedata.is_normalized("NFC", text):
                out.append(_problem(e, field, "W-NFC",
                                    "chữ không ở dạng Unicode dựng sẵn (NFC)",
                                    "gõ lại bằng Unicode dựng sẵn; báo cáo sẽ tự chuẩn hóa về NFC",
                                    WARNING))
    return out


def legacy_encoding(text: str) -> str | None:
    """``"TCVN3 (ABC)"`` or ``"VNI"`` when text looks typed in that legacy encoding, else None."""
    if text.isascii():
        return None  # every TCVN3 or VNI mark is outside ASCII
    marks = _TCVN3_RE_NO_SUP if _UNICODE_VI.search(text) else _TCVN3_RE
    tcvn = len(marks.findall(text))
    tones = len(_VNI_TONE.findall(text))
    vni = tones + len(_VNI_OTHER.findall(text)) if tones else 0
    if tcvn >= 2 and tcvn >= vni:
        return "TCVN3 (ABC)"
    if vni >= 2:
        return "VNI"
    return None


def _clip(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _same_text(summary: str) -> str:
    """A summary as compared for duplicates: NFC, spaces collapsed, letter case and the final
    punctuation ignored ("Họp báo." and "họp báo" are the same activity)."""
    text = " ".join(unicodedata.normalize("NFC", summary).split()).casefold()
    return text.rstrip(" .;,:!")


def check_duplicates(entries: list[Entry], config: Config) -> list[Problem]:
    """The same activity (same date, category and summary, up to spaces, letter case and final
    punctuation) is written only once in the log."""
    ordered = sorted(entries, key=lambda x: (x.loc.path, x.loc.line))
    return Duplicates(ordered.__getitem__).check(enumerate(ordered))


class Duplicates:
    """:func:`check_duplicates` over entries given in (path, line) order, a few at a time: for
    each activity seen it keeps a hash of its key and a number saying where it is (the
    caller's), not the entry, so a log of any size is checked in little memory. ``entry_at``
    gives the entry of such a number back; it is asked only when a hash was seen before, and
    the keys are compared, so two different activities with the same hash are never taken for
    duplicates."""

    def __init__(self, entry_at: Callable[[int], Entry | None]) -> None:
        self._entry_at = entry_at
        self._first = _Numbers()  # hash of a key → where its first entry is
        self._exact: dict[tuple[object, ...], int] = {}  # keys whose hash was another's

    def check(self, entries: Iterable[tuple[int, Entry]]) -> list[Problem]:
        """Problems of the next entries (each with its number), in (path, line) order."""
        out = []
        for where, e in entries:
            key = _duplicate_key(e)
            if key is None:
                continue
            first = self._first_of(key, where)
            if first is None:
                continue
            same_file = first.loc.path == e.loc.path
            out.append(_problem(e, "summary", "E-DUPLICATE-ENTRY",
                                f"hoạt động này trùng với {first.loc.path}:{first.loc.line} "
                                "(cùng ngày, lĩnh vực và nội dung)",
                                "xóa một trong hai hoạt động" if same_file
                                else "xóa một trong hai tệp"))
        return out

    def _first_of(self, key: tuple[object, ...], where: int) -> Entry | None:
        """The first entry with ``key`` when one was seen before, else None (and remember it)."""
        h = hash(key)
        owner = self._first.setdefault(h, where)
        if owner == where:
            return None
        first = self._entry_at(owner)
        if first is not None and _duplicate_key(first) == key:
            return first
        # another activity with the same hash (about one chance in 10^9 in a log of a
        # million entries): keep this key whole
        owner = self._exact.setdefault(key, where)
        return None if owner == where else self._entry_at(owner)


class _Numbers:
    """``dict.setdefault`` for int keys and values ≥ 0, kept in two arrays (16 bytes a slot,
    at least half of them free) instead of a dict of int objects (about 110 bytes an item):
    the hashes of 100,000 activities in 4 MB."""

    def __init__(self) -> None:
        self._mask = (1 << 12) - 1
        self._keys = array("q", bytes(8 << 12))
        self._values = array("q", [-1]) * (1 << 12)  # -1: a free slot
        self._used = 0

    def setdefault(self, key: int, value: int) -> int:
        mask, keys, values = self._mask, self._keys, self._values
        i = key & mask
        while True:
            there = values[i]
            if there < 0:
                keys[i] = key
                values[i] = value
                self._used += 1
                if self._used * 2 > mask:
                    self._grow()
                return value
            if keys[i] == key:
                return there
            i = (i + 1) & mask

    def _grow(self) -> None:
        keys, values = self._keys, self._values
        size = len(values) * 2
        self._mask = size - 1
        self._keys = array("q", bytes(8 * size))
        self._values = array("q", [-1]) * size
        self._used = 0
        for key, value in zip(keys, values, strict=True):
            if value >= 0:
                self.setdefault(key, value)


def _duplicate_key(e: Entry) -> tuple[object, ...] | None:
    if not (e.date and e.category and e.summary):
        return None
    return (e.date, e.category, _same_text(e.summary))


DEFAULT_CHECKS: tuple[Check, ...] = (
    check_references,
    check_metric_values,
    check_dates,
    check_file_names,
    check_folders,
    check_summary,
    check_unicode,
    check_duplicates,
    check_review,
    check_official,
)
# the rules that look at one file at a time (all but duplicates): ``validate`` runs them on a
# few files at a time as it reads the log, and :class:`Duplicates` over the whole of it
PER_FILE_CHECKS = tuple(c for c in DEFAULT_CHECKS if c is not check_duplicates)


def validate_entries(entries: list[Entry], config: Config,
                     checks: Iterable[Check] = DEFAULT_CHECKS) -> list[Problem]:
    """Run every rule over the entries; problems in no particular order."""
    out: list[Problem] = []
    for check in checks:
        out.extend(check(entries, config))
    return out


# problems about a whole file: no excerpt (the file may be huge, binary or unreadable)
_WHOLE_FILE = {"W-FILENAME", "W-FOLDER", "E-FILE-SIZE", "E-ENCODING", "E-READ", "E-EMPTY",
               "E-SOURCE-LINK",  # a link out of a source: its target is never read
               "E-MORE"}


def attach_excerpts(problems: list[Problem], read: Callable[[str], list[str] | None]) -> list[Problem]:
    """Add the source line to problems found after loading (their file is read again once)."""
    cache: dict[str, list[str] | None] = {}
    out = []
    for p in problems:
        if p.excerpt is None and p.loc.line > 0 and p.code not in _WHOLE_FILE:
            if p.loc.path not in cache:
                cache[p.loc.path] = read(p.loc.path)
            lines = cache[p.loc.path]
            if lines and p.loc.line <= len(lines):
                line = lines[p.loc.line - 1]
                rest = line[p.loc.col - 1:]
                # count what a terminal shows: combining marks take no column
                span = max(1, len(unicodedata.normalize("NFC", rest.rstrip())))
                p = Problem(p.loc, p.code, p.message, p.field, p.hint, p.severity, line, span)
        out.append(p)
    return out
