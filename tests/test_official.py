"""Official figures (ngoaivu_cli.official): an entry's ``official`` figures win over the sums
computed from entries for exactly their period, the computed sums stay printable, ``report``
warns when the two differ, and ``validate`` refuses what cannot be one (located)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ngoaivu_cli.cli import main

CONFIG = """\
version: 1
extends: default
report_types:
  so_lieu:
    name: Số liệu
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Số liệu {{ period.label }}: {{ m.entries }} hoạt động"]
    sections:
      - heading: Đoàn ra
        categories: [doan_ra_doan_vao]
        entries: true
        text: >-
          kỳ {{ m.doan_ra }} (tính {{ m.computed.doan_ra }}) / từ đầu năm {{ ytd.doan_ra }}
          (tính {{ ytd.computed.doan_ra }}), {{ ytd.luot_ra }} lượt, {{ ytd.entries }} hoạt
          động / cùng kỳ {{ last_year.doan_ra }} (tính {{ last_year.computed.doan_ra }}) /
          {{ m.doan_ra | change(last_year.doan_ra) }}
      - heading: Hai lĩnh vực
        categories: [doan_ra_doan_vao, hop_tac_lao]
        entries: true
        text: "cộng {{ m.doan_ra }} / {{ ytd.doan_ra }}"
      - heading: Theo đơn vị
        units: [VPTTr]
        entries: false
        text: "đơn vị {{ m.doan_ra }} / {{ ytd.doan_ra }}"
    signer: giam_doc
