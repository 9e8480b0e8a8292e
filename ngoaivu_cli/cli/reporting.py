"""Commands that make documents: ``report`` and ``batch``."""

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
    _parse_date_option,
    compare_option,
    main,
    period_options,
    sources_option,
)

if TYPE_CHECKING:
    from pathlib import Path


@main.command()
@click.option("--period", "period_expr", required=True, metavar="KỲ",
              help="Kỳ báo cáo: 2023-08-24:2023-08-31, \"tháng 01/2021\", \"quý III/2023\"...")
@click.option("--type", "type_name", metavar="LOẠI", shell_complete=_complete_keys("report_types"),
              help="Loại báo cáo trong ngoaivu.yaml (mặc định: theo loại kỳ).")
@click.option("--format", "fmt", type=click.Choice(["docx", "md", "pdf", "json"]),
              default="docx", show_default=True, help="docx: văn bản chính thức; md: xem trước; "
              "pdf: qua LibreOffice; json: dữ liệu đưa vào mẫu.")
@click.option("-o", "--output", type=PathType(), default=None,
              help="Tệp kết quả ('-' để in ra màn hình với md/json). Mặc định: tên theo loại và kỳ.")
@click.option("--force", is_flag=True, help="Ghi đè tệp kết quả đã có.")
@click.option("--date", "issue_date", callback=_parse_date_option, metavar="YYYY-MM-DD",
              help="Ngày ban hành in trên văn bản (mặc định: ngày cuối kỳ).")
@click.option("--number", default="", metavar="SỐ",
              help="Số văn bản (mặc định để trống: \"Số:      /BC-SNgV\").")
@click.option("--strict", is_flag=True, help="Coi cảnh báo (hoạt động, câu thống kê, số liệu bị "
              "bỏ sót) là lỗi: không ghi tệp, mã thoát 1.")
@click.option("--da-ky", "da_ky", is_flag=True, help="In \"(đã ký)\" dưới chức danh người ký "
              "(bản điện tử gửi đi sau khi đã ký; cũng đặt được bằng formatting.signed).")
@compare_option("Phụ lục số liệu so sánh với phạm vi này (thay `appendix.compare`)")
@period_options
@sources_option
@click.pass_context
@_handle_errors
def report(ctx: click.Context, period_expr: str, type_name: str | None, fmt: str,
           output: Path | None, force: bool, issue_date: dt.date | None, number: str,
           strict: bool, da_ky: bool, compare: str | None, today: dt.date | None,
           year: int | None, cutoff: int | None, calendar: bool) -> None:
    """Lập một báo cáo cho một kỳ, theo mẫu Nghị định 30/2020/NĐ-CP.

    \b
    Ví dụ:
      ngoaivu report --period 2023-08-24:2023-08-31
      ngoaivu report --period "tháng 01/2021" --type thong_tin_doi_ngoai_thang
      ngoaivu report --period "quý III/2023" --format md -o -
      ngoaivu report --period "6 tháng đầu năm 2023" --compare cùng-kỳ
    """
    from ngoaivu_cli import api
    from ngoaivu_cli.errors import UsageError

    if number and not number.replace("-", "").isalnum():
        raise click.BadParameter("số văn bản chỉ gồm chữ số (và chữ cái)", param_hint="--number")
    config = _config(ctx)
    resolved, rt = api.report_period(config, period_expr, type_name, today=today, year=year,
                                     cutoff=cutoff, calendar=calendar)
    type_name = rt.key
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and fmt not in ("md", "json"):
        raise UsageError("chỉ in ra màn hình được với --format md hoặc json",
                         hint="bỏ -o - để ghi tệp DOCX/PDF")
    result = api.make_report(config, resolved, type_name=type_name, fmt=fmt,
                         output=None if to_stdout else output, force=force,
                         issue_date=issue_date, number=number, to_stdout=to_stdout,
                         strict=strict, signed=da_ky, compare=compare)
    if result.text is not None:
        click.echo(result.text, nl=False)
        _say_period_notes(resolved, rt, issue_date, today, config)  # on stderr: stdout is the document
        _say_warnings(result.warnings)
        return
    click.echo(f"Đã ghi {result.path} — {result.report_type.name}, {resolved.label} "
               f"({resolved.start:%d/%m/%Y}–{resolved.end:%d/%m/%Y}), {result.entries} hoạt "
               "động được đọc", err=True)
    _say_period_notes(resolved, rt, issue_date, today, config)
    _say_warnings(result.warnings)


