"""Tests of ``yamlread`` where libyaml alone would mislead: aliases (reported where they are
written, not at their anchor), quotes and brackets never closed (reported where they open), and
refused values (the key is there: not a missing field)."""

from __future__ import annotations

import random
import sys
import time

import pytest

from ngoaivu_cli.log.loader import load_text
from ngoaivu_cli.yamlread import YMap, compose, parse_documents

HEAD = "date: 2023-08-28\ncategory: chu_tri_hop\n"


def where(text: str) -> list[tuple[str, int, int, int]]:
    _docs, problems = parse_documents(text, "f.yaml")
    return [(p.code, p.loc.line, p.loc.col, p.span) for p in problems]


# --------------------------------------------------------------------------- aliases


@pytest.mark.parametrize("text, expected", [
    # the alias, not the anchor `&ngay` (1:7); the caret covers `*ngay`
    ("date: &ngay 2023-08-28\nend: *ngay\n", [("E-YAML-ALIAS", 2, 6, 5)]),
    ("- &a [x]\n- *a\n- *a\n", [("E-YAML-ALIAS", 2, 3, 2), ("E-YAML-ALIAS", 3, 3, 2)]),
    ("tags: &t [a, b]\npartners: [x, *t]\n", [("E-YAML-ALIAS", 2, 15, 2)]),
    # an alias as a key, and an alias of a key
    ("date: &k 2023-08-28\n*k : x\n", [("E-YAML-ALIAS", 2, 1, 2)]),
    ("&k date: 2023-08-28\nend: *k\n", [("E-YAML-ALIAS", 2, 6, 2)]),
    # anchored in a value the converter skips (a duplicate key): the alias is still found
    ("date: 2023-08-28\ndate: &d 2023-08-29\nend: *d\n",
     [("E-DUP-KEY", 2, 1, 4), ("E-YAML-ALIAS", 3, 6, 2)]),
    # an anchor redefined: a syntax error in Vietnamese
    ("a: &x 1\nb: &x 2\nc: *x\n", [("E-YAML-SYNTAX", 2, 4, 1)]),
])
def test_alias_is_reported_where_it_is_written(text: str, expected: list[tuple[str, int, int, int]]):
    assert where(text) == expected


def test_duplicate_anchor_message_is_vietnamese():
    _docs, (p,) = parse_documents("a: &x 1\nb: &x 2\n", "f.yaml")
    assert p.message == "lỗi cú pháp YAML: một tên neo (&neo) được đặt hai lần"


def test_alias_bomb_is_refused_quickly():
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))
    began = time.perf_counter()
    found = where("l0: &l0 [lol]\n" + bomb)
    assert time.perf_counter() - began < 2
    assert {code for code, *_ in found} == {"E-YAML-ALIAS"}
    assert len(found) == 81  # each written alias once, never its expansion


def test_alias_in_a_deep_file_is_no_recursion_error():
    # nesting up to yamlread.SAFE_DEPTH is composed; the alias path builds nothing past MAX_DEPTH
    deep = "[" * 900 + "]" * 900
    found = where(f"a: &x 1\nb: {deep}\nc: *x\n")
    assert ("E-YAML-ALIAS", 3, 4, 2) in found
    assert {code for code, *_ in found} == {"E-YAML-ALIAS", "E-YAML-DEPTH"}
    assert sys.getrecursionlimit() < 2 * 900  # otherwise the test proves nothing


def test_alias_loader_reads_like_libyaml_without_aliases():
    """The second composer (used only when a file has an alias) gives the same nodes."""
    rng = random.Random(7)
    parts = ["a", "b: 1", "- x", "[1, 'q', \"z\"]", "{k: v}", "!!str 12", "|\n  t", "~", "",
             "\n  - y", "\n  k2: &n v2", "# c", "'it''s'", "2023-08-28"]
    for _ in range(300):
        text = "".join(f"k{i}: {rng.choice(parts)}\n" for i in range(rng.randint(1, 6)))
        exact = compose._Converter("f", text.splitlines(), text, exact=True)
        fast = compose._Converter("f", text.splitlines(), text)
        try:
            left = compose._compose(fast, text, compose._Loader)
        except compose._AliasFound:  # pragma: no cover - no alias is written above
            raise AssertionError(text) from None
        right = compose._compose(exact, text, compose._AliasLoader)
        assert left == right, text
        assert fast.problems == exact.problems, text


