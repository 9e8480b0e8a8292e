"""Reading ``ngoaivu.yaml`` over the shipped default into :class:`~.model.Config`, with every
mistake a located :class:`~ngoaivu_cli.errors.Problem`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import cast

from ngoaivu_cli.config.model import (
    LAYOUTS,
    PERIOD_KINDS,
    STYLES,
    Agency,
    AppendixSpec,
    Category,
    Config,
    JoinedStats,
    Metric,
    ReportType,
    SectionSpec,
    Signer,
    SourceSpec,
    StatSentence,
)
from ngoaivu_cli.errors import CONFIG_SHOWN, ConfigError, Problem, SourceLoc, display_path
from ngoaivu_cli.formatting import XML_ILLEGAL
from ngoaivu_cli.locate import CONFIG_NAME, find_config, log_root
from ngoaivu_cli.locate import ENV_VAR as ENV_VAR  # re-exported
from ngoaivu_cli.periods import Term
from ngoaivu_cli.safeio import MAX_CONFIG_BYTES, read_bytes
from ngoaivu_cli.safeio import reason as read_reason
from ngoaivu_cli.yamlread import YMap, YNode, YScalar, YSeq, parse_documents, suggest, type_name


def default_config_text() -> str:
    """The shipped default configuration, as text (also what ``ngoaivu init`` writes)."""
    # beside this package, not through importlib.resources (which imports tempfile, shutil,
    # zipfile...: 5 ms of every command)
    return (Path(__file__).resolve().parent.parent / "defaults" / CONFIG_NAME).read_text("utf-8")


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    """Find and read the configuration; raises :class:`ConfigError` with every problem."""
    path = find_config(explicit, cwd)
    base = cwd or Path.cwd()
    default_doc = _default_doc()
    if path is None:
        CONFIG_SHOWN.set(None)
        return _build(default_doc, None, base.resolve(), base)
    dangling = os.path.islink(path) and not os.path.exists(path)
    # a dangling link is named as written (resolved, it would be the missing target's name)
    shown = _lexical_path(path, base) if dangling else display_path(path, base)
    CONFIG_SHOWN.set(shown)  # messages name this file where they say "ngoaivu.yaml"
    try:
        raw = read_bytes(path, MAX_CONFIG_BYTES)
    except OSError as exc:
        reason = "không tìm thấy tệp" if isinstance(exc, FileNotFoundError) else read_reason(exc)
        if dangling:
            reason = ("là liên kết tượng trưng (symlink) trỏ tới một tệp không có "
                      f"({os.readlink(path)})")
        found = explicit is None and not os.environ.get(ENV_VAR)  # found in a folder
        hint = ("tệp này là cấu hình của kho (không bị bỏ qua để dùng một cấu hình khác): "
                "thay bằng một tệp YAML thường, hoặc xóa nó" if found
                else "kiểm tra --config hoặc biến NGOAIVU_CONFIG")
        raise ConfigError([Problem(SourceLoc(shown), "E-CONFIG-READ",
                                   f"không đọc được cấu hình: {reason}", hint=hint)]) from None
    from ngoaivu_cli.safeio import decode_utf8

    text, problem = decode_utf8(raw, shown)
    if problem:
        raise ConfigError([problem])
    user_doc = _parse(shown, text, quote=not _links_outside(path))
    extends = user_doc.get("extends")
    if extends is not None and not (isinstance(extends, YScalar)
                                    and extends.value.strip() in ("none", "default")):
        raise ConfigError([Problem(SourceLoc(shown, extends.line, extends.col), "E-VALUE",
                                   "`extends` chỉ nhận `default` (kế thừa cấu hình có sẵn) hoặc "
                                   "`none` (không kế thừa)", "extends",
                                   "xóa dòng này để kế thừa cấu hình có sẵn")])
    if isinstance(extends, YScalar) and extends.value.strip() == "none":
        merged = user_doc
    else:
        merged = _merge(default_doc, user_doc)
    return _build(merged, path, log_root(path), base)


def _lexical_path(path: Path, base: Path) -> str:
    """``path`` as shown, its last part not resolved (the link itself, not where it leads)."""
    parent = display_path(path.parent, base)
    return path.name if parent == "." else f"{parent}/{path.name}"


def _default_doc() -> YMap:
    """The shipped configuration's document, composed from its text."""
    return _parse(DEFAULT_SHOWN, default_config_text())


def _links_outside(path: Path) -> bool:
    """Whether ``path`` is a link whose file lies outside the log's root (a configuration
    shared by several logs): it is read, but never quoted, so a repository whose ngoaivu.yaml
    links to a private file (~/.docker/config.json) cannot have its lines printed."""
    if not os.path.islink(path):
        return False
    try:
        Path(os.path.realpath(path)).relative_to(log_root(path).resolve())
    except (ValueError, OSError, RuntimeError):
        return True
    return False


def _parse(shown: str, text: str, quote: bool = True) -> YMap:
    docs, problems = parse_documents(text, shown)
    if quote:
        _LINES[shown] = text.splitlines()
    else:
        _LINES.pop(shown, None)
        problems = [dataclasses.replace(p, excerpt=None) for p in problems]
    if problems:
        raise ConfigError(problems)
    if not docs:
        raise ConfigError([Problem(SourceLoc(shown), "E-EMPTY", "tệp cấu hình rỗng",
                                   hint="chạy `ngoaivu init` để có một cấu hình mẫu")])
    if not isinstance(docs[0], YMap):
        raise ConfigError([Problem(SourceLoc(shown, docs[0].line, docs[0].col), "E-TOP-LEVEL",
                                   "cấu hình phải là một bảng khóa: giá trị",
                                   hint="xem tệp mẫu: `ngoaivu init` trong một thư mục trống")])
    return docs[0]


