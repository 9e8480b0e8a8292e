"""Official figures: a number announced for a whole period that wins over the computed sum.

An entry may record, instead of an activity, the figures an authority announced for a period
(the provincial statistics office's yearly total of delegations)::

    date: 2023-12-31
    category: doan_ra_doan_vao
    summary: Cục Thống kê tỉnh công bố số đoàn ra, đoàn vào năm 2023 (ngày 10/01/2024).
    official:
      scope: năm 2023
      metrics:
        doan_ra: 120
        luot_ra: 310

Such an entry is no activity: no report prints it as a bullet nor counts it. Wherever a string
prints a metric over a window that is exactly its ``scope`` (``m`` of a report for năm 2023,
``ytd`` of tháng 12/2023, ``last_year`` of năm 2024) and the string's section takes the entry
(its category; a section narrowed by unit or tags takes it only when the entry has them too),
the official value replaces the sum of that metric over the entries of the entry's category;
the other categories of the section still add theirs. The computed sum stays available as
``computed`` (``{{ ytd.computed.doan_ra }}``), and ``report`` warns (W-OFFICIAL-DIFFERS) when
the two differ.

Rules (``ngoaivu validate``): ``scope`` is a period written out in full (``năm 2023``, ``6 tháng
đầu năm 2023``, not ``năm nay``) and holds the entry's ``date`` (so the entry is read with the
files of its period; date it on the period's last day); every metric is declared, not computed
(``sum_of``), never negative, whole when declared integer; the entry has no ``metrics`` of its
own and is ``done``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import NgoaivuError, Problem
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.log.yamlread import suggest
from ngoaivu_cli.periods import Period, parse_period
from ngoaivu_cli.periods.model import Term

CODE_DIFFERS = "W-OFFICIAL-DIFFERS"
_FAR = (dt.date(1990, 6, 15), dt.date(2150, 6, 15))  # two "todays": a relative scope moves


@lru_cache(maxsize=256)
def _resolve(scope: str, cutoff: int | None, terms: tuple[Term, ...]
             ) -> tuple[dt.date, dt.date] | str:
    """The days of ``scope`` (``end`` inclusive), or why it cannot be one."""
    found: list[Period] = []
    for today in _FAR:
        try:
            found.append(parse_period(scope, today=today, cutoff_day=cutoff, terms=terms))
        except NgoaivuError as exc:
            return str(exc)
    if (found[0].start, found[0].end) != (found[1].start, found[1].end):
        return "kỳ của số liệu chính thức phải ghi rõ năm, không tính theo hôm nay"
    return found[0].start, found[0].end


def official_window(entry: Entry, cutoff: int | None, terms: Iterable[Term] = ()
                    ) -> tuple[dt.date, dt.date] | None:
    """The days an official entry speaks for, under the cut-off ``cutoff``; None when the
    entry is no official record or its scope cannot be read."""
    if entry.official is None:
        return None
    got = _resolve(entry.official.scope, cutoff, tuple(terms))
    return None if isinstance(got, str) else got


def is_official(entry: Entry) -> bool:
    return entry.official is not None


def split(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(activities, official records) of ``entries``, each in its order."""
    if not any(e.official is not None for e in entries):
        return entries, []
    return ([e for e in entries if e.official is None],
            [e for e in entries if e.official is not None])


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
    from ngoaivu_cli.scopes import metric_sums

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
            out[name] = _exact(out[name] - current.get((o.category, name), own) + value)
            current[o.category, name] = value  # a later record of the same metric wins
            if own != value:
                _note_differs(o, name, value, own, label, config)
    for key, metric in config.metrics.items():
        if metric.sum_of:
            out[key] = _exact(sum(out.get(part, 0) for part in metric.sum_of))
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
        for key, metric in config.metrics.items():
            if metric.sum_of:
                g.sums[key] = _exact(sum(g.sums.get(part, 0) for part in metric.sum_of))


