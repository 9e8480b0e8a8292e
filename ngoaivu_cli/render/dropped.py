"""What a report leaves out, said as warnings: nothing of the log is dropped without a word.

Three kinds, each a :class:`~ngoaivu_cli.errors.Problem` at an entry's file and line (so the
user sees which files), collected while the context is built and listed by ``report`` (on
standard error, and under ``warnings`` in ``--format json``); ``report --strict`` makes them
errors:

* ``W-ENTRY-DROPPED``: an activity of the period that no section prints — a section's
  ``categories:`` list leaves its category out, a plan dated in the period itself (plan
  sections take the next period), a status no section takes. Only entries some section would
  take by its ``tags``/``units`` count: a report type about ``ttdn`` entries says nothing of
  the others.
* ``W-STATS-DROPPED``: a category's statistics sentence, style or lead that a section cannot
  print (``group_by: none`` lists entries by date, without the categories' own sentences).
* ``W-OFFICIAL-DIFFERS``: an official figure (:mod:`ngoaivu_cli.official`) printed instead
  of a different sum computed from the entries.
* ``W-METRIC-ZERO``: a statistics sentence, or a section's ``text``/``heading`` or the
  opening and closing, prints a metric as zero because no entry it counts wrote it at all
  (not "0 lượt": nobody entered the number); the message names the entries of the report
  that did write it when they are not counted there (another category, another section).
* ``W-REPORT-EMPTY``: the log has activities of the period (or plans of the next) and the
  report prints none of them — every section selects by tags or units none of them has (an
  imported report whose entries lack the ``ttdn`` tag of the monthly report's sections).

Building the context calls :func:`note_zero_metrics` from the sentence filler and
:func:`check_report` once at the end; both do nothing outside :func:`collecting`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ngoaivu_cli.config import Config, ReportType, SectionSpec
from ngoaivu_cli.errors import Problem
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.notes import Notes
from ngoaivu_cli.notes import active as notes_active
from ngoaivu_cli.periods import Period

DOCS = "docs/configuration.md"
def seen_metrics(values: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The formatted metrics (``m``) of a statistics sentence, and the set of the names the
    sentence printed (Jinja looks ``m.doan_ra`` up as ``m["doan_ra"]``). The mapping has no
    attribute of its own, so every metric name means what it means in a plain dict."""
    printed: set[str] = set()

    class Seen(dict[str, Any]):
        __slots__ = ()

        def __getitem__(self, key: str) -> Any:
            printed.add(key)
            return dict.__getitem__(self, key)

    return Seen(values), printed


def note_zero_metrics(m: Mapping[str, Any], printed: set[str], entries: list[Entry],
                      config: Config, text: str) -> None:
    """After a printed statistics sentence: each metric it printed that no entry wrote."""
    notes = notes_active()
    if notes is None or not printed or not entries:
        return
    written = {name for e in entries for name, _value in e.metrics}
    counted = {id(e) for e in entries}
    for name in sorted(printed):
        metric = config.metrics.get(name)
        if metric is None or name in written or set(metric.sum_of) & written:
            continue
        keys = {name, *metric.sum_of}
        elsewhere = [e for e in notes.pool if id(e) not in counted
                     and any(k in keys for k, _v in e.metrics)]
        if elsewhere:  # written, but by activities this sentence does not count
            cats = ", ".join(f"`{c}`" for c in dict.fromkeys(e.category or "" for e in entries))
            there = ", ".join(dict.fromkeys(f"{e.loc.path} (lĩnh vực `{e.category}`)"
                                            for e in elsewhere[:3]))
            why = (f"vì không hoạt động nào câu này cộng (lĩnh vực {cats}) ghi số liệu này; "
                   f"có ghi ở hoạt động câu này không cộng: {there}")
            hint = (f"câu chỉ cộng các hoạt động của mục/lĩnh vực của nó: ghi `{name}` ở hoạt "
                    f"động đúng lĩnh vực, hoặc đặt phần đó của câu trong "
                    f"{{% if raw.{name} %}}...{{% endif %}} (xem {DOCS})")
        else:
            why = "vì không hoạt động nào ghi số liệu này"
            hint = (f"ghi `metrics: {{{name}: ...}}` ở hoạt động có số liệu này, hoặc đặt phần "
                    f"đó của câu trong {{% if raw.{name} %}}...{{% endif %}} (xem {DOCS})")
        notes.add("W-METRIC-ZERO", entries,
                  f"câu thống kê in `{name}` ({metric.label}) là {m.get(name)} {metric.unit} "
                  f"{why}: «{text}»", f"metrics.{name}", hint)


