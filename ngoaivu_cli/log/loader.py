"""Loading stage: files of the log → (entries, problems), keeping the position of every field.

Files are found under the given paths (``data/**/*.yaml``); with a period window, files whose
name date lies outside it are not even opened, so the cost of a report follows its period.
Each file holds one entry (a mapping) or several (a list of mappings). :func:`load_files` can
take a cache of earlier results (:mod:`ngoaivu_cli.log.cache`); nothing here imports it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol, cast

from ngoaivu_cli.confine import escapes
from ngoaivu_cli.errors import ERROR, WARNING, Problem, SourceLoc, display_path, os_reason
from ngoaivu_cli.log.entries import FIELDS, REQUIRED, STATUSES, Entry, Official
from ngoaivu_cli.log.logtree import (
    FILE_NAME_RE,
    Window,
    find_files,
    find_names,
    in_order,
    name_date,
    sort_names,
    sort_strings,
)
from ngoaivu_cli.log.quick import quick_entries
from ngoaivu_cli.periods.dates import _LOOKS_APPROX, ApproxDate, parse_approx, parse_date_text
from ngoaivu_cli.safeio import LinkOutside, NotARegularFile, decode_utf8, read_raw
from ngoaivu_cli.yamlread import (
    YMap,
    YNode,
    YScalar,
    YSeq,
    parse_documents,
    parse_simple,
    suggest,
    type_name,
)
from ngoaivu_cli.yamlread.nodes import MAX_DIGITS, NumberTooLarge

MAX_FILE_BYTES = 1_000_000  # an entry file is a few hundred bytes; refuse absurd ones
_KINDS = {name: spec.kind for name, spec in FIELDS.items()}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})  # as YScalar.is_null


class FileStamp(NamedTuple):
    """What identifies the bytes a result was read from: taken *before* reading, so a later
    change always changes the stamp (see :mod:`ngoaivu_cli.log.cache`)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    digest: int  # CRC-32 of the bytes read
    read_ns: int  # when the file was read (its timestamps may be too fresh to trust)


