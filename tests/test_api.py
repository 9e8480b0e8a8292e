"""The library API (ngoaivu_cli/api.py): the page docs/api.md runs as it is shown, and what a
second front end relies on holds (no file written by build_report, edits refused when the file
changed meanwhile, nothing written outside data/)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from ngoaivu_cli import api
from ngoaivu_cli.editing import ChangedMeanwhile, InvalidEntry
from ngoaivu_cli.errors import NgoaivuError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    return tmp_path


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_the_api_page_example_runs(log: Path) -> None:
    page = (ROOT / "docs" / "api.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.+?)\n```", page, re.S)
    assert len(blocks) == 1
    before = _files(log)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[0], "docs/api.md", "exec"), {})  # noqa: S102 - our own page
    printed = out.getvalue()
    assert "Tháng 01/2021" in printed or "tháng 01/2021" in printed.lower()
    assert "0 lỗi" in printed
    assert "không xóa:" in printed and "đã được sửa ở nơi khác" in printed
    # the entry it added is gone again; no report was written (`new` writes the schema once)
    assert _files(log) - {log / "schema" / "entry.schema.json"} == before


def test_build_report_writes_nothing(log: Path) -> None:
    config = api.open_log(log).config
    period = api.resolve_period("2023-08-24:2023-08-31", config)
    before = _files(log)
    built = api.build_report(config, period, fmt="md")
    assert built.file_name() == "bao-cao-tuan-2023-08-24_2023-08-31.md"
    written = api.make_report(config, period, fmt="md", output=log / "out.md")
    assert written.path is not None and written.path.read_bytes() == built.data
    assert _files(log) - before == {log / "out.md"}


def test_change_entry_refuses_an_invalid_text_and_keeps_the_file(log: Path) -> None:
    config = api.open_log(log).config
    path = sorted((log / "data" / "2023" / "08").glob("*.yaml"))[0]
    text, seen = api.read_entry(config, path)
    with pytest.raises(InvalidEntry) as caught:
        api.change_entry(config, path, text.replace("category:", "categori:"), seen)
    assert caught.value.problems and all(p.is_error for p in caught.value.problems)
    assert path.read_text("utf-8") == text
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_change_entry_refuses_a_file_changed_meanwhile(log: Path) -> None:
    config = api.open_log(log).config
    path = sorted((log / "data" / "2023" / "08").glob("*.yaml"))[0]
    text, seen = api.read_entry(config, path)
    path.write_text(text + "\n# sửa ở nơi khác\n", "utf-8")
    with pytest.raises(ChangedMeanwhile):
        api.change_entry(config, path, text.replace("summary:", "summary:  "), seen)
    with pytest.raises(ChangedMeanwhile):
        api.delete_entry(config, path, seen)
    assert path.read_text("utf-8").endswith("# sửa ở nơi khác\n")


def test_edits_stay_inside_data_and_never_follow_a_link(log: Path, tmp_path: Path) -> None:
    config = api.open_log(log).config
    outside = tmp_path / "ngoai.yaml"
    outside.write_text("date: 2023-08-28\n", "utf-8")
    from ngoaivu_cli.editing import content_hash

    seen = content_hash(outside.read_bytes())
    with pytest.raises(NgoaivuError, match="không nằm trong"):
        api.delete_entry(config, outside, seen)
    (log / "data" / "2023" / "link.yaml").symlink_to(outside)
    with pytest.raises(NgoaivuError, match="liên kết"):
        api.delete_entry(config, log / "data" / "2023" / "link.yaml", seen)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.yaml").write_text("date: 2023-08-28\n", "utf-8")
    (log / "data" / "2024").symlink_to(elsewhere)
    with pytest.raises(NgoaivuError, match="liên kết"):
        api.delete_entry(config, log / "data" / "2024" / "x.yaml", seen)
    assert outside.exists() and (elsewhere / "x.yaml").exists()


def test_select_entries_filters_as_list_does(log: Path) -> None:
    config = api.open_log(log).config
    period = api.resolve_period("2023-08-24:2023-08-31", config)
    every = api.select_entries(config, period)
    done = api.select_entries(config, period, status="done")
    assert every.entries and len(done.entries) <= len(every.entries)
    assert all(e.status == "done" for e in done.entries)
    with pytest.raises(NgoaivuError, match="không có trong cấu hình") as caught:
        api.select_entries(config, period, categories=("dich_thua",))
    assert caught.value.hint == "có phải ý bạn là `dich_thuat`?"


def test_the_api_constants_are_those_below_it() -> None:
    from ngoaivu_cli.periods.model import MAX_YEAR, MIN_YEAR
    from ngoaivu_cli.render.report import FORMATS

    assert api.REPORT_FORMATS == FORMATS
    assert (api.MIN_YEAR, api.MAX_YEAR) == (MIN_YEAR, MAX_YEAR)


def test_importing_the_api_imports_no_heavy_library() -> None:
    import subprocess
    import sys

    code = ("import sys, ngoaivu_cli.api\n"
            "print(sorted(m for m in ('yaml', 'jinja2', 'docx', 'lxml', 'click') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ})
    assert done.stdout.strip() == "[]"


def test_entry_yaml_is_what_add_entry_writes(log: Path) -> None:
    """A form can show (and give to change_entry) exactly the text `new` writes, and check it
    at its fields before writing."""
    config = api.open_log(log).config
    fields = dict(date=dt.date(2023, 8, 28), category="dich_thuat", unit="TTDT",
                  summary="Dịch tài liệu hội thảo", partners=("Lào",),
                  metrics=(("trang_bd_noi_dung", 12),))
    # with the order `new` gives it: the order of entry (issue 25, item 4)
    text = api.entry_yaml(**fields, order=api.next_order(config))  # type: ignore[arg-type]
    written = api.add_entry(config, **fields)  # type: ignore[arg-type]
    assert written.path.read_text("utf-8") == text
    plan = api.entry_yaml(date=dt.date(2024, 12, 1), category="dich_thuat", summary="Kế hoạch",
                          status="planned", approx="2024-12")
    assert "date: 2024-12" in plan and "../../schema" in plan  # one folder higher
    entries, problems = api.entries_of_text(text, "data/x.yaml")
    assert problems == [] and entries[0].summary == "Dịch tài liệu hội thảo"
    probe = log / "data" / "2023" / "08" / "2023-08-27-thu.yaml"
    bad = text.replace("dich_thuat", "khong_co").replace("2023-08-28", "2023-08-27")
    found = api.entry_problems(config, bad, probe)
    assert [p.field for p in found if p.is_error] == ["category"]
    assert not probe.exists()
    again = api.entry_problems(config, text, probe.with_name("2023-08-28-thu.yaml"))
    assert [p.code for p in again] == ["E-DUPLICATE-ENTRY"]  # the one just written


@pytest.mark.parametrize("typed", ["- ", "– ", "• ", "+ "])
def test_a_bullet_typed_in_a_summary_is_printed_once(log: Path, typed: str) -> None:
    """issue 26 item 8: a summary that already begins with "- " printed as "- - …"."""
    config = api.open_log(log).config
    week = api.resolve_period("2023-08-24:2023-08-31", config)
    api.add_entry(config, date=week.end, category="tham_muu_ubnd",
                  summary=f"{typed}Dịch tài liệu hội thảo xúc tiến đầu tư")
    text = api.build_report(config, week, fmt="md").text
    assert "Dịch tài liệu hội thảo" in text  # printed, as a bullet or merged into a sentence
    assert f"{typed}Dịch tài liệu" not in text, text


def test_a_summary_starting_with_a_negative_number_keeps_it(log: Path) -> None:
    config = api.open_log(log).config
    week = api.resolve_period("2023-08-24:2023-08-31", config)
    api.add_entry(config, date=week.end, category="tham_muu_ubnd",
                  summary="-5 độ C, hoãn đón đoàn hội thảo xúc tiến")
    text = api.build_report(config, week, fmt="md").text
    assert "-5 độ C, hoãn đón đoàn" in text
