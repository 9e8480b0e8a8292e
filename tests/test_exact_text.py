"""Issue 11 item 7: document text is exactly what was written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
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


# --- (b) docxtpl's escapes, (c) written footnote marks, (e) control characters -------------

def _entry(repo: Path, name: str, body: str) -> None:
    folder = repo / "data" / "2023" / "08"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body, "utf-8")


def _only_entries(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path, entries=False)
    _entry(repo, "2023-08-28-a.yaml",
           'date: "2023-08-28"\ncategory: dich_thuat\nunit: TTDT\n'
           "summary: 'Dịch {_{ x }_} và [^2] chữ, {_% if %_}[^] xong.'\n"
           "footnote: 'Chú thích A có {_{ y }_}'\n")
    _entry(repo, "2023-08-29-b.yaml",
           'date: "2023-08-29"\ncategory: dich_thuat\nunit: TTDT\n'
           'summary: "Thứ hai[^] ở giữa, \\u2063FN1\\u2063 giả."\nfootnote: "Chú thích B"\n')
    return repo


def _paragraph_with(out: Path, needle: str):  # noqa: ANN202
    doc = Document(str(out))
    return next(p for p in doc.paragraphs if needle in p.text)


def test_docxtpl_escapes_and_written_marks_print_as_written(tmp_path: Path):
    repo = _only_entries(tmp_path)
    out = tmp_path / "out.docx"
    proc = run(repo, "report", "--period", WEEK, "-o", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    p = _paragraph_with(out, "Dịch")
    # each reference sits where its entry's [^] was; the written [^2] is text, not a reference
    assert _order(p._p).endswith("Dịch {_{ x }_} và [^2] chữ, {_% if %_}^ xong. "
                                 "Thứ hai^ ở giữa, FN1 giả.")
    import zipfile
    with zipfile.ZipFile(out) as z:
        document = z.read("word/document.xml").decode()
        notes = z.read("word/footnotes.xml").decode()
    assert document.count("<w:footnoteReference ") == 2
    assert "Chú thích A có {_{ y }_}" in notes and "\ue000" not in document + notes
    assert "\u2063" not in document


def test_markdown_and_json_keep_written_marks_apart_from_references(tmp_path: Path):
    repo = _only_entries(tmp_path)
    md = run(repo, "report", "--period", WEEK, "--format", "md", "-o", "-")
    assert md.returncode == 0, md.stderr
    line = next(ln for ln in md.stdout.splitlines() if "Dịch" in ln)
    assert "và \\[^2\\] chữ, {\\_% if %\\_}[^1] xong. Thứ hai[^2] ở giữa, FN1 giả." in line
    assert "[^1]: Chú thích A" in md.stdout and "[^2]: Chú thích B" in md.stdout
    js = run(repo, "report", "--period", WEEK, "--format", "json", "-o", "-")
    import json
    block = next(b for b in json.loads(js.stdout)["body"] if "Dịch" in b["text"])
    assert "{_% if %_}[^1] xong. Thứ hai[^2] ở giữa, FN1 giả." in block["text"]
    assert [f["text"] for f in block["footnotes"]] == ["Chú thích A có {_{ y }_}", "Chú thích B"]


@pytest.mark.parametrize(("yaml_text", "line"), [
    ('agency:\n  name: "SỞ\\aNGOẠI VỤ"\n', 2),
    ('signers:\n  giam_doc:\n    name: "Trần\\x01 Văn"\n', 3),
    ("categories:\n  dich_thuat:\n    label: \"Dịch\\u000b thuật\"\n", 3),
    ('report_types:\n  bao_cao_tuan:\n    closing: "Kính\\fbáo cáo./."\n', 3),
    ('report_types:\n  bao_cao_tuan:\n    receivers: ["Như trên", "Lưu\\x1b[31m"]\n', 3),
])
def test_control_characters_in_configuration_are_a_located_error(tmp_path: Path,
                                                                  yaml_text: str, line: int):
    repo = make_repo(tmp_path)
    (repo / "ngoaivu.yaml").write_text(yaml_text, "utf-8")
    proc = run(repo, "validate")
    assert proc.returncode == 1
    assert f"ngoaivu.yaml:{line}:" in proc.stdout + proc.stderr
    assert "E-CONFIG-CHAR" in proc.stdout + proc.stderr
    out = tmp_path / "out.docx"
    proc = run(repo, "report", "--period", WEEK, "-o", str(out))
    assert proc.returncode == 1 and "E-CONFIG-CHAR" in proc.stdout + proc.stderr
    assert not out.exists()


def test_no_control_character_reaches_a_document(tmp_path: Path):
    """Past the configuration check (a value built in code), the context is still clean:
    python-docx opens the DOCX."""
    import dataclasses

    from ngoaivu_cli.config import load_config
    from ngoaivu_cli.periods import parse_period
    from ngoaivu_cli.render.context import ReportRequest, build_context
    from ngoaivu_cli.render.docx_writer import render_docx

    config = load_config(cwd=tmp_path)
    agency = dataclasses.replace(config.agency, name="SỞ\x07NGOẠI\u2063FN1\u2063 VỤ\x01")
    config = dataclasses.replace(config, agency=agency)
    import datetime as dt

    period = parse_period(WEEK, today=dt.date(2023, 9, 1))
    rt = config.report_types["bao_cao_tuan"]
    context = build_context(ReportRequest(rt, period), [], config)
    assert context["agency"]["name"] == "SỞNGOẠIFN1 VỤ"
    out = tmp_path / "x.docx"
    out.write_bytes(render_docx(Path("templates/van-ban.docx").resolve(), context))
    Document(str(out))  # opens
    assert any("SỞNGOẠIFN1 VỤ" in p for p in docx_paragraphs(out))
