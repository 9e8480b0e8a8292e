"""The words configuration strings may use: the variables (``period``, ``agency``, ``m``,
``raw``), their keys, and the names of the scopes (``ytd``, ``last_year``...) whose figures a string
may print. The configuration is checked against them when it is read; the engine that computes
the scopes (:mod:`ngoaivu_cli.scopes`) and the report's context (:mod:`ngoaivu_cli.render.context`)
build what these names promise, and tests keep the two in step."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

SCOPES = ("ytd", "ttd", "cumulative", "previous", "last_year", "ytd_last_year")
# what every scope says besides its metrics (a metric of the same name wins)
CONTAINING = ("ytd", "ttd", "cumulative")  # scopes that hold the period itself
# how a table names each scope's column
SCOPE_TITLES = {"ytd": "từ đầu năm", "ttd": "từ đầu nhiệm kỳ", "cumulative": "lũy kế",
                "previous": "kỳ trước", "last_year": "cùng kỳ",
                "ytd_last_year": "cùng kỳ từ đầu năm"}
SCOPE_WORDS = ("entries", "partners", "label", "span", "start", "end", "year", "computed")

# What configuration strings may name (render/context.py builds these dictionaries; a test
# keeps the two in step).
PERIOD_KEYS = ("label", "span", "kind", "start", "end", "days", "year", "relative_next")
AGENCY_KEYS = ("parent", "name", "short_name", "symbol", "place")
REPORT_KEYS = ("key", "name")
COMPARE_KEYS = ("scope", "title", "label", "start", "end")  # the appendix's comparison
WORD_NAMES: dict[str, Collection[str]] = {
    "period": PERIOD_KEYS, "next": PERIOD_KEYS, "agency": AGENCY_KEYS, "report": REPORT_KEYS,
    "compare": COMPARE_KEYS}


@lru_cache(maxsize=8)
def _figure_names(metrics: tuple[str, ...]) -> dict[str, Collection[str] | None]:
    return {**WORD_NAMES, **names_for(metrics)}


def figure_names(metrics: Collection[str]) -> Mapping[str, Collection[str] | None]:
    """:data:`WORD_NAMES` and what a string may print of figures: ``m`` (formatted), ``raw``
    (numbers) and every scope (:data:`SCOPES`) (``ytd.doan_ra``, ``last_year.label``)."""
    return _figure_names(tuple(metrics))


def names_for(metrics: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """What a configuration string may name of ``m``, ``raw`` and the scopes (for ``validate``)."""
    keys = tuple(dict.fromkeys((*metrics, *SCOPE_WORDS)))
    return {"m": keys, "raw": tuple(metrics), **{name: keys for name in SCOPES}}
