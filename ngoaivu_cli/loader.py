"""Loading stage: files of the log → (entries, problems), keeping the position of every field.

Files are found under the given paths (``data/**/*.yaml``); with a period window, files whose
name date lies outside it are not even opened, so the cost of a report follows its period.
Each file holds one entry (a mapping) or several (a list of mappings).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ngoaivu_cli.entries import FIELDS, REQUIRED, STATUSES, Entry
from ngoaivu_cli.errors import ERROR, WARNING, Problem, SourceLoc, display_path
from ngoaivu_cli.yamlread import YMap, YNode, YScalar, YSeq, parse_documents, suggest, type_name

FILE_NAME_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml\Z")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_DMY_RE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\Z")
YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 1_000_000  # an entry file is a few hundred bytes; refuse absurd ones


@dataclass
class LoadResult:
    """Everything read from the log: entries, problems, and how many files were looked at."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    def extend(self, other: LoadResult) -> None:
        self.entries.extend(other.entries)
        self.problems.extend(other.problems)
        self.files += other.files


@dataclass(frozen=True)
class Window:
    """Only files whose name date is in ``[start - lookback, end]`` are read (misnamed: always)."""

    start: dt.date
    end: dt.date  # inclusive
    lookback_days: int = 31

    def keeps(self, d: dt.date) -> bool:
        return self.start - dt.timedelta(days=self.lookback_days) <= d <= self.end