def check_report(rt: ReportType, period: Period, entries: list[Entry], config: Config,
                 chosen: Any) -> list[Problem]:
    """Every warning of the report just built: those noted meanwhile, and the entries of the
    period that no section printed. ``chosen(spec)``: the entries a section selects."""
    notes = notes_active()
    if notes is None:
        return []
    placed: set[int] = set()
    wanting: list[SectionSpec] = []
    for spec in _all_sections(rt.sections):
        if not spec.entries:
            continue
        wanting.append(spec)
        picked = chosen(spec)
        placed.update(id(e) for e in picked)
        if spec.group_by == "none":
            _group_none(notes, spec, picked, config)
    from ngoaivu_cli.selection import filter_entries, plan_belongs

    nxt = period.next()
    current = filter_entries(entries, start=period.start, end=period.end)
    planned_next = filter_entries(entries, start=nxt.start, end=nxt.end, status="planned")
    current_ids = {id(e) for e in current}
    read = [*current, *(p for p in planned_next if id(p) not in current_ids)]
    _nothing_printed(notes, rt, period, read, placed, wanting, config)
    for e in read:
        if id(e) in placed or not any(_in_scope(e, s) for s in wanting):
            continue
        if e.approx and not plan_belongs(e, nxt):
            continue  # a month's or quarter's plan of another report (selection.plan_belongs)
        why = _why(e, wanting, period)
        hint = (f"thêm lĩnh vực/trạng thái này vào một mục (`sections` của `{rt.key}`), "
                f"hoặc sửa ngày/trạng thái của hoạt động (xem {DOCS})")
        if why.startswith(_PRINTED_BEFORE):
            hint = ("đừng sửa ngày hay trạng thái của kế hoạch (báo cáo kỳ trước sẽ đổi theo): "
                    "ghi kết quả bằng `ngoaivu new --status done ...`, hoặc thêm một mục "
                    f"`status: planned, period: current` vào `{rt.key}` nếu muốn in lại nó "
                    f"(xem {DOCS})")
        notes.add("W-ENTRY-DROPPED", [e],
                  f"hoạt động của kỳ không có trong mục nào của báo cáo `{rt.key}`: {why}", "-",
                  hint)
    return sorted(notes.problems, key=Problem.sort_key)


def _nothing_printed(notes: Notes, rt: ReportType, period: Period, read: list[Entry],
                     placed: set[int], wanting: list[SectionSpec], config: Config) -> None:
    """W-REPORT-EMPTY: activities of the period were read and no section printed any. Only
    those a section would take by its period and status count (whatever its tags, units and
    categories): a plan dated in this period, printed by the last report, does not."""
    if not wanting or any(id(e) in placed for e in read):
        return
    from ngoaivu_cli.selection import filter_entries, plan_belongs

    candidates: set[int] = set()
    for spec in wanting:
        target = period if spec.period == "current" else period.next()
        candidates.update(id(e) for e in filter_entries(
            read, start=target.start, end=target.end, status=spec.status)
            if e.approx is None or plan_belongs(e, target))
    shown = [e for e in read if id(e) in candidates and config.stats_only_tag not in e.tags]
    if not shown:
        return
    tags = sorted({t for s in wanting for t in s.tags})
    units = sorted({u for s in wanting for u in s.units})
    asks = "; ".join(([f"nhãn {', '.join(f'`{t}`' for t in tags)} (`tags:`)"] if tags else [])
                     + ([f"đơn vị {', '.join(f'`{u}`' for u in units)} (`units:`)"]
                        if units else []))
    why = (f"các mục chỉ lấy hoạt động có {asks}, không hoạt động nào có" if asks else
           "không mục nào lấy lĩnh vực, trạng thái của chúng")
    fix = (f"thêm {'nhãn' if tags else 'đơn vị'} đó cho các hoạt động của báo cáo này "
           f"(`tags: [{tags[0]}]`" if tags else f"(`unit: {units[0]}`" if units else "")
    hint = (f"{fix}, `ngoaivu new ... {'--tag ' + tags[0] if tags else '--unit ' + units[0]}`), "
            f"hoặc chọn đúng loại báo cáo (`--type`)" if fix else
            f"xem `sections` của `{rt.key}`, hoặc chọn đúng loại báo cáo (`--type`)")
    notes.add("W-REPORT-EMPTY", shown,
              f"báo cáo `{rt.key}` không in hoạt động nào trong {len(shown)} hoạt động của kỳ "
              f"{period.label} (và kế hoạch kỳ sau) đọc được: {why}", "-",
              f"{hint} (xem {DOCS})")


