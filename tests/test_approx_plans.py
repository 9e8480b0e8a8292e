"""Plans without an invented day (issue 14, item 4): a planned activity known only to a month
or a quarter is written ``date: 2024-12`` / ``date: 2024-Q1`` / ``date: "quý I/2024"`` in
``data/YYYY/YYYY-12-<slug>.yaml`` / ``data/YYYY/YYYY-q1-<slug>.yaml``, and appears in the plan
section of the one report of a type whose next period holds its first day (issue 25, item 5)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main
from ngoaivu_cli.log.loader import load_text, parse_approx

D = dt.date


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("text", "start", "end", "stem"), [
    ("2024-12", D(2024, 12, 1), D(2024, 12, 31), "2024-12"),
    ("2024-2", D(2024, 2, 1), D(2024, 2, 29), "2024-02"),
    ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), "2024-q1"),
    ("quý I/2024", D(2024, 1, 1), D(2024, 3, 31), "2024-q1"),
    ("Quý 4 năm 2024", D(2024, 10, 1), D(2024, 12, 31), "2024-q4"),
    ("tháng 12/2024", D(2024, 12, 1), D(2024, 12, 31), "2024-12"),
    ("dự kiến tháng 12 năm 2024", D(2024, 12, 1), D(2024, 12, 31), "2024-12"),
])
def test_the_forms_of_a_month_or_a_quarter(text: str, start: dt.date, end: dt.date,
                                           stem: str) -> None:
    assert parse_approx(text) == (start, end, stem)


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "quý V/2024", "tháng 12", "2024",
                                  "12/2024", "tháng 0/2024", "3024-01"])
def test_what_is_not_a_month_or_a_quarter(text: str) -> None:
    assert parse_approx(text) is None


def _plan(root: Path, name: str, date: str, summary: str, extra: str = "") -> Path:
    path = root / "data" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"date: {date}\ncategory: chu_tri_hop\nstatus: planned\nsummary: {summary}\n"
                    + extra, "utf-8")
    return path


@pytest.fixture
def log(work: Path) -> Path:
    _plan(work, "2024/2024-12-hoi-nghi-tong-ket.yaml", "2024-12",
          "Hội nghị tổng kết năm (dự kiến tháng 12).")
    _plan(work, "2024/2024-q4-doan-vao.yaml", '"quý IV/2024"', "Đón đoàn Lào (dự kiến quý IV).")
    _plan(work, "2024/11/2024-11-28-lich.yaml", "2024-11-28", "Kế hoạch có ngày 28/11.")
    return work


def _plan_section(period: str, type_name: str = "bao_cao_dinh_ky") -> list[str]:
    result = run("report", "--period", period, "--type", type_name, "--format", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    text = result.stdout
    plan = text[text.index("**II."):text.index("Trên đây")]
    return [line[2:] for line in plan.splitlines() if line.startswith("- ")]


def test_a_plan_belongs_to_the_report_whose_next_period_holds_its_first_day(log: Path) -> None:
    """Issue 25, item 5 (was: every report whose next period overlaps it): a month's or a
    quarter's plan is printed once by a report type, where its "kỳ sau" begins it."""
    month, quarter = "Hội nghị tổng kết năm (dự kiến tháng 12).", "Đón đoàn Lào (dự kiến quý IV)."
    dated = "Kế hoạch có ngày 28/11."
    assert _plan_section("quý III/2024") == [quarter, dated, month]  # next: quý IV, by date
    assert _plan_section("tháng 9/2024") == [quarter]  # next: tháng 10, where quý IV begins
    assert _plan_section("tháng 10/2024") == [dated]  # next: tháng 11, inside quý IV only
    assert _plan_section("tháng 11/2024") == [month]  # next: tháng 12
    assert _plan_section("tháng 8/2024") == ["Tiếp tục triển khai các nhiệm vụ đối ngoại theo kế "
                                             "hoạch năm."]  # next: tháng 9, neither
    weekly = _plan_section("18/11 - 24/11/2024", "bao_cao_tuan")  # next: 25/11 - 01/12
    assert weekly == [dated, month]
    later = _plan_section("25/11 - 01/12/2024", "bao_cao_tuan")  # next: 02/12 - 08/12
    assert month not in later and quarter not in later