_LINES: dict[str, list[str]] = {}
DEFAULT_SHOWN = "<mặc định>/ngoaivu.yaml"  # how the shipped configuration is named in messages
_MERGED_KEYS = ("units", "signers", "categories", "metrics", "report_types", "default_types")


# tables whose entries are themselves merged key by key: a user's `bao_cao_tuan: {signer: x}`
# changes the signer of the shipped weekly type and keeps the rest of it
_DEEP_KEYS = ("signers", "categories", "metrics", "report_types")


def _merge(base: YMap, over: YMap) -> YMap:
    """User settings over the default: mappings listed in _MERGED_KEYS (and `agency`,
    `periods`) merge key by key; the entries of _DEEP_KEYS merge key by key too."""
    out = YMap(over.line, over.col, src=over.src)
    for key, pair in base.pairs.items():
        out.pairs[key] = pair
    for key, (knode, value) in over.pairs.items():
        old = out.pairs.get(key)
        if (key in (*_MERGED_KEYS, "agency", "periods") and old and isinstance(old[1], YMap)
                and isinstance(value, YMap)):
            out.pairs[key] = (knode, _merge_table(old[1], value, deep=key in _DEEP_KEYS))
        else:
            out.pairs[key] = (knode, value)
    return out


def _merge_table(old: YMap, new: YMap, *, deep: bool) -> YMap:
    inner = YMap(new.line, new.col, src=new.src)
    inner.pairs.update(old.pairs)
    for name, (knode, value) in new.pairs.items():
        prior = inner.pairs.get(name)
        if deep and prior and isinstance(prior[1], YMap) and isinstance(value, YMap):
            value = _merge_table(prior[1], value, deep=False)
        inner.pairs[name] = (knode, value)
    return inner


class _Reader:
    """Typed reads from located nodes; every mistake becomes a problem, reading goes on."""

    def __init__(self, root: Path | None = None) -> None:
        self.problems: list[Problem] = []
        self._said: set[Problem] = set()  # `in self.problems` was quadratic: 20,000 hung
        self.root = root  # the log's root, for paths that must stay inside it

    def problem(self, node: YNode, code: str, message: str, field: str, hint: str | None = None,
                span: int = 1) -> None:
        lines = _LINES.get(node.src, [])
        excerpt = lines[node.line - 1] if 0 < node.line <= len(lines) else None
        if isinstance(node, YScalar) and excerpt is not None:
            span = max(1, min(len(node.value) or 1, len(excerpt) - node.col + 1))
        found = Problem(SourceLoc(node.src, node.line, node.col), code, message, field, hint,
                        excerpt=excerpt, span=span)
        if found not in self._said:  # a value read twice (checked, then kept) is said once
            self._said.add(found)
            self.problems.append(found)

    def mapping(self, node: YNode | None, field: str, known: tuple[str, ...] | None = None,
                required: tuple[str, ...] = ()) -> YMap | None:
        if node is None:
            return None
        if not isinstance(node, YMap):
            self.problem(node, "E-TYPE", f"`{field}` phải là một bảng khóa: giá trị, không phải "
                         f"{type_name(node)}", field)
            return None
        if known is not None:
            for key, (knode, _v) in node.pairs.items():
                if key not in known:
                    guess = suggest(key, known)
                    self.problem(knode, "E-UNKNOWN-FIELD", f"khóa `{key}` không được phép ở đây",
                                 f"{field}.{key}",
                                 f"có phải ý bạn là `{guess}`?" if guess
                                 else "các khóa được phép: " + ", ".join(known), span=len(key))
            for key in required:
                if key not in node.pairs:
                    self.problem(node, "E-MISSING-FIELD", f"thiếu khóa bắt buộc `{key}`",
                                 f"{field}.{key}", f"thêm `{key}: ...` vào `{field}`")
        return node

    def text(self, node: YNode | None, field: str, default: str = "",
             lines: bool = False) -> str:
        """A string; folded to one line unless ``lines`` (names and titles printed on
        several lines keep their line breaks)."""
        if node is None:
            return default
        if not isinstance(node, YScalar):
            self.problem(node, "E-TYPE", f"`{field}` phải là một chuỗi, không phải "
                         f"{type_name(node)}", field)
            return default
        if node.is_null:
            return ""
        bad = XML_ILLEGAL.search(node.value)
        if bad:
            self.problem(node, "E-CONFIG-CHAR", f"`{field}` có ký tự điều khiển "
                         f"U+{ord(bad.group()):04X}, không in được trong văn bản Word", field,
                         "xóa ký tự đó (trong chuỗi có ngoặc kép, `\\a`, `\\b`, `\\x01`, "
                         "`\\u0007`... tạo ra ký tự điều khiển); xuống dòng thì viết `\\n`")
        if lines:
            return "\n".join(" ".join(ln.split()) for ln in node.value.strip().splitlines())
        return " ".join(node.value.split()) if "\n" in node.value else node.value.strip()

    def text_list(self, node: YNode | None, field: str) -> tuple[str, ...]:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return ()
        if isinstance(node, YScalar):
            return (self.text(node, field),)
        if not isinstance(node, YSeq):
            self.problem(node, "E-TYPE", f"`{field}` phải là một danh sách, không phải "
                         f"{type_name(node)}", field, f"viết `{field.rsplit('.', 1)[-1]}: [a, b]`")
            return ()
        return tuple(self.text(item, field) for item in node.items)

    def integer(self, node: YNode | None, field: str, lo: int, hi: int) -> int | None:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        number = node.number() if isinstance(node, YScalar) else None
        if not isinstance(number, int) or not lo <= number <= hi:
            self.problem(node, "E-VALUE", f"`{field}` phải là số nguyên từ {lo} đến {hi}, không "
                         f"phải {type_name(node)}", field)
            return None
        return number

    def boolean(self, node: YNode | None, field: str, default: bool) -> bool:
        if node is None:
            return default
        if isinstance(node, YScalar) and node.plain and node.value in ("true", "false"):
            return node.value == "true"
        self.problem(node, "E-TYPE", f"`{field}` phải là true hoặc false, không phải "
                     f"{type_name(node)}", field)
        return default

    def choice(self, node: YNode | None, field: str, choices: tuple[str, ...], default: str) -> str:
        if node is None:
            return default
        value = self.text(node, field, default)
        if value not in choices:
            guess = suggest(value, choices)
            self.problem(node, "E-VALUE", f'giá trị "{value}" không hợp lệ cho `{field}`', field,
                         (f"có phải ý bạn là `{guess}`? " if guess else "")
                         + "chọn một trong: " + ", ".join(choices))
            return default
        return value

    def date(self, node: YNode | None, field: str) -> dt.date | None:
        from ngoaivu_cli.periods.dates import parse_date_text

        if node is None or not isinstance(node, YScalar):
            if node is not None:
                self.problem(node, "E-TYPE", f"`{field}` phải là một ngày YYYY-MM-DD", field)
            return None
        value, code, message, hint = parse_date_text(node.value)
        if code:
            self.problem(node, code, message or "", field, hint)
        return value


