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
                        "    subtitle: \"Từ {{ period.start | vn_date }}\"\n")
    assert [(d["code"], d["line"], d["field"]) for d in found] == [
        ("E-TEMPLATE", 3, "report_types.bao_cao_tuan.subtitle")]
    message, hint = str(found[0]["message"]), str(found[0]["hint"])
    assert "`period.start` là chuỗi ngày YYYY-MM-DD" in message
    assert "bộ lọc `vn_date` không nhận giá trị này" in message
    assert "period.label «" in hint and "docs/configuration.md" in hint
    # what validate now says, report said as a Python message
    result = CliRunner().invoke(main, ["report", "--period", "tuần 35/2023", "-o", "x.md",
                                       "--format", "md"])
    assert result.exit_code == 1


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
    assert "(day)" in str(found[0]["message"]) and "chia cho 0" in str(found[0]["message"])


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
