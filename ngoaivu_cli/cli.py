"""Command line (click only, thin): one library call per command; errors → output and exit codes.

Heavy libraries (yaml, jinja2, docx) are imported inside the commands that need them, so
``ngoaivu --help`` starts as fast as click itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --------------------------------------------------------------------------- error handling


def _print_problems(problems: list[Any], *, excerpt: bool = True, err: bool = True) -> None:
    for p in problems:
        click.echo(p.format(excerpt=excerpt), err=err)


def _handle_errors(func: F) -> F:
    """Turn every error of the library into a Vietnamese message and an exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ngoaivu_cli.errors import ConfigError, DataError, NgoaivuError

        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            _print_problems(exc.problems)
            click.echo(f"Lỗi: {exc.message} ({len(exc.problems)} lỗi); hãy sửa ngoaivu.yaml",
                       err=True)
            sys.exit(exc.exit_code)
        except DataError as exc:
            _print_problems(exc.problems)
            click.echo(f"Lỗi: {exc.message} ({len(exc.problems)} lỗi)", err=True)
            sys.exit(exc.exit_code)
        except NgoaivuError as exc:
            click.echo(f"Lỗi: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"  = gợi ý: {exc.hint}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Đã dừng.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            click.echo(f"Lỗi: không đọc/ghi được tệp{where}: {exc.strerror or exc}", err=True)
            sys.exit(1)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
            if os.environ.get("NGOAIVU_DEBUG"):
                raise
            click.echo(f"Lỗi nội bộ của ngoaivu: {type(exc).__name__}: {exc}", err=True)
            click.echo("  = gợi ý: chạy lại với NGOAIVU_DEBUG=1 để xem chi tiết và báo cho "
                       "người phát triển", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


# --------------------------------------------------------------------------- shared options


def _parse_date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" không phải ngày dạng YYYY-MM-DD') from None


def _config(ctx: click.Context) -> Any:
    from ngoaivu_cli.config import load_config

    obj = ctx.ensure_object(dict)
    if "config" not in obj:
        obj["config"] = load_config(obj.get("config_path"))
    return obj["config"]


def period_options(func: F) -> F:
    """--today, --year, --cutoff, --calendar: how a period expression is resolved."""
    func = click.option("--calendar", is_flag=True,
                        help="Bỏ ngày chốt số liệu, dùng tháng/quý/năm theo lịch.")(func)
    func = click.option("--cutoff", type=click.IntRange(1, 28), default=None,
                        help="Ngày chốt số liệu (14 theo Nghị định 09/2019).")(func)
    func = click.option("--year", type=click.IntRange(1900, 2200), default=None,
                        help="Năm cho các kỳ không ghi năm (24/8–31/8, tháng 11).")(func)
    func = click.option("--today", callback=_parse_date_option, metavar="YYYY-MM-DD",
                        help="Coi hôm nay là ngày này (cho 'tuần trước', 'tháng này'...).")(func)
    return func


def _resolve(ctx: click.Context, expr: str, today: dt.date | None, year: int | None,
             cutoff: int | None, calendar: bool) -> Any:
    from ngoaivu_cli.selection import resolve_period

    return resolve_period(expr, _config(ctx), today=today, year=year, cutoff=cutoff,
                          calendar=calendar)


# --------------------------------------------------------------------------- commands


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="ngoaivu", message="ngoaivu %(version)s")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              envvar="NGOAIVU_CONFIG", help="Tệp cấu hình ngoaivu.yaml (mặc định: tìm từ thư mục "
              "hiện tại lên trên, rồi cấu hình có sẵn).")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """ngoaivu — lập báo cáo công tác đối ngoại từ nhật ký hoạt động (YAML).

    \b
    Ví dụ:
      ngoaivu validate data
      ngoaivu list --period "tháng 01/2021"
      ngoaivu report --period 2023-08-24:2023-08-31
    """
    ctx.ensure_object(dict)["config_path"] = config_path


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Dạng kết quả.")
@click.option("--no-excerpt", is_flag=True, help="Chỉ in dòng đầu của mỗi lỗi.")
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi (mã thoát 1).")
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
    from ngoaivu_cli.selection import validate_paths

    config = _config(ctx)
    targets = list(paths) or [config.data_dir]
    result = validate_paths(targets, config)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_problems(result.problems, excerpt=not no_excerpt, err=False)
        click.echo(result.summary())
    if result.errors or (strict and result.warnings):
        sys.exit(1)


@main.command("list")
@click.option("--period", "period_expr", metavar="KỲ", help="Kỳ: 2023-08-24:2023-08-31, "
              "\"tháng 01/2021\", \"quý III/2023\"... (mặc định: cả nhật ký).")
