"""Another office (issue 14, item 8): ``examples/tinh-lam-giang``, the log of an invented
province's Sở Ngoại vụ, and a new office's first report from an empty folder.

The example has its own agency, parent, signers, units, categories, metrics and recipients
(``extends: none``); its entries were written by ``ngoaivu new`` (``tao-hoat-dong.sh``, re-run
here and compared file by file). Its weekly and monthly reports are compared in full with
reviewed goldens (Markdown, and the DOCX's paragraphs), and no string of the shipped Hà Tĩnh
office — place, person, placeholder, parent, symbol, unit code — may appear in any part of
the DOCX. Regenerate the goldens with ``UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ngoaivu_cli.cli import main
from ngoaivu_cli.config import default_config_text
from ngoaivu_cli.office import PLACEHOLDER_NAMES, shipped_names
from tests.docx_text import docx_paragraphs
from tests.example_env import example_env as _env

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tinh-lam-giang"
GOLDEN = ROOT / "tests" / "data" / "golden" / "lam-giang"
REPORTS = {  # output name → period as run.sh writes it
    "bao-cao-tuan": "25/11 - 01/12/2024",
    "bao-cao-thang": "tháng 11/2024",
}


def shipped_strings(keep: tuple[str, ...] = ()) -> list[str]:
    """Every string that names the shipped office: its place (both cases), its people, its
    parent authority, its symbol and its unit codes (``keep``: unit codes the office under test
    legitimately shares). The placeholder names are lines of their own: :func:`placeholders`."""
    shipped = yaml.safe_load(default_config_text())
    places, people = shipped_names()
    agency = shipped["agency"]
    units = [code for code in shipped["units"] if code not in keep]
    out = [*places, *people, agency["parent"], agency["symbol"], *units]
    # the unaccented spelling too (file names, slugs)
    out += ["Ha Tinh", "ha-tinh", "HA TINH"]
    return sorted(set(out))


def docx_all_text(path: Path) -> str:
    """The text of every XML part of a DOCX (body, header, footer, footnotes, properties)."""
    parts = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                xml = z.read(name).decode("utf-8")
                parts.append(re.sub(r"<[^>]+>", " ", xml))
    return " ".join(parts).replace("&amp;", "&")


def found_shipped(text: str, keep: tuple[str, ...] = ()) -> list[str]:
    """Shipped strings in ``text``; unit codes only as whole words (``VP`` is in ``VPTTr``)."""
    hits = []
    for s in shipped_strings(keep):
        pattern = rf"(?<!\w){re.escape(s)}(?![\w])" if s.isascii() else re.escape(s)
        if re.search(pattern, text):
            hits.append(s)
    return hits


def placeholders(lines: list[str]) -> list[str]:
    """Lines that are a shipped placeholder name ("Phó Giám đốc Sở" under a signature; the same
    words inside "các Phó Giám đốc Sở" of a receiver are no placeholder)."""
    return [t for t in lines if t.strip(" *") in PLACEHOLDER_NAMES]


def _example_units() -> tuple[str, ...]:
    return tuple(yaml.safe_load((EXAMPLE / "ngoaivu.yaml").read_text("utf-8"))["units"])


@pytest.fixture(scope="module")
def docx_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """run.sh in a copy of the example (validate, then both reports with --strict)."""
    env = _env()
    if not shutil.which("ngoaivu", path=env["PATH"]):
        pytest.fail(f"no `ngoaivu` next to {sys.executable}: install the package (pip install -e .)")
    copy = tmp_path_factory.mktemp("lam-giang") / "kho"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("out"))
    result = subprocess.run(["bash", str(copy / "run.sh")], env=env, capture_output=True,
                            text=True, timeout=300, cwd=tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi, 0 cảnh báo" in result.stdout
    assert "cảnh báo" not in result.stderr  # --strict: a warning would have failed anyway
    return {name: copy / "out" / f"{name}.docx" for name in REPORTS}


def _golden(path: Path, text: str) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8")


@pytest.mark.parametrize("name", list(REPORTS))
def test_markdown_golden(name: str, clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    result = CliRunner().invoke(main, ["report", "--period", REPORTS[name], "--strict",
                                       "--format", "md", "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    _golden(GOLDEN / f"{name}.md", result.output)
    assert found_shipped(result.output, _example_units()) == []
    assert placeholders(result.output.splitlines()) == []


@pytest.mark.parametrize("name", list(REPORTS))
def test_docx_golden(name: str, docx_reports: dict[str, Path]) -> None:
    text = "\n".join(docx_paragraphs(docx_reports[name])) + "\n"
    _golden(GOLDEN / f"{name}.docx.txt", text)


@pytest.mark.parametrize("name", list(REPORTS))
def test_docx_names_only_the_invented_province(name: str, docx_reports: dict[str, Path]) -> None:
    text = docx_all_text(docx_reports[name])
    assert found_shipped(text, _example_units()) == []
    paragraphs = docx_paragraphs(docx_reports[name])
    assert placeholders(paragraphs) == []
    assert "UBND TỈNH LAM GIANG" in paragraphs
    assert any(p.startswith("Lam Giang, ngày ") for p in paragraphs)
    assert any("/BC-SNV" in p for p in paragraphs)


def test_signers_and_recipients_are_the_provinces_own(docx_reports: dict[str, Path]) -> None:
    weekly = docx_paragraphs(docx_reports["bao-cao-tuan"])
    monthly = docx_paragraphs(docx_reports["bao-cao-thang"])
    assert weekly[-1] == "Vũ Quốc Bảo" and "CHÁNH VĂN PHÒNG" in weekly
    assert monthly[-1] == "Trần Minh Đức" and "GIÁM ĐỐC" in monthly
    assert "Kính gửi: Văn phòng UBND tỉnh Lam Giang" in weekly
    assert "- Bộ Ngoại giao (Cục Ngoại vụ)." in monthly


def test_the_shipped_strings_are_really_caught() -> None:
    """The check above can fail: a Hà Tĩnh text is found, a Lam Giang one is not."""
    assert found_shipped("Hà Tĩnh, ngày 01 tháng 12 năm 2024") == ["Hà Tĩnh"]
    assert found_shipped("Số: /BC-SNgV") == ["SNgV"]
    assert found_shipped("- Lưu: VT, VPTTr.") == ["VPTTr"]
    assert found_shipped("Thái Phúc Sơn") == ["Thái Phúc Sơn"]
    assert placeholders(["**Phó Giám đốc Sở**", "- Giám đốc, các Phó Giám đốc Sở;"]) == [
        "**Phó Giám đốc Sở**"]
    assert found_shipped("- Lưu: VT, VP, HTQT.", _example_units()) == []
    assert found_shipped("Lam Giang, ngày 01 tháng 12 năm 2024") == []


def test_entries_are_what_ngoaivu_new_writes(tmp_path: Path) -> None:
    """tao-hoat-dong.sh (only `ngoaivu new` commands), run in a copy without data/, writes
    exactly the example's entry files."""
    copy = tmp_path / "kho"
    copy.mkdir()
    for name in ("ngoaivu.yaml", "tao-hoat-dong.sh"):
        shutil.copy(EXAMPLE / name, copy / name)
    result = subprocess.run(["bash", str(copy / "tao-hoat-dong.sh")], env=_env(),
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    written = {p.relative_to(copy).as_posix(): p.read_bytes()
               for p in sorted((copy / "data").rglob("*.yaml"))}
    shipped = {p.relative_to(EXAMPLE).as_posix(): p.read_bytes()
               for p in sorted((EXAMPLE / "data").rglob("*.yaml"))}
    assert written == shipped
    # the schema the entries' modeline names is the one `new` wrote for this configuration
    assert (copy / "schema" / "entry.schema.json").read_bytes() == (
        EXAMPLE / "schema" / "entry.schema.json").read_bytes()


def test_a_new_province_from_an_empty_folder(work: Path) -> None:
    """The issue's "done when": in an empty folder, `init` for an invented province, a few
    `new`, then `report` (weekly, monthly, quarterly DOCX): only that province's names."""
    def run(*args: str) -> str:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("init", "--parent", "UBND TỈNH ĐÔNG SƠN", "--symbol", "SNgVĐS",
        "--signer-name", "giam_doc=Hoàng Văn Khải",
        "--signer-name", "pho_giam_doc=Ngô Thị Lan",
        "--signer-name", "chanh_van_phong=Phan Đình Tuấn", "kho")
    os.chdir(work / "kho")
    run("new", "--date", "2025-03-04", "--category", "doan_ra_doan_vao", "--unit", "HTQT",
        "--summary", "Đón tiếp Đoàn doanh nghiệp Hàn Quốc đến tìm hiểu đầu tư tại tỉnh.",
        "--metric", "doan_vao=1", "--metric", "luot_khach=9")
    run("new", "--date", "2025-03-05", "--category", "tham_muu_ubnd", "--unit", "VPTTr",
        "--summary", "kế hoạch tổ chức Tuần văn hóa Đông Sơn tại Lào")
    run("new", "--date", "2025-03-06", "--category", "thong_tin_doi_ngoai", "--unit", "VPTTr",
        "--tag", "ttdn", "--summary", "Tuyên truyền về Lễ hội biển Đông Sơn trên báo nước ngoài.")
    run("new", "--date", "2025-03-11", "--category", "hop_tac_lao", "--status", "planned",
        "--tag", "ttdn", "--summary", "Đón Đoàn đại biểu tỉnh Chăm-pa-sắc (Lào) sang làm việc.")
    assert "0 lỗi, 0 cảnh báo" in run("validate")
    units = tuple(yaml.safe_load(default_config_text())["units"])
    for period, kind in (("3/3 - 9/3/2025", "tuan"), ("tháng 3/2025", "thang"),
                         ("quý I/2025", "quy")):
        run("report", "--period", period, "-o", f"{kind}.docx")
        text = docx_all_text(work / "kho" / f"{kind}.docx")
        # "SNgV" stays only inside the new symbol "SNgVĐS" (whole words are searched); init
        # keeps the shipped unit codes (VPTTr...), which name no province
        assert found_shipped(text, keep=units) == [], kind
        paragraphs = docx_paragraphs(work / "kho" / f"{kind}.docx")
        assert placeholders(paragraphs) == []
        assert "UBND TỈNH ĐÔNG SƠN" in paragraphs
        assert any(p.startswith("Đông Sơn, ngày ") for p in paragraphs), kind
        assert any(name in paragraphs for name in ("Hoàng Văn Khải", "Phan Đình Tuấn"))
    weekly = docx_paragraphs(work / "kho" / "tuan.docx")
    assert any("Hàn Quốc" in p for p in weekly)
    assert any("Chăm-pa-sắc" in p for p in weekly)  # the next week's plan