@dataclass
class LoadResult:
    """Everything read from the log: entries, problems, and how many files were looked at."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    stamp: FileStamp | None = field(default=None, compare=False, repr=False)  # one file's
    # read in the simple form (yamlread.parse_simple): reading it again costs about as much as
    # looking it up in a cache, so it is not cached
    cheap: bool = field(default=False, compare=False, repr=False)
    # sources left out (--skip-missing-sources), said beside what was made of the rest
    skipped: list[Problem] = field(default_factory=list, compare=False, repr=False)

    def extend(self, other: LoadResult) -> None:
        self.entries.extend(other.entries)
        self.problems.extend(other.problems)
        self.files += other.files
        self.skipped.extend(other.skipped)


class ResultCache(Protocol):
    """Where :func:`load_files` keeps results between runs (:class:`ngoaivu_cli.log.cache.ParseCache`)."""

    def has(self, path: Path | str) -> bool: ...

    def get(self, path: Path | str, shown: str, lstat: os.stat_result | None = None
            ) -> LoadResult | None: ...

    def put(self, path: Path | str, result: LoadResult) -> None: ...

    def save(self) -> None: ...


def load_paths(paths: Iterable[Path], window: Window | None = None,
               base: Path | None = None, cache: ResultCache | None = None,
               root: Path | None = None) -> LoadResult:
    """Load every entry file under ``paths`` (optionally only those of a window); with
    ``root`` (the log's root), a link under it that leads outside is a problem, never read."""
    files, problems = find_files(paths, window, base, root)
    with confined_to(root):
        if window is not None:
            files = [path for path in files if may_reach(path, window)]
        result = load_files(files, base, cache, root)
    result.problems[:0] = problems
    return result


# the log root a link must not lead out of while loading (see confined_to)
_CONFINE: ContextVar[Path | None] = ContextVar("_CONFINE", default=None)


class confined_to:  # noqa: N801 - used as a function: `with confined_to(root):`
    """Within the block, an entry file that is a symbolic link under ``root`` leading outside
    it (``data/x.yaml`` → ``~/.ssh/id_rsa``) is ``E-LINK-OUTSIDE``, and its target is never
    opened; links that stay inside ``root`` are read as before. (A class, not a generator:
    ``validate`` enters it around every file.)"""

    __slots__ = ("root", "_token")

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._token: Token[Path | None] | None = None

    def __enter__(self) -> None:
        if self.root is not None:
            self._token = _CONFINE.set(self.root)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _CONFINE.reset(self._token)
            self._token = None


def may_reach(path: Path, window: Window) -> bool:
    """Whether a file of the window can hold an activity of ``window.start..end``. A file
    named after a day before the start (the look-back) holds entries of that day (else
    validate reports E-DATE-FILENAME), so only an ``end`` can bring one into the window: its
    bytes are read and, when they never spell ``end`` (nor hold a ``\\`` escape that could
    spell it), it is not parsed. Read errors are left to :func:`load_file` to report."""
    named = name_date(path)
    if named is None or named >= window.start:
        return True
    try:
        _st, raw, _ns, _link = _read_raw(path)
    except OSError:
        return True
    return raw is None or b"end" in raw or b"\\" in raw


def load_files(files: Iterable[Path | str], base: Path | None = None,
               cache: ResultCache | None = None, root: Path | None = None) -> LoadResult:
    """Load the given entry files, in order; with a cache, unchanged files are not read;
    with ``root``, see :func:`confined_to`."""
    result = LoadResult()
    entries, problems = result.entries, result.problems
    root = root or _CONFINE.get()
    with shown_paths(base), gc_paused(), confined_to(root):
        for path in files:
            loaded = load_one(path, base, cache)
            entries.extend(loaded.entries)
            problems.extend(loaded.problems)
            result.files += loaded.files
    if cache is not None:
        cache.save()
    return result


def load_one(path: Path | str, base: Path | None = None, cache: ResultCache | None = None
             ) -> LoadResult:
    """One file's result: from the cache when it is unchanged, else read (and kept in the
    cache), confined as :func:`confined_to` was told. The caller saves the cache
    (``cache.save()``) when it is done."""
    known = cache is not None and cache.has(path)
    if known:
        try:  # one lstat: is it a link (for the shown path), and the cache's stamp
            lst: os.stat_result | None = os.lstat(path)
        except OSError:
            lst = None
        is_link = lst is None or stat.S_ISLNK(lst.st_mode)
        root = _CONFINE.get()
        if not (is_link and root is not None and escapes(root, Path(path))):
            assert cache is not None
            cached = cache.get(path, _shown(path, base, is_link), None if is_link else lst)
            if cached is not None:
                return cached
    loaded = load_file(path, base)
    # a file in the simple form is not kept (see ParseCache.put): with no record of it to
    # forget, the cache has nothing to do
    if cache is not None and (known or not loaded.cheap):
        cache.put(path, loaded)
    return loaded


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection within the block. What is loaded is kept (entries,
    problems) and holds no cycles, yet every collection would walk all of it again: ~7 % of
    ``validate`` on a big log. Reference counting still frees everything else."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ShownPaths:
    """Paths as shown to the user (:func:`display_path`), resolving each folder once instead
    of each file: for thousands of files in a hundred folders this is most of the walk's cost."""

    def __init__(self, base: Path | None) -> None:
        self.base = base
        self._folders: dict[str, str | None] = {}
        self._resolved_base: Path | None = None

    def shown(self, path: Path | str, is_link: bool | None = None) -> str:
        """``display_path(path, base)``; ``is_link`` when the caller already knows."""
        text = str(path)
        folder, _, name = text.rpartition(os.sep)
        if is_link is None:
            is_link = os.path.islink(text)
        if is_link or not name or name in (".", ".."):
            return display_path(Path(path), self.base)
        try:
            prefix = self._folders[folder]
        except KeyError:
            prefix = self._folders[folder] = self._folder(Path(path).parent)
        return display_path(Path(path), self.base) if prefix is None else prefix + name

    def _folder(self, folder: Path) -> str | None:
        """``rel/folder/``: how :func:`display_path` shows the folder, then a ``/`` (a file
        that is no link is shown as its folder and its name). Folders outside the base (a
        source's ``../so-cong-thuong/data/...``) are shown once too, not once per file."""
        base = self.base or Path.cwd()
        try:
            if self._resolved_base is None:  # once, not once a folder
                self._resolved_base = base.resolve()
            rel = folder.resolve().relative_to(self._resolved_base).as_posix()
        except (ValueError, OSError, RuntimeError):
            try:
                rel = display_path(folder, base)
            except (ValueError, OSError, RuntimeError):
                return None
        return "" if rel == "." else rel + "/"


_SHOWN: ContextVar[ShownPaths | None] = ContextVar("_SHOWN", default=None)


@contextlib.contextmanager
def shown_paths(base: Path | None) -> Iterator[ShownPaths]:
    """Within the block, :func:`load_file` computes shown paths through one :class:`ShownPaths`."""
    names = ShownPaths(base)
    token = _SHOWN.set(names)
    try:
        yield names
    finally:
        _SHOWN.reset(token)


def _shown(path: Path | str, base: Path | None, is_link: bool | None = None) -> str:
    names = _SHOWN.get()
    if names is not None and names.base == base:
        return names.shown(path, is_link)
    return display_path(Path(path), base)


def load_file(path: Path | str, base: Path | None = None) -> LoadResult:
    """Read one file: decode strictly as UTF-8, compose YAML, build its entries."""
    try:
        st, raw, read_ns, is_link = _read_raw(path)
    except OSError as exc:
        return LoadResult(problems=[_read_problem(_shown(path, base), exc)], files=1)
    shown = _shown(path, base, is_link)
    if raw is None:
        size = f"{st.st_size:,}".replace(",", ".")
        return LoadResult(problems=[Problem(
            SourceLoc(shown), "E-FILE-SIZE", f"tệp quá lớn ({size} byte) cho một tệp hoạt động",
            hint="mỗi tệp chỉ ghi một hoặc vài hoạt động; hãy tách hoặc xóa nội dung thừa")],
            files=1)
    text, problem = decode_utf8(raw, shown)
    result = LoadResult(problems=[problem]) if problem else load_text(text, shown)
    result.files = 1
    result.stamp = FileStamp(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                             zlib.crc32(raw), read_ns)
    return result


def _read_raw(path: Path | str) -> tuple[os.stat_result, bytes | None, int, bool | None]:
    """:func:`ngoaivu_cli.safeio.read_raw` with the entry-file limit, confined (see
    :func:`confined_to`)."""
    return read_raw(path, MAX_FILE_BYTES, _CONFINE.get())


def _read_problem(shown: str, exc: OSError) -> Problem:
    if isinstance(exc, LinkOutside):
        return Problem(SourceLoc(shown), "E-LINK-OUTSIDE",
                       "tệp hoạt động là liên kết tượng trưng (symlink) trỏ ra ngoài kho nhật "
                       "ký: không đọc",
                       hint="chép tệp vào data/ thay cho liên kết, hoặc cho liên kết trỏ tới "
                            "một tệp trong kho")
    if isinstance(exc, FileNotFoundError):
        return Problem(SourceLoc(shown), "E-READ", "không tìm thấy tệp (đã bị xóa hoặc đổi tên?)",
                       hint="kiểm tra lại đường dẫn")
    if isinstance(exc, IsADirectoryError | NotARegularFile):
        return Problem(SourceLoc(shown), "E-READ",
                       "không phải tệp thường (thư mục, FIFO hay thiết bị)",
                       hint="tệp hoạt động phải là tệp văn bản YAML; đổi tên hoặc xóa mục này")
    return Problem(SourceLoc(shown), "E-READ", f"không đọc được tệp: {os_reason(exc)}",
                   hint="kiểm tra quyền đọc tệp và liên kết (symlink) của tệp")


def load_text(text: str, shown: str) -> LoadResult:
    """Entries of one file's text; ``shown`` is the path printed in problems."""
    entries = quick_entries(text, shown)  # the usual clean file, in one pass
    if entries is not None:
        return LoadResult(entries=entries, cheap=True)
    return read_text(text, shown)


def read_text(text: str, shown: str) -> LoadResult:
    """:func:`load_text` without :func:`~ngoaivu_cli.log.quick.quick_entry`: the nodes of the
    text (the simple form's, or libyaml's), then its entries and problems."""
    result = LoadResult()
    head = text.lstrip()
    if not head or (head[0] == "#" and all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    )):
        result.problems.append(Problem(SourceLoc(shown), "E-EMPTY", "tệp rỗng, không có hoạt động nào",
                                       hint="ghi ít nhất các trường date, category, summary "
                                            "hoặc xóa tệp"))
        return result
    simple = parse_simple(text, shown)
    if simple is not None:
        docs: list[YNode] = [simple]
        problems: list[Problem] = []
        result.cheap = True
    else:
        docs, problems = parse_documents(text, shown, simple=False)
    if not problems and all(isinstance(d, YSeq) and not d.items for d in docs):
        what = "tệp chỉ có danh sách rỗng `[]`" if docs else "tệp rỗng"
        result.problems.append(Problem(SourceLoc(shown), "E-EMPTY",
                                       f"{what}, không có hoạt động nào",
                                       hint="ghi ít nhất các trường date, category, summary "
                                            "hoặc xóa tệp"))
        return result
    result.problems.extend(problems)
    builder = _EntryBuilder(shown, text, result.problems)
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


