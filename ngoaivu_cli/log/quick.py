"""The usual entry file read straight to its entries (:class:`~ngoaivu_cli.log.entries.Entry`).

Nearly every file of a log is one activity in the simple one-field-a-line form
(:mod:`ngoaivu_cli.yamlread.simple`), or a short list of them (``- date: ...`` then
``  category: ...``), with nothing to report: known fields, a real ``YYYY-MM-DD`` date,
``done`` or ``planned``, lists of quoted names, whole or decimal metrics. For exactly those
files :func:`quick_entries` builds the entries from the lines in one pass, with no located
nodes in between (the loader's two steps, nodes then entries, cost twice as much; a list goes
to libyaml, ten times as much); for anything else at all (a problem to report, a month-only
plan, ``official``, a comment inside a list, a line :func:`~ngoaivu_cli.yamlread.parse_simple`
would refuse...) it gives None and the loader reads the file as before. The entries are the
ones the loader would build, position for position (tests/test_hostile.py compares the two on
random files).
"""

from __future__ import annotations

import datetime as dt
import re

from ngoaivu_cli.errors import SourceLoc
from ngoaivu_cli.log.entries import FIELDS, REQUIRED, STATUSES, Entry
from ngoaivu_cli.yamlread.simple import (
    _QUOTED_ITEM,
    _QUOTED_SEQ,
    _SIMPLE_FIELD,
    _SIMPLE_MAX_LINE,
)

# `official` and `group` (rare) are left to the full loader
_KINDS = {name: spec.kind for name, spec in FIELDS.items()
          if spec.kind != "official" and name != "group"}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})  # as YScalar.is_null
# a flow mapping of metrics written plainly, `{doan_ra: 1, gio_phien_dich: 2.5}`: whole
# numbers of at most 18 digits, decimals of at most 15 before the point (both as
# YScalar.figure reads them, never too large); a decimal is tried first
_NUMBER = r"(?:[0-9]{1,15}\.[0-9]{1,15}|[0-9]{1,18})"
_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,63}"
_METRICS = re.compile(r"\{" + _NAME + ": " + _NUMBER + "(?:, " + _NAME + ": " + _NUMBER
                      + r")*\}")
_METRIC = re.compile("(" + _NAME + "): (" + _NUMBER + ")")


def quick_entries(text: str, shown: str) -> list[Entry] | None:
    """The entries of ``text`` when it is clean activities in the simple form (one mapping,
    or a list of mappings each starting with ``- `` and going on indented by two spaces),
    else None."""
    if text[:2] == "- ":
        return _quick_list(text, shown)
    items: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.isprintable():
            return None
        if line and line[0] != "#":
            items.append((number, line))
    entry = _entry(items, shown, 0, 0)
    return None if entry is None else [entry]


def _quick_list(text: str, shown: str) -> list[Entry] | None:
    groups: list[list[tuple[int, str]]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if not line.isprintable():
            return None
        head = line[:2]
        if head == "- ":
            groups.append([(number, line[2:])])
        elif head == "  " and groups:
            groups[-1].append((number, line[2:]))
        else:
            return None  # a comment, another indentation, a document marker...
    entries = []
    for index, items in enumerate(groups):
        entry = _entry(items, shown, 2, index)
        if entry is None:
            return None
        entries.append(entry)
    return entries


def _entry(items: list[tuple[int, str]], shown: str, indent: int, index: int) -> Entry | None:
    """The entry of one mapping's lines (number, text after ``indent`` columns), or None."""
    if not items:
        return None
    field = _SIMPLE_FIELD.match
    kinds = _KINDS
    values: dict[str, object] = {}
    positions: list[tuple[str, int, int]] = []
    for number, line in items:
        if len(line) + indent > _SIMPLE_MAX_LINE:
            return None
        m = field(line)
        if m is None:
            return None
        key = m[1]
        kind = kinds.get(key)
        if kind is None or key in values:
            return None  # an unknown field, `official`, a key written twice
        which = m.lastindex or 1
        if which == 1:  # a flow collection: `[`...`]` or `{`...`}`
            start = m.end()
            if kind == "list" and _QUOTED_SEQ.fullmatch(line, start):
                values[key] = tuple(q[1].strip() for q in _QUOTED_ITEM.finditer(line, start))
                positions.append((key, number, indent + start + 1))
            elif kind == "metrics" and _METRICS.fullmatch(line, start):
                positions.append((key, number, indent + start + 1))
                metrics: list[tuple[str, int | float]] = []
                for q in _METRIC.finditer(line, start):
                    name = q[1]
                    if any(name == seen for seen, _v in metrics):
                        return None  # the simple form refuses a name written twice
                    value = q[2]
                    metrics.append((name, float(value) if "." in value else int(value)))
                    positions.append((f"metrics.{name}", number, indent + q.start() + 1))
                values[key] = tuple(metrics)
            else:
                return None
            continue
        if m.end() != len(line):
            return None
        value = m[which]
        plain = which == 4
        if plain and value in ("<<", "="):
            return None
        if kind == "text" or kind == "key":
            if plain and value in _NULLS:
                if kind == "key":
                    return None  # E-TYPE: left empty
                values[key] = ""
            else:
                values[key] = value.strip()
        elif kind == "date":
            day = value.strip()
            if not (len(day) == 10 and day[4] == "-" and day[7] == "-" and day.isascii()):
                return None  # left empty, a month or a quarter, a date to report
            try:
                values[key] = dt.date.fromisoformat(day)
            except ValueError:
                return None
        elif kind == "order":
            if not (plain and value.isascii() and value.isdigit() and len(value) < 16):
                return None  # a decimal, a quoted or a wrong value: the loader's own way
            values[key] = int(value)
        elif kind == "status":
            if plain and value in _NULLS:
                values[key] = "done"
            else:
                status = value.strip()
                if status not in STATUSES:
                    return None
                values[key] = status
        else:  # a list or metrics written as one value: the loader's own way
            return None
        # a quoted value's column is its opening quote's
        positions.append((key, number, indent + m.start(which) + plain))
    for name in REQUIRED:
        if name not in values:
            return None
    get = values.get
    return Entry(
        SourceLoc(shown, items[0][0], indent + 1),
        get("date"),  # type: ignore[arg-type]
        get("category"),  # type: ignore[arg-type]
        get("summary"),  # type: ignore[arg-type]
        get("status") or "done",  # type: ignore[arg-type]
        get("end"),  # type: ignore[arg-type]
        get("unit"),  # type: ignore[arg-type]
        get("tags") or (),  # type: ignore[arg-type]
        get("partners") or (),  # type: ignore[arg-type]
        get("metrics") or (),  # type: ignore[arg-type]
        get("footnote"),  # type: ignore[arg-type]
        tuple(positions),
        index,
        order=get("order"),  # type: ignore[arg-type]
    )
