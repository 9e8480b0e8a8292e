"""Schema stage: the JSON Schema (draft 2020-12) of an entry file, for editors.

Derived from :data:`ngoaivu_cli.log.entries.FIELDS` (the definitions the loader and the validator
use) and from the active configuration, whose categories, units and metrics become ``enum``s,
so that an editor with yaml-language-server completes field names and keys and marks a wrong
one as you type. The schema checks what can be checked field by field; rules across fields or
files (``end`` before ``date``, the file name's date, duplicates) stay with ``ngoaivu validate``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ngoaivu_cli.config import Config
from ngoaivu_cli.log.entries import FIELDS, STATUSES, FieldSpec
from ngoaivu_cli.safeio import write_atomic

DRAFT = "https://json-schema.org/draft/2020-12/schema"
APPROX_PATTERN = (r"^(\d{4}-(0?[1-9]|1[0-2])|\d{4}-[qQ][1-4]|(dự kiến )?([Tt]háng|[Qq]uý) "
                  r"\S+( năm |/)\d{4})$")
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
SCHEMA_PATH = "schema/entry.schema.json"  # relative to the log repository's root
# The modeline of an entry file data/YYYY/MM/<name>.yaml, pointing at SCHEMA_PATH.
MODELINE = "# yaml-language-server: $schema=../../../" + SCHEMA_PATH


def _key_values(field: str, config: Config) -> list[tuple[str, str]]:
    """(key, label) pairs a ``key`` field accepts; the same tables ``check_references`` uses."""
    if field == "category":
        return [(k, c.label) for k, c in config.categories.items()]
    if field == "unit":
        return list(config.units.items())
    raise ValueError(f"no configuration table for key field {field!r}")  # a new FIELDS entry


def _metrics_schema(config: Config) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key, metric in config.metrics.items():
        if metric.sum_of:  # E-METRIC-DERIVED: computed, never written
            continue
        properties[key] = {
            "type": "integer" if metric.integer else "number",
            "minimum": 0,
            "description": f"{metric.label} ({metric.unit})",
        }
    # propertyNames: E-UNKNOWN-METRIC
    return {"type": "object", "properties": properties, "propertyNames": {"enum": list(properties)}}


def _field_schema(spec: FieldSpec, config: Config) -> dict[str, Any]:
    out: dict[str, Any] = {"description": spec.description}
    if spec.kind == "date" and spec.name == "date":
        # a plan may give only its month or quarter (validate: status planned, no end)
        out.update(type="string", anyOf=[{"pattern": DATE_PATTERN, "format": "date"},
                                         {"pattern": APPROX_PATTERN}],
                   examples=["2023-08-28", "2024-12", "2024-Q1", "quý I/2024"])
    elif spec.kind == "date":
        out.update(type="string", pattern=DATE_PATTERN, format="date",
                   examples=["2023-08-28"])
    elif spec.kind == "text":
        out["type"] = "string"
        if spec.required:
            out["pattern"] = r"\S"  # E-SUMMARY-EMPTY: not empty, not blank
    elif spec.kind == "status":
        out.update(type="string", enum=list(STATUSES), default=STATUSES[0])
    elif spec.kind == "key":
        pairs = _key_values(spec.name, config)
        out["type"] = "string"
        out["enum"] = [k for k, _ in pairs]
        # not a JSON Schema keyword: yaml-language-server shows these labels on hover
        out["enumDescriptions"] = [label for _, label in pairs]
    elif spec.kind == "list":
        # the loader also reads a single text as a list of one: `tags: lao`
        item = {"type": "string", "minLength": 1}
        out["anyOf"] = [{"type": "array", "items": item}, item]
    elif spec.kind == "metrics":
        out.update(_metrics_schema(config))
    elif spec.kind == "official":  # ngoaivu_cli.official
        out.update(type="object", required=["scope", "metrics"], additionalProperties=False,
                   properties={"scope": {"type": "string", "minLength": 1,
                                         "examples": ["năm 2023", "6 tháng đầu năm 2023"]},
                               "metrics": _metrics_schema(config)})
    elif spec.kind == "order":  # selection.sort_entries
        out.update(type="number", minimum=0, examples=[12, 12.5])
    else:
        raise ValueError(f"unknown field kind {spec.kind!r}")
    return out


def entry_schema(config: Config) -> dict[str, Any]:
    """The schema of an entry file: one entry (a mapping) or a list of entries."""
    entry = {
        "type": "object",
        "title": "Một hoạt động",
        "properties": {name: _field_schema(spec, config) for name, spec in FIELDS.items()},
        "required": [name for name, spec in FIELDS.items() if spec.required],
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT,
        "title": "Hoạt động trong nhật ký ngoaivu",
        "description": "Một tệp data/YYYY/MM/YYYY-MM-DD-<mo-ta>.yaml: một hoạt động, hoặc một "
                       "danh sách hoạt động cùng ngày. Sinh bởi `ngoaivu schema` từ cấu hình; "
                       "chạy lại lệnh khi sửa categories, units hoặc metrics trong ngoaivu.yaml.",
        "oneOf": [
            {"$ref": "#/$defs/entry"},
            {"type": "array", "items": {"$ref": "#/$defs/entry"}, "minItems": 1},
        ],
        "$defs": {"entry": entry},
    }


def schema_text(config: Config) -> str:
    """The schema as the file ``ngoaivu schema`` prints and ``init``/``new`` write."""
    return json.dumps(entry_schema(config), ensure_ascii=False, indent=2) + "\n"


def write_schema(config: Config, path: Path, *, force: bool = False) -> Path:
    """Write the schema to ``path`` (its folder is created, never through a link in the log);
    an existing file needs ``force``."""
    return write_atomic(path, schema_text(config).encode(), force=force, root=config.root)


__all__ = ["DRAFT", "MODELINE", "SCHEMA_PATH", "entry_schema", "schema_text", "write_schema"]
