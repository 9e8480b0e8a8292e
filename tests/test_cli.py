"""Tests of the command line: help and documentation, --version, `list` and `period` on the
shipped log under data/, usage errors, and ``python -m ngoaivu_cli``."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import ngoaivu_cli
from ngoaivu_cli.cli import main

REPO = Path(__file__).parents[1]
GUIDE = REPO / "docs" / "lenh.md"  # the commands page of the user guide
WEEK = "2023-08-24:2023-08-31"  # seed 002
COUNT_RE = re.compile(r"^— (\d+) hoạt động$", re.MULTILINE)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root with the shipped default configuration, HOME elsewhere.

    NGOAIVU_DEBUG=1 makes an internal error raise instead of printing "Lỗi nội bộ", so with
    catch_exceptions=False a bug in a command fails the test with its traceback.
    """
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("NGOAIVU_CONFIG", raising=False)
    monkeypatch.setenv("NGOAIVU_DEBUG", "1")
    monkeypatch.chdir(REPO)


def run(*args: str) -> Result:
    return CliRunner(catch_exceptions=False).invoke(main, list(args))


def table_rows(result: Result) -> list[str]:
    """The entry lines of a `list` table (everything before the count line)."""
    lines = result.stdout.splitlines()
    assert lines and COUNT_RE.match(lines[-1]), result.output
    return lines[:-1]


def count(result: Result) -> int:
    match = COUNT_RE.search(result.stdout)
    assert match, result.output
    return int(match.group(1))


