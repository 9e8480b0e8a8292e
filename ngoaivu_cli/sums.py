"""Sums of the log's figures: which entries a section takes (whatever the days), every declared
metric summed over them (decimals exactly, computed ``sum_of`` metrics from their parts), and the
counts a scope prints besides (entries, distinct partners). The one place these rules live;
scopes, statistics, official figures and the report all use them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from ngoaivu_cli.config import Config, SectionSpec
from ngoaivu_cli.log.entries import Entry

Select = Callable[[Entry], bool]


def section_filter(spec: SectionSpec | None = None, category: str | None = None,
                   status: str | None = "done") -> Select:
    """What a section (and, inside it, one category) selects, whatever the days."""
    cats = set(spec.categories) if spec and spec.categories else None
    excl = set(spec.exclude_categories) if spec else set()
    units = set(spec.units) if spec and spec.units else None
    tags = set(spec.tags) if spec and spec.tags else None
    agencies = set(spec.agencies) if spec and spec.agencies else None
    status = spec.status if spec else status

    def select(e: Entry) -> bool:
        return ((category is None or e.category == category)
                and (cats is None or e.category in cats) and e.category not in excl
                and (units is None or e.unit in units)
                and (agencies is None or (e.agency or "") in agencies)
                and (tags is None or not tags.isdisjoint(e.tags))
                and (status is None or status == "any" or e.status == status))

    return select


def metric_sums(entries: Iterable[Entry], config: Config) -> dict[str, int | float]:
    """Every declared metric summed over ``entries`` (computed ``sum_of`` metrics included);
    decimal metrics kept to 6 places, so 0.1 + 0.2 prints 0,3."""
    sums: dict[str, Any] = {key: 0 for key in config.metrics}
    for e in entries:
        add_metrics(sums, e, only_known=True)
    derive(sums, config)
    return {k: plain_number(v) for k, v in sums.items()}


def add_metrics(sums: dict[str, Any], entry: Entry, only_known: bool = False) -> None:
    """``entry``'s metrics added to ``sums`` in place, decimals exactly (as
    :class:`~decimal.Decimal`: :func:`plain_number` turns the sums back into numbers);
    ``only_known``: only the names ``sums`` already has."""
    for name, value in entry.metrics:
        if only_known and name not in sums:
            continue
        sums[name] = sums.get(name, 0) + (Decimal(repr(value)) if type(value) is float
                                          else value)


def plain_number(value: Any) -> int | float:
    """A sum as the figures keep it: decimals are summed exactly (as
    :class:`~decimal.Decimal`, whatever the order or grouping of the entries) and kept to 6
    places."""
    if isinstance(value, Decimal):
        return round(float(value), 6)
    return round(value, 6) if isinstance(value, float) else value


def weight(entries: Iterable[Any]) -> int:
    """How many entries ``entries`` stand for (a digest's lump stands for several)."""
    return sum(getattr(e, "weight", 1) for e in entries)


def distinct_partners(entries: Iterable[Entry]) -> int:
    """How many different partners the entries name (letter case and spaces aside)."""
    return len({" ".join(p.split()).casefold() for e in entries for p in e.partners if p.strip()})


def exact(value: int | float) -> int | float:
    """A figure computed from figures (an official value put in a sum), kept to 6 places."""
    return round(value, 6) if isinstance(value, float) else value


def derive(sums: dict[str, Any], config: Config) -> None:
    """The computed (``sum_of``) metrics of ``sums`` from their parts, in place (a float
    kept to 6 places: :func:`exact`)."""
    for key, metric in config.metrics.items():
        if metric.sum_of:
            sums[key] = exact(sum(sums.get(part, 0) for part in metric.sum_of))


__all__ = ["Select", "add_metrics", "derive", "distinct_partners", "exact", "metric_sums", "plain_number",
           "section_filter", "weight"]
