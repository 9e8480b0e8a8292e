"""Hostile input: whatever is typed, pasted or copied into a log, every run ends in a clear
message or a valid report, never a traceback or a hang.

Property tests (hypothesis) over the loader (text and bytes), the simple-form reader against
libyaml, the validator, the period parser and the DOCX renderer; fixed cases through the CLI
(symlink loops, unreadable files and folders, FIFOs, an empty data folder, 10 MB files, deep
nesting, alias bombs, object tags, binary and non-UTF-8 files); and a seeded generator that
writes thousands of malformed files into one folder for a single ``validate``. :data:`CASES`
adds up to more than 10,000 cases per run.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ngoaivu_cli import yamlread
from ngoaivu_cli.cli import main
from ngoaivu_cli.config import load_config
from ngoaivu_cli.errors import NgoaivuError, Problem, SourceLoc
from ngoaivu_cli.log import loader
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.log.loader import load_file, load_text
from ngoaivu_cli.log.quick import quick_entries
from ngoaivu_cli.periods import Period, parse_period
from ngoaivu_cli.validate import attach_excerpts, validate_entries

pytestmark = pytest.mark.usefixtures("clean_env")

N_TEXT, N_BYTES, N_SIMPLE, N_VALIDATE, N_PERIOD, N_RENDER = 2500, 1500, 2500, 1500, 2500, 150
N_FILES = 4000  # files of the seeded generator, checked by one `validate`
CASES = N_TEXT + N_BYTES + N_SIMPLE + N_VALIDATE + N_PERIOD + N_RENDER + N_FILES
assert CASES >= 10_000

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
           HealthCheck.function_scoped_fixture]
CODE_RE = re.compile(r"[EW]-[A-Z0-9]+(?:-[A-Z0-9]+)*\Z")
CONFIG = load_config(cwd=Path(os.sep))
TODAY = dt.date(2023, 12, 5)

# --------------------------------------------------------------------------- pieces of hostility

CONTROLS = [chr(c) for c in range(0x20) if c != 0x0A] + ["\x7f", "\x85", "\u2028", "\u2029"]
BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", "\u3000", "\u00ad"]
COMBINING = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"]
XML = ["<", ">", "&", '"', "'", "&amp;", "<w:p>", "]]>", "<!--", "&#0;", "\ufffe", "\uffff"]
JINJA = ["{{ 7*7 }}", "{%p for x in y %}", "{% endfor %}", "{#", "#}", "{{", "}}", "{%",
         "{{ self.__init__.__globals__ }}", "{{ period.label }}", "{%tr if x %}", "{{ m.x }}"]
YAMLISH = [": ", " #", "- ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object/apply:os.system",
           "!!binary", "!tag ", "|", ">", "%YAML 1.1", "---", "...", "<<", "=", "~", "null", "no",
           "12:30", "0x1F", "1e9", ".inf", "\t", "\\", '"', "'"]
VIET = ["Họp báo cáo", "Đón đoàn Bolikhămxay (Lào)", unicodedata.normalize("NFD", "Thẩm định"),
        "B¸o c¸o", "Baùo caùo", "Muñoz, Malmö", "中文", "العربية", "עברית", "😀", "𝔘𝔫𝔦"]
PIECES = CONTROLS + BIDI + INVISIBLE + COMBINING + XML + JINJA + YAMLISH + VIET
KEYS = ["date", "end", "category", "summary", "unit", "status", "tags", "partners", "metrics",
        "footnote", "sumary", "Date", "d\u200bate", "<<", "? x", "- date", ""]
VALUES = ["2023-08-28", "28/8/2023", "2023-02-30", "chu_tri_hop", "khong_co", "done", "planned",
          "[lao, ttdn]", "{doan_ra: 1}", "{doan_ra: -1}", "{doan_ra: 1,5}", "HTQT", "", "~"]

piece = st.sampled_from(PIECES)
hostile_text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(st.one_of(piece, st.text(max_size=8)), max_size=25).map("".join),
)


@st.composite
def yamlish_files(draw: st.DrawFn) -> str:
    """Files that look like entries, with hostile keys, values and indentation."""
    lines = []
    for _ in range(draw(st.integers(0, 9))):
        indent = draw(st.sampled_from(["", "", "", " ", "  ", "- ", "\t", "  - "]))
        key = draw(st.sampled_from(KEYS))
        value = draw(st.one_of(st.sampled_from(VALUES), hostile_text))
        quote = draw(st.sampled_from(["", "", '"', "'"]))
        lines.append(f"{indent}{key}: {quote}{value}{quote}")
    tail = draw(st.sampled_from(["", "", "\n", "\r\n", "\n---\n- []", "\n" + "[" * 70]))
    return "\n".join(lines) + tail


def assert_well_formed(problems: list[Problem], shown: str) -> None:
    for p in problems:
        assert CODE_RE.match(p.code), p
        assert p.loc.path == shown and p.loc.line >= 1 and p.loc.col >= 1, p
        assert p.severity in ("error", "warning") and p.message
        p.format()
        p.to_json()


# --------------------------------------------------------------------------- properties


@settings(max_examples=N_TEXT, deadline=None, suppress_health_check=SLOW_OK)
@given(st.one_of(hostile_text, yamlish_files(), st.text(max_size=200)))
def test_loader_never_raises_on_any_text(text: str):
    result = load_text(text, "h.yaml")
    assert_well_formed(result.problems, "h.yaml")
    for e in result.entries:
        assert e.loc.path == "h.yaml"
    if not result.problems:
        assert result.entries


@pytest.mark.parametrize("text", [
    ENTRY_TEXT := 'date: 2023-08-28\ncategory: chu_tri_hop\nsummary: "Họp"\n',
    ENTRY_TEXT.replace("Họp", "x" * 10_000_000),
    ENTRY_TEXT.replace('"Họp"', "Họp " * 2_500_000),
    ENTRY_TEXT + "tags: " + "[" * 5_000_000 + "\n",
    ENTRY_TEXT + "footnote: " + "&a " * 10 + "x" * 10_000_000 + "\n",
], ids=["plain", "10MB-quoted", "10MB-plain", "5M-brackets", "10MB-anchors"])
def test_ten_megabyte_text_in_memory_is_read_or_refused_quickly(text: str):
    """The loader refuses files over 1 MB (E-FILE-SIZE); text given in memory is still safe."""
    result = load_text(text, "h.yaml")
    assert_well_formed(result.problems, "h.yaml")
    validate_entries(result.entries, CONFIG)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


ENCODINGS = ["utf-16", "utf-32", "cp1258", "latin-1", "utf-8-sig", "gb18030"]


@st.composite
def file_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=400))
    text = draw(st.one_of(yamlish_files(), hostile_text))
    if kind == 1:
        return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    raw = text.encode("utf-8", errors="replace")
    if kind == 2:  # a stray invalid byte somewhere
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.sampled_from([b"\xff", b"\xc0", b"\x80", b"\xe1\n", b"\x00"])) \
            + raw[at:]
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\n\n"])) + raw


@settings(max_examples=N_BYTES, deadline=None, suppress_health_check=SLOW_OK)
@given(file_bytes())
def test_loader_never_raises_on_any_bytes(scratch: Path, raw: bytes):
    path = scratch / "2023-08-28-h.yaml"
    path.write_bytes(raw)
    result = load_file(path, scratch)
    assert_well_formed(result.problems, "2023-08-28-h.yaml")
    assert result.files == 1


SIMPLE_KEYS = ["date", "summary", "tags", "a", "x_1", "true", "null", "y", "K" * 64, "k" * 65]
SIMPLE_ATOMS = ["Họp", "abc", "Thái Lan", "x y", "1", "-1", "1.5", " ", "  ", ":", ": ", "#",
                " #", "'", '"', "\\", "[", "]", "{", "}", ",", "-", "?", "&a", "*a", "!", "|",
                ">", "%", "@", "`", "~", "<<", "=", "a:b", "C#", "...", "---", "\u00a0", "\u0301",
                "\t", "it''s", "é", "😀"]


@st.composite
def simple_looking_files(draw: st.DrawFn) -> str:
    """Mostly the simple form, often just off it: what parse_simple must get right or refuse."""
    atom = st.sampled_from(SIMPLE_ATOMS)
    words = st.lists(atom, min_size=1, max_size=4).map("".join)
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 19)) == 0:
            lines.append(draw(st.sampled_from(["", "# ghi chú", " # x", "  y", "- a"])))
            continue
        kind = draw(st.integers(0, 4))
        if kind == 0:
            q = draw(st.sampled_from(['"', "'"]))
            value = q + draw(words) + q
        elif kind == 1:
            items = draw(st.lists(st.one_of(words, words.map(lambda w: f'"{w}"')), max_size=3))
            value = "[" + draw(st.sampled_from([", ", ",", " , "])).join(items) + \
                draw(st.sampled_from(["]", " ]", "],", ""]))
        elif kind == 2:
            items = draw(st.lists(st.tuples(st.sampled_from(SIMPLE_KEYS[:4]), words), max_size=3))
            value = "{" + ", ".join(f"{k}: {v}" for k, v in items) + \
                draw(st.sampled_from(["}", " }", ""]))
        else:
            value = draw(words)
        sep = draw(st.sampled_from([": ", ": ", ":", ":  ", " : "]))
        lines.append(draw(st.sampled_from(SIMPLE_KEYS)) + sep + value)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def _dump(node: yamlread.YNode) -> tuple[object, ...]:
    if isinstance(node, yamlread.YScalar):
        return ("S", node.line, node.col, node.value, node.plain, node.tagged, node.src)
    if isinstance(node, yamlread.YSeq):
        return ("Q", node.line, node.col, node.src, [_dump(i) for i in node.items])
    assert isinstance(node, yamlread.YMap)
    return ("M", node.line, node.col, node.src,
            [(k, _dump(a), _dump(b)) for k, (a, b) in node.pairs.items()])


@settings(max_examples=N_SIMPLE, deadline=None, suppress_health_check=SLOW_OK)
@given(simple_looking_files())
def test_the_simple_form_reads_exactly_as_libyaml(text: str):
    fast = yamlread.parse_simple(text, "s.yaml")
    if fast is None:
        return  # not the simple form: libyaml reads it
    docs, problems = yamlread.parse_documents(text, "s.yaml", simple=False)
    assert problems == [] and len(docs) == 1
    assert _dump(fast) == _dump(docs[0])


QUICK_VALUES = {
    "date": ['"2023-08-28"', "2023-08-28", '" 2023-08-28 "', '"2023-02-30"', '"2023-8-28"',
             '"28/08/2023"', '"2024-12"', "2024-Q1", '"quý I/2024"', "~", '""', "null",
             "'2023-08-28'", '"２023-08-28"', "2023-08-28 # x"],
    "category": ['"chu_tri_hop"', "chu_tri_hop", "~", '""', '" x "', "null", "'a'"],
    "summary": ['"Họp báo"', "Họp báo", '" "', '""', "~", "'it''s'", '"a: b # c"', "Null",
                '"' + "x" * 9000 + '"'],
    "status": ['"done"', "planned", "~", '"Done"', '""', "xong", "'planned'"],
    "tags": ['["a", "b"]', "[]", '["a","b"]', "[a, b]", '" a "', "~", '{a: 1}', '[" x "]'],
    "metrics": ["{doan_ra: 1}", "{doan_ra: 1, luot_ra: 2.5}", "{a: 0012, b: 3.25, c: 7}",
                "{doan_ra: 1, doan_ra: 2}", "{a: 1_000}", "{a: -1}", "{a: 1e3}", "{a: 0012}", "{a: 1 }", "{}",
                "{a: " + "9" * 18 + "}", "{a: " + "9" * 19 + "}", "{a: 999999999999999.5}",
                "{a: ١}", '{a: "1"}', "[1]", "~", "{ a: 1}", "{a:  1}", "{true: 1}"],
    "official": ["{scope: năm 2023, metrics: {doan_ra: 1}}"],
    "x": ['"y"'],
}
QUICK_VALUES["end"] = QUICK_VALUES["date"]
QUICK_VALUES["unit"] = QUICK_VALUES["category"]
QUICK_VALUES["partners"] = QUICK_VALUES["tags"]
QUICK_VALUES["footnote"] = QUICK_VALUES["summary"]


@st.composite
def quick_looking_files(draw: st.DrawFn, odd: int = 10) -> str:
    """Entry files in the simple form, mostly clean (each list of values starts with three
    clean ones), about one line in ``odd`` with something to report or off the form."""
    keys = draw(st.lists(st.sampled_from(sorted(QUICK_VALUES)), unique=True, max_size=9))
    if draw(st.integers(0, odd // 3)):
        keys = ["date", "category", "summary", *(k for k in keys if k not in (
            "date", "category", "summary", "official", "x"))]
    if draw(st.integers(0, odd)) == 0 and keys:
        keys.append(draw(st.sampled_from(keys)))  # a key written twice
    lines = []
    for key in keys:
        if draw(st.integers(0, odd)) == 0:
            lines.append(draw(st.sampled_from(["", "# ghi chú", " # x", "- a", "\t"])))
        sep = draw(st.sampled_from([": "] * odd + [":  ", ":"]))
        values = QUICK_VALUES[key]
        lines.append(key + sep + draw(st.sampled_from(values[:3] if draw(st.integers(0, odd))
                                                       else values)))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "", "\n\n", "\r\n"]))


@st.composite
def quick_looking_lists(draw: st.DrawFn) -> str:
    """Lists of such entries (`- date: ...`, then each field indented by two spaces)."""
    items = []
    for text in draw(st.lists(quick_looking_files(odd=40), min_size=1, max_size=3)):
        lines = text.rstrip("\n").split("\n")
        indent = draw(st.sampled_from(["  "] * 20 + ["   ", " ", ""]))
        items.append("\n".join([f"- {lines[0]}", *(indent + line for line in lines[1:])]))
    return draw(st.sampled_from(["\n"] * 10 + ["\n\n", "\n# x\n"])).join(items) + "\n"


@settings(max_examples=N_SIMPLE, deadline=None, suppress_health_check=SLOW_OK)
@given(st.one_of(quick_looking_files(), quick_looking_lists()))
def test_quick_entries_are_the_ones_the_loader_builds(text: str):
    quick = quick_entries(text, "data/q.yaml")
    if quick is None:
        return
    slow = loader.read_text(text, "data/q.yaml")  # the located nodes (libyaml's for a list)
    assert slow.problems == [] and slow.entries == quick
    assert [e.positions for e in slow.entries] == [e.positions for e in quick]  # not in ==
    assert load_text(text, "data/q.yaml").entries == quick


def test_clean_simple_files_are_quick():
    text = ('date: "2023-08-28"\ncategory: chu_tri_hop\nstatus: planned\nsummary: "Họp"\n'
            'tags: ["a", "b"]\nmetrics: {doan_ra: 1, gio_phien_dich: 2.5}\n')
    entries = quick_entries(text, "q.yaml")
    assert entries and entries[0].metrics == (("doan_ra", 1), ("gio_phien_dich", 2.5))
    assert entries[0].positions[-2:] == (("metrics.doan_ra", 6, 11),
                                         ("metrics.gio_phien_dich", 6, 23))
    assert quick_entries(text.replace("planned", "xong"), "q.yaml") is None  # E-VALUE
    assert quick_entries(text + "x: 1\n", "q.yaml") is None  # E-UNKNOWN-FIELD
    item = "- " + text.replace("\n", "\n  ").rstrip() + "\n"
    two = item + "\n" + item
    entries = quick_entries(two, "q.yaml")
    assert entries and [(e.loc.line, e.loc.col, e.index) for e in entries] == [(1, 3, 0), (8, 3, 1)]
    assert entries[1].positions[-1] == ("metrics.gio_phien_dich", 13, 25)
    assert quick_entries(two.replace("\n\n", "\n# x\n"), "q.yaml") is None  # read by libyaml


def test_the_simple_form_reads_every_shipped_file_as_libyaml():
    repo = Path(__file__).resolve().parents[1]
    files = [p for folder in ("data", "tests/data", "examples") for p in (repo / folder).rglob(
        "*.y*ml")]
    simple = 0
    for path in files:
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        fast = yamlread.parse_simple(text, "f")
        if fast is not None:
            simple += 1
            docs, problems = yamlread.parse_documents(text, "f", simple=False)
            assert problems == [] and [_dump(d) for d in docs] == [_dump(fast)], path
    assert simple >= 30


@settings(max_examples=N_VALIDATE, deadline=None, suppress_health_check=SLOW_OK)
@given(st.lists(st.one_of(yamlish_files(), hostile_text), min_size=1, max_size=4))
def test_validator_never_raises(texts: list[str]):
    entries, problems = [], []
    for i, text in enumerate(texts):
        loaded = load_text(text, f"data/2023/08/2023-08-2{i}-h.yaml")
        entries += loaded.entries
        problems += loaded.problems
    problems += validate_entries(entries, CONFIG)
    lines = {f"data/2023/08/2023-08-2{i}-h.yaml": t.splitlines() for i, t in enumerate(texts)}
    for p in attach_excerpts(problems, lines.get):
        assert CODE_RE.match(p.code), p
        assert p.loc.line >= 1 and p.loc.col >= 1
        p.format()


PERIOD_WORDS = ["tháng", "quý", "tuần", "năm", "ngày", "từ", "đến", "nay", "đầu", "cuối", "này",
                "trước", "tới", "6", "9", "III", "IV", "V", "2023", "20231", "23", "1900",
                "2200", "24/8", "31/8/2023", "30/2", "-", "–", ":", "..", "/", ".", "W35", "Q3",
                "H1", "nhiệm kỳ", "hôm nay", "hôm qua", "last-week", "this month", "0", "00",
                "13", "53", "99999999999999999999", " "]


@settings(max_examples=N_PERIOD, deadline=None, suppress_health_check=SLOW_OK)
@given(st.one_of(st.lists(st.sampled_from(PERIOD_WORDS), max_size=8).map(" ".join),
                 st.lists(st.sampled_from(PERIOD_WORDS), max_size=8).map("".join),
                 hostile_text),
       st.sampled_from([None, 14, 25]), st.sampled_from([None, 2022]))
def test_period_parser_answers_or_refuses_clearly(text: str, cutoff: int | None,
                                                  year: int | None):
    try:
        period = parse_period(text, today=TODAY, cutoff_day=cutoff, terms=CONFIG.terms, year=year)
    except NgoaivuError as exc:
        assert exc.message and exc.exit_code == 2
        return
    assert isinstance(period, Period)
    assert period.start <= period.end
    period.describe()
    period.next()


@pytest.mark.parametrize("text", ["x" * 10_000_000, "tháng " + "1" * 100_000,
                                  "từ ngày " + "24/8 - " * 50_000 + "31/8/2023",
                                  "\x00" * 1000, "2023-08-24:" * 100_000],
                         ids=["10MB", "long-number", "long-range", "nul", "repeated"])
def test_period_parser_refuses_huge_input_at_once(text: str):
    with pytest.raises(NgoaivuError) as caught:
        parse_period(text, today=TODAY)
    assert len(caught.value.message) < 300


@pytest.fixture(scope="module")
def report_parts():  # noqa: ANN201
    from ngoaivu_cli.render.report import choose_type, shipped_template

    period = parse_period("2023-08-24:2023-08-31", today=TODAY)
    return period, choose_type(CONFIG, period, None), shipped_template("van-ban.docx")


render_text = st.one_of(
    st.lists(piece, min_size=1, max_size=12).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80),
    st.sampled_from(["x" * 20_000, "Họp " * 2000]),
)


@settings(max_examples=N_RENDER, deadline=None, suppress_health_check=SLOW_OK)
@given(st.lists(st.tuples(render_text, st.sampled_from(list(CONFIG.categories)),
                          st.one_of(st.none(), render_text),
                          st.lists(render_text, max_size=2)), min_size=1, max_size=4))
def test_the_renderer_always_gives_a_valid_docx(report_parts, items):  # noqa: ANN001
    from docx import Document

    from ngoaivu_cli.render.context import ReportRequest, build_context
    from ngoaivu_cli.render.docx_writer import render_docx

    period, report_type, template = report_parts
    entries = [Entry(SourceLoc(f"data/2023/08/2023-08-2{i}-h.yaml", 1, 1),
                     dt.date(2023, 8, 24 + i % 7), category, summary, footnote=footnote,
                     partners=tuple(partners), index=0)
               for i, (summary, category, footnote, partners) in enumerate(items)]
    try:
        context = build_context(ReportRequest(report_type, period), entries, CONFIG)
        data = render_docx(template, context, title="x")
    except NgoaivuError:
        return  # a clear message is the other allowed end
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    for summary, *_rest in items:
        for marker in ("{{ 7*7 }}", "<w:p>", "&amp;"):
            # a merged bullet ("... về: a; b.") drops each clause's own final punctuation
            # (characters XML cannot hold are dropped first, so they do not shield it)
            if marker in re.sub(r"[\s.;,:!?\x00-\x1f\x7f-\x9f\ufffe\uffff]+\Z", "", summary):
                assert marker in text  # printed as written, never run or parsed


# --------------------------------------------------------------------------- the CLI


def run(*args: str) -> Result:
    return CliRunner(catch_exceptions=False).invoke(main, list(args))


def assert_clear(result: Result) -> None:
    """A clear ending: exit status 0/1/2, no traceback, no internal error."""
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output


ENTRY = 'date: 2023-08-28\ncategory: chu_tri_hop\nsummary: "Họp báo cáo"\n'


def _cases() -> dict[str, tuple[bytes | None, str]]:
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))
    return {
        "deep-flow": ((ENTRY + "tags: " + "[" * 100_000 + "\n").encode(), "E-YAML-DEPTH"),
        "deep-block": (("- " * 3000 + "x\n").encode(), "E-YAML-DEPTH"),
        "deep-map": ((ENTRY + "metrics: " + "{a: " * 40_000 + "\n").encode(), "E-YAML-DEPTH"),
        "alias-bomb": ((ENTRY + "l0: &l0 [lol]\n" + bomb).encode(), "E-YAML-ALIAS"),
        "object-tag": ((ENTRY + 'footnote: !!python/object/apply:os.system ["echo x"]\n')
                       .encode(), "E-YAML-TAG"),
        "ten-megabytes": ((ENTRY.replace("Họp báo cáo", "x" * 10_000_000)).encode(),
                          "E-FILE-SIZE"),
        "binary": (bytes(range(256)) * 4, "E-ENCODING"),
        "utf-16": (ENTRY.encode("utf-16"), "E-ENCODING"),
        "cp1258": (ENTRY.replace("Họp báo cáo", "Hop bao cao \xe1").encode("cp1258"),
                   "E-ENCODING"),
        "nul": (ENTRY.encode() + b"\x00", "E-ENCODING"),
        "control": (ENTRY.replace("Họp", "H\x0bp").encode(), "E-TEXT-CONTROL"),
        "rtl-nfd": (ENTRY.replace("Họp báo cáo", "\u202e" + unicodedata.normalize(
            "NFD", "Họp báo cáo")).encode(), "W-NFC"),
        "jinja-xml": (ENTRY.replace("Họp báo cáo", "{{ 7*7 }} <w:p> & {% endfor %}").encode(),
                      ""),
        "empty": (b"", "E-EMPTY"),
        "fifo": (None, "E-READ"),
        "folder-named-yaml": (None, ""),
    }


CASES_CLI = _cases()


@pytest.mark.parametrize("name", list(CASES_CLI))
def test_each_hostile_file_ends_in_a_clear_message(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, name: str):
    raw, code = CASES_CLI[name]
    folder = tmp_path / "data" / "2023" / "08"
    folder.mkdir(parents=True)
    path = folder / "2023-08-28-h.yaml"
    if name == "fifo":
        os.mkfifo(path)
    elif name == "folder-named-yaml":
        path.mkdir()
    else:
        path.write_bytes(raw or b"")
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert_clear(result)
    assert code in result.output
    for args in (("list", "--period", "tháng 8/2023"), ("report", "--period", "tuần 35/2023"),
                 ("stats", "--period", "tháng 8/2023")):
        assert_clear(run(*args))


def test_very_deep_nesting_cannot_crash_or_hang_libyaml(tmp_path: Path, clean_env: Path):
    """In a child process: a crash of libyaml would kill it (SIGSEGV), a hang time out."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "2023-08-28-a.yaml").write_text(ENTRY + "tags: " + "[" * 100_000 + "\n", "utf-8")
    (data / "2023-08-28-b.yaml").write_text(ENTRY + "tags: " + "{a: " * 200_000 + "\n", "utf-8")
    (data / "2023-08-28-c.yaml").write_text(ENTRY + "summary2: " + "x" * 900_000 + "\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGOAIVU_")}
    env.update(HOME=str(clean_env), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ngoaivu_cli", "validate", "data"], cwd=tmp_path,
                          env=env, capture_output=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode()
    assert out.count("E-YAML-DEPTH") == 2 and "E-UNKNOWN-FIELD" in out


def test_symlink_loops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "data"
    (data / "2023").mkdir(parents=True)
    (data / "2023" / "vong").symlink_to(data)  # a folder loop: links are not followed
    (data / "2023-08-28-a.yaml").symlink_to(data / "2023-08-28-b.yaml")
    (data / "2023-08-28-b.yaml").symlink_to(data / "2023-08-28-a.yaml")
    (data / "2023-08-28-c.yaml").symlink_to(data / "2023-08-28-c.yaml")
    (data / "2023-08-28-d.yaml").symlink_to(tmp_path / "khong-co.yaml")  # dangling
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert_clear(result)
    assert result.exit_code == 1
    assert result.output.count("error E-READ") == 4
    assert_clear(run("report", "--period", "tuần 35/2023"))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file permissions do not stop root (this case is simulated below)")
def test_unreadable_files_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "data"
    (data / "2023" / "09").mkdir(parents=True)
    (data / "2023-08-28-a.yaml").write_text(ENTRY, "utf-8")
    (data / "2023-08-28-a.yaml").chmod(0)
    (data / "2023" / "09").chmod(0)
    monkeypatch.chdir(tmp_path)
    try:
        result = run("validate")
        assert_clear(result)
        assert result.output.count("error E-READ") == 2
    finally:
        (data / "2023" / "09").chmod(stat.S_IRWXU)


def test_unreadable_files_and_folders_simulated(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "data"
    (data / "2023" / "09").mkdir(parents=True)
    (data / "2023" / "09" / "2023-09-01-b.yaml").write_text(ENTRY, "utf-8")
    (data / "2023-08-28-a.yaml").write_text(ENTRY, "utf-8")
    real_open, real_scandir = os.open, os.scandir

    def deny_open(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        if str(path).endswith("2023-08-28-a.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def deny_scandir(path="."):  # noqa: ANN001, ANN202
        if str(path).endswith("09"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(loader.os, "open", deny_open)
    monkeypatch.setattr(os, "scandir", deny_scandir)
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert_clear(result)
    assert "data/2023-08-28-a.yaml:1:1: error E-READ: -: không đọc được tệp: không có quyền truy cập" \
        in result.output
    assert "data/2023/09:1:1: error E-READ: -: không đọc được thư mục: không có quyền truy cập" \
        in result.output


def test_an_empty_or_missing_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    for args in (("validate",), ("list", "--period", "tháng 8/2023"),
                 ("report", "--period", "tuần 35/2023"), ("batch", "--period", "tháng 8/2023")):
        result = run(*args)  # no data/ at all: not a log repository
        assert_clear(result)
        assert result.exit_code == 1
        assert "không có thư mục nhật ký data/" in result.output and "ngoaivu init" in result.output
    (tmp_path / "data").mkdir()
    result = run("validate")
    assert result.exit_code == 0
    assert "đã kiểm tra 0 tệp" in result.output
    for args in (("list", "--period", "tháng 8/2023"), ("stats", "--period", "năm 2023"),
                 ("report", "--period", "tuần 35/2023"),
                 ("report", "--period", "tháng 8/2023", "--format", "md", "-o", "-")):
        assert_clear(run(*args))
    from docx import Document

    (report,) = tmp_path.glob("bao-cao-tuan-*.docx")
    Document(str(report))


def _seeded_file(rng: random.Random) -> bytes:
    """A file that is certainly wrong (it opens with an unknown field), with hostile rest."""
    lines = ["truong_la: 1"]
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(KEYS)
        value = "".join(rng.choice(PIECES + VALUES) for _ in range(rng.randint(0, 6)))
        lines.append(rng.choice(["", "", "  ", "- "]) + f"{key}: {value}")
    text = "\n".join(lines) + "\n"
    roll = rng.random()
    if roll < 0.05:
        return text.encode("utf-16")
    if roll < 0.10:
        return text.encode("utf-8", errors="replace") + bytes([rng.randrange(0x80, 0x100)])
    if roll < 0.12:
        return text.encode("utf-8", errors="replace") + b"[" * rng.randint(1000, 50_000)
    return text.encode("utf-8", errors="replace")


def test_thousands_of_hostile_files_in_one_validate(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    rng = random.Random(20230828)
    folder = tmp_path / "data" / "2023" / "08"
    folder.mkdir(parents=True)
    names = []
    for i in range(N_FILES):
        name = f"2023-08-{1 + i % 28:02d}-h{i:04d}.yaml"
        (folder / name).write_bytes(_seeded_file(rng))
        names.append(f"data/2023/08/{name}")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--no-excerpt")
    assert_clear(result)
    assert result.exit_code == 1
    assert f"đã kiểm tra {N_FILES} tệp" in result.output
    reported = {line.split(":", 1)[0] for line in result.output.splitlines()
                if ": error " in line or ": warning " in line}
    assert reported == set(names)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_init_writes_any_office_name_literally(tmp_path: Path, value: str):
    """A name typed for ``init --parent/--place/--signer-name`` cannot inject YAML keys
    (``x\\nextends: none``), break the file or come back changed."""
    from ngoaivu_cli.office import Office, SignerSetting, office_config_text

    clean = " ".join(value.split())
    if not clean:
        return
    text = office_config_text(Office(parent=clean, place=clean, short_name=clean, signers={
        "giam_doc": SignerSetting(clean, clean)}))
    path = tmp_path / "ngoaivu.yaml"
    path.write_text(text, "utf-8")
    try:
        config = load_config(path, cwd=tmp_path)
    except NgoaivuError as exc:  # a character the configuration refuses: said, not crashed
        assert str(exc)
        return
    assert config.agency.parent == clean and config.agency.place == clean
    assert config.signers["giam_doc"].name == clean
    assert config.signers["giam_doc"].title == clean


def _one_entry_log(root: Path, monkeypatch: pytest.MonkeyPatch, config: str,
                   metrics: str) -> None:
    """A log in ``root`` (the working folder) with ``config`` and one lanh_su entry of
    22/8/2023 carrying ``metrics``."""
    monkeypatch.chdir(root)
    (root / "ngoaivu.yaml").write_text(config, "utf-8")
    entry_dir = root / "data" / "2023" / "08"
    entry_dir.mkdir(parents=True)
    (entry_dir / "2023-08-22-a.yaml").write_text(
        "date: 2023-08-22\ncategory: lanh_su\nsummary: A\n" + metrics, "utf-8")


def test_a_metric_named_like_a_python_attribute_prints_its_value(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch):
    """The recorder of printed metrics (render/dropped.py) hides no metric a sentence names."""
    _one_entry_log(tmp_path, monkeypatch,
                   "metrics:\n  _printed: {label: X, unit: cái}\n  printed: {label: Y, unit: cái}\n"
                   "categories:\n  lanh_su:\n    stats:\n"
                   "      - text: '{{ m.printed }} / {{ m._printed }}'\n",
                   "metrics: {printed: 4, _printed: 5}\n")
    result = CliRunner().invoke(main, ["report", "--period", "2023-08-21:2023-08-27",
                                       "--format", "md", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "- 04 / 05" in result.stdout


@pytest.mark.parametrize("lead", [
    "{{ ''.__class__.__mro__ }}",            # the sandbox: no Python internals
    "{{ m.items() }}",                        # a name on a mapping is only its key
    "{% for i in range(10**9) %}x{% endfor %}",  # bounded
])
def test_a_hostile_joined_sentence_lead_is_refused(tmp_path: Path, lead: str,
                                                  monkeypatch: pytest.MonkeyPatch):
    """joined_stats.lead is a configuration string like any other: checked, sandboxed."""
    _one_entry_log(tmp_path, monkeypatch,
                   "report_types:\n  bao_cao_dinh_ky:\n    sections:\n      - heading: A\n"
                   f"        joined_stats:\n          lead: \"{lead}\"\n"
                   "          categories: [lanh_su]\n", "metrics: {vu_viec_bao_ho: 2}\n")
    result = CliRunner().invoke(main, ["report", "--period", "năm 2023", "--format", "md",
                                       "-o", "-"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "<class" not in result.output
    assert "built-in" not in result.output


# --------------------------------------------------------------------------- ngoaivu check


def _docx_with(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    base = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="word/document.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in {**base, **members}.items():
            z.writestr(name, data)
    return path


W_DECL = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_check_hostile_documents(tmp_path: Path) -> None:
    """A DOCX from anyone: entity bombs, external entities, style loops, huge or damaged
    parts, a relationship out of the package; each is checked or refused in Vietnamese."""
    import time

    laughs = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i])
                                                               + b";") * 10) for i in range(8))
              + b']><w:document ' + W_DECL + b'><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p>'
              b"</w:body></w:document>")
    external = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b"<w:document " + W_DECL + b"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>"
                b"</w:body></w:document>")
    loop_styles = (b"<w:styles " + W_DECL + b'><w:style w:type="paragraph" w:styleId="A">'
                   b'<w:basedOn w:val="B"/></w:style><w:style w:type="paragraph" w:styleId="B">'
                   b'<w:basedOn w:val="A"/></w:style></w:styles>')
    loop_doc = (b"<w:document " + W_DECL + b'><w:body><w:p><w:pPr><w:pStyle w:val="A"/></w:pPr>'
                b"<w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>")
    doc_rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/relationships/styles" '
                b'Target="../../../../etc/passwd"/><Relationship Id="rId2" Type="http://'
                b'schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
                b'Target="styles.xml"/></Relationships>')
    cases = {
        "laughs": {"word/document.xml": laughs},
        "external": {"word/document.xml": external},
        "loop": {"word/document.xml": loop_doc, "word/styles.xml": loop_styles,
                 "word/_rels/document.xml.rels": doc_rels},
        "broken-xml": {"word/document.xml": b"<w:document " + W_DECL + b"><w:body><w:p>"},
        "deep": {"word/document.xml": b"<w:document " + W_DECL + b"><w:body>"
                 + b"<w:p>" * 5000 + b"</w:p>" * 5000 + b"</w:body></w:document>"},
        "big": {"word/document.xml": b"<w:document " + W_DECL + b"><w:body>"
                + b" " * (65 * 1024 * 1024) + b"</w:body></w:document>"},
    }
    for name, members in cases.items():
        path = _docx_with(tmp_path / f"{name}.docx", members)
        start = time.monotonic()
        result = CliRunner().invoke(main, ["check", "--no-schema", str(path)],
                                    catch_exceptions=False)
        assert time.monotonic() - start < 60, name
        assert result.exit_code == 1, (name, result.output)
        assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, name
        assert "root:" not in result.output, name  # /etc/passwd was never read
        if name in ("broken-xml", "big"):
            assert "hỏng" in result.output or "quá lớn" in result.output, (name, result.output)


def test_check_zip_bomb_is_not_unpacked(tmp_path: Path) -> None:
    """A 300 MB media member packed into a few hundred KB: the layout rules run on the
    document, the schema validator (which reads whole parts) is not given it."""
    import zipfile

    from ngoaivu_cli.check import check_file

    path = _docx_with(tmp_path / "bomb.docx", {
        "word/document.xml": b"<w:document " + W_DECL + b"><w:body/></w:document>"})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, \
            z.open("word/media/image1.png", "w", force_zip64=True) as fh:
        block = b"\0" * (1024 * 1024)
        for _ in range(300):
            fh.write(block)
    result = check_file(path)
    schema = [f for f in result.findings if f.code == "ND30-SCHEMA"]
    assert schema and "quá lớn" in schema[0].message


# --------------------------------------------------------------------------- ngoaivu import

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_bytes(paragraphs: list[str], extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word package whose paragraphs are these texts (escaped as Word would)."""
    import zipfile
    from xml.sax.saxutils import escape

    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p>'
                   for t in paragraphs)
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}' \
          "</w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        if "word/document.xml" not in (extra or {}):
            z.writestr("word/document.xml", doc)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _import(tmp_path: Path, name: str, data: bytes) -> Result:
    root = tmp_path / "log"
    (root / "data").mkdir(parents=True, exist_ok=True)
    doc = tmp_path / name
    doc.write_bytes(data)
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, ["import", str(doc)])
    finally:
        os.chdir(old)


HEAD = ["BÁO CÁO", "Kết quả công tác đối ngoại", "Từ ngày 24/8 - 31/8/2023",
        "I. KẾT QUẢ THỰC HIỆN"]


@settings(max_examples=60, deadline=None, suppress_health_check=SLOW_OK)
@given(st.lists(st.lists(st.sampled_from(list("aăâđ ;:.-–/()“”0123456789") + CONTROLS[:5]
                                          + BIDI[:3] + XML + JINJA
                                          + ["Tham mưu, báo cáo UBND tỉnh về: ",
                                             "07 đoàn với 14 lượt", "Từ ngày 24/8 - 31/8/2023"]),
                         min_size=1, max_size=30).map("".join), min_size=1, max_size=8))
def test_any_bullet_text_imports_to_a_valid_log(tmp_path_factory: pytest.TempPathFactory,
                                                 bullets: list[str]) -> None:
    tmp_path = tmp_path_factory.mktemp("imp")
    result = _import(tmp_path, "bc.docx", _docx_bytes(HEAD + [f"- {b}" for b in bullets]))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    root = tmp_path / "log"
    old = Path.cwd()
    os.chdir(root)
    try:
        check = CliRunner().invoke(main, ["validate"])
    finally:
        os.chdir(old)
    # whatever came in, the log it wrote is valid (the review category only warns)
    assert check.exit_code == 0, check.output + result.output


@settings(max_examples=80, deadline=None, suppress_health_check=SLOW_OK)
@given(st.binary(max_size=3000), st.sampled_from(["a.docx", "a.odt", "a.txt", "a.md"]))
def test_any_bytes_as_a_document_end_in_a_clear_message(tmp_path_factory: pytest.TempPathFactory,
                                                        raw: bytes, name: str) -> None:
    result = _import(tmp_path_factory.mktemp("imp"), name, raw)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output
    if result.exit_code == 1:
        assert f"{name}: " in result.output


def test_hostile_packages_are_refused_by_name(tmp_path: Path) -> None:
    import zipfile

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(2500):
            z.writestr(f"x/{i}", b"")
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "b">]>'
             f'<w:document xmlns:w="{W_NS}"><w:body/></w:document>').encode("utf-16")
    cases = {
        "many.docx": (many.getvalue(), "quá nhiều phần"),
        "utf16.docx": (_docx_bytes([], {"word/document.xml": utf16}), "DOCTYPE"),
        "external.docx": (_docx_bytes(HEAD + ["- Chủ trì họp các sở."], {"_rels/.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="../../../etc/passwd"/></Relationships>'
        )}), None),
        "odt-encrypted.odt": (_docx_bytes([], {"META-INF/manifest.xml":
                                               b"<m><manifest:encryption-data/></m>"}),
                              "mật khẩu"),
        "not-xml.docx": (_docx_bytes([], {"word/document.xml": b"\xff\xfe<<<"}), "tệp hỏng"),
    }
    for name, (data, message) in cases.items():
        result = _import(tmp_path, name, data)
        assert "Traceback" not in result.output, name
        if message is None:  # a relationship out of the package falls back to word/document.xml
            assert result.exit_code == 0, (name, result.output)
        else:
            assert result.exit_code == 1, (name, result.output)
            assert f"{name}: " in result.output and message in result.output, (name, result.output)


def test_import_of_a_folder_a_fifo_or_a_missing_file(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "log"
    (root / "data").mkdir(parents=True)
    (tmp_path / "folder.docx").mkdir()
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["import", str(tmp_path / "folder.docx"), str(fifo),
                                       str(tmp_path / "missing.docx")])
    assert result.exit_code == 1
    assert "folder.docx: không phải một tệp" in result.output
    assert "pipe.txt: không phải một tệp" in result.output
    assert "missing.docx: không đọc được tệp" in result.output
    assert not list((root / "data").rglob("*.yaml"))


@pytest.mark.parametrize("text", ["0000000000000000000", "- 99999999999999999999999", "1e400"])
def test_a_too_large_number_where_an_entry_belongs_is_a_problem(text: str):
    """Found by the property test above: naming a too-large number in a message raised."""
    problems = load_text(text, "x.yaml").problems
    assert problems and all(p.message for p in problems)