_CATEGORY_KEYS = ("label", "style", "lead", "stats", "stats_at")
STATS_AT = ("first", "last", "marker")
# a section's one sentence over several categories' statistics sentences
_JOINED_KEYS = ("lead", "categories")
# office habits: zero-padding of counts and months, "(đã ký)" under the signature
_FORMATTING_KEYS = ("pad_counts", "pad_months", "signed")
PAD_MONTHS = ("decree", "all", "none")
_TOP = ("version", "extends", "agency", "units", "signers", "periods", "stats_only_tag",
        "formatting",
        "categories", "metrics", "default_types", "report_types", "sources")
_REPORT_KEYS = ("name", "due", "file_name", "doc_kind", "symbol", "title", "subtitle",
                "recipients", "opening", "sections", "closing", "receivers", "signer", "template",
                "md_template", "layout", "abstract", "cutoff_day", "calendar", "numbering",
                "blank_day", "appendix", "issue_date", "window", "deadline", "heading_case")
# a report type's data window: its months from day `start_day` (default `day`) of the month
# before to day `day` ("từ ngày 20/10/2017 - 20/11/2017")
_WINDOW_KEYS = ("day", "start_day")
_SECTION_KEYS = ("heading", "status", "period", "group_by", "categories", "exclude_categories",
                 "tags", "units", "agencies", "style", "empty", "text", "document", "subsections",
                 "entries", "stats", "lead", "marker", "joined_stats", "when_empty", "join")
_SELECTING = ("status", "period", "group_by", "categories", "exclude_categories", "tags", "units",
              "agencies", "style")
_SOURCE_KEYS = ("name", "path")
GROUPINGS = ("category", "agency", "none")  # a section's group_by
HEADING_CASES = ("upper", "sentence")  # a report type's heading_case (Mục headings)
WHEN_EMPTY = ("note", "omit")  # a section's when_empty