def test_a_file_without_alias_is_composed_once(monkeypatch: pytest.MonkeyPatch):
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("composed twice")

    monkeypatch.setattr(compose, "_AliasLoader", never)
    text = "- date: 2023-08-28  # R&D *\n  category: chu_tri_hop\n  summary: 'Sở KH&ĐT *'\n"
    docs, problems = parse_documents(text, "f.yaml")
    assert problems == [] and len(docs) == 1


# --------------------------------------------------------------------------- unclosed


@pytest.mark.parametrize("rest, line, col, words", [
    ('summary: "Họp báo cáo\n', 3, 10, "dấu nháy kép `\"` chưa được đóng"),
    ('summary: "Họp báo cáo', 3, 10, "dấu nháy kép `\"` chưa được đóng"),  # no last newline
    ("summary: 'Họp báo cáo\n", 3, 10, "dấu nháy đơn `'` chưa được đóng"),
    ('summary: "Họp\nunit: HTQT\n', 3, 10, "dấu nháy kép"),
    ("summary: [ttdn, lao\n", 3, 10, "danh sách mở bằng `[` chưa được đóng"),
    ("summary: [ttdn, lao", 3, 10, "danh sách mở bằng `[` chưa được đóng"),
    ("tags: [ttdn, lao\nsummary: Họp\n", 3, 7, "danh sách mở bằng `[` chưa được đóng"),
    ("summary: Họp\nmetrics: {doan_ra: 1\n", 4, 10, "bảng mở bằng `{` chưa được đóng"),
    ("tags: [a, \"b\n", 3, 11, "dấu nháy kép"),
])
def test_unclosed_quote_or_bracket_points_where_it_opens(rest: str, line: int, col: int,
                                                         words: str):
    _docs, (p,) = parse_documents(HEAD + rest, "f.yaml")
    assert (p.code, p.loc.line, p.loc.col) == ("E-YAML-SYNTAX", line, col)
    assert words in p.message
    assert p.excerpt == (HEAD + rest).splitlines()[line - 1]


@pytest.mark.parametrize("rest, line, col", [
    ('summary: "Họp \\q báo cáo"\n', 3, 15),  # the bad escape, not the opening quote
    ('tags: [a, "b" c]\n', 3, 15),  # on the line of the bracket: the parser's place
])
def test_other_errors_inside_quotes_or_brackets_keep_the_parsers_place(rest: str, line: int,
                                                                       col: int):
    _docs, (p,) = parse_documents(HEAD + rest, "f.yaml")
    assert (p.code, p.loc.line, p.loc.col) == ("E-YAML-SYNTAX", line, col)


# --------------------------------------------------------------------------- refused values


@pytest.mark.parametrize("value, code", [
    ('!!python/object/apply:os.system ["echo pwned"]', "E-YAML-TAG"),
    ("!!binary aGVsbG8=", "E-YAML-TAG"),
    ("*d", "E-YAML-ALIAS"),
])
def test_refused_value_is_not_a_missing_field(value: str, code: str):
    text = f"date: &d 2023-08-28\ncategory: chu_tri_hop\nsummary: {value}\n"
    (doc,), _problems = parse_documents(text, "f.yaml")
    assert isinstance(doc, YMap)
    assert "summary" not in doc.pairs and doc.refused == {"summary"}
    result = load_text(text, "f.yaml")
    assert [p.code for p in result.problems] == [code]
    assert result.entries[0].summary is None


def test_refused_value_then_the_same_key_is_a_duplicate():
    found = where(HEAD + "summary: !!python/object x\nsummary: Họp\n")
    assert found == [("E-YAML-TAG", 3, 10, 15), ("E-DUP-KEY", 4, 1, 7)]