"""

FILES = {
    # 2023: three delegations out written as activities, in two categories
    "2023/03/2023-03-05-a.yaml": "date: 2023-03-05\ncategory: doan_ra_doan_vao\nsummary: Đoàn A.\n"
                                 "unit: VPTTr\nmetrics: {doan_ra: 2, luot_ra: 5}\n",
    "2023/07/2023-07-03-b.yaml": "date: 2023-07-03\ncategory: doan_ra_doan_vao\nsummary: Đoàn B.\n"
                                 "metrics: {doan_ra: 1, luot_ra: 3}\n",
    "2023/08/2023-08-10-c.yaml": "date: 2023-08-10\ncategory: hop_tac_lao\nsummary: Đoàn C.\n"
                                 "metrics: {doan_ra: 4}\n",
    # the statistics office's figure for the year (delegations out of the delegations category)
    "2023/12/2023-12-31-so-lieu-chinh-thuc.yaml":
        "date: 2023-12-31\ncategory: doan_ra_doan_vao\n"
        "summary: Cục Thống kê tỉnh công bố số đoàn ra năm 2023.\n"
        "official:\n  scope: năm 2023\n  metrics:\n    doan_ra: 10\n",
    # 2024: one delegation in February
    "2024/02/2024-02-01-d.yaml": "date: 2024-02-01\ncategory: doan_ra_doan_vao\nsummary: Đoàn D.\n"
                                 "metrics: {doan_ra: 1, luot_ra: 2}\n",
}


@pytest.fixture
def log(tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "ngoaivu.yaml").write_text(CONFIG, "utf-8")
    for name, text in FILES.items():
        path = tmp_path / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _report(period: str, *more: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["report", "--type", "so_lieu", "--period", period,
                                       "--format", "md", "-o", "-", *more],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split()), result.stderr


def test_the_official_figure_wins_for_its_own_period(log: Path) -> None:
    text, err = _report("năm 2023")
    # computed in the delegations category: 2 (05/3) + 1 (03/7) = 3; official: 10
    assert "kỳ 10 (tính 03) / từ đầu năm 10 (tính 03), 08 lượt, 02 hoạt động" in text
    # the official record is no activity: not counted, not printed
    assert "Số liệu năm 2023: 03 hoạt động" in text
    assert "Cục Thống kê" not in text
    # a section of two categories: the official 10 replaces the 3 of its category, the 4 of
    # hop_tac_lao (10/8) still adds
    assert "cộng 14 / 14" in text
    # a section narrowed by unit does not take the record (it has no unit): computed 2
    assert "đơn vị 02 / 02" in text
    assert "W-OFFICIAL-DIFFERS" in err
    assert "2023-12-31-so-lieu-chinh-thuc.yaml:7:5" in err  # the line of `doan_ra: 10`
    assert "là 10 đoàn, khác tổng cộng từ các hoạt động (3 đoàn)" in err
    assert "báo cáo in số liệu chính thức" in err


def test_the_year_to_date_of_december_is_the_official_year_november_is_not(log: Path) -> None:
    text, _err = _report("tháng 12/2023")
    assert "kỳ 0 (tính 0) / từ đầu năm 10 (tính 03)" in text
    text, err = _report("tháng 11/2023")
    assert "từ đầu năm 03 (tính 03)" in text
    assert "W-OFFICIAL-DIFFERS" not in err  # no string printed a figure of its period


def test_the_same_period_last_year_uses_the_official_figure(log: Path) -> None:
    text, _err = _report("năm 2024")
    # 2024: 1 delegation (01/02) against the official 10 of 2023
    assert "cùng kỳ 10 (tính 03) / giảm 90%" in text


def test_an_equal_official_figure_says_nothing(log: Path) -> None:
    path = log / "data/2023/12/2023-12-31-so-lieu-chinh-thuc.yaml"
    path.write_text(path.read_text("utf-8").replace("doan_ra: 10", "doan_ra: 3"), "utf-8")
    text, err = _report("năm 2023")
    assert "kỳ 03 (tính 03)" in text and "W-OFFICIAL" not in err


def test_strict_refuses_a_differing_official_figure(log: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--type", "so_lieu", "--period", "năm 2023",
                                       "--format", "md", "-o", "-", "--strict"])
    assert result.exit_code == 1 and "W-OFFICIAL-DIFFERS" in result.output


def test_json_and_list_show_the_record(log: Path) -> None:
    result = CliRunner().invoke(main, ["list", "--period", "năm 2023", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    items = data if isinstance(data, list) else data["entries"]
    official = [e for e in items if e.get("official")]
    assert official and official[0]["official"] == {"scope": "năm 2023",
                                                    "metrics": {"doan_ra": 10}}


def test_the_cache_keeps_the_record(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NGOAIVU_NO_CACHE", raising=False)
    first, _ = _report("năm 2023")
    assert (log / ".ngoaivu-cache").is_dir()
    again, _ = _report("năm 2023")
    assert again == first and "kỳ 10 (tính 03)" in again


WRONG = [
    ("official:\n  scope: năm 2023\n  metrics: {doan_ra: -5}\n", "E-METRIC-VALUE",
     "official.metrics.doan_ra", 6, "không được âm (-5)"),
    ("official:\n  scope: năm 2023\n  metrics: {doan_raa: 5}\n", "E-UNKNOWN-METRIC",
     "official.metrics.doan_raa", 6, "có phải ý bạn là `doan_ra`?"),
    ("official:\n  scope: năm 2023\n  metrics: {trang_bien_dich: 5}\n", "E-METRIC-DERIVED",
     "official.metrics.trang_bien_dich", 6, "tính tự động"),
    ("official:\n  scope: năm 2023\n  metrics: {doan_ra: 1.5}\n", "E-METRIC-VALUE",
     "official.metrics.doan_ra", 6, "số nguyên"),
    ("official:\n  scope: năm nay\n  metrics: {doan_ra: 5}\n", "E-VALUE", "official.scope", 5,
     "ghi rõ năm"),
    ("official:\n  scope: tháng 13/2023\n  metrics: {doan_ra: 5}\n", "E-VALUE",
     "official.scope", 5, "không đọc được"),
    ("official:\n  scope: năm 2022\n  metrics: {doan_ra: 5}\n", "E-VALUE", "date", 1,
     "ghi `date: 2022-12-31`"),
    ("metrics: {doan_ra: 1}\nofficial:\n  scope: năm 2023\n  metrics: {doan_ra: 5}\n",
     "E-VALUE", "metrics", 4, "không ghi thêm `metrics`"),
    ("status: planned\nofficial:\n  scope: năm 2023\n  metrics: {doan_ra: 5}\n", "E-VALUE",
     "status", 4, "không phải kế hoạch"),
    ("official: 120\n", "E-TYPE", "official", 4, "phải là bảng"),
    ("official:\n  scope: năm 2023\n  metric: {doan_ra: 5}\n", "E-UNKNOWN-FIELD",
     "official.metric", 6, "có phải ý bạn là `metrics`?"),
    ("official:\n  metrics: {doan_ra: 5}\n", "E-MISSING-FIELD", "official.scope", 5,
     "thiếu `scope`"),
    ("official:\n  scope: [năm 2023]\n  metrics: {doan_ra: 5}\n", "E-TYPE", "official.scope",
     5, "phải là một kỳ"),
]


@pytest.mark.parametrize(("extra", "code", "field", "line", "said"), WRONG)
def test_validate_refuses_what_is_no_official_figure(log: Path, extra: str, code: str,
                                                     field: str, line: int, said: str) -> None:
    path = log / "data/2023/12/2023-12-31-so-lieu-chinh-thuc.yaml"
    path.write_text("date: 2023-12-31\ncategory: doan_ra_doan_vao\nsummary: Số liệu.\n" + extra,
                    "utf-8")
    result = CliRunner().invoke(main, ["validate", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == code]
    assert found, result.stdout
    d = found[0]
    assert d["field"] == field and d["line"] == line, d
    assert said in d["message"] + " " + (d.get("hint") or ""), d
    # and a report that reads the file stops on it
    report = CliRunner().invoke(main, ["report", "--type", "so_lieu", "--period", "năm 2023",
                                       "--format", "md", "-o", "-"])
    assert report.exit_code == 1


def test_a_huge_scope_is_refused_quickly(log: Path) -> None:
    path = log / "data/2023/12/2023-12-31-so-lieu-chinh-thuc.yaml"
    path.write_text("date: 2023-12-31\ncategory: doan_ra_doan_vao\nsummary: Số liệu.\n"
                    f"official:\n  scope: \"{'năm 2023 ' * 5000}\"\n  metrics: {{doan_ra: 5}}\n",
                    "utf-8")
    result = CliRunner().invoke(main, ["validate"], catch_exceptions=False)
    assert result.exit_code == 1 and "official.scope" in result.output


def test_the_appendix_compares_with_the_official_figure(log: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--period", "năm 2024", "--format", "md",
                                       "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    appendix = " ".join(result.stdout.split()).split("Phụ lục")[1]
    # 2024: 1 delegation; 2023: the official 10 (computed 3)
    assert "| Đoàn ra | 01 đoàn | 10 đoàn | giảm 90% |" in appendix
    result = CliRunner().invoke(main, ["report", "--period", "năm 2023", "--format", "md",
                                       "-o", "-"], catch_exceptions=False)
    appendix = " ".join(result.stdout.split()).split("Phụ lục")[1]
    assert "| Đoàn ra | 10 đoàn | chưa có số liệu | |" in appendix


def _stats(*args: str) -> str:
    result = CliRunner().invoke(main, ["stats", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stats_applies_the_official_figure_and_keeps_the_computed_sums(log: Path) -> None:
    """``ngoaivu stats`` prints what a report prints: the official record is no activity, its
    figure replaces its category's sum and the total, and the computed sums stay shown."""
    text = _stats("--period", "năm 2023")
    # the delegations category: 2 activities (05/3, 03/7), official 10 delegations out
    assert "Tổ chức và quản lý đoàn ra, đoàn vào: 2 hoạt động\n  Đoàn ra (đoàn): 10\n" in text
    # the total: 10 + 4 (hop_tac_lao, 10/8), 3 activities
    assert "Tổng cộng: 3 hoạt động\n  Đoàn ra (đoàn): 14\n" in text
    assert ("Đoàn ra năm 2023 là 10 đoàn "
            "(data/2023/12/2023-12-31-so-lieu-chinh-thuc.yaml:7)") in text
    assert "Tổng cộng từ các hoạt động: Đoàn ra 7 đoàn" in text
    data = json.loads(_stats("--period", "năm 2023", "--format", "json"))
    assert data["total"]["metrics"]["doan_ra"]["value"] == 14
    assert data["total"]["computed"]["doan_ra"] == 7
    assert data["official"] == [{"file": "data/2023/12/2023-12-31-so-lieu-chinh-thuc.yaml",
                                 "line": 1, "category": "doan_ra_doan_vao",
                                 "scope": "năm 2023", "metrics": {"doan_ra": 10},
                                 "metric_lines": {"doan_ra": 7}}]
    # by unit: the rows stay computed (a yearly figure has no unit), the total is official
    by_unit = _stats("--period", "năm 2023", "--by", "unit")
    assert "Tổng cộng: 3 hoạt động\n  Đoàn ra (đoàn): 14\n" in by_unit
    assert "chỉ ở dòng Tổng cộng" in by_unit
    # another period than the record's scope: computed, nothing said
    h1 = _stats("--period", "6 tháng đầu năm 2023")
    assert "Đoàn ra (đoàn): 2\n" in h1 and "chính thức" not in h1


def test_stats_compare_uses_the_official_figure_of_either_scope(log: Path) -> None:
    last = _stats("--period", "năm 2024", "--compare", "cùng-kỳ")
    assert "Đoàn ra (đoàn): 1 (cùng kỳ: 10; giảm 90%)" in last  # the category
    assert "Đoàn ra (đoàn): 1 (cùng kỳ: 14; giảm 93%)" in last  # the total: 10 + 4
    assert "Tổng cộng: 1 hoạt động (cùng kỳ: 3; giảm 67%)" in last  # the record is no activity
    own = json.loads(_stats("--period", "năm 2023", "--compare", "cùng-kỳ", "--format",
                            "json"))
    assert own["total"]["entries"]["value"] == 3
    assert own["total"]["metrics"]["doan_ra"]["value"] == 14
    assert own["official"][0]["scope"] == "năm 2023"
    # December: the year to date is the year of the record
    dec = json.loads(_stats("--period", "tháng 12/2023", "--compare", "ytd", "--format",
                            "json"))
    assert dec["total"]["metrics"]["doan_ra"]["base"] == 14