def name_date(path: Path) -> dt.date | None:
    """The date in a file name ``YYYY-MM-DD-<slug>.yaml``, or None when the name does not follow it."""
    m = FILE_NAME_RE.match(path.name)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def find_files(paths: Iterable[Path], window: Window | None = None,
               base: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """YAML files under ``paths``, sorted; unreadable folders become problems, never silence."""
    found: list[Path] = []
    problems: list[Problem] = []
    for root in paths:
        if root.is_file() or (not root.exists() and root.suffix in YAML_SUFFIXES):
            found.append(root)
            continue
        if not root.exists():
            problems.append(Problem(SourceLoc(display_path(root, base)), "E-READ",
                                    "không tìm thấy tệp hoặc thư mục",
                                    hint="kiểm tra lại đường dẫn"))
            continue
        found.extend(_walk(root, window, base, problems))
    return sorted(set(found)), problems


def _walk(root: Path, window: Window | None, base: Path | None,
          problems: list[Problem]) -> list[Path]:
    out: list[Path] = []

    def onerror(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        problems.append(Problem(SourceLoc(display_path(where, base)), "E-READ",
                                f"không đọc được thư mục: {exc.strerror or exc}",
                                hint="kiểm tra quyền truy cập thư mục"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if window is not None:
            dirnames[:] = [d for d in dirnames if _dir_in_window(Path(dirpath), d, window)]
        for name in filenames:
            if not name.endswith(YAML_SUFFIXES) or name.startswith("."):
                continue
            path = Path(dirpath, name)
            if window is not None:
                d = name_date(path)
                if d is not None and not window.keeps(d):
                    continue
            out.append(path)
    return out


def _dir_in_window(parent: Path, name: str, window: Window) -> bool:
    """Prune ``YYYY`` and ``YYYY/MM`` folders that cannot hold a file of the window."""
    lo = window.start - dt.timedelta(days=window.lookback_days)
    if re.fullmatch(r"\d{4}", name):
        return lo.year <= int(name) <= window.end.year
    if re.fullmatch(r"\d{2}", name) and re.fullmatch(r"\d{4}", parent.name):
        month = int(parent.name) * 12 + int(name) - 1
        return lo.year * 12 + lo.month - 1 <= month <= window.end.year * 12 + window.end.month - 1
    return True


def load_paths(paths: Iterable[Path], window: Window | None = None,
               base: Path | None = None) -> LoadResult:
    """Load every entry file under ``paths`` (optionally only those of a window)."""
    files, problems = find_files(paths, window, base)
    result = LoadResult(problems=problems)
    for path in files:
        result.extend(load_file(path, base))
    return result


def load_file(path: Path, base: Path | None = None) -> LoadResult:
    """Read one file: decode strictly as UTF-8, compose YAML, build its entries."""
    shown = display_path(path, base)
    result = LoadResult(files=1)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            result.problems.append(Problem(
                SourceLoc(shown), "E-FILE-SIZE",
                f"tệp quá lớn ({size:,} byte) cho một tệp hoạt động".replace(",", "."),
                hint="mỗi tệp chỉ ghi một hoặc vài hoạt động; hãy tách hoặc xóa nội dung thừa"))
            return result
        raw = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem(SourceLoc(shown), "E-READ",
                                       f"không đọc được tệp: {exc.strerror or exc}",
                                       hint="kiểm tra quyền đọc tệp"))
        return result
    text, problem = decode_utf8(raw, shown)
    if problem:
        result.problems.append(problem)
        return result
    result.extend(load_text(text, shown))
    result.files = 1
    return result


def decode_utf8(raw: bytes, shown: str) -> tuple[str, Problem | None]:
    """Strict UTF-8 (a BOM is allowed); the problem points at the first bad byte's line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = "UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "Windows-1258/TCVN3/VNI"
        return "", Problem(SourceLoc(shown, line, col), "E-ENCODING",
                           f"tệp không phải UTF-8 (byte 0x{raw[exc.start]:02X} không hợp lệ)",
                           hint=f"có thể tệp được lưu bằng bảng mã {guess}; mở bằng trình soạn "
                                "thảo và lưu lại với mã hóa UTF-8")
    if "\x00" in text:
        return "", Problem(SourceLoc(shown), "E-ENCODING", "tệp chứa ký tự NUL (tệp nhị phân?)",
                           hint="tệp hoạt động phải là văn bản YAML lưu bằng UTF-8")
    return text, None


def load_text(text: str, shown: str) -> LoadResult:
    """Entries of one file's text; ``shown`` is the path printed in problems."""
    result = LoadResult()
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        result.problems.append(Problem(SourceLoc(shown), "E-EMPTY", "tệp rỗng, không có hoạt động nào",
                                       hint="ghi ít nhất các trường date, category, summary "
                                            "hoặc xóa tệp"))
        return result
    docs, problems = parse_documents(text, shown)
    result.problems.extend(problems)
    lines = text.splitlines()
    builder = _EntryBuilder(shown, lines, result.problems)
    index = 0
    for doc in docs:
        if isinstance(doc, YMap):
            result.entries.append(builder.build(doc, index))
            index += 1
        elif isinstance(doc, YSeq):
            for item in doc.items:
                if isinstance(item, YMap):
                    result.entries.append(builder.build(item, index))
                    index += 1
                else:
                    builder.problem(item, "E-TOP-LEVEL",
                                    f"mỗi phần tử của danh sách phải là một hoạt động (bảng "
                                    f"khóa: giá trị), không phải {type_name(item)}",
                                    hint="mỗi hoạt động bắt đầu bằng `- date: ...`")
        else:
            builder.problem(doc, "E-TOP-LEVEL",
                            f"tệp phải chứa một hoạt động (bảng khóa: giá trị) hoặc một danh "
                            f"sách hoạt động, không phải {type_name(doc)}",
                            hint="viết mỗi trường trên một dòng: `date: 2023-08-28`")
    return result


def parse_date_text(text: str) -> tuple[dt.date | None, str | None, str | None, str]:
    """Strict date parsing: (date, problem code, message, hint); only ``YYYY-MM-DD`` is valid."""
    text = text.strip()
    m = _ISO_DATE_RE.match(text)
    if m and len(m[2]) == 2 and len(m[3]) == 2:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        try:
            return dt.date(y, mo, d), None, None, ""
        except ValueError:
            return None, "E-DATE-INVALID", _impossible(y, mo, d), "ngày phải viết YYYY-MM-DD"
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        try:
            iso = dt.date(y, mo, d).isoformat()
        except ValueError:
            return None, "E-DATE-INVALID", _impossible(y, mo, d), "ngày phải viết YYYY-MM-DD"
        return (None, "E-DATE-INVALID", f'ngày "{text}" phải có đủ hai chữ số cho tháng và ngày',
                f"viết `{iso}`")
    m = _DMY_RE.match(text)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        try:
            iso = dt.date(y, mo, d).isoformat()
        except ValueError:
            return None, "E-DATE-INVALID", _impossible(y, mo, d), "ngày phải viết YYYY-MM-DD"
        return (None, "E-DATE-DMY", f'ngày "{text}" viết theo kiểu ngày/tháng/năm',
                f"viết theo ISO: `{iso}` (năm-tháng-ngày)")
    return (None, "E-DATE-INVALID", f'"{text}" không phải là ngày',
            "ngày phải viết YYYY-MM-DD, ví dụ 2023-08-28")


def _impossible(y: int, mo: int, d: int) -> str:
    if not 1 <= mo <= 12:
        return f"tháng {mo} không tồn tại (ngày {d:02d}/{mo:02d}/{y})"
    import calendar

    days = calendar.monthrange(y, mo)[1]
    return f"ngày {d:02d}/{mo:02d}/{y} không tồn tại (tháng {mo:02d}/{y} có {days} ngày)"


class _EntryBuilder:
    """Reads one mapping into an :class:`Entry`, recording type problems as it goes."""

    def __init__(self, shown: str, lines: list[str], problems: list[Problem]) -> None:
        self.shown = shown
        self.lines = lines
        self.problems = problems

    def problem(self, node: YNode, code: str, message: str, *, field: str = "-",
                hint: str | None = None, severity: str = ERROR, span: int = 1) -> None:
        excerpt = self.lines[node.line - 1] if 0 < node.line <= len(self.lines) else None
        if span == 1 and isinstance(node, YScalar) and excerpt is not None:
            span = max(1, min(len(node.value), len(excerpt) - node.col + 1))
        self.problems.append(Problem(SourceLoc(self.shown, node.line, node.col), code, message,
                                     field, hint, severity, excerpt, span))

    def build(self, node: YMap, index: int) -> Entry:
        values: dict[str, object] = {}
        positions: list[tuple[str, int, int]] = []
        for key, (key_node, value) in node.pairs.items():
            if key not in FIELDS:
                guess = suggest(key, FIELDS.keys())
                self.problem(key_node, "E-UNKNOWN-FIELD", f"trường `{key}` không được phép",
                             field=key,
                             hint=(f"có phải ý bạn là `{guess}`?" if guess else
                                   "các trường được phép: " + ", ".join(FIELDS)))
                continue
            positions.append((key, value.line, value.col))
            if key == "metrics" and isinstance(value, YMap):
                positions.extend((f"metrics.{name}", k.line, k.col)
                                 for name, (k, _v) in value.pairs.items())
            values[key] = self._read(key, value)
        for name in REQUIRED:
            if name not in node.pairs:
                self.problem(node, "E-MISSING-FIELD", f"thiếu trường bắt buộc `{name}`",
                             field=name, hint=f"thêm dòng `{name}: ...` ({FIELDS[name].description})")
        status = values.get("status")
        return Entry(
            loc=SourceLoc(self.shown, node.line, node.col),
            date=values.get("date"),  # type: ignore[arg-type]
            category=values.get("category"),  # type: ignore[arg-type]
            summary=values.get("summary"),  # type: ignore[arg-type]
            status=status if isinstance(status, str) else "done",
            end=values.get("end"),  # type: ignore[arg-type]
            unit=values.get("unit"),  # type: ignore[arg-type]
            tags=values.get("tags") or (),  # type: ignore[arg-type]
            partners=values.get("partners") or (),  # type: ignore[arg-type]
            metrics=values.get("metrics") or (),  # type: ignore[arg-type]
            footnote=values.get("footnote"),  # type: ignore[arg-type]
            positions=tuple(positions),
            index=index,
        )

    def _read(self, key: str, node: YNode) -> object:
        kind = FIELDS[key].kind
        if kind == "list":
            return self._str_list(key, node)
        if kind == "metrics":
            return self._metrics(node)
        if not isinstance(node, YScalar):
            self.problem(node, "E-TYPE", f"`{key}` phải là một giá trị đơn, không phải "
                         f"{type_name(node)}", field=key,
                         hint="viết trên cùng dòng: `" + key + ": ...`")
            return None
        if kind == "date":
            if node.is_null:
                self.problem(node, "E-DATE-INVALID", f"`{key}` để trống", field=key,
                             hint="ngày phải viết YYYY-MM-DD, ví dụ 2023-08-28")
                return None
            value, code, message, hint = parse_date_text(node.value)
            if code:
                self.problem(node, code, message or "", field=key, hint=hint)
            return value
        if kind == "text":
            return "" if node.is_null else node.value.strip()
        if node.is_null:
            if key == "status":
                return "done"
            self.problem(node, "E-TYPE", f"`{key}` để trống", field=key,
                         hint="ghi giá trị hoặc xóa dòng này")
            return None
        value = node.value.strip()
        if kind == "status" and value not in STATUSES:
            guess = suggest(value, STATUSES)
            self.problem(node, "E-VALUE", f'trạng thái "{value}" không hợp lệ', field=key,
                         hint=(f"có phải ý bạn là `{guess}`? " if guess else "")
                         + "chỉ nhận `done` (đã làm) hoặc `planned` (kế hoạch)")
            return None
        return value

    def _str_list(self, key: str, node: YNode) -> tuple[str, ...]:
        if isinstance(node, YScalar):
            return () if node.is_null else (node.value.strip(),)
        if isinstance(node, YMap):
            self.problem(node, "E-TYPE", f"`{key}` phải là một danh sách, không phải "
                         f"{type_name(node)}", field=key, hint=f"viết `{key}: [a, b]`")
            return ()
        out: list[str] = []
        assert isinstance(node, YSeq)
        for item in node.items:
            if isinstance(item, YScalar) and not item.is_null:
                out.append(item.value.strip())
            else:
                self.problem(item, "E-TYPE", f"mỗi phần tử của `{key}` phải là một chữ, không phải "
                             f"{type_name(item)}", field=key, hint=f"viết `{key}: [a, b]`")
        return tuple(out)

    def _metrics(self, node: YNode) -> tuple[tuple[str, int | float], ...]:
        if isinstance(node, YScalar) and node.is_null:
            return ()
        if not isinstance(node, YMap):
            self.problem(node, "E-TYPE", f"`metrics` phải là bảng tên số liệu: số, không phải "
                         f"{type_name(node)}", field="metrics",
                         hint="ví dụ:\n      metrics:\n        doan_ra: 1\n        luot_ra: 5")
            return ()
        out: list[tuple[str, int | float]] = []
        for name, (_key, value) in node.pairs.items():
            number = value.number() if isinstance(value, YScalar) else None
            if number is None:
                shown = type_name(value)
                hint = "ghi một số, không đặt trong dấu nháy; số thập phân dùng dấu chấm: 15.5"
                if isinstance(value, YScalar) and re.fullmatch(r"\d+,\d+", value.value.strip()):
                    hint = f"số thập phân trong YAML dùng dấu chấm: {value.value.strip().replace(',', '.')}"
                self.problem(value, "E-METRIC-VALUE", f"số liệu `{name}` phải là một số, không "
                             f"phải {shown}", field=f"metrics.{name}", hint=hint)
                continue
            out.append((name, number))
        return tuple(out)


__all__ = [
    "FILE_NAME_RE",
    "LoadResult",
    "Window",
    "WARNING",
    "find_files",
    "load_file",
    "load_paths",
    "load_text",
    "name_date",
    "parse_date_text",
]
