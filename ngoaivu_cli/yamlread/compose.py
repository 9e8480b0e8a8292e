"""Composing YAML with PyYAML (libyaml's C parser when present) into located nodes, with
object tags, aliases, duplicate keys, syntax errors and hostile nesting reported as problems."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

import yaml

try:  # the C composer is several times faster
    from yaml import CSafeLoader as _Loader

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    HAS_LIBYAML = False

from ngoaivu_cli.errors import ERROR, Problem, SourceLoc
from ngoaivu_cli.yamlread.nodes import _STD_TAG, YMap, YNode, YScalar, YSeq
from ngoaivu_cli.yamlread.simple import parse_simple

_ALLOWED_TAGS = {
    _STD_TAG + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "omap")
}
MAX_DEPTH = 64
_RESOLVER = yaml.resolver.Resolver()


class _AliasFound(Exception):
    """Raised by the converter of libyaml's tree at the first node met twice (an alias)."""


class _AliasNode(yaml.Node):
    """An alias, where it is written (``*name``): what :class:`_AliasLoader` composes for it."""

    id = "alias"

    def __init__(self, event: yaml.AliasEvent) -> None:
        # an alias has no tag (None), and libyaml's marks are yaml._yaml.Mark; the stubs of
        # Node accept only a str tag and yaml.error.Mark
        super().__init__(
            None, event.anchor, event.start_mark, event.end_mark)  # type: ignore[arg-type]


class _AliasComposer(yaml.composer.Composer):
    """PyYAML's composer, except that an alias becomes its own :class:`_AliasNode` instead of
    the anchored node itself (whose mark is the anchor's), and that nothing is built past
    :data:`MAX_DEPTH`, where the converter stops (so the Python recursion stays short)."""

    _depth = 0

    if TYPE_CHECKING:  # given by the parser of the loader this class is mixed into
        def peek_event(self) -> yaml.Event: ...
        def get_event(self) -> yaml.Event: ...

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) and event.anchor in self.anchors:
            return _AliasNode(cast(yaml.AliasEvent, self.get_event()))  # the event just peeked
        if self._depth > MAX_DEPTH and isinstance(event, yaml.CollectionStartEvent):
            return self._skip_collection()
        self._depth += 1
        try:
            # PyYAML passes None (document root, mapping key) or the key node as well as
            # a list position; the stubs of Composer.compose_node say int
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self._depth -= 1

    def _skip_collection(self) -> yaml.Node:
        """A too deep collection as a leaf at its place (the converter refuses it for its depth
        without looking inside); its events are read without recursion."""
        first = self.peek_event()
        # libyaml's marks are yaml._yaml.Mark; the stubs accept only yaml.error.Mark
        leaf = yaml.ScalarNode(
            _STD_TAG + "null", "", first.start_mark, first.end_mark)  # type: ignore[arg-type]
        level = 0
        while True:
            event = self.get_event()
            anchor = getattr(event, "anchor", None)
            if anchor is not None and not isinstance(event, yaml.AliasEvent):
                if anchor in self.anchors:
                    raise yaml.composer.ComposerError(
                        f"found duplicate anchor {anchor!r}; first occurrence",
                        self.anchors[anchor].start_mark, "second occurrence",
                        event.start_mark)  # type: ignore[arg-type]  # libyaml's mark, as above
                self.anchors[anchor] = leaf
            if isinstance(event, yaml.CollectionStartEvent):
                level += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                level -= 1
                if not level:
                    return leaf


class _AliasLoader(_AliasComposer, _Loader):
    """The loader for the rare file with an alias (or with a part the converter skipped, where
    one could hide): libyaml's parser when present, composed by :class:`_AliasComposer`."""

    def __init__(self, stream: str) -> None:
        _Loader.__init__(self, stream)
        yaml.composer.Composer.__init__(self)