def _build(doc: YMap, source: Path | None, root: Path, base: Path) -> Config:
    r = _Reader(root if source is not None else None)
    r.mapping(doc, "cấu hình", _TOP)
    agency_node = r.mapping(doc.get("agency"), "agency",
                            ("parent", "name", "short_name", "symbol", "place"),
                            ("parent", "name", "symbol", "place"))
    agency = Agency(
        parent=r.text(agency_node.get("parent") if agency_node else None, "agency.parent",
                      lines=True),
        name=r.text(agency_node.get("name") if agency_node else None, "agency.name",
                    lines=True),
        short_name=r.text(agency_node.get("short_name") if agency_node else None,
                          "agency.short_name"),
        symbol=r.text(agency_node.get("symbol") if agency_node else None, "agency.symbol"),
        place=r.text(agency_node.get("place") if agency_node else None, "agency.place"),
    )
    if not agency.short_name:
        agency = Agency(agency.parent, agency.name, agency.name.capitalize(), agency.symbol,
                        agency.place)

    units: dict[str, str] = {}
    units_node = r.mapping(doc.get("units"), "units")
    for key, (_k, value) in (units_node.pairs.items() if units_node else ()):
        units[key] = r.text(value, f"units.{key}")

    signers: dict[str, Signer] = {}
    signers_node = r.mapping(doc.get("signers"), "signers")
    for key, (_k, value) in (signers_node.pairs.items() if signers_node else ()):
        node = r.mapping(value, f"signers.{key}", ("authority", "title", "name"), ("title", "name"))
        if node:
            for part in ("authority", "title", "name"):
                sub = node.get(part)
                _check_template(r, sub, r.text(sub, f"signers.{key}.{part}", lines=True),
                                f"signers.{key}.{part}")
            signers[key] = Signer(key, r.text(node.get("authority"), f"signers.{key}.authority",
                                              lines=True),
                                  r.text(node.get("title"), f"signers.{key}.title", lines=True),
                                  r.text(node.get("name"), f"signers.{key}.name"))

    periods_node = r.mapping(doc.get("periods"), "periods",
                             ("cutoff_day", "terms", "max_activity_days"))
    cutoff = r.integer(periods_node.get("cutoff_day") if periods_node else None,
                       "periods.cutoff_day", 1, 28)
    max_days = r.integer(periods_node.get("max_activity_days") if periods_node else None,
                         "periods.max_activity_days", 1, 3660) or 31
    terms: list[Term] = []
    terms_node = periods_node.get("terms") if periods_node else None
    if isinstance(terms_node, YSeq):
        for i, item in enumerate(terms_node.items):
            tnode = r.mapping(item, f"periods.terms[{i}]", ("name", "start", "end"),
                              ("name", "start", "end"))
            if tnode:
                start = r.date(tnode.get("start"), f"periods.terms[{i}].start")
                end = r.date(tnode.get("end"), f"periods.terms[{i}].end")
                if start and end:
                    if end < start:
                        r.problem(tnode, "E-DATE-ORDER", "nhiệm kỳ kết thúc trước khi bắt đầu",
                                  f"periods.terms[{i}]")
                    else:
                        terms.append(Term(r.text(tnode.get("name"), "name"), start, end))
    elif terms_node is not None and not (isinstance(terms_node, YScalar) and terms_node.is_null):
        r.problem(terms_node, "E-TYPE", "`periods.terms` phải là một danh sách nhiệm kỳ",
                  "periods.terms", "mỗi nhiệm kỳ: `- {name: 2021-2026, start: 2021-01-01, end: "
                  "2026-06-30}`")

    metrics: dict[str, Metric] = {}
    metrics_node = r.mapping(doc.get("metrics"), "metrics")
    for key, (_k, value) in (metrics_node.pairs.items() if metrics_node else ()):
        node = r.mapping(value, f"metrics.{key}", ("label", "unit", "integer", "sum_of"),
                         ("label", "unit"))
        if node:
            metrics[key] = Metric(key, r.text(node.get("label"), f"metrics.{key}.label"),
                                  r.text(node.get("unit"), f"metrics.{key}.unit"),
                                  r.boolean(node.get("integer"), f"metrics.{key}.integer", True),
                                  r.text_list(node.get("sum_of"), f"metrics.{key}.sum_of"))
    if metrics_node:
        for key, metric in metrics.items():
            for part in metric.sum_of:
                if part not in metrics or metrics[part].sum_of:
                    mnode = metrics_node.pairs[key][1]
                    where = _item_node(mnode.get("sum_of") if isinstance(mnode, YMap) else None,
                                       part, mnode)
                    _ref_problem(r, where, f"metrics.{key}.sum_of", part,
                                 [k for k, m in metrics.items() if not m.sum_of], "số liệu")

    categories: dict[str, Category] = {}
    cats_node = r.mapping(doc.get("categories"), "categories")
    for key, (_k, value) in (cats_node.pairs.items() if cats_node else ()):
        node = r.mapping(value, f"categories.{key}", _CATEGORY_KEYS,
                         ("label",))
        if not node:
            continue
        stats = _read_stats(r, node.get("stats"), f"categories.{key}.stats", metrics)
        lead = node.get("lead")
        _check_template(r, lead, r.text(lead, f"categories.{key}.lead"),
                        f"categories.{key}.lead", _names(metrics))
        categories[key] = Category(
            key, r.text(node.get("label"), f"categories.{key}.label"),
            r.choice(node.get("style"), f"categories.{key}.style", STYLES, "bullets"),
            r.text(node.get("lead"), f"categories.{key}.lead"),
            tuple(stats),
            r.choice(node.get("stats_at"), f"categories.{key}.stats_at", STATS_AT, "first"))

    stats_only_tag = r.text(doc.get("stats_only_tag"), "stats_only_tag", "so-lieu")
    fmt = r.mapping(doc.get("formatting"), "formatting", _FORMATTING_KEYS)
    pad_counts = r.boolean(fmt.get("pad_counts") if fmt else None, "formatting.pad_counts", True)
    pad_months = r.choice(fmt.get("pad_months") if fmt else None, "formatting.pad_months",
                          PAD_MONTHS, "decree")
    signed = r.boolean(fmt.get("signed") if fmt else None, "formatting.signed", False)
    sources = _read_sources(r, doc.get("sources"))
    agencies = [agency.short_name or agency.name, *(s.name for s in sources)]
    report_types = _read_report_types(r, doc, categories, units, signers, metrics, agencies)
    default_types: dict[str, str] = {}
    dt_node = r.mapping(doc.get("default_types"), "default_types", PERIOD_KINDS)
    for kind, (_k, value) in (dt_node.pairs.items() if dt_node else ()):
        name = r.text(value, f"default_types.{kind}")
        if name not in report_types:
            _ref_problem(r, value, f"default_types.{kind}", name, list(report_types), "loại báo cáo")
        default_types[kind] = name

    if r.problems:
        raise ConfigError(r.problems)
    return Config(source=source, root=root, agency=agency, units=units, signers=signers,
                  categories=categories, metrics=metrics, report_types=report_types,
                  default_types=default_types, cutoff_day=cutoff, terms=tuple(terms),
                  max_activity_days=max_days, stats_only_tag=stats_only_tag,
                  pad_counts=pad_counts, pad_months=pad_months, signed=signed,
                  paths=tuple(p for p in (display_path(source, base) if source else None,) if p),
                  sources=sources)


