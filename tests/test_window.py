"""A report type's data window (issue 14, item 5): ``window: {day: 20}`` makes its months run
from day 20 of the month before to day 20, both ends printed with the year, with no edit per
month: "tháng 11/2017" is "từ ngày 20/10/2017 - 20/11/2017"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.batch import plan_batch
from ngoaivu_cli.cli import main
from ngoaivu_cli.config import load_config
from ngoaivu_cli.periods import parse_period
from ngoaivu_cli.periods.model import with_window, without_window
from ngoaivu_cli.render.report import resolve_for_report
from ngoaivu_cli.scopes import previous_period, same_period_last_year, year_start

TODAY = dt.date(2018, 1, 15)
D = dt.date


def month(expr: str, window: tuple[int, int] = (20, 20)):  # noqa: ANN201
    return with_window(parse_period(expr, today=TODAY), window)


@pytest.mark.parametrize(("expr", "window", "start", "end", "span"), [
    ("tháng 11/2017", (20, 20), D(2017, 10, 20), D(2017, 11, 20), "20/10/2017 - 20/11/2017"),
    ("tháng 01/2018", (20, 20), D(2017, 12, 20), D(2018, 1, 20), "20/12/2017 - 20/01/2018"),
    ("tháng 11/2017", (21, 20), D(2017, 10, 21), D(2017, 11, 20), "21/10/2017 - 20/11/2017"),
    ("quý III/2017", (20, 20), D(2017, 6, 20), D(2017, 9, 20), "20/6/2017 - 20/9/2017"),
    ("năm 2017", (20, 20), D(2016, 12, 20), D(2017, 12, 20), "20/12/2016 - 20/12/2017"),
])
def test_a_window_shifts_the_months(expr: str, window: tuple[int, int], start: dt.date,
                                    end: dt.date, span: str) -> None:
    p = month(expr, window)
    assert (p.start, p.end, p.span_text) == (start, end, span)
    assert p.label == parse_period(expr, today=TODAY).label  # the month's name stays
    back, calendar = without_window(p), parse_period(expr, today=TODAY)
    assert (back.start, back.end, back.kind, back.label, back.window) == (
        calendar.start, calendar.end, calendar.kind, calendar.label, None)


def test_the_next_month_keeps_the_window() -> None:
    p = month("tháng 11/2017")
    nxt = p.next()
    assert (nxt.start, nxt.end, nxt.label) == (D(2017, 11, 20), D(2017, 12, 20), "tháng 12/2017")
    assert nxt.span_text == "20/11/2017 - 20/12/2017"
    assert month("tháng 12/2017").next().start == D(2017, 12, 20)


def test_a_day_past_a_short_month_is_its_last_day_with_a_note() -> None:
    p = month("tháng 3/2018", (31, 31))
    assert (p.start, p.end) == (D(2018, 2, 28), D(2018, 3, 31))
    assert any("chỉ có 28 ngày" in n for n in p.notes)


def test_weeks_and_days_are_not_shifted() -> None:
    for expr in ("tuần 35/2023", "24/8-31/8/2023"):
        p = parse_period(expr, today=TODAY)
        assert with_window(p, (20, 20)) == p


def test_scopes_follow_the_window() -> None:
    p = month("tháng 11/2017")
    assert year_start(p) == D(2016, 12, 20)  # the year to date: the window of the year
    last = same_period_last_year(p)
    assert last is not None and (last.start, last.end) == (D(2016, 10, 20), D(2016, 11, 20))
    before = previous_period(p)
    assert before is not None and (before.start, before.end) == (D(2017, 9, 20), D(2017, 10, 20))


# --------------------------------------------------------------------------- configuration

CONFIG = """\
report_types:
  bao_cao_thang:
    name: Báo cáo tháng (số liệu từ ngày 20 tháng trước đến ngày 20)
    due: [month]
    file_name: bao-cao-thang
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Kết quả công tác đối ngoại {{ period.label }}"]
    subtitle: "(Số liệu từ ngày {{ period.span }})"
    window: {day: 20}
    sections:
      - heading: KẾT QUẢ
        status: done
        period: current
        group_by: category
      - heading: KẾ HOẠCH {{ next.label | upper }}
        status: planned
        period: next
        group_by: category
    signer: giam_doc
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _entry(root: Path, day: dt.date, summary: str, status: str = "done") -> None:
    folder = root / "data" / f"{day:%Y}" / f"{day:%m}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day.isoformat()}-{day.day}.yaml").write_text(
        f"date: {day.isoformat()}\ncategory: bien_gioi\nstatus: {status}\nsummary: {summary}\n",
        "utf-8")


@pytest.fixture
def log(work: Path) -> Path:
    (work / "ngoaivu.yaml").write_text(CONFIG, "utf-8")
    _entry(work, D(2017, 10, 19), "Ngày 19/10, của tháng 10.")
    _entry(work, D(2017, 10, 20), "Ngày 20/10, đầu cửa sổ.")
    _entry(work, D(2017, 11, 20), "Ngày 20/11, cuối cửa sổ.")
    _entry(work, D(2017, 11, 21), "Kế hoạch 21/11, của tháng 12.", "planned")
    _entry(work, D(2017, 12, 15), "Ngày 15/12, của tháng 12.")
    return work


def test_the_report_prints_the_window_of_each_month(log: Path) -> None:
    result = run("report", "--period", "tháng 11/2017", "--type", "bao_cao_thang", "--format",
                 "md", "-o", "-")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "**Kết quả công tác đối ngoại tháng 11/2017**" in out
    assert "*(Số liệu từ ngày 20/10/2017 - 20/11/2017)*" in out
    assert "Ngày 20/10, đầu cửa sổ." in out and "Ngày 20/11, cuối cửa sổ." in out
    assert "Ngày 19/10" not in out and "Ngày 15/12" not in out
    assert out.index("KẾ HOẠCH THÁNG 12/2017") < out.index("Kế hoạch 21/11")
    # the next month, with no edit: its own window
    december = run("report", "--period", "tháng 12/2017", "--type", "bao_cao_thang",
                   "--format", "md", "-o", "-").output
    assert "*(Số liệu từ ngày 20/11/2017 - 20/12/2017)*" in december
    assert "Ngày 15/12, của tháng 12." in december


