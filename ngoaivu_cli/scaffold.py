"""Scaffolding stage: a new log repository (``ngoaivu init``) and a new entry file (``ngoaivu new``).

These are the only places where the tool writes into the log, and both are additive: ``init``
creates missing files and keeps every existing one; ``new`` picks a free file name (``-2``,
``-3``...) and creates it with a hard link from a temporary file, so it can never replace a
file, not even one created by a colleague a moment earlier. An entry is written as YAML that
the loader reads back to exactly the same values, and it goes through the same loader and
validator as ``ngoaivu validate`` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ngoaivu_cli.config import CONFIG_NAME, Config, load_config
from ngoaivu_cli.errors import (
    NgoaivuError,
    OutputError,
    Problem,
    SourceLoc,
    UsageError,
    display_path,
)
from ngoaivu_cli.formatting import slugify
from ngoaivu_cli.log.entries import FIELDS, Entry
from ngoaivu_cli.log.loader import Window, load_paths, load_text
from ngoaivu_cli.office import Office, office_config_text, shipped_names
from ngoaivu_cli.safeio import LinkInPath, TargetTaken, check_no_links, write_atomic
from ngoaivu_cli.schema import MODELINE, SCHEMA_PATH, schema_text
from ngoaivu_cli.validate import validate_entries

SLUG_LENGTH = 50
MAX_SUFFIX = 999
# How `ngoaivu new` names each field on its command line, for messages about a rejected entry.
OPTION_OF_FIELD = {
    "date": "--date", "end": "--end", "category": "--category", "status": "--status",
    "summary": "--summary", "unit": "--unit", "tags": "--tag", "partners": "--partner",
    "metrics": "--metric", "footnote": "--footnote", "order": "order", "official": "--official",
    "group": "--group",
}


def _option_of(field_name: str) -> str:
    """The option of ``ngoaivu new`` that wrote a field (``official.metrics.doan_ra``: the
    ``--metric`` given with ``--official``)."""
    if field_name.startswith("official.metrics"):
        return "--metric"
    return OPTION_OF_FIELD.get(field_name.split(".", 1)[0], field_name)


def _option_hint(p: Problem) -> str | None:
    """The hint of a problem as a user of ``ngoaivu new`` acts on it: validate's "xóa dòng
    `status`" (said to someone editing the file) is "bỏ `--status`" on the command line."""
    if not p.hint:
        return p.hint
    return re.sub(r"xóa dòng `([\w.]+)`",
                  lambda m: f"bỏ `{_option_of(m.group(1))}`", p.hint)


_INT = re.compile(r"[-+]?\d+\Z")
_FLOAT = re.compile(r"[-+]?(\d+\.\d*|\.\d+)\Z")

CONFIG_HEADER = """\
# Tệp này do `ngoaivu init` tạo từ cấu hình có sẵn; sửa theo cơ quan mình.
# Nó *bổ sung* cấu hình có sẵn theo từng khóa (units, categories, metrics, report_types...):
# sửa một mục ở đây thì mục đó được thay, nhưng xóa một mục không xóa nó khỏi cấu hình có sẵn
# và thứ tự các mục có sẵn không đổi. Muốn chỉ dùng đúng những gì ghi trong tệp này (xóa,
# sắp xếp lại), thêm dòng `extends: none`. Sau khi sửa categories, units hoặc metrics, chạy
#   ngoaivu schema -o schema/entry.schema.json --force
# để trình soạn thảo gợi ý đúng các khóa mới.

"""

GITIGNORE = """\
# Báo cáo sinh ra (lập lại được bất cứ lúc nào từ data/ bằng ngoaivu report / batch)
/*.docx
/*.pdf
/*.md
!/README.md
/bao-cao/
# Tệp khóa tạm của Word và LibreOffice khi đang mở mẫu
~$*
.~lock.*#
# Bộ nhớ đệm của ngoaivu (xóa lúc nào cũng được)
.ngoaivu-cache/
# Python
.venv/
__pycache__/
"""

