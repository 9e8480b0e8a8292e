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
* ``W-METRIC-ZERO``: a statistics sentence prints a metric as zero because no entry of the
  section wrote it at all (not "0 lượt": nobody entered the number).
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
    for name in sorted(printed):
        metric = config.metrics.get(name)
        if metric is None or name in written or set(metric.sum_of) & written:
            continue
        notes.add("W-METRIC-ZERO", entries,
                  f"câu thống kê in `{name}` ({metric.label}) là {m.get(name)} {metric.unit} "
                  f"vì không hoạt động nào ghi số liệu này: «{text}»", f"metrics.{name}",
                  f"ghi `metrics: {{{name}: ...}}` ở hoạt động có số liệu này, hoặc đặt phần đó "
                  f"của câu trong {{% if raw.{name} %}}...{{% endif %}} (xem {DOCS})")


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
    from ngoaivu_cli.selection import filter_entries

    nxt = period.next()
    current = filter_entries(entries, start=period.start, end=period.end)
    planned_next = filter_entries(entries, start=nxt.start, end=nxt.end, status="planned")
    current_ids = {id(e) for e in current}
    next_ids = {id(p) for p in planned_next}
    read = [*current, *(p for p in planned_next if id(p) not in current_ids)]
    _nothing_printed(notes, rt, period, [e for e in read if not (
        e.approx and e.status == "planned" and id(e) not in next_ids)], placed, wanting, config)
    for e in read:
        if id(e) in placed or not any(_in_scope(e, s) for s in wanting):
            continue
        if e.approx and e.status == "planned" and id(e) not in next_ids:
            continue  # a month's or quarter's plan spans this period: earlier reports said it
        notes.add("W-ENTRY-DROPPED", [e],
                  f"hoạt động của kỳ không có trong mục nào của báo cáo `{rt.key}`: "
                  f"{_why(e, wanting, period)}", "-",
                  f"thêm lĩnh vực/trạng thái này vào một mục (`sections` của `{rt.key}`), "
                  f"hoặc sửa ngày/trạng thái của hoạt động (xem {DOCS})")
    return sorted(notes.problems, key=Problem.sort_key)


def _nothing_printed(notes: Notes, rt: ReportType, period: Period, read: list[Entry],
                     placed: set[int], wanting: list[SectionSpec], config: Config) -> None:
    """W-REPORT-EMPTY: activities of the period were read and no section printed any."""
    shown = [e for e in read if config.stats_only_tag not in e.tags]
    if not shown or not wanting or any(id(e) in placed for e in read):
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


def _why(e: Entry, sections: list[SectionSpec], period: Period) -> str:
    in_current = e.date is not None and e.date <= period.end and (e.last_day or e.date) >= \
        period.start
    statuses = {s.status for s in sections if s.period == ("current" if in_current else "next")}
    if e.status == "planned" and in_current and "planned" not in statuses and "any" not in statuses:
        return ("kế hoạch (status: planned) ghi ngày trong kỳ báo cáo, còn mục kế hoạch chỉ lấy "
                "kỳ sau; đổi thành done nếu đã làm, hoặc ghi ngày của kỳ sau")
    cats = [s for s in sections if s.categories and e.category not in s.categories]
    if cats or any(e.category in s.exclude_categories for s in sections):
        return (f"lĩnh vực `{e.category}` không có trong `categories:` của các mục (danh sách đó "
                "vừa sắp thứ tự vừa lọc)")
    return f"không mục nào lấy hoạt động {e.status} với lĩnh vực `{e.category}`"


def _group_none(notes: Notes, spec: SectionSpec, picked: list[Entry], config: Config) -> None:
    """``group_by: none`` prints entries by date: say which category sentences, styles and
    leads it leaves out."""
    from ngoaivu_cli.sums import metric_sums

    by_cat: dict[str, list[Entry]] = {}
    for e in picked:
        by_cat.setdefault(e.category or "", []).append(e)
    for key, group in by_cat.items():
        cat = config.categories.get(key)
        if cat is None:
            continue
        spoken = any(key in sub.categories for sub in _all_sections(spec.subsections)) or (
            spec.joined_stats is not None and key in spec.joined_stats.categories)
        if cat.stats and not spec.stats and not spoken:  # a subsection may speak for it
            sums = metric_sums(group, config)
            if any(not s.when or sums.get(s.when) for s in cat.stats):
                notes.add("W-STATS-DROPPED", group,
                          f"mục \"{spec.heading or '(không tiêu đề)'}\" có `group_by: none` nên "
                          f"không in câu thống kê của lĩnh vực `{key}`", "group_by",
                          "đặt `group_by: category` cho mục, hoặc viết câu thống kê ở `stats` "
                          f"của chính mục đó (xem {DOCS})")
        if (cat.style != "bullets" or cat.lead) and spec.style is None:
            notes.add("W-STATS-DROPPED", group,
                      f"mục \"{spec.heading or '(không tiêu đề)'}\" có `group_by: none` nên "
                      f"không dùng style `{cat.style}` và câu dẫn của lĩnh vực `{key}`",
                      "group_by", "đặt `group_by: category`, hoặc ghi `style: bullets` cho mục "
                      f"để in từng hoạt động theo ngày mà không cảnh báo (xem {DOCS})")