def assert_clean_failure(result: Result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert "Lỗi nội bộ" not in result.output


# --------------------------------------------------------------------------- help and docs


def test_help_lists_commands():
    result = run("--help")

    assert result.exit_code == 0
    commands = result.stdout.split("Lệnh:")[1]
    for name in ("validate", "list", "period", "report"):
        assert re.search(rf"^\s+{name}\s+\S", commands, re.MULTILINE), name
    assert "Ví dụ" in result.stdout


def test_short_help_option():
    assert run("-h").stdout == run("--help").stdout


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_with_examples(name):
    command = main.commands[name]
    assert command.help and command.help.strip()
    assert "Ví dụ" in command.help
    assert f"ngoaivu {name}" in command.help  # the examples run this very command

    result = run(name, "--help")

    assert result.exit_code == 0
    assert "Ví dụ" in result.stdout


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented_in_the_guide(name):
    guide = GUIDE.read_text(encoding="utf-8")
    assert f"ngoaivu {name}" in guide


def test_version():
    result = run("--version")

    assert result.exit_code == 0
    assert result.stdout.strip() == f"ngoaivu {ngoaivu_cli.__version__}"


def test_version_is_the_installed_package_version():
    """--version prints ``__version__`` (importlib.metadata would cost 15 ms): pyproject.toml
    takes the package's version from it, so the two cannot differ."""
    from importlib.metadata import version

    assert version("ngoaivu") == ngoaivu_cli.__version__


def test_unknown_command_is_a_usage_error():
    result = run("bao-cao")

    assert_clean_failure(result, 2)


def test_python_dash_m(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path / "home"), "PYTHONIOENCODING": "utf-8"}
    env.pop("NGOAIVU_CONFIG", None)

    proc = subprocess.run([sys.executable, "-m", "ngoaivu_cli", "--help"], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Cách dùng: ")
    for name in ("validate", "list", "period", "report"):
        assert name in proc.stdout
    assert proc.stderr == ""


# --------------------------------------------------------------------------- list


def test_list_week_of_seed_002():
    result = run("list", "--period", WEEK)

    assert result.exit_code == 0, result.output
    rows = table_rows(result)
    # the results of 24/8–31/8/2023; the five plans of seed 002 are dated 05/9–08/9
    assert count(result) == len(rows) == 23
    assert all(re.match(r"(2[4-9]|3[01])/8/2023 ", row) for row in rows)
    assert not any("[kế hoạch]" in row for row in rows)
    assert result.stderr == ""


def test_list_week_and_plans_marks_planned_only():
    """24/8–08/9: the 23 results and the 5 plans of seed 002, plans marked [kế hoạch]."""
    table = run("list", "--period", "2023-08-24:2023-09-08")
    data = run("list", "--period", "2023-08-24:2023-09-08", "--format", "json")

    rows = table_rows(table)
    entries = json.loads(data.stdout)
    assert count(table) == len(rows) == len(entries) == 28
    for row, entry in zip(rows, entries, strict=True):
        assert ("[kế hoạch]" in row) == (entry["status"] == "planned"), row
    assert sum("[kế hoạch]" in row for row in rows) == 5


def test_list_status_filters():
    done = run("list", "--period", "2023-08-24:2023-09-08", "--status", "done", "--format", "json")
    planned = run("list", "--period", "2023-08-24:2023-09-08", "--status", "planned",
                  "--format", "json")

    assert {e["status"] for e in json.loads(done.stdout)} == {"done"}
    assert len(json.loads(done.stdout)) == 23
    assert {e["status"] for e in json.loads(planned.stdout)} == {"planned"}
    assert [e["date"] for e in json.loads(planned.stdout)] == [
        "2023-09-05", "2023-09-05", "2023-09-06", "2023-09-07", "2023-09-08"]


def test_list_status_done_on_the_week():
    result = run("list", "--period", WEEK, "--status", "done")

    assert result.exit_code == 0
    assert count(result) == 23


def test_list_category():
    result = run("list", "--period", WEEK, "--category", "tham_muu_ubnd")

    assert result.exit_code == 0, result.output
    rows = table_rows(result)
    assert count(result) == len(rows) == 7
    assert all("Tham mưu, báo cáo UBND tỉnh" in row for row in rows)


def test_list_category_repeated():
    result = run("list", "--period", WEEK, "--category", "tham_muu_ubnd",
                 "--category", "tham_muu_tinh_uy")

    assert count(result) == 9


def test_list_unit():
    result = run("list", "--period", WEEK, "--unit", "TTDT", "--format", "json")

    entries = json.loads(result.stdout)
    assert len(entries) == 2
    assert {e["unit"] for e in entries} == {"TTDT"}


def test_list_tag_in_a_month():
    result = run("list", "--tag", "ttdn", "--period", "tháng 01/2021")

    assert result.exit_code == 0, result.output
    rows = table_rows(result)
    assert count(result) == len(rows) == 8
    assert all(re.match(r"\d\d/01/2021 ", row) for row in rows)


def test_list_json():
    result = run("list", "--period", WEEK, "--format", "json")

    assert result.exit_code == 0
    entries = json.loads(result.stdout)
    assert isinstance(entries, list) and len(entries) == 23
    for e in entries:
        assert {"date", "category", "summary", "file", "status", "unit", "tags"} <= set(e)
        assert "2023-08-24" <= e["date"] <= "2023-08-31"
        assert e["file"].startswith("data/2023/08/")
        assert e["summary"]
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    assert entries[-1]["metrics"]["gio_phien_dich"] == 15.5  # the TTDT figures of seed 002


def test_list_csv():
    result = run("list", "--period", WEEK, "--format", "csv")

    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["ngay", "den_ngay", "linh_vuc", "trang_thai", "don_vi", "noi_dung", "tep"]
    body = rows[1:]
    assert len(body) == 23
    assert all(len(r) == 7 for r in body)
    first = body[0]
    assert first[0] == "2023-08-24" and first[3] == "done"
    # a summary with a comma and curly quotes survives the round trip
    assert any("," in r[5] and "“" in r[5] for r in body)
    assert all(r[6].startswith("data/2023/08/") and r[6].endswith(".yaml") for r in body)


def test_list_csv_matches_json():
    as_csv = list(csv.DictReader(io.StringIO(run("list", "--period", WEEK, "--format",
                                                 "csv").stdout)))
    as_json = json.loads(run("list", "--period", WEEK, "--format", "json").stdout)

    assert [(r["ngay"], r["linh_vuc"], r["noi_dung"], r["tep"]) for r in as_csv] == [
        (e["date"], e["category"], e["summary"], e["file"]) for e in as_json]


def test_list_whole_log():
    result = run("list", "--format", "json")

    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == len(list((REPO / "data").rglob("*.yaml")))


def test_list_unknown_category_suggests():
    result = run("list", "--period", WEEK, "--category", "tham_muu")

    assert_clean_failure(result, 2)
    assert 'lĩnh vực "tham_muu" không có trong cấu hình' in result.stderr
    assert "tham_muu_ubnd" in result.stderr
    assert result.stdout == ""


def test_list_unknown_unit():
    result = run("list", "--unit", "VPTT")

    assert_clean_failure(result, 2)
    assert 'đơn vị "VPTT"' in result.stderr
    assert "VPTTr" in result.stderr


def test_list_bad_period():
    result = run("list", "--period", "tháng 13")

    assert_clean_failure(result, 2)
    assert "tháng 13" in result.stderr


DELEGATION = """\
date: "2023-09-27"
end: "2023-10-06"
category: doan_ra_doan_vao
summary: "Đoàn công tác của tỉnh tham dự Diễn đàn doanh nghiệp kiều bào Châu Âu lần thứ 12"
unit: HTQT
metrics:
  doan_ra: 1
  luot_ra: 9
"""


@pytest.fixture
def delegation_log(tmp_path: Path) -> Path:
    """A log whose only entry runs from 27/9 to 06/10/2023."""
    repo = tmp_path / "kho"
    entry = repo / "data" / "2023" / "09" / "2023-09-27-doan-ra.yaml"
    entry.parent.mkdir(parents=True)
    entry.write_text(DELEGATION, encoding="utf-8")
    (repo / "ngoaivu.yaml").write_text("version: 1\n", encoding="utf-8")
    return repo


@pytest.mark.parametrize("period", ["tháng 9/2023", "tháng 10/2023", "2023-10-06",
                                    "2023-09-30:2023-10-01"])
def test_list_entry_overlapping_the_period(delegation_log, period):
    result = run("--config", str(delegation_log / "ngoaivu.yaml"), "list", "--period", period)

    assert result.exit_code == 0, result.output
    [row] = table_rows(result)
    assert row.startswith("27/9/2023–06/10/2023 ")
    assert count(result) == 1


@pytest.mark.parametrize("period", ["tháng 11/2023", "2023-09-26", "2023-10-07"])
def test_list_entry_outside_the_period(delegation_log, period):
    result = run("--config", str(delegation_log / "ngoaivu.yaml"), "list", "--period", period)

    assert result.exit_code == 0, result.output
    assert count(result) == 0


def test_list_overlap_found_by_walking_up(delegation_log, monkeypatch):
    monkeypatch.chdir(delegation_log / "data" / "2023")

    result = run("list", "--period", "tháng 10/2023", "--format", "json")

    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)
    assert (entry["date"], entry["end"]) == ("2023-09-27", "2023-10-06")
    # shown relative to the working folder
    assert entry["file"] == "09/2023-09-27-doan-ra.yaml"


