"""Tests of ``ngoaivu init`` and ``ngoaivu new``: what they create, what they never touch, and
that an entry they write reads back exactly and passes ``ngoaivu validate``."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from ngoaivu_cli.cli import daily as cli
from ngoaivu_cli.cli import main
from ngoaivu_cli.config import default_config_text, load_config
from ngoaivu_cli.log.loader import load_file, load_text
from ngoaivu_cli.office import INIT_PLACEHOLDER
from ngoaivu_cli.render.report import shipped_template
from ngoaivu_cli.scaffold import PRE_COMMIT_CONFIG, entry_mapping, entry_text
from ngoaivu_cli.schema import MODELINE, schema_text

REPO = Path(__file__).resolve().parents[1]
def _days_of_the_run(before: dt.date) -> set[dt.date]:
    """Today as the command saw it: the day the test began or, across midnight, the next."""
    return {before, dt.date.today()}


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- init


def test_init_creates_a_complete_log_repository(work: Path) -> None:
    before = dt.date.today()
    result = run("init", "kho")
    assert result.exit_code == 0, result.output
    repo = work / "kho"
    created = files_under(repo)
    (example,) = [name for name in created if name.startswith("data/")]
    assert any(example.startswith(f"data/{d:%Y}/{d:%m}/{d.isoformat()}-")
               for d in _days_of_the_run(before))
    assert sorted(n for n in created if n != example) == [
        ".gitignore", ".pre-commit-config.yaml", "ngoaivu.yaml", "schema/entry.schema.json",
        "templates/van-ban.docx", "templates/van-ban.md.j2"]
    # the default configuration, commented, under a header saying how it extends the default
    config_text = created["ngoaivu.yaml"].decode()
    # a script names no office: the shipped one, with no officer's name (issue 25, item 9)
    shipped = default_config_text().splitlines()
    written = config_text.splitlines()[-len(shipped):]
    signers = shipped.index("signers:")
    names = [i for i, line in enumerate(shipped) if line.startswith("    name: ")
             and i > signers and all(ln.startswith(" ") or not ln
                                     for ln in shipped[signers + 1:i])]
    assert [ln for i, ln in enumerate(written) if i not in names] == [
        ln for i, ln in enumerate(shipped) if i not in names]
    assert {written[i].split("#")[0].strip() for i in names} == {f"name: {INIT_PLACEHOLDER}"}
    assert config_text.startswith("# Tệp này do `ngoaivu init` tạo")
    for name in ("van-ban.docx", "van-ban.md.j2"):
        assert created[f"templates/{name}"] == shipped_template(name).read_bytes()
    config = load_config(repo / "ngoaivu.yaml", cwd=repo)
    assert created["schema/entry.schema.json"].decode() == schema_text(config)
    assert created[example].decode().startswith(MODELINE + "\n")
    hooks = yaml.safe_load(created[".pre-commit-config.yaml"])["repos"][0]
    assert hooks["repo"] == "local"
    assert hooks["hooks"][0] | {"files": None} == {
        "id": "ngoaivu-validate", "name": "ngoaivu validate", "entry": "ngoaivu validate",
        "language": "system", "files": None, "pass_filenames": False}
    assert "tạo  kho/ngoaivu.yaml" in result.output
    assert "cd kho" in result.output


def test_new_repository_validates_and_makes_a_report(work: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("init").exit_code == 0
    checked = run("validate")
    assert checked.exit_code == 0, checked.output
    # only the signers' placeholders are said, until their names are written (issue 25, item 9)
    assert "0 lỗi, 2 cảnh báo" in checked.output
    assert checked.output.count("W-PLACEHOLDER-NAME") == 2, checked.output
    made = run("report", "--period", "tuần này", "--format", "md", "-o", "-")
    assert made.exit_code == 0, made.output
    assert "Hội thảo quốc tế về xúc tiến đầu tư" in made.stdout


def test_pre_commit_hooks_match_the_published_hook() -> None:
    local = yaml.safe_load(PRE_COMMIT_CONFIG)["repos"][0]["hooks"][0]
    (published,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert published["language"] == "python"
    for key in ("id", "name", "entry", "files", "pass_filenames"):
        assert local[key] == published[key], key
    assert published == published | {"id": "ngoaivu-validate", "entry": "ngoaivu validate",
                                      "pass_filenames": False}
    pattern = re.compile(published["files"])
    for name in ("ngoaivu.yaml", "data/2023/08/2023-08-28-hop.yaml", "data/x.YAML",
                 "documents/kho-khan.yaml"):
        assert pattern.search(name), name
    for name in ("README.md", "templates/van-ban.docx", "examples/x/ngoaivu.yaml"):
        assert not pattern.search(name), name


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitignore_ignores_reports_but_not_templates(work: Path) -> None:
    assert run("init").exit_code == 0
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    paths = ["bao-cao-tuan-2023-08-24_2023-08-31.docx", "bao-cao-tuan-2023-08-24_2023-08-31.pdf",
             "bao-cao-tuan-2023-08-24_2023-08-31.md", "bao-cao/x.docx",
             "templates/van-ban.docx", "templates/van-ban.md.j2", "ngoaivu.yaml", "README.md",
             "schema/entry.schema.json", "data/2023/08/2023-08-24-a.yaml"]
    proc = subprocess.run(["git", "check-ignore", *paths], cwd=work, capture_output=True,
                          text=True, check=False)
    assert proc.stdout.split() == paths[:4]


def test_init_refuses_a_non_empty_folder(work: Path) -> None:
    (work / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    result = run("init")
    assert result.exit_code == 1
    assert "không trống (ghi-chu.txt)" in result.output
    assert "--force" in result.output
    assert files_under(work) == {"ghi-chu.txt": "của tôi".encode()}


def test_init_accepts_a_folder_holding_only_git(work: Path) -> None:
    (work / ".git").mkdir()
    result = run("init")
    assert result.exit_code == 0, result.output
    assert (work / "ngoaivu.yaml").is_file()


def test_init_refuses_a_file(work: Path) -> None:
    (work / "kho").write_text("x", encoding="utf-8")
    result = run("init", "kho")
    assert result.exit_code == 1
    assert "không phải là thư mục" in result.output


def test_init_force_keeps_every_existing_file(work: Path) -> None:
    mine = {
        "ngoaivu.yaml": "version: 1\nunits:\n  PCT: Phòng Chính trị\n",
        "data/2023/08/2023-08-28-hop-bao-cao.yaml":
            'date: "2023-08-28"\ncategory: chu_tri_hop\nsummary: "Họp"\nunit: PCT\n',
        "data/ghi-chu.txt": "không phải YAML",
        ".gitignore": "/ban-nhap/\n",
    }
    for name, text in mine.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    before = files_under(work)
    result = run("init", "--force")
    assert result.exit_code == 0, result.output
    after = files_under(work)
    for name, data in before.items():
        assert after[name] == data, name  # nothing replaced, nothing deleted
    assert sorted(set(after) - set(before)) == [
        ".pre-commit-config.yaml", "schema/entry.schema.json", "templates/van-ban.docx",
        "templates/van-ban.md.j2"]  # no example entry in a log that has entries
    assert "giữ  ngoaivu.yaml" in result.output
    # the schema follows the user's configuration
    schema = json.loads(after["schema/entry.schema.json"])
    assert "PCT" in schema["$defs"]["entry"]["properties"]["unit"]["enum"]
    again = run("init", "--force")
    assert again.exit_code == 0
    assert files_under(work) == after
    assert "không tạo thêm gì" in again.output


# --------------------------------------------------------------------------- new


NEW = ("new", "--date", "2023-08-28", "--category", "tham_muu_tinh_uy", "--unit", "VPTTr",
       "--summary", "Tham mưu Thường trực Tỉnh ủy")
EXPECTED_PATH = "data/2023/08/2023-08-28-tham-muu-thuong-truc-tinh-uy.yaml"


def test_new_writes_the_named_file_and_prints_its_path(work: Path) -> None:
    result = run(*NEW)
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED_PATH + "\n"
    text = (work / EXPECTED_PATH).read_text("utf-8")
    assert text == (MODELINE + "\n"
                    "date: '2023-08-28'\n"
                    "category: tham_muu_tinh_uy\n"
                    "status: done\n"
                    "summary: Tham mưu Thường trực Tỉnh ủy\n"
                    "unit: VPTTr\n"
                    "order: 1\n")  # the first entry of the log (issue 25, item 4)
    # the modeline's schema exists, written because it was missing
    assert (work / "schema" / "entry.schema.json").is_file()
    assert "Đã tạo schema/entry.schema.json" in result.output
    checked = run("validate")
    assert checked.exit_code == 0, checked.output
    assert "đã kiểm tra 1 tệp, 1 hoạt động" in checked.output


def test_new_says_once_that_the_schema_no_longer_matches(work: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A script of many `new` gets the stale-schema note once, not on every call; again when the
    configuration (or the schema file) changes; every time when there is no cache folder
    (issue 25, item 13)."""
    note = "không còn khớp cấu hình"
    (work / "data").mkdir()
    (work / "ngoaivu.yaml").write_text("units:\n  XYZ: Phòng mới\n", "utf-8")
    (work / "schema").mkdir()
    (work / "schema" / "entry.schema.json").write_text("{}\n", "utf-8")

    def new(n: int) -> str:
        result = run("new", "--date", f"2023-08-{n:02d}", "--category", "tham_muu_ubnd",
                     "--unit", "XYZ", "--summary", f"Việc số {n}")
        assert result.exit_code == 0, result.output
        return result.output

    assert note in new(1)
    assert note not in new(2) and note not in new(3)
    (work / "ngoaivu.yaml").write_text("units:\n  XYZ: Phòng mới\n  YYY: Phòng khác\n", "utf-8")
    assert note in new(4)
    assert note not in new(5)
    (work / "schema" / "entry.schema.json").write_text("[]\n", "utf-8")
    assert note in new(6)
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    assert note in new(7) and note in new(8)


