"""Commands that read the log: ``validate``, ``list``, ``stats``, ``period``."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

import click

from ngoaivu_cli.cli import (
    PathType,
    _complete_keys,
    _config,
    _handle_errors,
    _resolve,
    compare_option,
    main,
    period_options,
    say_skipped,
    sources_option,
)

if TYPE_CHECKING:
    from pathlib import Path



@main.command()
@click.argument("paths", nargs=-1, type=PathType(), metavar="[ĐƯỜNG_DẪN]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Dạng kết quả.")
@click.option("--no-excerpt", is_flag=True, help="Chỉ in dòng đầu của mỗi lỗi.")
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi (mã thoát 1).")
@sources_option
@click.pass_context
@_handle_errors
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str, no_excerpt: bool,
             strict: bool) -> None:
    """Kiểm tra các tệp hoạt động và báo mọi lỗi một lần.

    \b
    Mỗi lỗi: TỆP:DÒNG:CỘT: error MÃ: trường: thông báo, kèm dòng trích và gợi ý.
    Mã thoát: 0 không có lỗi, 1 có lỗi, 2 dùng sai lệnh.
    Ví dụ:
      ngoaivu validate data
      ngoaivu validate data/2023/08 --format json
    """
    from ngoaivu_cli import api

    outcome = api.validate_output(
        list(paths), config_path=ctx.obj.get("config_path"), fmt=fmt, excerpt=not no_excerpt,
        skip_missing_sources=bool(ctx.obj.get("skip_missing_sources")),
        emit=lambda text: click.echo(text, nl=False), config=lambda: _config(ctx))
    if outcome.errors or (strict and outcome.warnings):
        sys.exit(1)


@main.command("list")
@click.option("--period", "period_expr", metavar="KỲ", help="Kỳ: 2023-08-24:2023-08-31, "
              "\"tháng 01/2021\", \"quý III/2023\"... (mặc định: cả nhật ký).")
@click.option("--category", "categories", multiple=True, metavar="LĨNH_VỰC",
              shell_complete=_complete_keys("categories"), help="Chỉ lĩnh vực này (lặp được).")
@click.option("--unit", "units", multiple=True, metavar="ĐƠN_VỊ",
              shell_complete=_complete_keys("units"), help="Chỉ đơn vị này (lặp được).")
@click.option("--tag", "tags", multiple=True, metavar="NHÃN",
              help="Chỉ hoạt động có nhãn này (lặp được).")
@click.option("--status", type=click.Choice(["done", "planned", "any"]), default="any",
              show_default=True, help="done: kết quả; planned: kế hoạch.")
@click.option("--agency", "agencies", multiple=True, metavar="CƠ_QUAN",
              help="Chỉ hoạt động của cơ quan này (tên nguồn trong `sources:`; lặp được).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@compare_option("Liệt kê hoạt động của phạm vi này của kỳ (cần --period)")
@click.option("--type", "type_name", metavar="LOẠI", shell_complete=_complete_keys("report_types"),
              help="Kỳ như loại báo cáo này hiểu (ngày chốt `cutoff_day`, `window`, `calendar` "
                   "của loại), đúng các ngày `report --type` lấy.")
@period_options
@sources_option
@click.pass_context
@_handle_errors
def list_cmd(ctx: click.Context, period_expr: str | None, categories: tuple[str, ...],
             units: tuple[str, ...], tags: tuple[str, ...], status: str,
             agencies: tuple[str, ...], fmt: str,
             compare: str | None, type_name: str | None, today: dt.date | None,
             year: int | None, cutoff: int | None,
             calendar: bool) -> None:
    """Liệt kê các hoạt động của một kỳ, theo ngày.

    \b
    Ví dụ:
      ngoaivu list --period 2023-08-24:2023-08-31
      ngoaivu list --period "tháng 01/2021" --tag ttdn --format csv
      ngoaivu list --period "6 tháng đầu năm 2023" --compare cùng-kỳ
      ngoaivu list --period "tháng 01/2021" --type thong_tin_doi_ngoai_thang
    """
    from ngoaivu_cli import api

    config = _config(ctx)
    api.check_filters(config, categories=categories, units=units)
    if compare and not period_expr:
        raise click.UsageError("--compare cần --period (phạm vi được tính theo kỳ)")
    if type_name and not period_expr:
        raise click.UsageError("--type cần --period (loại báo cáo cho biết các ngày của kỳ)")
    period = _period_of(ctx, period_expr, type_name, today, year, cutoff, calendar) \
        if period_expr else None
    if period is not None and compare and fmt == "table":
        w = api.compare_window(compare, period, config)
        span = api.window_span(w)
        click.echo(f"{api.scope_title(compare).capitalize()} của {period.label}: {w.label}"
                   + (f" ({span})" if span else ""))
    chosen = api.select_entries(config, period, categories=categories, units=units, tags=tags,
                                status=status, agencies=agencies, compare=compare)
    say_skipped(chosen.skipped)
    _print_entries(chosen, config, fmt)


def _period_of(ctx: click.Context, expr: str, type_name: str | None, today: dt.date | None,
               year: int | None, cutoff: int | None, calendar: bool) -> Any:
    """``--period`` as ``report`` reads it: with ``--type``, the type's cut-off day, window and
    calendar (the days its report takes), else the configuration's."""
    if not type_name:
        return _resolve(ctx, expr, today, year, cutoff, calendar)
    from ngoaivu_cli import api

    resolved, _rt = api.report_period(_config(ctx), expr, type_name, today=today, year=year,
                                      cutoff=cutoff, calendar=calendar)
    return resolved


