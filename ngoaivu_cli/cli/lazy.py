"""The commands of ``ngoaivu``, each imported when it is first needed.

``ngoaivu --help`` lists every command with its one-line help, and ``--version`` none: neither
imports the command modules (about 3 ms of about 60: issue 17 (c)). :data:`COMMANDS` says which
module defines each command and what the list prints for it; ``tests/test_help.py`` checks it
against the commands themselves, so the list cannot drift from them.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name → (module under ngoaivu_cli.cli, the command's short_help, or else the first paragraph
# of its help, which click shortens to the width of the terminal)
COMMANDS: dict[str, tuple[str, str | None, str | None]] = {
    "batch": ("reporting", "Lập mọi báo cáo đến hạn trong một kỳ (bảng tổng kết).", None),
    "check": ("checking", None, "Kiểm tra văn bản DOCX theo thể thức Nghị định 30/2020/NĐ-CP."),
    "import": ("importing", "Nhập báo cáo cũ (.docx, .doc, .odt, .txt) vào nhật ký.", None),
    "init": ("daily", "Tạo một kho nhật ký mới (cấu hình, data/, mẫu, pre-commit).", None),
    "list": ("log", None, "Liệt kê các hoạt động của một kỳ, theo ngày."),
    "new": ("daily", "Ghi một hoạt động mới (tệp YAML đúng tên, đã kiểm tra).", None),
    "period": ("log", None, "Cho biết một kỳ báo cáo được hiểu ra sao: từ ngày, đến ngày, loại "
               "kỳ, cách ghi, kỳ tiếp theo."),
    "report": ("reporting", None, "Lập một báo cáo cho một kỳ, theo mẫu Nghị định 30/2020/NĐ-CP."),
    "schema": ("daily", "In JSON Schema của tệp hoạt động, cho trình soạn thảo.", None),
    "serve": ("serving", None, "Mở nhật ký trong trình duyệt: xem, thêm, sửa hoạt động, lập "
              "báo cáo."),
    "stats": ("log", None, "Cộng số liệu và đếm hoạt động của một kỳ, theo lĩnh vực, đơn vị, "
              "đối tác hoặc tháng."),
    "status": ("log", "Các cơ quan (nguồn) đã gửi số liệu cho một kỳ chưa, có đúng hạn không.",
               None),
    "validate": ("log", None, "Kiểm tra các tệp hoạt động và báo mọi lỗi một lần."),
}


def load(name: str) -> None:
    """Import the module that defines command ``name`` (it registers itself on the group)."""
    entry = COMMANDS.get(name)
    if entry is not None:
        importlib.import_module(f"ngoaivu_cli.cli.{entry[0]}")


class Commands(dict[str, click.Command]):
    """The group's ``commands``: looking a command up imports its module; going over them all
    (``main.commands`` in tests, shell completion) imports every module."""

    def _all(self) -> None:
        for name in COMMANDS:
            if not dict.__contains__(self, name):
                load(name)

    def __getitem__(self, name: str) -> click.Command:
        if not dict.__contains__(self, name):
            load(name)
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        if not dict.__contains__(self, name):
            load(name)
        return dict.get(self, name, default)

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str) and not dict.__contains__(self, name):
            load(name)
        return dict.__contains__(self, name)

    def __iter__(self) -> Any:
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)

    def keys(self) -> Any:
        self._all()
        return dict.keys(self)

    def values(self) -> Any:
        self._all()
        return dict.values(self)

    def items(self) -> Any:
        self._all()
        return dict.items(self)


def listed(commands: Commands, name: str) -> click.Command | None:
    """What the group's help lists for ``name``: the command itself once imported, else a
    command that only knows the help the list prints."""
    if dict.__contains__(commands, name):
        return dict.__getitem__(commands, name)
    entry = COMMANDS.get(name)
    if entry is None:
        return None
    _module, short_help, first_paragraph = entry
    return click.Command(name, help=first_paragraph, short_help=short_help)
