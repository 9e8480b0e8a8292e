"""Safe YAML reading with positions: text → a tree of located nodes, never Python objects.

PyYAML's constructors carry the YAML 1.1 traps (``2023-08-24`` becomes a date, ``no`` becomes
False, ``12:30`` becomes 750, a repeated key silently wins). We only *compose* the document
(with libyaml's C parser when present) and convert nodes ourselves: every scalar stays text
with its line, column and whether it was quoted; callers decide what a field's type is.
Object tags, aliases and duplicate keys are reported as problems.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

try:  # the C composer is several times faster
    from yaml import CSafeLoader as _Loader

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    HAS_LIBYAML = False

from ngoaivu_cli.errors import ERROR, WARNING, Problem, SourceLoc

_STD_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STD_TAG + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "omap")
}
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_DEPTH = 64
_RESOLVER = yaml.resolver.Resolver()


@dataclass
class YNode:
    """Base of located nodes: 1-based line and column of the node's start."""

    line: int
    col: int
    src: str = field(default="", kw_only=True)  # the file it came from, as shown to the user


@dataclass
class YScalar(YNode):
    value: str
    plain: bool  # unquoted, so it may be a number or null; quoted text is always text
    tagged: str | None = None  # an explicit standard tag such as !!str

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in _NULLS and self.tagged is None

    def number(self) -> int | float | None:
        """The value as a number if it was written as one (plain decimal), else None."""
        if not self.plain or self.tagged not in (None, _STD_TAG + "int", _STD_TAG + "float"):
            return None
        text = self.value.replace("_", "") if "_" not in self.value[:1] else self.value
        if _INT_RE.match(text):
            return int(text)
        if _FLOAT_RE.match(text):
            return float(text)
        return None


@dataclass
class YSeq(YNode):
    items: list[YNode] = field(default_factory=list)


@dataclass
class YMap(YNode):
    # key text → (key node, value node); insertion order is document order
    pairs: dict[str, tuple[YScalar, YNode]] = field(default_factory=dict)

    def get(self, key: str) -> YNode | None:
        pair = self.pairs.get(key)
        return pair[1] if pair else None

    def keys(self) -> Iterator[str]:
        return iter(self.pairs)


def type_name(node: YNode) -> str:
    """Vietnamese name of what a node is, for 'wrong type' messages."""
    if isinstance(node, YMap):
        return "một bảng khóa: giá trị"
    if isinstance(node, YSeq):
        return "một danh sách"
    assert isinstance(node, YScalar)
    if node.is_null:
        return "giá trị rỗng"
    if node.number() is not None:
        return f"số {node.value}"
    return f'chuỗi "{_clip(node.value)}"'


def _clip(text: str, n: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


class _Converter:
    """Turns composed PyYAML nodes into Y* nodes, collecting problems."""

    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def problem(self, line: int, col: int, code: str, message: str, *, field: str = "-",
                hint: str | None = None, severity: str = ERROR, span: int = 1) -> None:
        excerpt = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        self.problems.append(Problem(SourceLoc(self.path, line, col), code, message, field, hint,
                                     severity, excerpt, span))

    def convert(self, node: yaml.Node, depth: int = 0) -> YNode | None:
        out = self._convert(node, depth)
        if out is not None:
            out.src = self.path
        return out

    def _convert(self, node: yaml.Node, depth: int = 0) -> YNode | None:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if id(node) in self._seen:
            self.problem(line, col, "E-YAML-ALIAS",
                         "dùng lại nội dung bằng bí danh (*alias) không được hỗ trợ",
                         hint="hãy viết đầy đủ giá trị thay cho &neo / *bí-danh")
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problem(line, col, "E-YAML-DEPTH", f"cấu trúc lồng quá sâu (quá {MAX_DEPTH} cấp)",
                         hint="một hoạt động chỉ gồm các trường đơn giản, danh sách và bảng số liệu")
            return None
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            self.problem(line, col, "E-YAML-TAG", f"thẻ YAML `{_short_tag(tag)}` không được phép",
                         hint="bỏ thẻ !!... ; nhật ký chỉ chứa chữ, số, danh sách và bảng",
                         span=len(_short_tag(tag)))
            return None
        if isinstance(node, yaml.ScalarNode):
            value = str(node.value)
            plain = node.style in (None, "")
            implicit = (_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) if plain
                        else _STD_TAG + "str")
            explicit = tag if tag != implicit else None
            return YScalar(line, col, value, plain and explicit != _STD_TAG + "str", explicit)
        if isinstance(node, yaml.SequenceNode):
            seq = YSeq(line, col)
            for item in node.value:
                conv = self.convert(item, depth + 1)
                if conv is not None:
                    seq.items.append(conv)
            return seq
        if isinstance(node, yaml.MappingNode):
            mapping = YMap(line, col)
            for key_node, value_node in node.value:
                kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(kline, kcol, "E-TYPE", "khóa phải là một tên đơn giản",
                                 hint="viết dạng `ten_truong: gia_tri`")
                    continue
                key = str(key_node.value)
                if key == "<<":
                    self.problem(kline, kcol, "E-YAML-ALIAS", "khóa gộp `<<` không được hỗ trợ",
                                 hint="hãy viết đầy đủ các trường")
                    continue
                if key in mapping.pairs:
                    first = mapping.pairs[key][0]
                    self.problem(kline, kcol, "E-DUP-KEY",
                                 f"khóa `{key}` xuất hiện hai lần (lần đầu ở dòng {first.line})",
                                 field=key, hint="giữ lại một dòng, xóa dòng còn lại",
                                 span=len(key))
                    continue
                value = self.convert(value_node, depth + 1)
                if value is None:
                    continue
                key_scalar = YScalar(kline, kcol, key, True, src=self.path)
                mapping.pairs[key] = (key_scalar, value)
            return mapping
        return None  # pragma: no cover - PyYAML has no other node kinds


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD_TAG):] if tag.startswith(_STD_TAG) else tag