def _read_sources(r: _Reader, node: YNode | None) -> tuple[SourceSpec, ...]:
    """``sources:``: a list of ``{name, path}``, names unique; the folders themselves are
    opened (and checked) by :mod:`ngoaivu_cli.sources` when the log is read."""
    if node is None or (isinstance(node, YScalar) and node.is_null):
        return ()
    if not isinstance(node, YSeq):
        r.problem(node, "E-TYPE", "`sources` phải là một danh sách nguồn", "sources",
                  "mỗi nguồn: `- {name: Sở Công Thương, path: ../so-cong-thuong}`")
        return ()
    out: list[SourceSpec] = []
    seen: dict[str, YNode] = {}
    for i, item in enumerate(node.items):
        f = f"sources[{i}]"
        snode = r.mapping(item, f, _SOURCE_KEYS, _SOURCE_KEYS)
        if not snode:
            continue
        name_node, path_node = snode.get("name"), snode.get("path")
        name = r.text(name_node, f"{f}.name")
        path = r.text(path_node, f"{f}.path")
        if name_node is not None and not name:
            r.problem(name_node, "E-VALUE", "tên nguồn rỗng", f"{f}.name",
                      "ghi tên cơ quan, ví dụ `Sở Công Thương`")
            continue
        if name in seen:
            first = seen[name]
            r.problem(name_node or snode, "E-SOURCE-DUPLICATE",
                      f"hai nguồn cùng tên “{name}” (nguồn đầu ở dòng {first.line})",
                      f"{f}.name", "mỗi nguồn một tên riêng: báo cáo và `ngoaivu status` "
                      "gọi nguồn theo tên")
            continue
        if isinstance(path_node, YScalar) and path_node.is_null:  # `path: ~`, `path:`
            r.problem(path_node, "E-CONFIG-PATH", "đường dẫn nguồn để trống (`~`, `null` hay "
                      "không ghi gì là không có giá trị): nguồn này sẽ không được đọc",
                      f"{f}.path", "ghi thư mục nhật ký của cơ quan, ví dụ "
                      "`path: ../so-cong-thuong` (trong YAML, `~` nghĩa là không có giá trị, "
                      "không phải thư mục nhà)")
            continue
        if path_node is not None and isinstance(path_node, YScalar):
            from ngoaivu_cli.confine import relative_problem

            problem = relative_problem(path_node.value)
            if problem in ("đường dẫn rỗng", "đường dẫn có ký tự điều khiển"):
                r.problem(path_node, "E-CONFIG-PATH", f"đường dẫn nguồn: {problem}", f"{f}.path",
                          "ghi thư mục nhật ký của cơ quan, ví dụ `../so-cong-thuong`")
                continue
        if name and path and name_node is not None:
            seen[name] = name_node
            out.append(SourceSpec(name, path, SourceLoc(snode.src, snode.line, snode.col)))
    return tuple(out)


def _item_node(node: YNode | None, value: str, fallback: YNode) -> YNode:
    """The list item holding ``value`` (for a precise position), else the list itself."""
    if isinstance(node, YSeq):
        for item in node.items:
            if isinstance(item, YScalar) and item.value.strip() == value:
                return item
    return node or fallback


def _ref_problem(r: _Reader, node: YNode, field: str, name: str, known: list[str],
                 what: str) -> None:
    guess = suggest(name, known)
    r.problem(node, "E-CONFIG-REF", f"{what} `{name}` không có trong cấu hình", field,
              (f"có phải ý bạn là `{guess}`?" if guess else "có: " + ", ".join(known[:12])))


def _check_template(r: _Reader, node: YNode | None, text: str, field: str,
                    names: Mapping[str, Collection[str] | None] | None = None) -> None:
    """A config string may use {{ ... }}: a syntax error, an unknown filter or a misspelt
    variable is reported at its line now, not when a report is made. ``names``: what the
    string may name (default: the words about the period, the agency and the report)."""
    if node is None or "{" not in text or node.src == DEFAULT_SHOWN:
        return  # the shipped strings are checked by the test suite, not on every run
    from ngoaivu_cli.config.vocabulary import WORD_NAMES
    from ngoaivu_cli.textfill import check

    problem = check(text, WORD_NAMES if names is None else names)
    if problem:
        r.problem(node, "E-TEMPLATE", problem[0], field, problem[1])


def _names(metrics: Mapping[str, Metric]) -> Mapping[str, Collection[str] | None]:
    """What a string that may print figures may name (vocabulary.figure_names)."""
    from ngoaivu_cli.config.vocabulary import figure_names

    return figure_names(list(metrics))


def _read_stats(r: _Reader, node: YNode | None, field: str,
                metrics: dict[str, Metric]) -> tuple[StatSentence, ...]:
    stats: list[StatSentence] = []
    if isinstance(node, YSeq):
        for i, item in enumerate(node.items):
            snode = r.mapping(item, f"{field}[{i}]", ("text", "when"), ("text",))
            if snode:
                when = r.text(snode.get("when"), "when") or None
                if when and when not in metrics:
                    _ref_problem(r, snode.get("when") or snode, f"{field}[{i}].when", when,
                                 list(metrics), "số liệu")
                text_node = snode.get("text")
                text = r.text(text_node, "text")
                _check_template(r, text_node, text, f"{field}[{i}].text", _names(metrics))
                stats.append(StatSentence(text, when))
    elif node is not None:
        r.problem(node, "E-TYPE", "`stats` phải là một danh sách câu thống kê", field,
                  "mỗi câu: `- text: \"... {{ m.doan_ra }} ...\"` và tùy chọn `when: doan_ra`")
    return tuple(stats)