PRE_COMMIT_CONFIG = """\
# pre-commit (https://pre-commit.com): kiểm tra các tệp hoạt động trước mỗi lần commit.
# Cài một lần cho mỗi bản sao kho:  pip install pre-commit && pre-commit install
# Chạy thử trên mọi tệp:            pre-commit run --all-files
#
# Hook dưới đây gọi lệnh `ngoaivu` đã cài trên máy (language: system), nên phải chạy
# `git commit` trong môi trường có ngoaivu. Muốn pre-commit tự cài ngoaivu, thay cả khối
# `- repo: local` bằng hook công bố trong kho mã nguồn của ngoaivu (tệp .pre-commit-hooks.yaml):
#
#   - repo: <địa chỉ git của kho mã nguồn ngoaivu>
#     rev: <phiên bản, ví dụ v0.1.0>
#     hooks:
#       - id: ngoaivu-validate
repos:
  - repo: local
    hooks:
      - id: ngoaivu-validate
        name: ngoaivu validate
        entry: ngoaivu validate
        language: system
        files: ^(ngoaivu\\.yaml|(data|documents)/.*\\.(ya?ml|YA?ML))$
        pass_filenames: false
"""

EXAMPLE_COMMENT = ("# Ví dụ một hoạt động (do `ngoaivu init` tạo). Xóa tệp này khi đã ghi các "
                   "hoạt động thật.")
EXAMPLE_ENTRY = {
    "category": "hoi_nghi_quoc_te",
    "status": "done",
    "summary": "Phối hợp tổ chức Hội thảo quốc tế về xúc tiến đầu tư giữa tỉnh Hà Tĩnh và các "
               "địa phương của Lào",
    "unit": "HTQT",
    "tags": ["vi-du"],
    "partners": ["Lào"],
    "metrics": {"hoi_thao": 1},
}


# --------------------------------------------------------------------------- new


@dataclass(frozen=True)
class NewResult:
    """What ``ngoaivu new`` did: the entry file, and the schema file when it had to write it."""

    path: Path
    schema_written: Path | None = None
    schema_stale: Path | None = None  # an existing schema that no longer matches the config


def parse_metric(text: str) -> tuple[str, int | float]:
    """``doan_ra=2`` → ``("doan_ra", 2)``; ``gio_phien_dich=1.5`` → ``(..., 1.5)``."""
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep or not name or not raw:
        raise UsageError(f'--metric "{text}" phải có dạng TÊN=SỐ',
                         hint="ví dụ: --metric doan_ra=2 --metric gio_phien_dich=1.5")
    from ngoaivu_cli.yamlread.nodes import MAX_DIGITS, NumberTooLarge, to_number

    try:
        number = to_number(raw) if (_INT.match(raw) or _FLOAT.match(raw)) else None
    except NumberTooLarge:
        raise UsageError(f"--metric {name}: số quá lớn", hint=f"một số liệu có nhiều nhất "
                         f"{MAX_DIGITS} chữ số") from None
    if number is not None:
        return name, number
    hint = "ghi một số, ví dụ --metric doan_ra=2"
    if re.fullmatch(r"\d+,\d+", raw):
        hint = f"số thập phân dùng dấu chấm: --metric {name}={raw.replace(',', '.')}"
    raise UsageError(f'--metric {name}: "{raw}" không phải là số', hint=hint)


