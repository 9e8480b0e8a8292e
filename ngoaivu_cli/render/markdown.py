"""Markdown writer: the same context as the DOCX, laid out by a Jinja template (previews, diffs).

Text from entries is escaped for Markdown by the ``md`` filter, so ``*``, ``_``, ``<`` or a
``[link]`` in a summary print literally; entry text is only ever a value, never a template.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ngoaivu_cli.errors import RenderError
from ngoaivu_cli.render.marks import as_brackets

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(text: str, bullet: bool = False) -> str:
    """Escape Markdown syntax; with ``bullet`` keep a leading "- " as a list item."""
    head = ""
    if bullet and text.startswith("- "):
        head, text = "- ", text[2:]
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = as_brackets(text)  # footnote references (render/marks.py); a written [^2] is text
    if not head and re.match(r"[-+]\s|\d+[.)]\s", text):
        text = "\\" + text  # a line that would become a list item
    return head + text.replace("\n", "  \n")


def render_markdown(template: Path, context: dict[str, Any]) -> str:
    """Render a Markdown template file with the report context, in the sandbox."""
    from ngoaivu_cli.errors import display_path
    from ngoaivu_cli.safeio import read_text_bounded, reason
    from ngoaivu_cli.sandbox import bounded, template_env, template_problem

    env = template_env()
    env.filters["md"] = md_escape
    shown = display_path(template)
    try:
        source = read_text_bounded(template, what="mẫu Markdown")
    except OSError as exc:
        raise RenderError(f"không đọc được mẫu Markdown {shown}: {reason(exc)}",
                          hint="kiểm tra khóa `md_template` trong ngoaivu.yaml") from None
    try:
        with bounded():  # compiling too: Jinja computes a filter on a literal then
            text = str(env.from_string(source).render(context))
    except Exception as exc:  # anything a template can do wrong: a located E-TEMPLATE
        raise RenderError(f"mẫu {shown} có lỗi", hint="sửa mẫu rồi chạy lại",
                          problems=[template_problem(exc, shown, source=source)]) from None
    return text.strip() + "\n"
