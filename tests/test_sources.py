"""Sources (issue 16): a Sở's log compiling other agencies' logs (ngoaivu_cli/sources.py).

Each test builds a small province in tmp_path: the Sở's log ``so/`` listing sources beside it
(``../sct``, ``../huyen``), runs the real commands and checks what a user sees."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main

pytestmark = pytest.mark.usefixtures("clean_env")

HALF = "6 tháng đầu năm 2024"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), "utf-8")
    return path


def entry(folder: Path, day: str, slug: str, category: str, summary: str,
          extra: str = "") -> Path:
    y, m, _d = day.split("-")
    return write(folder / "data" / y / m / f"{day}-{slug}.yaml",
                 f"date: {day}\ncategory: {category}\nsummary: {summary}\n{extra}")


SO_CONFIG = """
sources:
  - {name: Sở Công Thương, path: ../sct}
  - {name: UBND huyện Ven Sông, path: ../huyen}
report_types:
  theo_co_quan:
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title:
      - Thử nhóm theo cơ quan {{ period.label }}
    signer: giam_doc
    deadline: 25
    sections:
      - heading: THEO LĨNH VỰC
      - heading: THEO CƠ QUAN
        group_by: agency
      - heading: CHỈ SỞ CÔNG THƯƠNG
        agencies: [Sở Công Thương]
        stats:
          - text: "Tổ chức {{ m.hoi_thao }} hội nghị."
      - heading: KẾ HOẠCH THEO CƠ QUAN
        status: planned
        period: next
        group_by: agency
        style: merged
