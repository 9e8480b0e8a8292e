"""``ngoaivu check``: a DOCX (any, not only ours) against the rules of Nghị định 30."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from ngoaivu_cli.cli import PathType, _handle_errors, main

if TYPE_CHECKING:
    from pathlib import Path


@main.command()
@click.argument("files", nargs=-1, required=True, type=PathType(dir_okay=False),
                metavar="TỆP.docx...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Dạng kết quả.")
@click.option("--no-schema", is_flag=True, help="Bỏ qua kiểm tra cấu trúc OOXML (openxml-audit).")
@_handle_errors
def check(files: tuple[Path, ...], fmt: str, no_schema: bool) -> None:
    """Kiểm tra văn bản DOCX theo thể thức Nghị định 30/2020/NĐ-CP.

    \b
    Khổ giấy, lề, phông Times New Roman, cỡ và kiểu chữ của tên cơ quan, Quốc hiệu,
    Tiêu ngữ, số ký hiệu, địa danh ngày tháng, tên loại, trích yếu, Kính gửi, nội dung,
    Nơi nhận, chữ ký, số trang; và cấu trúc OOXML (cần openxml-audit).
    Mỗi lỗi: mã quy tắc (ND30-...), chỗ (đoạn, trích chữ) và cách sửa.
    Mã thoát: 0 đạt, 1 có lỗi, 2 dùng sai lệnh.
    Ví dụ:
      ngoaivu check bao-cao.docx
      ngoaivu check *.docx --format json
    """
    from ngoaivu_cli import api

    results = [api.check_document(path, schema=not no_schema) for path in files]
    if fmt == "json":
        import json

        click.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for result in results:
            click.echo(_text(result))
        if len(results) > 1:
            bad = sum(1 for r in results if r.errors)
            click.echo(f"{len(results)} tệp: {bad} tệp có lỗi, {len(results) - bad} tệp đạt.")
    if any(r.errors for r in results):
        sys.exit(1)


def _text(result: Any) -> str:
    if result.problem is not None:
        lines = [f"{result.path}: lỗi: {result.problem}"]
        if result.hint:
            lines.append(f"  = gợi ý: {result.hint}")
        return "\n".join(lines)
    if not result.findings:
        return f"{result.path}: đạt mọi quy tắc kiểm tra được của Nghị định 30."
    head = f"{result.path}: {result.errors} lỗi, {result.warnings} cảnh báo"
    lines = [head]
    for f in result.findings:
        kind = "lỗi" if f.severity == "error" else "cảnh báo"
        lines.append(f"  {kind} {f.code} ({f.place}): {f.message}")
        lines.append(f"    = cách sửa: {f.hint}")
    return "\n".join(lines)