def _clean(text: str) -> str:
    """Text as typed on a command line, as the log keeps it: NFC, one space between words."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def entry_mapping(*, date: dt.date, category: str, summary: str, status: str = "done",
                  end: dt.date | None = None, unit: str | None = None,
                  tags: tuple[str, ...] | list[str] = (),
                  partners: tuple[str, ...] | list[str] = (),
                  metrics: tuple[tuple[str, int | float], ...] | dict[str, int | float] = (),
                  footnote: str | None = None, approx: str | None = None,
                  order: int | float | None = None, official: str | None = None,
                  group: str | None = None) -> dict[str, object]:
    """The fields of a new entry in :data:`FIELDS` order, empty ones left out (``approx``: a
    plan's month or quarter, ``2024-12`` or ``2024-q1``, written instead of the day;
    ``order``: its place among the entries, :func:`next_order`; ``official``: the period of
    official figures, ``năm 2023``: the metrics are then those figures, ``official: {scope:
    năm 2023, metrics: {...}}``, and the entry has no others)."""
    values: dict[str, object] = {
        "date": approx.upper() if approx else date.isoformat(),
        "end": end.isoformat() if end else None,
        "category": category.strip(),
        "status": status,
        "summary": _clean(summary),
        "unit": (unit or "").strip() or None,
        "tags": [_clean(t) for t in tags if t.strip()],
        "partners": [_clean(p) for p in partners if p.strip()],
        "metrics": dict(metrics) if official is None else None,
        "footnote": _clean(footnote or "") or None,
        "order": order,
        "group": _clean(group or "") or None,
        "official": None if official is None else {"scope": _clean(official),
                                                   "metrics": dict(metrics)},
    }
    return {name: values[name] for name in FIELDS if values.get(name) not in (None, [], {})}


def next_order(config: Config) -> int:
    """The ``order`` of the next entry written into the log: one more than the highest the
    log holds (1 for the first), so entries print in the order they were entered
    (selection.sort_entries). Read through the parse cache: unchanged files are not parsed."""
    if not config.data_dir.is_dir():
        return 1
    from ngoaivu_cli.log.memo import log_highest
    from ngoaivu_cli.selection import parse_cache

    # each file's highest order, read again only when the file changed (a server's saves)
    return log_highest(config.data_dir, config.root, config.root, parse_cache(config.root),
                       last_order) + 1


def last_order(entries: list[Entry]) -> int:
    """The highest ``order`` of ``entries``, as a whole number (0 when none has one)."""
    import math

    return max((math.floor(e.order) for e in entries if e.order is not None), default=0)


def entry_text(mapping: dict[str, object], comment: str | None = None,
               modeline: str = MODELINE) -> str:
    """The YAML of one entry, headed by the yaml-language-server modeline.

    One field per line; lists and metrics inline (``tags: [lao]``, ``metrics: {doan_ra: 1}``),
    like the README's example. Quoting is PyYAML's safe dumper's: dates and words such as
    ``no`` come out quoted, so the loader reads back exactly these strings.
    """
    import yaml

    class Inline(yaml.SafeDumper):
        """The safe dumper, with the entry's own mapping in block style and the rest inline."""

    def inline_list(dumper: yaml.SafeDumper, data: list[object]) -> yaml.SequenceNode:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)

    def inline_dict(dumper: yaml.SafeDumper, data: dict[object, object]) -> yaml.MappingNode:
        return dumper.represent_mapping("tag:yaml.org,2002:map", data,
                                        flow_style=data is not mapping)

    Inline.add_representer(list, inline_list)
    Inline.add_representer(dict, inline_dict)
    body = yaml.dump(mapping, Dumper=Inline, allow_unicode=True, sort_keys=False,
                     width=1_000_000)
    head = [modeline] + ([comment] if comment else [])
    return "\n".join(head) + "\n" + body


def entry_path(config: Config, date: dt.date, summary: str, approx: str | None = None) -> Path:
    """``data/2023/08/2023-08-28-tham-muu-thuong-truc-tinh-uy.yaml`` (before any ``-2`` suffix);
    a plan of a month or a quarter: ``data/2024/2024-12-<slug>.yaml``, ``data/2024/2024-q1-...``."""
    slug = slugify(summary, max_len=SLUG_LENGTH)
    if approx:
        return config.data_dir / approx[:4] / f"{approx}-{slug}.yaml"
    return config.data_dir / f"{date:%Y}" / f"{date:%m}" / f"{date.isoformat()}-{slug}.yaml"


def _candidates(path: Path) -> list[Path]:
    return [path] + [path.with_name(f"{path.stem}-{n}{path.suffix}")
                     for n in range(2, MAX_SUFFIX + 1)]


def check_entry(text: str, path: Path, config: Config, base: Path | None = None) -> list[Problem]:
    """Problems of an entry file's text about to be written at ``path``: the loader, every rule
    of ``ngoaivu validate``, and duplicates among the log's entries of the same day."""
    base = base or Path.cwd()
    shown = display_path(path, base)
    loaded = load_text(text, shown)
    same_day: list[Entry] = []
    date = loaded.entries[0].date if len(loaded.entries) == 1 else None
    if date is not None and config.data_dir.is_dir():
        same_day = load_paths([config.data_dir], Window(date, date, 0), base,
                              root=config.root).entries
    problems = loaded.problems + validate_entries(loaded.entries + same_day, config)
    out = []
    for p in problems:
        if not p.is_error:
            continue
        if p.loc.path == shown:
            out.append(p)
        elif p.code == "E-DUPLICATE-ENTRY" and f"{shown}:" in p.message:
            # reported on the older file when its name sorts after the new one
            out.append(Problem(SourceLoc(shown), p.code,
                               f"hoạt động này trùng với {p.loc.path}:{p.loc.line} (cùng ngày, "
                               "lĩnh vực và nội dung)", p.field, p.hint))
    return out


