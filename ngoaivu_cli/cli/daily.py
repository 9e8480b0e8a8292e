"""Commands for daily use: ``init``, ``new``, ``schema``."""

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
    _IsoDate,
    _PlanDate,
    main,
)

if TYPE_CHECKING:
    from pathlib import Path


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


class _KeyChoice(click.Choice):
    """A choice among configuration keys, refused in Vietnamese with the closest key."""

    def __init__(self, choices: list[str]) -> None:
        super().__init__(choices, case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        from ngoaivu_cli import api

        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            guess = api.suggest(str(value), [str(c) for c in self.choices])
            self.fail(f'"{value}" không có trong danh sách trên'
                      + (f"; có phải ý bạn là `{guess}`?" if guess else ""), param, ctx)


def _show_choices(title: str, items: dict[str, str]) -> None:
    click.echo(title, err=True)
    width = max(map(len, items), default=0)
    for key, label in items.items():
        click.echo(f"  {key:<{width}}  {label}", err=True)


def _key_value(values: tuple[str, ...], option: str) -> dict[str, str]:
    """``giam_doc=Nguyễn Văn A`` (repeated) → ``{"giam_doc": "Nguyễn Văn A"}``."""
    from ngoaivu_cli.errors import UsageError

    out: dict[str, str] = {}
    for text in values:
        key, sep, value = text.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f'{option} "{text}" phải có dạng KHÓA=GIÁ_TRỊ',
                             hint=f'ví dụ: {option} giam_doc="Nguyễn Văn A"')
        out[key.strip()] = value.strip()
    return out


def _office(parent: str | None, agency_name: str | None, short_name: str | None,
            symbol: str | None, place: str | None, signer_names: tuple[str, ...],
            signer_titles: tuple[str, ...]) -> Any:
    """The office ``init`` writes: from the options, asking for what is missing in a terminal
    when no option names the office."""
    from ngoaivu_cli import api
    from ngoaivu_cli.errors import UsageError

    office = api.office_setup()
    Office, SignerSetting = office.Office, office.SignerSetting
    place_from_parent, shipped_signers = office.place_from_parent, office.shipped_signers
    short_name_of = office.short_name_of
    names = _key_value(signer_names, "--signer-name")
    titles = _key_value(signer_titles, "--signer-title")
    signers = shipped_signers()
    for key in (*names, *titles):
        if key not in signers:
            guess = api.suggest(key, list(signers))
            raise UsageError(f"người ký `{key}` không có trong cấu hình có sẵn",
                             hint=(f"có phải ý bạn là `{guess}`? " if guess else "")
                             + "có: " + ", ".join(signers))
    given = any((parent, agency_name, short_name, symbol, place, names, titles))
    asked = not given and _stdin_is_tty()
    if asked:
        click.echo("Thông tin cơ quan (Enter: giữ giá trị trong ngoặc vuông).", err=True)
        parent = click.prompt("Cơ quan chủ quản (agency.parent), ví dụ UBND TỈNH QUẢNG TRỊ",
                              err=True).strip()
        agency_name = click.prompt("Tên cơ quan (agency.name)", default="SỞ NGOẠI VỤ",
                                   err=True).strip()
        short_name = click.prompt("Tên dùng trong câu văn (agency.short_name)",
                                  default=short_name_of(agency_name), err=True).strip()
        symbol = click.prompt("Chữ viết tắt trong ký hiệu (agency.symbol)", default="SNgV",
                              err=True).strip()
        place = click.prompt("Địa danh ghi trước ngày tháng (agency.place)",
                             default=place_from_parent(parent) or None, err=True).strip()
        for key, (title, _name) in signers.items():
            titles[key] = click.prompt(f"Chức danh người ký `{key}`", default=title,
                                       err=True).strip()
            names[key] = click.prompt(f"Họ tên người ký `{key}` (Enter: để trống, sửa sau)",
                                      default="", show_default=False, err=True).strip()
    return Office(parent=parent or "", name=agency_name or "", short_name=short_name or "",
                  symbol=symbol or "", place=place or "",
                  signers={k: SignerSetting(titles.get(k, ""), names.get(k, ""))
                           for k in signers}, blank_signers=not given and not asked)


