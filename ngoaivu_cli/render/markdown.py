"""Markdown writer: the same context as the DOCX, laid out by a Jinja template (previews, diffs).

Text from entries is escaped for Markdown by the ``md`` filter, so ``*``, ``_``, ``<`` or a
``[link]`` in a summary print literally; entry text is only ever a value, never a template.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ngoaivu_cli.errors import RenderError, os_reason

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_FOOTNOTE_REF = re.compile(r"\\\[\^(\d+)\\\]")


def md_escape(text: str, bullet: bool = False) -> str:
    """Escape Markdown syntax; with ``bullet`` keep a leading "- " as a list item."""
    head = ""
    if bullet and text.startswith("- "):
        head, text = "- ", text[2:]
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _FOOTNOTE_REF.sub(r"[^\1]", text)  # footnote references stay references
    if not head and re.match(r"[-+]\s|\d+[.)]\s", text):
        text = "\\" + text  # a line that would become a list item
    return head + text.replace("\n", "  \n")


def render_markdown(template: Path, context: dict[str, Any]) -> str:
    """Render a Markdown template file with the report context."""
    from jinja2 import TemplateError

    from ngoaivu_cli.render.docx_writer import jinja_env

    env = jinja_env()
    env.filters["md"] = md_escape
    try:
        source = template.read_text("utf-8")
    except OSError as exc:
        raise RenderError(f"không đọc được mẫu Markdown {template}: {os_reason(exc)}",
                          hint="kiểm tra khóa `md_template` trong ngoaivu.yaml") from None
    try:
        text = env.from_string(source).render(context)
    except TemplateError as exc:
        raise RenderError(f"mẫu {template.name} có lỗi: {exc}",
                          hint="kiểm tra các thẻ {{ ... }} trong mẫu Markdown") from None
    return text.strip() + "\n"