def _reject(problems: list[Problem]) -> NgoaivuError:
    dups = [p for p in problems if p.code == "E-DUPLICATE-ENTRY"]
    if dups and len(dups) == len(problems):
        return NgoaivuError(f"chưa ghi tệp nào: {dups[0].message}",
                            hint="hoạt động đã có trong nhật ký; sửa tệp đó nếu cần")

    def line(p: Problem) -> str:
        detail = f" (gợi ý: {_option_hint(p)})" if p.hint else ""
        return f"{_option_of(p.field)}: {p.message}{detail}"

    if len(problems) == 1:
        p = problems[0]
        return UsageError(f"{_option_of(p.field)}: {p.message}; chưa ghi tệp nào",
                          hint=_option_hint(p))
    return UsageError("hoạt động chưa hợp lệ, chưa ghi tệp nào:\n  "
                      + "\n  ".join(line(p) for p in problems))


def create_new(path: Path, data: bytes, root: Path | None = None) -> bool:
    """Create ``path`` with ``data`` atomically; False (nothing written) when the name is
    taken. :func:`~ngoaivu_cli.safeio.write_atomic` without ``force`` hard-links its
    temporary file to ``path``: a link never replaces an existing file. ``root``: the log,
    in which no folder on the way may be a link (:class:`~ngoaivu_cli.safeio.LinkInPath`)."""
    try:
        write_atomic(path, data, root=root)
    except TargetTaken:
        return False
    return True


SCHEMA_NOTE = "schema-note"  # in the log's cache folder: the stale schema last said so


def _told_before(root: Path, stale: str, text: str) -> bool:
    """Whether ``new`` said already that this schema file (``stale``) does not match this
    configuration's (``text``), and remember that it has now: a script of many ``new`` gets
    the note once, and again after the file or the configuration changes. Kept signed in the
    cache folder (:mod:`ngoaivu_cli.log.replay`); without one (``NGOAIVU_NO_CACHE``, a link)
    the note is given every time."""
    from ngoaivu_cli.log.replay import (
        CACHE_DIR,
        blake2b,
        cache_enabled,
        cache_inside,
        keep,
        prepare,
        read_sealed,
        seal,
        write_errors,
    )

    if not cache_enabled() or not cache_inside(root):
        return False
    note = root / CACHE_DIR / SCHEMA_NOTE
    digest = blake2b((stale + "\0" + text).encode(), digest_size=16).hexdigest().encode()
    if read_sealed(note) == digest:
        return True
    sealed = seal(digest)
    if sealed is not None:
        try:
            prepare(note.parent, root)
            keep(note, sealed, root)
        except write_errors():  # a reminder only: said again next time
            pass
    return False


def _write_schema(config: Config) -> tuple[Path | None, Path | None]:
    """Write ``schema/entry.schema.json`` when missing; say when an existing one is stale
    (once for the same file and configuration, see :func:`_told_before`)."""
    path = config.root / SCHEMA_PATH
    text = schema_text(config)
    if path.exists():
        try:
            from ngoaivu_cli.safeio import read_text_bounded

            old = read_text_bounded(path, limit=10_000_000)
        except (OSError, UnicodeDecodeError):
            old = text  # not ours to judge
        if old == text or _told_before(config.root, old, text):
            return None, None
        return None, path
    try:
        write_atomic(path, text.encode(), root=config.root)
    except (OutputError, OSError):  # a convenience only: written meanwhile, or no permission
        return None, None
    return path, None


