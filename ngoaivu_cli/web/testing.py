"""A server in a thread and Debian's Chromium through Playwright, for the browser tests
(``tests/test_web_browser.py``) and the screenshots (``scripts/screenshots.py``)."""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ngoaivu_cli.web.server import address, make_server

# Playwright's own browser download is not available on these machines: Debian's chromium
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """Debian's Chromium, if installed."""
    for name in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(name).is_file():
            return name
    return shutil.which("chromium")


@contextlib.contextmanager
def running(root: Path, **options: Any) -> Iterator[str]:
    """The app over the log at ``root``, served by waitress in a thread on a free port of
    127.0.0.1; yields its address."""
    server = make_server(root, port=0, **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield address("127.0.0.1", int(server.effective_port))
    finally:
        server.close()
        thread.join(5)


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chưa cài chromium (apt-get install chromium)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
