"""Configuration stage: find ``ngoaivu.yaml`` and read it into frozen dataclasses.

Discovery, like git's: ``--config`` > ``NGOAIVU_CONFIG`` > ``ngoaivu.yaml`` in the working
folder or any parent > the shipped default (Sở Ngoại vụ Hà Tĩnh). A user's file *extends* the
shipped default unless it says ``extends: none``: its mappings (units, categories, metrics,
report types, ...) add to or replace the default's entries key by key. Every problem of a
configuration is a :class:`Problem` with file, line and column, like an entry's.
"""

from __future__ import annotations

from ngoaivu_cli.config.model import (
    LAYOUTS,
    PERIOD_KINDS,
    STYLES,
    Agency,
    AppendixSpec,
    Category,
    Config,
    Metric,
    ReportType,
    SectionSpec,
    Signer,
    SourceSpec,
    StatSentence,
)
from ngoaivu_cli.config.read import (
    DEFAULT_SHOWN,
    config_document,
    default_config_text,
    load_config,
)
from ngoaivu_cli.locate import CONFIG_NAME, ENV_VAR, find_config

__all__ = [
    "CONFIG_NAME", "DEFAULT_SHOWN", "ENV_VAR", "LAYOUTS", "PERIOD_KINDS", "STYLES", "Agency",
    "AppendixSpec", "Category", "Config", "Metric", "ReportType", "SectionSpec", "Signer", "SourceSpec",
    "StatSentence", "config_document", "default_config_text", "find_config", "load_config",
]
