"""Configuration strings: the fast path that prints variables means exactly what Jinja means."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngoaivu_cli import textfill
from ngoaivu_cli.config import load_config, vocabulary
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
    names = {**vocabulary.WORD_NAMES, "raw": None}
    problem = check(text, names)
    if wanted is None:
        assert problem is None
    else:
        assert problem is not None and wanted in problem[1], problem


def test_the_names_configuration_strings_may_use_are_the_ones_reports_give():
    period = parse_period("tuần 35/2023", today=dt.date(2023, 9, 1))
    assert tuple(period_words(period)) == vocabulary.PERIOD_KEYS
    assert tuple(_agency(load_config(None))) == vocabulary.AGENCY_KEYS


def test_the_filters_known_without_jinja_are_the_filters_jinja_has():
    import jinja2.filters

    assert set(jinja2.filters.FILTERS) == textfill.JINJA_FILTERS
    assert textfill._known_filters() == set(textfill._env().filters)


# A name on a mapping is its key, never a dict method (issue 14, item e): Jinja alone printed
# "<built-in method items of dict object at 0x...>" for {{ m.items }}.
METHOD_NAMES = {"m": {"items": "03", "keys": "02", "values": "01", "get": "04"},
                "raw": {"items": 3, "keys": 2}, "period": {"label": "tháng 11/2024"}}


@pytest.mark.parametrize(("text", "printed"), [
    ("{{ m.items }} {{ m.keys }} {{ m.values }} {{ m.get }}", "03 02 01 04"),  # fast path
    ("{% if raw.items %}{{ m.items }} mục{% endif %}", "03 mục"),  # through Jinja
    ("{{ m['items'] }}/{{ raw.keys + 1 }}", "03/3"),
])
def test_metric_names_that_are_dict_methods_print_the_metric(text: str, printed: str) -> None:
    assert fill(text, METHOD_NAMES) == printed


@pytest.mark.parametrize("text", ["{{ period.items }}", "{% if period.keys %}x{% endif %}",
                                  "{{ raw.values() | sum }}", "{{ m.get('items') }}"])
def test_a_dict_method_is_never_printed(text: str) -> None:
    with pytest.raises(FillError) as excinfo:
        fill(text, METHOD_NAMES)
    assert "built-in" not in excinfo.value.message


def test_check_names_a_method_call_on_figures_as_an_unknown_metric() -> None:
    names = {**vocabulary.WORD_NAMES, "raw": ("doan_ra",), "m": ("doan_ra",)}
    problem = check("{{ raw.items() | length }}", names)
    assert problem is not None and "`raw` không có `items`" in problem[0]
    assert check("{% for k in raw %}{{ k }}{% endfor %}", names) is None  # iterating is fine


def test_a_metric_named_items_prints_in_a_report(clean_env: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end: a metric whose name is a dict method, in m, raw and a scope (ytd)."""
    from click.testing import CliRunner

    from ngoaivu_cli.cli import main

    (tmp_path / "ngoaivu.yaml").write_text(
        "metrics:\n  items: {label: Mục, unit: mục}\n  keys: {label: Khóa, unit: khóa}\n"
        "categories:\n  bien_gioi:\n    label: Biên giới\n    stats:\n"
        "      - text: \"Có {{ m.items }} mục, {{ raw.keys }} khóa, {{ ytd.items }} từ đầu năm.\"\n",
        "utf-8")
    folder = tmp_path / "data" / "2024" / "11"
    folder.mkdir(parents=True)
    (folder / "2024-11-05-a.yaml").write_text(
        "date: 2024-11-05\ncategory: bien_gioi\nsummary: Tuần tra biên giới.\n"
        "metrics: {items: 3, keys: 2}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert "0 lỗi" in CliRunner().invoke(main, ["validate"]).output
    result = CliRunner().invoke(main, ["report", "--period", "quý IV/2024", "--format", "md",
                                       "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "- Có 03 mục, 2 khóa, 03 từ đầu năm." in result.output
    assert "built-in" not in result.output and "method" not in result.output
