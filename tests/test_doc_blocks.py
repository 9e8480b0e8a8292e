"""Every example of README.md and docs/*.md is run or checked, or marked as shown only with a
reason (tests/doc_blocks.py): a block, a Jinja string or a command shown with its output that
is neither fails here, so a documented example can no longer be wrong or left out silently."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.doc_blocks import PAGES, ROOT, evaluate_page
from tests.example_env import example_env


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_page_examples_hold(page: Path) -> None:
    failures = evaluate_page(page)
    assert not failures, "\n\n".join(failures)


def _page(tmp_path: Path, text: str) -> list[str]:
    page = tmp_path / "trang.md"
    page.write_text(text, "utf-8")
    return evaluate_page(page)


@pytest.mark.parametrize("block", ["```\nmột khối\n```\n", "```text\nkết quả\n```\n",
                                   "```python\nprint(1)\n```\n", "```sh\nls\n```\n"])
def test_a_block_neither_run_nor_marked_fails(tmp_path: Path, block: str) -> None:
    assert "neither run nor marked" in _page(tmp_path, "# Trang\n\n" + block)[0]
    assert _page(tmp_path, "<!-- example: shown-only một sơ đồ -->\n" + block) == []


def test_shown_only_needs_a_reason_and_a_block(tmp_path: Path) -> None:
    assert "needs a reason" in _page(tmp_path, "<!-- example: shown-only -->\n```\nx\n```\n")[0]
    assert "followed by no example" in _page(tmp_path, "<!-- example: entry -->\n\nChữ.\n")[0]
    assert "unknown example kind" in _page(tmp_path, "<!-- example: chay -->\n```\nx\n```\n")[0]


def test_a_configuration_block_is_loaded_and_a_wrong_one_fails(tmp_path: Path) -> None:
    assert _page(tmp_path, "```yaml\nformatting: {pad_counts: false}\n```\n") == []
    failures = _page(tmp_path, "```yaml\nformatting: {pad_count: false}\n```\n")
    assert "does not pass `validate`" in failures[0] and "pad_count" in failures[0]
    fragment = "<!-- example: config under=categories.lanh_su -->\n```yaml\nstats_at: last\n```\n"
    assert _page(tmp_path, fragment) == []
    assert _page(tmp_path, fragment.replace("last", "giua")) != []


def test_an_entry_block_is_validated(tmp_path: Path) -> None:
    entry = ("<!-- example: entry -->\n```yaml\ndate: 2023-08-28\ncategory: tham_muu_ubnd\n"
             "summary: Tham mưu\n```\n")
    assert _page(tmp_path, entry) == []
    assert "E-" in _page(tmp_path, entry.replace("tham_muu_ubnd", "khong_co"))[0]


def test_a_jinja_string_shown_with_its_output_is_filled(tmp_path: Path) -> None:
    context = '<!-- example: jinja {period: "2024-02-05:2024-08-24", m: {doan_ra: 7}} -->\n\n'
    good = "In `{{ m.doan_ra }} đoàn` → `07 đoàn`.\n\n| a | `{{ period.end \\| vn_month }}` | tháng 8 |\n"
    assert _page(tmp_path, context + good) == []
    wrong = _page(tmp_path, context + "In `{{ m.doan_ra }} đoàn` → `7 đoàn`.\n")
    assert "prints '07 đoàn', the page says '7 đoàn'" in wrong[0]
    assert "no `<!-- example: jinja" in _page(tmp_path, "`{{ 3 | vn_count }}` → `03`\n")[0]
    assert _page(tmp_path, "<!-- example: shown-only ví dụ -->\n\n`{{ 3 | vn_count }}` → `3`\n") == []
    assert "neither checked nor marked" in _page(tmp_path, "Chữ.\n\n→ \"Năm qua\"\n")[0]


def test_a_console_block_is_run_and_compared(tmp_path: Path) -> None:
    cmd = '$ ngoaivu period "2023-08-24" --format json\n'
    out = subprocess.run([sys.executable, "-m", "ngoaivu_cli", "period", "2023-08-24",
                          "--format", "json"], capture_output=True, text=True,
                         env={**example_env(), "HOME": str(tmp_path)}, cwd=tmp_path).stdout
    assert _page(tmp_path, f"```console\n{cmd}{out}```\n") == []
    assert "printed" in _page(tmp_path, f"```console\n{cmd}{out.replace('24', '25')}```\n")[0]


def test_a_command_shown_with_its_output_is_run(tmp_path: Path) -> None:
    shown = '`ngoaivu period "6 tháng đầu năm 2023" --compare cùng-kỳ` → "{}"\n'
    assert _page(tmp_path, shown.format("6 tháng đầu năm 2022, từ 01/01/2022 đến 30/06/2022")) == []
    assert "does not print" in _page(tmp_path, shown.format("6 tháng đầu năm 2021"))[0]


def test_a_table_of_periods_is_resolved(tmp_path: Path) -> None:
    table = ("<!-- example: periods today=2023-12-05 -->\n\n| Dạng | Ví dụ | Kết quả | Báo cáo in |\n"
             "|---|---|---|---|\n| Tháng | `tháng 11/2017`, `11/2017` | 01/11/2017 – 30/11/2017 | "
             "tháng 11/2017 |\n")
    assert _page(tmp_path, table) == []
    wrong = _page(tmp_path, table.replace("30/11/2017", "29/11/2017"))
    assert "`tháng 11/2017` (cut-off None) is 01/11/2017 – 30/11/2017" in wrong[0]
    cutoff = ("<!-- example: periods today=2023-12-05 -->\n\n| Kỳ | Theo lịch | Chốt ngày 14 |\n"
              "|---|---|---|\n| `tháng 01/2021` | 01/01/2021 – 31/01/2021 | 15/12/2020 – 14/01/2021 |\n")
    assert _page(tmp_path, cutoff) == []
    assert "cut-off 14" in _page(tmp_path, cutoff.replace("14/01/2021", "13/01/2021"))[0]
    errors = ("<!-- example: periods today=2023-12-05 -->\n\n| Gõ | Báo |\n|---|---|\n"
              "| `tháng 13` | tháng 13 không tồn tại |\n")
    assert _page(tmp_path, errors) == []
    assert "is no error" in _page(tmp_path, errors.replace("tháng 13", "tháng 12"))[0]


def test_the_first_line_new_writes_is_the_one_docs_lenh_md_shows(tmp_path: Path) -> None:
    """docs/lenh.md shows the `# yaml-language-server` line a file written by `new` starts with."""
    page = (ROOT / "docs" / "lenh.md").read_text("utf-8")
    shown = re.search(r"<!-- example: run-by tests/test_doc_blocks.py -->\n```yaml\n(.*?)\n```",
                      page, re.S)
    assert shown
    env = {**example_env(), "HOME": str(tmp_path)}
    env.pop("NGOAIVU_TODAY", None)
    (tmp_path / "data").mkdir()
    done = subprocess.run([sys.executable, "-m", "ngoaivu_cli", "new", "--date", "2023-08-28",
                           "--category", "tham_muu_ubnd", "--summary", "Tham mưu UBND tỉnh"],
                          capture_output=True, text=True, env=env, cwd=tmp_path,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    written = next((tmp_path / "data").rglob("*.yaml"))
    assert written.read_text("utf-8").splitlines()[0] == shown.group(1)
    assert os.path.relpath(tmp_path / "schema", written.parent) in shown.group(1)
