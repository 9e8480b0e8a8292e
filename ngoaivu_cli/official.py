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

This module reads official records (their days, the rules ``validate`` applies);
:mod:`ngoaivu_cli.official_figures` puts their values in the figures of a report or a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import NgoaivuError, Problem
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.periods import Period, parse_period
from ngoaivu_cli.periods.model import Term
from ngoaivu_cli.yamlread import suggest

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


def official_days(scope: str, config: Config) -> tuple[dt.date, dt.date] | str:
    """The days (``end`` inclusive) of an official figure's ``scope`` under the configuration,
    or why it cannot be one (a relative period, an unreadable one)."""
    return _resolve(scope, config.cutoff_day, config.terms)


def official_window(entry: Entry, cutoff: int | None, terms: Iterable[Term] = ()
                    ) -> tuple[dt.date, dt.date] | None:
    """The days an official entry speaks for, under the cut-off ``cutoff``; None when the
    entry is no official record or its scope cannot be read."""
    if entry.official is None:
        return None
    got = _resolve(entry.official.scope, cutoff, tuple(terms))
    return None if isinstance(got, str) else got


def split(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(activities, official records) of ``entries``, each in its order."""
    if not any(e.official is not None for e in entries):
        return entries, []
    return ([e for e in entries if e.official is None],
            [e for e in entries if e.official is not None])


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


__all__ = ["check_official", "official_window", "split"]
