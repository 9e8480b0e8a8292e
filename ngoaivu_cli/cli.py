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

from ngoaivu_cli import clickvi

clickvi.install()  # click's own messages (usage errors, help headings) in Vietnamese

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
        from ngoaivu_cli.errors import ConfigError, DataError, NgoaivuError, os_reason

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
        except click.exceptions.Abort:  # Ctrl-C or Ctrl-D at a prompt
            click.echo("\nĐã dừng (không ghi gì).", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            click.echo(f"Lỗi: không đọc/ghi được tệp{where}: {os_reason(exc)}", err=True)
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
    return None if value is None else _IsoDate().convert(value, param, ctx)


def _complete_keys(table: str) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    """Shell completion of configuration keys (categories, units, report types)."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        try:
            values: dict[str, Any] = getattr(_config(ctx), table)
        except Exception:  # completion must never print an error into the shell
            return []
        last = incomplete.rsplit(",", 1)[-1] if table == "report_types" else incomplete
        prefix = incomplete[: len(incomplete) - len(last)]
        return [CompletionItem(prefix + key, help=getattr(value, "label", None)
                               or getattr(value, "name", None) or str(value))
                for key, value in values.items() if key.startswith(last)]

    return complete


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


HELP_TEXT = "In hướng dẫn này rồi thoát."


class _VnCommand(click.Command):
    """A command whose --help option is described in Vietnamese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class _VnGroup(click.Group):
    command_class = _VnCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [ĐỐI SỐ]...")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


@click.group(cls=_VnGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="ngoaivu", message="ngoaivu %(version)s",
                      help="In phiên bản rồi thoát.")
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
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[ĐƯỜNG_DẪN]...")
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
    from ngoaivu_cli.replay import Stored, open_validate_replay

    # nothing changed since the last run here: print its output again (see replay.py)
    replay = open_validate_replay(ctx.obj.get("config_path"), list(paths),
                                  [fmt, "no-excerpt" if no_excerpt else "excerpt"])
    stored = replay.load() if replay is not None else None
    if stored is None:
        from ngoaivu_cli.selection import validate_paths

        result = validate_paths(list(paths) or None, _config(ctx))
        if fmt == "json":
            text = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
        else:
            text = "".join(p.format(excerpt=not no_excerpt) + "\n" for p in result.problems)
            text += result.summary() + "\n"
        stored = Stored(text, result.errors, result.warnings)
        if replay is not None:
            replay.store(stored)
    click.echo(stored.text, nl=False)
    if stored.errors or (strict and stored.warnings):
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
        loaded = load_window(config, period.start, period.end)
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
@click.option("--type", "type_name", metavar="LOẠI", shell_complete=_complete_keys("report_types"),
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
    from ngoaivu_cli.render.report import make_report, resolve_for_report

    if number and not number.replace("-", "").isalnum():
        raise click.BadParameter("số văn bản chỉ gồm chữ số (và chữ cái)", param_hint="--number")
    config = _config(ctx)
    resolved, rt = resolve_for_report(config, period_expr, type_name, today=today, year=year,
                                      cutoff=cutoff, calendar=calendar)
    type_name = rt.key
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
    _say_period_notes(resolved, rt, issue_date, today)


def _say_period_notes(resolved: Any, rt: Any, issue_date: dt.date | None,
                      today: dt.date | None) -> None:
    """What the user should know about the period before signing: how it was understood, and
    an issue date that lies in the future."""
    for note in resolved.notes:
        click.echo(f"  Lưu ý: {note}", err=True)
    now = today or dt.date.today()
    if issue_date is None and rt.issue_date == "end" and resolved.end > now:
        click.echo(f"  Lưu ý: văn bản ghi ngày {resolved.end:%d/%m/%Y} (ngày cuối kỳ, chưa đến); "
                   "dùng --date để ghi ngày khác", err=True)


# --------------------------------------------------------------------------- daily use: init, new,
# schema, batch


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


class _IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from ngoaivu_cli.loader import parse_date_text

        date, _code, message, hint = parse_date_text(str(value))
        if date is None:
            self.fail(f"{message}; {hint}", param, ctx)
        return date


class _KeyChoice(click.Choice):
    """A choice among configuration keys, refused in Vietnamese with the closest key."""

    def __init__(self, choices: list[str]) -> None:
        super().__init__(choices, case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        from ngoaivu_cli.yamlread import suggest

        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            guess = suggest(str(value), [str(c) for c in self.choices])
            self.fail(f'"{value}" không có trong danh sách trên'
                      + (f"; có phải ý bạn là `{guess}`?" if guess else ""), param, ctx)


def _show_choices(title: str, items: dict[str, str]) -> None:
    click.echo(title, err=True)
    width = max(map(len, items), default=0)
    for key, label in items.items():
        click.echo(f"  {key:<{width}}  {label}", err=True)


@main.command(short_help="Tạo một kho nhật ký mới (cấu hình, data/, mẫu, pre-commit).")
@click.argument("directory", default=".", type=click.Path(path_type=Path), metavar="[THƯ_MỤC]")
@click.option("--force", is_flag=True, help="Chấp nhận thư mục không trống: chỉ tạo các tệp còn "
              "thiếu, không ghi đè hay xóa tệp nào.")
@_handle_errors
def init(directory: Path, force: bool) -> None:
    """Tạo một kho nhật ký mới: ngoaivu.yaml, data/ với một hoạt động ví dụ, templates/,
    schema/, .gitignore và .pre-commit-config.yaml.

    \b
    THƯ_MỤC mặc định là thư mục hiện tại; phải trống (trừ .git) nếu không có --force.
    Ví dụ:
      ngoaivu init kho-nhat-ky
      git clone <địa chỉ kho git trống> kho && cd kho && ngoaivu init
      ngoaivu init --force          # thêm các tệp còn thiếu vào kho đã có
    """
    from ngoaivu_cli.errors import display_path
    from ngoaivu_cli.scaffold import init_repo

    result = init_repo(directory, force=force)
    for path in result.created:
        click.echo(f"  tạo  {display_path(path)}")
    for path in result.kept:
        click.echo(f"  giữ  {display_path(path)} (đã có, không ghi đè)")
    for note in result.notes:
        click.echo(f"  lưu ý: {note}")
    here = display_path(result.root)
    where = "thư mục hiện tại" if here == "." else here
    if result.created:
        click.echo(f"\nĐã tạo kho nhật ký ở {where}. Tiếp theo:")
    else:
        click.echo(f"\nKho nhật ký ở {where} đã đủ các tệp, không tạo thêm gì. Tiếp theo:")
    if here != ".":
        click.echo(f"  cd {here}")
    click.echo('  ngoaivu new                                  # ghi một hoạt động (hỏi từng mục)\n'
               '  ngoaivu validate                             # kiểm tra nhật ký\n'
               '  ngoaivu report --period "tuần này"           # lập báo cáo tuần\n'
               '  git init && git add . && git commit -m "Khởi tạo nhật ký"')


@main.command(short_help="Ghi một hoạt động mới (tệp YAML đúng tên, đã kiểm tra).")
@click.option("--date", "date_", type=_IsoDate(), default=None,
              help="Ngày của hoạt động (mặc định: hôm nay).")
@click.option("--category", default=None, metavar="LĨNH_VỰC",
              shell_complete=_complete_keys("categories"),
              help="Lĩnh vực: một khóa trong `categories` (xem `ngoaivu schema`).")
@click.option("--summary", default=None, metavar="NỘI_DUNG",
              help="Nội dung, đúng câu sẽ in trong báo cáo.")
@click.option("--unit", default=None, metavar="ĐƠN_VỊ", shell_complete=_complete_keys("units"),
              help="Đơn vị thực hiện: một khóa trong `units`.")
@click.option("--status", type=click.Choice(["done", "planned"]), default="done",
              show_default=True, help="done: kết quả đã làm; planned: kế hoạch kỳ tới.")
@click.option("--metric", "metrics", multiple=True, metavar="TÊN=SỐ",
              help="Số liệu (lặp được): --metric doan_ra=2 --metric gio_phien_dich=1.5.")
@click.option("--tag", "tags", multiple=True, metavar="NHÃN", help="Nhãn (lặp được).")
@click.option("--partner", "partners", multiple=True, metavar="ĐỐI_TÁC",
              help="Đối tác: quốc gia, tỉnh, tổ chức (lặp được).")
@click.option("--end", type=_IsoDate(), default=None,
              help="Ngày kết thúc, nếu hoạt động kéo dài nhiều ngày.")
@click.option("--footnote", default=None, metavar="CHÚ_THÍCH",
              help="Chú thích cuối trang của hoạt động.")
@click.pass_context
@_handle_errors
def new(ctx: click.Context, date_: dt.date | None, category: str | None, summary: str | None,
        unit: str | None, status: str, metrics: tuple[str, ...], tags: tuple[str, ...],
        partners: tuple[str, ...], end: dt.date | None, footnote: str | None) -> None:
    """Ghi một hoạt động mới thành tệp data/YYYY/MM/YYYY-MM-DD-<mo-ta>.yaml.

    \b
    Hoạt động được kiểm tra như `ngoaivu validate` trước khi ghi; không bao giờ ghi đè
    tệp có sẵn (trùng tên thì thêm -2, -3...). In ra đường dẫn tệp đã ghi.
    Thiếu --category hoặc --summary: trong cửa sổ dòng lệnh thì hỏi từng mục, còn
    trong script là lỗi dùng lệnh (mã thoát 2).
    Ví dụ:
      ngoaivu new
      ngoaivu new --category tham_muu_tinh_uy --unit VPTTr \\
        --summary "Tham mưu Thường trực Tỉnh ủy ban hành Kế hoạch ..."
      ngoaivu new --date 2023-08-31 --category dich_thuat --unit TTDT --tag so-lieu \\
        --summary "Số liệu dịch thuật tuần" --metric trang_bd_noi_dung=75 \\
        --metric gio_phien_dich=15.5
    """
    from ngoaivu_cli.errors import UsageError, display_path
    from ngoaivu_cli.scaffold import new_entry, parse_metric

    parsed = tuple(parse_metric(m) for m in metrics)
    missing = [f"--{name}" for name, value in (("category", category), ("summary", summary))
               if not (value or "").strip()]
    config = _config(ctx)
    if missing:
        if not _stdin_is_tty():
            raise UsageError("thiếu " + " và ".join(missing),
                             hint='ví dụ: ngoaivu new --category tham_muu_ubnd --summary "..."; '
                                  "chạy `ngoaivu new` trong cửa sổ dòng lệnh để được hỏi từng mục")
        if date_ is None:
            date_ = click.prompt("Ngày (date)", type=_IsoDate(), default=dt.date.today(),
                                 err=True)
        if not (category or "").strip():
            _show_choices("Các lĩnh vực:", {k: c.label for k, c in config.categories.items()})
            category = click.prompt("Lĩnh vực (category)", type=_KeyChoice(
                list(config.categories)), show_choices=False, err=True)
        if unit is None:
            _show_choices("Các đơn vị ('-': không ghi):", dict(config.units))
            unit = click.prompt("Đơn vị (unit)", type=_KeyChoice([*config.units, "-"]),
                                default="-", show_choices=False, err=True)
            unit = None if unit == "-" else unit
        while not (summary or "").strip():
            summary = click.prompt("Nội dung (summary)", err=True)
    result = new_entry(config, date=date_ or dt.date.today(), category=category or "",
                       summary=summary or "", status=status, end=end, unit=unit, tags=tags,
                       partners=partners, metrics=parsed, footnote=footnote)
    click.echo(display_path(result.path))
    if result.schema_written:
        click.echo(f"Đã tạo {display_path(result.schema_written)} (trình soạn thảo dùng nó để "
                   "gợi ý và kiểm tra các trường)", err=True)
    if result.schema_stale:
        click.echo(f"Lưu ý: {display_path(result.schema_stale)} không còn khớp cấu hình; cập "
                   f"nhật bằng `ngoaivu schema -o {display_path(result.schema_stale)} --force`",
                   err=True)


@main.command(short_help="In JSON Schema của tệp hoạt động, cho trình soạn thảo.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="TỆP",
              help="Ghi vào tệp này (mặc định: in ra màn hình).")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@click.pass_context
@_handle_errors
def schema(ctx: click.Context, output: Path | None, force: bool) -> None:
    """In JSON Schema (draft 2020-12) của một tệp hoạt động, để trình soạn thảo gợi ý và
    kiểm tra các trường (lĩnh vực, đơn vị, số liệu lấy từ cấu hình đang dùng).

    \b
    Tệp hoạt động do `ngoaivu new` ghi có sẵn dòng đầu
      # yaml-language-server: $schema=../../../schema/entry.schema.json
    để VS Code (tiện ích YAML của Red Hat), Neovim, Helix... dùng schema của kho.
    Ví dụ:
      ngoaivu schema
      ngoaivu schema -o schema/entry.schema.json --force
    """
    from ngoaivu_cli.schema import schema_text, write_schema

    config = _config(ctx)
    if output is None or str(output) == "-":
        click.echo(schema_text(config), nl=False)
        return
    path = write_schema(config, output, force=force)
    click.echo(f"Đã ghi {path}", err=True)


@main.command(short_help="Lập mọi báo cáo đến hạn trong một kỳ (bảng tổng kết).")
@click.option("--period", "period_expr", required=True, metavar="KỲ",
              help="Kỳ: \"tháng 8/2023\", \"quý III/2023\", \"tháng trước\"...")
@click.option("--types", metavar="LOẠI,LOẠI", shell_complete=_complete_keys("report_types"),
              help="Chỉ các loại báo cáo này (mặc định: mọi loại đến hạn).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("."), show_default=True, metavar="THƯ_MỤC",
              help="Thư mục ghi báo cáo (tạo nếu chưa có).")
@click.option("--format", "formats", default="docx", show_default=True, metavar="ĐỊNH_DẠNG,...",
              help="Một hoặc nhiều định dạng, phân cách bằng dấu phẩy: docx,md,pdf,json.")
@click.option("--force", is_flag=True, help="Ghi đè các tệp báo cáo đã có.")
@period_options
@click.pass_context
@_handle_errors
def batch(ctx: click.Context, period_expr: str, types: str | None, out_dir: Path, formats: str,
          force: bool, today: dt.date | None, year: int | None, cutoff: int | None,
          calendar: bool) -> None:
    """Lập mọi báo cáo đến hạn trong một kỳ: loại báo cáo tuần cho từng tuần kết thúc trong
    kỳ, loại báo cáo tháng cho tháng... (theo `due` của từng loại trong ngoaivu.yaml).

    \b
    Một báo cáo lỗi không dừng các báo cáo khác; cuối cùng in bảng tổng kết.
    Tên tệp cố định theo loại và kỳ: chạy lại không ghi đè gì nếu không có --force.
    Mã thoát: 0 mọi báo cáo đều ghi được; 1 có báo cáo lỗi; 2 dùng sai lệnh.
    Ví dụ:
      ngoaivu batch --period "tháng 8/2023"
      ngoaivu batch --period "tháng trước" --out bao-cao --format docx,pdf
      ngoaivu batch --period "quý III/2023" --types bao_cao_tuan --force
    """
    from ngoaivu_cli.batch import parse_list, plan_batch
    from ngoaivu_cli.render.report import FORMATS, resolve_for_report

    config = _config(ctx)
    resolved = _resolve(ctx, period_expr, today, year, cutoff, calendar)

    def period_of_type(rt: Any) -> Any:  # a type's own cut-off, exactly as `report` applies it
        return resolve_for_report(config, period_expr, rt.key, today=today, year=year,
                                  cutoff=cutoff, calendar=calendar)[0]

    plan = plan_batch(config, resolved,
                      types=parse_list(types, "loại báo cáo", list(config.report_types),
                                       "--types"),
                      formats=parse_list(formats, "định dạng", FORMATS, "--format"),
                      out_dir=out_dir, force=force, period_of_type=period_of_type)
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
    from ngoaivu_cli.formatting import vn_date_short

    rows = [("#", "loại báo cáo", "kỳ", "tệp", "kết quả")]
    for i, o in enumerate(outcomes, 1):
        p = o.job.period
        when = f"{p.label} ({vn_date_short(p.start)}–{vn_date_short(p.end)})"
        state = "đã ghi" if o.ok else f"LỖI [{i}]"
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
    click.echo(f"\n{len(outcomes)} báo cáo: {len(outcomes) - len(failed)} đã ghi, "
               f"{len(failed)} lỗi")


def run() -> None:  # pragma: no cover - console entry for python -m
    main()
