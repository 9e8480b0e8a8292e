"""``ngoaivu serve``: the web app (``ngoaivu_cli.web``) over a log, in the browser."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ngoaivu_cli.cli import PathType, _handle_errors, main
from ngoaivu_cli.errors import UsageError


@main.command()
@click.argument("folder", required=False, type=PathType(file_okay=False, exists=True),
                metavar="[KHO]")
@click.option("--port", type=int, default=0, metavar="CỔNG",
              help="Cổng, 1-65535 (mặc định: một cổng trống).")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ĐỊA_CHỈ",
              help="Địa chỉ nghe; khác 127.0.0.1 thì người khác trong mạng mở được.")
@click.option("--allow", type=click.Choice(["view", "add", "edit"]), default=None,
              help="Cho phép: view (chỉ xem), add (thêm), edit (thêm, sửa, xóa). Mặc định: edit "
                   "trên 127.0.0.1, view trên địa chỉ khác.")
@click.option("--read-only", is_flag=True, help="Chỉ xem (như --allow view).")
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt.")
@click.option("--git", "git", is_flag=True,
              help="Mỗi thay đổi (thêm, sửa, xóa, khôi phục, nhập) là một commit git của đúng "
                   "các tệp nó chạm tới; không chạy hook hay chương trình nào kho khai báo.")
@click.option("--author", default=None, metavar='"TÊN <EMAIL>"',
              help="Tác giả các commit của --git (mặc định: user.name, user.email của kho hoặc "
                   "~/.gitconfig).")
@click.pass_context
@_handle_errors
def serve(ctx: click.Context, folder: Path | None, port: int, host: str, allow: str | None,
          read_only: bool, no_browser: bool, git: bool, author: str | None) -> None:
    """Mở nhật ký trong trình duyệt: xem, thêm, sửa hoạt động, lập báo cáo.

    \b
    Máy chủ chỉ chạy trên máy này (127.0.0.1) trừ khi có --host; in địa chỉ ra
    và mở trình duyệt. Cần gói web: pip install "ngoaivu[web]".
    Ví dụ:
      ngoaivu serve
      ngoaivu serve ~/nhat-ky --port 8080 --no-browser
      ngoaivu serve --host 0.0.0.0 --read-only
      ngoaivu serve --git --author "Nguyễn Văn A <a@songoaivu.gov.vn>"
    """
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: cổng phải từ 1 đến 65535", hint="ví dụ: --port 8080")
    if read_only:
        if allow not in (None, "view"):
            raise UsageError("--read-only và --allow " + str(allow) + " trái nhau",
                             hint="bỏ một trong hai")
        allow = "view"
    try:
        from ngoaivu_cli.web.server import serve as run
    except ImportError as exc:
        raise UsageError(f"chưa cài gói cho ứng dụng web ({exc.name})",
                         hint='cài: pip install "ngoaivu[web]"') from None
    root = (folder or Path.cwd()).resolve()
    config_path = ctx.obj.get("config_path") if ctx.obj else None
    if config_path is not None:
        config_path = Path(config_path).resolve()
    # once, before the server starts: the paths the library shows are relative to the working
    # folder, and the app itself never changes it (a request must not change the process)
    os.chdir(root)
    run(root, config_path=config_path, host=host, port=port, allow=allow,
        open_browser=not no_browser, say=click.echo, git=git, author=author)