def _print_entries(chosen: Any, config: Any, fmt: str) -> None:
    from ngoaivu_cli import api

    agency_of = api.agency_of
    rows = chosen.entries
    if fmt == "json":
        click.echo(_json_text(chosen.to_json(config)))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        head = ["ngay", "den_ngay", "linh_vuc", "trang_thai", "don_vi", "noi_dung", "tep"]
        writer.writerow(head + (["co_quan"] if config.sources else []))
        for e in rows:
            writer.writerow([e.date.isoformat(), e.end.isoformat() if e.end else "",
                             e.category, e.status, e.unit or "", e.summary, e.loc.path]
                            + ([agency_of(e, config)] if config.sources else []))
        return
    for e in rows:
        when = api.entry_when(e)  # "28/8/2023", "tháng 12/2024", "quý I/2024"
        mark = "" if e.status == "done" else " [kế hoạch]"
        label = config.category_label(e.category)
        summary = " ".join((e.summary or "").split())
        if len(summary) > 110:
            summary = summary[:109] + "…"
        who = f"{agency_of(e, config)[:24]:<24} " if config.sources else ""
        click.echo(f"{when:<13} {who}{label[:34]:<34} {e.unit or '-':<6}{mark} {summary}")
    click.echo(f"— {len(rows)} hoạt động")


def _say_stats_warnings(warnings: list[Any]) -> None:
    """The warnings `report` gives of the same figures, on stderr as `report` says them."""
    for p in warnings:
        click.echo(p.format(), err=True)


def _compare_stats(config: Any, period: Any, by: str, status: str, fmt: str,
                   compare: str) -> None:
    from ngoaivu_cli import api

    table, lines, warnings = api.compare_stats_table(config, period, compare=compare, by=by,
                                                     status=status)
    _say_stats_warnings(warnings)
    if fmt == "json":
        click.echo(_json_text({"period": period.to_json(), **table}))
        return
    title = api.scope_title(compare)
    rows = [[api.group_title(by), "Chỉ tiêu", "Đơn vị", period.label,
             f"{title} ({table['compare']['label']})" if table["compare"]["label"] else title,
             "Thay đổi"]]
    for g in [*table["groups"], table["total"]]:
        rows.append([g["label"], "Số hoạt động", "hoạt động", g["entries"]["text"],
                     g["entries"]["base_text"], g["entries"]["change"]])
        rows.extend(["", m["label"], m["unit"], m["text"], m["base_text"], m["change"]]
                    for m in g["metrics"].values())
    if fmt == "csv":
        import csv

        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
        return
    window = api.compare_window(compare, period, config)
    click.echo(f"Thống kê {api.office_label(config, period.label)} ({period.start:%d/%m/%Y}–"
               f"{period.end:%d/%m/%Y}), theo {rows[0][0].lower()}, so với "
               f"{api.compare_heading(window, config)}:")
    if table["compare"].get("note"):
        click.echo(table["compare"]["note"])
    for row in rows[1:]:
        if row[0]:
            click.echo(f"\n{row[0]}: {row[3]} hoạt động ({title}: {row[4] or '—'}; {row[5]})")
        else:
            click.echo(f"  {row[1]} ({row[2]}): {row[3]} ({title}: {row[4] or '—'}; {row[5]})")
    if lines:
        click.echo()
        for line in lines:
            click.echo(line)