class _EntryBuilder:
    """Reads one mapping into an :class:`Entry`, recording type problems as it goes."""

    def __init__(self, shown: str, text: str, problems: list[Problem]) -> None:
        self.shown = shown
        self.text = text
        self._lines: list[str] | None = None  # split only when a problem needs an excerpt
        self.problems = problems

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def problem(self, node: YNode, code: str, message: str, *, field: str = "-",
                hint: str | None = None, severity: str = ERROR, span: int = 1) -> None:
        lines = self.lines
        excerpt = lines[node.line - 1] if 0 < node.line <= len(lines) else None
        if span == 1 and isinstance(node, YScalar) and excerpt is not None:
            span = max(1, min(len(node.value), len(excerpt) - node.col + 1))
        self.problems.append(Problem(SourceLoc(self.shown, node.line, node.col), code, message,
                                     field, hint, severity, excerpt, span))

    def build(self, node: YMap, index: int) -> Entry:
        values: dict[str, object] = {}
        positions: list[tuple[str, int, int]] = []
        read = self._read
        for key, (key_node, value) in node.pairs.items():
            kind = _KINDS.get(key)
            if kind is None:
                guess = suggest(key, list(FIELDS))
                self.problem(key_node, "E-UNKNOWN-FIELD", f"trường `{key}` không được phép",
                             field=key,
                             hint=(f"có phải ý bạn là `{guess}`?" if guess else
                                   "các trường được phép: " + ", ".join(FIELDS)))
                continue
            positions.append((key, value.line, value.col))
            if (kind == "text" or kind == "key") and type(value) is YScalar and not (
                    value.plain and value.value in _NULLS):
                values[key] = value.value.strip()  # the usual case of _read, inline
                continue
            if kind == "metrics" and isinstance(value, YMap):
                positions.extend((f"metrics.{name}", k.line, k.col)
                                 for name, (k, _v) in value.pairs.items())
            elif kind == "official" and isinstance(value, YMap):
                positions.extend(_official_positions(value))
            values[key] = read(key, kind, value)
        pairs = node.pairs
        for name in REQUIRED:
            if name not in pairs and name not in node.refused:  # refused: already reported
                self.problem(node, "E-MISSING-FIELD", f"thiếu trường bắt buộc `{name}`",
                             field=name, hint=f"thêm dòng `{name}: ...` ({FIELDS[name].description})")
        get = values.get
        status = get("status")
        approx = None
        when = get("date")
        if isinstance(when, ApproxDate):
            approx = when.stem
            values["date"], values["end"] = when.start, when.end
            self._check_approx(node, when, status, "end" in pairs)
        return Entry(
            SourceLoc(self.shown, node.line, node.col),
            get("date"),  # type: ignore[arg-type]
            get("category"),  # type: ignore[arg-type]
            get("summary"),  # type: ignore[arg-type]
            status if isinstance(status, str) else "done",
            get("end"),  # type: ignore[arg-type]
            get("unit"),  # type: ignore[arg-type]
            get("tags") or (),  # type: ignore[arg-type]
            get("partners") or (),  # type: ignore[arg-type]
            get("metrics") or (),  # type: ignore[arg-type]
            get("footnote"),  # type: ignore[arg-type]
            tuple(positions),
            index,
            approx,
            get("official"),  # type: ignore[arg-type]
            order=get("order"),  # type: ignore[arg-type]
            group=get("group") or None,  # type: ignore[arg-type]
        )

    def _check_approx(self, node: YMap, when: ApproxDate, status: object, has_end: bool) -> None:
        """A month or a quarter instead of a day: for a plan only, and never with ``end``."""
        date_node = node.pairs["date"][1]
        if status != "planned":
            self.problem(date_node, "E-DATE-APPROX", f"chỉ kế hoạch (status: planned) được ghi "
                         f"tháng hoặc quý ({when.stem}); hoạt động đã làm phải ghi ngày",
                         field="date", hint="ghi ngày YYYY-MM-DD, ví dụ "
                         f"{when.start.isoformat()}; hoặc thêm `status: planned`")
        if has_end:
            end_node = node.pairs["end"][1]
            self.problem(end_node, "E-DATE-APPROX", "kế hoạch ghi tháng hoặc quý không có "
                         "`end` (nó kéo dài cả tháng, cả quý)", field="end",
                         hint="xóa dòng `end`, hoặc ghi ngày bắt đầu cụ thể ở `date`")

    def _read(self, key: str, kind: str, node: YNode) -> object:
        if kind == "list":
            return self._str_list(key, node)
        if kind == "metrics":
            return self._metrics(node)
        if kind == "official":
            return self._official(node)
        if kind == "order":
            return self._order(node)
        if not isinstance(node, YScalar):
            self.problem(node, "E-TYPE", f"`{key}` phải là một giá trị đơn, không phải "
                         f"{type_name(node)}", field=key,
                         hint="viết trên cùng dòng: `" + key + ": ...`")
            return None
        is_null = node.plain and node.tagged is None and node.value in _NULLS
        if kind == "text":
            return "" if is_null else node.value.strip()
        if kind == "date":
            if is_null:
                self.problem(node, "E-DATE-INVALID", f"`{key}` để trống", field=key,
                             hint="ngày phải viết YYYY-MM-DD, ví dụ 2023-08-28")
                return None
            value, code, message, hint = parse_date_text(node.value)
            if code and key == "date":
                approx = parse_approx(node.value)
                if approx is not None:  # checked against status and end in build()
                    return approx
                if _LOOKS_APPROX.search(node.value):  # a month or quarter written wrong
                    hint += ("; kế hoạch chưa rõ ngày thì ghi tháng hoặc quý: `date: 2024-12`, "
                             "`date: 2024-Q1`, `date: \"quý I/2024\"` (với status: planned)")
            if code:
                self.problem(node, code, message or "", field=key, hint=hint)
            return value
        if is_null:
            if key == "status":
                return "done"
            self.problem(node, "E-TYPE", f"`{key}` để trống", field=key,
                         hint="ghi giá trị hoặc xóa dòng này")
            return None
        text = node.value.strip()
        if kind == "status" and text not in STATUSES:
            guess = suggest(text, STATUSES)
            self.problem(node, "E-VALUE", f'trạng thái "{text}" không hợp lệ', field=key,
                         hint=(f"có phải ý bạn là `{guess}`? " if guess else "")
                         + "chỉ nhận `done` (đã làm) hoặc `planned` (kế hoạch)")
            return None
        return text

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
            if isinstance(item, YScalar) and not (item.plain and item.tagged is None
                                                  and item.value in _NULLS):
                out.append(item.value.strip())
            else:
                self.problem(item, "E-TYPE", f"mỗi phần tử của `{key}` phải là một chữ, không phải "
                             f"{type_name(item)}", field=key, hint=f"viết `{key}: [a, b]`")
        return tuple(out)

    def _order(self, node: YNode) -> int | float | None:
        """``order: 12`` (or ``12.5``, to go between 12 and 13): a number, not negative."""
        number = None
        with contextlib.suppress(NumberTooLarge):
            number = node.figure() if isinstance(node, YScalar) and not node.is_null else None
        if number is None or number < 0:
            self.problem(node, "E-TYPE", "`order` (thứ tự in) phải là một số không âm, ví dụ "
                         "`order: 12`", field="order",
                         hint="ghi một số: các hoạt động có `order` in theo số này; 12.5 nằm "
                              "giữa 12 và 13; hoặc xóa dòng để in theo ngày")
            return None
        return number

    def _official(self, node: YNode) -> Official | None:
        """``official: {scope: năm 2023, metrics: {doan_ra: 120}}`` (see entries.Official)."""
        example = ("ví dụ:\n      official:\n        scope: năm 2023\n        metrics:\n"
                   "          doan_ra: 120")
        if not isinstance(node, YMap):
            self.problem(node, "E-TYPE", "`official` phải là bảng có `scope` (kỳ) và `metrics` "
                         f"(số liệu chính thức), không phải {type_name(node)}", field="official",
                         hint=example)
            return None
        scope: str | None = None
        metrics: tuple[tuple[str, int | float], ...] = ()
        for key, (key_node, value) in node.pairs.items():
            if key == "scope":
                if isinstance(value, YScalar) and not value.is_null and value.value.strip():
                    scope = value.value.strip()
                else:
                    self.problem(value, "E-TYPE", "`official.scope` phải là một kỳ, ví dụ "
                                 "“năm 2023”", field="official.scope", hint=example)
                    return None
            elif key == "metrics":
                metrics = self._metrics(value, "official.metrics")
            else:
                guess = suggest(key, ["scope", "metrics"])
                self.problem(key_node, "E-UNKNOWN-FIELD", f"trường `official.{key}` không được "
                             "phép", field=f"official.{key}",
                             hint=f"có phải ý bạn là `{guess}`?" if guess
                             else "`official` chỉ có `scope` và `metrics`")
        for need in ("scope", "metrics"):
            if need not in node.pairs:
                self.problem(node, "E-MISSING-FIELD", f"`official` thiếu `{need}`",
                             field=f"official.{need}", hint=example)
        if scope is None:
            return None
        return Official(scope, metrics)

    def _metrics(self, node: YNode, where: str = "metrics") -> tuple[tuple[str, int | float], ...]:
        if isinstance(node, YScalar) and node.is_null:
            return ()
        if not isinstance(node, YMap):
            self.problem(node, "E-TYPE", f"`{where}` phải là bảng tên số liệu: số, không phải "
                         f"{type_name(node)}", field=where,
                         hint="ví dụ:\n      metrics:\n        doan_ra: 1\n        luot_ra: 5")
            return ()
        out: list[tuple[str, int | float]] = []
        for name, (_key, value) in node.pairs.items():
            try:
                number = value.figure() if isinstance(value, YScalar) else None
            except NumberTooLarge:
                digits = sum(c.isdigit() for c in cast(YScalar, value).value)
                self.problem(value, "E-METRIC-VALUE", f"số liệu `{name}` quá lớn ({digits:,} chữ "
                             "số)".replace(",", "."), field=f"{where}.{name}",
                             hint=f"một số liệu có nhiều nhất {MAX_DIGITS} chữ số; kiểm tra "
                                  "lại giá trị (dán nhầm?)")
                continue
            if number is None:
                shown = type_name(value)
                hint = "ghi một số, không đặt trong dấu nháy; số thập phân dùng dấu chấm: 15.5"
                if isinstance(value, YScalar) and re.fullmatch(r"\d+,\d+", value.value.strip()):
                    hint = f"số thập phân trong YAML dùng dấu chấm: {value.value.strip().replace(',', '.')}"
                self.problem(value, "E-METRIC-VALUE", f"số liệu `{name}` phải là một số, không "
                             f"phải {shown}", field=f"{where}.{name}", hint=hint)
                continue
            out.append((name, number))
        return tuple(out)


def _official_positions(node: YMap) -> Iterator[tuple[str, int, int]]:
    """Where ``official.scope`` and each ``official.metrics.NAME`` were written."""
    for key, (_k, value) in node.pairs.items():
        yield f"official.{key}", value.line, value.col
        if key == "metrics" and isinstance(value, YMap):
            yield from ((f"official.metrics.{name}", k.line, k.col)
                        for name, (k, _v) in value.pairs.items())


__all__ = [
    "FILE_NAME_RE",
    "FileStamp",
    "LoadResult",
    "ResultCache",
    "ShownPaths",
    "Window",
    "WARNING",
    "find_files",
    "find_names",
    "sort_names",
    "sort_strings",
    "load_file",
    "load_files",
    "load_one",
    "load_paths",
    "load_text",
    "name_date",
    "parse_date_text",
    "gc_paused",
    "in_order",
    "shown_paths",
]