class _Converter:
    """Turns composed PyYAML nodes into Y* nodes, collecting problems.

    libyaml's composer gives an alias the anchored node itself (same object, the anchor's
    mark). When the text could hold one (it has a `&` and a `*`), the converter notes every node
    it meets and raises :class:`_AliasFound` at the first one met twice; ``skipped`` tells that
    it did not look inside some part (a refused or duplicate value), where an anchor could be.
    Then :func:`parse_documents` composes again with :class:`_AliasLoader` (``exact=True``):
    every alias is its own node, reported where it is written.
    """

    def __init__(self, path: str, lines: list[str], text: str = "", *,
                 exact: bool = False) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        # cheap facts about the text that let most files skip work: an explicit tag needs a
        # `!`, an alias a `*` and its anchor a `&`
        self.tags_possible = "!" in text
        self.aliases_possible = "*" in text and "&" in text
        self.exact = exact
        self.skipped = False

    def problem(self, line: int, col: int, code: str, message: str, *, field: str = "-",
                hint: str | None = None, severity: str = ERROR, span: int = 1) -> None:
        excerpt = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        self.problems.append(Problem(SourceLoc(self.path, line, col), code, message, field, hint,
                                     severity, excerpt, span))

    def convert(self, node: yaml.Node, depth: int = 0) -> YNode | None:
        """The located node of ``node`` (None when refused: the problem is recorded)."""
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if self.aliases_possible:
            if self.exact:
                if type(node) is _AliasNode:
                    self._alias(node)
                    return None
            elif id(node) in self._seen:
                raise _AliasFound
            else:
                self._seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problem(line, col, "E-YAML-DEPTH", f"cấu trúc lồng quá sâu (quá {MAX_DEPTH} cấp)",
                         hint=_DEPTH_HINT)
            self.skipped = True
            return None
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            self.problem(line, col, "E-YAML-TAG", f"thẻ YAML `{_short_tag(tag)}` không được phép",
                         hint="bỏ thẻ !!... ; nhật ký chỉ chứa chữ, số, danh sách và bảng",
                         span=len(_short_tag(tag)))
            self.skipped = True
            return None
        if isinstance(node, yaml.ScalarNode):
            value = str(node.value)
            plain = not node.style
            explicit = None
            if self.tags_possible:  # without a `!` in the text no tag can be explicit
                implicit = (_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) if plain
                            else _STD_TAG + "str")
                explicit = tag if tag != implicit else None
            return YScalar(line, col, value, plain and explicit != _STD_TAG + "str", explicit,
                           src=self.path)
        if isinstance(node, yaml.SequenceNode):
            seq = YSeq(line, col, src=self.path)
            items = seq.items
            for item in node.value:
                conv = self.convert(item, depth + 1)
                if conv is not None:
                    items.append(conv)
            return seq
        if isinstance(node, yaml.MappingNode):
            mapping = YMap(line, col, src=self.path)
            pairs = mapping.pairs
            refused: dict[str, YScalar] | None = None  # made at the first refused value
            track = self.aliases_possible and not self.exact  # keys too can be aliases
            for key_node, value_node in node.value:
                kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if track:
                    if id(key_node) in self._seen:
                        raise _AliasFound
                    self._seen.add(id(key_node))
                if type(key_node) is not yaml.ScalarNode:
                    if self.exact and type(key_node) is _AliasNode:
                        self._alias(key_node)
                    else:
                        self.problem(kline, kcol, "E-TYPE", "khóa phải là một tên đơn giản",
                                     hint="viết dạng `ten_truong: gia_tri`")
                    self.skipped = True
                    continue
                key = str(key_node.value)
                if key == "<<":
                    self.problem(kline, kcol, "E-YAML-ALIAS", "khóa gộp `<<` không được hỗ trợ",
                                 hint="hãy viết đầy đủ các trường")
                    self.skipped = True
                    continue
                if key in pairs or (refused and key in refused):
                    first = pairs[key][0] if key in pairs else refused[key]  # type: ignore[index]
                    self.problem(kline, kcol, "E-DUP-KEY",
                                 f"khóa `{key}` xuất hiện hai lần (lần đầu ở dòng {first.line})",
                                 field=key, hint="giữ lại một dòng, xóa dòng còn lại",
                                 span=len(key))
                    self.skipped = True
                    continue
                key_scalar = YScalar(kline, kcol, key, True, src=self.path)
                converted = self.convert(value_node, depth + 1)
                if converted is None:  # refused, and reported: the key is there all the same
                    if refused is None:
                        refused = {}
                    refused[key] = key_scalar
                    continue
                pairs[key] = (key_scalar, converted)
            if refused:
                mapping.refused = frozenset(refused)
            return mapping
        return None  # pragma: no cover - PyYAML has no other node kinds

    def _alias(self, node: yaml.Node) -> None:
        self.problem(node.start_mark.line + 1, node.start_mark.column + 1, "E-YAML-ALIAS",
                     "dùng lại nội dung bằng bí danh (*alias) không được hỗ trợ",
                     hint="hãy viết đầy đủ giá trị thay cho &neo / *bí-danh",
                     span=1 + len(str(node.value)))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD_TAG):] if tag.startswith(_STD_TAG) else tag