def parse_documents(text: str, path: str) -> tuple[list[YNode], list[Problem]]:
    """Compose every YAML document in ``text``; returns located nodes and problems.

    A syntax error is one problem at the parser's mark; nothing is raised.
    """
    lines = text.splitlines()
    conv = _Converter(path, lines)
    docs: list[YNode] = []
    try:
        for node in yaml.compose_all(text, Loader=_Loader):
            if node is None:
                continue
            converted = conv.convert(node)
            if converted is not None:
                docs.append(converted)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        what = exc.problem or exc.context or "cú pháp không hợp lệ"
        conv.problem(line, col, "E-YAML-SYNTAX", f"lỗi cú pháp YAML: {_translate_yaml(what)}",
                     hint=_syntax_hint(what))
    except yaml.YAMLError as exc:
        conv.problem(1, 1, "E-YAML-SYNTAX", f"lỗi cú pháp YAML: {exc}",
                     hint="kiểm tra thụt lề và dấu hai chấm")
    except RecursionError:
        conv.problem(1, 1, "E-YAML-DEPTH", "cấu trúc lồng quá sâu",
                     hint="một hoạt động chỉ gồm các trường đơn giản, danh sách và bảng số liệu")
    return docs, conv.problems


_YAML_WORDS = {
    "mapping values are not allowed": "không được đặt `khóa: giá trị` ở đây",
    "could not find expected ':'": "thiếu dấu `:` sau tên trường",
    "found character that cannot start any token": "có ký tự không được phép mở đầu (thường là TAB)",
    "found unexpected end of stream": "tệp kết thúc giữa chừng (thiếu dấu nháy đóng?)",
    "did not find expected key": "thụt lề không đúng, không tìm thấy tên trường",
    "found undefined alias": "bí danh (*alias) chưa được định nghĩa",
    "expected <block end>, but found '-'": "gạch đầu dòng `-` bị thụt lề sai",
    "while scanning a quoted scalar": "chuỗi trong dấu nháy chưa được đóng",
    "while parsing a block mapping": "thụt lề của bảng khóa không đúng",
    "found unknown escape character": "ký tự thoát `\\` không hợp lệ trong chuỗi nháy kép",
    "did not find expected ',' or ']'": "thiếu dấu `,` hoặc `]` đóng danh sách",
    "did not find expected ',' or '}'": "thiếu dấu `,` hoặc `}` đóng bảng",
    "found a tab character": "có ký tự TAB trong thụt lề",
}


def _translate_yaml(what: str) -> str:
    for en, vi in _YAML_WORDS.items():
        if what.startswith(en):
            return vi
    return what


def _syntax_hint(what: str) -> str:
    if "mapping values" in what:
        return "nếu nội dung có dấu `:`, hãy đặt cả chuỗi trong dấu nháy kép"
    if "cannot start any token" in what:
        return "thay ký tự TAB bằng dấu cách; các ký tự @ ` % ở đầu giá trị cần đặt trong dấu nháy"
    if "escape" in what:
        return "trong dấu nháy kép, viết `\\\\` cho dấu `\\`, hoặc dùng dấu nháy đơn"
    return "kiểm tra thụt lề (dùng dấu cách), dấu hai chấm và dấu nháy"


def suggest(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The closest known name to ``word`` ("did you mean"), or None."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if matches:
        return matches[0]
    lowered = {c.lower(): c for c in choices}
    return lowered.get(word.lower())


__all__ = [
    "HAS_LIBYAML",
    "ERROR",
    "WARNING",
    "YMap",
    "YNode",
    "YScalar",
    "YSeq",
    "parse_documents",
    "suggest",
    "type_name",
]