WINDOW_25 = """\
report_types:
  thang:
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Tháng {{ period.label }}"]
    signer: giam_doc
    window: {day: 25}
    sections:
      - {heading: KẾT QUẢ, status: done}
      - {heading: KẾ HOẠCH, status: planned, period: next, empty: Không có kế hoạch.}
"""


def test_with_a_window_a_month_plan_is_printed_once_and_not_warned(work: Path) -> None:
    """Issue 25, item 5: with `window: {day: 25}`, November's plans for "tháng 12" are
    printed by November's report (next: 25/11-25/12) and not again by December's (next:
    25/12-25/01, which only touches December), which says nothing of them: its advice
    ("ghi ngày của kỳ sau", "đổi thành done") would change November's report."""
    (work / "ngoaivu.yaml").write_text(WINDOW_25, "utf-8")
    _plan(work, "2017/2017-12-hop-bao.yaml", "2017-12", "Họp báo định kỳ tháng 12.")

    def plans(label: str) -> tuple[str, list[object]]:
        result = run("report", "--period", label, "--type", "thang", "--format", "json",
                     "-o", "-")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        body = [b["text"] for b in data["body"]]
        return " ".join(body[body.index("II. KẾ HOẠCH"):]), data["warnings"]

    november, warned = plans("tháng 11/2017")
    assert "Họp báo định kỳ tháng 12." in november and warned == []
    december, warned = plans("tháng 12/2017")
    assert "Họp báo định kỳ tháng 12." not in december and warned == []
    strict = run("report", "--period", "tháng 12/2017", "--type", "thang", "--strict",
                 "-o", "out.docx")
    assert strict.exit_code == 0, strict.output


def test_validate_accepts_them_and_list_shows_the_month(log: Path) -> None:
    result = run("validate")
    assert result.exit_code == 0 and "0 lỗi, 0 cảnh báo" in result.output, result.output
    table = run("list", "--period", "quý IV/2024").output
    assert "quý IV/2024   " in table and "tháng 12/2024 " in table
    data = json.loads(run("list", "--period", "tháng 12/2024", "--format", "json").stdout)
    month = next(e for e in data if e.get("approx") == "2024-12")
    assert (month["date"], month["end"], month["approx_label"]) == (
        "2024-12-01", "2024-12-31", "tháng 12/2024")
    assert run("stats", "--period", "quý IV/2024").exit_code == 0


@pytest.mark.parametrize(("name", "date", "extra", "code", "where"), [
    ("2024/2024-12-a.yaml", "2024-12", "status: done\n", "E-DATE-APPROX", ":1:7:"),
    ("2024/2024-12-a.yaml", "2024-12", "end: 2024-12-20\n", "E-DATE-APPROX", ":5:6:"),
    ("2024/2024-11-a.yaml", "2024-12", "", "E-DATE-FILENAME", ":1:7:"),
    ("2024/12/2024-12-01-a.yaml", "2024-12", "", "E-DATE-FILENAME", ":1:7:"),
    ("2024/2024-12-a.yaml", "2024-13", "", "E-DATE-INVALID", ":1:7:"),
])
def test_a_wrong_plan_date_is_a_located_error(work: Path, name: str, date: str, extra: str,
                                             code: str, where: str) -> None:
    path = _plan(work, name, date, "Kế hoạch.")
    if extra.startswith("status"):
        path.write_text(path.read_text("utf-8").replace("status: planned\n", extra), "utf-8")
    else:
        path.write_text(path.read_text("utf-8") + extra, "utf-8")
    result = run("validate")
    assert result.exit_code == 1, result.output
    assert code in result.output and f"data/{name}{where}" in result.output, result.output