def test_a_forged_schema_note_in_the_log_silences_nothing(work: Path) -> None:
    """The note's memory is a signed cache file: one that came with the log (garbage, or a link
    out of it) is ignored, the note is given, and nothing outside the log is written."""
    (work / "data").mkdir()
    (work / "ngoaivu.yaml").write_text("units:\n  XYZ: Phòng mới\n", "utf-8")
    (work / "schema").mkdir()
    (work / "schema" / "entry.schema.json").write_text("{}\n", "utf-8")
    cache = work / ".ngoaivu-cache"
    cache.mkdir()
    outside = work.parent / "ngoai.txt"
    outside.write_text("giữ nguyên", "utf-8")
    (cache / "schema-note").symlink_to(outside)
    for n, forged in ((1, None), (2, b"ngoaivu-cache-v1 00\n" + b"a" * 32)):
        if forged is not None:
            (cache / "schema-note").unlink()
            (cache / "schema-note").write_bytes(forged)
        result = run("new", "--date", f"2023-08-{n:02d}", "--category", "tham_muu_ubnd",
                     "--unit", "XYZ", "--summary", f"Việc số {n}")
        assert result.exit_code == 0, result.output
        assert "không còn khớp cấu hình" in result.output
    assert outside.read_text("utf-8") == "giữ nguyên"


