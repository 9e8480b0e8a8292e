"""Helpers for tests: the text of a DOCX in reading order, and comparison with a seed."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn


def docx_paragraphs(path: Path) -> list[str]:
    """Paragraph texts of the body in order, table cells included (row by row, left to right)."""
    doc = Document(str(path))
    out: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(_text(child))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                for cell in row.iter(qn("w:tc")):
                    out.extend(_text(p) for p in cell.iter(qn("w:p")))
    return [t for t in out if t.strip()]


def _text(p) -> str:  # noqa: ANN001
    parts = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        parts.append(el.text or "" if el.tag == qn("w:t") else " ")
    return "".join(parts)


def normalise(text: str) -> str:
    """Whitespace collapsed, the copy's ``**``/``*`` markers and Markdown ``#`` dropped."""
    text = text.replace("**", "").replace("*", "")
    text = re.sub(r"^#+\s*", "", text.strip())
    return " ".join(text.split())


def seed_paragraphs(path: Path) -> list[str]:
    """Non-empty paragraphs of a seed text, normalised."""
    paras = re.split(r"\n\s*\n|\n(?=- )|\n(?=\*\*)", path.read_text("utf-8"))
    lines = []
    for para in paras:
        for line in para.split("\n"):
            norm = normalise(line)
            if norm:
                lines.append(norm)
    return lines


def missing_in_order(seed: list[str], output: str) -> list[str]:
    """Seed paragraphs that cannot be found, in order, in the output text."""
    missing = []
    pos = 0
    for para in seed:
        found = output.find(para, pos)
        if found < 0:
            missing.append(para)
        else:
            pos = found + len(para)
    return missing


def ratio(seed: list[str], output: list[str]) -> float:
    """difflib's ratio over the whole normalised texts."""
    a = " ".join(seed)
    b = " ".join(output)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
