"""Sources: other agencies' logs that the Sở's reports compile (``sources:`` in ngoaivu.yaml).

Each source is a folder (often a checked-out git repository) with its own ``data/`` and,
optionally, a small ``ngoaivu.yaml`` naming its agency and units. Its entries carry the
source's name (:attr:`Entry.agency`), are checked against the Sở's categories and metrics and
the source's own units, and every problem in them names the source.

A source path is outside the Sở's log by design (``../so-cong-thuong``), so it is treated as
untrusted as the log itself: every read stays inside the source's own folder (a link out of
it is an error, not followed), a link loop is an error, reads are bounded (safeio), nothing
in its ``ngoaivu.yaml`` is ever rendered as a template, and nothing is written there (its
parse cache lives in the Sở's ``.ngoaivu-cache/``). A missing or unreadable source is one
``E-SOURCE-...`` error; ``--skip-missing-sources`` makes it a warning and goes on without it.
"""

from __future__ import annotations

import dataclasses
import errno
import os
from dataclasses import dataclass
from pathlib import Path

from ngoaivu_cli.config import Config, SourceSpec
from ngoaivu_cli.confine import inside
from ngoaivu_cli.errors import ERROR, WARNING, Problem, SourceLoc, display_path, os_reason
from ngoaivu_cli.locate import CONFIG_NAME, DATA_FOLDER
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.log.loader import LoadResult, Window

SOURCE_KEYS = ("agency", "units")  # what a source's own ngoaivu.yaml may say to the Sở


@dataclass(frozen=True)
class Source:
    """A source whose folder was found and checked: where it is and how to check it."""

    spec: SourceSpec
    root: Path  # the folder, links resolved
    data: Path  # its data/ as shown to the user (relative to the working folder when it can)
    config: Config  # the Sở's configuration with this source's units
    declared: str = ""  # the agency its own ngoaivu.yaml names, if any

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class Opened:
    """The sources of a configuration: those found, and problems (errors, or warnings for
    sources left out with ``--skip-missing-sources``)."""

    sources: list[Source]
    problems: list[Problem]

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.code == "W-SOURCE-SKIPPED"]


def agency_of(entry: Entry, config: Config) -> str:
    """The agency an entry is from: its source's name, else the log's own agency."""
    return entry.agency or config.own_agency


def _config_loc(config: Config, spec: SourceSpec) -> SourceLoc:
    shown = config.paths[0] if config.paths else spec.loc.path
    return SourceLoc(shown, spec.loc.line, spec.loc.col)


def _fail(config: Config, spec: SourceSpec, code: str, what: str, hint: str) -> Problem:
    """A source that cannot be read: an error at its ``sources:`` item, or a warning saying
    it was left out."""
    if config.skip_missing_sources:
        return Problem(_config_loc(config, spec), "W-SOURCE-SKIPPED",
                       f"nguồn “{spec.name}” bị bỏ qua ({what}): báo cáo không có số liệu của "
                       "cơ quan này", "sources", hint, WARNING)
    return Problem(_config_loc(config, spec), code, f"nguồn “{spec.name}”: {what}", "sources",
                   hint + "; hoặc chạy với --skip-missing-sources để bỏ qua nguồn này", ERROR)


def open_sources(config: Config, base: Path | None = None) -> Opened:
    """Find and check every source's folder and read its ``ngoaivu.yaml``; never raises."""
    base = base or Path.cwd()
    out = Opened([], [])
    roots: dict[Path, Source] = {}
    for spec in config.sources:
        found = _open(config, spec, base)
        if isinstance(found, Source) and found.root in roots:  # its entries would count twice
            first = roots[found.root]
            out.problems.append(Problem(
                _config_loc(config, spec), "E-SOURCE-DUPLICATE",
                f"nguồn “{spec.name}” là cùng thư mục với nguồn “{first.name}” "
                f"({first.spec.path}): hoạt động sẽ bị tính hai lần", "sources",
                "mỗi cơ quan một thư mục nhật ký riêng; xóa một trong hai nguồn"))
        elif isinstance(found, Source):
            roots[found.root] = found
            out.sources.append(found)
        else:
            out.problems.extend(found)
    return out