def parse_documents(text: str, path: str, *, simple: bool = True
                    ) -> tuple[list[YNode], list[Problem]]:
    """Compose every YAML document in ``text``; returns located nodes and problems.

    A syntax error is one problem at the parser's mark; nothing is raised, and no input can
    crash or hang the parser (see :func:`_too_deep`). ``simple=False`` when the caller has
    already tried :func:`parse_simple`.
    """
    fast = parse_simple(text, path) if simple else None
    if fast is not None:
        return [fast], []
    lines = text.splitlines()
    deep = _too_deep(text)
    if deep is not None:
        conv = _Converter(path, lines, text)
        line, col = deep
        conv.problem(line, col, "E-YAML-DEPTH", f"cấu trúc lồng quá sâu (quá {MAX_DEPTH} cấp)",
                     hint=_DEPTH_HINT)
        return [], conv.problems
    conv = _Converter(path, lines, text)
    try:
        docs = _compose(conv, text, _Loader)
        again = conv.aliases_possible and conv.skipped
    except _AliasFound:
        again = True
    if again:  # rare: an alias, or a skipped part where one could be anchored
        conv = _Converter(path, lines, text, exact=True)
        docs = _compose(conv, text, _AliasLoader)
    return docs, conv.problems


def _compose(conv: _Converter, text: str, loader: type) -> list[YNode]:
    """The converted documents of ``text`` composed by ``loader``; any error is a problem of
    ``conv`` (only :class:`_AliasFound` goes through)."""
    docs: list[YNode] = []
    try:
        for node in yaml.compose_all(text, Loader=loader):
            if node is None:
                continue
            converted = conv.convert(node)
            if converted is not None:
                docs.append(converted)
    except yaml.MarkedYAMLError as exc:
        line, col, message, hint = _syntax_problem(exc, conv.lines)
        conv.problem(line, col, "E-YAML-SYNTAX", f"lỗi cú pháp YAML: {message}", hint=hint)
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        conv.problem(line, col, "E-TEXT-CONTROL",
                     f"ký tự điều khiển U+{code:04X} không được phép trong tệp YAML",
                     hint="xóa ký tự lạ (thường do sao chép từ PDF hoặc phần mềm khác)")
    except yaml.YAMLError as exc:
        conv.problem(1, 1, "E-YAML-SYNTAX", f"lỗi cú pháp YAML: {exc}",
                     hint="kiểm tra thụt lề và dấu hai chấm")
    except UnicodeEncodeError as exc:  # a lone surrogate, only possible in text built in memory
        line, col = _position(text, exc.start, chars=True)
        conv.problem(line, col, "E-ENCODING", "chữ chứa ký tự Unicode không hợp lệ (surrogate)",
                     hint="lưu tệp bằng UTF-8")
    except RecursionError:
        conv.problem(1, 1, "E-YAML-DEPTH", "cấu trúc lồng quá sâu", hint=_DEPTH_HINT)
    return docs


# An opening quote or bracket that is never closed: the parser stops at the end of the file (or
# where the collection cannot go on, lines later), a place that says nothing and often has no
# line to show; the opening character is where the mistake is.
_UNCLOSED = {
    '"': ("chuỗi mở bằng dấu nháy kép `\"` chưa được đóng",
          "thêm dấu `\"` ở cuối nội dung, trên cùng dòng"),
    "'": ("chuỗi mở bằng dấu nháy đơn `'` chưa được đóng",
          "thêm dấu `'` ở cuối nội dung, trên cùng dòng; dấu nháy đơn ở giữa nội dung viết "
          "thành hai dấu `''`"),
    "[": ("danh sách mở bằng `[` chưa được đóng (thiếu dấu `]` hoặc dấu `,`)",
          "viết cả danh sách trên cùng dòng và đóng bằng `]`, ví dụ `[ttdn, lao]`"),
    "{": ("bảng mở bằng `{` chưa được đóng (thiếu dấu `}` hoặc dấu `,`)",
          "viết cả bảng trên cùng dòng và đóng bằng `}`, ví dụ `{doan_ra: 1, luot_ra: 5}`"),
}
_UNCLOSED_CONTEXTS = ("while scanning a quoted scalar", "while parsing a flow sequence",
                      "while parsing a flow mapping")
