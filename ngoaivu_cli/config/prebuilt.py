"""The shipped configuration's located nodes, kept as JSON beside it, so that a command run with
the shipped configuration (every report of a log without its own ``ngoaivu.yaml``, and the base
of every other) composes no YAML and imports no PyYAML (about 15 ms of each report).

``defaults/ngoaivu.nodes.json`` is built from ``defaults/ngoaivu.yaml`` by
``python scripts/build_defaults.py``; it records the length and CRC-32 of the text it was
built from, and is used only when they match the text read (an edited ``ngoaivu.yaml`` without
a rebuilt file is composed from its YAML, as before). Both files ship inside the package, never
in a log. A test checks that the shipped file is what the build gives and that its nodes are
those the YAML composes to.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

from ngoaivu_cli.yamlread.nodes import YMap, YNode, YScalar, YSeq

NODES_FILE = Path(__file__).resolve().parent.parent / "defaults" / "ngoaivu.nodes.json"
FORMAT = 1


def _stamp(text: str) -> dict[str, int]:
    data = text.encode("utf-8")
    return {"format": FORMAT, "length": len(data), "crc32": zlib.crc32(data)}


def encode(node: YNode) -> Any:
    """A node as JSON values: a scalar ``[line, col, value, plain, tag]``; a sequence
    ``{"s": [line, col, items]}``; a mapping ``{"m": [line, col, [[kline, kcol, key], value]...,
    refused]}`` (keys are plain scalars)."""
    if isinstance(node, YScalar):
        return [node.line, node.col, node.value, node.plain, node.tagged]
    if isinstance(node, YSeq):
        return {"s": [node.line, node.col, [encode(item) for item in node.items]]}
    assert isinstance(node, YMap)
    for key in node.pairs.values():
        assert key[0].plain and key[0].tagged is None, key  # what the composer makes of a key
    return {"m": [node.line, node.col,
                  [[[k.line, k.col, k.value], encode(v)] for k, v in node.pairs.values()],
                  sorted(node.refused)]}


def decode(data: Any, src: str) -> YNode:
    """The nodes of :func:`encode`'s ``data``, each from the file shown as ``src``."""
    if isinstance(data, list):
        line, col, value, plain, tagged = data
        return YScalar(line, col, value, plain, tagged, src=src)
    if "s" in data:
        line, col, items = data["s"]
        return YSeq(line, col, [decode(item, src) for item in items], src=src)
    line, col, pairs, refused = data["m"]
    node = YMap(line, col, src=src)
    out = node.pairs
    for (kline, kcol, key), value in pairs:
        out[key] = (YScalar(kline, kcol, key, True, src=src), decode(value, src))
    if refused:
        node.refused = frozenset(refused)
    return node


def build(text: str, doc: YMap) -> str:
    """The JSON file for ``doc``, the document composed from ``text``."""
    return json.dumps({**_stamp(text), "nodes": encode(doc)}, ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def load(text: str, src: str) -> YMap | None:
    """The prebuilt document of ``text``, or None when the file is missing or was built from
    another text."""
    try:
        data = json.loads(NODES_FILE.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or {k: data.get(k) for k in _stamp("")} != _stamp(text):
        return None
    doc = decode(data["nodes"], src)
    return doc if isinstance(doc, YMap) else None
