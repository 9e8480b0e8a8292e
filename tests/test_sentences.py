"""Issue 25, item 12: what a sentence can say.

- a figure clause inside a ";" list of activities (``merged`` and ``paragraph``): the
  punctuation the writer gave each piece is kept, never doubled, and a capital follows a full
  stop (docs/configuration.md, "Nối câu"; its example is run here);
- two distinct counts in one category (14 organisations from 21 countries) both counted;
- several activities in one bullet (five reports in one line, two plans in one plan bullet)
  without merging the entries by hand: ``group:`` of an entry, ``join:`` of a section;
- ``ngoaivu new --official`` writes an official figure, checked like ``validate`` checks it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main
from ngoaivu_cli.log import cache as cache_mod
from ngoaivu_cli.log.loader import load_text
from ngoaivu_cli.render.clauses import clusters, join_clauses, join_group

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
WEEK = ("--period", "2023-08-21:2023-08-27")


def run(*args: str) -> Result:
    return CliRunner(catch_exceptions=False).invoke(main, list(args))


def doc_block(after: str) -> str:
    """The first ```yaml block of docs/configuration.md after the line holding ``after``."""
    text = DOCS.read_text("utf-8")
    m = re.search(re.escape(after) + r".*?^```yaml\n(.*?)^```$", text, re.S | re.M)
    assert m, after
    return m.group(1)


def entry(root: Path, day: str, text: str, name: str = "") -> Path:
    path = root / "data" / day[:4] / day[5:7] / f"{day}-{name or 'a'}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"date: {day}\n{text}", "utf-8")
    return path


def body(*args: str) -> str:
    result = run("report", *args, "--format", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    return result.stdout


# --------------------------------------------------------------------------- joining clauses


@pytest.mark.parametrize(("pieces", "joined"), [
    (["a", "b"], "a; b."),
    (["A", "B"], "A. B."),
    (["tiếp nhận 05 hồ sơ của Việt kiều;", "phối hợp tổ chức"],
     "tiếp nhận 05 hồ sơ của Việt kiều; phối hợp tổ chức."),
    (["Tiếp nhận 05 hồ sơ của Việt kiều.", "phối hợp tổ chức"],
     "Tiếp nhận 05 hồ sơ của Việt kiều. Phối hợp tổ chức."),
    (["a,", "b;"], "a, b."),
    (["Lead:", "a"], "Lead: a."),
    (["a", "", "B…"], "a. B…"),
    (["Việc một./."], "Việc một./."),
])
def test_pieces_keep_their_punctuation(pieces: list[str], joined: str) -> None:
    assert join_clauses(pieces) == joined


def _figures_log(work: Path, style: str) -> None:
    config = doc_block("<!-- example: run-by tests/test_sentences.py -->").replace(
        "style: merged", f"style: {style}")
    (work / "ngoaivu.yaml").write_text(config, "utf-8")
    entry(work, "2023-08-22", "category: hoi_nhap_quoc_te\nsummary: làm việc với Đại sứ quán "
                              "Pháp;\n", "a")
    entry(work, "2023-08-23", "category: hoi_nhap_quoc_te\nsummary: Số liệu\ntags: [so-lieu]\n"
                              "metrics: {to_chuc_qt: 14, quoc_gia: 21}\n", "b")
    entry(work, "2023-08-24", "category: hoi_nhap_quoc_te\nsummary: phối hợp tổ chức hội nghị "
                              "ASEAN\n", "c")


@pytest.mark.parametrize("style", ["merged", "paragraph"])
def test_a_figure_clause_inside_a_list_of_activities(work: Path, style: str) -> None:
    """The documented example: "…Pháp; đón tiếp 14 tổ chức … 21 quốc gia; phối hợp …" — not
    "Pháp. đón tiếp" (merged) nor "Pháp;. đón tiếp" (paragraph) — with both counts."""
    _figures_log(work, style)
    text = body(*WEEK, "--type", "bao_cao_tuan")
    expected = ("Về hội nhập quốc tế: làm việc với Đại sứ quán Pháp; đón tiếp 14 tổ chức quốc "
                "tế đến từ 21 quốc gia; phối hợp tổ chức hội nghị ASEAN.")
    assert f"- {expected}" in text
    documented = " ".join(DOCS.read_text("utf-8").split())
    assert f"in \"- {expected}\"" in documented
    assert ";." not in text and ". đón" not in text


def test_a_sentence_after_a_full_stop_starts_with_a_capital(work: Path) -> None:
    _figures_log(work, "paragraph")
    entry(work, "2023-08-22", "category: hoi_nhap_quoc_te\nsummary: làm việc với Đại sứ quán "
                              "Pháp.\n", "a")
    text = body(*WEEK, "--type", "bao_cao_tuan")
    assert "làm việc với Đại sứ quán Pháp. Đón tiếp 14 tổ chức" in text


# --------------------------------------------------------------------------- group and join


def test_clusters_keep_the_place_of_the_first() -> None:
    class E:
        def __init__(self, name: str, group: str | None) -> None:
            self.name, self.group = name, group

    items = [E("a", None), E("b", "x"), E("c", None), E("d", "x"), E("e", "y")]
    assert [[e.name for e in c] for c in clusters(items)] == [["a"], ["b", "d"], ["c"], ["e"]]
    assert join_group(["Báo cáo A.", "báo cáo B;", "báo cáo C."]) == \
        "Báo cáo A; báo cáo B; báo cáo C."
    assert join_group(["Câu một.", "Câu hai."], " ") == "Câu một. Câu hai."


def test_five_reports_in_one_bullet(work: Path) -> None:
    (work / "data").mkdir()
    for i, day in enumerate(("2023-08-21", "2023-08-22", "2023-08-23", "2023-08-24",
                             "2023-08-25"), start=1):
        result = run("new", "--date", day, "--category", "van_ban_bo_nganh", "--group",
                     "bao-cao-tuan", "--summary", f"{'B' if i == 1 else 'b'}áo cáo số {i}")
        assert result.exit_code == 0, result.output
    run("new", "--date", "2023-08-22", "--category", "van_ban_bo_nganh", "--summary",
        "Rà soát thống kê đoàn ra")
    written = sorted((work / "data").rglob("2023-08-21-*.yaml"))[0].read_text("utf-8")
    assert "group: bao-cao-tuan" in written
    assert run("validate").exit_code == 0
    for _cold_then_warm in range(2):
        text = body(*WEEK, "--type", "bao_cao_tuan")
        assert "- Báo cáo số 1; báo cáo số 2; báo cáo số 3; báo cáo số 4; báo cáo số 5\n" in text
        assert text.index("báo cáo số 5") < text.index("Rà soát thống kê")
    listed = run("list", *WEEK, "--format", "json")
    groups = [e.get("group") for e in json.loads(listed.stdout)]
    assert groups.count("bao-cao-tuan") == 5  # still five activities


def test_two_plans_in_one_plan_bullet_with_the_section_s_join(work: Path) -> None:
    (work / "ngoaivu.yaml").write_text(
        "report_types:\n  thong_tin_doi_ngoai_thang:\n    sections:\n"
        "      - {heading: Kết quả, status: done, group_by: none}\n"
        "      - {heading: Kế hoạch, status: planned, period: next, group_by: none, "
        "join: \" và \"}\n", "utf-8")
    entry(work, "2023-09-05", "category: chu_tri_hop\nstatus: planned\nsummary: Chuẩn bị "
                              "Hội nghị tổng kết\ngroup: hoi-nghi\n", "a")
    entry(work, "2023-09-20", "category: chu_tri_hop\nstatus: planned\nsummary: tổ chức Hội "
                              "nghị vào cuối tháng.\ngroup: hoi-nghi\n", "b")
    entry(work, "2023-09-10", "category: lanh_su\nstatus: planned\nsummary: Việc khác\n", "c")
    entry(work, "2023-08-10", "category: lanh_su\nsummary: Việc tháng 8\n", "d")
    text = body("--period", "tháng 8/2023", "--type", "thong_tin_doi_ngoai_thang")
    assert "- Chuẩn bị Hội nghị tổng kết và tổ chức Hội nghị vào cuối tháng.\n\n- Việc khác" \
        in text


@pytest.mark.parametrize(("join", "code"), [('""', "E-VALUE"), ("[a]", "E-TYPE"),
                                            ('"' + "x" * 21 + '"', "E-VALUE")])
def test_a_bad_join_is_refused(work: Path, join: str, code: str) -> None:
    (work / "ngoaivu.yaml").write_text(
        f"report_types:\n  bao_cao_tuan:\n    sections:\n      - {{heading: A, join: {join}}}\n",
        "utf-8")
    (work / "data").mkdir()
    result = run("validate")
    assert result.exit_code == 1 and code in result.output and "join" in result.output


def test_the_documented_group_example_prints_as_documented(work: Path) -> None:
    block = doc_block("### Một gạch đầu dòng, nhiều hoạt động")
    path = work / "data" / "2023" / "08" / "2023-08-28-bao-cao-bo.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(block.split("\n", 1)[1], "utf-8")
    assert run("validate").exit_code == 0
    text = body("--period", "2023-08-28:2023-08-31", "--type", "bao_cao_tuan")
    assert "- Báo cáo Bộ Ngoại giao tình hình hợp tác với Lào; báo cáo Cục Lãnh sự tình hình " \
           "công dân ở nước ngoài.\n" in text


def test_a_group_is_text_checked_like_the_others_and_cached_exactly(work: Path) -> None:
    bad = load_text("date: 2023-08-01\ncategory: lanh_su\nsummary: A\ngroup: \"x\\u0007\"\n",
                    "data/x.yaml")
    entry(work, "2023-08-01", "category: lanh_su\nsummary: A\ngroup: \"x\\u0007\"\n")
    result = run("validate")
    assert result.exit_code == 1 and "group" in result.output
    good = load_text("date: 2023-08-01\ncategory: lanh_su\nsummary: A\ngroup: g-1\n",
                     "data/x.yaml")
    for loaded in (bad, good):
        encoded = cache_mod._encode("data/x.yaml", loaded)
        assert encoded is not None
        back = cache_mod._decode("data/x.yaml", *json.loads(json.dumps(encoded)))
        assert back.entries == loaded.entries
    assert good.entries[0].group == "g-1"


# --------------------------------------------------------------------------- new --official


def test_new_writes_an_official_figure(work: Path) -> None:
    (work / "data").mkdir()
    result = run("new", "--official", "năm 2023", "--category", "doan_ra_doan_vao",
                 "--summary", "Cục Thống kê tỉnh công bố số đoàn ra năm 2023",
                 "--metric", "doan_ra=120", "--metric", "luot_ra=310")
    assert result.exit_code == 0, result.output
    path = work / result.stdout.strip()
    assert path.parent == work / "data" / "2023" / "12"  # the period's last day by default
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["date"] == "2023-12-31" and "metrics" not in data
    assert data["official"] == {"scope": "năm 2023", "metrics": {"doan_ra": 120, "luot_ra": 310}}
    assert run("validate").exit_code == 0
    entry(work, "2023-05-04", "category: doan_ra_doan_vao\nsummary: Đoàn ra\n"
                              "metrics: {doan_ra: 1, luot_ra: 3}\n")
    stats = run("stats", "--period", "năm 2023", "--format", "json")
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["total"]["metrics"]["doan_ra"]["value"] == 120


@pytest.mark.parametrize(("args", "says"), [
    (["--official", "năm 2023"], "--official cần ít nhất một --metric"),
    (["--official", "năm nay", "--metric", "doan_ra=1"], "phải ghi rõ năm"),
    (["--official", "  ", "--metric", "doan_ra=1"], "--official cần một kỳ"),
    (["--official", "năm 2023", "--date", "2024-01-05", "--metric", "doan_ra=1"],
     "--date: ngày 2024-01-05 nằm ngoài kỳ"),
    (["--official", "năm 2023", "--status", "planned", "--metric", "doan_ra=1"],
     "--status: số liệu chính thức không phải kế hoạch"),
    (["--official", "năm 2023", "--metric", "doan_rra=1"], "--metric: số liệu `doan_rra`"),
    (["--official", "năm 2023", "--metric", "trang_bien_dich=1"], "--metric"),
    (["--official", "năm 2023", "--metric", "doan_ra=-1"], "không được âm"),
    (["--official", "năm 2023", "--metric", "doan_ra=1.5"], "--metric"),
    (["--official", "năm 2023", "--status", "planned", "--date", "2023-12",
      "--metric", "doan_ra=1"], "không phải tháng hay quý"),
])
def test_new_refuses_an_official_figure_validate_would_refuse(work: Path, args: list[str],
                                                               says: str) -> None:
    (work / "data").mkdir()
    result = run("new", "--category", "doan_ra_doan_vao", "--summary", "Số chính thức", *args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert not list((work / "data").rglob("*.yaml"))


def test_a_refusal_of_new_says_what_to_do_on_the_command_line(work: Path) -> None:
    """validate's hint for the file ("xóa dòng `status`") is, for `new`, the option to leave out."""
    (work / "data").mkdir()
    result = run("new", "--category", "doan_ra_doan_vao", "--summary", "Số chính thức",
                 "--official", "năm 2023", "--status", "planned", "--metric", "doan_ra=1")
    assert result.exit_code == 2, result.output
    assert "gợi ý: bỏ `--status`" in result.stderr and "xóa dòng" not in result.stderr


def test_the_documented_new_commands_run_as_written(work: Path) -> None:
    """docs/lenh.md shows `new --official` and `new --group`: they run, and print as said."""
    import shlex

    text = (DOCS.parent / "lenh.md").read_text("utf-8")
    block = re.search(r"run-by tests/test_sentences.py -->\n```text\n(.*?)^```$",
                      text, re.S | re.M)
    assert block
    (work / "data").mkdir()
    commands = block.group(1).splitlines()
    assert len(commands) == 3 and any("--official" in c for c in commands)
    for line in commands:
        words = shlex.split(line)
        assert words[0] == "ngoaivu"
        result = run(*words[1:])
        assert result.exit_code == 0, (line, result.output)
    said = " ".join(text.split())
    printed = body("--period", "2023-08-28:2023-09-03", "--type", "bao_cao_tuan")
    bullet = ("- Báo cáo Bộ Ngoại giao tình hình hợp tác với Lào; báo cáo Cục Lãnh sự tình hình "
              "công dân ở nước ngoài")
    assert f"{bullet}\n" in printed and f"in \"{bullet}\"" in said
    stats = json.loads(run("stats", "--period", "năm 2023", "--format", "json").stdout)
    group = next(g for g in stats["groups"] if g["key"] == "doan_ra_doan_vao")
    assert group["entries"] == 0 and group["metrics"]["doan_ra"]["value"] == 120