def test_new_never_overwrites_and_adds_a_suffix(work: Path) -> None:
    target = work / EXPECTED_PATH
    target.parent.mkdir(parents=True)
    mine = 'date: "2023-08-28"\ncategory: chu_tri_hop\nsummary: "Họp giao ban"\n'
    target.write_text(mine, encoding="utf-8")
    first = run(*NEW)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == EXPECTED_PATH.replace(".yaml", "-2.yaml")
    other = [*NEW]
    other[other.index("tham_muu_tinh_uy")] = "tham_muu_ubnd"
    second = run(*other)
    assert second.exit_code == 0, second.output
    assert second.stdout.strip() == EXPECTED_PATH.replace(".yaml", "-3.yaml")
    assert target.read_text("utf-8") == mine
    assert run("validate").exit_code == 0


def test_new_refuses_a_duplicate_entry(work: Path) -> None:
    assert run(*NEW).exit_code == 0
    before = files_under(work)
    again = run(*NEW)
    assert again.exit_code == 1
    assert f"trùng với {EXPECTED_PATH}" in again.output
    assert files_under(work) == before


def test_new_unknown_category_is_a_usage_error_with_a_suggestion(work: Path) -> None:
    args = [*NEW]
    args[args.index("tham_muu_tinh_uy")] = "tham_muu_tinh"
    result = run(*args)
    assert result.exit_code == 2
    assert '--category: lĩnh vực "tham_muu_tinh" không có trong cấu hình' in result.output
    assert "có phải ý bạn là `tham_muu_tinh_uy`?" in result.output
    assert files_under(work) == {}


