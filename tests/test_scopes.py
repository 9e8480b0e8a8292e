"""Scopes (ngoaivu_cli.scopes): a two-year log where every printed figure is checked against
sums written out by hand below, the windows of each scope, and properties: the year to date of
month m is the sum of months 1..m under every cut-off; the same period last year of a period
holding 29/02."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ngoaivu_cli.cli import main
from ngoaivu_cli.config import load_config
from ngoaivu_cli.errors import SourceLoc
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.periods import parse_period
from ngoaivu_cli.scopes import (
    Scopes,
    metric_sums,
    minus_year,
    previous_period,
    same_period_last_year,
    scope_window,
    section_filter,
    used_scopes,
    windows_to_load,
    year_start,
)

TODAY = dt.date(2024, 3, 1)

# date, category, metrics, extra fields: the two-year log
LOG = [
    ("2022-01-10", "doan_ra_doan_vao", {"doan_ra": 1, "luot_ra": 3}, {"partners": ["Lào"]}),
    ("2022-03-05", "doan_ra_doan_vao", {"doan_ra": 2, "luot_ra": 5},
     {"partners": ["Lào", "Nhật Bản"], "tags": ["lao"]}),
    ("2022-07-08", "vien_tro_ngo", {"vien_tro_giai_ngan_usd": 550000}, {}),
    ("2022-07-12", "doan_ra_doan_vao", {"doan_ra": 1, "luot_ra": 4}, {"partners": ["Hàn Quốc"]}),
    ("2022-07-20", "doan_ra_doan_vao", {"doan_vao": 2, "luot_khach": 10},
     {"partners": ["Nhật Bản"]}),
    ("2022-12-30", "doan_ra_doan_vao", {"doan_ra": 3, "luot_ra": 9}, {}),
    ("2023-01-15", "doan_ra_doan_vao", {"doan_ra": 2, "luot_ra": 6},
     {"partners": ["Lào"], "tags": ["lao"]}),
    ("2023-02-28", "doan_ra_doan_vao", {"doan_ra": 1, "luot_ra": 2},
     {"partners": ["lào"], "tags": ["lao"]}),
    ("2023-06-14", "doan_ra_doan_vao", {"doan_ra": 1, "luot_ra": 1}, {}),
    ("2023-06-15", "doan_ra_doan_vao", {"doan_vao": 1, "luot_khach": 5}, {}),
    ("2023-07-03", "doan_ra_doan_vao", {"doan_ra": 2, "luot_ra": 7},
     {"partners": ["Hàn Quốc", "Đức"]}),
    ("2023-07-10", "vien_tro_ngo",
     {"vien_tro_cam_ket_usd": 1500000, "vien_tro_giai_ngan_usd": 385500}, {}),
    ("2023-07-25", "doan_ra_doan_vao", {"doan_ra": 5, "luot_ra": 20}, {"status": "planned"}),
]

CONFIG = """\
version: 1
extends: default
periods:
  terms:
    - name: 2022-2027
      start: "2022-07-01"
      end: "2027-06-30"
