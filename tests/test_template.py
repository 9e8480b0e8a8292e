"""The shipped DOCX template is exactly what scripts/build_templates.py builds."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from ngoaivu_cli.render.report import shipped_template
from ngoaivu_cli.render.template_builder import write_template

ROOT = Path(__file__).resolve().parents[1]


def test_committed_template_is_the_built_one(tmp_path: Path) -> None:
    built = tmp_path / "van-ban.docx"
    write_template(built)
    committed = ROOT / "templates" / "van-ban.docx"
    assert built.read_bytes() == committed.read_bytes(), (
        "templates/van-ban.docx is stale: run `python scripts/build_templates.py` and commit it")


def test_shipped_template_is_installed_and_opens() -> None:
    path = shipped_template("van-ban.docx")
    assert path.is_file()
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "{{ p.text }}" in text
    assert shipped_template("van-ban.md.j2").is_file()