def test_new_reports_every_problem_at_once_and_writes_nothing(work: Path) -> None:
    result = run("new", "--category", "doan_ra_doan_vao", "--unit", "VPT", "--summary", "Đoàn",
                 "--metric", "doan_raa=1", "--metric", "luot_ra=-2", "--metric",
                 "trang_bien_dich=3")
    assert result.exit_code == 2
    for line in ('--unit: đơn vị "VPT"', "--metric: số liệu `doan_raa`",
                 "--metric: số liệu `luot_ra` không được âm",
                 "--metric: số liệu `trang_bien_dich` được tính tự động"):
        assert line in result.output
    assert not (work / "data").exists()


def test_new_parses_metrics_and_the_file_round_trips(work: Path) -> None:
    result = run("new", "--date", "2023-08-31", "--category", "doan_ra_doan_vao", "--unit", "HTQT",
                 "--summary", "Cử đoàn đi Lào: no, 12:30 #1", "--metric", "doan_ra=2",
                 "--metric", "gio_phien_dich=1.5", "--tag", "lao", "--tag", "doan-ra",
                 "--partner", "Lào", "--partner", "Bolikhămxay", "--status", "planned",
                 "--end", "2023-09-02", "--footnote", "Gồm 05 thành viên")
    assert result.exit_code == 0, result.output
    path = work / result.stdout.strip()
    assert path.name == "2023-08-31-cu-doan-di-lao-no-12-30-1.yaml"
    loaded = load_file(path)
    assert loaded.problems == []
    (entry,) = loaded.entries
    assert entry.date == dt.date(2023, 8, 31)
    assert entry.end == dt.date(2023, 9, 2)
    assert entry.summary == "Cử đoàn đi Lào: no, 12:30 #1"
    assert entry.status == "planned"
    assert entry.tags == ("lao", "doan-ra")
    assert entry.partners == ("Lào", "Bolikhămxay")
    assert entry.metrics == (("doan_ra", 2), ("gio_phien_dich", 1.5))
    assert isinstance(entry.metric_map["doan_ra"], int)
    assert entry.footnote == "Gồm 05 thành viên"
    assert run("validate").exit_code == 0


@pytest.mark.parametrize(("metric", "message"), [
    ("doan_ra", "phải có dạng TÊN=SỐ"),
    ("doan_ra=hai", '"hai" không phải là số'),
    ("gio_phien_dich=1,5", "--metric gio_phien_dich=1.5"),
])
def test_new_bad_metric_option(work: Path, metric: str, message: str) -> None:
    result = run(*NEW, "--metric", metric)
    assert result.exit_code == 2
    assert message in result.output
    assert files_under(work) == {}


def test_new_without_terminal_names_the_missing_options(work: Path) -> None:
    result = run("new", "--unit", "VPTTr")
    assert result.exit_code == 2
    assert "thiếu --category và --summary" in result.output
    assert files_under(work) == {}