"""


@pytest.fixture
def province(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    so, sct, huyen = tmp_path / "so", tmp_path / "sct", tmp_path / "huyen"
    write(so / "ngoaivu.yaml", SO_CONFIG)
    entry(so, "2024-03-05", "doan-ra", "doan_ra_doan_vao", "Cử đoàn đi Lào.",
          "metrics: {doan_ra: 1, luot_ra: 4}\n")
    entry(so, "2024-07-02", "ke-hoach", "lanh_su", "Tập huấn công tác lãnh sự.",
          "status: planned\n")
    write(sct / "ngoaivu.yaml", """
        agency: {name: SỞ CÔNG THƯƠNG, short_name: Sở Công Thương}
        units: {QLTM: Phòng Quản lý thương mại}
        """)
    entry(sct, "2024-04-10", "xuc-tien", "kinh_te_doi_ngoai", "Hội nghị xúc tiến thương mại.",
          "unit: QLTM\nmetrics:\n  hoi_thao: 2\n  doan_vao: 1\n")  # not the simple form: cached
    entry(sct, "2024-07-10", "hoi-cho", "kinh_te_doi_ngoai", "Tham gia hội chợ tại Viêng Chăn.",
          "status: planned\n")
    entry(huyen, "2024-05-02", "bien-gioi", "bien_gioi", "Tuần tra biên giới chung.",
          "metrics:\n  doan_vao: 1\n")
    monkeypatch.chdir(so)
    return tmp_path


def ngoaivu(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_list_json_and_table_show_every_agency(province: Path) -> None:
    result = ngoaivu("list", "--period", HALF, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["agency"], r["summary"]) for r in rows] == [
        ("Sở Ngoại vụ", "Cử đoàn đi Lào."),
        ("Sở Công Thương", "Hội nghị xúc tiến thương mại."),
        ("UBND huyện Ven Sông", "Tuần tra biên giới chung.")]
    assert rows[1]["file"] == "../sct/data/2024/04/2024-04-10-xuc-tien.yaml"
    table = ngoaivu("list", "--period", HALF, "--agency", "UBND huyện Ven Sông")
    assert "Tuần tra biên giới chung." in table.output and "Cử đoàn" not in table.output
    wrong = ngoaivu("list", "--period", HALF, "--agency", "Sở Công Thuong")
    assert wrong.exit_code == 2 and "Sở Công Thương" in wrong.output


def test_stats_by_agency_and_totals_include_every_source(province: Path) -> None:
    result = ngoaivu("stats", "--period", HALF, "--by", "agency", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(g["label"], g["entries"]) for g in data["groups"]] == [
        ("Sở Ngoại vụ", 1), ("Sở Công Thương", 1), ("UBND huyện Ven Sông", 1)]
    assert data["total"]["metrics"]["doan_vao"]["value"] == 2  # Sở Công Thương + the district
    assert data["total"]["metrics"]["hoi_thao"]["value"] == 2


def test_sections_group_filter_and_merge_agencies(province: Path) -> None:
    result = ngoaivu("report", "--period", HALF, "--type", "theo_co_quan", "--format", "json",
                     "-o", "-")
    assert result.exit_code == 0, result.output
    texts = [b["text"] for b in json.loads(result.stdout)["body"]]
    i = texts.index("II. THEO CƠ QUAN")
    # merged into the Sở's categories (section I), in the configured order of categories
    assert texts[1:i] == ["- Tham mưu tỉnh làm thủ tục cho 01 đoàn với 04 lượt CBCCVC đi công "
                          "tác nước ngoài.", "- Cử đoàn đi Lào.",
                          "- Hội nghị xúc tiến thương mại.", "- Tuần tra biên giới chung."]
    assert texts[i + 1:i + 4] == ["1. Sở Ngoại vụ: Cử đoàn đi Lào.",
                                  "2. Sở Công Thương: Hội nghị xúc tiến thương mại.",
                                  "3. UBND huyện Ven Sông: Tuần tra biên giới chung."]
    j = texts.index("III. CHỈ SỞ CÔNG THƯƠNG")
    assert texts[j + 1:j + 3] == ["Tổ chức 02 hội nghị.", "- Hội nghị xúc tiến thương mại."]
    k = texts.index("IV. KẾ HOẠCH THEO CƠ QUAN")
    assert texts[k + 1:] == ["1. Sở Ngoại vụ: Tập huấn công tác lãnh sự.",
                             "2. Sở Công Thương: Tham gia hội chợ tại Viêng Chăn."]


def test_validate_checks_every_source_and_names_it(province: Path) -> None:
    entry(province / "huyen", "2024-05-03", "sai", "bien_gioii", "Sai lĩnh vực.")
    entry(province / "sct", "2024-04-11", "don-vi", "kinh_te_doi_ngoai", "Đơn vị lạ.",
          "unit: VPTTr\n")  # a unit of the Sở, not of Sở Công Thương
    entry(province / "huyen", "2024-05-04", "don-vi", "bien_gioi", "Đơn vị của Sở.",
          "unit: VPTTr\n")  # a source without units of its own: the Sở's apply
    result = ngoaivu("validate", "--format", "json")
    assert result.exit_code == 1
    found = {(d["path"], d["line"], d["code"]): d["message"]
             for d in json.loads(result.output)["diagnostics"]}
    assert set(found) == {("../huyen/data/2024/05/2024-05-03-sai.yaml", 2, "E-UNKNOWN-CATEGORY"),
                          ("../sct/data/2024/04/2024-04-11-don-vi.yaml", 4, "E-UNKNOWN-UNIT")}
    assert found[("../huyen/data/2024/05/2024-05-03-sai.yaml", 2, "E-UNKNOWN-CATEGORY")] \
        .startswith("nguồn “UBND huyện Ven Sông”: ")
    assert "nguồn “Sở Công Thương”" in found[("../sct/data/2024/04/2024-04-11-don-vi.yaml", 4,
                                              "E-UNKNOWN-UNIT")]
    text = ngoaivu("validate")
    assert "../huyen/data/2024/05/2024-05-03-sai.yaml:2:11: error E-UNKNOWN-CATEGORY" in text.output
    assert "có phải ý bạn là `bien_gioi`?" in text.output
    report = ngoaivu("report", "--period", HALF, "--format", "md", "-o", "-")
    assert report.exit_code == 1 and "nguồn “UBND huyện Ven Sông”" in report.output


def test_validate_counts_every_source_and_reuses_each_cache(province: Path) -> None:
    first = ngoaivu("validate")
    assert first.exit_code == 0, first.output
    assert "(đã kiểm tra 5 tệp, 5 hoạt động)" in first.output
    caches = sorted(p.name for p in (province / "so" / ".ngoaivu-cache").glob("source-*"))
    assert len(caches) == 2  # one per source, in the Sở's cache folder
    assert not (province / "sct" / ".ngoaivu-cache").exists()  # nothing written in a source
    assert not (province / "huyen" / ".ngoaivu-cache").exists()
    from ngoaivu_cli.config import load_config
    from ngoaivu_cli.log.cache import open_source_cache
    from ngoaivu_cli.sources import open_sources

    config = load_config()
    opened = open_sources(config)
    for source in opened.sources:
        cache = open_source_cache(config.root, source.root)
        assert cache is not None
        rel = next(Path(os.path.relpath(p)) for p in (source.root / "data").rglob("*.yaml")
                   if "metrics:\n" in p.read_text("utf-8"))
        assert cache.has(rel) and cache.get(rel, rel.as_posix()) is not None  # the cached parse
    again = ngoaivu("validate")
    assert again.output == first.output


def test_a_missing_source_is_one_clear_error_and_can_be_skipped(province: Path) -> None:
    (province / "huyen" / "data" / "2024" / "05" / "2024-05-02-bien-gioi.yaml").unlink()
    os.rename(province / "huyen", province / "huyen-cu")
    result = ngoaivu("validate")
    assert result.exit_code == 1
    assert result.output.count("E-SOURCE-MISSING") == 1
    assert "ngoaivu.yaml:3:5: error E-SOURCE-MISSING: sources: nguồn “UBND huyện Ven Sông”: " \
           "không có thư mục ../huyen" in result.output
    assert "--skip-missing-sources" in result.output
    report = ngoaivu("report", "--period", HALF, "--format", "md", "-o", "-")
    assert report.exit_code == 1 and "E-SOURCE-MISSING" in report.output
    skipped = ngoaivu("report", "--period", HALF, "--format", "md", "-o", "-",
                      "--skip-missing-sources")
    assert skipped.exit_code == 0, skipped.output
    assert "Hội nghị xúc tiến thương mại." in skipped.stdout
    assert "W-SOURCE-SKIPPED" in skipped.stderr and "UBND huyện Ven Sông" in skipped.stderr
    strict = ngoaivu("report", "--period", HALF, "--format", "md", "-o", "-",
                     "--skip-missing-sources", "--strict")
    assert strict.exit_code == 1  # a report that leaves an agency out is not strict
    listed = ngoaivu("list", "--period", HALF, "--skip-missing-sources")
    assert listed.exit_code == 0 and "bị bỏ qua" in listed.stderr
    checked = ngoaivu("validate", "--skip-missing-sources")
    assert checked.exit_code == 0 and "W-SOURCE-SKIPPED" in checked.output


def test_two_sources_with_the_same_name(province: Path) -> None:
    write(province / "so" / "ngoaivu.yaml", """
        sources:
          - {name: Sở Công Thương, path: ../sct}
          - {name: Sở Công Thương, path: ../huyen}
        """)
    result = ngoaivu("validate")
    assert result.exit_code == 1
    assert ("ngoaivu.yaml:3:12: error E-SOURCE-DUPLICATE: sources[1].name: hai nguồn cùng tên "
            "“Sở Công Thương” (nguồn đầu ở dòng 2)") in result.output


def test_two_sources_in_the_same_folder(province: Path) -> None:
    write(province / "so" / "ngoaivu.yaml", """
        sources:
          - {name: Sở Công Thương, path: ../sct}
          - {name: Sở Công Thương (bản sao), path: ../huyen/../sct}
        """)
    result = ngoaivu("validate")
    assert result.exit_code == 1
    assert "ngoaivu.yaml:3:5: error E-SOURCE-DUPLICATE" in result.output
    assert "cùng thư mục với nguồn “Sở Công Thương”" in result.output


@pytest.mark.parametrize(("lines", "code"), [
    ("sources: ../sct\n", "E-TYPE"),
    ("sources:\n  - {name: X}\n", "E-MISSING-FIELD"),
    ("sources:\n  - {name: X, path: ../sct, url: y}\n", "E-UNKNOWN-FIELD"),
    ("sources:\n  - {name: '', path: ../sct}\n", "E-VALUE"),
    ("sources:\n  - {name: X, path: \"a\\x01b\"}\n", "E-CONFIG-PATH"),
    ("sources:\n  - {name: X, path: ../sct}\nreport_types:\n  bao_cao_tuan:\n    sections:\n"
     "      - {agencies: [Y]}\n", "E-CONFIG-REF"),
])
def test_bad_sources_configuration_is_located(province: Path, lines: str, code: str) -> None:
    (province / "so" / "ngoaivu.yaml").write_text(lines, "utf-8")
    result = ngoaivu("validate")
    assert result.exit_code == 1
    assert "ngoaivu.yaml:" in result.output and code in result.output, result.output


def test_a_source_that_is_the_log_itself(province: Path) -> None:
    write(province / "so" / "ngoaivu.yaml", "sources:\n  - {name: Chính Sở, path: .}\n")
    result = ngoaivu("validate")
    assert result.exit_code == 1 and "E-SOURCE-SELF" in result.output


def test_a_source_configuration_problem_names_its_file(province: Path) -> None:
    write(province / "sct" / "ngoaivu.yaml", "units: [a, b]\n")
    result = ngoaivu("validate")
    assert result.exit_code == 1
    assert "../sct/ngoaivu.yaml:1:8: error E-SOURCE-CONFIG: units: nguồn “Sở Công Thương”" \
        in result.output
    write(province / "sct" / "ngoaivu.yaml", "units: {a: [1\n")
    broken = ngoaivu("validate")
    assert broken.exit_code == 1 and "../sct/ngoaivu.yaml:" in broken.output


def test_links_out_of_a_source_are_refused(province: Path, tmp_path: Path) -> None:
    secret = write(tmp_path / "secret" / "2024-04-12-bi-mat.yaml",
                   "date: 2024-04-12\ncategory: lanh_su\nsummary: BÍ MẬT\n")
    link = province / "sct" / "data" / "2024" / "04" / "2024-04-12-bi-mat.yaml"
    link.symlink_to(secret)
    result = ngoaivu("validate")
    assert result.exit_code == 1
    assert "../sct/data/2024/04/2024-04-12-bi-mat.yaml:1:1: error E-SOURCE-LINK" in result.output
    listed = ngoaivu("list", "--period", HALF)
    assert "BÍ MẬT" not in listed.output and listed.exit_code == 1
    inner = province / "sct" / "data" / "2024" / "04" / "2024-04-13-ban-sao.yaml"
    link.unlink()
    inner.symlink_to(province / "sct" / "data" / "2024" / "04" / "2024-04-10-xuc-tien.yaml")
    ok = ngoaivu("validate")  # a link inside the source is read (and its date checked)
    assert "E-SOURCE-LINK" not in ok.output
    inner.unlink()
    data = province / "huyen" / "data"
    os.rename(data, tmp_path / "huyen-data")
    data.symlink_to(tmp_path / "huyen-data")
    linked = ngoaivu("validate")
    assert linked.exit_code == 1 and "E-SOURCE-LINK" in linked.output
    assert "data là liên kết ra ngoài thư mục của nguồn" in linked.output


def test_a_source_yaml_linked_out_is_not_read(province: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "khac.yaml", "units: {QLTM: x}\n")
    (province / "sct" / "ngoaivu.yaml").unlink()
    (province / "sct" / "ngoaivu.yaml").symlink_to(outside)
    result = ngoaivu("validate")
    assert result.exit_code == 1 and "E-SOURCE-LINK" in result.output


# --- ngoaivu status ---------------------------------------------------------------------------

def git_commit(folder: Path, when: str) -> None:
    """Commit everything in ``folder`` (made a repository) at ``when``."""
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(folder), *args], env=env, check=True)


def test_status_table_json_and_exit(province: Path) -> None:
    git_commit(province / "sct", "2024-06-26T09:00:00+07:00")  # committed after day 25
    (province / "huyen" / "data" / "2024" / "05" / "2024-05-02-bien-gioi.yaml").unlink()
    result = ngoaivu("status", "--period", HALF, "--today", "2024-06-20", "--format", "json")
    assert result.exit_code == 1, result.output  # Sở Công Thương committed late
    data = json.loads(result.stdout)
    assert data["deadline"] == "2024-06-25" and data["report_type"] == "bao_cao_tong_hop_6_thang"
    assert [(s["name"], s["entries"], s["latest"], s["last_commit"], s["state"])
            for s in data["sources"]] == [
        ("Sở Công Thương", 1, "2024-04-10", "2024-06-26T09:00:00+07:00", "late"),
        ("UBND huyện Ven Sông", 0, None, None, "waiting")]
    assert data["late"] == 1
    import shutil

    shutil.rmtree(province / "sct" / ".git")
    git_commit(province / "sct", "2024-06-24T09:00:00+07:00")  # committed before the deadline
    assert ngoaivu("status", "--period", HALF, "--today", "2024-06-20").exit_code == 0
    late = ngoaivu("status", "--period", HALF, "--today", "2024-06-26")
    assert late.exit_code == 1  # nothing from the district after the deadline
    lines = late.stdout.splitlines()
    assert lines[0] == "6 tháng đầu năm 2024 (01/01/2024–30/06/2024), hạn gửi 25/06/2024:"
    assert lines[3].split() == ["Sở", "Công", "Thương", "1", "10/04/2024", "24/06/2024",
                                "đúng", "hạn"]
    assert lines[4].split() == ["UBND", "huyện", "Ven", "Sông", "0", "-", "-", "TRỄ", "HẠN"]
    assert lines[-1] == "1/2 nguồn trễ hạn hoặc không đọc được"


def test_status_of_a_missing_source_and_without_sources(province: Path) -> None:
    os.rename(province / "huyen", province / "khac")
    result = ngoaivu("status", "--period", HALF, "--today", "2024-06-20", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["sources"][1]["state"] == "missing"
    assert "E-SOURCE-MISSING" in result.stderr
    (province / "so" / "ngoaivu.yaml").write_text("version: 1\n", "utf-8")
    none = ngoaivu("status", "--period", HALF)
    assert none.exit_code == 2 and "sources:" in none.output


def test_deadline_is_the_day_of_the_last_month() -> None:
    import datetime as dt

    from ngoaivu_cli.config import load_config
    from ngoaivu_cli.periods import parse_period
    from ngoaivu_cli.status import deadline_of

    rt = load_config().report_types["bao_cao_tong_hop_6_thang"]
    assert rt.deadline == 25
    half = parse_period("6 tháng đầu năm 2024", today=dt.date(2024, 1, 1))
    assert deadline_of(rt, half) == dt.date(2024, 6, 25)
    feb = parse_period("tháng 2/2023", today=dt.date(2024, 1, 1))
    import dataclasses

    assert deadline_of(dataclasses.replace(rt, deadline=31), feb) == dt.date(2023, 2, 28)
    assert deadline_of(dataclasses.replace(rt, deadline=None), feb) is None


# --- import --source --------------------------------------------------------------------------

def test_import_writes_into_the_sources_log(province: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(root)
    docx = tmp_path / "bc-tuan.docx"
    made = ngoaivu("report", "--period", "2023-08-24:2023-08-31", "-o", str(docx))
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(province / "so")
    before = sorted((province / "so" / "data").rglob("*.yaml"))
    result = ngoaivu("import", str(docx), "--source", "Sở Công Thương")
    assert result.exit_code == 0, result.output
    written = sorted((province / "sct" / "data" / "2023").rglob("*.yaml"))
    assert written and all("sct/data/2023/" in line for line in result.stdout.splitlines())
    assert sorted((province / "so" / "data").rglob("*.yaml")) == before  # nothing in the Sở's
    listed = json.loads(ngoaivu("list", "--period", "2023-08-24:2023-08-31", "--format",
                                "json").output)
    assert listed and {r["agency"] for r in listed} == {"Sở Công Thương"}
    again = ngoaivu("import", str(docx), "--source", "Sở Công Thương")
    assert again.exit_code == 0 and sorted((province / "sct" / "data" / "2023").rglob(
        "*.yaml")) == written  # a second import adds nothing
    wrong = ngoaivu("import", str(docx), "--source", "Sở Công Thuong")
    assert wrong.exit_code == 2 and "Sở Công Thương" in wrong.output
    os.rename(province / "huyen", province / "khac")
    missing = ngoaivu("import", str(docx), "--source", "UBND huyện Ven Sông")
    assert missing.exit_code == 1 and "E-SOURCE-MISSING" in missing.output


def test_import_never_writes_through_a_link_out_of_the_source(
        province: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(root)
    docx = tmp_path / "bc-tuan.docx"
    assert ngoaivu("report", "--period", "2023-08-24:2023-08-31", "-o", str(docx)).exit_code == 0
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (province / "sct" / "data" / "2023").symlink_to(outside)
    monkeypatch.chdir(province / "so")
    result = ngoaivu("import", str(docx), "--source", "Sở Công Thương")
    assert result.exit_code == 1 and "ra ngoài kho nhật ký" in result.output
    assert list(outside.iterdir()) == []


def add_monthly_type(province: Path, key: str, sections: str) -> None:
    """A monthly report type ``key`` in the Sở's configuration, with ``sections`` (YAML
    items at the indent of ``sections:``'s)."""
    with open(province / "so" / "ngoaivu.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"  {key}:\n"
                 "    doc_kind: BÁO CÁO\n"
                 "    symbol: BC-SNgV\n"
                 "    title:\n"
                 "      - Tháng {{ period.label }}\n"
                 "    signer: giam_doc\n"
                 "    sections:\n" + sections)


