"""Safe YAML reading with positions: text → a tree of located nodes, never Python objects.

PyYAML's constructors carry the YAML 1.1 traps (``2023-08-24`` becomes a date, ``no`` becomes
False, ``12:30`` becomes 750, a repeated key silently wins). We only *compose* the document
(with libyaml's C parser when present) and convert nodes ourselves: every scalar stays text
with its line, column and whether it was quoted; callers decide what a field's type is.
Object tags, aliases and duplicate keys are reported as problems (an alias where it is written).
Files in the simple one-field-a-line form are read without libyaml, to the same nodes; no input
can crash or hang the reader.

Modules: :mod:`.nodes` (the located nodes, no PyYAML), :mod:`.simple` (the simple form, no
PyYAML), :mod:`.compose` (PyYAML, depth checks, Vietnamese syntax messages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ngoaivu_cli.errors import ERROR, WARNING
from ngoaivu_cli.yamlread.nodes import YMap, YNode, YScalar, YSeq, suggest, type_name
from ngoaivu_cli.yamlread.simple import parse_simple

if TYPE_CHECKING:
    from ngoaivu_cli.errors import Problem
    from ngoaivu_cli.yamlread.compose import HAS_LIBYAML, MAX_DEPTH, SAFE_DEPTH, yaml

__all__ = [
    "ERROR",
    "HAS_LIBYAML",
    "MAX_DEPTH",
    "SAFE_DEPTH",
    "WARNING",
    "YMap",
    "YNode",
    "YScalar",
    "YSeq",
    "parse_documents",
    "parse_simple",
    "suggest",
    "type_name",
    "yaml",
]


def parse_documents(text: str, path: str, *, simple: bool = True
                    ) -> tuple[list[YNode], list[Problem]]:
    """Every YAML document in ``text`` as located nodes, and the problems
    (:func:`.compose.parse_documents`). A file in the simple form is read without PyYAML,
    which is imported (about 13 ms) only for the first file that is not."""
    fast = parse_simple(text, path) if simple else None
    if fast is not None:
        return [fast], []
    from ngoaivu_cli.yamlread import compose

    return compose.parse_documents(text, path, simple=False)


def __getattr__(name: str) -> Any:
    """PyYAML and the constants of :mod:`.compose`, imported when first asked for."""
    if name in ("HAS_LIBYAML", "MAX_DEPTH", "SAFE_DEPTH", "yaml"):
        from ngoaivu_cli.yamlread import compose

        return getattr(compose, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