def test_json_and_period_notes_say_the_window(log: Path) -> None:
    config = load_config()
    period, _rt = resolve_for_report(config, "tháng 11/2017", "bao_cao_thang", today=TODAY)
    assert period.to_json()["window"] == [20, 20]
    assert any("từ ngày 20 tháng trước đến ngày 20" in n for n in period.notes)
    data = json.loads(run("report", "--period", "tháng 11/2017", "--type", "bao_cao_thang",
                          "--format", "json", "-o", "-").stdout)
    assert data["period"]["window"] == [20, 20]
    assert (data["period"]["start"], data["period"]["end"]) == ("2017-10-20", "2017-11-20")
    assert data["period"]["next"]["start"] == "2017-11-20"


def test_calendar_on_the_command_line_drops_the_window(log: Path) -> None:
    result = run("report", "--period", "tháng 11/2017", "--type", "bao_cao_thang", "--calendar",
                 "--format", "md", "-o", "-")
    assert "*(Số liệu từ ngày 01/11 - 30/11/2017)*" in result.output


def test_batch_makes_each_month_over_its_window(log: Path) -> None:
    config = load_config()
    quarter = parse_period("quý IV/2017", today=TODAY)

    def of_type(rt):  # noqa: ANN001, ANN202
        return resolve_for_report(config, "quý IV/2017", rt.key, today=TODAY)[0]

    plan = plan_batch(config, quarter, types=["bao_cao_thang"], period_of_type=of_type)
    assert [(j.period.label, j.period.start, j.period.end) for j in plan.jobs] == [
        ("tháng 10/2017", D(2017, 9, 20), D(2017, 10, 20)),
        ("tháng 11/2017", D(2017, 10, 20), D(2017, 11, 20)),
        ("tháng 12/2017", D(2017, 11, 20), D(2017, 12, 20)),
    ]


@pytest.mark.parametrize(("window", "message"), [
    ("{day: 0}", "`report_types.bao_cao_thang.window.day` phải là số nguyên từ 1 đến 31"),
    ("{days: 20}", "days"),
    ("{day: 20}\n    cutoff_day: 14", "có cả `window` và `cutoff_day`"),
])
def test_a_wrong_window_is_a_located_error(work: Path, window: str, message: str) -> None:
    (work / "ngoaivu.yaml").write_text(CONFIG.replace("{day: 20}", window), "utf-8")
    (work / "data").mkdir()
    result = run("validate")
    assert result.exit_code == 1
    assert "ngoaivu.yaml:10:" in result.output and message in result.output


def test_period_shows_a_types_window(log: Path) -> None:
    """``ngoaivu period --type T``: the days ``report --type T`` will take, before writing it."""
    result = run("period", "tháng 11/2017", "--type", "bao_cao_thang")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "Loại báo cáo: Báo cáo tháng (số liệu từ ngày 20 tháng trước đến ngày 20) "
        "(bao_cao_thang)", "Kỳ: tháng 11/2017",
        "Từ: 20/10/2017"]
    assert "Đến: 20/11/2017" in result.output
    data = json.loads(run("period", "tháng 11/2017", "--type", "bao_cao_thang", "--format",
                          "json").output)
    assert (data["start"], data["end"], data["window"], data["type"]["key"]) == (
        "2017-10-20", "2017-11-20", [20, 20], "bao_cao_thang")
    plain = json.loads(run("period", "tháng 11/2017", "--format", "json").output)
    assert (plain["start"], plain["end"], "type" in plain) == ("2017-11-01", "2017-11-30", False)
    wrong = run("period", "tháng 11/2017", "--type", "bao_cao_thnag")
    assert wrong.exit_code == 2 and "bao_cao_thang" in wrong.output


def test_list_and_stats_take_the_types_window(log: Path) -> None:
    """Issue 25, item 6: `list` and `stats` count what the report of the type counts."""
    calendar = run("stats", "--period", "tháng 11/2017", "--format", "json")
    typed = run("stats", "--period", "tháng 11/2017", "--type", "bao_cao_thang", "--format",
                "json")
    assert calendar.exit_code == 0 and typed.exit_code == 0, typed.output

    def count(result: Result) -> int:
        return sum(g["entries"] for g in json.loads(result.stdout)["groups"])

    assert (count(calendar), count(typed)) == (1, 2)  # 20/11 only; 20/10 and 20/11
    table = run("stats", "--period", "tháng 11/2017", "--type", "bao_cao_thang").output
    assert "(20/10/2017–20/11/2017)" in table
    listed = json.loads(run("list", "--period", "tháng 11/2017", "--type", "bao_cao_thang",
                            "--status", "done", "--format", "json").stdout)
    assert [e["date"] for e in listed] == ["2017-10-20", "2017-11-20"]
    report = json.loads(run("report", "--period", "tháng 11/2017", "--type", "bao_cao_thang",
                            "--format", "json", "-o", "-").stdout)
    assert report["period"]["start"] == "2017-10-20"


def test_list_type_needs_a_period_and_a_known_type(log: Path) -> None:
    assert run("list", "--type", "bao_cao_thang").exit_code == 2
    wrong = run("stats", "--period", "tháng 11/2017", "--type", "bao_cao_thnag")
    assert wrong.exit_code == 2 and "bao_cao_thang" in wrong.output
