"""Tests of ``ngoaivu batch`` on a copy of the shipped log: which reports are due, the summary,
re-runs that replace nothing, and failures that do not stop the other reports."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.batch import periods_due, plan_batch
from ngoaivu_cli.cli import main
from ngoaivu_cli.config import load_config
from ngoaivu_cli.errors import UsageError
from ngoaivu_cli.periods import parse_period
from ngoaivu_cli.render.report import make_report, resolve_for_report

REPO = Path(__file__).resolve().parents[1]
AUGUST = "tháng 8/2023"
# the ISO weeks ending in August 2023 (the first begins in July), then the month
AUGUST_FILES = [
    "bao-cao-ttdn-thang-2023-08-01_2023-08-31.docx",
    "bao-cao-tuan-2023-07-31_2023-08-06.docx",
    "bao-cao-tuan-2023-08-07_2023-08-13.docx",
    "bao-cao-tuan-2023-08-14_2023-08-20.docx",
    "bao-cao-tuan-2023-08-21_2023-08-27.docx",
]


@pytest.fixture
def log(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped log, with the shipped default configuration."""
    folder = tmp_path / "kho"
    shutil.copytree(REPO / "data", folder / "data")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1693440000")
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def reports(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.suffix in (".docx", ".md", ".pdf", ".json")}


def period(expr: str) -> object:
    return parse_period(expr, today=dt.date(2024, 1, 1))


def test_plan_for_a_month_is_its_weeks_and_the_month(log: Path) -> None:
    config = load_config()
    plan = plan_batch(config, period(AUGUST))
    assert sorted(str(job.output) for job in plan.jobs) == AUGUST_FILES
    weekly = [job.period.label for job in plan.jobs if job.report_type.key == "bao_cao_tuan"]
    assert weekly == ["tuần 31/2023", "tuần 32/2023", "tuần 33/2023", "tuần 34/2023"]


def test_plan_for_a_quarter_has_every_week_and_month(clean_env: Path) -> None:
    config = load_config(cwd=REPO)
    q3 = period("quý III/2023")
    weeks = periods_due(config.report_types["bao_cao_tuan"], q3)
    assert weeks[0].label == "tuần 26/2023"  # 26/6–02/7/2023 ends inside the quarter
    assert weeks[-1].label == "tuần 38/2023"  # week 39 ends on 01/10/2023
    months = periods_due(config.report_types["thong_tin_doi_ngoai_thang"], q3)
    assert [m.label for m in months] == ["tháng 7/2023", "tháng 8/2023", "tháng 9/2023"]


def test_nothing_due_is_a_usage_error(clean_env: Path) -> None:
    config = load_config(cwd=REPO)
    with pytest.raises(UsageError) as info:
        plan_batch(config, period("2023-08-24"))
    assert "không có loại báo cáo nào đến hạn" in info.value.message


def test_batch_makes_every_report_due_in_august(log: Path) -> None:
    result = run("batch", "--period", AUGUST)
    assert result.exit_code == 0, result.output
    assert sorted(reports(log)) == AUGUST_FILES
    # plain progress lines (not a terminal), then the summary table
    assert "tháng 8/2023 (01/08/2023–31/08/2023): 5 báo cáo đến hạn" in result.output
    assert "[5/5] " in result.output
    assert "5 báo cáo: 5 đã ghi, 0 lỗi" in result.stdout
    for name in AUGUST_FILES:
        assert name in result.stdout
    assert "tuần 31/2023 (31/7/2023–06/8/2023)" in result.stdout


def test_rerun_replaces_nothing_without_force(log: Path) -> None:
    assert run("batch", "--period", AUGUST).exit_code == 0
    for path in log.glob("*.docx"):
        path.write_bytes(b"sua tay")  # a user's edits must survive a re-run
    again = run("batch", "--period", AUGUST)
    assert again.exit_code == 1
    assert "5 báo cáo: 0 đã ghi, 5 lỗi" in again.stdout
    assert again.stdout.count("đã có") == 5
    assert "thêm --force để ghi đè" in again.stdout
    assert set(reports(log).values()) == {b"sua tay"}
    forced = run("batch", "--period", AUGUST, "--force")
    assert forced.exit_code == 0, forced.output
    assert b"sua tay" not in reports(log).values()