def new_entry(config: Config, *, date: dt.date, category: str, summary: str,
              status: str = "done", end: dt.date | None = None, unit: str | None = None,
              tags: tuple[str, ...] = (), partners: tuple[str, ...] = (),
              metrics: tuple[tuple[str, int | float], ...] = (),
              footnote: str | None = None, base: Path | None = None,
              approx: str | None = None, order: int | float | None = None,
              official: str | None = None, group: str | None = None) -> NewResult:
    """Write a new, valid entry file under ``data/YYYY/MM/``; never replaces an existing file.

    Raises :class:`UsageError` naming the option when the entry would not pass
    ``ngoaivu validate`` (nothing is written then).
    """
    names = [name for name, _ in metrics]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise UsageError(f"--metric {twice} được ghi hai lần", hint="mỗi số liệu ghi một lần")
    if official is not None and not official.strip():
        raise UsageError("--official cần một kỳ", hint='ví dụ: --official "năm 2023"')
    if official is not None and not metrics:
        raise UsageError("--official cần ít nhất một --metric: số chính thức của kỳ",
                         hint='ví dụ: --official "năm 2023" --metric doan_ra=120')
    mapping = entry_mapping(date=date, category=category, summary=summary, status=status, end=end,
                            unit=unit, tags=tags, partners=partners, metrics=metrics,
                            footnote=footnote, approx=approx,
                            order=next_order(config) if order is None else order,
                            official=official, group=group)
    # a plan of a month or a quarter sits one folder higher (data/YYYY/), its modeline too
    text = entry_text(mapping, modeline=MODELINE.replace("../../../", "../../") if approx
                      else MODELINE)
    target = entry_path(config, date, str(mapping.get("summary", "")), approx)
    free = [c for c in _candidates(target) if not c.exists()]
    # checked under the name it will most likely get, so no existing file is mistaken for it
    problems = check_entry(text, free[0] if free else target, config, base)
    if problems:
        raise _reject(problems)
    _check_round_trip(text, mapping)
    # the entry and the schema are written through no link in the log: said before either is
    check_no_links(target, root=config.root)
    check_no_links(config.root / SCHEMA_PATH, root=config.root)
    data = text.encode()
    for i, candidate in enumerate(free):
        if create_new(candidate, data, config.root):
            written, stale = _write_schema(config)
            return NewResult(candidate, written, stale)
        # taken meanwhile: by the same entry (a `new` run at the same time) it is a duplicate,
        # as the check above would have said a moment later; else try the next name
        problems = check_entry(text, free[i + 1] if i + 1 < len(free) else candidate, config,
                               base)
        if problems:
            raise _reject(problems)
    raise OutputError(f"đã có quá nhiều tệp tên {target.stem}-*.yaml",
                      hint="ghi nội dung (--summary) khác đi để có tên tệp khác")


def _check_round_trip(text: str, mapping: dict[str, object]) -> None:
    """The loader must read back exactly what was meant; anything else is a bug, not data."""
    entry = load_text(text, "<mới>").entries[0]
    back = {k: v for k, v in entry.to_json().items() if k not in ("file", "line")}
    meant = {name: mapping.get(name) for name in back}
    meant["status"] = mapping.get("status", "done")
    for name in ("tags", "partners"):
        meant[name] = list(mapping.get(name) or [])  # type: ignore[call-overload]
    meant["metrics"] = dict(mapping.get("metrics") or {})  # type: ignore[call-overload]
    if entry.approx:  # a month or a quarter: read back as its first and last day
        meant.update(date=entry.date.isoformat() if entry.date else None,
                     end=entry.end.isoformat() if entry.end else None,
                     approx=entry.approx, approx_label=back.get("approx_label"))
        if str(mapping.get("date", "")).lower() != entry.approx:
            raise RuntimeError(f"plan date does not read back: {mapping.get('date')!r}")
    if back != meant:
        raise RuntimeError(f"entry YAML does not read back: {back!r} != {meant!r}")


# --------------------------------------------------------------------------- init


@dataclass
class InitResult:
    """What ``ngoaivu init`` did: files created, and existing files it left untouched."""

    root: Path
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def shipped_templates() -> list[tuple[str, bytes]]:
    """(name, bytes) of every template shipped with the package."""
    folder = resources.files("ngoaivu_cli.templates")
    out = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.is_file() and item.name.endswith((".docx", ".j2")):
            out.append((item.name, item.read_bytes()))
    return out


