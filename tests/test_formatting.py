"""Tests of Vietnamese formatting: numbers, counts, dates, Roman numerals, money, slugs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ngoaivu_cli.formatting import (
    FILTERS,
    pad_day,
    pad_month,
    roman,
    slugify,
    strip_accents,
    vn_count,
    vn_date_blank,
    vn_date_full,
    vn_date_short,
    vn_money,
    vn_month,
    vn_number,
)

# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1.000"),
        (1100, "1.100"),
        (76000, "76.000"),
        (1150000, "1.150.000"),
        (2.5, "2,5"),
        (15.5, "15,5"),
        (2901.81, "2.901,81"),
        (0.1, "0,1"),
        (-5, "-5"),
        (-1234, "-1.234"),
        (-1234567.5, "-1.234.567,5"),
        (-0.5, "-0,5"),
        (Decimal("2901.81"), "2.901,81"),
        (Decimal("2901.810"), "2.901,81"),  # trailing zeros dropped
        (Decimal("1E+3"), "1.000"),
        (Decimal("-1150000"), "-1.150.000"),
        (3.0, "3"),
        ("1234.5", "1.234,5"),
    ],
)
def test_vn_number(value, expected):
    assert vn_number(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.5, 2, "2,50"),
        (1234, 2, "1.234,00"),
        (Decimal("2.345"), 2, "2,35"),  # half up, not banker's rounding
        (Decimal("2.344"), 2, "2,34"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (2901.81, 1, "2.901,8"),
        (1150000, 2, "1.150.000,00"),
    ],
)
def test_vn_number_fixed_decimals(value, decimals, expected):
    assert vn_number(value, decimals=decimals) == expected


def test_vn_number_refuses_booleans():
    with pytest.raises(TypeError):
        vn_number(True)


@pytest.mark.parametrize("value", ["abc", None, "1,5"])
def test_vn_number_refuses_non_numbers(value):
    with pytest.raises(ValueError) as excinfo:
        vn_number(value)
    assert "not a number" in str(excinfo.value)


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_vn_number_refuses_infinity_and_nan(value):
    with pytest.raises(ValueError):
        vn_number(value)


def test_vn_number_negative_zero():
    assert vn_number(-0.0) == "0"


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_vn_number_int_round_trips(n):
    text = vn_number(n)
    assert "," not in text
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*", text)
    assert int(text.replace(".", "")) == n


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False,
                   allow_infinity=False))
def test_vn_number_decimal_round_trips(d):
    text = vn_number(d)
    assert Decimal(text.replace(".", "").replace(",", ".")) == d


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, "07"),
        (2, "02"),
        (1, "01"),
        (9, "09"),
        (10, "10"),
        (12, "12"),
        (0, "0"),
        (1100, "1.100"),
        (15.5, "15,5"),
        (7.0, "07"),
        (Decimal("7.0"), "07"),
        (-3, "-3"),
    ],
)
def test_vn_count(value, expected):
    assert vn_count(value) == expected


def test_vn_count_without_padding():
    assert vn_count(7, pad=False) == "7"
    assert vn_count(12, pad=False) == "12"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("day", "expected"), [(1, "01"), (5, "05"), (9, "09"), (10, "10"),
                                               (24, "24"), (31, "31")])
def test_pad_day(day, expected):
    assert pad_day(day) == expected


@pytest.mark.parametrize(("month", "expected"), [(1, "01"), (2, "02"), (3, "3"), (8, "8"),
                                                 (9, "9"), (10, "10"), (12, "12")])
def test_pad_month(month, expected):
    """Nghị định 30/2020: a zero before months 1 and 2 only."""
    assert pad_month(month) == expected


@pytest.mark.parametrize(
    ("date", "place", "expected"),
    [
        (dt.date(2021, 1, 5), None, "ngày 05 tháng 01 năm 2021"),
        (dt.date(2023, 8, 31), "Hà Tĩnh", "Hà Tĩnh, ngày 31 tháng 8 năm 2023"),
        (dt.date(2024, 2, 5), None, "ngày 05 tháng 02 năm 2024"),
        (dt.date(2024, 3, 9), None, "ngày 09 tháng 3 năm 2024"),
        (dt.date(2023, 12, 10), None, "ngày 10 tháng 12 năm 2023"),
    ],
)
def test_vn_date_full(date, place, expected):
    assert vn_date_full(date, place) == expected


def test_vn_date_blank_leaves_the_day_for_the_clerk():
    blank = vn_date_blank(dt.date(2022, 8, 3), "Hà Tĩnh")
    assert re.fullmatch(r"Hà Tĩnh, ngày {4,} tháng 8 năm 2022", blank)
    assert vn_date_blank(dt.date(2022, 1, 3), blank_day=False) == "ngày 03 tháng 01 năm 2022"


@pytest.mark.parametrize(
    ("date", "with_year", "expected"),
    [
        (dt.date(2023, 8, 24), True, "24/8/2023"),
        (dt.date(2021, 1, 5), True, "05/01/2021"),
        (dt.date(2023, 8, 24), False, "24/8"),
        (dt.date(2023, 10, 6), False, "06/10"),
        (dt.date(2023, 10, 6), True, "06/10/2023"),
    ],
)
def test_vn_date_short(date, with_year, expected):
    assert vn_date_short(date, with_year=with_year) == expected


@pytest.mark.parametrize(
    ("month", "year", "expected"),
    [(1, 2021, "tháng 01/2021"), (2, 2021, "tháng 02/2021"), (8, 2023, "tháng 8/2023"),
     (12, 2023, "tháng 12/2023"), (8, None, "tháng 8"), (1, None, "tháng 01")],
)
def test_vn_month(month, year, expected):
    assert vn_month(month, year) == expected


# --------------------------------------------------------------------------- Roman numerals


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "I"), (2, "II"), (3, "III"), (4, "IV"), (5, "V"), (9, "IX"), (14, "XIV"), (40, "XL"),
     (90, "XC"), (400, "CD"), (1999, "MCMXCIX"), (2024, "MMXXIV"), (3999, "MMMCMXCIX")],
)
def test_roman(n, expected):
    assert roman(n) == expected


@pytest.mark.parametrize("n", [0, -1, 4000, True, 2.0, "3"])
def test_roman_out_of_range(n):
    with pytest.raises(ValueError) as excinfo:
        roman(n)
    assert "Roman" in str(excinfo.value)


@given(st.integers(min_value=1, max_value=3999))
def test_roman_alphabet(n):
    assert re.fullmatch(r"[IVXLCDM]+", roman(n))


@given(st.integers(min_value=1, max_value=3999), st.integers(min_value=1, max_value=3999))
def test_roman_is_injective(a, b):
    if a != b:
        assert roman(a) != roman(b)


def test_roman_unique_over_whole_range():
    numerals = [roman(n) for n in range(1, 4000)]
    assert len(set(numerals)) == 3999


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (2_500_000_000, "đồng", "2,5 tỷ đồng"),
        (1_000_000_000, "đồng", "1 tỷ đồng"),
        (2_901_810_000_000, "đồng", "2.901,81 tỷ đồng"),
        (1_234_567_890, "đồng", "1,23 tỷ đồng"),
        (1_500_000, "USD", "1,5 triệu USD"),
        (1_000_000, "đồng", "1 triệu đồng"),
        (10_000, "USD", "10.000 USD"),
        (999_999, "đồng", "999.999 đồng"),
        (0, "đồng", "0 đồng"),
        (-2_500_000_000, "đồng", "-2,5 tỷ đồng"),
        (Decimal("150000.5"), "USD", "150.000,5 USD"),
    ],
)
def test_vn_money(value, currency, expected):
    assert vn_money(value, currency) == expected


def test_vn_money_default_currency_is_dong():
    assert vn_money(2_500_000_000) == "2,5 tỷ đồng"


def test_vn_money_rounding_up_to_the_next_scale():
    assert vn_money(999_999_999) == "1 tỷ đồng"


# --------------------------------------------------------------------------- slugs and accents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tham mưu Thường trực Tỉnh ủy", "tham-muu-thuong-truc-tinh-uy"),
        ("Đoàn ra", "doan-ra"),
        ("Đoàn vào", "doan-vao"),
        ("  Hội nghị, hội thảo -- quốc tế!!! ", "hoi-nghi-hoi-thao-quoc-te"),
        ("Lễ ký Bản ghi nhớ (MOU) với tỉnh Bolikhămxay", "le-ky-ban-ghi-nho-mou-voi-tinh-bolikhamxay"),
        ("Quyết định số 51/2019/QĐ-UBND", "quyet-dinh-so-51-2019-qd-ubnd"),
        ("“Diễn đàn” — kiều bào", "dien-dan-kieu-bao"),
        ("", "hoat-dong"),
        ("!!! ---", "hoat-dong"),
        ("漢字", "hoat-dong"),
    ],
)
def test_slugify(text, expected):
    assert slugify(text) == expected


def test_slugify_max_length_cuts_at_a_word():
    assert slugify("Tham mưu Thường trực Tỉnh ủy", max_len=18) == "tham-muu-thuong"
    assert slugify("a" * 100) == "a" * 60  # one long word: cut inside it
    assert len(slugify("Tổ chức và quản lý đoàn ra, đoàn vào " * 5)) <= 60


def test_slugify_keeps_a_word_that_fits_exactly():
    assert slugify("Tham mưu Thường trực Tỉnh ủy", max_len=20) == "tham-muu-thuong-truc"


@given(st.text(max_size=200), st.integers(min_value=5, max_value=80))
def test_slugify_properties(text, max_len):
    slug = slugify(text, max_len=max_len)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= max(max_len, len("hoat-dong"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tham mưu Thường trực Tỉnh ủy", "Tham muu Thuong truc Tinh uy"),
        ("Đoàn đi Hà Tĩnh", "Doan di Ha Tinh"),
        ("Ắ ặ Ỹ ữ ơ", "A a Y u o"),
        ("plain ascii 123", "plain ascii 123"),
        ("Đà Nẵng", "Da Nang"),
    ],
)
def test_strip_accents(text, expected):
    assert strip_accents(text) == expected


def test_strip_accents_of_decomposed_text():
    import unicodedata

    assert strip_accents(unicodedata.normalize("NFD", "Đà Nẵng")) == "Da Nang"


def test_filters_are_the_formatting_functions():
    assert FILTERS["vn_number"] is vn_number
    assert FILTERS["vn_count"] is vn_count
    assert FILTERS["vn_date"] is vn_date_full
    assert FILTERS["roman"] is roman
    assert FILTERS["vn_money"] is vn_money
    assert FILTERS["upper_vn"]("đoàn ra") == "ĐOÀN RA"
