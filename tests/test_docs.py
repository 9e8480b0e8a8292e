"""What the documentation shows must run: the ```bash examples of every docs/*.md page run, in
order, in the folder the page says they run in (tests/doc_examples.py), and each exits 0.

Each page is declared below with its folder and the number of steps it runs, so a page that
loses its examples, or a new page nobody looked at, fails here instead of running nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml
from docx import Document

from tests.doc_examples import run_steps, steps
from tests.docx_text import seed_paragraphs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
REFERENCE = ROOT / "tests" / "data" / "reference"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _data(work: Path) -> None:
    """The shipped log: a copy of the repository's data/ (the pages say "nhật ký mẫu data/")."""
    shutil.copytree(ROOT / "data", work / "data")


def _empty(work: Path) -> None:
    """An empty folder (the walkthrough starts with ``ngoaivu init``)."""


def _sources(work: Path) -> None:
    """A copy of examples/tong-hop-nguon (the Sở and its three agencies)."""
    shutil.copytree(ROOT / "examples" / "tong-hop-nguon", work, dirs_exist_ok=True)


def _clerk_docx(seed: Path, out: Path) -> Path:
    doc = Document()
    for para in seed_paragraphs(seed):
        doc.add_paragraph(para)
    doc.save(str(out))
    return out


def _old_reports(work: Path) -> None:
    """The old reports the import page names: bao-cao-cu/*.docx (the weekly report of 24–31/8/2023
    as a clerk typed it), bao-cao-cu/*.doc (the 2018 plan, saved by LibreOffice as Word 97-2003)
    and "BC thang 01.odt" (the monthly report of 01/2021)."""
    if SOFFICE is None:
        if os.environ.get("NGOAIVU_REQUIRE_SOFFICE"):
            pytest.fail("LibreOffice is required here (NGOAIVU_REQUIRE_SOFFICE) but not installed")
        pytest.skip("LibreOffice (soffice) not installed: the .doc example cannot run")
    old = work / "bao-cao-cu"
    old.mkdir()
    _clerk_docx(REFERENCE / "002_74a1004a2910add5.txt", old / "bao-cao-tuan-35-2023.docx")
    plan = _clerk_docx(REFERENCE / "004_6870b25d9e197620.txt", work.parent / "ke-hoach-2018.docx")
    subprocess.run([SOFFICE, f"-env:UserInstallation={(work.parent / 'lo').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(old), str(plan)],
                   check=True, capture_output=True, timeout=180)
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    body = "".join(f"<text:p>{escape(p)}</text:p>"
                   for p in seed_paragraphs(REFERENCE / "001_e2120d87a63bccc1.txt"))
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               f'xmlns:office="{office}" xmlns:text="{text}"><office:body><office:text>{body}'
               f"</office:text></office:body></office:document-content>")
    with zipfile.ZipFile(work / "BC thang 01.odt", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)


# page → (the folder its examples run in, how many steps it runs)
PAGES: dict[str, tuple[Callable[[Path], None], int]] = {
    "index.md": (_empty, 0),
    "nhat-ky.md": (_empty, 0),
    "ky-bao-cao.md": (_data, 5),
    "loai-bao-cao.md": (_data, 3),
    "configuration.md": (_empty, 0),
    "lenh.md": (_empty, 13),
    "ma-loi.md": (_data, 2),
    "nhap-bao-cao.md": (_old_reports, 4),
    "nhieu-co-quan.md": (_sources, 4),
    "kiem-tra.md": (_data, 3),
    "an-toan.md": (_empty, 0),
    "api.md": (_empty, 0),
    "ung-dung-web.md": (_empty, 0),
    "english.md": (_empty, 0),
}


def test_every_page_is_declared_and_in_the_site() -> None:
    pages = sorted(p.name for p in DOCS.glob("*.md"))
    assert pages == sorted(PAGES)
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["nav"]

    def files(items: list[object]) -> list[str]:
        found: list[str] = []
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            found += files(value) if isinstance(value, list) else [str(value)]
        return found

    assert sorted(files(nav)) == pages


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_examples_run(page: str, tmp_path: Path) -> None:
    setup, expected = PAGES[page]
    run, _shown = steps((DOCS / page).read_text("utf-8"))
    assert len(run) == expected, [e.command for e in run]
    if not run:
        return
    work = tmp_path / "work"
    home = tmp_path / "home"
    work.mkdir()
    home.mkdir()
    setup(work)
    done = run_steps(run, work, home, f"docs/{page}")
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stderr