@main.command()
@click.option("--period", "period_expr", required=True, metavar="KỲ",
              help="Kỳ thống kê: \"năm 2023\", \"6 tháng đầu năm 2023\", \"từ đầu nhiệm kỳ đến nay\"...")
@click.option("--by", type=click.Choice(["category", "unit", "partner", "month", "agency"]),
              default="category", show_default=True, help="Nhóm theo lĩnh vực, đơn vị, đối tác, "
              "tháng hoặc cơ quan (nguồn).")
@click.option("--status", type=click.Choice(["done", "planned", "any"]), default="done",
              show_default=True, help="done: kết quả; planned: kế hoạch.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@compare_option("Thêm số liệu của phạm vi khác và cột thay đổi")
@click.option("--type", "type_name", metavar="LOẠI", shell_complete=_complete_keys("report_types"),
              help="Kỳ như loại báo cáo này hiểu (ngày chốt `cutoff_day`, `window`, `calendar` "
                   "của loại), đúng các ngày `report --type` lấy.")
@period_options
@sources_option
@click.pass_context
@_handle_errors
def stats(ctx: click.Context, period_expr: str, by: str, status: str, fmt: str,
          compare: str | None, type_name: str | None, today: dt.date | None, year: int | None,
          cutoff: int | None, calendar: bool) -> None:
    """Cộng số liệu và đếm hoạt động của một kỳ, theo lĩnh vực, đơn vị, đối tác hoặc tháng.

    \b
    Ví dụ:
      ngoaivu stats --period "tháng 8/2023"
      ngoaivu stats --period "năm 2023" --by unit --format csv
      ngoaivu stats --period "6 tháng đầu năm 2023" --compare cùng-kỳ
      ngoaivu stats --period "tháng 12/2017" --type thong_tin_doi_ngoai_thang
    """
    from ngoaivu_cli import api

    config = _config(ctx)
    resolved = _period_of(ctx, period_expr, type_name, today, year, cutoff, calendar)
    if compare:
        _compare_stats(config, resolved, by, status, fmt, compare)
        return
    table = api.stats_table(config, resolved, by=by, status=status)
    say_skipped(table.skipped)
    _say_stats_warnings(table.warnings)
    if fmt == "json":
        click.echo(_json_text(table.to_json()))
        return
    rows = table.rows
    if fmt == "csv":
        import csv

        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
        return
    click.echo(f"Thống kê {api.office_label(config, resolved.label)} ({resolved.start:%d/%m/%Y}–"
               f"{resolved.end:%d/%m/%Y}), theo {rows[0][0].lower()}:")
    for row in rows[1:]:
        click.echo(f"\n{row[0]}: {row[1]} hoạt động")
        for title, value in zip(rows[0][2:], row[2:], strict=True):
            if value:
                click.echo(f"  {title}: {value}")
    lines = table.official_lines
    if lines:
        click.echo()
        for line in lines:
            click.echo(line)


@main.command(short_help="Các cơ quan (nguồn) đã gửi số liệu cho một kỳ chưa, có đúng hạn không.")
@click.option("--period", "period_expr", required=True, metavar="KỲ",
              help="Kỳ: \"6 tháng đầu năm 2024\", \"năm 2024\"...")
@click.option("--type", "type_name", metavar="LOẠI", shell_complete=_complete_keys("report_types"),
              help="Loại báo cáo có `deadline` (mặc định: theo loại kỳ).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@period_options
@click.pass_context
@_handle_errors
def status(ctx: click.Context, period_expr: str, type_name: str | None, fmt: str,
           today: dt.date | None, year: int | None, cutoff: int | None, calendar: bool) -> None:
    """Cho biết mỗi nguồn (cơ quan trong `sources:`) đã có bao nhiêu hoạt động trong kỳ, hoạt
    động mới nhất, lần commit cuối của data/ (nếu nguồn là kho git) và có trễ hạn không (hạn:
    ngày `deadline` của tháng cuối kỳ, khai báo trong loại báo cáo).

    \b
    Mã thoát: 0 không nguồn nào trễ; 1 có nguồn trễ hạn hoặc không đọc được (để gửi nhắc nhở).
    Ví dụ:
      ngoaivu status --period "6 tháng đầu năm 2024"
      ngoaivu status --period "năm 2024" --type bao_cao_tong_hop_6_thang --format json
    """
    from ngoaivu_cli import api

    resolved, rt, result = api.agency_status(_config(ctx), period_expr, type_name, today=today,
                                             year=year, cutoff=cutoff, calendar=calendar)
    if fmt == "json":
        click.echo(_json_text(result.to_json()))
    else:
        due = (f"hạn gửi {result.deadline:%d/%m/%Y}" if result.deadline
               else f"loại {rt.key} chưa đặt `deadline`")
        click.echo(f"{resolved.label} ({resolved.start:%d/%m/%Y}–{resolved.end:%d/%m/%Y}), "
                   f"{due}:")
        rows = [("nguồn", "hoạt động", "mới nhất", "commit cuối", "tình trạng")]
        for s in result.sources:
            commit = f"{s.committed:%d/%m/%Y}" if s.committed else (s.git_note and "?" or "-")
            rows.append((s.name, str(s.entries), f"{s.latest:%d/%m/%Y}" if s.latest else "-",
                         commit, api.status_word(s.state)
                         + (f" ({s.problems} lỗi)" if s.problems else "")))
        widths = [max(len(r[c]) for r in rows) for c in range(4)]
        for n, row in enumerate(rows):
            click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
                       + "  " + row[4])
            if n == 0:
                click.echo("  ".join("-" * w for w in widths) + "  " + "-" * len(row[4]))
        for s in result.sources:
            if s.git_note:
                click.echo(f"  Lưu ý: {s.name}: {s.git_note}")
        click.echo(f"{len(result.late)}/{len(result.sources)} nguồn trễ hạn hoặc không đọc được")
    for p in result.notes:
        click.echo(p.format(), err=True)
    if result.late:
        sys.exit(1)


@main.command()
@click.argument("expr", metavar="KỲ")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@compare_option("Cho biết thêm phạm vi này của kỳ")
@click.option("--type", "type_name", metavar="LOẠI", shell_complete=_complete_keys("report_types"),
              help="Kỳ như loại báo cáo này hiểu (ngày chốt `cutoff_day`, `window`, `calendar` "
                   "của loại), như `report --type` sẽ dùng.")
@period_options
@click.pass_context
@_handle_errors
def period(ctx: click.Context, expr: str, fmt: str, compare: str | None, type_name: str | None,
           today: dt.date | None, year: int | None, cutoff: int | None, calendar: bool) -> None:
    """Cho biết một kỳ báo cáo được hiểu ra sao: từ ngày, đến ngày, loại kỳ, cách ghi, kỳ tiếp theo.

    \b
    Ví dụ:
      ngoaivu period "quý III/2023"
      ngoaivu period "tháng 11/2017" --cutoff 14
      ngoaivu period "tuần trước" --today 2023-09-04 --format json
      ngoaivu period "6 tháng đầu năm 2023" --compare cùng-kỳ
      ngoaivu period "tháng 11/2023" --type thang
    """
    from ngoaivu_cli import api

    rt = None
    if type_name:
        resolved, rt = api.report_period(_config(ctx), expr, type_name, today=today,
                                         year=year, cutoff=cutoff, calendar=calendar)
    else:
        resolved = _resolve(ctx, expr, today, year, cutoff, calendar)
    other = None
    if compare:
        other = api.compare_window(compare, resolved, _config(ctx))
    if fmt == "json":
        data = resolved.to_json()
        if other is not None:
            data["compare"] = {"scope": compare, "label": other.label,
                               "start": other.start.isoformat(), "end": other.end.isoformat()}
        if rt is not None:
            data["type"] = {"key": rt.key, "name": rt.name}
        click.echo(_json_text(data))
    else:
        if rt is not None:
            click.echo(f"Loại báo cáo: {rt.name} ({rt.key})")
        for line in resolved.describe():
            click.echo(line)
        if other is not None:
            span = (f", từ {other.start:%d/%m/%Y} đến {other.end:%d/%m/%Y}"
                    if api.window_span(other) else "")  # lũy kế: its label says its end
            click.echo(f"So sánh với ({api.scope_title(str(compare))}): {other.label}{span}")
            note = api.length_note(resolved, other)
            if note:
                click.echo(note)


def _json_text(data: Any) -> str:
    from ngoaivu_cli import api

    return api.json_text(data)