def _visible_content(folder: Path) -> list[str]:
    """What makes a folder non-empty for ``init`` (a bare ``.git`` does not)."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".git")


def init_repo(target: Path, *, force: bool = False, today: dt.date | None = None,
              base: Path | None = None, office: Office | None = None) -> InitResult:
    """Create a log repository in ``target``; with ``force``, in a non-empty folder too.
    ``office``: the agency and signers written into ``ngoaivu.yaml`` instead of the shipped
    office's (see :func:`ngoaivu_cli.office.office_config_text`).

    Nothing that exists is replaced or deleted, ``force`` or not: existing files are kept and
    listed; the example entry is only written when ``data/`` holds no entry yet.
    """
    base = base or Path.cwd()
    shown = display_path(target, base)
    if shown == ".":
        shown = str(target.resolve())
    if target.exists() and not target.is_dir():
        raise NgoaivuError(f"{shown} đã có và không phải là thư mục",
                           hint="chọn tên thư mục khác: `ngoaivu init kho-nhat-ky`")
    if target.is_dir():
        content = _visible_content(target)
        if content and not force:
            listed = ", ".join(content[:5]) + (", ..." if len(content) > 5 else "")
            raise NgoaivuError(f"thư mục {shown} không trống ({listed})",
                               hint="chọn một thư mục mới hoặc trống: `ngoaivu init kho-nhat-ky`; "
                                    "hoặc thêm --force để chỉ tạo các tệp còn thiếu (không tệp "
                                    "nào có sẵn bị ghi đè hay xóa)")
    target.mkdir(parents=True, exist_ok=True)  # the user's own folder, links and all
    result = InitResult(target)

    def put(rel: str, data: bytes) -> None:
        from ngoaivu_cli.confine import escapes

        path = target / rel
        # a file, a link (even dangling) or a folder leading elsewhere is kept, never written
        if os.path.lexists(path) or escapes(target, path.parent) or escapes(target, path):
            result.kept.append(path)
            return
        try:
            write_atomic(path, data, root=target)
        except (TargetTaken, LinkInPath):  # appeared meanwhile, or a folder link: kept
            result.kept.append(path)
            return
        result.created.append(path)

    put(CONFIG_NAME, (CONFIG_HEADER + office_config_text(office or Office())).encode())
    if office is not None and office.blank_signers and target / CONFIG_NAME in result.created:
        from ngoaivu_cli.office import INIT_PLACEHOLDER

        result.notes.append(
            "chưa có tên cơ quan và người ký (không tùy chọn nào, và không hỏi được vì không "
            "chạy trong cửa sổ dòng lệnh): ngoaivu.yaml giữ cơ quan có sẵn (Sở Ngoại vụ Hà "
            f"Tĩnh), người ký chỉ là \"{INIT_PLACEHOLDER}\"; ghi cơ quan ở `agency` và họ tên "
            "thật ở `signers.*.name` trong ngoaivu.yaml (hoặc tạo kho bằng `ngoaivu init "
            "--parent ... --signer-name ...`) — đến lúc đó báo cáo cảnh báo W-PLACEHOLDER-NAME "
            "và `--strict` không lập báo cáo")
    config = load_config(target / CONFIG_NAME, cwd=target)
    put(SCHEMA_PATH, schema_text(config).encode())
    for name, data in shipped_templates():
        put(f"templates/{name}", data)
    put(".gitignore", GITIGNORE.encode())
    put(".pre-commit-config.yaml", PRE_COMMIT_CONFIG.encode())
    _put_example(config, today or dt.date.today(), result)
    return result


def _put_example(config: Config, today: dt.date, result: InitResult) -> None:
    shipped_place = shipped_names()[0][0]
    data_dir = config.data_dir
    if data_dir.is_dir() and any(p.suffix in (".yaml", ".yml") for p in data_dir.rglob("*")):
        result.notes.append("data/ đã có hoạt động: không thêm hoạt động ví dụ")
        return
    example = dict(EXAMPLE_ENTRY)
    example["summary"] = str(example["summary"]).replace(shipped_place, config.agency.place)
    mapping = entry_mapping(date=today, **example)  # type: ignore[arg-type]
    text = entry_text(mapping, comment=EXAMPLE_COMMENT)
    path = entry_path(config, today, str(mapping["summary"]))
    if check_entry(text, path, config, config.root):
        result.notes.append("cấu hình có sẵn không có lĩnh vực/đơn vị của hoạt động ví dụ: "
                            "không thêm hoạt động ví dụ")
        return
    try:
        made = create_new(path, text.encode(), config.root)
    except LinkInPath:  # data/ or a folder in it is a link: kept as it is, nothing written
        result.kept.append(data_dir)
        return
    if made:
        result.created.append(path)
        result.notes.append(f"{path.name} chỉ là ví dụ (nhãn vi-du) và có trong báo cáo tuần này: "
                            "xóa nó khi bắt đầu ghi hoạt động thật")


__all__ = [
    "InitResult", "NewResult", "create_new", "entry_mapping", "entry_path", "entry_text",
    "init_repo", "last_order", "new_entry", "next_order", "parse_metric", "shipped_templates",
]