def _read_sections(r: _Reader, node: YNode | None, field: str, categories: dict[str, Category],
                   units: dict[str, str], metrics: dict[str, Metric],
                   agencies: list[str], depth: int = 0) -> tuple[SectionSpec, ...]:
    if node is None:
        return ()
    if not isinstance(node, YSeq):
        r.problem(node, "E-TYPE", "`sections` phải là một danh sách mục", field)
        return ()
    sections: list[SectionSpec] = []
    for i, item in enumerate(node.items):
        sf = f"{field}[{i}]"
        snode = r.mapping(item, sf, _SECTION_KEYS)
        if not snode:
            continue
        for key in ("heading", "text", "document", "lead", "empty"):
            sub = snode.get(key)
            _check_template(r, sub, r.text(sub, f"{sf}.{key}"), f"{sf}.{key}",
                            _names(metrics))
        cats = r.text_list(snode.get("categories"), f"{sf}.categories")
        excl = r.text_list(snode.get("exclude_categories"), f"{sf}.exclude_categories")
        for name, group in (("categories", cats), ("exclude_categories", excl)):
            for cat in group:
                if cat not in categories:
                    _ref_problem(r, _item_node(snode.get(name), cat, snode), f"{sf}.{name}",
                                 cat, list(categories), "lĩnh vực")
        sec_units = r.text_list(snode.get("units"), f"{sf}.units")
        for unit in sec_units:
            if unit not in units:
                _ref_problem(r, _item_node(snode.get("units"), unit, snode), f"{sf}.units", unit,
                             list(units), "đơn vị")
        sec_agencies = r.text_list(snode.get("agencies"), f"{sf}.agencies")
        for name in sec_agencies:
            if name not in agencies:
                _ref_problem(r, _item_node(snode.get("agencies"), name, snode), f"{sf}.agencies",
                             name, agencies, "cơ quan (nguồn)")
        subsections: tuple[SectionSpec, ...] = ()
        if snode.get("subsections") is not None:
            if depth >= 1:
                r.problem(snode.get("subsections") or snode, "E-VALUE",
                          "chỉ hỗ trợ hai cấp mục (mục và tiểu mục)", f"{sf}.subsections")
            else:
                subsections = _read_sections(r, snode.get("subsections"), f"{sf}.subsections",
                                             categories, units, metrics, agencies, depth + 1)
        selecting = any(snode.get(k) is not None for k in _SELECTING)
        static = any(snode.get(k) is not None for k in ("text", "document", "subsections"))
        style_node = snode.get("style")
        lead_node = snode.get("lead")
        sections.append(SectionSpec(
            heading=r.text(snode.get("heading"), f"{sf}.heading"),
            status=r.choice(snode.get("status"), f"{sf}.status", ("done", "planned", "any"),
                            "done"),
            period=r.choice(snode.get("period"), f"{sf}.period", ("current", "next"),
                            "current"),
            group_by=r.choice(snode.get("group_by"), f"{sf}.group_by", GROUPINGS, "category"),
            categories=cats, exclude_categories=excl,
            tags=r.text_list(snode.get("tags"), f"{sf}.tags"), units=sec_units,
            # the log's own agency is "" (its entries carry no source name)
            agencies=tuple("" if name == agencies[0] else name for name in sec_agencies),
            style=r.choice(style_node, f"{sf}.style", STYLES, "bullets") if style_node
            else None,
            empty=r.text(snode.get("empty"), f"{sf}.empty",
                         "" if static else "Không có nội dung phát sinh."),
            text=r.text(snode.get("text"), f"{sf}.text"),
            document=_document_name(r, snode.get("document"), f"{sf}.document"),
            subsections=subsections,
            entries=r.boolean(snode.get("entries"), f"{sf}.entries", selecting or not static),
            stats=_read_stats(r, snode.get("stats"), f"{sf}.stats", metrics),
            lead=r.text(lead_node, f"{sf}.lead") if lead_node is not None else None,
            marker=r.text(snode.get("marker"), f"{sf}.marker", "- ") + (
                " " if isinstance(snode.get("marker"), YScalar)
                and cast(YScalar, snode.get("marker")).value.endswith(" ") else ""),
            joined_stats=_read_joined(r, snode.get("joined_stats"), f"{sf}.joined_stats",
                                      categories, metrics),
            when_empty=r.choice(snode.get("when_empty"), f"{sf}.when_empty", WHEN_EMPTY,
                                "note"),
            stats_given=snode.get("stats") is not None,
            join=_read_join(r, snode.get("join"), f"{sf}.join"),
        ))
        _check_unused(r, snode, sections[-1], sf)
    return tuple(sections)


# the keys that only shape the listed entries: nothing to do in a section with `entries: false`
_ENTRY_KEYS = ("style", "lead", "marker", "group_by", "stats", "joined_stats", "empty", "join")


def _check_unused(r: _Reader, snode: YMap, spec: SectionSpec, field: str) -> None:
    """Every key of a section either does something or is refused: a key that shapes the
    listed entries (style, lead, stats...) in a section that lists none (``entries: false``)
    would be ignored without a word."""
    if spec.entries:
        return
    for key in _ENTRY_KEYS:
        node = snode.get(key)
        if node is not None:
            r.problem(node, "E-VALUE", f"`{key}` không có tác dụng trong mục có `entries: "
                      "false` (mục không liệt kê hoạt động)", f"{field}.{key}",
                      f"xóa `{key}`, hoặc bỏ `entries: false` để mục liệt kê hoạt động; số "
                      "liệu của chính mục thì viết trong `text` (xem docs/configuration.md)")