_UNCLOSED_PROBLEMS = ("found unexpected end of stream", "found unexpected document indicator")
_UNCLOSED_LATER = ("did not find expected ',' or", "expected ',' or")  # on a later line


def _syntax_problem(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str]:
    """Line, column, message and hint of a syntax error: at the parser's problem mark, or where
    a quote or bracket that is never closed opens (the context mark)."""
    what = exc.problem or exc.context or "cú pháp không hợp lệ"
    start, stop = exc.context_mark, exc.problem_mark
    problem = exc.problem or ""
    if start is not None and exc.context in _UNCLOSED_CONTEXTS and (
            problem.startswith(_UNCLOSED_PROBLEMS)
            or (problem.startswith(_UNCLOSED_LATER) and (stop is None or stop.line > start.line))):
        line, col = start.line + 1, start.column + 1
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        opener = text[col - 1:col] or "-"
        if opener not in _UNCLOSED:  # pragma: no cover - the marks are libyaml's own
            opener = '"' if "quoted" in exc.context else "[" if "sequence" in exc.context else "{"
        message, hint = _UNCLOSED[opener]
        return line, col, message, hint
    mark = stop or start
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    return line, col, _translate_yaml(what), _syntax_hint(what)


_DEPTH_HINT = "một hoạt động chỉ gồm các trường đơn giản, danh sách và bảng số liệu"
# libyaml's composer recurses once per level (C stack: ~30 000 levels crash the process) and
# its scanner is quadratic in the flow depth (100 000 `[` take 20 s). Nesting is bounded by the
# number of characters that can open a level, so almost every file is cleared by five
# str.count calls; the rare rest is measured before composing.
SAFE_DEPTH = 1000
_MAX_FLOW_SCAN = 5000
_FLOW_RE = re.compile(r"[\[\]{}]")


def _too_deep(text: str) -> tuple[int, int] | None:
    """None when ``text`` can be composed safely; else where its nesting passes
    :data:`MAX_DEPTH` (line, column)."""
    openers = text.count("[") + text.count("{")
    if openers + text.count("-") + text.count(":") + text.count("?") <= SAFE_DEPTH:
        return None
    if openers > SAFE_DEPTH:
        # an upper bound of the flow depth (brackets inside quotes count too): past
        # _MAX_FLOW_SCAN libyaml itself would take seconds, so refuse on the bound
        depth = top = 0
        where = 0
        for m in _FLOW_RE.finditer(text):
            if m.group() in "[{":
                depth += 1
                if depth > top:
                    top = depth
                    if depth == MAX_DEPTH + 1:
                        where = m.start()
            elif depth:
                depth -= 1
        if top > _MAX_FLOW_SCAN:
            return _position(text, where, chars=True)
    return _event_depth(text)


def _event_depth(text: str) -> tuple[int, int] | None:
    """Where nesting passes :data:`MAX_DEPTH`, if it also passes :data:`SAFE_DEPTH`, from
    libyaml's events (no recursion); syntax errors are left to compose, which reports them."""
    loader = _Loader(text)
    depth = 0
    first: tuple[int, int] | None = None
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                mark = event.start_mark
                if depth == MAX_DEPTH + 2 and first is None and mark is not None:  # root: 1
                    first = mark.line + 1, mark.column + 1
                if depth > SAFE_DEPTH:
                    return first
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, UnicodeEncodeError):
        # libyaml 0.2.6 and later stop by themselves at 1000 levels ("exceeded maximum
        # nesting depth"): the nesting seen so far is already too deep
        return first if depth > MAX_DEPTH else None
    finally:
        loader.dispose()
    return None


def _position(text: str, offset: int, *, chars: bool = not HAS_LIBYAML) -> tuple[int, int]:
    """1-based line and column of an offset into ``text`` (libyaml counts UTF-8 bytes)."""
    if not chars:
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


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
    "second occurrence": "một tên neo (&neo) được đặt hai lần",
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