report_types:
  so_lieu:
    name: Số liệu các phạm vi
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Số liệu {{ period.label }}: {{ m.entries }} hoạt động, {{ ytd.entries }} từ đầu năm"]
    sections:
      - heading: "Đoàn ra ({{ ytd.label }})"
        categories: [doan_ra_doan_vao]
        entries: false
        text: >-
          Kỳ: {{ m.doan_ra }} đoàn, {{ m.luot_ra }} lượt, {{ m.partners }} đối tác /
          từ đầu năm: {{ ytd.doan_ra }} đoàn, {{ ytd.luot_ra }} lượt, {{ ytd.partners }} đối tác /
          nhiệm kỳ: {{ ttd.doan_ra }} / lũy kế: {{ cumulative.doan_ra }} /
          kỳ trước ({{ previous.label }}): {{ previous.doan_ra }} đoàn, {{ previous.doan_vao }} đoàn vào /
          cùng kỳ ({{ last_year.label }}, năm {{ last_year.year }}): {{ last_year.doan_ra }} đoàn,
          {{ last_year.luot_ra }} lượt, {{ last_year.doan_vao }} đoàn vào /
          {{ m.doan_ra | change(last_year.doan_ra) }}; {{ m.luot_ra | change(last_year.luot_ra) }};
          {{ m.doan_vao | change(last_year.doan_vao) }}; {{ m.doan_ra | change(previous.doan_ra) }} /
          {{ ytd_last_year.label }}: {{ ytd_last_year.doan_ra }} đoàn,
          {{ ytd.doan_ra | change(ytd_last_year.doan_ra) }}
      - heading: Lào
        tags: [lao]
        entries: false
        text: "{{ m.doan_ra }} / {{ ytd.doan_ra }} / {{ last_year.doan_ra }} / {{ cumulative.doan_ra }}"
      - heading: Viện trợ
        categories: [vien_tro_ngo]
        entries: false
        text: >-
          giải ngân {{ m.vien_tro_giai_ngan_usd }} USD, đạt
          {{ m.vien_tro_giai_ngan_usd | percent_of(m.vien_tro_cam_ket_usd) }} cam kết,
          {{ m.vien_tro_giai_ngan_usd | change(last_year.vien_tro_giai_ngan_usd) }} so với năm
          {{ last_year.year }}; {{ m.vien_tro_cam_ket_usd | change(last_year.vien_tro_cam_ket_usd) }}
    signer: giam_doc