@click.option("--category", "categories", multiple=True, help="Chỉ lĩnh vực này (lặp được).")
@click.option("--unit", "units", multiple=True, help="Chỉ đơn vị này (lặp được).")
@click.option("--tag", "tags", multiple=True, help="Chỉ hoạt động có nhãn này (lặp được).")
@click.option("--status", type=click.Choice(["done", "planned", "any"]), default="any",
              show_default=True, help="done: kết quả; planned: kế hoạch.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@period_options
@click.pass_context
@_handle_errors
def list_cmd(ctx: click.Context, period_expr: str | None, categories: tuple[str, ...],
             units: tuple[str, ...], tags: tuple[str, ...], status: str, fmt: str,
             today: dt.date | None, year: int | None, cutoff: int | None, calendar: bool) -> None:
    """Liệt kê các hoạt động của một kỳ, theo ngày.

    \b
    Ví dụ:
      ngoaivu list --period 2023-08-24:2023-08-31
      ngoaivu list --period "tháng 01/2021" --tag ttdn --format csv
    """
    from ngoaivu_cli.selection import filter_entries, load_window

    config = _config(ctx)
    _check_keys(config, categories, units)
    if period_expr:
        period = _resolve(ctx, period_expr, today, year, cutoff, calendar)
        loaded = load_window(config, period.start, period.next().end)
        start, end = period.start, period.end
    else:
        loaded = load_window(config, dt.date.min + dt.timedelta(days=400), dt.date.max)
        start = end = None
    rows = filter_entries(loaded.entries, start=start, end=end, categories=categories,
                          units=units, tags=tags, status=status)
    _print_entries(rows, config, fmt)


def _check_keys(config: Any, categories: tuple[str, ...], units: tuple[str, ...]) -> None:
    from ngoaivu_cli.errors import UsageError
    from ngoaivu_cli.yamlread import suggest

    for name, given, known in (("lĩnh vực", categories, config.categories),
                               ("đơn vị", units, config.units)):
        for value in given:
            if value not in known:
                guess = suggest(value, list(known))
                raise UsageError(f'{name} "{value}" không có trong cấu hình',
                                 hint=f"có phải ý bạn là `{guess}`?" if guess
                                 else "có: " + ", ".join(known))


def _print_entries(rows: list[Any], config: Any, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([e.to_json() for e in rows], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["ngay", "den_ngay", "linh_vuc", "trang_thai", "don_vi", "noi_dung", "tep"])
        for e in rows:
            writer.writerow([e.date.isoformat(), e.end.isoformat() if e.end else "",
                             e.category, e.status, e.unit or "", e.summary, e.loc.path])
        return
    from ngoaivu_cli.formatting import vn_date_short

    for e in rows:
        when = vn_date_short(e.date) + (f"–{vn_date_short(e.end)}" if e.end else "")
        mark = "" if e.status == "done" else " [kế hoạch]"
        label = config.category_label(e.category)
        summary = " ".join((e.summary or "").split())
        if len(summary) > 110:
            summary = summary[:109] + "…"
        click.echo(f"{when:<12} {label[:34]:<34} {e.unit or '-':<6}{mark} {summary}")
    click.echo(f"— {len(rows)} hoạt động")


@main.command()
@click.option("--period", "period_expr", required=True, metavar="KỲ",
              help="Kỳ thống kê: \"năm 2023\", \"6 tháng đầu năm 2023\", \"từ đầu nhiệm kỳ đến nay\"...")
@click.option("--by", type=click.Choice(["category", "unit", "partner", "month"]),
              default="category", show_default=True, help="Nhóm theo lĩnh vực, đơn vị, đối tác "
              "hoặc tháng.")
@click.option("--status", type=click.Choice(["done", "planned", "any"]), default="done",
              show_default=True, help="done: kết quả; planned: kế hoạch.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@period_options
@click.pass_context
@_handle_errors
def stats(ctx: click.Context, period_expr: str, by: str, status: str, fmt: str,
          today: dt.date | None, year: int | None, cutoff: int | None, calendar: bool) -> None:
    """Cộng số liệu và đếm hoạt động của một kỳ, theo lĩnh vực, đơn vị, đối tác hoặc tháng.

    \b
    Ví dụ:
      ngoaivu stats --period "tháng 8/2023"
      ngoaivu stats --period "năm 2023" --by unit --format csv
    """
    from ngoaivu_cli.selection import filter_entries, load_window
    from ngoaivu_cli.stats import compute_stats, stats_rows

    config = _config(ctx)
    resolved = _resolve(ctx, period_expr, today, year, cutoff, calendar)
    loaded = load_window(config, resolved.start, resolved.end)
    entries = filter_entries(loaded.entries, start=resolved.start, end=resolved.end,
                             status=status)
    result = compute_stats(entries, config, by)
    if fmt == "json":
        data = {"period": resolved.to_json(), **result.to_json(config)}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = stats_rows(result, config)
    if fmt == "csv":
        import csv

        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
        return
    click.echo(f"Thống kê {resolved.label} ({resolved.start:%d/%m/%Y}–{resolved.end:%d/%m/%Y}), "
               f"theo {rows[0][0].lower()}:")
    for row in rows[1:]:
        click.echo(f"\n{row[0]}: {row[1]} hoạt động")
        for title, value in zip(rows[0][2:], row[2:], strict=True):
            if value:
                click.echo(f"  {title}: {value}")


@main.command()
@click.argument("expr", metavar="KỲ")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@period_options
@click.pass_context
@_handle_errors
def period(ctx: click.Context, expr: str, fmt: str, today: dt.date | None, year: int | None,
           cutoff: int | None, calendar: bool) -> None:
    """Cho biết một kỳ báo cáo được hiểu ra sao: từ ngày, đến ngày, loại kỳ, cách ghi, kỳ tiếp theo.

    \b
    Ví dụ:
      ngoaivu period "quý III/2023"
      ngoaivu period "tháng 11/2017" --cutoff 14
      ngoaivu period "tuần trước" --today 2023-09-04 --format json
    """
    resolved = _resolve(ctx, expr, today, year, cutoff, calendar)
    if fmt == "json":
        click.echo(json.dumps(resolved.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in resolved.describe():
            click.echo(line)


@main.command()
@click.option("--period", "period_expr", required=True, metavar="KỲ",
              help="Kỳ báo cáo: 2023-08-24:2023-08-31, \"tháng 01/2021\", \"quý III/2023\"...")
@click.option("--type", "type_name", metavar="LOẠI",
              help="Loại báo cáo trong ngoaivu.yaml (mặc định: theo loại kỳ).")
@click.option("--format", "fmt", type=click.Choice(["docx", "md", "pdf", "json"]),
              default="docx", show_default=True, help="docx: văn bản chính thức; md: xem trước; "
              "pdf: qua LibreOffice; json: dữ liệu đưa vào mẫu.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Tệp kết quả ('-' để in ra màn hình với md/json). Mặc định: tên theo loại và kỳ.")
@click.option("--force", is_flag=True, help="Ghi đè tệp kết quả đã có.")
@click.option("--date", "issue_date", callback=_parse_date_option, metavar="YYYY-MM-DD",
              help="Ngày ban hành in trên văn bản (mặc định: ngày cuối kỳ).")
@click.option("--number", default="", metavar="SỐ",
              help="Số văn bản (mặc định để trống: \"Số:      /BC-SNgV\").")
@period_options
@click.pass_context
@_handle_errors
def report(ctx: click.Context, period_expr: str, type_name: str | None, fmt: str,
           output: Path | None, force: bool, issue_date: dt.date | None, number: str,
           today: dt.date | None, year: int | None, cutoff: int | None, calendar: bool) -> None:
    """Lập một báo cáo cho một kỳ, theo mẫu Nghị định 30/2020/NĐ-CP.

    \b
    Ví dụ:
      ngoaivu report --period 2023-08-24:2023-08-31
      ngoaivu report --period "tháng 01/2021" --type thong_tin_doi_ngoai_thang
      ngoaivu report --period "quý III/2023" --format md -o -
    """
    from ngoaivu_cli.errors import UsageError
    from ngoaivu_cli.render.report import make_report

    if number and not number.replace("-", "").isalnum():
        raise click.BadParameter("số văn bản chỉ gồm chữ số (và chữ cái)", param_hint="--number")
    config = _config(ctx)
    resolved = _resolve(ctx, period_expr, today, year, cutoff, calendar)
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and fmt not in ("md", "json"):
        raise UsageError("chỉ in ra màn hình được với --format md hoặc json",
                         hint="bỏ -o - để ghi tệp DOCX/PDF")
    result = make_report(config, resolved, type_name=type_name, fmt=fmt,
                         output=None if to_stdout else output, force=force,
                         issue_date=issue_date, number=number, to_stdout=to_stdout)
    if result.text is not None:
        click.echo(result.text, nl=False)
        return
    click.echo(f"Đã ghi {result.path} — {result.report_type.name}, {resolved.label} "
               f"({resolved.start:%d/%m/%Y}–{resolved.end:%d/%m/%Y}), {result.entries} hoạt "
               "động được đọc", err=True)


def run() -> None:  # pragma: no cover - console entry for python -m
    main()