def _read_join(r: _Reader, node: YNode | None, field: str) -> str:
    """``join: "; "`` (what joins the entries of one ``group``): kept with its spaces, which
    ``text`` would strip; never empty, at most 20 characters."""
    if node is None:
        return "; "
    r.text(node, field)  # a string, without control characters
    if not isinstance(node, YScalar):
        return "; "
    raw = "" if node.is_null else node.value.replace("\n", " ")
    if not raw or len(raw) > 20:
        r.problem(node, "E-VALUE", f"`{field}` phải là một chuỗi ngắn (1–20 ký tự), không "
                  f"{'rỗng' if not raw else 'dài hơn'}", field,
                  'ví dụ `join: "; "` (mặc định) hoặc `join: ", "`')
        return "; "
    return raw


def _read_joined(r: _Reader, node: YNode | None, field: str, categories: dict[str, Category],
                 metrics: dict[str, Metric]) -> JoinedStats | None:
    """``joined_stats: {lead: "Năm qua, ... đã ", categories: [a, b]}``; each category must
    have statistics sentences to join."""
    jnode = r.mapping(node, field, _JOINED_KEYS, ("lead", "categories"))
    if not jnode:
        return None
    lead = jnode.get("lead")
    _check_template(r, lead, r.text(lead, f"{field}.lead"), f"{field}.lead", _names(metrics))
    cats = r.text_list(jnode.get("categories"), f"{field}.categories")
    for cat in cats:
        where = _item_node(jnode.get("categories"), cat, jnode)
        if cat not in categories:
            _ref_problem(r, where, f"{field}.categories", cat, list(categories), "lĩnh vực")
        elif not categories[cat].stats:
            r.problem(where, "E-VALUE", f"lĩnh vực `{cat}` không có câu thống kê (`stats`) để "
                      "nối", f"{field}.categories", f"thêm `stats` cho `categories.{cat}`, hoặc "
                      "bỏ lĩnh vực này khỏi danh sách")
    return JoinedStats(r.text(lead, f"{field}.lead"), cats)


def _check_name(r: _Reader, node: YNode | None, field: str, what: str) -> None:
    """A name that becomes a file name (a report type's key, its ``file_name``), checked as
    written: folding would hide a newline."""
    from ngoaivu_cli.confine import name_problem

    if not isinstance(node, YScalar) or node.is_null:
        return  # absent, or not text: r.text says so
    value = node.value
    problem = name_problem(value)
    if problem:
        r.problem(node, "E-CONFIG-NAME", f"{what} “{_shown_value(value)}” không hợp lệ: "
                  f"{problem}", field, "dùng chữ, số, dấu - và _; báo cáo được ghi vào thư mục "
                  "làm việc hoặc nơi -o/--out chỉ")


def _check_path(r: _Reader, node: YNode | None, field: str, hint: str) -> None:
    """A path the configuration names (as written) must stay inside the log repository."""
    from ngoaivu_cli.confine import confined, relative_problem

    if not isinstance(node, YScalar) or node.is_null or not node.value:
        return  # absent, empty or not text: r.text says so
    value = node.value
    problem = relative_problem(value)
    if problem is None and r.root is not None and confined(r.root, value) is None:
        problem = "đường dẫn (qua liên kết tượng trưng) ra ngoài kho nhật ký"
    if problem:
        r.problem(node, "E-CONFIG-PATH", f"“{_shown_value(value)}”: {problem}", field, hint)


def _shown_value(value: str) -> str:
    text = value.encode("unicode_escape").decode("ascii") if any(
        ord(c) < 32 or ord(c) == 127 for c in value) else value
    return text if len(text) <= 80 else text[:80] + "…"


def _document_name(r: _Reader, node: YNode | None, field: str) -> str:
    """A section's ``document:``, a name under ``documents/`` that stays there."""
    value = r.text(node, field)
    if "{" not in value:  # a name with {{ period.year }} is checked when it is filled
        _check_path(r, node, field, "ghi tên tài liệu trong documents/, ví dụ "
                    "`kho-khan` hoặc `2018/muc-dich`")
    return value


def _read_window(r: _Reader, node: YMap, f: str) -> tuple[int, int] | None:
    """``window: {day: 20}`` → ``(20, 20)``; ``{day: 20, start_day: 21}`` → ``(21, 20)``."""
    win = r.mapping(node.get("window"), f"{f}.window", _WINDOW_KEYS, ("day",))
    if not win:
        return None
    day = r.integer(win.get("day"), f"{f}.window.day", 1, 31)
    start = r.integer(win.get("start_day"), f"{f}.window.start_day", 1, 31)
    cutoff = node.get("cutoff_day")
    if cutoff is not None and not (isinstance(cutoff, YScalar) and cutoff.is_null):
        r.problem(win, "E-VALUE", f"`{f}` có cả `window` và `cutoff_day`: chọn một", f"{f}.window",
                  "cutoff_day: 14 là từ ngày 15 tháng trước đến ngày 14; window: {day: 20} là "
                  "từ ngày 20 tháng trước đến ngày 20 (xem docs/configuration.md)")
        return None
    return (start or day, day) if day is not None else None