@main.command(short_help="Tạo một kho nhật ký mới (cấu hình, data/, mẫu, pre-commit).")
@click.argument("directory", default=".", type=PathType(), metavar="[THƯ_MỤC]")
@click.option("--force", is_flag=True, help="Chấp nhận thư mục không trống: chỉ tạo các tệp còn "
              "thiếu, không ghi đè hay xóa tệp nào.")
@click.option("--parent", default=None, metavar="TÊN",
              help="Cơ quan chủ quản, chữ in hoa: \"UBND TỈNH QUẢNG TRỊ\".")
@click.option("--agency-name", default=None, metavar="TÊN",
              help="Tên cơ quan ban hành, chữ in hoa (mặc định: SỞ NGOẠI VỤ).")
@click.option("--short-name", default=None, metavar="TÊN",
              help="Tên cơ quan dùng trong câu văn (mặc định: từ tên cơ quan).")
@click.option("--symbol", default=None, metavar="CHỮ",
              help="Chữ viết tắt trong ký hiệu văn bản (mặc định: SNgV).")
@click.option("--place", default=None, metavar="ĐỊA_DANH",
              help="Địa danh ghi trước ngày tháng (mặc định: từ cơ quan chủ quản).")
@click.option("--signer-name", "signer_names", multiple=True, metavar="KHÓA=HỌ_TÊN",
              help="Họ tên một người ký (lặp được): --signer-name giam_doc=\"Nguyễn Văn A\".")
@click.option("--signer-title", "signer_titles", multiple=True, metavar="KHÓA=CHỨC_DANH",
              help="Chức danh một người ký (lặp được): --signer-title "
                   "chanh_van_phong=\"CHÁNH VĂN PHÒNG\".")
@_handle_errors
def init(directory: Path, force: bool, parent: str | None, agency_name: str | None,
         short_name: str | None, symbol: str | None, place: str | None,
         signer_names: tuple[str, ...], signer_titles: tuple[str, ...]) -> None:
    """Tạo một kho nhật ký mới: ngoaivu.yaml, data/ với một hoạt động ví dụ, templates/,
    schema/, .gitignore và .pre-commit-config.yaml.

    \b
    THƯ_MỤC mặc định là thư mục hiện tại; phải trống (trừ .git) nếu không có --force.
    Cơ quan và người ký: lấy từ các tùy chọn; không có tùy chọn nào thì trong cửa sổ dòng
    lệnh được hỏi từng mục, còn trong script thì giữ cơ quan có sẵn (Sở Ngoại vụ Hà Tĩnh)
    nhưng người ký chỉ có chữ giữ chỗ "Họ và tên người ký" (ghi họ tên thật sau; đến lúc đó
    báo cáo cảnh báo W-PLACEHOLDER-NAME và --strict không lập báo cáo).
    Người ký có sẵn: giam_doc, pho_giam_doc, chanh_van_phong.
    Ví dụ:
      ngoaivu init kho-nhat-ky
      ngoaivu init --parent "UBND TỈNH QUẢNG TRỊ" --signer-name giam_doc="Nguyễn Văn A"
      git clone <địa chỉ kho git trống> kho && cd kho && ngoaivu init
      ngoaivu init --force          # thêm các tệp còn thiếu vào kho đã có
    """
    from ngoaivu_cli import api
    from ngoaivu_cli.errors import display_path

    office = _office(parent, agency_name, short_name, symbol, place, signer_names,
                     signer_titles)
    result = api.init_repo(directory, force=force, office=office)
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
@click.option("--date", "date_", type=_PlanDate(), default=None,
              help="Ngày của hoạt động (mặc định: hôm nay); kế hoạch chưa rõ ngày: tháng "
                   "(2024-12) hoặc quý (2024-Q1), với --status planned.")
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
@click.option("--official", default=None, metavar="KỲ",
              help="Ghi số liệu chính thức công bố cho cả kỳ này (\"năm 2023\"): các --metric "
                   "là số chính thức (`official:`), không phải số của một hoạt động; ngày mặc "
                   "định là ngày cuối kỳ.")
