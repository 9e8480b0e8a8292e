"""The simple one-field-a-line form, read without libyaml to the same located nodes."""

from __future__ import annotations

import re

from ngoaivu_cli.yamlread.nodes import YMap, YNode, YScalar, YSeq

# Most entry files are a flat block mapping written one field a line: `key: "text"`,
# `key: plain text`, `tags: ["a", b]`, `metrics: {doan_ra: 1}`. For exactly that form (checked
# strictly, line by line) the located nodes are built straight from the text, three times
# faster than composing with libyaml; anything else at all (indentation, block lists, escapes,
# anchors, tags, odd characters, a duplicate key...) goes to libyaml. The two agree node for
# node, position for position (tests/test_hostile.py compares them on random files).

_FLOW_WORD = re.compile(r"[^\s,\[\]{}#&*!|>'\"%@`?:\-](?:[^\s,\[\]{}:#'\"]| (?=[^\s,\[\]{}:#'\"]))*")
_FLOW_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}(?=: )")


# `key: "text"`, `key: 'text'` or `key: plain text` as one match (a plain value starts with no
# indicator, and has no ": ", no " #", no trailing ":" or space); other values start with [ or {
_SIMPLE_FIELD = re.compile(
    r"""([A-Za-z_][A-Za-z0-9_]{0,63}): +(?:"([^"\\]*)"|'([^']*)'"""
    r"""|([^ \-?:,\[\]{}#&*!|>'"%@`](?:[^:# ]|:(?=[^ ])|(?<! )#| (?=.))*)|(?=[\[{]))""")


_SIMPLE_MAX_LINE = 8192


def parse_simple(text: str, path: str) -> YMap | None:
    """The file's mapping if ``text`` is in the simple form described above, else None."""
    root: YMap | None = None
    pairs: dict[str, tuple[YScalar, YNode]] = {}
    field = _SIMPLE_FIELD.match
    number = 0
    for line in text.split("\n"):
        number += 1
        # a character that is not printable (controls, NEL, LS/PS, BOM, tabs, CR, NBSP...)
        # goes to libyaml, which refuses it or reads it as a line break or blank
        if not line.isprintable():
            return None
        if not line or line[0] == "#":
            continue
        if len(line) > _SIMPLE_MAX_LINE:  # the regex walks a plain value character by
            return None  # character: libyaml, in C, is faster on absurd lines
        m = field(line)
        if m is None:
            return None
        key = m[1]
        if key in pairs:
            return None
        value: YNode | None
        kind = m.lastindex
        if kind == 4:  # plain
            if m.end() != len(line) or m[4] in ("<<", "="):
                return None
            value = YScalar(number, m.start(4) + 1, m[4], True, src=path)
        elif kind == 2 or kind == 3:  # quoted
            if m.end() != len(line):
                return None
            value = YScalar(number, m.start(kind), m[kind], False, src=path)
        else:  # a flow collection
            start = m.end()
            value = (_simple_seq(line, start, number, path) if line[start] == "["
                     else _simple_map(line, start, number, path))
            if value is None:
                return None
        pairs[key] = (YScalar(number, 1, key, True, src=path), value)
        if root is None:
            root = YMap(number, 1, src=path)
    if root is not None:
        root.pairs = pairs
    return root


def _flow_item(line: str, i: int, number: int, path: str) -> tuple[YScalar, int] | None:
    """A quoted or plain one-line item of a flow collection starting at ``i``, and its end."""
    first = line[i:i + 1]
    if first == '"' or first == "'":
        end = line.find(first, i + 1)
        if end < 0 or line[end + 1:end + 2] == first:
            return None
        content = line[i + 1:end]
        if first == '"' and "\\" in content:
            return None
        return YScalar(number, i + 1, content, False, src=path), end + 1
    m = _FLOW_WORD.match(line, i)
    if m is None or m.group() in ("<<", "="):
        return None
    return YScalar(number, i + 1, m.group(), True, src=path), m.end()


def _skip_spaces(line: str, i: int) -> int:
    while i < len(line) and line[i] == " ":
        i += 1
    return i


_QUOTED_SEQ = re.compile(r'\[(?:"[^"\\]*"(?:, "[^"\\]*")*)?\]')
_QUOTED_ITEM = re.compile(r'"([^"\\]*)"')


def _simple_seq(line: str, start: int, number: int, path: str) -> YSeq | None:
    seq = YSeq(number, start + 1, src=path)
    if _QUOTED_SEQ.fullmatch(line, start):  # the usual `["a", "b"]`, in one regex
        seq.items = [YScalar(number, m.start() + 1, m[1], False, src=path)
                     for m in _QUOTED_ITEM.finditer(line, start)]
        return seq
    i = _skip_spaces(line, start + 1)
    if line[i:i + 1] == "]":
        return seq if i + 1 == len(line) else None
    while True:
        item = _flow_item(line, i, number, path)
        if item is None:
            return None
        seq.items.append(item[0])
        i = _skip_spaces(line, item[1])
        sep = line[i:i + 1]
        if sep == "]":
            return seq if i + 1 == len(line) else None
        if sep != ",":
            return None
        i = _skip_spaces(line, i + 1)
        if line[i:i + 1] in ("]", ",", ""):
            return None  # a trailing or doubled comma: leave it to libyaml


def _simple_map(line: str, start: int, number: int, path: str) -> YMap | None:
    mapping = YMap(number, start + 1, src=path)
    i = _skip_spaces(line, start + 1)
    while True:
        m = _FLOW_KEY.match(line, i)
        if m is None or m.group() in mapping.pairs:
            return None
        key = YScalar(number, i + 1, m.group(), True, src=path)
        item = _flow_item(line, _skip_spaces(line, m.end() + 2), number, path)
        if item is None:
            return None
        mapping.pairs[m.group()] = (key, item[0])
        i = _skip_spaces(line, item[1])
        sep = line[i:i + 1]
        if sep == "}":
            return mapping if i + 1 == len(line) else None
        if sep != ",":
            return None
        i = _skip_spaces(line, i + 1)
