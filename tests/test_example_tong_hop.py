"""Sources (issue 16): ``examples/tong-hop-nguon``, a Sở Ngoại vụ compiling the province's
reports from its own log and three agencies' logs beside it (invented content).

``run.sh`` (validate every source, ``status``, the 6-month report) runs in a copy exactly as a
user would; the province's 6-month report and the plan with tasks per agency are compared in
full with reviewed goldens (Markdown, and the DOCX's paragraphs). Regenerate the goldens with
``UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ngoaivu_cli.cli import main
from tests.docx_text import docx_paragraphs
from tests.example_env import example_env as _env

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tong-hop-nguon"
GOLDEN = ROOT / "tests" / "data" / "golden" / "tong-hop"
REPORTS = {  # golden name → report arguments
    "bao-cao-tong-hop-6-thang-2024": ["--period", "6 tháng đầu năm 2024", "--type",
                                      "bao_cao_tong_hop_6_thang"],
    "ke-hoach-6-thang-cuoi-2024": ["--period", "6 tháng cuối năm 2024", "--type",
                                   "ke_hoach_tinh"],
}
AGENCIES = ["Sở Ngoại vụ", "Sở Công Thương", "Công an tỉnh", "UBND huyện Vân Sơn"]


def _golden(path: Path, text: str) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8")


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """run.sh in a copy of the example; (the copy, what it printed)."""
    env = _env()
    if not shutil.which("ngoaivu", path=env["PATH"]):
        pytest.fail(f"no `ngoaivu` next to {sys.executable}: install the package (pip install -e .)")
    copy = tmp_path_factory.mktemp("tong-hop") / "tinh"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("out", ".ngoaivu-cache"))
    result = subprocess.run(["bash", str(copy / "run.sh")], env=env, capture_output=True,
                            text=True, timeout=300, cwd=tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stdout + result.stderr
    return copy, result.stdout


def test_one_command_compiles_three_agencies(example_run: tuple[Path, str]) -> None:
    copy, out = example_run
    assert "0 lỗi, 0 cảnh báo (đã kiểm tra 19 tệp, 19 hoạt động)" in out  # every source
    assert "0/3 nguồn trễ hạn hoặc không đọc được" in out
    assert (copy / "out" / "bao-cao-tong-hop-6-thang-2024.docx").is_file()
    for agency in ("so-cong-thuong", "cong-an-tinh", "ubnd-huyen-van-son"):
        assert not (copy / agency / ".ngoaivu-cache").exists()  # nothing written in a source


@pytest.mark.parametrize("name", list(REPORTS))
def test_markdown_golden(name: str, clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE / "so-ngoai-vu")
    result = CliRunner().invoke(main, ["report", *REPORTS[name], "--strict", "--format", "md",
                                       "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    _golden(GOLDEN / f"{name}.md", result.output)


@pytest.mark.parametrize("name", list(REPORTS))
def test_docx_golden(name: str, example_run: tuple[Path, str], clean_env: Path,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    copy, _out = example_run
    monkeypatch.chdir(copy / "so-ngoai-vu")
    target = copy / "out" / f"{name}.docx"
    result = CliRunner().invoke(main, ["report", *REPORTS[name], "--strict", "-o", str(target),
                                       "--force"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    paragraphs = docx_paragraphs(target)
    _golden(GOLDEN / f"{name}.docx.txt", "\n".join(paragraphs) + "\n")
    numbered = [p for p in paragraphs if p[:2] in ("1.", "2.", "3.", "4.")]
    assert [p.split(":", 1)[0][3:] for p in numbered] == AGENCIES  # tasks per agency, in order


def test_status_says_who_is_late(example_run: tuple[Path, str], clean_env: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    copy, _out = example_run
    monkeypatch.chdir(copy / "so-ngoai-vu")
    (copy / "cong-an-tinh" / "data" / "2024" / "05" / "2024-05-28-xuat-nhap-canh.yaml").unlink()
    (copy / "cong-an-tinh" / "data" / "2024" / "02" / "2024-02-05-an-ninh-doan-vao.yaml").unlink()
    late = CliRunner().invoke(main, ["status", "--period", "6 tháng đầu năm 2024", "--today",
                                     "2024-06-26"], catch_exceptions=False)
    assert late.exit_code == 1
    rows = {line.split("  ")[0]: line for line in late.stdout.splitlines()[3:6]}
    assert "TRỄ HẠN" in rows["Công an tỉnh"] and "đúng hạn" in rows["Sở Công Thương"]
    early = CliRunner().invoke(main, ["status", "--period", "6 tháng đầu năm 2024", "--today",
                                      "2024-06-24"], catch_exceptions=False)
    assert early.exit_code == 0 and "chưa đến hạn" in early.stdout