def _say_warnings(warnings: list[Any]) -> None:
    """What the report left out (render/dropped.py), on stderr, with a count."""
    if not warnings:
        return
    for p in warnings:
        click.echo(p.format(), err=True)
    if all(p.code == "W-OFFICIAL-DIFFERS" for p in warnings):
        click.echo(f"{len(warnings)} cảnh báo: báo cáo in số liệu chính thức thay cho tổng cộng "
                   "từ các hoạt động (--strict để coi là lỗi)", err=True)
        return
    if all(p.code == "W-PLACEHOLDER-NAME" for p in warnings):
        click.echo(f"{len(warnings)} cảnh báo: văn bản in chữ giữ chỗ thay cho tên thật; ghi tên "
                   "thật trước khi trình ký (--strict để coi là lỗi)", err=True)
        return
    click.echo(f"{len(warnings)} cảnh báo: báo cáo không in những nội dung trên (--strict để coi "
               "là lỗi)", err=True)


def _say_period_notes(resolved: Any, rt: Any, issue_date: dt.date | None,
                      today: dt.date | None, config: Any) -> None:
    """What the user should know about the period before signing: how it was understood, and
    an issue date that lies in the future."""
    for note in resolved.notes:
        click.echo(f"  Lưu ý: {note}", err=True)
    from ngoaivu_cli import api

    signer_note = api.signer_note(config, rt)
    if signer_note:
        click.echo(f"  Lưu ý: {signer_note}", err=True)
    now = today or dt.date.today()
    if issue_date is None and rt.issue_date == "end" and resolved.end > now:
        click.echo(f"  Lưu ý: văn bản ghi ngày {resolved.end:%d/%m/%Y} (ngày cuối kỳ, chưa đến); "
                   "dùng --date để ghi ngày khác", err=True)


@main.command(short_help="Lập mọi báo cáo đến hạn trong một kỳ (bảng tổng kết).")
@click.option("--period", "period_expr", required=True, metavar="KỲ",
              help="Kỳ: \"tháng 8/2023\", \"quý III/2023\", \"tháng trước\"...")
@click.option("--types", metavar="LOẠI,LOẠI", shell_complete=_complete_keys("report_types"),
              help="Chỉ các loại báo cáo này (mặc định: mọi loại đến hạn).")
@click.option("--out", "out_dir", type=PathType(file_okay=False),
              default=None, metavar="THƯ_MỤC",
              help="Thư mục ghi báo cáo (tạo nếu chưa có; mặc định: thư mục làm việc, hoặc gốc "
                   "kho nếu đang đứng trong data/ hay documents/).")
@click.option("--format", "formats", default="docx", show_default=True, metavar="ĐỊNH_DẠNG,...",
              help="Một hoặc nhiều định dạng, phân cách bằng dấu phẩy: docx,md,pdf,json.")
@click.option("--force", is_flag=True, help="Ghi đè các tệp báo cáo đã có.")
@click.option("--strict", is_flag=True, help="Coi cảnh báo của một báo cáo (hoạt động, câu thống "
              "kê, số liệu bị bỏ sót) là lỗi của báo cáo đó: không ghi tệp ấy, mã thoát 1.")
@click.option("--da-ky", "da_ky", is_flag=True, help="In \"(đã ký)\" dưới chức danh người ký "
              "của mọi báo cáo (cũng đặt được bằng formatting.signed).")
