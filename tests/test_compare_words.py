"""Comparisons say what they mean (issue 25, item 11): a true zero is not "no data", the
headings of `stats --compare` say each thing once and no 1900 start, windows of different
lengths get a remark, `stats` gives the warnings `report` gives of the same official figures,
official figures that a cumulative scope leaves out are said, and headings pad months as the
office does."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ngoaivu_cli.cli import main
from ngoaivu_cli.figures import Figure, change, times
from tests.test_scopes import TODAY, two_years  # noqa: F401  (the fixture)


def _run(*args: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, [*args, "--today", TODAY.isoformat()],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_a_true_zero_is_not_missing_data() -> None:
    zero = Figure(0, scope="last_year", unit="đoàn", counted=True)
    assert change(Figure(7, unit="đoàn"), zero) == "tăng 07 đoàn"
    assert change(Figure(0, unit="đoàn"), zero) == "bằng cùng kỳ"
    assert change(Figure(7), Figure(0, scope="previous", counted=True)) == "tăng 07"
    assert change(Figure(7), zero, zero="mới có") == "mới có"
    assert times(Figure(7), zero) == "cùng kỳ không có"
    # no activity in the window (or no window): no data, as before
    assert change(Figure(7), Figure(0, scope="last_year")) == "chưa có số liệu cùng kỳ"
    assert change(Figure(7), Figure(None, scope="last_year", counted=True)) == \
        "chưa có số liệu cùng kỳ"


def test_stats_headings_say_each_thing_once(two_years: Path) -> None:  # noqa: F811
    ytd, _ = _run("stats", "--period", "tháng 7/2023", "--compare", "ytd")
    assert ytd.splitlines()[0] == ("Thống kê tháng 7/2023 (01/07/2023–31/07/2023), theo lĩnh "
                                   "vực, so với số liệu 7 tháng đầu năm 2023 "
                                   "(01/01/2023–31/07/2023):")
    cumulative, _ = _run("stats", "--period", "tháng 7/2023", "--compare", "lũy-kế")
    assert cumulative.splitlines()[0].endswith("so với số liệu lũy kế đến ngày 31/7/2023:")
    year, _ = _run("stats", "--period", "năm 2023", "--compare", "ytd")
    assert "năm năm" not in year and "so với số liệu năm 2023 (01/01/2023–31/12/2023):" in year
    same, _ = _run("stats", "--period", "tháng 7/2023", "--compare", "ytd-last-year")
    assert "so với cùng kỳ 7 tháng đầu năm 2022 (01/01/2022–31/07/2022):" in same
    for out in (ytd, cumulative, year, same):
        assert "1900" not in out and "từ đầu năm 7" not in out and "lũy kế lũy kế" not in out
    period, _ = _run("period", "tháng 7/2023", "--compare", "lũy-kế")
    assert period.splitlines()[-1] == "So sánh với (lũy kế): lũy kế đến ngày 31/7/2023"
    listed, _ = _run("list", "--period", "tháng 7/2023", "--compare", "lũy-kế")
    assert listed.splitlines()[0] == "Lũy kế của tháng 7/2023: lũy kế đến ngày 31/7/2023"


def test_windows_of_different_lengths_get_a_remark(two_years: Path) -> None:  # noqa: F811
    note = ("Lưu ý: hai khoảng dài khác nhau (tháng 7/2023: 31 ngày; 7 tháng đầu năm 2022: 212 "
            "ngày); mức tăng, giảm là so sánh hai khoảng không cùng độ dài")
    text, _ = _run("stats", "--period", "tháng 7/2023", "--compare", "ytd-last-year")
    assert text.splitlines()[1] == note
    data = json.loads(_run("stats", "--period", "tháng 7/2023", "--compare", "ytd-last-year",
                           "--format", "json")[0])
    assert data["compare"]["note"] == note
    period, _ = _run("period", "tháng 7/2023", "--compare", "ytd-last-year")
    assert period.splitlines()[-1] == note
    for alike in ("previous", "cùng-kỳ", "ytd"):  # 31 and 30 days; the same month; a share
        text, _ = _run("stats", "--period", "tháng 7/2023", "--compare", alike)
        assert "dài khác nhau" not in text


def _official(root: Path, scope: str, doan_ra: int, day: str = "2023-07-31") -> None:
    folder = root / "data" / day[:4] / day[5:7]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day}-so-lieu-chinh-thuc.yaml").write_text(
        f"date: {day}\ncategory: doan_ra_doan_vao\nsummary: Số liệu công bố.\n"
        f"official:\n  scope: {scope}\n  metrics: {{doan_ra: {doan_ra}}}\n", "utf-8")


def test_stats_warns_of_an_official_figure_as_report_does(two_years: Path) -> None:  # noqa: F811
    """A share over 100% ("chiếm 200%") comes from an official figure that differs from the
    activities: `report` warns W-OFFICIAL-DIFFERS, and now so does `stats`, in the same words."""
    _official(two_years, "7 tháng đầu năm 2023", 1)
    out, err = _run("stats", "--period", "tháng 7/2023", "--compare", "ytd")
    assert "Đoàn ra (đoàn): 2 (từ đầu năm: 1; chiếm 200%)" in out
    warning = [line for line in err.splitlines() if "W-OFFICIAL-DIFFERS" in line]
    assert len(warning) == 1 and "là 1 đoàn, khác tổng cộng từ các hoạt động (6 đoàn)" in warning[0]
    report = CliRunner().invoke(main, ["report", "--period", "tháng 7/2023", "--type",
                                       "bao_cao_dinh_ky", "--compare", "ytd", "--format", "md",
                                       "-o", "-", "--today", TODAY.isoformat()])
    assert warning[0] in report.stderr
    data = json.loads(_run("stats", "--period", "tháng 7/2023", "--compare", "ytd",
                           "--format", "json")[0])
    assert [w["code"] for w in data["warnings"]] == ["W-OFFICIAL-DIFFERS"]
    _, plain = _run("stats", "--period", "7 tháng đầu năm 2023")
    assert warning[0] in plain


def test_an_official_figure_the_cumulative_scope_leaves_out_is_said(two_years: Path  # noqa: F811
                                                                    ) -> None:
    _official(two_years, "năm 2022", 10, "2022-12-31")
    _, err = _run("stats", "--period", "tháng 7/2023", "--compare", "lũy-kế")
    assert "W-OFFICIAL-UNUSED" in err
    assert "số liệu chính thức năm 2022 không được tính vào lũy kế đến ngày 31/7/2023" in err
    # in a report that prints the cumulative figure too, and --strict fails on it
    result = CliRunner().invoke(main, ["report", "--period", "tháng 7/2023", "--type", "so_lieu",
                                       "--format", "md", "-o", "-", "--today",
                                       TODAY.isoformat()])
    assert result.exit_code == 0 and "W-OFFICIAL-UNUSED" in result.stderr
    strict = CliRunner().invoke(main, ["report", "--period", "tháng 7/2023", "--type", "so_lieu",
                                       "--format", "md", "-o", "x.md", "--strict", "--today",
                                       TODAY.isoformat()])
    assert strict.exit_code == 1
    # the year it stands for uses it, with no such warning
    _, year = _run("stats", "--period", "năm 2022")
    assert "W-OFFICIAL-UNUSED" not in year


def test_stats_headings_pad_months_as_the_office_does(two_years: Path) -> None:  # noqa: F811
    config = two_years / "ngoaivu.yaml"
    config.write_text(config.read_text("utf-8") + "formatting: {pad_months: all}\n", "utf-8")
    out, _ = _run("stats", "--period", "tháng 7/2023")
    assert out.startswith("Thống kê tháng 07/2023 (01/07/2023–31/07/2023)")
    out, _ = _run("stats", "--period", "tháng 7/2023", "--compare", "cùng-kỳ")
    assert out.startswith("Thống kê tháng 07/2023 (01/07/2023–31/07/2023), theo lĩnh vực, so "
                          "với cùng kỳ tháng 07/2022 (01/07/2022–31/07/2022):")
