"""Tests of ``ngoaivu validate``: one fixture folder per problem code (tests/data/invalid/), the
text and JSON forms, exit statuses, ordering, and the legacy-encoding detector.

Every CLI call goes through ``CliRunner(catch_exceptions=False)`` from the repository root, so
paths are shown as ``tests/data/invalid/...`` exactly as in the ``expected.txt`` files.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main
from ngoaivu_cli.validate import legacy_encoding

REPO = Path(__file__).resolve().parents[1]
INVALID = REPO / "tests" / "data" / "invalid"
SHOWN = "tests/data/invalid"
FOLDERS = sorted(p.name for p in INVALID.iterdir() if p.is_dir())

# Every code the package can emit for the log; E-READ and E-FILE-SIZE cannot be committed as
# fixture files (a missing path, a 1 MB file), so they are made by the tests below.
ALL_CODES = {
    "E-YAML-SYNTAX", "E-ENCODING", "E-EMPTY", "E-TOP-LEVEL", "E-YAML-TAG", "E-YAML-ALIAS",
    "E-YAML-DEPTH", "E-DUP-KEY", "E-UNKNOWN-FIELD", "E-MISSING-FIELD", "E-TYPE", "E-VALUE",
    "E-DATE-INVALID", "E-DATE-DMY", "E-DATE-FILENAME", "E-DATE-ORDER", "E-DATE-SPAN",
    "E-UNKNOWN-CATEGORY", "E-UNKNOWN-UNIT", "E-UNKNOWN-METRIC", "E-METRIC-DERIVED",
    "E-METRIC-VALUE", "E-SUMMARY-EMPTY", "W-NFC", "E-LEGACY-ENCODING", "E-TEXT-CONTROL",
    "E-DUPLICATE-ENTRY", "W-FILENAME", "E-READ", "E-FILE-SIZE",
}
MADE_BY_TESTS = {"E-READ", "E-FILE-SIZE"}
# Codes a fixture cannot avoid besides its own: a nested list under `tags` is also a wrong type.
ALSO_EXPECTED = {"E-YAML-DEPTH": {"E-TYPE"}}
# Fixtures whose expected.txt holds the *right* output, which the package does not print yet.
KNOWN_WRONG: dict[str, str] = {}

FIRST_LINE_RE = re.compile(
    r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
    r"(?P<code>[A-Z]-[A-Z0-9-]+): (?P<field>\S+): (?P<message>.+)$"
)
SUMMARY_RE = re.compile(
    r"^(\d+) lỗi, (\d+) cảnh báo(?: trong (\d+) tệp)? \(đã kiểm tra (\d+) tệp, (\d+) hoạt động\)$"
)

ENTRY = "date: 2023-08-28\ncategory: chu_tri_hop\nsummary: {summary}\nunit: HTQT\n"

pytestmark = pytest.mark.usefixtures("clean_env")


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def run(*args: str) -> Result:
    return CliRunner(catch_exceptions=False).invoke(main, list(args))


def first_lines(text: str) -> list[re.Match[str]]:
    return [m for line in text.splitlines() if (m := FIRST_LINE_RE.match(line))]


def codes_in(text: str) -> set[str]:
    return {m["code"] for m in first_lines(text)}


def expected(folder: str) -> str:
    return (INVALID / folder / "expected.txt").read_text("utf-8")


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def assert_clean(result: Result) -> None:
    """No traceback and no "internal error" text in what the user sees."""
    assert "Traceback" not in result.output
    assert "Lỗi nội bộ" not in result.output


# --------------------------------------------------------------------------- the fixture tree


def test_every_code_has_a_fixture_folder():
    assert set(FOLDERS) == ALL_CODES - MADE_BY_TESTS


def test_readme_lists_every_code():
    readme = (INVALID / "README.md").read_text("utf-8")
    listed = set(re.findall(r"^\| ([EW]-[A-Z0-9-]+) \|", readme, re.MULTILINE))
    assert listed == ALL_CODES


@pytest.mark.parametrize("folder", FOLDERS)
def test_fixture_folder_is_complete(folder: str):
    files = sorted(p.name for p in (INVALID / folder).iterdir())
    cases = [f for f in files if f.endswith(".yaml")]
    assert "expected.txt" in files
    assert cases, f"{folder} has no case file"
    assert len(cases) == (2 if folder == "E-DUPLICATE-ENTRY" else 1)
    if folder != "W-FILENAME":
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.yaml", f) for f in cases)


@pytest.mark.parametrize(
    "folder",
    [pytest.param(f, marks=pytest.mark.xfail(reason=KNOWN_WRONG[f], strict=True))
     if f in KNOWN_WRONG else f for f in FOLDERS],
)
def test_fixture_prints_expected_text(folder: str):
    result = run("validate", f"{SHOWN}/{folder}")
    assert_clean(result)
    assert result.stdout == expected(folder)


@pytest.mark.parametrize("folder", FOLDERS)
def test_fixture_gives_its_code_and_exit_status(folder: str):
    result = run("validate", f"{SHOWN}/{folder}")
    assert_clean(result)
    found = first_lines(result.stdout)
    assert found, result.stdout
    assert {m["code"] for m in found} == {folder} | ALSO_EXPECTED.get(folder, set())
    has_error = any(m["severity"] == "error" for m in found)
    assert has_error == folder.startswith("E-")
    assert result.exit_code == (1 if has_error else 0)
    # every problem names a file of the folder
    assert all(m["path"].startswith(f"{SHOWN}/{folder}/") for m in found)
    assert SUMMARY_RE.match(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("folder", FOLDERS)
def test_expected_text_has_the_documented_shape(folder: str):
    """First lines parse as PATH:LINE:COL: SEVERITY CODE: FIELD: MESSAGE; every other line
    starts with a space or `|`-column, the last one is the summary (periods-notes.md §7)."""
    lines = expected(folder).splitlines()
    assert SUMMARY_RE.match(lines[-1])
    for line in lines[:-1]:
        assert FIRST_LINE_RE.match(line) or line.startswith(" ") or re.match(r"^\d+ \| ", line)
    assert folder in {m["code"] for m in first_lines(expected(folder))}


def test_whole_tree_reports_the_union_of_the_folders():
    """Validating every fixture at once adds nothing (no cross-fixture duplicates) and loses
    nothing."""
    whole = run("validate", SHOWN, "--no-excerpt")
    assert_clean(whole)
    assert whole.exit_code == 1
    parts: list[str] = []
    for folder in FOLDERS:
        parts += [m.group(0) for m in first_lines(run("validate", f"{SHOWN}/{folder}").stdout)]
    assert [m.group(0) for m in first_lines(whole.stdout)] == sorted(
        parts, key=lambda line: (FIRST_LINE_RE.match(line)["path"],  # type: ignore[index]
                                 int(FIRST_LINE_RE.match(line)["line"]),  # type: ignore[index]
                                 int(FIRST_LINE_RE.match(line)["col"]),  # type: ignore[index]
                                 FIRST_LINE_RE.match(line)["code"]))  # type: ignore[index]


# --------------------------------------------------------------------------- CLI behaviour


def test_shipped_log_is_clean():
    result = run("validate", "data")
    assert_clean(result)
    assert result.exit_code == 0, result.stdout
    assert re.fullmatch(r"0 lỗi, 0 cảnh báo \(đã kiểm tra \d+ tệp, \d+ hoạt động\)\n",
                        result.stdout)


def test_no_path_means_the_data_folder():
    assert run("validate").stdout == run("validate", "data").stdout


def test_json_output():
    result = run("validate", f"{SHOWN}/E-METRIC-VALUE", f"{SHOWN}/W-FILENAME", "--format", "json")
    assert_clean(result)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["version"] == 1
    assert doc["files_checked"] == 2
    assert doc["errors"] == 2 and doc["warnings"] == 1
    keys = {"path", "line", "column", "severity", "code", "field", "message", "hint"}
    for d in doc["diagnostics"]:
        assert keys <= set(d)
        assert isinstance(d["line"], int) and isinstance(d["column"], int)
        assert d["severity"] in ("error", "warning")
    first = doc["diagnostics"][0]
    assert first == {
        "path": f"{SHOWN}/E-METRIC-VALUE/2023-08-31-so-lieu-phien-dich.yaml",
        "line": 7,
        "column": 3,
        "severity": "error",
        "code": "E-METRIC-VALUE",
        "field": "metrics.trang_hieu_dinh",
        "message": "số liệu `trang_hieu_dinh` không được âm (-10)",
        "hint": "ghi số lượng đã thực hiện, từ 0 trở lên",
    }
    assert [d["code"] for d in doc["diagnostics"]] == [
        "E-METRIC-VALUE", "E-METRIC-VALUE", "W-FILENAME"]
    assert doc["diagnostics"][2]["severity"] == "warning"


def test_json_output_of_a_clean_log():
    doc = json.loads(run("validate", "data", "--format", "json").stdout)
    assert doc["diagnostics"] == [] and doc["errors"] == 0 and doc["files_checked"] > 0


@pytest.mark.parametrize("folder", ["W-FILENAME", "W-NFC"])
def test_strict_turns_warnings_into_exit_1(folder: str):
    assert run("validate", f"{SHOWN}/{folder}").exit_code == 0
    strict = run("validate", f"{SHOWN}/{folder}", "--strict")
    assert strict.exit_code == 1
    assert f"warning {folder}" in strict.stdout


def test_strict_on_a_clean_log_exits_0():
    assert run("validate", "data", "--strict").exit_code == 0


@pytest.mark.parametrize("folder", ["E-DATE-DMY", "E-METRIC-VALUE", "E-DUPLICATE-ENTRY"])
def test_no_excerpt_keeps_first_lines_and_hints(folder: str):
    result = run("validate", f"{SHOWN}/{folder}", "--no-excerpt")
    full = run("validate", f"{SHOWN}/{folder}").stdout.splitlines()
    kept = [ln for ln in full if not (ln.startswith("  |") or re.match(r"^\d+ \| ", ln)
                                      or re.match(r"^ +\|", ln))]
    assert result.stdout.splitlines() == kept
    assert " | " not in result.stdout


def test_problems_of_several_files_in_one_run_sorted_by_path_then_line(tmp_path: Path,
                                                                        monkeypatch):
    data = tmp_path / "data" / "2023" / "08"
    write(data / "2023-08-30-b.yaml",
          "date: 30/08/2023\ncategory: lanh_su\nsumary: Bảo hộ công dân\nunit: LSBG\n")
    write(data / "2023-08-28-a.yaml",
          "date: 2023-08-28\ncategory: chu_tri_hpo\nsummary: Họp\nunit: HTTQ\nstatus: xong\n")
    write(data / "2023-08-29-c.yaml", "summary: [x]\ndate: 2023-08-29\ncategory: lanh_su\n"
          "metrics:\n  vu_viec_bao_ho: -1\n")
    write(tmp_path / "data" / "ghi-chu.yaml", ENTRY.format(summary="Ghi chú"))
    monkeypatch.chdir(tmp_path)
    result = run("validate", "data")
    assert_clean(result)
    assert result.exit_code == 1
    found = [(m["path"], int(m["line"]), int(m["col"]), m["code"])
             for m in first_lines(result.stdout)]
    assert found == sorted(found)
    assert found == [
        ("data/2023/08/2023-08-28-a.yaml", 2, 11, "E-UNKNOWN-CATEGORY"),
        ("data/2023/08/2023-08-28-a.yaml", 4, 7, "E-UNKNOWN-UNIT"),
        ("data/2023/08/2023-08-28-a.yaml", 5, 9, "E-VALUE"),
        ("data/2023/08/2023-08-29-c.yaml", 1, 10, "E-TYPE"),
        ("data/2023/08/2023-08-29-c.yaml", 5, 3, "E-METRIC-VALUE"),
        ("data/2023/08/2023-08-30-b.yaml", 1, 1, "E-MISSING-FIELD"),
        ("data/2023/08/2023-08-30-b.yaml", 1, 7, "E-DATE-DMY"),
        ("data/2023/08/2023-08-30-b.yaml", 3, 1, "E-UNKNOWN-FIELD"),
        ("data/ghi-chu.yaml", 1, 1, "W-FILENAME"),
    ]
    assert result.stdout.splitlines()[-1] == (
        "8 lỗi, 1 cảnh báo trong 4 tệp (đã kiểm tra 4 tệp, 4 hoạt động)")
    # the hints name the closest known names
    assert "có phải ý bạn là `chu_tri_hop`?" in result.stdout
    assert "có phải ý bạn là `HTQT`?" in result.stdout
    assert "có phải ý bạn là `summary`?" in result.stdout
    assert "viết theo ISO: `2023-08-30` (năm-tháng-ngày)" in result.stdout


@pytest.mark.parametrize("args", [
    ["validate", "--bogus"],
    ["validate", "--format", "xml", "data"],
    ["validate", "--format"],
])
def test_usage_error_exits_2(args: list[str]):
    result = run(*args)
    assert result.exit_code == 2
    assert "Lỗi:" in result.output
    assert "Traceback" not in result.output


def test_help_exits_0():
    result = run("validate", "--help")
    assert result.exit_code == 0
    assert "--strict" in result.stdout and "--no-excerpt" in result.stdout


# --------------------------------------------------------------------------- single rules


def test_impossible_date_in_the_file_name(tmp_path: Path, monkeypatch):
    write(tmp_path / "2023-02-30-hop.yaml", ENTRY.format(summary="Họp"))
    monkeypatch.chdir(tmp_path)
    result = run("validate", ".", "--no-excerpt")
    assert codes_in(result.stdout) == {"E-DATE-FILENAME"}
    assert "tên tệp chứa ngày không tồn tại (2023-02-30)" in result.stdout


def test_duplicate_ignores_spacing_normalisation_case_and_final_stop(tmp_path: Path, monkeypatch):
    import unicodedata

    text = "Tiếp Đoàn Tổng Lãnh sự quán Lào"
    write(tmp_path / "2023-08-28-a.yaml", ENTRY.format(summary=text))
    write(tmp_path / "2023-08-28-b.yaml",
          ENTRY.format(summary=unicodedata.normalize("NFD", text).replace(" ", "   ")))
    write(tmp_path / "2023-08-28-c.yaml", ENTRY.format(summary=text + " (lần 2)"))
    write(tmp_path / "2023-08-28-d.yaml", ENTRY.format(summary=text.lower() + "."))
    monkeypatch.chdir(tmp_path)
    result = run("validate", ".", "--no-excerpt")
    found = [(m["path"], m["code"]) for m in first_lines(result.stdout)]
    assert found == [("2023-08-28-b.yaml", "E-DUPLICATE-ENTRY"), ("2023-08-28-b.yaml", "W-NFC"),
                     ("2023-08-28-d.yaml", "E-DUPLICATE-ENTRY")]
    assert "trùng với 2023-08-28-a.yaml:1" in result.stdout


@pytest.mark.parametrize("name", [
    "ghi-chu.yaml", "2023-8-28-hop.yaml", "2023-08-28_hop.yaml", "2023-08-28-Hop.yaml",
    "2023-08-28.yaml", "28-08-2023-hop.yaml", "2023-08-28-họp.yaml", "2023-08-28-hop--x.yaml",
])
def test_misnamed_file_is_read_and_warned(tmp_path: Path, monkeypatch, name: str):
    write(tmp_path / "data" / "2023" / "08" / name, ENTRY.format(summary="Họp"))
    monkeypatch.chdir(tmp_path)
    result = run("validate", "data", "--no-excerpt")
    assert result.exit_code == 0
    assert first_lines(result.stdout)[0]["path"] == f"data/2023/08/{name}"
    assert codes_in(result.stdout) == {"W-FILENAME"}
    assert "đổi tên thành 2023-08-28-<mo-ta-ngan>.yaml" in result.stdout
    assert result.stdout.endswith("(đã kiểm tra 1 tệp, 1 hoạt động)\n")


def test_yml_suffix_is_a_valid_name(tmp_path: Path, monkeypatch):
    write(tmp_path / "2023-08-28-hop.yml", ENTRY.format(summary="Họp"))
    monkeypatch.chdir(tmp_path)
    result = run("validate", ".")
    assert result.exit_code == 0
    assert result.stdout.startswith("0 lỗi, 0 cảnh báo")


def test_missing_folder_is_e_read(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "khong-co")
    assert_clean(result)
    assert result.exit_code == 1
    assert result.stdout == (
        "khong-co:1:1: error E-READ: -: không tìm thấy tệp hoặc thư mục\n"
        "  = gợi ý: kiểm tra lại đường dẫn\n"
        "1 lỗi, 0 cảnh báo trong 1 tệp (đã kiểm tra 0 tệp, 0 hoạt động)\n")


def test_missing_yaml_file_is_e_read(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "2023-08-28-khong-co.yaml")
    assert_clean(result)
    assert result.exit_code == 1
    assert codes_in(result.stdout) == {"E-READ"}
    assert result.stdout.startswith("2023-08-28-khong-co.yaml:1:1: error E-READ: -: ")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their mode")
def test_unreadable_file_is_e_read(tmp_path: Path, monkeypatch):
    path = write(tmp_path / "2023-08-28-hop.yaml", ENTRY.format(summary="Họp"))
    path.chmod(0)
    try:
        monkeypatch.chdir(tmp_path)
        result = run("validate", ".")
    finally:
        path.chmod(0o644)
    assert_clean(result)
    assert result.exit_code == 1
    assert codes_in(result.stdout) == {"E-READ"}
    assert "kiểm tra quyền đọc tệp" in result.stdout


def test_oversized_file_is_e_file_size(tmp_path: Path, monkeypatch):
    body = ENTRY.format(summary="Họp") + "# " + "x" * 1_000_000 + "\n"
    write(tmp_path / "2023-08-28-hop.yaml", body)
    monkeypatch.chdir(tmp_path)
    result = run("validate", ".")
    assert_clean(result)
    assert result.exit_code == 1
    size = f"{len(body.encode('utf-8')):,}".replace(",", ".")
    lines = result.stdout.splitlines()
    assert lines[0] == (f"2023-08-28-hop.yaml:1:1: error E-FILE-SIZE: -: tệp quá lớn ({size} byte) "
                        "cho một tệp hoạt động")
    assert lines[-2:] == [
        "  = gợi ý: mỗi tệp chỉ ghi một hoặc vài hoạt động; hãy tách hoặc xóa nội dung thừa",
        "1 lỗi, 0 cảnh báo trong 1 tệp (đã kiểm tra 1 tệp, 0 hoạt động)"]


def test_directory_symlink_loop_is_not_followed(tmp_path: Path, monkeypatch):
    write(tmp_path / "data" / "2023-08-28-hop.yaml", ENTRY.format(summary="Họp"))
    (tmp_path / "data" / "vong").symlink_to(tmp_path / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "data")
    assert_clean(result)
    # not followed (no endless walk), and said: a folder link is never skipped in silence
    # (issue 23.6; it was exit 0 before)
    assert result.exit_code == 1
    assert "data/vong:1:1: error E-LINK-FOLDER" in result.stdout
    assert result.stdout.endswith("(đã kiểm tra 1 tệp, 1 hoạt động)\n")


SYNTAX_CASES = [
    # (the third line of the file, line, column, words of the message)
    ("summary: Họp: báo cáo tuần", 3, 13, "không được đặt `khóa: giá trị` ở đây"),
    ("\tsummary: Họp báo cáo", 3, 1, "TAB"),
    ("summary: Họp báo cáo\n tags: [a]", 4, 6, "không được đặt `khóa: giá trị` ở đây"),
    ('summary: "Họp \\q báo cáo"', 3, 15, "ký tự thoát `\\` không hợp lệ"),
    ("summary: *bao-cao", 3, 10, "bí danh (*alias) chưa được định nghĩa"),
    ("tags:\n  - ttdn\n - lao", 5, 2, "thụt lề không đúng"),
]


@pytest.mark.parametrize("line3, line, col, words", SYNTAX_CASES)
def test_common_syntax_errors_are_explained_in_vietnamese(tmp_path: Path, monkeypatch,
                                                           line3: str, line: int, col: int,
                                                           words: str):
    write(tmp_path / "2023-08-28-hop.yaml", f"date: 2023-08-28\ncategory: chu_tri_hop\n{line3}\n")
    monkeypatch.chdir(tmp_path)
    result = run("validate", ".")
    assert result.exit_code == 1
    (m,) = first_lines(result.stdout)
    assert (m["code"], int(m["line"]), int(m["col"])) == ("E-YAML-SYNTAX", line, col)
    assert words in m["message"]
    assert not re.search(r"\b(found|expected|allowed|while|scanning)\b", m["message"])
    assert "  = gợi ý: " in result.stdout


# --------------------------------------------------------------------------- legacy encodings


@pytest.mark.parametrize("text, encoding", [
    ("B¸o c¸o", "TCVN3 (ABC)"),
    ("B¸o c¸o t×nh h×nh ®èi ngo¹i", "TCVN3 (ABC)"),
    ("Së Ngo¹i vô tØnh Hµ TÜnh", "TCVN3 (ABC)"),
    ("Baùo caùo", "VNI"),
    ("Sôû Ngoaïi vuï tænh Haø Tónh", "VNI"),
    ("Vieät Nam", None),  # one VNI mark alone is not enough evidence
    ("Ph¸t biÓu cña ®ång chÝ Chñ tÞch", "TCVN3 (ABC)"),
    ("Phát biểu: B¸o c¸o t×nh h×nh", "TCVN3 (ABC)"),  # pasted into Unicode text: still found
    ("Hç trî 500 triÖu ®ång² ¹", "TCVN3 (ABC)"),
])
def test_legacy_encoding_detects_tcvn3_and_vni(text: str, encoding: str | None):
    assert legacy_encoding(text) == encoding


@pytest.mark.parametrize("text", [
    "Việt Nam",
    "Báo cáo tình hình đối ngoại tuần",
    "Sở Ngoại vụ tỉnh Hà Tĩnh",
    "Müller",
    "São Paulo",
    "Gặp ông Jürgen Müller, Đại sứ Đức, tại São Paulo và Zürich",
    "Bolikhămxay, Khăm Muộn, Viêng Chăn",
    "Ông Raphaël Dupont, Tổng Lãnh sự Pháp",
    "Kế hoạch 2023 – 2025 (€ 15.000)",
    # footnote digits in Unicode text (the office's thematic letter, issue 25 item 13)
    "Hỗ trợ 500 triệu đồng² cho các hộ dân; đạt 1,2 tỷ đồng² trong năm",
    "Diện tích 120 m² và 30 m³ nước¹",
    "",
])
def test_legacy_encoding_leaves_unicode_alone(text: str):
    assert legacy_encoding(text) is None


@pytest.mark.parametrize("text", [
    "Làm việc với ông Carlos Muñoz, Thị trưởng Viña del Mar",
    "Đoàn doanh nghiệp Göteborg và Malmö (Thụy Điển)",
    "Hội thảo tại Düsseldorf và Köln với Björn Schröder",
    "Café Crème, naïve, Ångström, Øresund",
    "Citroën, Zoë, Raphaël",
])
def test_bug_legacy_encoding_false_positive_on_foreign_names(text: str):
    assert legacy_encoding(text) is None


def test_legacy_encoding_is_reported_for_every_text_field(tmp_path: Path, monkeypatch):
    write(tmp_path / "2023-08-28-hop.yaml",
          "date: 2023-08-28\ncategory: chu_tri_hop\nsummary: Họp\nfootnote: Baùo caùo\n"
          "partners: [Hµ TÜnh]\ntags: [b¸o-c¸o]\n")
    monkeypatch.chdir(tmp_path)
    result = run("validate", ".", "--format", "json")
    found = {(d["code"], d["field"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert found == {("E-LEGACY-ENCODING", "footnote", 4), ("E-LEGACY-ENCODING", "partners", 5),
                     ("E-LEGACY-ENCODING", "tags", 6)}
    assert "bảng mã VNI" in result.stdout and "bảng mã TCVN3 (ABC)" in result.stdout


# --------------------------------------------------------------------------- known bugs
# Each states what the user should see; strict, so a fix turns it into a failure to remove.


def _one(tmp_path: Path, monkeypatch, text: str | bytes,
         name: str = "2023-08-28-hop.yaml") -> Result:
    write(tmp_path / name, text)
    monkeypatch.chdir(tmp_path)
    result = run("validate", ".")
    assert_clean(result)
    assert result.exit_code == 1
    return result


def test_bug_oversized_file_has_no_excerpt(tmp_path: Path, monkeypatch):
    body = ENTRY.format(summary="Họp") + "# " + "x" * 1_000_000 + "\n"
    result = _one(tmp_path, monkeypatch, body)
    assert " | " not in result.stdout


def test_bug_utf16_file_prints_no_nul(tmp_path: Path, monkeypatch):
    result = _one(tmp_path, monkeypatch,
                  ENTRY.format(summary="Họp báo cáo").encode("utf-16"))
    assert codes_in(result.stdout) == {"E-ENCODING"}
    assert "UTF-16" in result.stdout
    assert "\x00" not in result.stdout


@pytest.mark.parametrize("value", ['"Họp báo cáo', "[ttdn, lao"])
def test_bug_unclosed_quote_or_bracket_points_where_it_opens(tmp_path: Path, monkeypatch,
                                                              value: str):
    result = _one(tmp_path, monkeypatch,
                  f"date: 2023-08-28\ncategory: chu_tri_hop\nsummary: {value}\n")
    (m,) = first_lines(result.stdout)
    assert (m["code"], m["line"], m["col"]) == ("E-YAML-SYNTAX", "3", "10")
    assert "3 | summary: " in result.stdout


def test_bug_raw_control_character_is_located(tmp_path: Path, monkeypatch):
    result = _one(tmp_path, monkeypatch,
                  b"date: 2023-08-28\ncategory: chu_tri_hop\nsummary: H\x0bp b\xc3\xa1o c\xc3"
                  b"\xa1o\n")
    (m,) = first_lines(result.stdout)
    assert (m["line"], m["col"]) == ("3", "11")
    assert "unicode string" not in result.stdout
    assert "control characters are not allowed" not in result.stdout


def test_bug_encoding_column_counts_characters(tmp_path: Path, monkeypatch):
    raw = "date: 2023-08-28\ncategory: chu_tri_hop\nsummary: Họp báo cáo ".encode() + b"\xe1\n"
    result = _one(tmp_path, monkeypatch, raw)
    (m,) = first_lines(result.stdout)
    assert (m["code"], m["line"], m["col"]) == ("E-ENCODING", "3", "22")


def test_bug_refused_tag_does_not_claim_the_field_is_missing(tmp_path: Path, monkeypatch):
    result = _one(tmp_path, monkeypatch,
                  "date: 2023-08-28\ncategory: chu_tri_hop\n"
                  "summary: !!python/object/apply:os.system [\"echo pwned\"]\n")
    assert codes_in(result.stdout) == {"E-YAML-TAG"}


def test_bug_duplicate_in_one_file_hint(tmp_path: Path, monkeypatch):
    entry = "- date: 2023-08-28\n  category: chu_tri_hop\n  summary: Họp\n"
    result = _one(tmp_path, monkeypatch, entry + entry)
    assert codes_in(result.stdout) == {"E-DUPLICATE-ENTRY"}
    assert "hai tệp" not in result.stdout


def test_bug_missing_yaml_file_message(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "2023-08-28-khong-co.yaml")
    assert "không tìm thấy tệp" in result.stdout
    assert "No such file" not in result.stdout
    assert "quyền" not in result.stdout
    assert "đã kiểm tra 0 tệp" in result.stdout


def test_bug_file_symlink_loop_is_e_read(tmp_path: Path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "2023-08-28-a.yaml").symlink_to(data / "2023-08-28-b.yaml")
    (data / "2023-08-28-b.yaml").symlink_to(data / "2023-08-28-a.yaml")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "data")
    assert_clean(result)
    assert result.exit_code == 1
    assert codes_in(result.stdout) == {"E-READ"}
    assert len(first_lines(result.stdout)) == 2
