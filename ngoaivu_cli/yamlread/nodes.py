"""Located YAML nodes: every scalar stays text with its line, column and whether it was
quoted; callers decide what a field's type is. (No PyYAML here: cheap to import.)"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_STD_TAG = "tag:yaml.org,2002:"
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class YNode:
    """Base of located nodes: 1-based line and column of the node's start."""

    line: int
    col: int
    src: str = field(default="", kw_only=True)  # the file it came from, as shown to the user


@dataclass
class YScalar(YNode):
    """A scalar, kept as text, quoted or plain."""
    value: str
    plain: bool  # unquoted, so it may be a number or null; quoted text is always text
    tagged: str | None = None  # an explicit standard tag such as !!str

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in _NULLS and self.tagged is None

    def number(self) -> int | float | None:
        """The value as a number if it was written as one (plain decimal), else None (also
        for a number too large to be a figure: see :meth:`figure`)."""
        try:
            return self.figure()
        except NumberTooLarge:
            return None

    def figure(self) -> int | float | None:
        """As :meth:`number`, but a number too large to be a figure raises
        :class:`NumberTooLarge`."""
        if not self.plain or self.tagged not in (None, _STD_TAG + "int", _STD_TAG + "float"):
            return None
        text = self.value.replace("_", "") if "_" not in self.value[:1] else self.value
        return to_number(text)


MAX_DIGITS = 18  # a metric is a count or an amount: 18 digits is a billion billion


class NumberTooLarge(ValueError):
    """A number with more digits than any figure of a report (or not finite)."""


def to_number(text: str) -> int | float | None:
    """``text`` as a number when it is written as one, else None; a number too large to be a
    figure (more than :data:`MAX_DIGITS` digits, or infinite) raises :class:`NumberTooLarge`
    before anything converts it (``int()`` of 5,000 digits raises a ValueError of its own)."""
    if _INT_RE.match(text):
        if sum(c.isdigit() for c in text) > MAX_DIGITS:
            raise NumberTooLarge(text)
        return int(text)
    if _FLOAT_RE.match(text):
        mantissa = re.split(r"[eE]", text)[0]
        value = float(text)
        if sum(c.isdigit() for c in mantissa) > 40 or math.isinf(value) or abs(value) >= 1e18:
            raise NumberTooLarge(text)
        return value
    return None


@dataclass
class YSeq(YNode):
    """A sequence of located nodes."""
    items: list[YNode] = field(default_factory=list)


@dataclass
class YMap(YNode):
    """A mapping of located keys to located nodes."""
    # key text → (key node, value node); insertion order is document order
    pairs: dict[str, tuple[YScalar, YNode]] = field(default_factory=dict)
    # keys written with a value that was refused (an object tag, an alias, too deep): the
    # problem is already reported, so the key is there but has no value; not in ``pairs``
    refused: frozenset[str] = frozenset()

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
    try:
        if node.number() is not None:
            return f"số {_clip(node.value)}"
    except NumberTooLarge:  # a name for a message: a too-large number is still a number
        return f"số {_clip(node.value)} (quá lớn)"
    return f'chuỗi "{_clip(node.value)}"'


def _clip(text: str, n: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def suggest(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The closest known name to ``word`` ("did you mean"), or None."""
    import difflib  # only when a name is wrong: not on every run

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if matches:
        return matches[0]
    lowered = {c.lower(): c for c in choices}
    return lowered.get(word.lower())
