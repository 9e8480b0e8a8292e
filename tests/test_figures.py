"""Change and ratio words (ngoaivu_cli.figures): positive, negative, equal, zero and missing
bases, precision and the Vietnamese decimal comma."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