def test_an_unknown_form_says_how_to_write_a_month_or_quarter() -> None:
    loaded = load_text("date: 2024-13\ncategory: a\nstatus: planned\nsummary: b\n", "x.yaml")
    [problem] = [p for p in loaded.problems if p.field == "date"]
    assert "date: 2024-Q1" in (problem.hint or "")


def test_a_plan_in_a_month_folder_is_warned(work: Path) -> None:
    _plan(work, "2024/12/2024-12-a.yaml", "2024-12", "Kế hoạch.")
    result = run("validate")
    assert "W-FOLDER" in result.output and "thư mục 2024/" in result.output


def test_the_cache_keeps_the_month() -> None:
    from ngoaivu_cli.log.cache import _decode, _encode

    loaded = load_text("date: 2024-Q1\ncategory: a\nstatus: planned\nsummary: b\n", "x.yaml")
    encoded = _encode("x.yaml", loaded)
    assert encoded is not None
    [entry] = _decode("x.yaml", *encoded).entries
    assert entry == loaded.entries[0] and entry.approx == "2024-q1"


def test_the_schema_accepts_a_month_or_a_quarter_for_date_only() -> None:
    import re

    from ngoaivu_cli.config import load_config
    from ngoaivu_cli.schema import entry_schema

    props = entry_schema(load_config(None))["$defs"]["entry"]["properties"]
    date_forms = [f["pattern"] for f in props["date"]["anyOf"]]
    for text in ("2024-12-05", "2024-12", "2024-Q1", "quý I/2024"):
        assert any(re.search(p, text) for p in date_forms), text
    assert not any(re.search(p, "2024-13") for p in date_forms)
    assert "anyOf" not in props["end"]


def test_new_writes_a_plan_of_a_month_or_a_quarter(work: Path) -> None:
    result = run("new", "--date", "2025-Q1", "--status", "planned", "--category", "hop_tac_lao",
                 "--summary", "Đón Đoàn tỉnh Khăm Muồn (dự kiến quý I/2025).")
    assert result.exit_code == 0, result.output
    path = work / "data" / "2025" / "2025-q1-don-doan-tinh-kham-muon-du-kien-quy-i-2025.yaml"
    assert result.stdout.strip() == "data/2025/" + path.name
    text = path.read_text("utf-8")
    assert "$schema=../../schema/entry.schema.json" in text  # one folder higher than a day's
    assert "\ndate: 2025-Q1\n" in text
    month = run("new", "--date", "tháng 3/2025", "--status", "planned", "--category",
                "hop_tac_lao", "--summary", "Hội nghị tháng 3.")
    assert month.stdout.strip() == "data/2025/2025-03-hoi-nghi-thang-3.yaml"
    assert "0 lỗi, 0 cảnh báo" in run("validate").output
    assert (work / "schema" / "entry.schema.json").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (("--date", "2025-02"), "chỉ kế hoạch được ghi tháng hoặc quý"),
    (("--date", "2025-02", "--status", "planned", "--end", "2025-02-10"), "--end không dùng"),
    (("--date", "2025-13", "--status", "planned"), "--date"),
])
def test_new_refuses_a_month_for_a_done_entry(work: Path, args: tuple[str, ...],
                                              message: str) -> None:
    result = run("new", *args, "--category", "hop_tac_lao", "--summary", "X.")
    assert result.exit_code == 2 and message in result.output
    assert not (work / "data").exists()


def test_a_plan_of_the_current_quarter_is_not_warned_as_dropped(log: Path) -> None:
    """December's report looks ahead to January: the plans of quý IV and of tháng 12 are no
    longer ahead, the reports before printed them, so it leaves them out without a warning."""
    result = run("report", "--period", "tháng 12/2024", "--type", "bao_cao_dinh_ky",
                 "--format", "md", "-o", "-", "--strict")
    assert result.exit_code == 0, result.output
    assert "dự kiến quý IV" not in result.stdout and "dự kiến tháng 12" not in result.stdout
