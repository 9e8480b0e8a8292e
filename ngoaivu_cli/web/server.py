"""Running the app: waitress (pure Python, runs on Windows office PCs) on a chosen or free port."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ngoaivu_cli.errors import UsageError
from ngoaivu_cli.web.app import LOOPBACK, create_app


def own_names(host: str) -> list[str]:
    """The host names a browser may use for this server: ``host`` itself and, when it listens on
    every address (``0.0.0.0``, ``::``), this computer's name and addresses."""
    names = [host]
    try:
        wildcard = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        wildcard = False
    if wildcard:
        name = socket.gethostname()
        names += [name, socket.getfqdn()]
        with contextlib.suppress(OSError):
            names += socket.gethostbyname_ex(name)[2]
    return names


def make_server(root: Path, *, config_path: Path | None = None, host: str = "127.0.0.1",
                port: int = 0, allow: str | None = None, threads: int = 4, git: bool = False,
                author: str | None = None) -> Any:
    """A waitress server for the log at ``root`` (``port`` 0: a free one); its
    ``effective_port`` is the port taken, ``run()`` serves until interrupted."""
    from waitress.server import create_server  # type: ignore[import-untyped]

    app = create_app(root, config_path=config_path, allow=allow, host=host,
                     hosts=own_names(host), git=git, author=author)
    try:
        made = create_server(app, host=host, port=port, threads=threads, ident="ngoaivu")
    except OSError as exc:
        raise UsageError(f"không mở được cổng {port} trên {host}: {exc.strerror or exc}",
                         hint="chọn cổng khác với --port, hoặc bỏ --port để dùng cổng "
                              "trống") from None
    made.ngoaivu_git = app.extensions["ngoaivu"].git  # what serve() says at start
    return made


def address(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(root: Path, *, config_path: Path | None = None, host: str = "127.0.0.1",
          port: int = 0, allow: str | None = None, open_browser: bool = True,
          say: Callable[[str], None] = print, git: bool = False,
          author: str | None = None) -> None:
    """Serve the log until Ctrl+C, after printing the address (and opening it in a browser)."""
    server = make_server(root, config_path=config_path, host=host, port=port, allow=allow,
                         git=git, author=author)
    url = address(host, int(server.effective_port))
    say(f"ngoaivu serve: {url}  (nhật ký {root}; dừng bằng Ctrl+C)")
    log = getattr(server, "ngoaivu_git", None)
    if log is not None:
        say(f"--git: mỗi thay đổi là một commit của {log.author} (không chạy hook nào của kho).")
    if host not in LOOPBACK:
        say("Chú ý: máy chủ nghe trên mọi người trong mạng tới được " + host
            + "; mặc định chỉ cho xem (--allow để đổi).")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.run()
    except KeyboardInterrupt:
        say("Đã dừng.")
    finally:
        server.close()