def test_scopes_include_every_source(province: Path) -> None:
    """The year to date of a month's report sums the Sở's and every source's entries."""
    add_monthly_type(province, "thang_luy_ke",
                     "      - heading: SỐ LIỆU\n"
                     "        entries: false\n"
                     "        text: \"Từ đầu năm: {{ ytd.doan_vao }} đoàn vào, {{ ytd.hoi_thao }} "
                     "hội nghị.\"\n")
    result = ngoaivu("report", "--period", "tháng 6/2024", "--type", "thang_luy_ke",
                     "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    texts = [b["text"] for b in json.loads(result.stdout)["body"]]
    assert "Từ đầu năm: 02 đoàn vào, 02 hội nghị." in texts  # Sở Công Thương + the district


def test_a_source_cache_folder_linked_out_is_never_written(province: Path, tmp_path: Path) -> None:
    import shutil

    assert ngoaivu("validate").exit_code == 0
    cache = province / "so" / ".ngoaivu-cache"
    folders = sorted(cache.glob("source-*"))
    assert folders
    outside = tmp_path / "ngoai"
    outside.mkdir()
    for folder in folders:
        shutil.rmtree(folder)
        folder.symlink_to(outside)
    again = ngoaivu("validate")
    assert again.exit_code == 0, again.output
    assert list(outside.iterdir()) == []


def test_report_json_names_the_agencies_of_each_paragraph(province: Path) -> None:
    """A compiled report's JSON says whose entries each paragraph is made of (the Sở's own as
    its agency); a log without sources has no such key."""
    result = ngoaivu("report", "--period", HALF, "--type", "theo_co_quan", "--format", "json",
                     "-o", "-")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)["body"]
    got = {b["text"]: b.get("agencies") for b in body}
    assert got["- Hội nghị xúc tiến thương mại."] == ["Sở Công Thương"]
    assert got["3. UBND huyện Ven Sông: Tuần tra biên giới chung."] == ["UBND huyện Ven Sông"]
    assert got["- Cử đoàn đi Lào."] == ["Sở Ngoại vụ"]
    assert got["Tổ chức 02 hội nghị."] == ["Sở Công Thương"]  # figures: whose entries it sums
    assert got["II. THEO CƠ QUAN"] is None  # a heading is no one's
    (province / "so" / "ngoaivu.yaml").write_text("version: 1\n", "utf-8")
    alone = ngoaivu("report", "--period", HALF, "--format", "json", "-o", "-")
    assert alone.exit_code == 0, alone.output
    assert not any("agencies" in b for b in json.loads(alone.stdout)["body"])


