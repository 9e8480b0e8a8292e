"""``ngoaivu import``: past reports become entries of the log (the work is in importer/)."""

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
    main,
)

if TYPE_CHECKING:
    from pathlib import Path


@main.command("import", short_help="Nhập báo cáo cũ (.docx, .doc, .odt, .txt) vào nhật ký.")
@click.argument("files", nargs=-1, required=True, type=PathType(),
                metavar="TỆP...")
@click.option("--period", "-p", default=None, metavar="KỲ",
              help="Kỳ của văn bản, khi tiêu đề không ghi rõ (mặc định: đọc từ tiêu đề).")
@click.option("--type", "type_key", default=None, metavar="LOẠI",
              shell_complete=_complete_keys("report_types"),
              help="Loại báo cáo của văn bản (mặc định: đoán từ tiêu đề).")
@click.option("--dry-run", is_flag=True,
              help="Chỉ in các hoạt động sẽ ghi, không ghi tệp nào.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "table"]), default=None,
              help="Cách in các hoạt động: yaml (nội dung các tệp; mặc định khi --dry-run) "
                   "hoặc table (bảng một dòng một hoạt động). Không có --dry-run và không ghi "
                   "--format: in đường dẫn các tệp đã ghi.")
@click.option("--today", callback=_parse_date_option, metavar="YYYY-MM-DD",
              help="Ngày coi là hôm nay khi văn bản không ghi ngày ban hành.")
@click.option("--source", "source_name", default=None, metavar="NGUỒN",
              help="Ghi vào nhật ký của nguồn này (tên trong `sources:`), không vào data/ của "
                   "kho này: văn bản Word do cơ quan đó gửi.")
@click.pass_context
@_handle_errors
def import_(ctx: click.Context, files: tuple[Path, ...], period: str | None,
            type_key: str | None, dry_run: bool, fmt: str | None,
            today: dt.date | None, source_name: str | None) -> None:
    """Nhập các báo cáo đã gửi (Word .docx/.doc, LibreOffice .odt, chữ .txt/.md) thành các
    hoạt động trong data/YYYY/MM/.

    \b
    Mỗi gạch đầu dòng (hoặc đoạn) của phần kết quả / kế hoạch thành một hoạt động:
    lĩnh vực đoán theo cấu hình, ngày lấy trong kỳ của văn bản, số liệu lấy từ các câu
    thống kê, nhãn `imported` và `nguon-<mã văn bản>`. Phần đầu, Kính gửi, câu mở đầu,
    câu kết, Nơi nhận, chữ ký được bỏ qua. Không bao giờ ghi đè tệp có sẵn; nhập lại
    cùng văn bản không thêm gì. Văn bản hỏng hay không rõ kỳ thì báo lỗi (mã thoát 1),
    các văn bản khác vẫn được nhập.
    Ví dụ:
      ngoaivu import bao-cao-cu/*.docx --dry-run
      ngoaivu import bao-cao-cu/*.docx --dry-run --format table
      ngoaivu import "BC tuan 24-31.8.2023.docx"
      ngoaivu import bc-thang-01.doc --period "tháng 01/2021" --type thong_tin_doi_ngoai_thang
      ngoaivu import "BC 6 thang So Cong Thuong.docx" --source "Sở Công Thương"
    """
    from ngoaivu_cli import api
    from ngoaivu_cli.errors import display_path

    config = _config(ctx)
    if source_name is not None:
        config = api.source_log(config, source_name)
    run = api.import_documents(list(files), config, period=period, type_key=type_key, dry_run=dry_run,
                       today=today)
    fmt = fmt or ("yaml" if dry_run else None)
    for result in run.results:
        if fmt == "table":
            _table(result, config)
            continue
        for path, text in result.files:
            if fmt == "yaml":
                click.echo(f"# {display_path(path)}")
                click.echo(text)
            else:
                click.echo(display_path(path))
    for result in run.results:
        _summary(result, config, dry_run)
    total = sum(len(r.written) for r in run.results)
    verb = "sẽ ghi" if dry_run else "đã ghi"
    click.echo(f"Tổng cộng: {len(run.results)} văn bản, {verb} {total} hoạt động"
               + (f", {len(run.failed)} văn bản lỗi" if run.failed else "")
               + (f", {run.refused} hoạt động không ghi (validate sẽ từ chối)"
                  if run.refused else "")
               + (" (chạy thử, chưa ghi gì)" if dry_run else ""), err=True)
    if run.failed or run.refused:
        sys.exit(1)


