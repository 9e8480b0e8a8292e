"""Configuration strings: the fast path that prints variables means exactly what Jinja means."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngoaivu_cli import textfill
from ngoaivu_cli.config import load_config
from ngoaivu_cli.periods import parse_period
from ngoaivu_cli.render.context import _agency, period_words
from ngoaivu_cli.textfill import FillError, check, compile_text, fill

CONTEXT = {
    "period": {"label": "từ ngày 24/8 - 31/8/2023", "year": 2023, "days": 8, "kind": "days",
               "relative_next": "tuần tới"},
    "m": {"doan_ra": 3, "gio": 15.5, "items": "x"},
    "n": None,
}
PATHS = ["period.label", "period.year", "period.days", "m.doan_ra", "m.gio", "m.items", "n",
         "period.relative_next"]
FILTERS = ["upper", "lower", "capfirst", "title", "trim", "string", "vn_number", "length"]


def jinja(text: str) -> str:
    return " ".join(compile_text(text).render(CONTEXT).split())


def test_plain_prints_take_the_fast_path():
    assert textfill._simple_parts("Tuần {{ period.label }}: {{ m.doan_ra | vn_number }}.")
    assert fill("{ {{ period.label }} }", CONTEXT) == jinja("{ {{ period.label }} }")
    for text in ("{% if m.doan_ra %}có{% endif %}", "{{ m.doan_ra + 1 }}", "{{ none }}x",
                 "{{ True }}",
                 "{{- period.label }}", "{{ period.label -}}", "{{ period.label | replace('a', 'b') }}",
                 "{# note #}{{ period.label }}"):
        assert textfill._simple_parts(text) is None, text
        assert fill(text, CONTEXT) == jinja(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet="abc đ:;,.-}|% \n", max_size=8),
    st.tuples(st.sampled_from(PATHS), st.lists(st.sampled_from(FILTERS), max_size=2)).map(
        lambda p: "{{ " + " | ".join([p[0], *p[1]]) + " }}")), max_size=6))
def test_fast_path_fills_as_jinja_does(pieces: list[str]):
    text = "".join(pieces)
    if "{" not in text:  # plain text is returned as it is
        assert fill(text, CONTEXT) == text
        return
    try:
        expected: str | type = jinja(text)
    except Exception as exc:  # noqa: BLE001 - the same failure is wanted from fill
        expected = type(exc)
    if isinstance(expected, str):
        assert fill(text, CONTEXT) == expected
    else:
        with pytest.raises(FillError):
            fill(text, CONTEXT)


def test_a_missing_variable_is_a_clear_error_not_a_crash():
    with pytest.raises(FillError) as excinfo:
        fill("Tuần {{ period.lable }}", CONTEXT)
    assert "period.lable" in excinfo.value.message
    with pytest.raises(FillError):
        fill("{% for x in nothing %}{{ x }}{% endfor %}", CONTEXT)


@pytest.mark.parametrize(("text", "wanted"), [
    ("{{ period.label }}", None),
    ("{{ period.lable }}", "có phải ý bạn là `period.label`?"),
    ("{{ periodd.label }}", "dùng được:"),
    ("{{ period.label | hoa }}", "ví dụ"),
    ("{{ period.label | uper }}", "có phải ý bạn là `upper`?"),
    ("{% if period.lable %}x{% endif %}", "có phải ý bạn là `period.label`?"),
    ("{% for x in [1, 2] %}{{ x }}{% endfor %}", None),
    ("{{ period.label", "kiểm tra dấu ngoặc"),
    ("{{{ period.label }}", "kiểm tra dấu ngoặc"),
    ("{% for k in raw %}{% if loop.first %}: {% endif %}{{ k }}{% endfor %}", None),
    ("{{ raw.values() | sum }} {{ range(3) | list | length }} {{ none }} {{ True }}", None),
    ("{% macro d(x) %}{{ x }}{% endmacro %}{{ d(period.label) }}", None),
    ("{% set n = namespace(t=0) %}{{ n.t }}", None),
])
def test_check_names_what_is_wrong(text: str, wanted: str | None):
    names = {**textfill.WORD_NAMES, "raw": None}
    problem = check(text, names)
    if wanted is None:
        assert problem is None
    else:
        assert problem is not None and wanted in problem[1], problem


def test_the_names_configuration_strings_may_use_are_the_ones_reports_give():
    period = parse_period("tuần 35/2023", today=dt.date(2023, 9, 1))
    assert tuple(period_words(period)) == textfill.PERIOD_KEYS
    assert tuple(_agency(load_config(None))) == textfill.AGENCY_KEYS


def test_the_filters_known_without_jinja_are_the_filters_jinja_has():
    import jinja2.filters

    assert set(jinja2.filters.FILTERS) == textfill.JINJA_FILTERS
    assert textfill._known_filters() == set(textfill._env().filters)