def _read_report_types(r: _Reader, doc: YMap, categories: dict[str, Category],
                       units: dict[str, str], signers: dict[str, Signer],
                       metrics: dict[str, Metric], agencies: list[str]) -> dict[str, ReportType]:
    out: dict[str, ReportType] = {}
    types_node = r.mapping(doc.get("report_types"), "report_types")
    for key, (key_node, value) in (types_node.pairs.items() if types_node else ()):
        f = f"report_types.{key}"
        node = r.mapping(value, f, _REPORT_KEYS, ("doc_kind", "title", "sections", "signer"))
        if not node:
            continue
        _check_name(r, key_node, f, "tên loại báo cáo")
        _check_name(r, node.get("file_name"), f"{f}.file_name", "`file_name`")
        for name, ext in (("template", ".docx"), ("md_template", ".md.j2")):
            _check_path(r, node.get(name), f"{f}.{name}", f"ghi đường dẫn tương đối trong kho, "
                        f"ví dụ `templates/bao-cao{ext}`")
        for name in ("title", "subtitle", "opening", "closing", "recipients", "receivers",
                     "abstract"):
            sub = node.get(name)
            if isinstance(sub, YSeq):
                for item in sub.items:
                    _check_template(r, item, r.text(item, f"{f}.{name}"), f"{f}.{name}",
                                    _names(metrics))
            elif sub is not None:
                _check_template(r, sub, r.text(sub, f"{f}.{name}"), f"{f}.{name}",
                                _names(metrics))
        signer_node = node.get("signer")
        signer = r.text(signer_node, f"{f}.signer")
        if signer_node is not None and signer not in signers:
            _ref_problem(r, signer_node, f"{f}.signer", signer, list(signers), "người ký")
        sec_node = node.get("sections")
        sections = _read_sections(r, sec_node, f"{f}.sections", categories, units, metrics,
                                  agencies)
        appendix = None
        app_node = r.mapping(node.get("appendix"), f"{f}.appendix",
                             ("title", "by", "note", "compare"), ("title",))
        if app_node:
            from ngoaivu_cli.config.vocabulary import SCOPES

            for name in ("title", "note"):
                sub = app_node.get(name)
                # the title may be a list of lines, broken where its phrases end
                for part in sub.items if isinstance(sub, YSeq) else [sub]:
                    _check_template(r, part, r.text(part, f"{f}.appendix.{name}"),
                                    f"{f}.appendix.{name}", _names(metrics))
            compare_node = app_node.get("compare")
            appendix = AppendixSpec(
                "\n".join(r.text_list(app_node.get("title"), f"{f}.appendix.title")),
                r.choice(app_node.get("by"), f"{f}.appendix.by",
                         ("category", "unit", "partner", "month", "agency"), "category"),
                r.text(app_node.get("note"), f"{f}.appendix.note"),
                r.choice(compare_node, f"{f}.appendix.compare", SCOPES, "last_year")
                if compare_node is not None else "")
        window = _read_window(r, node, f)
        due = r.text_list(node.get("due"), f"{f}.due")
        for kind in due:
            if kind not in PERIOD_KINDS:
                _ref_problem(r, _item_node(node.get("due"), kind, node), f"{f}.due", kind,
                             list(PERIOD_KINDS), "loại kỳ")
        numbering = r.choice(node.get("numbering"), f"{f}.numbering", ("roman", "decimal"),
                             "roman")
        out[key] = ReportType(
            key=key,
            name=r.text(node.get("name"), f"{f}.name", key),
            doc_kind=r.text(node.get("doc_kind"), f"{f}.doc_kind"),
            symbol=r.text(node.get("symbol"), f"{f}.symbol"),
            title=r.text_list(node.get("title"), f"{f}.title"),
            sections=sections,
            signer=signer,
            due=due,
            file_name=r.text(node.get("file_name"), f"{f}.file_name", key.replace("_", "-")),
            subtitle=r.text(node.get("subtitle"), f"{f}.subtitle"),
            recipients=r.text_list(node.get("recipients"), f"{f}.recipients"),
            opening=r.text(node.get("opening"), f"{f}.opening"),
            closing=r.text(node.get("closing"), f"{f}.closing"),
            receivers=r.text_list(node.get("receivers"), f"{f}.receivers"),
            template=r.text(node.get("template"), f"{f}.template"),
            md_template=r.text(node.get("md_template"), f"{f}.md_template"),
            layout=r.choice(node.get("layout"), f"{f}.layout", LAYOUTS, "bao_cao"),
            abstract=r.text_list(node.get("abstract"), f"{f}.abstract"),
            cutoff_day=r.integer(node.get("cutoff_day"), f"{f}.cutoff_day", 1, 28),
            calendar=r.boolean(node.get("calendar"), f"{f}.calendar", False),
            numbering=numbering,
            heading_case=r.choice(node.get("heading_case"), f"{f}.heading_case", HEADING_CASES,
                                  "upper" if numbering == "roman" else "sentence"),
            blank_day=r.boolean(node.get("blank_day"), f"{f}.blank_day", False),
            issue_date=r.choice(node.get("issue_date"), f"{f}.issue_date", ("end", "start"),
                                "end"),
            appendix=appendix,
            window=window,
            deadline=r.integer(node.get("deadline"), f"{f}.deadline", 1, 31),
            loc=SourceLoc(node.src, node.line, node.col),
        )
    return out


def config_document(config: Config) -> YMap | None:
    """The configuration's merged document (the user's file over the shipped default, as
    :func:`load_config` read it), with every node's file and line; None for the shipped
    default alone. For checks that need to know where a value was written."""
    if config.source is None:
        return None
    shown = config.paths[0] if config.paths else str(config.source)
    from ngoaivu_cli.safeio import decode_utf8

    try:
        text, problem = decode_utf8(read_bytes(config.source, MAX_CONFIG_BYTES), shown)
        user_doc = _parse(shown, text, quote=not _links_outside(config.source))
    except (OSError, ConfigError):
        return None  # changed since it was read: the next run reports it
    if problem:
        return None
    extends = user_doc.get("extends")
    if isinstance(extends, YScalar) and extends.value.strip() == "none":
        return user_doc
    return _merge(_default_doc(), user_doc)