def _with_digests(province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches on, files just written trusted, and a delegation of the Sở's own in February."""
    import ngoaivu_cli.log.replay as replay

    monkeypatch.setattr(replay, "RACY_NS", 0)  # files written a moment ago: trusted here
    monkeypatch.delenv("NGOAIVU_NO_CACHE", raising=False)
    entry(province / "so", "2024-02-14", "doan-vao", "doan_ra_doan_vao", "Đón đoàn Lào.",
          "metrics: {doan_vao: 3}\n")


def _same_from_digests(monkeypatch: pytest.MonkeyPatch, kind: str) -> list[dict[str, object]]:
    """The June 2024 report of type ``kind`` twice (writing the Sở's digests, then reading
    them), checked equal to the report without any cache; its body."""
    args = ("report", "--period", "tháng 6/2024", "--type", kind, "--format", "json", "-o", "-")
    runs = [ngoaivu(*args), ngoaivu(*args)]
    assert all(r.exit_code == 0 for r in runs), runs[-1].output
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    plain = ngoaivu(*args)
    assert runs[0].stdout == runs[1].stdout == plain.stdout
    return list(json.loads(plain.stdout)["body"])


def test_scopes_of_a_log_with_sources_use_its_digests(province: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The Sở's own past months come from its digests, every source's from its files: the
    figures are those read from the files alone."""
    from tests.test_digest import digests_used

    _with_digests(province, monkeypatch)
    add_monthly_type(province, "thang_luy_ke",
                     "      - heading: SỐ LIỆU\n"
                     "        entries: false\n"
                     "        text: \"Từ đầu năm: {{ ytd.doan_vao }} đoàn vào, {{ ytd.hoi_thao }} "
                     "hội nghị, {{ ytd.doan_ra }} đoàn ra.\"\n")
    used = digests_used(monkeypatch)
    body = _same_from_digests(monkeypatch, "thang_luy_ke")
    assert used[-1] >= 2  # February and March of the Sở
    texts = [b["text"] for b in body]
    # the Sở's 3 (14/2) + Sở Công Thương's 1 + the district's 1; 1 delegation out (05/3)
    assert "Từ đầu năm: 05 đoàn vào, 02 hội nghị, 01 đoàn ra." in texts


def test_an_agency_filter_on_a_scope_reads_the_same_from_digests(
        province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A section narrowed to one agency prints its year to date the same on the second run
    (from the Sở's digests) as on the first and without the cache."""
    _with_digests(province, monkeypatch)
    add_monthly_type(province, "thang_co_quan",
                     "      - heading: SỞ CÔNG THƯƠNG\n"
                     "        agencies: [Sở Công Thương]\n"
                     "        entries: false\n"
                     "        text: \"Từ đầu năm: {{ ytd.doan_vao }} đoàn vào.\"\n"
                     "      - heading: CẢ TỈNH\n"
                     "        entries: false\n"
                     "        text: \"Từ đầu năm: {{ ytd.doan_vao }} đoàn vào.\"\n")
    texts = [b["text"] for b in _same_from_digests(monkeypatch, "thang_co_quan")]
    assert texts.count("Từ đầu năm: 01 đoàn vào.") == 1  # Sở Công Thương's (10/4)
    assert "Từ đầu năm: 05 đoàn vào." in texts  # and the Sở's 3, the district's 1


def test_validate_of_a_log_with_sources_is_replayed_until_a_source_changes(
        province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing changed in the log nor in any source: validate prints its last output without
    reading a file; an edit in a source, a new file there or --skip-missing-sources run it
    again."""
    import ngoaivu_cli.log.replay as replay
    import ngoaivu_cli.logcheck as logcheck

    monkeypatch.setattr(replay, "RACY_NS", 0)  # files written a moment ago: trusted here
    monkeypatch.delenv("NGOAIVU_NO_CACHE", raising=False)
    runs: list[int] = []
    real = logcheck.ValidationRun.__init__

    def spy(self: object, *args: object, **kwargs: object) -> None:
        runs.append(1)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(logcheck.ValidationRun, "__init__", spy)
    first = ngoaivu("validate")
    assert first.exit_code == 0 and len(runs) == 1
    again = ngoaivu("validate")
    assert again.output == first.output and len(runs) == 1  # replayed
    broken = entry(province / "huyen", "2024-05-09", "hong", "khong_co", "Hỏng.")
    changed = ngoaivu("validate")
    assert changed.exit_code == 1 and len(runs) == 2
    assert "2024-05-09-hong.yaml" in changed.output and "khong_co" in changed.output
    assert ngoaivu("validate").output == changed.output and len(runs) == 2
    broken.write_text(broken.read_text("utf-8").replace("khong_co", "bien_gioi"), "utf-8")
    fixed = ngoaivu("validate")
    assert fixed.exit_code == 0 and len(runs) == 3
    # a source's own configuration (its units) is part of it too
    sct = province / "sct" / "ngoaivu.yaml"
    sct.write_text(sct.read_text("utf-8") + "# sửa\n", "utf-8")
    ngoaivu("validate")
    assert len(runs) == 4
    ngoaivu("validate", "--skip-missing-sources")
    assert len(runs) == 5  # another option, another stored output