def test_list_refuses_a_broken_log(delegation_log):
    broken = delegation_log / "data" / "2023" / "10" / "2023-10-02-loi.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text('date: "2023-10-02"\ncategory: doan_ra\nsummary: "Đoàn ra"\n',
                      encoding="utf-8")

    result = run("--config", str(delegation_log / "ngoaivu.yaml"), "list", "--period",
                 "tháng 10/2023")

    assert_clean_failure(result, 1)
    assert "E-UNKNOWN-CATEGORY" in result.stderr
    assert "2023-10-02-loi.yaml:2:" in result.stderr


# --------------------------------------------------------------------------- period


def test_period_month_json():
    result = run("period", "tháng 01/2021", "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["start"] == "2021-01-01"
    assert data["end"] == "2021-01-31"
    assert data["kind"] == "month"
    assert data["label"] == "tháng 01/2021"
    assert data["next"]["label"] == "tháng 02/2021"
    assert (data["next"]["start"], data["next"]["end"]) == ("2021-02-01", "2021-02-28")


def test_period_text():
    result = run("period", "tháng 01/2021")

    assert result.exit_code == 0
    assert "tháng 01/2021" in result.stdout
    assert "01/01/2021" in result.stdout and "31/01/2021" in result.stdout
    assert "tháng 02/2021" in result.stdout


def test_period_week_of_seed_002():
    data = json.loads(run("period", WEEK, "--format", "json").stdout)

    assert (data["start"], data["end"], data["kind"]) == ("2023-08-24", "2023-08-31", "days")
    assert data["label"] == "từ ngày 24/8 - 31/8/2023"


def test_period_invalid_month_quotes_input():
    result = run("period", "tháng 13")

    assert_clean_failure(result, 2)
    assert re.search(r"[“\"']tháng 13[”\"']", result.stderr), result.stderr
    assert result.stderr.startswith("Lỗi: ")
    assert "gợi ý" in result.stderr
    assert result.stdout == ""


def test_period_gibberish_lists_accepted_forms():
    result = run("period", "hôm kia năm ngoái")

    assert_clean_failure(result, 2)
    assert "hôm kia năm ngoái" in result.stderr
    assert "tháng 11/2017" in result.stderr  # one of the accepted forms


def test_period_with_cutoff_day():
    result = run("period", "tháng 11/2017", "--cutoff", "14", "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["start"], data["end"]) == ("2017-10-15", "2017-11-14")
    assert data["kind"] == "month"
    assert data["label"] == "tháng 11/2017"
    assert data["cutoff_day"] == 14
    assert (data["next"]["start"], data["next"]["end"]) == ("2017-11-15", "2017-12-14")


def test_period_calendar_ignores_cutoff():
    data = json.loads(run("period", "tháng 11/2017", "--cutoff", "14", "--calendar",
                          "--format", "json").stdout)

    assert (data["start"], data["end"]) == ("2017-11-01", "2017-11-30")


@pytest.mark.parametrize("cutoff", ["0", "29", "x"])
def test_period_cutoff_out_of_range(cutoff):
    result = run("period", "tháng 11/2017", "--cutoff", cutoff)

    assert_clean_failure(result, 2)


def test_period_relative_to_today():
    data = json.loads(run("period", "tuần trước", "--today", "2023-09-04", "--format",
                          "json").stdout)

    assert (data["start"], data["end"], data["kind"]) == ("2023-08-28", "2023-09-03", "week")


def test_period_bad_today():
    result = run("period", "tuần trước", "--today", "04/09/2023")

    assert_clean_failure(result, 2)
    assert "04/09/2023" in result.stderr
    assert "`2023-09-04`" in result.stderr  # the ISO spelling is suggested


def test_a_file_a_period_report_cannot_find_is_warned_about(tmp_path: Path, monkeypatch):
    """Reports open only the folders of their period (benchmarks/README.md): `validate` names the
    files they would miss, and the report of that period indeed leaves them out."""
    entry = 'date: {d}\ncategory: chu_tri_hop\nsummary: "Họp {n}"\n'
    data = tmp_path / "data"
    (data / "2023" / "05").mkdir(parents=True)
    (data / "2023" / "08").mkdir(parents=True)
    (data / "2023" / "05" / "2023-08-28-sai-thu-muc.yaml").write_text(
        entry.format(d="2023-08-28", n="sai thư mục"), "utf-8")
    (data / "2023" / "08" / "2023-08-29-dung.yaml").write_text(
        entry.format(d="2023-08-29", n="đúng chỗ"), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert ("data/2023/05/2023-08-28-sai-thu-muc.yaml:1:1: warning W-FOLDER" in result.stdout
            and "chuyển tệp vào thư mục 2023/08/" in result.stdout), result.stdout
    listed = run("list", "--period", "tháng 8/2023")
    assert "Họp đúng chỗ" in listed.stdout and "sai thư mục" not in listed.stdout


def test_report_says_how_the_period_was_understood_and_warns_of_a_future_date(tmp_path: Path):
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["report", "--period", "tuần này", "--today", "2023-08-30",
                                       "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Lưu ý: “tuần này” tính theo ngày 30/8/2023" in result.stderr
    assert "văn bản ghi ngày 03/09/2023 (ngày cuối kỳ, chưa đến)" in result.stderr
    result = CliRunner().invoke(main, ["report", "--period", WEEK, "-o", str(out), "--force"],
                                catch_exceptions=False)
    assert "Lưu ý" not in result.stderr


def test_every_subpackage_is_installed():
    """`pip install .` installs only the packages pyproject.toml lists (no discovery)."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
        "packages"])
    package = REPO / "ngoaivu_cli"
    found = {".".join(p.parent.relative_to(REPO).parts) for p in package.rglob("__init__.py")}
    assert found <= listed, found - listed


# --------------------------------------------------------------------------- found by a
# walkthrough of the finished tool


def _small_log(root: Path) -> Path:
    folder = root / "data" / "2026" / "10"
    folder.mkdir(parents=True)
    (folder / "2026-09-01-sai-thu-muc.yaml").write_text(
        'date: 2026-09-01\ncategory: chu_tri_hop\nsummary: "Họp"\n', "utf-8")
    (root / "ngoaivu.yaml").write_text("version: 1\n", "utf-8")
    return root


def test_validate_from_a_subfolder_still_sees_a_misplaced_file(tmp_path: Path, monkeypatch):
    log = _small_log(tmp_path / "kho")
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    monkeypatch.chdir(log / "data" / "2026")
    assert "W-FOLDER" in run("validate").stdout


def test_validate_dot_does_not_read_the_configuration_as_an_activity(tmp_path: Path,
                                                                     monkeypatch):
    log = _small_log(tmp_path / "kho")
    monkeypatch.chdir(log)
    result = run("validate", ".")
    assert "ngoaivu.yaml" not in result.stdout
    assert "đã kiểm tra 1 tệp" in result.stdout


def test_one_folder_named_two_ways_is_read_once(tmp_path: Path, monkeypatch):
    log = _small_log(tmp_path / "kho")
    monkeypatch.chdir(log)
    result = run("validate", "data", str(log / "data"))
    assert "E-DUPLICATE-ENTRY" not in result.stdout and "đã kiểm tra 1 tệp" in result.stdout


@pytest.mark.parametrize("args", [["period", "tuần trước", "--today", "0001-01-01"],
                                  ["period", "năm sau", "--today", "9999-12-31"]])
def test_dates_out_of_every_log_are_usage_errors(args: list[str]):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "nằm ngoài khoảng 1900–2199" in result.output


def test_a_linked_configuration_keeps_the_log_where_it_is(tmp_path: Path, monkeypatch):
    shared = tmp_path / "chung"
    shared.mkdir()
    (shared / "ngoaivu.yaml").write_text("version: 1\n", "utf-8")
    log = tmp_path / "kho"
    (log / "data").mkdir(parents=True)
    (log / "ngoaivu.yaml").symlink_to(shared / "ngoaivu.yaml")
    monkeypatch.chdir(log)
    assert run("validate").exit_code == 0


def test_extends_takes_only_none_or_default(tmp_path: Path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "ngoaivu.yaml").write_text("extends: foo\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1 and "ngoaivu.yaml:1:10: error E-VALUE" in result.output


def test_no_appendix_page_without_activities(tmp_path: Path):
    result = run("report", "--period", "6 tháng đầu năm 2023", "--format", "json", "-o", "-")
    assert json.loads(result.stdout)["appendix"] is None


def test_period_notes_go_to_stderr_when_the_document_goes_to_stdout():
    result = CliRunner().invoke(main, ["report", "--period", "tuần này", "--today", "2023-08-30",
                                       "--format", "md", "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Lưu ý" in result.stderr and "Lưu ý" not in result.stdout
