"""Change and ratio words (ngoaivu_cli.figures): positive, negative, equal, zero and missing
bases, precision and the Vietnamese decimal comma."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ngoaivu_cli.cli import main
from ngoaivu_cli.figures import Figure, change, percent_of, times


def last_year(value: int | float | None) -> Figure:
    return Figure(value, scope="last_year")


@pytest.mark.parametrize(("now", "base", "words"), [
    (15, 12, "tăng 25%"),
    (7, 10, "giảm 30%"),
    (12, 12, "bằng cùng kỳ"),
    (25, 10, "gấp 2,5 lần"),
    (20, 10, "gấp 2 lần"),
    (19, 10, "tăng 90%"),
    (0, 10, "giảm 100%"),
    (5, 0, "chưa có số liệu cùng kỳ"),
    (0, 0, "chưa có số liệu cùng kỳ"),
    (5, None, "chưa có số liệu cùng kỳ"),
])
def test_change_against_the_same_period_last_year(now: int, base: int | None,
                                                  words: str) -> None:
    assert change(Figure(now), last_year(base)) == words


def test_change_words_follow_the_base_scope_and_the_settings() -> None:
    assert change(Figure(3), Figure(3, scope="previous")) == "bằng kỳ trước"
    assert change(Figure(3), Figure(0, scope="previous")) == "chưa có số liệu kỳ trước"
    assert change(3, 0) == "chưa có số liệu để so sánh"
    assert change(3, 0, missing="không có số liệu năm 2022") == "không có số liệu năm 2022"
    assert change(3, 3, same="tương đương cùng kỳ") == "tương đương cùng kỳ"
    assert change(1_1, 1_0, digits=1) == "tăng 10%"
    assert change(1_000_123, 1_000_000, digits=2) == "tăng 0,01%"
    assert change(1_000_001, 1_000_000) == "không thay đổi"  # rounds to 0 %
    assert change(30, 10, times_from=None) == "tăng 200%"
    assert change(1.1e6, 1.5714e6) == "giảm 30%"


def test_change_reads_figures_as_printed() -> None:
    # a formatted text ("1.100", "15,5") is read back as the number it shows
    assert change("1.100", "1.000") == "tăng 10%"
    assert change("15,5", "10") == "tăng 55%"
    assert change("", "10") == "chưa có số liệu để so sánh"


def test_times_and_percent_of() -> None:
    assert times(25, 10) == "gấp 2,5 lần"
    assert times(25, 0) == "chưa có số liệu để so sánh"
    assert percent_of(257, 1000) == "25,7%"
    assert percent_of(1, 3, digits=2) == "33,33%"
    assert percent_of(5, 0) == "chưa có số liệu"
    assert percent_of(5, Figure(None)) == "chưa có số liệu"


def test_a_figure_prints_formatted_and_tests_its_number() -> None:
    assert Figure(5) == "05" and str(Figure(5, pad=False)) == "5"
    assert Figure(15.5, integer=False) == "15,5"
    assert Figure(1100) == "1.100"
    assert not Figure(0) and Figure(0) == "0"
    assert not Figure(None) and Figure(None) == "chưa có số liệu"
    assert int(Figure(7)) == 7 and float(Figure(2.5, integer=False)) == 2.5


@given(st.integers(min_value=-10**9, max_value=10**9),
       st.one_of(st.none(), st.integers(min_value=-10**9, max_value=10**9)))
def test_change_never_fails(now: int, base: int | None) -> None:
    words = change(Figure(now), last_year(base))
    if not base:
        assert words == "chưa có số liệu cùng kỳ"
    elif now == base:
        assert words == "bằng cùng kỳ"
    else:
        assert words.startswith(("tăng ", "giảm ", "gấp ", "bằng cùng kỳ"))
        if words.startswith("tăng"):
            assert now / base > 1
        if words.startswith("giảm"):
            assert now / base < 1


# --- item 2 of issue 13: distinct counts, padding per office, "gấp 2,5 lần", precision --------


def test_times_words_and_precision() -> None:
    assert change(Figure(25), last_year(10)) == "gấp 2,5 lần"
    assert change(Figure(25), last_year(10), digits=2) == "gấp 2,5 lần"  # no trailing zero
    assert change(Figure(26), last_year(7), digits=2) == "gấp 3,71 lần"
    assert change(Figure(2), last_year(3), digits=1) == "giảm 33,3%"
    assert change(Figure(2), last_year(3), digits=2) == "giảm 33,33%"
    assert change(Figure(1), last_year(8), digits=1) == "giảm 87,5%"
    assert change(Figure(10), last_year(8)) == "tăng 25%"
    assert change(Figure(12_345), last_year(10_000), digits=1) == "tăng 23,5%"
    assert change(Figure(15), last_year(10), times_from=1.5) == "gấp 1,5 lần"
    assert times(Figure(7), last_year(2), digits=0) == "gấp 4 lần"  # 3,5 rounds half up
    assert percent_of(1, 8, digits=0) == "13%" and percent_of(2_901_810, 10_000_000) == "29%"


@pytest.mark.parametrize(("pad", "count", "partners"), [("true", "05", "03"),
                                                      ("false", "5", "3")])
def test_counts_follow_the_office_padding(tmp_path: Path, clean_env: Path,
                                          monkeypatch: pytest.MonkeyPatch, pad: str,
                                          count: str, partners: str) -> None:
    (tmp_path / "ngoaivu.yaml").write_text(
        "version: 1\nextends: default\nformatting:\n  pad_counts: " + pad + "\nreport_types:\n"
        "  dem:\n"
        "    name: Đếm\n    doc_kind: BÁO CÁO\n    symbol: BC-SNgV\n    title: [Đếm]\n"
        "    sections:\n      - heading: Đoàn\n        categories: [doan_ra_doan_vao]\n"
        "        entries: false\n        text: \"{{ m.doan_ra }} đoàn, {{ m.partners }} đối tác,"
        " {{ ytd.entries }} hoạt động, {{ m.luot_ra }} lượt\"\n    signer: giam_doc\n", "utf-8")
    folder = tmp_path / "data/2023/05"
    folder.mkdir(parents=True)
    # partners "Lào", " lào " and "LÀO" are one; IOM and Nhật Bản two more: 3 distinct
    for i, names in enumerate(["[Lào, IOM]", "[' lào ', Nhật Bản]", "[LÀO]", "[]", "[IOM]"]):
        (folder / f"2023-05-0{i + 1}-doan-{i}.yaml").write_text(
            f"date: 2023-05-0{i + 1}\ncategory: doan_ra_doan_vao\nsummary: Đoàn {i}.\n"
            f"partners: {names}\nmetrics: {{doan_ra: 1, luot_ra: 3}}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report", "--period", "tháng 5/2023", "--type", "dem",
                                       "--format", "md", "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{count} đoàn, {partners} đối tác, {count} hoạt động, 15 lượt" in result.stdout


@pytest.mark.parametrize(("now", "base", "words"), [
    (Figure(3), Figure(2, scope="previous"), "tăng 50%"),
    (Figure(1), Figure(2, scope="previous"), "giảm 50%"),
    (Figure(2), Figure(2, scope="previous"), "bằng kỳ trước"),
    (Figure(2), Figure(0, scope="previous"), "chưa có số liệu kỳ trước"),
    (Figure(2), Figure(None, scope="previous"), "chưa có số liệu kỳ trước"),
    (Figure(0), Figure(None, scope="last_year"), "chưa có số liệu cùng kỳ"),
    (Figure(None), Figure(4, scope="last_year"), "chưa có số liệu cùng kỳ"),
    (Figure(2), Figure(0, scope="ytd"), "chưa có số liệu để so sánh"),
    (Figure(4), Figure(4, scope="ytd"), "không thay đổi"),
])
def test_change_words_for_every_kind_of_base(now: Figure, base: Figure, words: str) -> None:
    """Item 8 of issue 13: positive, negative, zero and missing bases, by the base's scope."""
    assert change(now, base) == words