def test_same_inputs_give_the_same_files(log: Path) -> None:
    assert run("batch", "--period", AUGUST).exit_code == 0
    first = reports(log)
    assert run("batch", "--period", AUGUST, "--force").exit_code == 0
    assert reports(log) == first


def test_broken_entry_fails_only_the_reports_that_read_it(log: Path) -> None:
    broken = log / "data/2023/08/2023-08-22-hop-giao-ban.yaml"
    broken.write_text('date: "2023-08-22"\ncategory: hop_giao_ban\nsummary: "Họp giao ban"\n',
                      encoding="utf-8")
    result = run("batch", "--period", AUGUST)
    assert result.exit_code == 1
    # A report reads its own period, the next one (for its plan section) and, for activities
    # lasting several days, the days before it: week 33 plans week 34, the month covers it.
    assert sorted(reports(log)) == ["bao-cao-tuan-2023-07-31_2023-08-06.docx",
                                    "bao-cao-tuan-2023-08-07_2023-08-13.docx"]
    assert "5 báo cáo: 2 đã ghi, 3 lỗi" in result.stdout
    assert result.stdout.count("data/2023/08/2023-08-22-hop-giao-ban.yaml:2:11: error "
                               "E-UNKNOWN-CATEGORY") == 3


def test_one_failing_format_does_not_stop_the_others(log: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NGOAIVU_SOFFICE", str(log / "khong-co-libreoffice"))
    result = run("batch", "--period", AUGUST, "--types", "thong_tin_doi_ngoai_thang",
                 "--format", "docx,pdf,md", "--out", "bao-cao")
    assert result.exit_code == 1
    assert sorted(reports(log / "bao-cao")) == ["bao-cao-ttdn-thang-2023-08-01_2023-08-31.docx",
                                                "bao-cao-ttdn-thang-2023-08-01_2023-08-31.md"]
    assert "không tìm thấy LibreOffice" in result.stdout
    assert "3 báo cáo: 2 đã ghi, 1 lỗi" in result.stdout


def test_types_and_out_folder(log: Path) -> None:
    result = run("batch", "--period", AUGUST, "--types", "bao_cao_tuan", "--out", "bao-cao/2023")
    assert result.exit_code == 0, result.output
    assert sorted(reports(log / "bao-cao" / "2023")) == AUGUST_FILES[1:]
    assert reports(log) == {}


@pytest.mark.parametrize(("args", "message"), [
    (("--types", "bao_cao_tuann"), "có phải ý bạn là `bao_cao_tuan`?"),
    (("--format", "docx,doc"), 'định dạng "doc" không có'),
    (("--period", "2023-08-24"), "không có loại báo cáo nào đến hạn"),
    (("--period", "tháng 13/2023"), "tháng"),
])
def test_usage_errors(log: Path, args: tuple[str, ...], message: str) -> None:
    result = run("batch", "--period", AUGUST, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert reports(log) == {}


def test_type_not_due_in_the_period_is_named(log: Path) -> None:
    result = run("batch", "--period", "2023-W34", "--types", "thong_tin_doi_ngoai_thang")
    assert result.exit_code == 2
    assert 'loại báo cáo "thong_tin_doi_ngoai_thang" không đến hạn' in result.output


def test_a_type_with_its_own_cutoff_day_gets_its_own_period(log: Path) -> None:
    """As `resolve_for_report` rules for `ngoaivu report`: the type's cut-off applies."""
    (log / "ngoaivu.yaml").write_text(
        "version: 1\n"
        "report_types:\n"
        "  bao_cao_thang_chot:\n"
        "    name: Báo cáo tháng, chốt số liệu ngày 14\n"
        "    due: [month]\n"
        "    file_name: bao-cao-thang-chot\n"
        "    doc_kind: BÁO CÁO\n"
        "    symbol: BC-SNgV\n"
        "    title: [\"Kết quả công tác đối ngoại {{ period.label }}\"]\n"
        "    sections:\n"
        "      - heading: KẾT QUẢ THỰC HIỆN\n"
        "    signer: giam_doc\n"
        "    cutoff_day: 14\n", encoding="utf-8")
    batch = run("batch", "--period", AUGUST, "--types", "bao_cao_thang_chot,bao_cao_tuan",
                "--format", "md", "--out", "batch")
    assert batch.exit_code == 0, batch.output
    config = load_config()
    seen, _rt = resolve_for_report(config, AUGUST, "bao_cao_thang_chot")
    single = make_report(config, seen, type_name="bao_cao_thang_chot", fmt="md", to_stdout=True)
    made = reports(log / "batch")
    assert "bao-cao-thang-chot-2023-07-15_2023-08-14.md" in made
    assert made["bao-cao-thang-chot-2023-07-15_2023-08-14.md"].decode() == single.text
    # the weekly type has no cut-off of its own: still the weeks ending in calendar August
    assert sorted(n for n in made if n.startswith("bao-cao-tuan")) == [
        n.replace(".docx", ".md") for n in AUGUST_FILES[1:]]


def _planned_in_august(folder: Path) -> Path:
    """A plan dated inside August: the monthly report (plans of September) cannot print it."""
    path = folder / "data" / "2023" / "08" / "2023-08-16-ke-hoach-trong-thang.yaml"
    path.write_text("date: 2023-08-16\ncategory: thong_tin_doi_ngoai\nstatus: planned\n"
                    "tags: [ttdn]\nsummary: Kế hoạch tuyên truyền giữa tháng.\n", "utf-8")
    return path


def test_batch_says_what_each_report_leaves_out(log: Path) -> None:
    """Like `report`: the warnings of each written report, named by its row and file."""
    _planned_in_august(log)
    result = run("batch", "--period", AUGUST, "--types", "thong_tin_doi_ngoai_thang")
    assert result.exit_code == 0, result.output
    # the plan it cannot print, and (issue 25) that it prints none of August's activities:
    # the shipped log's August entries are the weekly report's, none tagged `ttdn`
    assert "đã ghi, 2 cảnh báo [1]" in result.output
    assert "W-ENTRY-DROPPED" in result.output and "W-REPORT-EMPTY" in result.output
    assert "data/2023/08/2023-08-16-ke-hoach-trong-thang.yaml:1:1" in result.output
    assert result.output.rstrip().endswith("2 cảnh báo (--strict để coi là lỗi)")
    assert (log / "bao-cao-ttdn-thang-2023-08-01_2023-08-31.docx").is_file()


def test_batch_strict_fails_only_the_reports_that_leave_something_out(log: Path) -> None:
    """The plan of 16/8 lies in the month and in the week 14/8-20/8: those two reports fail
    (nothing written), the three other weeks are written."""
    _planned_in_august(log)
    result = run("batch", "--period", AUGUST, "--strict")
    assert result.exit_code == 1, result.output
    assert result.output.count("--strict coi cảnh báo là lỗi") == 2
    failed = ["bao-cao-ttdn-thang-2023-08-01_2023-08-31.docx",
              "bao-cao-tuan-2023-08-14_2023-08-20.docx"]
    assert sorted(reports(log)) == [f for f in AUGUST_FILES if f not in failed]
    assert "3 đã ghi, 2 lỗi" in result.output


def test_batch_without_anything_left_out_prints_no_warning(log: Path) -> None:
    # one `ttdn` activity in August: the monthly report prints something (issue 25: a report
    # printing none of the period's activities warns, W-REPORT-EMPTY)
    (log / "data" / "2023" / "08" / "2023-08-10-tuyen-truyen.yaml").write_text(
        "date: 2023-08-10\ncategory: thong_tin_doi_ngoai\ntags: [ttdn]\n"
        "summary: Tuyên truyền về quan hệ Việt Nam - Lào.\n", "utf-8")
    result = run("batch", "--period", AUGUST, "--strict")
    assert result.exit_code == 0, result.output
    assert "cảnh báo" not in result.output