"""


def _write_log(root: Path) -> None:
    (root / "ngoaivu.yaml").write_text(CONFIG, "utf-8")
    for i, (day, category, metrics, extra) in enumerate(LOG):
        folder = root / "data" / day[:4] / day[5:7]
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"date: {day}", f"category: {category}",
                 f"summary: Hoạt động số {i} ngày {day}.",
                 f"status: {extra.get('status', 'done')}"]
        for key in ("partners", "tags"):
            if key in extra:
                lines.append(f"{key}: [{', '.join(extra[key])}]")
        lines.append("metrics:")
        lines += [f"  {k}: {v}" for k, v in metrics.items()]
        (folder / f"{day}-hoat-dong-{i}.yaml").write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture
def two_years(tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _write_log(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _md(*args: str) -> str:
    result = CliRunner().invoke(main, ["report", "--today", TODAY.isoformat(), *args,
                                       "--format", "md", "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_every_scope_of_july_2023(two_years: Path) -> None:
    text = _md("--period", "tháng 7/2023", "--type", "so_lieu")
    # July 2023, delegations (the planned one of 25/7 is no result): 03/7 only
    m_doan_ra, m_luot_ra = 2, 7
    # 15/1, 28/2, 14/6, 03/7
    ytd_doan_ra, ytd_luot_ra = 2 + 1 + 1 + 2, 6 + 2 + 1 + 7
    # term from 01/7/2022: 12/7/2022, 30/12/2022, then 2023
    ttd = 1 + 3 + ytd_doan_ra
    cumulative = 1 + 2 + 1 + 3 + ytd_doan_ra
    # June 2023: 14/6 (one delegation out), 15/6 (one in); July 2022: 12/7 out, 20/7 in
    previous_ra, previous_vao = 1, 1
    last_ra, last_luot, last_vao = 1, 4, 2
    # January to July 2022: 10/1, 05/3, 12/7
    ytd_last = 1 + 2 + 1
    assert (ytd_doan_ra, ytd_luot_ra, ttd, cumulative, ytd_last) == (6, 16, 10, 13, 4)
    assert "Số liệu tháng 7/2023: 02 hoạt động, 06 từ đầu năm" in text  # done: 03/7, 10/7
    assert "ĐOÀN RA (7 THÁNG ĐẦU NĂM 2023)" in text  # a Mục heading: heading_case upper
    assert ("Kỳ: 02 đoàn, 07 lượt, 02 đối tác / từ đầu năm: 06 đoàn, 16 lượt, 03 đối tác / "
            "nhiệm kỳ: 10 / lũy kế: 13 / kỳ trước (tháng 6/2023): 01 đoàn, 01 đoàn vào / "
            "cùng kỳ (tháng 7/2022, năm 2022): 01 đoàn, 04 lượt, 02 đoàn vào / "
            "gấp 2 lần; tăng 75%; giảm 100%; gấp 2 lần / "
            "7 tháng đầu năm 2022: 04 đoàn, tăng 50%") in text
    assert m_doan_ra / last_ra == 2 and m_luot_ra / last_luot == 1.75
    assert previous_ra == 1 and previous_vao == 1 and last_vao == 2
    # the tag filter: 05/3/2022, 15/1 and 28/2/2023 are tagged lao
    assert "LÀO** 0 / 03 / 0 / 05" in text
    # 385.500 of 1.500.000 is 25,7 %; 550.000 a year before: down 29,9 %
    # nothing committed in July 2022, a month the log has activities of: a true zero, not "no
    # data" (issue 25, item 11)
    assert ("giải ngân 385.500 USD, đạt 25,7% cam kết, giảm 30% so với năm 2022; "
            "tăng 1.500.000 USD") in text


def test_monthly_report_prints_the_year_to_date_delegations(two_years: Path) -> None:
    text = _md("--period", "tháng 7/2023", "--type", "thong_tin_doi_ngoai_thang")
    assert ("- Đoàn ra, đoàn vào: trong tháng, tham mưu tỉnh làm thủ tục cho 02 đoàn ra với 07 "
            "lượt cán bộ; tính chung từ đầu năm đến nay: 06 đoàn ra với 16 lượt cán bộ, 01 đoàn "
            "vào với 05 lượt khách.") in text
    # January: the year to date is the month itself, said once
    text = _md("--period", "tháng 01/2023", "--type", "thong_tin_doi_ngoai_thang")
    assert ("- Đoàn ra, đoàn vào: trong tháng, tham mưu tỉnh làm thủ tục cho 02 đoàn ra với 06 "
            "lượt cán bộ.") in text
    # a month with none, after months with some
    text = _md("--period", "tháng 5/2023", "--type", "thong_tin_doi_ngoai_thang")
    assert ("- Đoàn ra, đoàn vào: trong tháng không có đoàn ra, đoàn vào; tính chung từ đầu năm "
            "đến nay: 03 đoàn ra với 08 lượt cán bộ, 0 đoàn vào với 0 lượt khách.") in text


def test_quarterly_report_adds_the_year_to_date_sentence(two_years: Path) -> None:
    text = _md("--period", "quý III/2023")
    assert ("Tính chung từ đầu năm đến nay, tham mưu tỉnh làm thủ tục cho 06 đoàn với 16 lượt "
            "CBCCVC đi công tác nước ngoài; đón tiếp 01 đoàn với 05 lượt khách quốc tế.") in text
    assert "Tính chung" not in _md("--period", "quý I/2023")  # the quarter is the year so far


def test_half_year_appendix_compares_with_the_same_period_last_year(two_years: Path) -> None:
    text = _md("--period", "6 tháng đầu năm 2023")
    assert "(So sánh với cùng kỳ: 6 tháng đầu năm 2022)" in text
    # H1 2023: 15/1, 28/2, 14/6, 15/6; H1 2022: 10/1, 05/3
    assert "| Số hoạt động | 04 | 02 | gấp 2 lần |" in text
    assert "| Đoàn ra | 04 đoàn | 03 đoàn | tăng 33% |" in text  # 4 vs 1 + 2
    assert "| Lượt cán bộ đi công tác nước ngoài | 09 lượt | 08 lượt | tăng 13% |" in text
    assert "| Đoàn vào | 01 đoàn | không có | tăng 01 đoàn |" in text  # a true zero
    # a metric non-zero only last year still has its row (the aid disbursed in 07/2022 is in
    # the second half: not here)
    assert "viện trợ" not in text.split("Phụ lục")[1]


def test_year_appendix_keeps_a_group_present_only_last_year(two_years: Path) -> None:
    text = _md("--period", "năm 2023").split("Phụ lục")[1]
    # disbursement: 385.500 in 2023 vs 550.000 in 2022
    assert "| Giá trị viện trợ giải ngân | 385.500 USD | 550.000 USD | giảm 30% |" in text
    assert "| Giá trị viện trợ cam kết | 1.500.000 USD | không có | tăng 1.500.000 USD |" in text
    # delegations out: 2023 has 2 + 1 + 1 + 2 = 6; 2022 has 1 + 2 + 1 + 3 = 7
    assert "| Đoàn ra | 06 đoàn | 07 đoàn | giảm 14% |" in text


def test_a_report_reads_only_the_files_of_its_scopes(two_years: Path, reads: list[str]) -> None:
    _md("--period", "tháng 7/2023", "--type", "thong_tin_doi_ngoai_thang")  # month + ytd
    # 2023 and, as for any window, the 31 days before it (an activity may run on into it)
    assert sorted(reads) == sorted(n for n in reads if n >= "2022-12-01")
    assert "2023-01-15-hoat-dong-6.yaml" in reads and "2022-07-12-hoat-dong-3.yaml" not in reads
    reads.clear()
    _md("--period", "tháng 7/2023", "--type", "bao_cao_tuan")  # no scope: month and next
    assert sorted(reads) == sorted(n for n in reads if n.startswith(("2023-06", "2023-07")))
    assert not any(name.startswith(("2023-01", "2023-02", "2022-")) for name in reads)


def test_a_scope_named_under_a_condition_that_fails_reads_nothing_more(
    two_years: Path, reads: list[str]
) -> None:
    """The weekly report's strings name ``ytd`` only for months and quarters (``{% if
    period.kind in ['month', 'quarter'] and ytd... %}``): a week reads its own files (and the
    next week's), not the year so far; a month that prints ``ytd`` reads it."""
    assert "ytd" in used_scopes(load_config(None).report_types["bao_cao_tuan"],
                                load_config(None))
    _md("--period", "2023-W28", "--type", "bao_cao_tuan")  # 10/7–16/7/2023
    assert reads and all(n >= "2023-06-09" for n in reads)  # the week, 31 days before, next
    reads.clear()
    _md("--period", "tháng 7/2023", "--type", "thong_tin_doi_ngoai_thang")
    assert "2023-01-15-hoat-dong-6.yaml" in reads


def test_a_broken_file_stops_a_report_when_its_scope_is_read(two_years: Path) -> None:
    (two_years / "data/2023/02/2023-02-10-hong.yaml").write_text(
        "date: 2023-02-10\ncategory: khong_co\nsummary: Hỏng\n", "utf-8")
    week = CliRunner().invoke(main, ["report", "--period", "2023-W28", "--format", "md",
                                     "-o", "-"], catch_exceptions=False)
    assert week.exit_code == 0, week.output  # the week never reads February
    month = CliRunner().invoke(main, ["report", "--period", "tháng 7/2023", "--type",
                                      "thong_tin_doi_ngoai_thang", "--format", "md", "-o", "-"],
                               catch_exceptions=False)
    assert month.exit_code == 1
    assert "2023-02-10-hong.yaml" in month.stderr and "khong_co" in month.stderr
    assert "không điền được" not in month.stderr  # the data error itself, not a fill error


def test_validate_accepts_scopes_and_names_a_misspelt_one(two_years: Path) -> None:
    result = CliRunner().invoke(main, ["validate"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    config = (two_years / "ngoaivu.yaml").read_text("utf-8")
    for wrong, said in (("{{ ytd.luot_raa }}", "có phải ý bạn là `ytd.luot_ra`?"),
                        ("{{ ytdd.luot_ra }}", "biến `ytdd` không có"),
                        ("{{ m.luot_ra | chang(last_year.luot_ra) }}", "không có bộ lọc `chang`")):
        (two_years / "ngoaivu.yaml").write_text(
            config.replace("{{ ytd.luot_ra }}", wrong), "utf-8")
        result = CliRunner().invoke(main, ["validate"], catch_exceptions=False)
        assert result.exit_code == 1
        assert "ngoaivu.yaml:" in result.output and said in result.output


# --- windows ---------------------------------------------------------------------------------


def _p(expr: str, cutoff: int | None = None) -> object:
    return parse_period(expr, today=TODAY, cutoff_day=cutoff)


def test_windows_of_each_scope() -> None:
    july = _p("tháng 7/2023")
    assert scope_window("ytd", july).start == dt.date(2023, 1, 1)  # type: ignore[arg-type, union-attr]
    assert previous_period(_p("tháng 01/2023")).label == "tháng 12/2022"  # type: ignore[arg-type, union-attr]
    assert previous_period(_p("quý I/2023")).label == "quý IV/2022"  # type: ignore[arg-type, union-attr]
    assert previous_period(_p("6 tháng cuối năm 2023")).label == "6 tháng đầu năm 2023"  # type: ignore[arg-type, union-attr]
    assert previous_period(_p("9 tháng đầu năm 2023")).label == "9 tháng đầu năm 2022"  # type: ignore[arg-type, union-attr]
    assert previous_period(_p("tuần 1/2023")).label == "tuần 52/2022"  # type: ignore[arg-type, union-attr]
    days = previous_period(_p("2023-08-24:2023-08-31"))  # type: ignore[arg-type]
    assert (days.start, days.end) == (dt.date(2023, 8, 16), dt.date(2023, 8, 23))  # type: ignore[union-attr]
    assert same_period_last_year(_p("quý III/2023")).label == "quý III/2022"  # type: ignore[arg-type, union-attr]
    assert same_period_last_year(_p("tuần 53/2020")).label == "tuần 52/2019"  # type: ignore[arg-type, union-attr]
    # with the cut-off of Nghị định 09/2019: the year runs from 15/12 of the year before
    cut = _p("tháng 7/2023", 14)
    assert year_start(cut) == dt.date(2022, 12, 15)  # type: ignore[arg-type]
    assert same_period_last_year(cut).start == dt.date(2022, 6, 15)  # type: ignore[arg-type, union-attr]
    assert scope_window("ytd", _p("tháng 01/2023", 14)).label == "tháng 01/2023"  # type: ignore[arg-type, union-attr]
    # no term holds 2030: no term-to-date figure
    assert scope_window("ttd", _p("tháng 7/2030")) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(("expr", "start", "end"), [
    ("2024-02-29", dt.date(2023, 2, 28), dt.date(2023, 2, 28)),
    ("2024-02-01:2024-02-29", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
    ("2024-02-29:2024-03-05", dt.date(2023, 2, 28), dt.date(2023, 3, 5)),
    ("tháng 02/2024", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
    ("quý I/2024", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
])
def test_same_period_last_year_of_a_leap_day_period(expr: str, start: dt.date,
                                                    end: dt.date) -> None:
    p = same_period_last_year(_p(expr))  # type: ignore[arg-type]
    assert p is not None and (p.start, p.end) == (start, end)


@given(st.dates(min_value=dt.date(1904, 1, 1), max_value=dt.date(2196, 12, 31)))
def test_the_year_before_of_any_day(d: dt.date) -> None:
    before = minus_year(d)
    assert before.year == d.year - 1 and before.month == d.month
    assert before.day == d.day or (d.month, d.day, before.day) == (2, 29, 28)


def test_windows_to_load_merges_what_touches() -> None:
    july = _p("tháng 7/2023")
    assert windows_to_load(july, [], (), 31) == [(dt.date(2023, 7, 1), dt.date(2023, 8, 31))]  # type: ignore[arg-type]
    assert windows_to_load(july, ["ytd", "last_year"], (), 31) == [  # type: ignore[arg-type]
        (dt.date(2022, 7, 1), dt.date(2022, 7, 31)), (dt.date(2023, 1, 1), dt.date(2023, 8, 31))]


def test_used_scopes_of_the_shipped_types() -> None:
    config = load_config(cwd=Path("/"))
    assert used_scopes(config.report_types["thong_tin_doi_ngoai_thang"], config) >= {"ytd"}
    assert used_scopes(config.report_types["bao_cao_dinh_ky"], config) >= {"ytd", "last_year"}


# --- properties ------------------------------------------------------------------------------

_CONFIG = load_config(cwd=Path("/"))


def _entry(d: dt.date, n: int, i: int) -> Entry:
    return Entry(SourceLoc(f"data/{d}-x.yaml"), d, "doan_ra_doan_vao", "x",
                 metrics=(("doan_ra", n),), index=i)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.dates(min_value=dt.date(2022, 11, 1),
                                   max_value=dt.date(2023, 12, 31)),
                          st.integers(min_value=0, max_value=50)), max_size=40),
       st.one_of(st.none(), st.integers(min_value=1, max_value=31)),
       st.integers(min_value=1, max_value=12))
def test_ytd_of_month_m_is_the_sum_of_months_1_to_m(days: list[tuple[dt.date, int]],
                                                    cutoff: int | None, month: int) -> None:
    entries = [_entry(d, n, i) for i, (d, n) in enumerate(days)]
    select = section_filter()
    period = parse_period(f"tháng {month}/2023", today=TODAY, cutoff_day=cutoff)
    ytd = Scopes(period, _CONFIG, entries).sums("ytd", select)
    total = 0
    for k in range(1, month + 1):
        p = parse_period(f"tháng {k}/2023", today=TODAY, cutoff_day=cutoff)
        total += metric_sums([e for e in entries if p.contains(e.date)], _CONFIG)["doan_ra"]  # type: ignore[arg-type]
    assert ytd is not None and ytd["doan_ra"] == total


# --- ngoaivu stats --compare -------------------------------------------------------------------


def _stats(*args: str) -> str:
    result = CliRunner().invoke(main, ["stats", "--today", TODAY.isoformat(), *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stats_compare_with_the_same_period_last_year(two_years: Path) -> None:
    text = _stats("--period", "6 tháng đầu năm 2023", "--compare", "cùng-kỳ")
    assert ("so với cùng kỳ 6 tháng đầu năm 2022 (01/01/2022–30/06/2022):") in text
    # H1 2023: 15/1, 28/2, 14/6, 15/6 against 10/1 and 05/3/2022
    assert "Tổ chức và quản lý đoàn ra, đoàn vào: 4 hoạt động (cùng kỳ: 2; gấp 2 lần)" in text
    assert "  Đoàn ra (đoàn): 4 (cùng kỳ: 3; tăng 33%)" in text
    # none in H1 2022, a half year the log has activities of: a true zero (issue 25, item 11)
    assert "  Đoàn vào (đoàn): 1 (cùng kỳ: 0; tăng 1 đoàn)" in text
    assert text == _stats("--period", "6 tháng đầu năm 2023", "--compare", "last-year")


def test_stats_compare_csv_and_json(two_years: Path) -> None:
    csv_text = _stats("--period", "tháng 7/2023", "--compare", "ytd", "--format", "csv")
    lines = csv_text.splitlines()
    assert lines[0] == ("Lĩnh vực,Chỉ tiêu,Đơn vị,tháng 7/2023,từ đầu năm (7 tháng đầu năm "
                        "2023),Thay đổi")
    # July: 2 of the 6 delegations out of the year so far, 7 of 16 persons
    assert ',Đoàn ra,đoàn,2,6,"chiếm 33,3%"' in lines
    assert ',Lượt cán bộ đi công tác nước ngoài,lượt,7,16,"chiếm 43,8%"' in lines
    import json

    data = json.loads(_stats("--period", "tháng 7/2023", "--compare", "previous",
                             "--format", "json"))
    assert data["compare"] == {"scope": "previous", "label": "tháng 6/2023",
                               "start": "2023-06-01", "end": "2023-06-30"}
    delegations = data["groups"][0]
    assert delegations["key"] == "doan_ra_doan_vao"
    assert delegations["entries"] == {"value": 1, "base": 2, "change": "giảm 50%", "text": "1",
                                      "base_text": "2"}
    assert delegations["metrics"]["doan_ra"]["change"] == "gấp 2 lần"
    assert delegations["metrics"]["doan_vao"] == {
        "label": "Đoàn vào", "unit": "đoàn", "value": 0, "base": 1, "change": "giảm 100%",
        "text": "0", "base_text": "1"}
    assert data["total"]["label"] == "Tổng cộng"


def test_stats_compare_refuses_an_unknown_scope(two_years: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--period", "tháng 7/2023", "--compare", "xx"])
    assert result.exit_code == 2
    assert "không có phạm vi “xx”" in result.output and "last-year" in result.output


# --- period expressions ------------------------------------------------------------------------


def test_year_to_date_and_cumulative_period_expressions() -> None:
    today = dt.date(2023, 8, 15)
    p = parse_period("từ đầu năm đến nay", today=today)
    assert (p.start, p.end, p.label) == (dt.date(2023, 1, 1), today, "từ đầu năm đến nay")
    # under the cut-off the reporting year 2024 has begun on 15/12/2023
    p = parse_period("Từ đầu năm tới nay", today=dt.date(2023, 12, 20), cutoff_day=14)
    assert (p.start, p.end) == (dt.date(2023, 12, 15), dt.date(2023, 12, 20))
    p = parse_period("luỹ kế đến nay", today=today)
    assert (p.start, p.end, p.label) == (dt.date(1900, 1, 1), today, "lũy kế đến nay")
    from ngoaivu_cli.errors import PeriodError

    with pytest.raises(PeriodError, match="cần “đến nay”"):
        parse_period("từ đầu năm", today=today)


def test_stats_of_the_year_so_far(two_years: Path) -> None:
    text = _stats("--period", "từ đầu năm đến nay", "--today", "2023-07-31")
    # 15/1, 28/2, 14/6, 15/6, 03/7 (the planned 25/7 is no result)
    assert "Tổ chức và quản lý đoàn ra, đoàn vào: 5 hoạt động" in text
    assert "  Đoàn ra (đoàn): 6" in text


# --- --compare in period, list and report; "cùng kỳ năm trước của ..." ---------------------------


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, [*args[:1], "--today", TODAY.isoformat(), *args[1:]],
                              catch_exceptions=False)


def test_period_compare_prints_the_other_window(two_years: Path) -> None:
    result = _run("period", "6 tháng đầu năm 2023", "--compare", "cùng-kỳ")
    assert result.exit_code == 0, result.output
    assert ("So sánh với (cùng kỳ): 6 tháng đầu năm 2022, từ 01/01/2022 đến 30/06/2022"
            in result.stdout)
    import json

    data = json.loads(_run("period", "tháng 7/2023", "--compare", "ytd", "--format",
                           "json").stdout)
    assert data["compare"] == {"scope": "ytd", "label": "7 tháng đầu năm 2023",
                               "start": "2023-01-01", "end": "2023-07-31"}
    data = json.loads(_run("period", "quý I/2023", "--compare", "kỳ-trước", "--format",
                           "json").stdout)
    assert data["compare"]["label"] == "quý IV/2022"


@pytest.mark.parametrize(("args", "said"), [
    (("period", "lũy kế đến nay", "--compare", "last-year"), "không có kỳ nào trước nó"),
    (("period", "2022-12-01:2023-02-01", "--compare", "ytd"), "không chứa cả kỳ"),
    (("period", "tháng 7/2030", "--compare", "ttd"), "không nhiệm kỳ nào chứa ngày 31/7/2030"),
    (("list", "--compare", "last-year"), "--compare cần --period"),
    (("stats", "--period", "lũy kế đến nay", "--compare", "previous"), "không có kỳ nào"),
    (("report", "--period", "tháng 7/2023", "--type", "thong_tin_doi_ngoai_thang", "--compare",
      "last-year", "--format", "md", "-o", "-"), "không có phụ lục số liệu để so sánh"),
    (("period", "năm 2023", "--compare", "năm-trước"), "không có phạm vi “năm-trước”"),
])
def test_compare_says_when_it_makes_no_sense(two_years: Path, args: tuple[str, ...],
                                             said: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output


def test_list_compare_lists_the_same_period_last_year(two_years: Path) -> None:
    result = _run("list", "--period", "6 tháng đầu năm 2023", "--compare", "cùng-kỳ")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Cùng kỳ của 6 tháng đầu năm 2023: 6 tháng đầu năm 2022 (01/01/2022–30/06/2022)"
    # 10/01 and 05/3/2022 only
    assert [line.split()[0] for line in lines[1:-1]] == ["10/01/2022", "05/3/2022"]
    assert lines[-1] == "— 2 hoạt động"
    import json

    same = json.loads(_run("list", "--period", "6 tháng đầu năm 2023", "--compare", "cùng-kỳ",
                           "--format", "json").stdout)
    direct = json.loads(_run("list", "--period", "6 tháng đầu năm 2022", "--format",
                             "json").stdout)
    assert same == direct


def test_report_compare_sets_the_appendix_comparison(two_years: Path) -> None:
    text = _md("--period", "6 tháng đầu năm 2023", "--compare", "kỳ-trước").split("Phụ lục")[1]
    # H2 2022: 12/7, 20/7, 30/12 (and the aid of 08/7)
    assert "(So sánh với kỳ trước: 6 tháng cuối năm 2022)" in text
    assert "| Đoàn ra | 04 đoàn | 04 đoàn | bằng kỳ trước |" in text
    same = _md("--period", "6 tháng đầu năm 2023", "--compare", "cùng-kỳ")
    assert same == _md("--period", "6 tháng đầu năm 2023")  # the type's own comparison


def test_the_same_period_last_year_of_another_period_expression(two_years: Path) -> None:
    p = parse_period("cùng kỳ năm trước của 6 tháng đầu năm 2023", today=TODAY)
    assert (p.start, p.end, p.label) == (dt.date(2022, 1, 1), dt.date(2022, 6, 30),
                                         "6 tháng đầu năm 2022")
    p = parse_period("Cùng kỳ năm trước của tháng 02/2024", today=TODAY)
    assert (p.start, p.end) == (dt.date(2023, 2, 1), dt.date(2023, 2, 28))
    from ngoaivu_cli.errors import PeriodError

    for wrong, said in (("cùng kỳ năm trước", "cần kỳ để so sánh"),
                        ("cùng kỳ năm trước 2023", "cần “của”"),
                        ("cùng kỳ", "cần “năm trước của …”"),
                        ("cùng kỳ năm trước của lũy kế đến nay", "không có cùng kỳ năm trước")):
        with pytest.raises(PeriodError, match=said):
            parse_period(wrong, today=TODAY)
    # where a period is accepted: stats of last year's first half, by expression
    text = _stats("--period", "cùng kỳ năm trước của 6 tháng đầu năm 2023")
    assert "Tổ chức và quản lý đoàn ra, đoàn vào: 2 hoạt động" in text


def test_report_compare_with_the_year_to_date_gives_the_share(two_years: Path) -> None:
    text = _md("--period", "quý III/2023", "--compare", "ytd").split("Phụ lục")[1]
    # Q3 2023 (done): 03/7 (2 delegations out); the year to date: 2 + 1 + 1 + 2 = 6
    assert "(So sánh với từ đầu năm: 9 tháng đầu năm 2023)" in text
    assert "| Đoàn ra | 02 đoàn | 06 đoàn | chiếm 33,3% |" in text
