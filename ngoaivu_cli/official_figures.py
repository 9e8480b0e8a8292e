"""Official figures in the sums: where a string prints a metric over exactly an official
record's period, the announced value replaces the computed sum of its category
(:mod:`ngoaivu_cli.official` reads the records and their rules), and a differing sum is noted as
a warning of the report being built (W-OFFICIAL-DIFFERS)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from ngoaivu_cli.config import Config
from ngoaivu_cli.formatting import vn_number
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.notes import note
from ngoaivu_cli.official import official_window
from ngoaivu_cli.stats import Group
from ngoaivu_cli.sums import derive, exact, metric_sums, section_filter

CODE_DIFFERS = "W-OFFICIAL-DIFFERS"
CODE_UNUSED = "W-OFFICIAL-UNUSED"


def apply_official(sums: dict[str, int | float], chosen: list[Entry], officials: list[Entry],
                   select: Callable[[Entry], bool], start: dt.date, end: dt.date,
                   cutoff: int | None, config: Config, label: str = "",
                   ) -> dict[str, int | float]:
    """``sums`` (computed over ``chosen``) with the official figures of ``officials`` for
    exactly ``start..end`` that ``select`` takes; each differing figure is noted as a warning
    of the report being built. ``sums`` itself is not changed."""
    if not officials:
        return sums
    matching = [o for o in officials if select(o)
                and official_window(o, cutoff, config.terms) == (start, end)]
    if not matching:
        return sums
    out = dict(sums)
    computed: dict[str | None, dict[str, int | float]] = {}  # category → its own sums
    current: dict[tuple[str | None, str], int | float] = {}  # what `out` holds of each
    for o in sorted(matching, key=lambda e: (e.date or dt.date.min, e.loc.path, e.index)):
        assert o.official is not None
        if o.category not in computed:
            computed[o.category] = metric_sums(
                [e for e in chosen if e.category == o.category], config)
        for name, value in o.official.metrics:
            if name not in out or config.metrics[name].sum_of:
                continue  # refused by validate
            own = computed[o.category].get(name, 0)
            out[name] = exact(out[name] - current.get((o.category, name), own) + value)
            current[o.category, name] = value  # a later record of the same metric wins
            if own != value:
                _note_differs(o, name, value, own, label, config)
    derive(out, config)
    return out


def apply_to_groups(groups: Iterable[Any], officials: list[Entry], start: dt.date,
                    end: dt.date, cutoff: int | None, config: Config) -> None:
    """The appendix's groups by category (:class:`ngoaivu_cli.stats.Group`, changed in place):
    an official figure for exactly ``start..end`` replaces its category's sum."""
    if not officials:
        return
    by_key = {g.key: g for g in groups}
    for o in sorted(officials, key=lambda e: (e.date or dt.date.min, e.loc.path, e.index)):
        g = by_key.get(o.category)
        if g is None or o.official is None or official_window(o, cutoff, config.terms) != (
                start, end):
            continue
        for name, value in o.official.metrics:
            if name in config.metrics and not config.metrics[name].sum_of:
                g.sums[name] = value
        derive(g.sums, config)


def apply_to_stats(stats: Any, activities: list[Entry], officials: list[Entry],
                   start: dt.date, end: dt.date, cutoff: int | None, config: Config,
                   status: str = "done") -> list[Entry]:
    """A table of ``ngoaivu stats`` (:class:`ngoaivu_cli.stats.Stats`, changed in place) with
    the official figures for exactly ``start..end``: grouped by category, each category's row
    (a category with no activity but an official record gets its row, with 0 activities);
    whatever the grouping, the total, as a report's ``m`` prints it, its computed sums kept in
    ``total.computed``. The official records used, in the order they apply."""
    select = section_filter(status=status)
    used = sorted((o for o in officials if o.official is not None and select(o)
                   and official_window(o, cutoff, config.terms) == (start, end)),
                  key=lambda e: (e.date or dt.date.min, e.loc.path, e.index))
    if not used:
        return []
    if stats.by == "category":
        have = {g.key for g in stats.groups}
        for o in used:
            if o.category not in have:
                have.add(o.category)
                stats.groups.append(Group(o.category or "", config.category_label(o.category)))
        order = list(config.categories)
        stats.groups.sort(key=lambda g: order.index(g.key) if g.key in order else len(order))
        apply_to_groups(stats.groups, used, start, end, cutoff, config)
    stats.total.computed = dict(stats.total.sums)
    stats.total.sums = apply_official(stats.total.sums, activities, used, select, start, end,
                                      cutoff, config)
    return used


def note_unused(officials: list[Entry], select: Callable[[Entry], bool], start: dt.date,
                end: dt.date, cutoff: int | None, config: Config, label: str) -> None:
    """Say (W-OFFICIAL-UNUSED) which official figures of a part of a scope that holds several
    periods (``lũy kế``, ``từ đầu năm``) it does not use: its figures are the sums of the
    activities, and an official figure replaces a sum for exactly its own period only."""
    for o in sorted(officials, key=lambda e: (e.date or dt.date.min, e.loc.path, e.index)):
        if o.official is None or not select(o):
            continue
        window = official_window(o, cutoff, config.terms)
        if window is None or window == (start, end) or window[0] < start or window[1] > end:
            continue
        note(CODE_UNUSED, [o],
             f"số liệu chính thức {o.official.scope} không được tính vào {label}: {label} là "
             "tổng cộng từ các hoạt động (số chính thức chỉ thay cho tổng cộng của đúng kỳ "
             "của nó)", "official.scope",
             "ghi thêm số chính thức cho đúng phạm vi ấy (official.scope), hoặc bỏ qua nếu "
             "tổng cộng từ các hoạt động là đúng")


def _note_differs(o: Entry, name: str, value: int | float, computed: int | float, label: str,
                  config: Config) -> None:
    metric = config.metrics[name]
    assert o.official is not None
    where = f" ({label})" if label and label != o.official.scope else ""
    note(CODE_DIFFERS, [o],
         f"số liệu chính thức `{name}` ({metric.label}) {o.official.scope}{where} là "
         f"{vn_number(value)} {metric.unit}, khác tổng cộng từ các hoạt động "
         f"({vn_number(computed)} {metric.unit}); báo cáo in số chính thức",
         f"official.metrics.{name}",
         "kiểm tra các hoạt động của kỳ (thiếu hay thừa), hoặc in tổng cộng bằng "
         f"`{{{{ ytd.computed.{name} }}}}` (xem docs/configuration.md)")


__all__ = ["CODE_DIFFERS", "CODE_UNUSED", "apply_official", "apply_to_groups", "apply_to_stats",
           "note_unused"]