def _table(result: Any, config: Any) -> None:
    """The entries of one document, one line each: day, kind, category, how sure, figures,
    text (cut at 80 characters), under the document's name and above its files."""
    from ngoaivu_cli import api
    from ngoaivu_cli.errors import display_path

    low, _review = api.import_words()
    if not result.written:
        return
    click.echo(f"== {display_path(result.path)}")
    for w in result.written:
        e = w.entry
        kind = "kế hoạch" if e.status == "planned" else "kết quả"
        sure = "?" if e.confidence == low else " "
        figures = ", ".join(f"{k}={v}" for k, v in e.metrics.items())
        summary = " ".join(e.summary.split())
        if len(summary) > 80:
            summary = summary[:79] + "…"
        click.echo(f"{e.date:%d/%m/%Y} {kind:<8} {e.category[:22]:<22}{sure} "
                   + (f"[{figures}] " if figures else "") + summary)
    for path, _text in result.files:
        click.echo(f"   → {display_path(path)}")
    click.echo(f"— {len(result.written)} hoạt động (? = đoán chưa chắc)")


def _summary(result: Any, config: object, dry_run: bool) -> None:
    from ngoaivu_cli import api
    from ngoaivu_cli.errors import display_path, printable

    _low, REVIEW_CATEGORY = api.import_words()
    name = display_path(result.path)
    if result.error:
        click.echo(f"Lỗi: {name}: {result.error}", err=True)
        if result.hint:
            click.echo(f"  = gợi ý: {result.hint}", err=True)
        return
    assert result.period is not None
    click.echo(f"{name}: kỳ {result.period.label} ({result.period_where}), "
               f"loại {result.report_type or '(không rõ)'}", err=True)
    verb = "sẽ ghi" if dry_run else "ghi"
    counts = ", ".join(f"{k} {n}" for k, n in result.by_category.most_common())
    click.echo(f"  {verb} {len(result.written)} hoạt động" + (f": {counts}" if counts else ""),
               err=True)
    if result.refused:
        click.echo(f"  không ghi {len(result.refused)} hoạt động mà `ngoaivu validate` sẽ từ "
                   "chối:", err=True)
        for entry, reason in result.refused[:10]:
            summary = printable(" ".join(entry.summary.split())[:60])
            click.echo(f"    đoạn {entry.paragraph}: {printable(reason[:200])} — {summary}…",
                       err=True)
        if len(result.refused) > 10:
            click.echo(f"    và {len(result.refused) - 10} hoạt động khác", err=True)
        click.echo("    = gợi ý: sửa các đoạn này trong văn bản (hoặc ghi tay bằng "
                   "`ngoaivu new`)", err=True)
    if result.already:
        click.echo(f"  đã có trong nhật ký (nhập trước đây): {result.already} hoạt động, bỏ qua",
                   err=True)
    low = result.low_confidence
    if low:
        click.echo(f"  đoán chưa chắc (lĩnh vực hoặc số liệu): {len(low)} hoạt động (xem lại):",
                   err=True)
        for w in low[:10]:
            click.echo(f"    đoạn {w.entry.paragraph}: {w.entry.category} — "
                       f"{w.entry.summary[:60]}…", err=True)
    review = result.review
    if review:
        click.echo(f"  chưa xếp được lĩnh vực: {len(review)} hoạt động, ghi vào `{REVIEW_CATEGORY}`"
                   " (ngoaivu validate nhắc cho tới khi sửa lĩnh vực)", err=True)
    if result.skipped:
        parts = ", ".join(f"{k} {n}" for k, n in result.skipped.items())
        click.echo(f"  bỏ qua: {parts} (đoạn)", err=True)
    if result.closing:
        closing = printable(" ".join(result.closing.split()))
        click.echo(f"  bỏ qua câu kết (khung văn bản, không phải hoạt động): "
                   f"“{closing[:100]}{'…' if len(closing) > 100 else ''}”", err=True)
    for note in result.notes:
        click.echo(f"  lưu ý: {note}", err=True)
