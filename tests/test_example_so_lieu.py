"""The scopes example (``examples/so-lieu-pham-vi``) run exactly as a user would: a July monthly
report with the month's and the year-to-date delegations, a 6-month report compared with the
same period of the year before, every figure summed from the entries. The figures expected are
summed here from the YAML files themselves (PyYAML, not ngoaivu); the Markdown outputs are the
committed goldens (``tests/data/golden/so-lieu-pham-vi/``, produced by ``run.sh`` and reviewed;
regenerate with ``UPDATE_GOLDEN=1`` and review the diff)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.docx_text import docx_paragraphs, normalise
from tests.example_env import example_env as _env

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "so-lieu-pham-vi"
GOLDEN = ROOT / "tests" / "data" / "golden" / "so-lieu-pham-vi"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("vi-du") / "so-lieu-pham-vi"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("out", ".ngoaivu-cache"))
    result = subprocess.run(["bash", str(copy / "run.sh")], env=_env(), capture_output=True,
                            text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi, 0 cảnh báo" in result.stdout
    return copy / "out"


def _sums(start: dt.date, end: dt.date) -> dict[str, int]:
    sums: dict[str, int] = {}
    for path in (EXAMPLE / "data").rglob("*.yaml"):
        entry = yaml.safe_load(path.read_text("utf-8"))
        day = dt.date.fromisoformat(entry["date"])
        if start <= day <= end and entry.get("status", "done") == "done":
            for name, value in (entry.get("metrics") or {}).items():
                sums[name] = sums.get(name, 0) + value
    return sums


def _text(path: Path) -> str:
    return " ".join(path.read_text("utf-8").split())


def test_the_outputs_are_the_reviewed_goldens(run: Path) -> None:
    for name in ("bao-cao-thang-7-2023.md", "bao-cao-6-thang-2023.md"):
        if os.environ.get("UPDATE_GOLDEN"):
            (GOLDEN / name).write_bytes((run / name).read_bytes())
        assert (run / name).read_bytes() == (GOLDEN / name).read_bytes(), name
    for name in ("bao-cao-thang-7-2023.docx", "bao-cao-6-thang-2023.docx"):
        assert (run / name).is_file()


def test_july_prints_the_month_and_the_year_to_date(run: Path) -> None:
    month = _sums(dt.date(2023, 7, 1), dt.date(2023, 7, 31))
    ytd = _sums(dt.date(2023, 1, 1), dt.date(2023, 7, 31))
    assert (month["doan_ra"], month["luot_ra"], ytd["doan_ra"], ytd["luot_ra"]) == (2, 13, 6, 39)
    want = (f"trong tháng, tham mưu tỉnh làm thủ tục cho {month['doan_ra']:02d} đoàn ra với "
            f"{month['luot_ra']} lượt cán bộ, đón tiếp {month['doan_vao']:02d} đoàn vào với "
            f"{month['luot_khach']:02d} lượt khách quốc tế; tính chung từ đầu năm đến nay: "
            f"{ytd['doan_ra']:02d} đoàn ra với {ytd['luot_ra']} lượt cán bộ, "
            f"{ytd['doan_vao']:02d} đoàn vào với {ytd['luot_khach']} lượt khách.")
    assert want in _text(run / "bao-cao-thang-7-2023.md")
    docx = " ".join(normalise(p) for p in docx_paragraphs(run / "bao-cao-thang-7-2023.docx"))
    assert want in docx


def test_the_half_year_is_compared_with_the_same_period_last_year(run: Path) -> None:
    now = _sums(dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    then = _sums(dt.date(2022, 1, 1), dt.date(2022, 6, 30))
    assert (now["luot_ra"], then["luot_ra"]) == (26, 10)  # 2,6 times
    text = _text(run / "bao-cao-6-thang-2023.md")
    assert "(So sánh với cùng kỳ: 6 tháng đầu năm 2022)" in text
    pct = round((now["luot_khach"] / then["luot_khach"] - 1) * 100)
    # the period's figure, the other scope's and the change, each in a column of its own
    assert "| Chỉ tiêu | Kỳ báo cáo | Cùng kỳ | So sánh |" in text
    assert (f"| Đoàn ra | {now['doan_ra']:02d} đoàn | {then['doan_ra']:02d} đoàn | "
            "gấp 2 lần |") in text
    assert "| Lượt cán bộ đi công tác nước ngoài | 26 lượt | 10 lượt | gấp 2,6 lần |" in text
    assert (f"| Lượt khách quốc tế | {now['luot_khach']} lượt | {then['luot_khach']} "
            f"lượt | tăng {pct}% |") in text