@click.option("--group", default=None, metavar="KHÓA",
              help="Khóa gộp dòng: các hoạt động cùng khóa trong một mục của báo cáo in chung "
                   "một gạch đầu dòng (nối bằng `join` của mục, mặc định \"; \").")
@click.pass_context
@_handle_errors
def new(ctx: click.Context, date_: Any, category: str | None, summary: str | None,
        unit: str | None, status: str, metrics: tuple[str, ...], tags: tuple[str, ...],
        partners: tuple[str, ...], end: dt.date | None, footnote: str | None,
        official: str | None, group: str | None) -> None:
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
      ngoaivu new --official "năm 2023" --category doan_ra_doan_vao \\
        --summary "Cục Thống kê tỉnh công bố số đoàn ra năm 2023" --metric doan_ra=120
    """
    from ngoaivu_cli import api
    from ngoaivu_cli.errors import UsageError, display_path

    parsed = tuple(api.parse_metric(m) for m in metrics)
    missing = [f"--{name}" for name, value in (("category", category), ("summary", summary))
               if not (value or "").strip()]
    config = _config(ctx)
    if missing:
        if not _stdin_is_tty():
            raise UsageError("thiếu " + " và ".join(missing),
                             hint='ví dụ: ngoaivu new --category tham_muu_ubnd --summary "..."; '
                                  "chạy `ngoaivu new` trong cửa sổ dòng lệnh để được hỏi từng mục")
        if date_ is None and status == "planned":  # a plan may be known only to its month
            date_ = click.prompt("Ngày (date; kế hoạch chưa rõ ngày: tháng 2024-12 hoặc quý "
                                 "2024-Q1)", type=_PlanDate(), default=dt.date.today(),
                                 err=True)
        elif date_ is None:
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
    if config.source is None and not config.data_dir.is_dir():
        # no ngoaivu.yaml and no data/ here: say where the log is being started
        click.echo(f"Lưu ý: không có ngoaivu.yaml, dùng cấu hình có sẵn; bắt đầu nhật ký mới ở "
                   f"{display_path(config.data_dir)}/ (muốn một kho đầy đủ: `ngoaivu init`)",
                   err=True)
    approx = date_ if api.is_plan_date(date_) else None
    if official is not None:
        if approx is not None:
            raise UsageError(f"--date {approx.stem.upper()}: số liệu chính thức ghi một ngày "
                             "trong kỳ của nó, không phải tháng hay quý",
                             hint="bỏ --date (mặc định: ngày cuối kỳ)")
        if date_ is None:
            date_ = api.official_last_day(config, official)
    if approx is not None and status != "planned":
        raise UsageError(f"--date {approx.stem.upper()}: chỉ kế hoạch được ghi tháng hoặc quý",
                         hint="thêm --status planned, hoặc ghi ngày: --date "
                              f"{approx.start.isoformat()}")
    if approx is not None and end is not None:
        raise UsageError("--end không dùng với --date là tháng hoặc quý (kế hoạch kéo dài cả "
                         "tháng, cả quý)", hint="bỏ --end")
    result = api.add_entry(config, date=approx.start if approx else (date_ or dt.date.today()),
                       category=category or "", summary=summary or "", status=status, end=end,
                       unit=unit, tags=tags, partners=partners, metrics=parsed,
                       footnote=footnote, approx=approx.stem if approx else None,
                       official=official, group=group)
    click.echo(display_path(result.path))
    if result.schema_written:
        click.echo(f"Đã tạo {display_path(result.schema_written)} (trình soạn thảo dùng nó để "
                   "gợi ý và kiểm tra các trường)", err=True)
    if result.schema_stale:
        click.echo(f"Lưu ý: {display_path(result.schema_stale)} không còn khớp cấu hình; cập "
                   f"nhật bằng `ngoaivu schema -o {display_path(result.schema_stale)} --force`",
                   err=True)


@main.command(short_help="In JSON Schema của tệp hoạt động, cho trình soạn thảo.")
@click.option("-o", "--output", type=PathType(), default=None, metavar="TỆP",
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
    from ngoaivu_cli import api

    config = _config(ctx)
    if output is None or str(output) == "-":
        click.echo(api.schema_text(config), nl=False)
        return
    path = api.write_schema(config, output, force=force)
    click.echo(f"Đã ghi {path}", err=True)
