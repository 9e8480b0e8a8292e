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

from ngoaivu_cli.errors import ERROR, WARNING
from ngoaivu_cli.log.yamlread.compose import (
    HAS_LIBYAML,
    MAX_DEPTH,
    SAFE_DEPTH,
    parse_documents,
    yaml,
)
from ngoaivu_cli.log.yamlread.nodes import YMap, YNode, YScalar, YSeq, suggest, type_name
from ngoaivu_cli.log.yamlread.simple import parse_simple

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
