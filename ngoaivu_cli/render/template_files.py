"""``ngoaivu validate`` checks the log's own DOCX and Markdown templates before any report is made.

The DOCX and Markdown templates of a log repository (``templates/van-ban.docx``,
``templates/van-ban.md.j2``, a report type's ``template``/``md_template``) are read with the
same bounds as when a report is made, compiled in the sandbox, and looked over: a syntax error,
an unknown filter or test, and a private attribute (``__globals__``, ``_x``: refused by the
sandbox at report time anyway) are ``E-TEMPLATE`` problems at the template's file and line.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ngoaivu_cli.config import Config
from ngoaivu_cli.errors import Problem, RenderError, SourceLoc, display_path


def template_files(config: Config) -> list[tuple[Path, str]]:
    """(path, "docx" | "md") of every template of the log that exists, each once."""
    from ngoaivu_cli.render.report import DOCX_TEMPLATE, MD_TEMPLATE

    seen: dict[str, tuple[Path, str]] = {}
    candidates = [(config.templates_dir / DOCX_TEMPLATE, "docx"),
                  (config.templates_dir / MD_TEMPLATE, "md")]
    if config.source is not None:
        for rt in config.report_types.values():
            if rt.template:
                candidates.append((config.root / rt.template, "docx"))
            if rt.md_template:
                candidates.append((config.root / rt.md_template, "md"))
    for path, kind in candidates:
        if path.exists() or path.is_symlink():
            seen.setdefault(str(path), (path, kind))
    return list(seen.values())


def check_templates(config: Config, base: Path | None = None) -> list[Problem]:
    """The problems of every template of the log (never raises)."""
    problems: list[Problem] = []
    for path, kind in template_files(config):
        shown = display_path(path, base)
        try:
            if kind == "md":
                problems += _check_markdown(path, shown)
            else:
                problems += _check_docx(path, shown)
        except RenderError as exc:
            problems += exc.problems or [Problem(SourceLoc(shown), "E-TEMPLATE", exc.message,
                                                 hint=exc.hint)]
    return problems


def _check_markdown(path: Path, shown: str) -> list[Problem]:
    from ngoaivu_cli.safeio import read_text_bounded, reason

    try:
        source = read_text_bounded(path, what="mẫu Markdown")
    except OSError as exc:
        return [Problem(SourceLoc(shown), "E-READ", f"không đọc được mẫu: {reason(exc)}",
                        hint="mẫu phải là tệp văn bản UTF-8 thường trong kho")]
    return _check_source(source, shown, source.splitlines(), extra_filters=("md",))


def _check_docx(path: Path, shown: str) -> list[Problem]:
    from docxtpl import DocxTemplate

    from ngoaivu_cli.render.docx_writer import read_template

    data = read_template(path)  # bounded, not a zip bomb; raises RenderError
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        parts = [tpl.patch_xml(tpl.get_xml())]
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _key, part in tpl.get_headers_footers(uri):
                parts.append(tpl.patch_xml(tpl.get_part_xml(part)))
    except Exception as exc:  # noqa: BLE001 - any reason python-docx cannot open it
        return [Problem(SourceLoc(shown), "E-TEMPLATE", f"không mở được mẫu DOCX ({exc})",
                        hint="lưu lại mẫu bằng Word hoặc LibreOffice dạng .docx")]
    problems: list[Problem] = []
    for xml in parts:
        lines = [_text_of(line) for line in xml.replace("<w:p>", "\n<w:p>")
                 .replace("<w:p ", "\n<w:p ").splitlines()]
        problems += _check_source(xml, shown, lines, docx=True)
    return problems


def _text_of(xml_line: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", "", xml_line).split())


def _check_source(source: str, shown: str, lines: list[str], *, docx: bool = False,
                  extra_filters: tuple[str, ...] = ()) -> list[Problem]:
    from jinja2 import TemplateSyntaxError, nodes

    from ngoaivu_cli.sandbox import refused, template_env, template_problem

    env = template_env()
    if docx:  # as docxtpl renders the parts: its own line numbers are not the user's
        source = source.replace("<w:p>", "\n<w:p>").replace("<w:p ", "\n<w:p ")
    try:
        tree = env.parse(source)
    except RecursionError as exc:  # `((((...))))` deeper than Python goes
        return [_at(template_problem(exc, shown), 1)]
    except TemplateSyntaxError as exc:
        line = exc.lineno or 1
        excerpt = lines[line - 1] if 0 < line <= len(lines) else None
        problem = template_problem(exc, shown, excerpt=excerpt)
        return [_at(problem, 1 if docx else line)]
    found: list[Problem] = []
    known = set(env.filters) | set(extra_filters)

    def add(node: Any, message: str, hint: str) -> None:
        line = getattr(node, "lineno", 1) or 1
        excerpt = lines[line - 1] if 0 < line <= len(lines) else None
        found.append(Problem(SourceLoc(shown, 1 if docx else line, 1), "E-TEMPLATE", message,
                             "-", hint, excerpt=excerpt))

    for node in tree.find_all(nodes.Filter):
        if node.name not in known:
            add(node, f"mẫu dùng bộ lọc không có: `{node.name}`",
                "các bộ lọc: xem docs/configuration.md, mục “Bộ lọc”")
    for test in tree.find_all(nodes.Test):
        if test.name not in env.tests:
            add(test, f"mẫu dùng phép thử không có: `{node.name}`", "ví dụ: {% if x is number %}")
    for node, message in refused(tree):
        add(node, message, "mẫu chỉ được in biến và dùng bộ lọc; bỏ phần này")
    return found


def _at(problem: Problem, line: int) -> Problem:
    return Problem(SourceLoc(problem.loc.path, line, 1), problem.code, problem.message,
                   problem.field, problem.hint, problem.severity, problem.excerpt, problem.span)