def _open(config: Config, spec: SourceSpec, base: Path) -> Source | list[Problem]:
    hint = f"kiểm tra `path: {spec.path}` của nguồn “{spec.name}” trong {CONFIG_NAME}"
    written = Path(spec.path)  # no ~ expansion: a cloned log names no folder of this user
    folder = written if written.is_absolute() else config.root / written
    try:
        root = Path(os.path.realpath(folder, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            what = f"{spec.path} là một vòng liên kết tượng trưng (symlink)"
        elif isinstance(exc, FileNotFoundError):
            what = f"không có thư mục {spec.path}"
        else:
            what = f"không mở được {spec.path}: {os_reason(exc)}"
        code = "E-SOURCE-LOOP" if "vòng" in what else "E-SOURCE-MISSING"
        return [_fail(config, spec, code, what, hint)]
    except (ValueError, RuntimeError):
        return [_fail(config, spec, "E-SOURCE-MISSING", f"đường dẫn {spec.path} không hợp lệ",
                      hint)]
    if not root.is_dir():
        return [_fail(config, spec, "E-SOURCE-MISSING", f"{spec.path} không phải thư mục", hint)]
    if os.path.realpath(config.root) == str(root):
        return [_fail(config, spec, "E-SOURCE-SELF", f"{spec.path} là chính kho nhật ký này",
                      "một nguồn là kho nhật ký của cơ quan khác")]
    data = root / DATA_FOLDER
    if not os.path.lexists(data):
        return [_fail(config, spec, "E-SOURCE-MISSING", f"{spec.path} không có thư mục data/",
                      hint + " (thư mục của nguồn phải có data/ như một kho nhật ký)")]
    if not inside(root, data):
        return [_fail(config, spec, "E-SOURCE-LINK",
                      f"{spec.path}/data là liên kết ra ngoài thư mục của nguồn",
                      "data/ của nguồn phải là thư mục thật bên trong nguồn")]
    if not data.is_dir() or not os.access(data, os.R_OK | os.X_OK):
        return [_fail(config, spec, "E-SOURCE-READ", f"không đọc được {spec.path}/data",
                      "kiểm tra quyền đọc thư mục")]
    shown_root = _shown_folder(root, written, config.root, base)
    units, declared, problems = _read_own_config(config, spec, root, shown_root, base)
    if any(p.is_error for p in problems):
        return problems
    own = dataclasses.replace(config, units=units if units is not None else config.units,
                              root=root, source=None, sources=())
    return Source(spec, root, shown_root / DATA_FOLDER, own, declared)


def _shown_folder(root: Path, written: Path, log_root: Path, base: Path) -> Path:
    """The source folder as messages show it: relative to the working folder when it can be
    (``../so-cong-thuong``), else as resolved."""
    try:
        return Path(os.path.relpath(root, base))
    except ValueError:  # another drive (Windows)
        return root


def _read_own_config(config: Config, spec: SourceSpec, root: Path, shown_root: Path,
                     base: Path) -> tuple[dict[str, str] | None, str, list[Problem]]:
    """The source's ``ngoaivu.yaml``: its units (None when it declares none) and agency.
    Only ``agency`` and ``units`` are read; its other keys (a whole log's configuration, with
    report types and templates) are the source's own business and are never evaluated."""
    from ngoaivu_cli.safeio import MAX_CONFIG_BYTES, decode_utf8, read_bytes, reason
    from ngoaivu_cli.yamlread import YMap, YScalar, parse_documents, type_name

    path = root / CONFIG_NAME
    if not os.path.lexists(path):
        return None, "", []
    shown = (shown_root / CONFIG_NAME).as_posix()
    where = SourceLoc(shown)

    def problem(loc: SourceLoc, code: str, message: str, field: str = "-",
                hint: str | None = None) -> Problem:
        return Problem(loc, code, f"nguồn “{spec.name}”: {message}", field, hint)

    if not inside(root, path):
        return None, "", [problem(where, "E-SOURCE-LINK", f"{CONFIG_NAME} của nguồn là liên kết "
                                  "ra ngoài thư mục của nguồn", hint="chép tệp vào thư mục "
                                  "nguồn thay cho liên kết")]
    try:
        raw = read_bytes(path, MAX_CONFIG_BYTES)
    except OSError as exc:
        return None, "", [problem(where, "E-SOURCE-READ", f"không đọc được {CONFIG_NAME}: "
                                  f"{reason(exc)}", hint="kiểm tra tệp cấu hình của nguồn")]
    text, bad = decode_utf8(raw, shown)
    if bad is not None:
        return None, "", [problem(bad.loc, bad.code, bad.message, bad.field, bad.hint)]
    docs, parse_problems = parse_documents(text, shown)
    if parse_problems:
        return None, "", [problem(p.loc, p.code, p.message, p.field, p.hint)
                          for p in parse_problems]
    if not docs:
        return None, "", []
    doc = docs[0]
    if not isinstance(doc, YMap):
        return None, "", [problem(SourceLoc(shown, doc.line, doc.col), "E-SOURCE-CONFIG",
                                  f"{CONFIG_NAME} của nguồn phải là một bảng khóa: giá trị")]
    problems: list[Problem] = []
    declared = ""
    agency = doc.get("agency")
    if isinstance(agency, YScalar):
        declared = " ".join(agency.value.split())
    elif isinstance(agency, YMap):
        for key in ("short_name", "name"):
            value = agency.get(key)
            if isinstance(value, YScalar) and value.value.strip():
                declared = " ".join(value.value.split())
                break
    elif agency is not None:
        problems.append(problem(SourceLoc(shown, agency.line, agency.col), "E-SOURCE-CONFIG",
                                f"`agency` phải là tên cơ quan, không phải {type_name(agency)}",
                                "agency"))
    units_node = doc.get("units")
    units: dict[str, str] | None = None
    if isinstance(units_node, YMap):
        units = {}
        for key, (knode, value) in units_node.pairs.items():
            if isinstance(value, YScalar):
                units[key] = " ".join(value.value.split())
            else:
                problems.append(problem(SourceLoc(shown, knode.line, knode.col),
                                        "E-SOURCE-CONFIG", f"`units.{key}` phải là tên đơn vị, "
                                        f"không phải {type_name(value)}", f"units.{key}"))
    elif units_node is not None and not (isinstance(units_node, YScalar) and units_node.is_null):
        problems.append(problem(SourceLoc(shown, units_node.line, units_node.col),
                                "E-SOURCE-CONFIG", "`units` phải là một bảng mã: tên đơn vị",
                                "units", "ví dụ `units: {QLTM: Phòng Quản lý thương mại}`"))
    return units, declared, problems


def source_config(config: Config, name: str, base: Path | None = None) -> Config:
    """The configuration that writes into source ``name``'s log (``import --source``): the
    Sở's categories and metrics, the source's units, its folder as the root. Raises
    :class:`UsageError` for a name not in ``sources:`` and :class:`DataError` for a source
    that cannot be read."""
    from ngoaivu_cli.errors import DataError, UsageError
    from ngoaivu_cli.yamlread import suggest

    names = [s.name for s in config.sources]
    if name not in names:
        guess = suggest(name, names)
        raise UsageError(f"không có nguồn “{name}” trong `sources:` của cấu hình",
                         hint=(f"có phải ý bạn là `{guess}`? " if guess else "")
                         + ("các nguồn: " + ", ".join(names) if names
                            else "khai báo nguồn trong ngoaivu.yaml"))
    spec = next(s for s in config.sources if s.name == name)
    found = _open(dataclasses.replace(config, skip_missing_sources=False), spec,
                  base or Path.cwd())
    if not isinstance(found, Source):
        raise DataError(found)
    return found.config


# ----------------------------------------------------------------- reading entries

def _named(problem: Problem, name: str) -> Problem:
    """A problem of a source's file, saying which source (its path is the file's)."""
    prefix = f"nguồn “{name}”: "
    if problem.message.startswith(prefix):
        return problem
    return dataclasses.replace(problem, message=prefix + problem.message)


def _files(source: Source, window: Window | None, base: Path
           ) -> tuple[list[Path], list[Problem]]:
    """The entry files of a source (of a window), links out of the source refused."""
    from ngoaivu_cli.log.loader import may_reach
    from ngoaivu_cli.log.logtree import find_files

    files, problems = find_files([source.data], window, base)
    if window is not None:
        files = [f for f in files if may_reach(f, window)]
    kept: list[Path] = []
    for path in files:
        if os.path.islink(path) and not inside(source.root, path):
            problems.append(Problem(SourceLoc(display_path(path, base)), "E-SOURCE-LINK",
                                    "tệp là liên kết tượng trưng ra ngoài thư mục của nguồn "
                                    "(không đọc)", hint="chép tệp vào data/ của nguồn thay cho "
                                    "liên kết"))
        else:
            kept.append(path)
    return kept, problems


def load_source(source: Source, window: Window | None, log_root: Path, base: Path,
                check: bool = True) -> LoadResult:
    """The entries of one source (of a window), each carrying the source's name, and every
    problem of its files (checked against ``source.config`` when ``check``), named."""
    from ngoaivu_cli.log.cache import open_source_cache
    from ngoaivu_cli.log.loader import load_files
    from ngoaivu_cli.validate import validate_entries

    files, problems = _files(source, window, base)
    loaded = load_files(files, base, open_source_cache(log_root, source.root))
    loaded.problems[:0] = problems
    if check:
        loaded.problems += validate_entries(loaded.entries, source.config)
    name = source.name
    loaded.entries = [dataclasses.replace(e, agency=name) for e in loaded.entries]
    loaded.problems = [_named(p, name) for p in loaded.problems]
    return loaded


def load_sources(config: Config, window: Window | None, base: Path | None = None,
                 check: bool = True) -> LoadResult:
    """Every source's entries of ``window`` (all of them when None), in the order of
    ``sources:``; problems of the sources themselves (missing, unreadable) are among the
    problems, or in ``skipped`` when they were left out."""
    base = base or Path.cwd()
    opened = open_sources(config, base)
    out = LoadResult()
    for p in opened.problems:
        (out.skipped if p.code == "W-SOURCE-SKIPPED" else out.problems).append(p)
    for source in opened.sources:
        out.extend(load_source(source, window, config.root, base, check))
    return out


__all__ = ["SOURCE_KEYS", "Opened", "Source", "agency_of", "load_source", "load_sources",
           "open_sources", "source_config"]
