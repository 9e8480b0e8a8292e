"""Configuration strings are filled by ``validate`` against sample reports of every period kind
(issue 14, item 3): a string that would crash ``report`` is an ``E-TEMPLATE`` at its line, in
Vietnamese, with the variables that exist."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ngoaivu_cli.cli import main
from ngoaivu_cli.config import load_config
from ngoaivu_cli.render.template_check import SAMPLES, sample_periods


def check(work: Path, body: str) -> list[dict[str, object]]:
    (work / "ngoaivu.yaml").write_text(body, "utf-8")
    (work / "data").mkdir(exist_ok=True)
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    return list(json.loads(result.output)["diagnostics"])


def test_a_filter_given_the_wrong_kind_of_value_is_found_before_report(work: Path) -> None:
    found = check(work, "report_types:\n  bao_cao_tuan:\n"
                        "    subtitle: \"Từ {{ period.label | vn_date }}\"\n")
    assert [(d["code"], d["line"], d["field"]) for d in found] == [
        ("E-TEMPLATE", 3, "report_types.bao_cao_tuan.subtitle")]
    message, hint = str(found[0]["message"]), str(found[0]["hint"])
    assert "`period.label` là chuỗi «" in message
    assert "bộ lọc `vn_date` không nhận giá trị này" in message
    assert "period.label «" in hint and "docs/configuration.md" in hint
    # what validate now says, report said as a Python message
    result = CliRunner().invoke(main, ["report", "--period", "tuần 35/2023", "-o", "x.md",
                                       "--format", "md"])
    assert result.exit_code == 1


def test_the_date_filters_take_the_dates_the_strings_hold(work: Path) -> None:
    """docs/configuration.md's `{{ period.start | vn_date }}`, `{{ period.end | vn_date_short }}`
    work (the period's dates are YYYY-MM-DD text in the strings), and the month of a date
    prints without its year (issue 25, item 10)."""
    assert check(work, "report_types:\n  bao_cao_tuan:\n"
                       "    subtitle: \"{{ period.start | vn_date }} {{ period.end | vn_date_short }}"
                       " {{ period.end | vn_month }} {{ ytd.end | vn_date_short(false) }}\"\n") == []
    result = CliRunner().invoke(main, ["report", "--period", "2024-02-05:2024-08-24", "-o", "-",
                                       "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "Ngày 05 tháng 02 năm 2024 24/8/2024 tháng 8 24/8" in result.output  # subtitle: capfirst


def test_a_statistics_sentence_is_filled_with_its_figures(work: Path) -> None:
    found = check(work, "categories:\n  lanh_su:\n    stats:\n"
                        "      - text: \"{{ raw.vu_viec_bao_ho | vn_date }} vụ\"\n")
    assert [(d["code"], d["field"]) for d in found] == [
        ("E-TEMPLATE", "categories.lanh_su.stats[0].text")]
    assert "`raw.vu_viec_bao_ho` là số «" in str(found[0]["message"])


def test_a_block_that_fails_for_one_period_kind_names_it(work: Path) -> None:
    found = check(work, "report_types:\n  bao_cao_tuan:\n    opening: \"{% if 7 // (period.days"
                        " - 1) %}x{% endif %}\"\n")
    assert [d["code"] for d in found] == ["E-TEMPLATE"]
    assert "(kỳ ngày)" in str(found[0]["message"]) and "chia cho 0" in str(found[0]["message"])


def test_correct_strings_with_filters_and_blocks_pass(work: Path) -> None:
    assert check(work, "report_types:\n  bao_cao_tuan:\n"
                       "    subtitle: \"{{ period.label | upper }} {{ m.doan_ra | vn_number }}\"\n"
                       "    opening: \"{% if raw.doan_ra %}{{ m.doan_ra }} đoàn{% endif %}\"\n"
                       "signers:\n  giam_doc: {name: \"{{ agency.place | upper }}\"}\n") == []


def test_there_is_a_sample_of_every_period_kind(work: Path) -> None:
    from ngoaivu_cli.config import PERIOD_KINDS

    config = load_config()
    kinds = [p.kind for p in sample_periods(config)]
    assert [k for k, _e in SAMPLES] == kinds[:len(SAMPLES)]
    assert set(kinds) == set(PERIOD_KINDS)


DIVIDE = """\
version: 1
report_types:
  chia:
    name: Chia
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Chia {{ period.label }}"]
    sections:
      - heading: Đoàn
        entries: false
        text: "bình quân {{ (raw.luot_ra / raw.doan_ra) | round(1) }} lượt một đoàn"
    signer: giam_doc
"""


def test_a_string_that_fails_only_on_the_real_figures_is_located_by_report(work: Path) -> None:
    """Dividing by a metric that is 0 this month passes validate (its samples are not 0) and
    fails when the report is made: at its line of ngoaivu.yaml, in Vietnamese, exit 1."""
    (work / "ngoaivu.yaml").write_text(DIVIDE, "utf-8")
    folder = work / "data" / "2023" / "08"
    folder.mkdir(parents=True)
    (folder / "2023-08-10-doan.yaml").write_text(
        "date: 2023-08-10\ncategory: doan_ra_doan_vao\nsummary: Đoàn.\nmetrics: {luot_ra: 3}\n",
        "utf-8")
    assert CliRunner().invoke(main, ["validate"]).exit_code == 0
    result = CliRunner().invoke(main, ["report", "--period", "tháng 8/2023", "--type", "chia",
                                       "--format", "md", "-o", "-"])
    assert result.exit_code == 1
    assert ("ngoaivu.yaml:11:15: error E-TEMPLATE: report_types.chia.sections[0].text: mẫu câu "
            "không điền được khi lập báo cáo kỳ tháng 8/2023") in result.output
    assert "11 |         text:" in result.output  # the line quoted
    assert "chia cho 0" in result.output and "{% if raw.x %}" in result.output
    assert "Traceback" not in result.output