def _all_sections(sections: tuple[SectionSpec, ...]) -> Iterator[SectionSpec]:
    for spec in sections:
        yield spec
        yield from _all_sections(spec.subsections)


def _in_scope(e: Entry, spec: SectionSpec) -> bool:
    """A section would take this entry by its tags and units (whatever its categories)."""
    if spec.tags and not set(spec.tags) & set(e.tags):
        return False
    return not (spec.units and e.unit not in spec.units)


_PRINTED_BEFORE = ("kế hoạch (status: planned) ghi ngày trong kỳ báo cáo: báo cáo kỳ trước đã in "
                   "nó trong mục kế hoạch")


def _why(e: Entry, sections: list[SectionSpec], period: Period) -> str:
    in_current = e.date is not None and e.date <= period.end and (e.last_day or e.date) >= \
        period.start
    statuses = {s.status for s in sections if s.period == ("current" if in_current else "next")}
    if e.status == "planned" and in_current and "planned" not in statuses and "any" not in statuses:
        if any(s.period == "next" and s.status in ("planned", "any") and _takes(s, e)
               for s in sections):
            # the report before this one printed it among its plans: changing the plan
            # would change that report
            return (_PRINTED_BEFORE + ", còn mục kế hoạch của kỳ này chỉ lấy kỳ sau; nếu đã "
                    "làm, ghi kết quả thành một hoạt động done riêng, giữ nguyên kế hoạch")
        return ("kế hoạch (status: planned) ghi ngày trong kỳ báo cáo, còn mục kế hoạch chỉ lấy "
                "kỳ sau; đổi thành done nếu đã làm, hoặc ghi ngày của kỳ sau")
    cats = [s for s in sections if s.categories and e.category not in s.categories]
    if cats or any(e.category in s.exclude_categories for s in sections):
        return (f"lĩnh vực `{e.category}` không có trong `categories:` của các mục (danh sách đó "
                "vừa sắp thứ tự vừa lọc)")
    return f"không mục nào lấy hoạt động {e.status} với lĩnh vực `{e.category}`"


def note_stats_dropped(spec: SectionSpec, key: str, group: list[Entry]) -> None:
    """``group_by: none`` leaves out the statistics sentences of category ``key``, which
    would print something for ``group`` (decided by the context, which fills them)."""
    notes = notes_active()
    if notes is None:
        return
    notes.add("W-STATS-DROPPED", group,
              f"mục \"{spec.heading or '(không tiêu đề)'}\" có `group_by: none` nên không in câu "
              f"thống kê của lĩnh vực `{key}`", "group_by",
              "đặt `group_by: category` cho mục, viết câu thống kê ở `stats` của chính mục đó, "
              f"hoặc ghi `stats: []` cho mục nếu không cần câu nào (xem {DOCS})")


def _takes(spec: SectionSpec, e: Entry) -> bool:
    """A section would take this entry, whatever its dates."""
    if spec.categories and e.category not in spec.categories:
        return False
    if e.category in spec.exclude_categories:
        return False
    return _in_scope(e, spec)


def _group_none(notes: Notes, spec: SectionSpec, picked: list[Entry], config: Config) -> None:
    """``group_by: none`` prints entries by date: say which category sentences, styles and
    leads it leaves out (its statistics sentences: :func:`note_stats_dropped`)."""
    by_cat: dict[str, list[Entry]] = {}
    for e in picked:
        by_cat.setdefault(e.category or "", []).append(e)
    for key, group in by_cat.items():
        cat = config.categories.get(key)
        if cat is None:
            continue
        if (cat.style != "bullets" or cat.lead) and spec.style is None:
            notes.add("W-STATS-DROPPED", group,
                      f"mục \"{spec.heading or '(không tiêu đề)'}\" có `group_by: none` nên "
                      f"không dùng style `{cat.style}` và câu dẫn của lĩnh vực `{key}`",
                      "group_by", "đặt `group_by: category`, hoặc ghi `style: bullets` cho mục "
                      f"để in từng hoạt động theo ngày mà không cảnh báo (xem {DOCS})")