def test_new_prompts_on_a_terminal(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    answers = "2023-08-28\ntham_muu\ntham_muu_ubnd\nvpttr\nđề nghị UBND tỉnh: yes\n"
    result = run("new", input=answers)
    assert result.exit_code == 0, result.output
    assert "Tham mưu Thường trực Tỉnh ủy, HĐND tỉnh" in result.output  # labels are offered
    assert "Văn phòng - Thanh tra" in result.output
    assert "có phải ý bạn là" in result.output  # a wrong key is asked again
    (entry,) = load_file(work / "data/2023/08/2023-08-28-de-nghi-ubnd-tinh-yes.yaml").entries
    assert (entry.category, entry.unit, entry.summary) == (
        "tham_muu_ubnd", "VPTTr", "đề nghị UBND tỉnh: yes")


def test_new_prompt_default_date_is_today_and_unit_can_be_left_out(
        work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    before = dt.date.today()
    result = run("new", "--category", "chu_tri_hop", input="\n-\nHọp giao ban\n")
    assert result.exit_code == 0, result.output
    (entry,) = load_file(work / result.stdout.strip()).entries
    assert entry.date in _days_of_the_run(before)
    assert entry.unit is None


@pytest.mark.parametrize(("answer", "stem"), [("2024-12", "2024-12"), ("quý I/2024", "2024-q1")])
def test_new_prompt_takes_a_month_or_a_quarter_for_a_plan(
        work: Path, monkeypatch: pytest.MonkeyPatch, answer: str, stem: str) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    result = run("new", "--status", "planned", "--category", "chu_tri_hop",
                 input=f"{answer}\n-\nHội nghị tổng kết\n")
    assert result.exit_code == 0, result.output
    written = result.stdout.strip()
    assert written.startswith(f"data/2024/{stem}-"), written
    assert "2024-Q1" in result.output  # the prompt says a plan may be a month or a quarter


def test_new_prompt_refuses_a_month_for_a_done_activity(
        work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    result = run("new", "--category", "chu_tri_hop", input="2024-12\n2024-12-05\n-\nHọp\n")
    assert result.exit_code == 0, result.output  # asked again, then a day
    assert result.stdout.strip().startswith("data/2024/12/2024-12-05-")


def test_new_inside_a_repository_writes_at_its_root(work: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("init", "kho").exit_code == 0
    nested = work / "kho" / "templates"
    monkeypatch.chdir(nested)
    result = run(*NEW)
    assert result.exit_code == 0, result.output
    assert (work / "kho" / EXPECTED_PATH).is_file()
    assert "Đã tạo schema" not in result.output  # init wrote it already


def test_new_says_when_the_schema_is_stale(work: Path) -> None:
    assert run("init").exit_code == 0
    config = work / "ngoaivu.yaml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("\nunits:\n", "\nunits:\n  PCT: Phòng Chính trị\n", 1),
                      encoding="utf-8")
    schema = (work / "schema" / "entry.schema.json").read_bytes()
    result = run(*NEW)
    assert result.exit_code == 0, result.output
    assert "ngoaivu schema -o schema/entry.schema.json --force" in result.output
    assert (work / "schema" / "entry.schema.json").read_bytes() == schema


def test_new_normalises_text_to_nfc(work: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Tham mưu Thường trực Tỉnh ủy")
    result = run("new", "--date", "2023-08-28", "--category", "tham_muu_tinh_uy",
                 "--summary", decomposed)
    assert result.exit_code == 0, result.output
    (entry,) = load_file(work / EXPECTED_PATH).entries
    assert entry.summary == "Tham mưu Thường trực Tỉnh ủy"
    assert run("validate", "--strict").exit_code == 0  # no W-NFC


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(summary=_TEXT, tag=_TEXT, footnote=_TEXT)
def test_entry_text_reads_back_exactly(summary: str, tag: str, footnote: str) -> None:
    mapping = entry_mapping(date=dt.date(2023, 8, 28), category="chu_tri_hop", summary=summary,
                            tags=(tag,), footnote=footnote)
    loaded = load_text(entry_text(mapping), "x.yaml")
    assert [p for p in loaded.problems if p.is_error] == []
    (entry,) = loaded.entries
    assert entry.summary == mapping.get("summary", "")
    assert list(entry.tags) == mapping.get("tags", [])
    assert (entry.footnote or None) == mapping.get("footnote")


def test_new_is_not_blamed_for_a_broken_file_of_the_same_name(work: Path) -> None:
    target = work / EXPECTED_PATH
    target.parent.mkdir(parents=True)
    target.write_text('date: "2023-08-28"\ncategory: khong_co\nsummary: "Cũ"\n', encoding="utf-8")
    result = run(*NEW)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == EXPECTED_PATH.replace(".yaml", "-2.yaml")
