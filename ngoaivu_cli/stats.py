"""Statistics: metrics summed and entries counted over a period, grouped one way.

Behind ``ngoaivu stats`` and the "Phụ lục" appendix table a report type can ask for. Pure:
entries and configuration in, plain rows out (labels in Vietnamese, numbers formatted).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ngoaivu_cli.config import Config
from ngoaivu_cli.formatting import vn_month, vn_number
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.sums import add_metrics, derive, plain_number

GROUPINGS = ("category", "unit", "partner", "month", "agency")
GROUP_TITLES = {"category": "Lĩnh vực", "unit": "Đơn vị", "partner": "Đối tác", "month": "Tháng",
                "agency": "Cơ quan"}


@dataclass
class Group:
    """One row of a statistics table: its entries counted, its metrics summed."""
    key: str
    label: str
    entries: int = 0
    sums: dict[str, int | float] = field(default_factory=dict)
    computed: dict[str, int | float] | None = None  # the sums of the entries, when official
    # figures (ngoaivu_cli.official) replaced some of them


@dataclass
class Stats:
    """A statistics table: its rows, grouped ``by`` a field, and their total."""
    by: str
    groups: list[Group]
    total: Group
    officials: list[Entry] = field(default_factory=list)  # official records applied

    def metric_keys(self, config: Config) -> list[str]:
        """Metrics with a non-zero total, in configuration order."""
        return [k for k in config.metrics if self.total.sums.get(k)]

    def to_json(self, config: Config) -> dict[str, Any]:
        def view(g: Group) -> dict[str, Any]:
            out = {"key": g.key, "label": g.label, "entries": g.entries,
                   "metrics": {k: {"label": config.metrics[k].label,
                                   "unit": config.metrics[k].unit, "value": v,
                                   "text": vn_number(v)}
                               for k, v in g.sums.items() if v}}
            if g.computed is not None:
                out["computed"] = {k: v for k, v in g.computed.items() if v}
            return out

        out = {"by": self.by, "groups": [view(g) for g in self.groups],
               "total": view(self.total)}
        if self.officials:
            out["official"] = official_json(self.officials)
        return out


def official_json(officials: list[Entry]) -> list[dict[str, Any]]:
    """The official records a table applied: where each is and what it announced."""
    return [{"file": o.loc.path, "line": o.loc.line, "category": o.category,
             "scope": o.official.scope if o.official else "",
             "metrics": dict(o.official.metrics) if o.official else {},
             "metric_lines": {name: o.field_loc(f"official.metrics.{name}").line
                              for name, _v in (o.official.metrics if o.official else ())}}
            for o in officials]


def official_lines(officials: list[dict[str, Any]], config: Config, *,
                   computed: dict[str, int | float] | None = None, by: str = "category"
                   ) -> list[str]:
    """Below a table: each official figure it prints (``officials`` as :func:`official_json`
    gives them), and the sum of the activities it stands in for (a table by another grouping
    than category prints them in the total only)."""
    if not officials:
        return []
    where = ("" if by == "category" else
             f" (chỉ ở dòng Tổng cộng: các dòng theo {GROUP_TITLES[by].lower()} là tổng cộng "
             "từ các hoạt động)")
    out = [f"Số liệu chính thức, in thay cho tổng cộng từ các hoạt động{where}:"]
    for o in officials:
        for name, value in o["metrics"].items():
            metric = config.metrics.get(name)
            if metric is None or metric.sum_of:
                continue
            line = o["metric_lines"].get(name)
            out.append(f"  - {config.category_label(o['category'])}: {metric.label} "
                       f"{o['scope']} là {vn_number(value)} {metric.unit} "
                       f"({o['file']}{f':{line}' if line else ''})")
    if computed is not None:
        sums = [f"{config.metrics[k].label} {vn_number(v)} {config.metrics[k].unit}"
                for k, v in computed.items() if v and k in config.metrics]
        if sums:
            out.append("  Tổng cộng từ các hoạt động: " + "; ".join(sums))
    return out


def _keys(entry: Entry, by: str, config: Config) -> list[tuple[str, str]]:
    if by == "category":
        return [(entry.category or "", config.category_label(entry.category))]
    if by == "unit":
        unit = entry.unit or ""
        return [(unit, config.units.get(unit, unit) if unit else "(không ghi đơn vị)")]
    if by == "partner":
        return [(p, p) for p in entry.partners] or [("", "(không ghi đối tác)")]
    if by == "agency":
        name = entry.agency or config.own_agency
        return [(name, name)]
    assert entry.date is not None
    return [(f"{entry.date:%Y-%m}", vn_month(entry.date.month, entry.date.year))]


def compute_stats(entries: list[Entry], config: Config, by: str = "category") -> Stats:
    """Counts and sums per group; derived (``sum_of``) metrics computed per group.

    With ``by="partner"`` an entry naming several partners counts once for each of them; the
    total counts it once.
    """
    if by not in GROUPINGS:
        raise ValueError(by)
    groups: OrderedDict[str, Group] = OrderedDict()
    if by == "category":
        for key, cat in config.categories.items():
            groups[key] = Group(key, cat.label)
    elif by == "unit":
        for key, name in config.units.items():
            groups[key] = Group(key, name)
    elif by == "agency":  # the log's own agency, then its sources in the order of `sources:`
        for name in (config.own_agency, *(s.name for s in config.sources)):
            groups[name] = Group(name, name)
    total = Group("", "Tổng cộng")
    for e in entries:
        _add(total, e)
        for key, label in _keys(e, by, config):
            _add(groups.setdefault(key, Group(key, label)), e)
    for g in [*groups.values(), total]:
        derive(g.sums, config)
        g.sums = {k: plain_number(v) for k, v in g.sums.items()}
    chosen = [g for g in groups.values() if g.entries]
    if by == "month":
        chosen.sort(key=lambda g: g.key)
    return Stats(by, chosen, total)


def _add(group: Group, entry: Entry) -> None:
    group.entries += getattr(entry, "weight", 1)  # a digest's lump stands for several
    add_metrics(group.sums, entry)


def stats_rows(stats: Stats, config: Config) -> list[list[str]]:
    """A table: header, one row per group, a total row (for the DOCX appendix and the CLI)."""
    keys = stats.metric_keys(config)
    header = [GROUP_TITLES[stats.by], "Số hoạt động"] + [
        f"{config.metrics[k].label} ({config.metrics[k].unit})" for k in keys]
    rows = [header]
    for g in [*stats.groups, stats.total]:
        rows.append([g.label, vn_number(g.entries)] + [
            vn_number(g.sums[k]) if g.sums.get(k) else "" for k in keys])
    return rows
