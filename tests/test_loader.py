"""Tests of the loading stage: YAML traps, list files, positions of fields, encodings, strict
dates, the period window (which files are opened) and file discovery."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ngoaivu_cli.errors import SourceLoc
from ngoaivu_cli.log import loader
from ngoaivu_cli.log.loader import (
    LoadResult,
    Window,
    find_files,
    load_file,
    load_paths,
    load_text,
    name_date,
    parse_date_text,
)
from ngoaivu_cli.yamlread import YScalar, parse_documents

pytestmark = pytest.mark.usefixtures("clean_env")

ENTRY = "date: 2023-08-28\ncategory: chu_tri_hop\nsummary: Họp báo cáo\n"


def load(text: str) -> LoadResult:
    return load_text(text, "f.yaml")


def codes(result: LoadResult) -> list[str]:
    return [p.code for p in result.problems]


def write(path: Path, text: str | bytes = ENTRY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


# --------------------------------------------------------------------------- YAML traps


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "NO", "y", "n", "true", "False"])
def test_yaml11_booleans_stay_text(word: str):
    result = load(f"date: 2023-08-28\ncategory: chu_tri_hop\nsummary: {word}\nunit: {word}\n"
                  f"footnote: {word}\ntags: [{word}]\npartners:\n  - {word}\n")
    assert result.problems == []
    (e,) = result.entries
    assert (e.summary, e.unit, e.footnote, e.tags, e.partners) == (
        word, word, word, (word,), (word,))


def test_numbers_and_nulls_in_text_fields_stay_text():
    result = load("date: 2023-08-28\ncategory: chu_tri_hop\nsummary: 1.5e3\nfootnote: 0x1F\n"
                  "tags: [12:30, 2023-08-28, ~x]\n")
    assert result.problems == []
    (e,) = result.entries
    assert (e.summary, e.footnote, e.tags) == ("1.5e3", "0x1F", ("12:30", "2023-08-28", "~x"))


@pytest.mark.parametrize("value, shown", [
    ("12:30", '"12:30"'), ("1:30:00", '"1:30:00"'), ("0o17", '"0o17"'), ("0x1F", '"0x1F"'),
    ("1e3", '"1e3"'), (".inf", '".inf"'), (".nan", '".nan"'), ('"3"', '"3"'), ("'3'", '"3"'),
    ("yes", '"yes"'), ("15,5", '"15,5"'), ("!!str 4", '"4"'),
])
def test_metric_that_is_not_a_plain_number(value: str, shown: str):
    result = load(f"{ENTRY}metrics:\n  doan_ra: {value}\n")
    (p,) = result.problems
    assert (p.code, p.field, p.loc) == ("E-METRIC-VALUE", "metrics.doan_ra", SourceLoc("f.yaml", 5, 12))
    assert p.message == f"số liệu `doan_ra` phải là một số, không phải chuỗi {shown}"
    assert result.entries[0].metrics == ()


def test_sexagesimal_is_not_750():
    (e,) = load(f"{ENTRY}metrics:\n  gio_phien_dich: 12:30\n  doan_ra: 2\n").entries
    assert e.metric_map == {"doan_ra": 2}
    assert 750 not in e.metric_map.values()


def test_decimal_comma_hint():
    (p,) = load(f"{ENTRY}metrics:\n  gio_phien_dich: 15,5\n").problems
    assert p.hint == "số thập phân trong YAML dùng dấu chấm: 15.5"


@pytest.mark.parametrize("value, number", [
    ("2", 2), ("0", 0), ("-3", -3), ("+4", 4), ("15.5", 15.5), ("1_000", 1000), ("!!int 7", 7),
    ("!!float 2.5", 2.5),
])
def test_plain_numbers_are_numbers(value: str, number: int | float):
    result = load(f"{ENTRY}metrics:\n  m: {value}\n")
    assert result.problems == []
    assert result.entries[0].metric_map == {"m": number}
    assert type(result.entries[0].metric_map["m"]) is type(number)


@pytest.mark.parametrize("date_text", ["2023-08-28", '"2023-08-28"', "'2023-08-28'", "!!str 2023-08-28",
                                       "2023-08-28   # ghi chú"])
def test_date_is_read_by_our_parser(date_text: str):
    result = load(f"date: {date_text}\ncategory: chu_tri_hop\nsummary: Họp\n")
    assert result.problems == []
    assert result.entries[0].date == dt.date(2023, 8, 28)
    assert type(result.entries[0].date) is dt.date


def test_unquoted_date_is_text_in_the_tree():
    (doc,), problems = parse_documents("date: 2023-08-28\n", "f.yaml")
    node = doc.get("date")  # type: ignore[attr-defined]
    assert problems == []
    assert isinstance(node, YScalar)
    assert (node.value, node.plain, node.line, node.col) == ("2023-08-28", True, 1, 7)


@pytest.mark.parametrize("text, code, message, hint", [
    ("2023-02-30", "E-DATE-INVALID", "ngày 30/02/2023 không tồn tại (tháng 02/2023 có 28 ngày)",
     "kiểm tra lại ngày và tháng trên giấy tờ gốc"),
    ("2024-02-30", "E-DATE-INVALID", "ngày 30/02/2024 không tồn tại (tháng 02/2024 có 29 ngày)",
     "kiểm tra lại ngày và tháng trên giấy tờ gốc"),
    ("2023-13-01", "E-DATE-INVALID", "tháng 13 không tồn tại (ngày 01/13/2023)",
     "kiểm tra lại ngày và tháng trên giấy tờ gốc"),
    ("2023-8-28", "E-DATE-INVALID", 'ngày "2023-8-28" phải có đủ hai chữ số cho tháng và ngày',
     "viết `2023-08-28`"),
    ("28/08/2023", "E-DATE-DMY", 'ngày "28/08/2023" viết theo kiểu ngày/tháng/năm',
     "viết theo ISO: `2023-08-28` (năm-tháng-ngày)"),
    ("5/9/2023", "E-DATE-DMY", 'ngày "5/9/2023" viết theo kiểu ngày/tháng/năm',
     "viết theo ISO: `2023-09-05` (năm-tháng-ngày)"),
    ("28.08.2023", "E-DATE-DMY", 'ngày "28.08.2023" viết theo kiểu ngày/tháng/năm',
     "viết theo ISO: `2023-08-28` (năm-tháng-ngày)"),
    ("28-08-2023", "E-DATE-DMY", 'ngày "28-08-2023" viết theo kiểu ngày/tháng/năm',
     "viết theo ISO: `2023-08-28` (năm-tháng-ngày)"),
    ("31/02/2023", "E-DATE-INVALID", "ngày 31/02/2023 không tồn tại (tháng 02/2023 có 28 ngày)",
     "kiểm tra lại ngày và tháng trên giấy tờ gốc"),
    ("2023-08-28T10:00", "E-DATE-INVALID", '"2023-08-28T10:00" không phải là ngày',
     "ngày phải viết YYYY-MM-DD, ví dụ 2023-08-28"),
    ("20230828", "E-DATE-INVALID", '"20230828" không phải là ngày',
     "ngày phải viết YYYY-MM-DD, ví dụ 2023-08-28"),
    ("ngày 28 tháng 8", "E-DATE-INVALID", '"ngày 28 tháng 8" không phải là ngày',
     "ngày phải viết YYYY-MM-DD, ví dụ 2023-08-28"),
])
def test_dates_are_parsed_strictly(text: str, code: str, message: str, hint: str):
    assert parse_date_text(text) == (None, code, message, hint)


def test_date_problem_is_located_on_its_value():
    result = load("category: chu_tri_hop\nsummary: Họp\ndate: 28/08/2023\n")
    (p,) = result.problems
    assert (p.code, p.field, p.loc, p.excerpt, p.span) == (
        "E-DATE-DMY", "date", SourceLoc("f.yaml", 3, 7), "date: 28/08/2023", 10)
    assert result.entries[0].date is None


def test_empty_date_is_a_problem():
    (p,) = load("date:\ncategory: chu_tri_hop\nsummary: Họp\n").problems
    assert (p.code, p.message) == ("E-DATE-INVALID", "`date` để trống")


def test_duplicate_key_is_an_error_and_the_first_value_is_kept():
    result = load("date: 2023-08-28\ncategory: chu_tri_hop\nsummary: Họp\ncategory: lanh_su\n")
    (p,) = result.problems
    assert (p.code, p.field, p.loc) == ("E-DUP-KEY", "category", SourceLoc("f.yaml", 4, 1))
    assert p.message == "khóa `category` xuất hiện hai lần (lần đầu ở dòng 2)"
    assert result.entries[0].category == "chu_tri_hop"


def test_duplicate_key_inside_metrics():
    result = load(f"{ENTRY}metrics:\n  doan_ra: 1\n  doan_ra: 2\n")
    assert codes(result) == ["E-DUP-KEY"]
    assert result.problems[0].loc == SourceLoc("f.yaml", 6, 3)


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system", "!!python/object:os.system", "!!python/name:os.system",
    "!!python/module:os", "!!binary", "!custom", "!<tag:example.com,2000:x>",
])
def test_object_tags_are_refused_and_never_run(tag: str, monkeypatch):
    def boom(*args: object, **kwargs: object) -> int:
        raise AssertionError("os.system was called")

    monkeypatch.setattr(os, "system", boom)
    result = load(f'{ENTRY}tags: {tag} ["echo pwned"]\n')
    (p,) = result.problems
    assert (p.code, p.loc) == ("E-YAML-TAG", SourceLoc("f.yaml", 4, 7))
    assert "không được phép" in p.message
    assert result.entries[0].tags == ()


def test_standard_tags_are_allowed():
    result = load("date: !!str 2023-08-28\ncategory: !!str chu_tri_hop\nsummary: !!str 12\n"
                  "tags: !!seq [a]\nmetrics: !!map {doan_ra: !!int 3}\n")
    assert result.problems == []
    (e,) = result.entries
    assert (e.date, e.summary, e.tags, e.metric_map) == (
        dt.date(2023, 8, 28), "12", ("a",), {"doan_ra": 3})


def test_alias_is_refused():
    result = load("date: &d 2023-08-28\nend: *d\ncategory: chu_tri_hop\nsummary: Họp\n")
    assert codes(result) == ["E-YAML-ALIAS"]
    assert result.entries[0].end is None


def test_merge_key_is_refused():
    result = load("- &a {date: 2023-08-28, category: chu_tri_hop, summary: Họp}\n"
                  "- <<: *a\n  date: 2023-08-29\n  category: chu_tri_hop\n  summary: Họp 2\n")
    (p,) = result.problems
    assert (p.code, p.loc) == ("E-YAML-ALIAS", SourceLoc("f.yaml", 2, 3))
    assert len(result.entries) == 2


def test_deep_nesting_is_refused():
    result = load(f"{ENTRY}tags: " + "[" * 200 + "]" * 200 + "\n")
    assert "E-YAML-DEPTH" in codes(result)
    assert set(codes(result)) <= {"E-YAML-DEPTH", "E-TYPE"}


def test_non_scalar_key_is_a_type_problem():
    result = load(f"{ENTRY}? [a, b]\n: 1\n")
    assert codes(result) == ["E-TYPE"]
    assert result.problems[0].message == "khóa phải là một tên đơn giản"


# --------------------------------------------------------------------------- shapes of files


def test_list_file_holds_several_entries():
    text = ("- date: 2023-08-28\n  category: chu_tri_hop\n  summary: Họp một\n"
            "- date: 2023-08-29\n  category: lanh_su\n  summary: Bảo hộ công dân\n"
            "  metrics:\n    vu_viec_bao_ho: 2\n"
            "- date: 2023-08-30\n  category: bien_gioi\n  summary: Tuần tra biên giới\n")
    result = load(text)
    assert result.problems == []
    assert [(e.index, e.loc.line, e.loc.col, e.date.day) for e in result.entries] == [  # type: ignore[union-attr]
        (0, 1, 3, 28), (1, 4, 3, 29), (2, 9, 3, 30)]
    second = result.entries[1]
    assert second.field_loc("summary") == SourceLoc("f.yaml", 6, 12)
    assert second.field_loc("metrics.vu_viec_bao_ho") == SourceLoc("f.yaml", 8, 5)


def test_list_item_that_is_not_a_mapping():
    result = load(f"- {ENTRY.replace(chr(10), chr(10) + '  ').rstrip()}\n- Họp thêm\n- [a]\n")
    assert len(result.entries) == 1
    assert [(p.code, p.loc.line, p.loc.col) for p in result.problems] == [
        ("E-TOP-LEVEL", 4, 3), ("E-TOP-LEVEL", 5, 3)]
    assert 'không phải chuỗi "Họp thêm"' in result.problems[0].message
    assert "không phải một danh sách" in result.problems[1].message


def test_several_documents_in_one_file():
    result = load(f"{ENTRY}---\n{ENTRY.replace('28', '29')}")
    assert result.problems == []
    assert [(e.index, e.loc.line) for e in result.entries] == [(0, 1), (1, 5)]


@pytest.mark.parametrize("text, shown", [
    ("Họp báo cáo\n", 'chuỗi "Họp báo cáo"'),
    ("42\n", "số 42"),
    ("date 2023-08-28\ncategory chu_tri_hop\n", 'chuỗi "date 2023-08-28 category chu_tri_hop"'),
])
def test_top_level_scalar(text: str, shown: str):
    result = load(text)
    assert codes(result) == ["E-TOP-LEVEL"]
    assert result.problems[0].message.endswith(f"không phải {shown}")
    assert result.entries == []


@pytest.mark.parametrize("text", ["", "\n", "   \n\t\n", "# ghi chú\n", " \n# x\n", "# a\n\n  # b\n"])
def test_blank_or_comment_only_is_e_empty(text: str):
    assert codes(load(text)) == ["E-EMPTY"]


@pytest.mark.parametrize("text", ["[]\n", "--- []\n"])
def test_bug_empty_list_file_is_e_empty(text: str):
    assert codes(load(text)) == ["E-EMPTY"]


def test_field_positions_are_kept():
    text = ("date: 2023-08-28\nend: 2023-08-30\ncategory: chu_tri_hop\n"
            "summary: >\n  Họp nhiều dòng\n  tiếp tục\nunit:   HTQT\n"
            "tags: [a, b]\nmetrics:\n  doan_ra: 1\n  luot_ra: 5\n")
    result = load(text)
    assert result.problems == []
    (e,) = result.entries
    assert e.summary == "Họp nhiều dòng tiếp tục"
    assert {name: (line, col) for name, line, col in e.positions} == {
        "date": (1, 7), "end": (2, 6), "category": (3, 11), "summary": (4, 10),
        "unit": (7, 9), "tags": (8, 7), "metrics": (10, 3),
        "metrics.doan_ra": (10, 3), "metrics.luot_ra": (11, 3),
    }
    assert e.field_loc("unit") == SourceLoc("f.yaml", 7, 9)
    assert e.field_loc("footnote") == e.loc == SourceLoc("f.yaml", 1, 1)


def test_unknown_field_is_skipped_and_suggested():
    result = load(f"{ENTRY}partner: [Lào]\nstaus: done\nxyz: 1\n")
    assert [(p.code, p.field, p.hint) for p in result.problems] == [
        ("E-UNKNOWN-FIELD", "partner", "có phải ý bạn là `partners`?"),
        ("E-UNKNOWN-FIELD", "staus", "có phải ý bạn là `status`?"),
        ("E-UNKNOWN-FIELD", "xyz", "các trường được phép: date, end, category, status, summary, "
                                   "unit, tags, partners, metrics, footnote, official, order, "
                                   "group"),
    ]
    assert result.entries[0].partners == ()


def test_missing_required_fields_each_reported():
    result = load("unit: HTQT\n")
    assert [(p.code, p.field) for p in result.problems] == [
        ("E-MISSING-FIELD", "date"), ("E-MISSING-FIELD", "category"),
        ("E-MISSING-FIELD", "summary")]


@pytest.mark.parametrize("line, field, message", [
    ("summary: [a]", "summary", "`summary` phải là một giá trị đơn, không phải một danh sách"),
    ("summary: {a: 1}", "summary", "`summary` phải là một giá trị đơn, không phải một bảng khóa: giá trị"),
    ("tags: {a: 1}", "tags", "`tags` phải là một danh sách, không phải một bảng khóa: giá trị"),
    ("tags: [a, [b]]", "tags", "mỗi phần tử của `tags` phải là một chữ, không phải một danh sách"),
    ("tags: [a, ~]", "tags", "mỗi phần tử của `tags` phải là một chữ, không phải giá trị rỗng"),
    ("metrics: 5", "metrics", "`metrics` phải là bảng tên số liệu: số, không phải số 5"),
    ("unit:", "unit", "`unit` để trống"),
])
def test_wrong_types(line: str, field: str, message: str):
    text = ENTRY.replace("summary: Họp báo cáo\n", "") if field == "summary" else ENTRY
    result = load(f"{text}{line}\n")
    assert [(p.code, p.field, p.message) for p in result.problems] == [("E-TYPE", field, message)]


def test_status_values():
    assert load(f"{ENTRY}status: planned\n").entries[0].status == "planned"
    assert load(f"{ENTRY}status:\n").entries[0].status == "done"
    result = load(f"{ENTRY}status: Done\n")
    assert [(p.code, p.hint) for p in result.problems] == [
        ("E-VALUE", "có phải ý bạn là `done`? chỉ nhận `done` (đã làm) hoặc `planned` (kế hoạch)")]


# --------------------------------------------------------------------------- bytes on disk


def test_bom_is_accepted(tmp_path: Path):
    plain = load_file(write(tmp_path / "a.yaml", ENTRY), tmp_path)
    bom = load_file(write(tmp_path / "b.yaml", b"\xef\xbb\xbf" + ENTRY.encode()), tmp_path)
    assert bom.problems == []
    assert [e.to_json() | {"file": None} for e in bom.entries] == [
        e.to_json() | {"file": None} for e in plain.entries]
    assert bom.entries[0].positions == plain.entries[0].positions


def test_crlf_is_accepted(tmp_path: Path):
    result = load_file(write(tmp_path / "a.yaml", ENTRY.replace("\n", "\r\n").encode()), tmp_path)
    assert result.problems == []
    assert result.entries[0].summary == "Họp báo cáo"
    assert result.entries[0].field_loc("summary") == SourceLoc("a.yaml", 3, 10)


@pytest.mark.parametrize("encoding, guess", [
    ("cp1258", "Windows-1258/TCVN3/VNI"), ("utf-16", "UTF-16"), ("utf-16-le", "Windows-1258/TCVN3/VNI"),
    ("latin-1", "Windows-1258/TCVN3/VNI"),
])
def test_not_utf8(tmp_path: Path, encoding: str, guess: str):
    text = "date: 2023-08-28\ncategory: chu_tri_hop\nsummary: Báo cáo\n"
    result = load_file(write(tmp_path / "a.yaml", text.encode(encoding)), tmp_path)
    (p,) = result.problems
    assert p.code == "E-ENCODING"
    assert guess in (p.hint or "")
    assert result.entries == [] and result.files == 1


def test_not_utf8_is_located_at_the_first_bad_byte(tmp_path: Path):
    raw = b"date: 2023-08-28\ncategory: chu_tri_hop\nsummary: B\xe1o c\xe1o\n"
    (p,) = load_file(write(tmp_path / "a.yaml", raw), tmp_path).problems
    assert (p.loc, p.message) == (SourceLoc("a.yaml", 3, 11),
                                  "tệp không phải UTF-8 (byte 0xE1 không hợp lệ)")


def test_nul_character_is_refused(tmp_path: Path):
    (p,) = load_file(write(tmp_path / "a.yaml", ENTRY.encode() + b"\x00"), tmp_path).problems
    assert (p.code, p.message) == ("E-ENCODING", "tệp chứa ký tự NUL (tệp nhị phân?)")


def test_missing_file_is_e_read(tmp_path: Path):
    result = load_file(tmp_path / "2023-08-28-khong-co.yaml", tmp_path)
    assert codes(result) == ["E-READ"]
    assert result.problems[0].loc == SourceLoc("2023-08-28-khong-co.yaml", 1, 1)


def test_oversized_file_is_not_read(tmp_path: Path, monkeypatch):
    path = write(tmp_path / "a.yaml", ENTRY + "#" * loader.MAX_FILE_BYTES)

    def no_read(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    result = load_file(path, tmp_path)
    assert codes(result) == ["E-FILE-SIZE"]


def test_displayed_path_is_relative_with_slashes(tmp_path: Path):
    path = write(tmp_path / "data" / "2023" / "08" / "2023-08-28-x.yaml", "x")
    result = load_file(path, tmp_path)
    assert result.problems[0].loc.path == "data/2023/08/2023-08-28-x.yaml"


# --------------------------------------------------------------------------- finding files


@pytest.mark.parametrize("name, date", [
    ("2023-08-28-hop.yaml", dt.date(2023, 8, 28)),
    ("2023-08-28-hop-bao-cao-2.yml", dt.date(2023, 8, 28)),
    ("2023-02-30-hop.yaml", None),
    ("2023-8-28-hop.yaml", None),
    ("2023-08-28-Hop.yaml", None),
    ("2023-08-28_hop.yaml", None),
    ("2023-08-28.yaml", None),
    ("ghi-chu.yaml", None),
])
def test_name_date(name: str, date: dt.date | None):
    assert name_date(Path(name)) == date


MISNAMED = ["ghi-chu.yaml", "2023-8-28-hop.yaml", "2023-08-28_hop.yaml", "2023-08-28-Hop.yaml",
            "28-08-2023-hop.yaml", "2023-02-30-hop.yaml", "hop.yml", "2023-08-28-họp.yaml"]


def test_find_files_never_skips_a_misnamed_file(tmp_path: Path):
    data = tmp_path / "data"
    for name in MISNAMED:
        write(data / "2023" / "08" / name)
        write(data / "khac" / name)
        write(data / name)
    write(data / "2023" / "08" / "ghi-chu.txt")  # not YAML: not a log file
    found, problems = find_files([data])
    assert problems == []
    assert sorted(p.relative_to(data).as_posix() for p in found) == sorted(
        f"{folder}{name}" for name in MISNAMED for folder in ("2023/08/", "khac/", ""))
    assert found == sorted(found)


def test_find_files_with_a_window_keeps_misnamed_files(tmp_path: Path):
    data = tmp_path / "data"
    for name in MISNAMED:
        write(data / "2023" / "08" / name)
        write(data / "khac" / name)
    window = Window(dt.date(2023, 8, 1), dt.date(2023, 8, 31))
    found, _ = find_files([data], window)
    assert len(found) == 2 * len(MISNAMED)


def test_find_files_explicit_file_and_missing_folder(tmp_path: Path):
    path = write(tmp_path / "notes.txt")
    found, problems = find_files([path, tmp_path / "khong-co"], base=tmp_path)
    assert found == [path]
    assert [(p.code, p.loc.path) for p in problems] == [("E-READ", "khong-co")]


def test_bug_upper_case_suffix_is_not_skipped_silently(tmp_path: Path):
    write(tmp_path / "data" / "2023-08-28-hop.YAML")
    found, problems = find_files([tmp_path / "data"])
    assert found or problems


def test_window_skips_folders_of_other_months_even_for_a_misnamed_file(tmp_path: Path):
    """The documented rule (benchmarks/README.md): a period report opens only the YYYY/MM
    folders of its window, so a file in another month's folder is not read, whatever its
    name; `validate` warns about such files (W-FILENAME, W-FOLDER: see test_validate)."""
    data = tmp_path / "data"
    write(data / "2022" / "12" / "ghi-chu.yaml")
    write(data / "2023" / "08" / "ghi-chu.yaml")
    found, _ = find_files([data], Window(dt.date(2023, 8, 1), dt.date(2023, 8, 31)))
    assert [p.relative_to(data).as_posix() for p in found] == ["2023/08/ghi-chu.yaml"]


def _tree(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    reaching = "date: 2023-07-20\nend: 2023-08-02\ncategory: chu_tri_hop\nsummary: Dài ngày\n"
    write(data / "2023/07/2023-07-20-keo-dai.yaml", reaching)  # look-back, `end` in the window
    for rel in ["2023/06/2023-06-29-truoc.yaml",      # before start - 31 days
                "2023/07/2023-07-01-lookback.yaml",   # exactly start - 31 days
                "2023/07/2023-07-15-lookback.yaml",
                "2023/07/2023-07-20-khong-keo-dai.yaml",  # look-back, no `end`: not parsed
                "2023/08/2023-08-01-dau.yaml",
                "2023/08/2023-08-31-cuoi.yaml",
                "2023/09/2023-09-01-sau.yaml",
                "2022/08/2022-08-15-nam-truoc.yaml",
                "2023/08/ghi-chu.yaml",               # misnamed: always read
                "khac/ghi-chu-2.yaml",
                "2023/08/2023-06-01-sai-thu-muc.yaml"]:  # name date decides, not the folder
        write(data / rel)
    return data


def test_window_opens_only_files_whose_name_date_is_inside(tmp_path: Path, monkeypatch):
    data = _tree(tmp_path)
    opened: list[str] = []
    real = loader.load_file

    def spy(path: Path, base: Path | None = None) -> LoadResult:
        opened.append(path.relative_to(data).as_posix())
        return real(path, base)

    monkeypatch.setattr(loader, "load_file", spy)
    window = Window(dt.date(2023, 8, 1), dt.date(2023, 8, 31), lookback_days=31)
    result = load_paths([data], window, tmp_path)
    assert sorted(opened) == [
        "2023/07/2023-07-20-keo-dai.yaml",
        "2023/08/2023-08-01-dau.yaml", "2023/08/2023-08-31-cuoi.yaml", "2023/08/ghi-chu.yaml",
        "khac/ghi-chu-2.yaml"]
    assert result.files == len(opened)


def test_window_prunes_folders_without_listing_them(tmp_path: Path, monkeypatch):
    data = _tree(tmp_path)
    listed: list[str] = []
    real_scandir = os.scandir

    def spy_scandir(top):  # noqa: ANN001, ANN202
        listed.append(Path(top).relative_to(data).as_posix())
        return real_scandir(top)

    monkeypatch.setattr(loader.os, "scandir", spy_scandir)
    find_files([data], Window(dt.date(2023, 8, 1), dt.date(2023, 8, 31)))
    assert "2022" not in listed and "2022/08" not in listed
    assert "2023/06" not in listed and "2023/09" not in listed
    assert {"2023/07", "2023/08", "khac"} <= set(listed)


def test_without_a_window_every_file_is_opened(tmp_path: Path, monkeypatch):
    data = _tree(tmp_path)
    calls: list[Path] = []
    real = loader.load_file
    monkeypatch.setattr(loader, "load_file", lambda p, b=None: calls.append(p) or real(p, b))
    result = load_paths([data], None, tmp_path)
    assert len(calls) == 12 == result.files
    assert len(result.entries) == 12


@pytest.mark.parametrize("text, parsed", [
    ("date: 2023-07-20\ncategory: x\nsummary: Một ngày\n", False),
    ("date: 2023-07-20\nend: 2023-07-25\ncategory: x\nsummary: Hết trước kỳ\n", True),
    ('{date: 2023-07-20, end: 2023-08-03, category: x, summary: "Dạng {}"}\n', True),
    ('date: 2023-07-20\n"en\\x64": 2023-08-03\ncategory: x\nsummary: Khóa thoát\n', True),
    ("- date: 2023-07-20\n  category: x\n  summary: A\n- date: 2023-07-20\n  category: x\n"
     "  summary: B\n  end: 2023-08-05\n", True),
    ("date: 2023-07-20\ncategory: [\n", False),  # broken, and cannot reach the period
    (b"date: 2023-07-20\nsummary: \xff\n", False),
])
def test_lookback_file_is_parsed_only_when_it_spells_end(tmp_path: Path, text: str | bytes,
                                                          parsed: bool):
    """A file named before the period holds entries of that day (E-DATE-FILENAME otherwise):
    only an ``end`` brings it into the period, so one that never spells ``end`` (nor holds an
    escape that could spell it) is not parsed, and its problems do not stop a report
    (benchmarks/README.md). Files dated in the period are always read."""
    data = tmp_path / "data"
    path = write(data / "2023" / "07" / "2023-07-20-hoat-dong.yaml", text)
    window = Window(dt.date(2023, 8, 1), dt.date(2023, 8, 31), lookback_days=31)
    assert loader.may_reach(path, window) is parsed
    assert loader.may_reach(write(data / "2023/08/2023-08-02-trong-ky.yaml", text), window)
    result = load_paths([data], window, tmp_path)
    assert result.files == 1 + parsed


def test_lookback_activity_with_an_end_in_the_period_reaches_the_report(tmp_path: Path):
    data = tmp_path / "data"
    write(data / "2023/07/2023-07-20-dai-ngay.yaml",
          "date: 2023-07-20\nend: 2023-08-02\ncategory: chu_tri_hop\nsummary: Dài ngày\n")
    write(data / "2023/07/2023-07-21-mot-ngay.yaml",
          "date: 2023-07-21\ncategory: chu_tri_hop\nsummary: Một ngày\n")
    window = Window(dt.date(2023, 8, 1), dt.date(2023, 8, 31), lookback_days=31)
    result = load_paths([data], window, tmp_path)
    assert [(e.summary, e.end) for e in result.entries] == [("Dài ngày", dt.date(2023, 8, 2))]
    assert not result.problems


@pytest.mark.parametrize("start, end, kept", [
    (dt.date(2023, 8, 1), dt.date(2023, 8, 31), [dt.date(2023, 7, 1), dt.date(2023, 8, 31)]),
    (dt.date(2023, 1, 1), dt.date(2023, 1, 31), [dt.date(2022, 12, 1)]),
])
def test_window_keeps_bounds(start: dt.date, end: dt.date, kept: list[dt.date]):
    w = Window(start, end, 31)
    assert all(w.keeps(d) for d in kept)
    assert not w.keeps(start - dt.timedelta(days=32))
    assert not w.keeps(end + dt.timedelta(days=1))


# --------------------------------------------------------------------------- never raises


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_load_text_never_raises(text: str):
    result = load_text(text, "f.yaml")
    for p in result.problems:
        assert p.loc.path == "f.yaml"
        assert p.loc.line >= 1 and p.loc.col >= 1
        assert p.code[:2] in ("E-", "W-")


YAMLISH = st.text(alphabet=list("date:ctgorysumn -[]{},&*!|>'\"#\n\t0123456789/\\Họá\u0301\x07"),
                  max_size=120)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_load_text_never_raises_on_yaml_like_text(text: str):
    result = load_text(f"date: 2023-08-28\n{text}", "f.yaml")
    assert all(p.loc.line >= 1 for p in result.problems)
