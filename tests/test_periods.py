"""Tests of the periods stage: the expression table, cut-off days, next(), errors, properties."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ngoaivu_cli.cli import main
from ngoaivu_cli.errors import PeriodError, UsageError
from ngoaivu_cli.formatting import roman
from ngoaivu_cli.periods import (
    ACCEPTED_FORMS,
    KINDS,
    Period,
    Term,
    iter_periods,
    parse_period,
    period_for_kind,
)

TODAY = date(2023, 12, 5)  # the date of periods-notes.md §6.4
TERM_2016 = Term("2016-2021", date(2016, 1, 1), date(2020, 12, 31))
TERM_2021 = Term("2021-2026", date(2021, 1, 1), date(2026, 6, 30))
TERMS = (TERM_2016, TERM_2021)
ONE = timedelta(days=1)


def parse(text: str, cutoff: int | None = None, **kw: object) -> Period:
    kw.setdefault("today", TODAY)
    kw.setdefault("terms", TERMS)
    return parse_period(text, cutoff_day=cutoff, **kw)  # type: ignore[arg-type]


# (expression, cutoff_day, first day, last day, kind, label); today = 2023-12-05.
TABLE = [
    # periods-notes.md §6.4, both columns
    ("2023-08-24:2023-08-31", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("2023-08-24:2023-08-31", 14, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("24/8–31/8", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("24/8–31/8", 14, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("tháng 11", None, "2023-11-01", "2023-11-30", "month", "tháng 11/2023"),
    ("tháng 11", 14, "2023-10-15", "2023-11-14", "month", "tháng 11/2023"),
    ("tháng 01/2021", None, "2021-01-01", "2021-01-31", "month", "tháng 01/2021"),
    ("tháng 01/2021", 14, "2020-12-15", "2021-01-14", "month", "tháng 01/2021"),
    ("quý III/2023", None, "2023-07-01", "2023-09-30", "quarter", "quý III/2023"),
    ("quý III/2023", 14, "2023-06-15", "2023-09-14", "quarter", "quý III/2023"),
    ("6 tháng đầu năm 2023", None, "2023-01-01", "2023-06-30", "half", "6 tháng đầu năm 2023"),
    ("6 tháng đầu năm 2023", 14, "2022-12-15", "2023-06-14", "half", "6 tháng đầu năm 2023"),
    ("9 tháng", None, "2023-01-01", "2023-09-30", "first_n", "9 tháng đầu năm 2023"),
    ("9 tháng", 14, "2022-12-15", "2023-09-14", "first_n", "9 tháng đầu năm 2023"),
    ("năm 2023", None, "2023-01-01", "2023-12-31", "year", "năm 2023"),
    ("năm 2023", 14, "2022-12-15", "2023-12-14", "year", "năm 2023"),
    ("tuần 35", None, "2023-08-28", "2023-09-03", "week", "tuần 35/2023"),
    ("tuần 35", 14, "2023-08-28", "2023-09-03", "week", "tuần 35/2023"),
    ("từ đầu nhiệm kỳ đến nay", None, "2021-01-01", "2023-12-05", "term", "từ đầu nhiệm kỳ đến nay"),
    ("từ đầu nhiệm kỳ đến nay", 14, "2021-01-01", "2023-12-05", "term", "từ đầu nhiệm kỳ đến nay"),
    ("tháng 11", 25, "2023-10-26", "2023-11-25", "month", "tháng 11/2023"),
    ("2023-Q3", None, "2023-07-01", "2023-09-30", "quarter", "quý III/2023"),
    ("2023-Q3", 14, "2023-06-15", "2023-09-14", "quarter", "quý III/2023"),
    ("2023q3", None, "2023-07-01", "2023-09-30", "quarter", "quý III/2023"),
    ("2023q3", 14, "2023-06-15", "2023-09-14", "quarter", "quý III/2023"),
    # periods written in the seeds
    ("Từ ngày 24/8 - 31/8/2023", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("tháng 02/2021", None, "2021-02-01", "2021-02-28", "month", "tháng 02/2021"),
    ("năm 2018", None, "2018-01-01", "2018-12-31", "year", "năm 2018"),
    ("27/9-06/10/2023", None, "2023-09-27", "2023-10-06", "days", "từ ngày 27/9 - 06/10/2023"),
    # PRODUCT.md "Periods": ISO
    ("2023-08-24..2023-08-31", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("2023-08-24/2023-08-31", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("2023-08-24 to 2023-08-31", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("from 2023-08-24 to 2023-08-31", None, "2023-08-24", "2023-08-31", "days", None),
    ("2023-08-24", None, "2023-08-24", "2023-08-24", "day", "ngày 24/8/2023"),
    ("20230824", None, "2023-08-24", "2023-08-24", "day", "ngày 24/8/2023"),
    ("2023-08", None, "2023-08-01", "2023-08-31", "month", "tháng 8/2023"),
    ("2023-08", 14, "2023-07-15", "2023-08-14", "month", "tháng 8/2023"),
    ("2023-H1", None, "2023-01-01", "2023-06-30", "half", "6 tháng đầu năm 2023"),
    ("2023-h2", None, "2023-07-01", "2023-12-31", "half", "6 tháng cuối năm 2023"),
    ("2023", None, "2023-01-01", "2023-12-31", "year", "năm 2023"),
    ("2023-W35", None, "2023-08-28", "2023-09-03", "week", "tuần 35/2023"),
    ("2023W35", None, "2023-08-28", "2023-09-03", "week", "tuần 35/2023"),
    ("2023-W01", None, "2023-01-02", "2023-01-08", "week", "tuần 1/2023"),
    ("2023-01:2023-03", None, "2023-01-01", "2023-03-31", "days", "từ ngày 01/01 - 31/3/2023"),
    ("2023-01:2023-03", 14, "2022-12-15", "2023-03-14", "days", "từ ngày 15/12/2022 - 14/3/2023"),
    ("2023-12-01:", None, "2023-12-01", "2023-12-05", "days", "từ ngày 01/12 - 05/12/2023"),
    # PRODUCT.md "Periods": Vietnamese as the documents write them
    ("24/8-31/8/2023", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("24/8 - 31/8/2023", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("24/8 — 31/8/2023", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("24/8..31/8/2023", None, "2023-08-24", "2023-08-31", "days", "từ ngày 24/8 - 31/8/2023"),
    ("từ ngày 24/8 đến ngày 31/8/2023", None, "2023-08-24", "2023-08-31", "days", None),
    ("từ 24/8 tới 31/8/2023", None, "2023-08-24", "2023-08-31", "days", None),
    ("24.8.2023", None, "2023-08-24", "2023-08-24", "day", "ngày 24/8/2023"),
    ("ngày 24/8/2023", None, "2023-08-24", "2023-08-24", "day", "ngày 24/8/2023"),
    ("ngày 24 tháng 8 năm 2023", None, "2023-08-24", "2023-08-24", "day", "ngày 24/8/2023"),
    ("24/8", None, "2023-08-24", "2023-08-24", "day", "ngày 24/8/2023"),
    ("25/12–5/1", None, "2022-12-25", "2023-01-05", "days", "từ ngày 25/12/2022 - 05/01/2023"),
    ("25/12/2022 - 05/01/2023", None, "2022-12-25", "2023-01-05", "days", None),
    ("từ 01/12/2023 đến nay", None, "2023-12-01", "2023-12-05", "days", "từ ngày 01/12 - 05/12/2023"),
    ("tháng 11/2017", None, "2017-11-01", "2017-11-30", "month", "tháng 11/2017"),
    ("tháng 11/2017", 14, "2017-10-15", "2017-11-14", "month", "tháng 11/2017"),
    ("tháng 11/2017", 24, "2017-10-25", "2017-11-24", "month", "tháng 11/2017"),
    ("tháng 11-2017", None, "2017-11-01", "2017-11-30", "month", "tháng 11/2017"),
    ("tháng 01 năm 2021", None, "2021-01-01", "2021-01-31", "month", "tháng 01/2021"),
    ("tháng 12", None, "2023-12-01", "2023-12-31", "month", "tháng 12/2023"),
    ("tháng 12", 14, "2023-11-15", "2023-12-14", "month", "tháng 12/2023"),
    ("tháng 1", None, "2023-01-01", "2023-01-31", "month", "tháng 01/2023"),
    ("tháng 1", 14, "2022-12-15", "2023-01-14", "month", "tháng 01/2023"),
    ("tháng 8 - tháng 9/2023", None, "2023-08-01", "2023-09-30", "days", "từ ngày 01/8 - 30/9/2023"),
    ("quý 3 năm 2023", None, "2023-07-01", "2023-09-30", "quarter", "quý III/2023"),
    ("quý II năm 2023", None, "2023-04-01", "2023-06-30", "quarter", "quý II/2023"),
    ("quý IV/2023", 14, "2023-09-15", "2023-12-14", "quarter", "quý IV/2023"),
    ("quý I/2024", 14, "2023-12-15", "2024-03-14", "quarter", "quý I/2024"),
    ("quý 3 - quý 4/2023", None, "2023-07-01", "2023-12-31", "days", None),
    ("6 tháng cuối năm 2023", None, "2023-07-01", "2023-12-31", "half", "6 tháng cuối năm 2023"),
    ("6 tháng cuối năm 2023", 14, "2023-06-15", "2023-12-14", "half", "6 tháng cuối năm 2023"),
    ("6 tháng cuối năm", None, "2023-07-01", "2023-12-31", "half", "6 tháng cuối năm 2023"),
    ("sáu tháng đầu năm 2023", None, "2023-01-01", "2023-06-30", "half", "6 tháng đầu năm 2023"),
    ("9 tháng đầu năm 2023", None, "2023-01-01", "2023-09-30", "first_n", "9 tháng đầu năm 2023"),
    ("9 tháng năm 2023", 14, "2022-12-15", "2023-09-14", "first_n", "9 tháng đầu năm 2023"),
    ("7 tháng đầu năm 2022", None, "2022-01-01", "2022-07-31", "first_n", "7 tháng đầu năm 2022"),
    ("3 tháng cuối năm 2023", None, "2023-10-01", "2023-12-31", "last_n", "3 tháng cuối năm 2023"),
    ("12 tháng năm 2023", None, "2023-01-01", "2023-12-31", "year", "năm 2023"),
    ("cả năm 2023", None, "2023-01-01", "2023-12-31", "year", "năm 2023"),
    ("tuần 35/2023", None, "2023-08-28", "2023-09-03", "week", "tuần 35/2023"),
    ("tuần 35 năm 2023", None, "2023-08-28", "2023-09-03", "week", "tuần 35/2023"),
    ("tuần 1/2021", None, "2021-01-04", "2021-01-10", "week", "tuần 1/2021"),
    ("tuần 53/2020", None, "2020-12-28", "2021-01-03", "week", "tuần 53/2020"),
    ("tuần 53", None, "2020-12-28", "2021-01-03", "week", "tuần 53/2020"),
    ("29/2", None, "2020-02-29", "2020-02-29", "day", "ngày 29/02/2020"),
    # without diacritics, other letter cases, NFD
    ("thang 11/2017", None, "2017-11-01", "2017-11-30", "month", "tháng 11/2017"),
    ("THÁNG 11/2017", 14, "2017-10-15", "2017-11-14", "month", "tháng 11/2017"),
    ("QUÝ III/2023", None, "2023-07-01", "2023-09-30", "quarter", "quý III/2023"),
    ("quy 3 nam 2023", None, "2023-07-01", "2023-09-30", "quarter", "quý III/2023"),
    ("6 THÁNG ĐẦU NĂM 2023", None, "2023-01-01", "2023-06-30", "half", "6 tháng đầu năm 2023"),
    ("tu ngay 24/8 den ngay 31/8/2023", None, "2023-08-24", "2023-08-31", "days", None),
    ("Tuần 35/2023", None, "2023-08-28", "2023-09-03", "week", "tuần 35/2023"),
    (unicodedata.normalize("NFD", "tháng 01 năm 2021"), None, "2021-01-01", "2021-01-31", "month",
     "tháng 01/2021"),
    ("  nam   2018 ", None, "2018-01-01", "2018-12-31", "year", "năm 2018"),
    # relative, against today = Tuesday 2023-12-05 (ISO week 49)
    ("today", None, "2023-12-05", "2023-12-05", "day", "ngày 05/12/2023"),
    ("hôm nay", 14, "2023-12-05", "2023-12-05", "day", "ngày 05/12/2023"),
    ("yesterday", None, "2023-12-04", "2023-12-04", "day", "ngày 04/12/2023"),
    ("hôm qua", None, "2023-12-04", "2023-12-04", "day", "ngày 04/12/2023"),
    ("this-week", None, "2023-12-04", "2023-12-10", "week", "tuần 49/2023"),
    ("tuần này", 14, "2023-12-04", "2023-12-10", "week", "tuần 49/2023"),
    ("last-week", None, "2023-11-27", "2023-12-03", "week", "tuần 48/2023"),
    ("tuần trước", None, "2023-11-27", "2023-12-03", "week", "tuần 48/2023"),
    ("tuần tới", None, "2023-12-11", "2023-12-17", "week", "tuần 50/2023"),
    ("this-month", None, "2023-12-01", "2023-12-31", "month", "tháng 12/2023"),
    ("this month", None, "2023-12-01", "2023-12-31", "month", "tháng 12/2023"),
    ("tháng này", None, "2023-12-01", "2023-12-31", "month", "tháng 12/2023"),
    ("tháng này", 14, "2023-11-15", "2023-12-14", "month", "tháng 12/2023"),
    ("last-month", None, "2023-11-01", "2023-11-30", "month", "tháng 11/2023"),
    ("tháng trước", None, "2023-11-01", "2023-11-30", "month", "tháng 11/2023"),
    ("thang truoc", 14, "2023-10-15", "2023-11-14", "month", "tháng 11/2023"),
    ("tháng sau", None, "2024-01-01", "2024-01-31", "month", "tháng 01/2024"),
    ("this-quarter", None, "2023-10-01", "2023-12-31", "quarter", "quý IV/2023"),
    ("quý này", None, "2023-10-01", "2023-12-31", "quarter", "quý IV/2023"),
    ("last_quarter", None, "2023-07-01", "2023-09-30", "quarter", "quý III/2023"),
    ("quý trước", None, "2023-07-01", "2023-09-30", "quarter", "quý III/2023"),
    ("this-year", None, "2023-01-01", "2023-12-31", "year", "năm 2023"),
    ("năm nay", None, "2023-01-01", "2023-12-31", "year", "năm 2023"),
    ("last-year", None, "2022-01-01", "2022-12-31", "year", "năm 2022"),
    ("năm trước", None, "2022-01-01", "2022-12-31", "year", "năm 2022"),
    ("năm ngoái", None, "2022-01-01", "2022-12-31", "year", "năm 2022"),
    # terms from the configuration
    ("nhiệm kỳ", None, "2021-01-01", "2026-06-30", "term", "nhiệm kỳ 2021-2026"),
    ("nhiệm kỳ 2021 - 2026", None, "2021-01-01", "2026-06-30", "term", "nhiệm kỳ 2021-2026"),
    ("nhiệm kỳ 2016-2021", None, "2016-01-01", "2020-12-31", "term", "nhiệm kỳ 2016-2021"),
    ("từ đầu nhiệm kỳ", None, "2021-01-01", "2023-12-05", "term", "từ đầu nhiệm kỳ đến nay"),
    ("tu dau nhiem ky den nay", None, "2021-01-01", "2023-12-05", "term", "từ đầu nhiệm kỳ đến nay"),
    # months written M/YYYY, MM/YYYY, T<M>/YYYY: exactly "tháng M/YYYY", cut-off included
    ("8/2023", None, "2023-08-01", "2023-08-31", "month", "tháng 8/2023"),
    ("08/2023", 14, "2023-07-15", "2023-08-14", "month", "tháng 8/2023"),
    ("12/2023", None, "2023-12-01", "2023-12-31", "month", "tháng 12/2023"),
    ("T8/2023", None, "2023-08-01", "2023-08-31", "month", "tháng 8/2023"),
    ("t8/2023", 14, "2023-07-15", "2023-08-14", "month", "tháng 8/2023"),
    ("T08/2023", None, "2023-08-01", "2023-08-31", "month", "tháng 8/2023"),
    ("th8/2023", None, "2023-08-01", "2023-08-31", "month", "tháng 8/2023"),
    ("T1/2021", 14, "2020-12-15", "2021-01-14", "month", "tháng 01/2021"),
    ("T8 năm 2023", None, "2023-08-01", "2023-08-31", "month", "tháng 8/2023"),
    ("T11", None, "2023-11-01", "2023-11-30", "month", "tháng 11/2023"),
    ("8/2023 - 10/2023", None, "2023-08-01", "2023-10-31", "days", "từ ngày 01/8 - 31/10/2023"),
    ("từ T8/2023 đến nay", None, "2023-08-01", "2023-12-05", "days", None),
]


@pytest.mark.parametrize(("text", "cutoff", "first", "last", "kind", "label"), TABLE)
def test_expression_table(text: str, cutoff: int | None, first: str, last: str, kind: str,
                          label: str | None) -> None:
    p = parse(text, cutoff)
    assert (p.start.isoformat(), p.end.isoformat(), p.kind) == (first, last, kind)
    assert p.end_exclusive == p.end + ONE
    if label is not None:
        assert p.label == label


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 80
    assert {row[4] for row in TABLE} >= set(KINDS) - {"last_n"} | {"last_n"}


# --- notes, cut-off, year -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["8/2023", "08/2023", "T8/2023", "t8/2023", "T08/2023",
                                  "th8/2023", "T 8/2023", "T8-2023"])
@pytest.mark.parametrize("cutoff", [None, 14, 25])
def test_short_month_forms_are_tháng(text: str, cutoff: int | None) -> None:
    assert parse(text, cutoff) == parse("tháng 8/2023", cutoff)


def test_t_month_without_year_follows_the_missing_year_rule() -> None:
    for today in (TODAY, date(2024, 1, 10), date(2026, 12, 1)):
        assert parse("T11", today=today) == parse("tháng 11", today=today)
        assert parse("T11", year=2020, today=today) == parse("tháng 11", year=2020, today=today)
    assert "không ghi năm, hiểu là năm 2023" in parse("T11").notes


def test_slashed_day_forms_are_still_days() -> None:
    assert (parse("24/8").kind, parse("24/8").start) == ("day", date(2023, 8, 24))
    assert parse("1/8/2023").kind == "day" and parse("8/8").kind == "day"


def test_missing_year_is_said() -> None:
    assert parse("tháng 11").notes == ("không ghi năm, hiểu là năm 2023",)
    assert parse("tháng 11", today=date(2024, 1, 10)).year == 2023
    assert "không ghi năm, hiểu là năm 2020" in parse("tuần 53").notes


def test_explicit_default_year_wins_and_is_not_a_guess() -> None:
    p = parse("24/8–31/8", year=2022)
    assert (p.start, p.end) == (date(2022, 8, 24), date(2022, 8, 31))
    assert not any("không ghi năm" in n for n in p.notes)
    assert parse("tháng 11", year=2017, cutoff=14).start == date(2017, 10, 15)


def test_day_range_without_year_takes_the_latest_started() -> None:
    # On 28/8/2023 the week 24/8–31/8 has started: it is this year's, even though 31/8 is ahead.
    p = parse("24/8–31/8", today=date(2023, 8, 28))
    assert p.start == date(2023, 8, 24)
    assert "kỳ chưa kết thúc" in p.notes


def test_cutoff_notes_and_label_keep_the_named_form() -> None:
    p = parse("tháng 11/2017", 14)
    assert p.label == "tháng 11/2017"
    assert p.cutoff_day == 14
    assert "chốt số liệu ngày 14" in p.notes


def test_cutoff_beyond_month_length_uses_last_day_with_note() -> None:
    p = parse("tháng 3/2023", 30)
    assert (p.start, p.end) == (date(2023, 3, 1), date(2023, 3, 30))
    assert any("tháng 02/2023 chỉ có 28 ngày" in n for n in p.notes)
    feb = parse("tháng 02/2024", 31)
    assert (feb.start, feb.end) == (date(2024, 2, 1), date(2024, 2, 29))


def test_cutoff_never_shifts_days_weeks_relative_days_or_terms() -> None:
    for text in ("24/8 - 31/8/2023", "tuần 35/2023", "hôm nay", "từ đầu nhiệm kỳ đến nay",
                 "nhiệm kỳ 2021-2026"):
        assert (parse(text, 14).start, parse(text, 14).end) == (parse(text).start, parse(text).end)
        assert parse(text, 14).cutoff_day is None


def test_unfinished_and_future_periods_are_flagged() -> None:
    p = parse("năm 2023")
    assert (p.start, p.end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert "kỳ chưa kết thúc" in p.notes
    assert "kỳ chưa bắt đầu" in parse("tháng 02/2024").notes
    assert parse("năm 2022").notes == ()


def test_relative_forms_say_what_today_was() -> None:
    assert "“tháng trước” tính theo ngày 05/12/2023" in parse("tháng trước").notes


# --- what a period knows -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "cutoff", "next_label", "next_first", "next_last"), [
    ("tháng 01/2021", None, "tháng 02/2021", "2021-02-01", "2021-02-28"),
    ("tháng 01/2021", 14, "tháng 02/2021", "2021-01-15", "2021-02-14"),
    ("tháng 12/2023", None, "tháng 01/2024", "2024-01-01", "2024-01-31"),
    ("quý IV/2023", 14, "quý I/2024", "2023-12-15", "2024-03-14"),
    ("6 tháng đầu năm 2023", None, "6 tháng cuối năm 2023", "2023-07-01", "2023-12-31"),
    ("6 tháng cuối năm 2023", None, "6 tháng đầu năm 2024", "2024-01-01", "2024-06-30"),
    ("9 tháng đầu năm 2023", None, "3 tháng cuối năm 2023", "2023-10-01", "2023-12-31"),
    ("3 tháng cuối năm 2023", 14, "9 tháng đầu năm 2024", "2023-12-15", "2024-09-14"),
    ("năm 2018", None, "năm 2019", "2019-01-01", "2019-12-31"),
    ("tuần 52/2023", None, "tuần 1/2024", "2024-01-01", "2024-01-07"),
    ("Từ ngày 24/8 - 31/8/2023", None, "từ ngày 01/9 - 08/9/2023", "2023-09-01", "2023-09-08"),
    ("ngày 31/12/2023", None, "ngày 01/01/2024", "2024-01-01", "2024-01-01"),
    ("nhiệm kỳ 2016-2021", None, "nhiệm kỳ 2021-2026", "2021-01-01", "2026-06-30"),
    ("từ đầu nhiệm kỳ đến nay", None, "thời gian còn lại của nhiệm kỳ 2021-2026", "2023-12-06",
     "2026-06-30"),
    ("nhiệm kỳ 2021-2026", None, "nhiệm kỳ 2026-2031", "2026-07-01", "2031-06-30"),
])
def test_next_period(text: str, cutoff: int | None, next_label: str, next_first: str,
                     next_last: str) -> None:
    p = parse(text, cutoff)
    n = p.next()
    assert (n.label, n.start.isoformat(), n.end.isoformat()) == (next_label, next_first, next_last)
    assert p.next_label == next_label
    assert n.start == p.end_exclusive
    assert n.cutoff_day == (cutoff if p.kind not in ("day", "days", "week", "term") else None)


@pytest.mark.parametrize(("text", "today", "cutoff", "next_label", "next_first", "next_last"), [
    ("từ đầu năm đến nay", date(2022, 11, 25), None, "thời gian còn lại của năm 2022",
     "2022-11-26", "2022-12-31"),
    ("từ đầu năm đến nay", date(2022, 11, 25), 14, "thời gian còn lại của năm 2022",
     "2022-11-26", "2022-12-14"),
    ("từ đầu năm đến nay", date(2022, 12, 31), None, "năm 2023", "2023-01-01", "2023-12-31"),
    ("lũy kế đến nay", date(2022, 11, 25), None, "thời gian còn lại của năm 2022",
     "2022-11-26", "2022-12-31"),
])
def test_next_of_a_period_up_to_today_is_the_rest_of_the_year(
        text: str, today: date, cutoff: int | None, next_label: str, next_first: str,
        next_last: str) -> None:
    """Not as many days again (26/11/2022 – 20/10/2023, issue 25 item 13): the plans of a
    "from the start of the year to today" report are those of the rest of that year."""
    p = parse_period(text, today=today, cutoff_day=cutoff)
    n = p.next()
    assert (n.label, n.start.isoformat(), n.end.isoformat()) == (next_label, next_first, next_last)
    assert p.relative_next == "thời gian tới"
    assert f"Kỳ tiếp theo: {next_label}" in "\n".join(p.describe())


def test_next_of_a_term_with_a_gap_starts_the_next_day() -> None:
    gap = (Term("A", date(2016, 1, 1), date(2020, 12, 31)), Term("B", date(2021, 3, 1),
                                                                   date(2025, 12, 31)))
    n = parse("nhiệm kỳ A", terms=gap).next()
    assert (n.start, n.end, n.label, n.term) == (date(2021, 1, 1), date(2025, 12, 31),
                                                 "nhiệm kỳ B", gap[1])
    assert n.notes


@pytest.mark.parametrize(("text", "words"), [
    ("24/8 - 31/8/2023", "tuần tới"), ("ngày 24/8/2023", "tuần tới"), ("tuần 35/2023", "tuần tới"),
    ("tháng 01/2021", "tháng tới"), ("quý III/2023", "quý tới"),
    ("6 tháng đầu năm 2023", "6 tháng cuối năm"), ("6 tháng cuối năm 2023", "6 tháng đầu năm"),
    ("năm 2018", "năm tới"), ("9 tháng đầu năm 2023", "thời gian tới"),
    ("từ đầu nhiệm kỳ đến nay", "thời gian tới"),
])
def test_relative_next(text: str, words: str) -> None:
    assert parse(text).relative_next == words


@pytest.mark.parametrize(("text", "span"), [
    ("24/8 - 31/8/2023", "24/8 - 31/8/2023"),
    ("25/12/2022 - 05/01/2023", "25/12/2022 - 05/01/2023"),
    ("2023-08-24", "24/8/2023"),
    ("tháng 01/2021", "01/01 - 31/01/2021"),
    ("quý I/2024", "15/12/2023 - 14/3/2024"),
])
def test_span_text(text: str, span: str) -> None:
    assert parse(text, 14 if "quý" in text else None).span_text == span


def test_describe() -> None:
    assert parse("quý III/2023").describe() == [
        "Kỳ: quý III/2023",
        "Từ: 01/07/2023",
        "Đến: 30/09/2023 (92 ngày)",
        "Loại: quý",
        "Kỳ tiếp theo: quý IV/2023 (01/10/2023 - 31/12/2023)",
    ]
    lines = parse("tháng 11", 14).describe()
    assert "Ghi chú: chốt số liệu ngày 14" in lines
    assert "Ghi chú: không ghi năm, hiểu là năm 2023" in lines


def test_to_json() -> None:
    assert parse("tháng 01/2021", 14).to_json() == {
        "start": "2020-12-15",
        "end": "2021-01-14",
        "kind": "month",
        "label": "tháng 01/2021",
        "days": 31,
        "cutoff_day": 14,
        "window": None,
        "notes": ["chốt số liệu ngày 14"],
        "next": {"start": "2021-01-15", "end": "2021-02-14", "label": "tháng 02/2021"},
    }


def test_contains_and_overlaps() -> None:
    aug = parse("tháng 8/2023")
    assert aug.contains(date(2023, 8, 31)) and not aug.contains(date(2023, 9, 1))
    trip = (date(2023, 9, 27), date(2023, 10, 6))  # an entry with an `end`, 27/9–06/10
    for text in ("tháng 9/2023", "tháng 10/2023", "quý III/2023", "quý IV/2023", "tuần 40/2023",
                 "2023-10-06"):
        assert parse(text).overlaps(*trip), text
    for text in ("tháng 8/2023", "tháng 11/2023", "2023-10-07", "2023-09-26"):
        assert not parse(text).overlaps(*trip), text
    assert aug.overlaps(date(2023, 8, 1))  # a one-day entry


def test_period_for_kind_and_iter_periods() -> None:
    d = date(2023, 8, 20)
    assert period_for_kind("week", d).label == "tuần 33/2023"
    assert period_for_kind("month", d, cutoff_day=14).label == "tháng 9/2023"
    assert period_for_kind("quarter", d).label == "quý III/2023"
    assert period_for_kind("half", d).label == "6 tháng cuối năm 2023"
    assert period_for_kind("year", date(2023, 12, 20), cutoff_day=14).label == "năm 2024"
    assert period_for_kind("day", d).label == "ngày 20/8/2023"
    weeks = iter_periods("week", parse("tháng 8/2023"))
    assert [w.label for w in weeks] == ["tuần 31/2023", "tuần 32/2023", "tuần 33/2023",
                                        "tuần 34/2023"]
    months = iter_periods("month", parse("năm 2023", 14), cutoff_day=14)
    assert [m.index for m in months] == list(range(1, 13))
    with pytest.raises(PeriodError):
        period_for_kind("decade", d)


def test_accepted_forms_all_parse() -> None:
    for text in ACCEPTED_FORMS:
        parse(text)


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "reason"), [
    ("30/2/2023", "ngày 30/02/2023 không tồn tại (tháng 02/2023 có 28 ngày)"),
    ("2023-02-30", "ngày 30/02/2023 không tồn tại (tháng 02/2023 có 28 ngày)"),
    ("29/2/2023", "ngày 29/02/2023 không tồn tại (tháng 02/2023 có 28 ngày)"),
    ("ngày 31 tháng 4 năm 2023", "ngày 31/4/2023 không tồn tại (tháng 4/2023 có 30 ngày)"),
    ("30/2", "ngày 30/02 không tồn tại"),
    ("24/13/2023", "tháng 13 không tồn tại"),
    ("tháng 13", "tháng 13 không tồn tại"),
    ("tháng 0/2023", "tháng 0 không tồn tại"),
    ("2023-13", "tháng 13 không tồn tại"),
    ("quý V", "quý V không tồn tại"),
    ("quý 5/2023", "quý 5 không tồn tại"),
    ("2023-Q5", "quý 5 không tồn tại"),
    ("2023-H3", "H3 không tồn tại"),
    ("tuần 53/2023", "tuần 53/2023 không tồn tại (năm 2023 có 52 tuần ISO)"),
    ("2023-W53", "tuần 53/2023 không tồn tại"),
    ("tuần 54", "tuần 54 không tồn tại"),
    ("13 tháng đầu năm 2023", "số tháng phải từ 1 đến 12"),
    ("31/8/2023 - 24/8/2023", "ngày bắt đầu 31/8/2023 sau ngày kết thúc 24/8/2023"),
    ("2023-09:2023-08", "sau ngày kết thúc"),
    ("24/8/23", "năm “23” phải viết đủ 4 chữ số"),
    ("tháng 8/23", "năm “23” phải viết đủ 4 chữ số"),
    ("quý III/23", "năm “23” phải viết đủ 4 chữ số"),
    ("năm 23", "năm “23” phải viết đủ 4 chữ số"),
    ("tuần 35/23", "năm “23” phải viết đủ 4 chữ số"),
    ("tháng 11/2017 abc", "thừa “abc” ở cuối"),
    ("quý III/2023 và quý IV", "thừa “và quý IV” ở cuối"),
    ("năm 2023 nữa", "thừa “nữa” ở cuối"),
    ("", "chưa ghi kỳ nào"),
    ("   ", "chưa ghi kỳ nào"),
    ("hôm kia", "không hiểu"),
    ("tháng", "sau “tháng” cần một số"),
    ("từ 24/8/2023", "cần “đến …” hoặc “đến nay”"),
    ("..2023-08-31", "thiếu ngày bắt đầu"),
    ("2023-08-24 @", "ký tự “@”"),
    ("năm 1850", "ngoài khoảng"),
    ("8/23", "tháng 23 không tồn tại (tháng phải từ 1 đến 12); có phải ý bạn là “tháng 8/2023”?"),
    ("T8/23", "năm “23” phải viết đủ 4 chữ số"),
    ("8/202", "năm “202” phải viết đủ 4 chữ số"),
    ("13/2023", "tháng 13 không tồn tại"),
    ("0/2023", "tháng 0 không tồn tại"),
    ("T13/2023", "tháng 13 không tồn tại"),
    ("T", "sau “T” cần một số"),
    ("thg 8/2023", "không hiểu “thg 8/2023” (có phải ý bạn là “tháng 8/2023”?)"),
    ("8.2023", "không hiểu “8.2023” (có phải ý bạn là “tháng 8/2023”?)"),
    ("8-2023", "(có phải ý bạn là “tháng 8/2023”?)"),
    ("thg 08", "(có phải ý bạn là “tháng 8”?)"),
])
def test_errors_quote_the_input_and_list_accepted_forms(text: str, reason: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse(text)
    err = info.value
    assert reason in err.message
    assert f"“{text.strip()}”" in err.message
    assert err.hint is not None and "tháng 11/2017" in err.hint and "quý III/2023" in err.hint
    assert isinstance(err, UsageError) and err.exit_code == 2


@pytest.mark.parametrize("text", ["hôm kia", "hôm kia năm ngoái", "thg 13/2023", "thg 8 9",
                                  "x 8/23", "thg 8/20234"])
def test_no_month_guess_when_it_does_not_look_like_a_month(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse(text)
    assert "có phải ý bạn là" not in info.value.message


def test_nothing_is_rolled_over() -> None:
    with pytest.raises(PeriodError) as info:
        parse("31/4")
    assert "tháng 4 có tối đa 30 ngày" in info.value.message


@pytest.mark.parametrize("text", ["từ đầu nhiệm kỳ đến nay", "nhiệm kỳ", "nhiệm kỳ 2021-2026"])
def test_term_without_configured_terms(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse(text, terms=())
    assert "terms" in info.value.message and "ngoaivu.yaml" in info.value.message
    assert info.value.hint is not None and "terms:" in info.value.hint


AFTER_LAST_TERM = date(2026, 12, 1)  # the shipped config's only term ended on 30/06/2026


@pytest.mark.parametrize("text", ["từ đầu nhiệm kỳ đến nay", "từ đầu nhiệm kỳ", "nhiệm kỳ",
                                  "tu dau nhiem ky den nay", "đầu nhiệm kỳ tới nay"])
@pytest.mark.parametrize("terms", [(TERM_2021,), TERMS])
def test_after_the_last_term_ended_the_whole_last_term_is_taken(
        text: str, terms: tuple[Term, ...]) -> None:
    p = parse(text, today=AFTER_LAST_TERM, terms=terms)
    assert (p.start, p.end, p.kind, p.label, p.term) == (
        date(2021, 1, 1), date(2026, 6, 30), "term", "nhiệm kỳ 2021-2026", TERM_2021)
    assert "nhiệm kỳ 2021-2026 đã kết thúc ngày 30/6/2026; lấy cả nhiệm kỳ" in p.notes
    assert "có thể khai báo nhiệm kỳ mới trong periods.terms (ngoaivu.yaml)" in p.notes
    assert "kỳ chưa kết thúc" not in p.notes
    assert p.next().start == date(2026, 7, 1)
    back = parse(p.label, today=AFTER_LAST_TERM, terms=terms)
    assert (back.start, back.end) == (p.start, p.end)


def test_the_term_to_date_follows_today() -> None:
    for today, end in ((date(2026, 6, 29), date(2026, 6, 29)), (date(2026, 6, 30), date(2026, 6, 30)),
                       (date(2026, 7, 1), date(2026, 6, 30))):
        p = parse("từ đầu nhiệm kỳ đến nay", today=today, terms=(TERM_2021,))
        assert (p.start, p.end) == (date(2021, 1, 1), end), today
        assert any("đã kết thúc" in n for n in p.notes) == (today > TERM_2021.end)


def test_between_two_terms_the_ended_one_is_taken_and_the_next_one_named() -> None:
    later = Term("2022-2026", date(2022, 1, 1), date(2026, 12, 31))
    p = parse("từ đầu nhiệm kỳ đến nay", today=date(2021, 6, 1), terms=(TERM_2016, later))
    assert (p.start, p.end, p.label) == (date(2016, 1, 1), date(2020, 12, 31), "nhiệm kỳ 2016-2021")
    assert "nhiệm kỳ 2022-2026 bắt đầu ngày 01/01/2022" in p.notes
    assert not any("periods.terms" in n for n in p.notes)


def test_no_term_started_yet_is_an_error_showing_the_declared_terms() -> None:
    for text in ("từ đầu nhiệm kỳ đến nay", "nhiệm kỳ"):
        with pytest.raises(PeriodError) as info:
            parse(text, today=date(2020, 5, 1), terms=(TERM_2021,))
        assert ("chưa có nhiệm kỳ nào bắt đầu vào ngày 01/5/2020 (sớm nhất là 2021-2026, "
                "từ ngày 01/01/2021)") in info.value.message
        assert info.value.hint == ("nhiệm kỳ đã khai báo trong periods.terms (ngoaivu.yaml): "
                                   "2021-2026 (01/01/2021 - 30/6/2026)")


@pytest.mark.parametrize(("text", "today", "reason"), [
    ("nhiệm kỳ 2011-2016", TODAY, "không có nhiệm kỳ “2011-2016” (đã khai báo: 2016-2021, 2021-2026)"),
    ("thời gian còn lại của nhiệm kỳ 2016-2021", TODAY, "nhiệm kỳ 2016-2021 không còn ngày nào"),
    ("thời gian còn lại của nhiệm kỳ", AFTER_LAST_TERM, "đã kết thúc ngày 30/6/2026)"),
    ("thời gian còn lại của nhiệm kỳ", date(2026, 6, 30), "(30/6/2026: hôm nay là ngày cuối)"),
    ("nhiệm kỳ", date(2015, 1, 1), "chưa có nhiệm kỳ nào bắt đầu"),
])
def test_term_errors_never_suggest_declaring_a_declared_term(text: str, today: date,
                                                             reason: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse(text, today=today)
    assert reason in info.value.message
    hint = info.value.hint or ""
    assert "terms: [" not in hint and "2016-2021 (01/01/2016 - 31/12/2020)" in hint
    assert "2021-2026 (01/01/2021 - 30/6/2026)" in hint


def test_remaining_term_without_a_name_is_the_current_term() -> None:
    p = parse("thời gian còn lại của nhiệm kỳ")
    assert (p.start, p.end, p.label) == (date(2023, 12, 6), date(2026, 6, 30),
                                         "thời gian còn lại của nhiệm kỳ 2021-2026")


def test_cli_term_after_the_shipped_term_ended(clean_env: Path) -> None:
    """The shipped configuration has one term, 2021-2026, which ends on 30/06/2026."""
    config = Path(__file__).parents[1] / "ngoaivu_cli" / "defaults" / "ngoaivu.yaml"
    for text in ("từ đầu nhiệm kỳ đến nay", "nhiệm kỳ", "tu dau nhiem ky den nay"):
        result = CliRunner(catch_exceptions=False).invoke(
            main, ["--config", str(config), "period", text, "--today", "2026-12-01"])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[:4] == [
            "Kỳ: nhiệm kỳ 2021-2026", "Từ: 01/01/2021", "Đến: 30/06/2026 (2007 ngày)",
            "Loại: nhiệm kỳ"]
        assert "Ghi chú: có thể khai báo nhiệm kỳ mới trong periods.terms (ngoaivu.yaml)" in (
            result.stdout)


@pytest.mark.parametrize("cutoff", [0, 32, -1])
def test_bad_cutoff(cutoff: int) -> None:
    with pytest.raises(PeriodError):
        parse("tháng 11/2017", cutoff)


# --- properties ----------------------------------------------------------------------------------

CUTOFFS = st.one_of(st.none(), st.integers(min_value=1, max_value=28))
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def _weeks_in(iso_year: int) -> int:
    return date(iso_year, 12, 28).isocalendar().week


@settings(max_examples=60, deadline=None)
@given(DAYS, CUTOFFS)
def test_every_day_is_in_exactly_one_month_quarter_and_week(d: date, cutoff: int | None) -> None:
    years = (d.year - 1, d.year, d.year + 1)
    months = [parse(f"tháng {m}/{y}", cutoff) for y in years for m in range(1, 13)]
    quarters = [parse(f"quý {roman(q)}/{y}", cutoff) for y in years for q in range(1, 5)]
    weeks = [parse(f"tuần {w}/{y}", cutoff) for y in years for w in range(1, _weeks_in(y) + 1)]
    for kind, candidates in (("month", months), ("quarter", quarters), ("week", weeks)):
        holding = [p for p in candidates if p.contains(d)]
        assert len(holding) == 1, (kind, d, cutoff)
        found = period_for_kind(kind, d, cutoff_day=cutoff)
        assert (found.start, found.end, found.label) == (holding[0].start, holding[0].end,
                                                         holding[0].label)


@pytest.mark.parametrize("cutoff", [None, *range(1, 29)])
def test_months_quarters_weeks_tile_2000_to_2040(cutoff: int | None) -> None:
    """Exhaustive: consecutive periods cover every day of 2000–2040 once, for every cut-off."""
    for kind in ("month", "quarter", "half", "year", "week"):
        p = period_for_kind(kind, date(2000, 1, 1), cutoff_day=cutoff)
        assert p.contains(date(2000, 1, 1))
        while p.end < date(2040, 12, 31):
            n = p.next()
            assert n.start == p.end_exclusive and n.days > 0, (kind, p.label)
            p = n


@st.composite
def periods(draw: st.DrawFn) -> tuple[Period, int | None, date]:
    """Any kind of period, made by parsing the form a user would type."""
    kind = draw(st.sampled_from(KINDS))
    cutoff = draw(CUTOFFS)
    today = draw(DAYS)
    y = draw(st.integers(min_value=2000, max_value=2040))
    n = draw(st.sampled_from([1, 2, 3, 4, 5, 7, 8, 9, 10, 11]))
    if kind == "day":
        d = draw(DAYS)
        text = f"{d.day}/{d.month}/{d.year}"
    elif kind == "days":
        a, b = sorted(draw(st.lists(DAYS, min_size=2, max_size=2, unique=True)))
        text = f"{a.isoformat()}:{b.isoformat()}"
    elif kind == "week":
        text = f"tuần {draw(st.integers(1, _weeks_in(y)))}/{y}"
    elif kind == "month":
        text = f"tháng {draw(st.integers(1, 12))}/{y}"
    elif kind == "quarter":
        text = f"quý {roman(draw(st.integers(1, 4)))}/{y}"
    elif kind == "half":
        text = f"6 tháng {draw(st.sampled_from(['đầu', 'cuối']))} năm {y}"
    elif kind in ("first_n", "last_n"):
        text = f"{n} tháng {'đầu' if kind == 'first_n' else 'cuối'} năm {y}"
    elif kind == "year":
        text = f"năm {y}"
    else:
        today = draw(st.dates(min_value=date(2016, 1, 1), max_value=date(2027, 12, 31)))
        text = draw(st.sampled_from(["từ đầu nhiệm kỳ đến nay", "nhiệm kỳ", "nhiệm kỳ 2016-2021"]))
    p = parse(text, cutoff, today=today)
    assert p.kind == kind
    return p, cutoff, today


@settings(max_examples=300, deadline=None)
@given(periods())
def test_consecutive_periods_have_no_gap_and_no_overlap(drawn: tuple[Period, int | None, date],
                                                        ) -> None:
    p, _cutoff, _today = drawn
    for _ in range(4):
        n = p.next()
        assert n.start == p.end_exclusive
        assert n.start == p.end + ONE
        assert n.days > 0 and n.end_exclusive > n.start
        assert n.kind == p.kind or {p.kind, n.kind} <= {"day", "days"} or (
            {p.kind, n.kind} == {"first_n", "last_n"})
        p = n


@settings(max_examples=300, deadline=None)
@given(periods())
def test_label_parses_back_to_the_same_period(drawn: tuple[Period, int | None, date]) -> None:
    p, cutoff, today = drawn
    for q in (p, p.next(), p.next().next()):
        if q.kind == "term" and q.term not in TERMS:
            continue  # a term made up after the last configured one has no name to parse
        back = parse(q.label, cutoff, today=today)
        assert (back.start, back.end, back.kind) == (q.start, q.end, q.kind), q.label


@pytest.mark.parametrize(("text", "start", "end"), [
    ("28/12-3/1/2024", date(2023, 12, 28), date(2024, 1, 3)),
    ("15/11-14/2/2024", date(2023, 11, 15), date(2024, 2, 14)),
    ("20/10-20/11/2017", date(2017, 10, 20), date(2017, 11, 20)),
])
def test_a_start_without_a_year_rolls_back_only_across_new_year(text: str, start: date,
                                                                 end: date) -> None:
    p = parse_period(text, today=date(2024, 6, 1))
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize("text", ["31/8-24/8/2023", "1/3-1/2/2024"])
def test_a_start_after_the_end_is_an_error_not_a_year_long_period(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text, today=date(2024, 6, 1))
    assert "sau ngày kết thúc" in info.value.message
    assert "ghi năm cho ngày bắt đầu" in (info.value.hint or "")
