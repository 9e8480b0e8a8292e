"""Issue 11 item 7: document text is exactly what was written."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from ngoaivu_cli.render.footnotes import add_footnotes
from tests.docx_text import docx_paragraphs
from tests.test_hostile_repo import WEEK, make_repo, run


def _order(p) -> str:  # noqa: ANN001
    out = []
    for el in p.iter(qn("w:t"), qn("w:br"), qn("w:footnoteReference")):
        out.append(el.text or "" if el.tag == qn("w:t") else
                   "/" if el.tag == qn("w:br") else "^")
    return "".join(out)


def test_a_line_break_after_a_footnote_stays_after_it(tmp_path: Path):
    doc = Document()
    p = doc.add_paragraph()
    run_el = p.add_run("A dòng một[^1] tiếp").element
    run_el.append(run_el.makeelement(qn("w:br"), {}))
    t = run_el.makeelement(qn("w:t"), {})
    t.text = "dòng hai"
    run_el.append(t)
    add_footnotes(doc, {1: "chú thích"}, re.compile(r"\[\^(\d+)\]"))
    assert _order(p._p) == "A dòng một^ tiếp/dòng hai"


def test_a_footnote_on_a_documents_item_is_a_real_footnote(tmp_path: Path):
    repo = make_repo(tmp_path)
    (repo / "documents").mkdir()
    (repo / "documents" / "kho-khan.yaml").write_text(
        "items:\n  - text: Khó khăn một\n    footnote: Ghi chú riêng\n", "utf-8")
    (repo / "ngoaivu.yaml").write_text(
        "report_types:\n  bao_cao_tuan:\n    sections:\n      - heading: A\n"
        "        document: kho-khan\n", "utf-8")
    out = tmp_path / "out.docx"
    proc = run(repo, "report", "--period", WEEK, "-o", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert any("Khó khăn một" in p for p in docx_paragraphs(out))
    import zipfile
    with zipfile.ZipFile(out) as z:
        assert "Ghi chú riêng" in z.read("word/footnotes.xml").decode()
        assert "<w:footnoteReference " in z.read("word/document.xml").decode()