def apply_to_stats(stats: Any, activities: list[Entry], officials: list[Entry],
                   start: dt.date, end: dt.date, cutoff: int | None, config: Config,
                   status: str = "done") -> list[Entry]:
    """A table of ``ngoaivu stats`` (:class:`ngoaivu_cli.stats.Stats`, changed in place) with
    the official figures for exactly ``start..end``: grouped by category, each category's row
    (a category with no activity but an official record gets its row, with 0 activities);
    whatever the grouping, the total, as a report's ``m`` prints it, its computed sums kept in
    ``total.computed``. The official records used, in the order they apply."""
    from ngoaivu_cli.scopes import section_filter
    from ngoaivu_cli.stats import Group

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


def _exact(value: int | float) -> int | float:
    return round(value, 6) if isinstance(value, float) else value


def _note_differs(o: Entry, name: str, value: int | float, computed: int | float, label: str,
                  config: Config) -> None:
    from ngoaivu_cli.formatting import vn_number
    from ngoaivu_cli.render.dropped import note

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


# --- validation ------------------------------------------------------------------------------


def _problem(entry: Entry, field: str, code: str, message: str, hint: str) -> Problem:
    return Problem(entry.field_loc(field), code, message, field, hint)


def check_official(entries: list[Entry], config: Config) -> list[Problem]:
    """An official record (``official:``) names a period written out in full that holds its
    ``date``, declared metrics that are not computed, never negative and whole when declared
    integer; it has no ``metrics`` of its own and is ``done``."""
    out: list[Problem] = []
    for e in entries:
        o = e.official
        if o is None:
            continue
        got = _resolve(o.scope, config.cutoff_day, config.terms)
        if isinstance(got, str):
            out.append(_problem(e, "official.scope", "E-VALUE",
                                f"kỳ “{o.scope}” của số liệu chính thức không đọc được: {got}",
                                "ghi một kỳ đầy đủ, ví dụ “năm 2023”, “6 tháng đầu năm 2023”, "
                                "“quý III/2023”"))
        elif e.date is not None and not got[0] <= e.date <= got[1]:
            out.append(_problem(e, "date", "E-VALUE",
                                f"ngày {e.date.isoformat()} nằm ngoài kỳ “{o.scope}” của số liệu "
                                "chính thức", f"ghi `date: {got[1].isoformat()}` (ngày cuối kỳ; "
                                "ngày công bố ghi trong `summary`) và đặt tệp vào "
                                f"data/{got[1].year}/{got[1].month:02d}/"))
        if e.metrics:
            out.append(_problem(e, "metrics", "E-VALUE", "hoạt động có `official` không ghi "
                                "thêm `metrics`", "tách số liệu của hoạt động ra một tệp "
                                "khác; `official.metrics` là số chính thức của cả kỳ"))
        if e.status != "done":
            out.append(_problem(e, "status", "E-VALUE", "số liệu chính thức không phải kế "
                                "hoạch", "xóa dòng `status` (mặc định done)"))
        for name, value in o.metrics:
            field = f"official.metrics.{name}"
            metric = config.metrics.get(name)
            if metric is None:
                guess = suggest(name, list(config.metrics))
                out.append(_problem(e, field, "E-UNKNOWN-METRIC",
                                    f"số liệu `{name}` không có trong cấu hình",
                                    f"có phải ý bạn là `{guess}`?" if guess
                                    else "khai báo nó trong mục metrics của ngoaivu.yaml"))
                continue
            if metric.sum_of:
                out.append(_problem(e, field, "E-METRIC-DERIVED",
                                    f"số liệu `{name}` được tính tự động, không ghi trực tiếp",
                                    "ghi các số liệu thành phần: " + ", ".join(metric.sum_of)))
            if value < 0:
                out.append(_problem(e, field, "E-METRIC-VALUE",
                                    f"số liệu chính thức `{name}` không được âm ({value})",
                                    "một con số công bố cho cả kỳ, từ 0 trở lên; không ghi số "
                                    "điều chỉnh âm"))
            elif metric.integer and isinstance(value, float) and not value.is_integer():
                out.append(_problem(e, field, "E-METRIC-VALUE",
                                    f"số liệu `{name}` phải là số nguyên ({metric.unit}), không "
                                    f"phải {value}", "làm tròn, hoặc khai báo `integer: false` "
                                    "cho số liệu này trong ngoaivu.yaml"))
    return out


__all__ = ["CODE_DIFFERS", "apply_official", "apply_to_groups", "apply_to_stats",
           "check_official", "is_official", "official_window", "split"]
