"""Command line (click only, thin): one library call per command; errors → output and exit codes.

This module holds the ``ngoaivu`` group and what every command shares (error handling, the
period options, Vietnamese help); the commands live beside it: :mod:`.log` (validate, list,
stats, period), :mod:`.reporting` (report, batch), :mod:`.daily` (init, new, schema).
Heavy libraries (yaml, jinja2, docx) are imported inside the commands that need them, so
``ngoaivu --help`` starts as fast as click itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ngoaivu_cli import __version__
from ngoaivu_cli.cli import clickvi, lazy

if TYPE_CHECKING:
    from pathlib import Path

clickvi.install()  # click's own messages (usage errors, help headings) in Vietnamese

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --------------------------------------------------------------------------- error handling


def _print_problems(problems: list[Any], *, excerpt: bool = True, err: bool = True) -> None:
    from ngoaivu_cli.errors import cap_per_file

    for p in cap_per_file(problems):
        click.echo(p.format(excerpt=excerpt), err=err)


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 60.000, as the documents write it


def _handle_errors(func: F) -> F:
    """Turn every error of the library into a Vietnamese message and an exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ngoaivu_cli.errors import (
            ConfigError,
            DataError,
            NgoaivuError,
            name_config,
            os_reason,
        )

        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            _print_problems(exc.problems)
            files = list(dict.fromkeys(p.loc.path for p in exc.problems)) or ["ngoaivu.yaml"]
            click.echo(f"Lỗi: {exc.message} ({len(exc.problems)} lỗi); hãy sửa "
                       f"{', '.join(files[:3])}", err=True)
            sys.exit(exc.exit_code)
        except DataError as exc:
            _print_problems(exc.problems)
            left = exc.total - len(exc.problems)
            if left > 0:
                click.echo(f"… và {_thousands(left)} lỗi khác không in ra ở đây; "
                           "`ngoaivu validate` in tất cả", err=True)
            click.echo(f"Lỗi: {exc.message} ({_thousands(exc.total)} lỗi)", err=True)
            sys.exit(exc.exit_code)
        except NgoaivuError as exc:
            _print_problems(getattr(exc, "problems", None) or [])
            click.echo(f"Lỗi: {name_config(exc.message)}", err=True)
            if exc.hint:
                click.echo(f"  = gợi ý: {name_config(exc.hint)}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Đã dừng.", err=True)
            sys.exit(130)
        except click.exceptions.Abort:  # Ctrl-C or Ctrl-D at a prompt
            click.echo("\nĐã dừng (không ghi gì).", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # `ngoaivu list | head`: the reader has what it wanted
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - no flush error at exit
            sys.exit(0)
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


class PathType(click.Path):
    """``click.Path`` giving a ``pathlib.Path``, with pathlib imported only when an option is
    used (``ngoaivu --help`` and ``--version`` never need it: 6 ms)."""

    def coerce_path_result(self, value: Any) -> Any:
        from pathlib import Path

        return value if isinstance(value, Path) else Path(value)


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
    from ngoaivu_cli import api

    obj = ctx.ensure_object(dict)
    if "config" not in obj:
        obj["config"] = api.load_config(obj.get("config_path"),
                                        skip_missing_sources=bool(obj.get("skip_missing_sources")))
    return obj["config"]


def _skip_sources(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(dict)["skip_missing_sources"] = True


def sources_option(func: F) -> F:
    """--skip-missing-sources: a source that cannot be read is left out with a warning."""
    return click.option("--skip-missing-sources", is_flag=True, expose_value=False,
                        callback=_skip_sources, is_eager=True,
                        help="Nguồn (cơ quan trong `sources:`) không đọc được thì bỏ qua, kèm "
                             "cảnh báo, thay vì dừng.")(func)


def say_skipped(problems: list[Any]) -> None:
    """Sources left out (--skip-missing-sources), on stderr."""
    for p in problems:
        click.echo(f"  Lưu ý: {p.message}", err=True)


def period_options(func: F) -> F:
    """--today, --year, --cutoff, --calendar: how a period expression is resolved."""
    func = click.option("--calendar", is_flag=True,
                        help="Bỏ ngày chốt số liệu, dùng tháng/quý/năm theo lịch.")(func)
    func = click.option("--cutoff", type=click.IntRange(1, 28), default=None, metavar="NGÀY",
                        help="Ngày chốt số liệu (14 theo Nghị định 09/2019).")(func)
    func = click.option("--year", type=click.IntRange(1900, 2200), default=None, metavar="NĂM",
                        help="Năm cho các kỳ không ghi năm (24/8–31/8, tháng 11).")(func)
    func = click.option("--today", callback=_parse_date_option, metavar="YYYY-MM-DD",
                        help="Coi hôm nay là ngày này (cho 'tuần trước', 'tháng này'...).")(func)
    return func


_COMPARE = {"last-year": "last_year", "cung-ky": "last_year", "cung-ky-nam-truoc": "last_year",
            "previous": "previous", "ky-truoc": "previous", "ytd": "ytd", "tu-dau-nam": "ytd",
            "ytd-last-year": "ytd_last_year", "ttd": "ttd", "cumulative": "cumulative",
            "luy-ke": "cumulative"}
COMPARE_HELP = ("last-year (cùng-kỳ), previous (kỳ-trước), ytd (từ-đầu-năm), ytd-last-year, ttd, "
                "cumulative (lũy-kế)")


def _compare_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--compare``: an English name or its Vietnamese form (``cùng-kỳ``, ``lũy-kế``)."""
    if value is None:
        return None
    from ngoaivu_cli import api

    key = api.strip_accents(value.strip().lower()).replace("_", "-").replace(" ", "-")
    if key not in _COMPARE:
        raise click.BadParameter(f"không có phạm vi “{value}”; chọn: "
                                 + ", ".join(sorted({k for k in _COMPARE if k.isascii()})),
                                 ctx=ctx, param=param)
    return _COMPARE[key]


def compare_option(help_text: str) -> Callable[[F], F]:
    """``--compare PHẠM_VI``: another scope of the period (``ngoaivu_cli.scopes``)."""
    return click.option("--compare", "compare", metavar="PHẠM_VI", callback=_compare_option,
                        help=f"{help_text}: {COMPARE_HELP}.")


def _resolve(ctx: click.Context, expr: str, today: dt.date | None, year: int | None,
             cutoff: int | None, calendar: bool) -> Any:
    from ngoaivu_cli import api

    return api.resolve_period(expr, _config(ctx), today=today, year=year, cutoff=cutoff,
                          calendar=calendar)


# --------------------------------------------------------------------------- commands


HELP_TEXT = "In hướng dẫn này rồi thoát."


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns`` without importing shutil (3 ms of ``--help``)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Context(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        max_width = self.max_content_width or 80
        width = self.terminal_width or click.formatting.FORCED_WIDTH  # CliRunner sets the latter
        if width is None:
            width = max(min(_terminal_columns(), max_width) - 2, 50)
        return self.formatter_class(width=width, max_width=max_width)


class _Vietnamese:
    """Help in Vietnamese: the --help option's text and the usage line's placeholders."""

    context_class: type[click.Context] = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]  # a mixin: click.Command follows
        if option is not None:
            option.help = HELP_TEXT
        return option


class _VnCommand(_Vietnamese, click.Command):
    pass


class _VnGroup(_Vietnamese, click.Group):
    """The ``ngoaivu`` group: its commands' modules are imported when a command is run or
    listed in full (:mod:`.lazy`), never for ``ngoaivu --help`` or ``--version``."""

    command_class = _VnCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "LỆNH [ĐỐI SỐ]...")
        super().__init__(*args, **kwargs)
        self._lazy = lazy.Commands(self.commands)
        self.commands = self._lazy
        self._listing = False

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # before click parses anything: `--help` and `--version` print before any callback
        _check_streams()
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*lazy.COMMANDS, *dict.keys(self._lazy)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if self._listing:
            return lazy.listed(self._lazy, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True  # the list needs each command's one-line help, not its module
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


@click.group(cls=_VnGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, message="ngoaivu %(version)s",
                      help="In phiên bản rồi thoát.")
@click.option("--config", "config_path", type=PathType(), default=None,
              envvar="NGOAIVU_CONFIG", help="Tệp cấu hình, tên gì cũng được (mặc định: "
              "ngoaivu.yaml tìm từ thư mục hiện tại lên trên, rồi cấu hình có sẵn). data/, "
              "documents/, templates/ được tìm cạnh tệp này.")
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
    _end_cleanly_on_sigterm()
    from ngoaivu_cli import api

    ctx.with_resource(api.run())  # one budget for all the templates the command renders


def _end_cleanly_on_sigterm() -> None:
    """SIGTERM (`kill`, `timeout`, a service or a web worker stopped) ends the run as Ctrl-C
    does: by an exception, so every ``finally`` runs and a file being written leaves no
    temporary file behind (the default action kills the process where it stands). Exit status
    143 (128 + 15), as a shell reports it. A handler already set by an embedding program is
    kept."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError, OSError, AttributeError):  # not the main thread
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, stop)


def _check_streams() -> None:
    """Closed or odd standard streams end in a clear message, never a crash or a silent 0."""
    if sys.stdin is None:  # `ngoaivu new <&-`: prompts read an empty input and stop cleanly
        sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if stream is not None and encoding not in ("utf8", "utf8sig") and hasattr(
                stream, "reconfigure"):
            # a terminal that cannot show Vietnamese (PYTHONIOENCODING=latin-1): escapes
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")
    closed = sys.stdout is None
    if not closed:
        try:
            fd = sys.stdout.fileno()
        except (ValueError, OSError, AttributeError):
            fd = None  # not a real file (a test's capture): nothing to check
        if fd is not None:
            try:
                os.fstat(fd)
            except OSError:
                closed = True
    if closed:
        message = ("Lỗi: đầu ra chuẩn (stdout) đã bị đóng, không in được kết quả\n"
                   "  = gợi ý: bỏ `>&-` khỏi lệnh, hoặc chuyển kết quả vào tệp: `> ket-qua.txt`\n")
        if sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(message)
        sys.exit(1)


class _IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from ngoaivu_cli import api

        date, message, hint = api.parse_date(str(value))
        if date is None:
            self.fail(f"{message}; {hint}", param, ctx)
        if not api.MIN_YEAR <= date.year <= api.MAX_YEAR:  # as the period grammar
            self.fail(f"năm {date.year} nằm ngoài khoảng {api.MIN_YEAR}–{api.MAX_YEAR}",
                      param, ctx)
        return date


class _PlanDate(_IsoDate):
    """``--date`` of ``new``: a day, or for a plan a month or a quarter (``2024-12``,
    ``2024-Q1``, ``"quý I/2024"``), given back as ``loader.ApproxDate``."""

    name = "YYYY-MM-DD|YYYY-MM|YYYY-QN"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        from ngoaivu_cli import api

        if isinstance(value, dt.date) or api.is_plan_date(value):
            return value
        approx = api.parse_plan_date(str(value))
        return approx if approx is not None else super().convert(value, param, ctx)


def run() -> None:  # pragma: no cover - console entry for python -m
    main()