@period_options
@sources_option
@click.pass_context
@_handle_errors
def batch(ctx: click.Context, period_expr: str, types: str | None, out_dir: Path | None,
          formats: str, force: bool, strict: bool, da_ky: bool, today: dt.date | None, year: int | None, cutoff: int | None,
          calendar: bool) -> None:
    """Lập mọi báo cáo đến hạn trong một kỳ: loại báo cáo tuần cho từng tuần kết thúc trong
    kỳ, loại báo cáo tháng cho tháng... (theo `due` của từng loại trong ngoaivu.yaml).

    \b
    Một báo cáo lỗi không dừng các báo cáo khác; cuối cùng in bảng tổng kết và, như
    `ngoaivu report`, những gì từng báo cáo bỏ sót (cảnh báo; --strict coi là lỗi).
    Tên tệp cố định theo loại và kỳ: chạy lại không ghi đè gì nếu không có --force.
    Mã thoát: 0 mọi báo cáo đều ghi được; 1 có báo cáo lỗi; 2 dùng sai lệnh.
    Ví dụ:
      ngoaivu batch --period "tháng 8/2023"
      ngoaivu batch --period "tháng trước" --out bao-cao --format docx,pdf
      ngoaivu batch --period "quý III/2023" --types bao_cao_tuan --force
    """
    from ngoaivu_cli import api

    config = _config(ctx)
    resolved, plan = api.plan_batch(config, period_expr, types=types, formats=formats,
                                    out_dir=out_dir, force=force, strict=strict, signed=da_ky,
                                    today=today, year=year, cutoff=cutoff, calendar=calendar)
    total = len(plan.jobs)
    click.echo(f"{resolved.label} ({resolved.start:%d/%m/%Y}–{resolved.end:%d/%m/%Y}): {total} "
               "báo cáo đến hạn", err=True)
    if sys.stderr.isatty():
        with click.progressbar(plan.run(), length=total, label="Đang lập báo cáo",
                               file=sys.stderr, item_show_func=lambda o: o.job.output.name
                               if o else None) as bar:
            for _ in bar:
                pass
    else:
        for i, outcome in enumerate(plan.run(), 1):
            state = "đã ghi" if outcome.ok else "LỖI"
            click.echo(f"[{i}/{total}] {outcome.job.output}: {state}", err=True)
    _print_batch_summary(plan.outcomes)
    if plan.failed:
        sys.exit(1)


def _print_batch_summary(outcomes: list[Any]) -> None:
    from ngoaivu_cli import api

    vn_date_short = api.short_date
    rows = [("#", "loại báo cáo", "kỳ", "tệp", "kết quả")]
    for i, o in enumerate(outcomes, 1):
        p = o.job.period
        when = f"{p.label} ({vn_date_short(p.start)}–{vn_date_short(p.end)})"
        state = f"LỖI [{i}]" if not o.ok else (
            f"đã ghi, {len(o.warnings)} cảnh báo [{i}]" if o.warnings else "đã ghi")
        rows.append((str(i), o.job.report_type.key, when, str(o.job.output), state))
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    click.echo()
    for n, row in enumerate(rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
                   + "  " + row[4])
        if n == 0:
            click.echo("  ".join("-" * w for w in widths) + "  " + "-" * len(row[4]))
    failed = [(i, o) for i, o in enumerate(outcomes, 1) if not o.ok]
    for i, o in failed:
        click.echo(f"\n[{i}] {o.job.output}: {o.error}")
        if o.hint:
            click.echo(f"  = gợi ý: {o.hint}")
    warned = [(i, o) for i, o in enumerate(outcomes, 1) if o.ok and o.warnings]
    for i, o in warned:
        click.echo(f"\n[{i}] {o.job.output}: {len(o.warnings)} cảnh báo, báo cáo không in "
                   "những nội dung sau")
        for p in o.warnings:
            click.echo(p.format())
    tail = (f", {sum(len(o.warnings) for _i, o in warned)} cảnh báo (--strict để coi là lỗi)"
            if warned else "")
    click.echo(f"\n{len(outcomes)} báo cáo: {len(outcomes) - len(failed)} đã ghi, "
               f"{len(failed)} lỗi{tail}")
