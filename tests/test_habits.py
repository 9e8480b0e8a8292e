"""Office habits as settings (issue 14, item 6): zero-padding of counts and months, and
"(đã ký)" under the signature (``--da-ky`` on report and batch, or ``formatting.signed``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main
from ngoaivu_cli.formatting import repad_months
from tests.docx_text import docx_paragraphs

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("text", "all_", "none"), [
    ("tháng 8/2023", "tháng 08/2023", "tháng 8/2023"),
    ("tháng 01/2021", "tháng 01/2021", "tháng 1/2021"),
    ("từ ngày 24/8 - 31/8/2023", "từ ngày 24/08 - 31/08/2023", "từ ngày 24/8 - 31/8/2023"),
    ("25/12/2022 - 05/01/2023", "25/12/2022 - 05/01/2023", "25/12/2022 - 05/1/2023"),
    ("THÁNG 7/2023", "THÁNG 07/2023", "THÁNG 7/2023"),
    ("quý III/2023", "quý III/2023", "quý III/2023"),
    ("6 tháng đầu năm 2023", "6 tháng đầu năm 2023", "6 tháng đầu năm 2023"),
])
def test_repad_months(text: str, all_: str, none: str) -> None:
    assert repad_months(text, "decree") == text
    assert repad_months(text, "all") == all_
    assert repad_months(text, "none") == none


def _log(work: Path, formatting: str) -> Path:
    (work / "ngoaivu.yaml").write_text(f"formatting:\n{formatting}\n", "utf-8")
    folder = work / "data" / "2023" / "08"
    folder.mkdir(parents=True)
    (folder / "2023-08-10-doan-ra.yaml").write_text(
        "date: 2023-08-10\ncategory: doan_ra_doan_vao\nsummary: Đoàn công tác đi Lào.\n"
        "metrics: {doan_ra: 7, luot_ra: 9}\n", "utf-8")
    return work


def _md(period: str = "tháng 8/2023", *extra: str) -> str:
    result = run("report", "--period", period, "--type", "bao_cao_dinh_ky", "--format", "md",
                 "-o", "-", *extra)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_counts_padded_by_default_and_not_when_asked(work: Path) -> None:
    _log(work, "  pad_counts: true")
    assert "làm thủ tục cho 07 đoàn với 09 lượt CBCCVC" in _md()
    (work / "ngoaivu.yaml").write_text("formatting:\n  pad_counts: false\n", "utf-8")
    out = _md()
    assert "làm thủ tục cho 7 đoàn với 9 lượt CBCCVC" in out
    assert "| 7 đoàn" in out  # the appendix too


def test_the_vn_count_filter_follows_the_setting(work: Path) -> None:
    """``| vn_count`` in a string or a template writes counts as the office's ``pad_counts``
    says (``vn_count(7, pad=True)`` still pads)."""
    _log(work, "  pad_counts: false")
    config = (work / "ngoaivu.yaml").read_text("utf-8") + """\
report_types:
  dem:
    name: Đếm
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Đếm {{ period.label }}"]
    sections:
      - heading: Đoàn
        entries: false
        text: "thô {{ raw.doan_ra | vn_count }} đoàn; {{ raw.doan_ra | vn_count(pad=true) }}"
    signer: giam_doc
"""
    (work / "ngoaivu.yaml").write_text(config, "utf-8")
    result = run("report", "--period", "tháng 8/2023", "--type", "dem", "--format", "md",
                 "-o", "-")
    assert result.exit_code == 0, result.output
    assert "thô 7 đoàn; 07" in result.stdout
    (work / "ngoaivu.yaml").write_text(config.replace("pad_counts: false", "pad_counts: true"),
                                       "utf-8")
    result = run("report", "--period", "tháng 8/2023", "--type", "dem", "--format", "md",
                 "-o", "-")
    assert "thô 07 đoàn; 07" in result.stdout


def test_months_padded_as_the_office_writes_them(work: Path) -> None:
    _log(work, "  pad_months: all")
    out = _md()
    assert "**Kết quả công tác đối ngoại tháng 08/2023**" in out
    assert "**và phương hướng, nhiệm vụ tháng 09/2023**" in out
    assert "(01/08 - 31/08/2023)" in out  # period.span
    assert "ngày 31 tháng 8 năm 2023" in out  # the date line keeps the decree's rule
    assert "*(So sánh với cùng kỳ: tháng 08/2022)*" in out  # scope labels too (appendix note)
    (work / "ngoaivu.yaml").write_text("formatting:\n  pad_months: none\n", "utf-8")
    assert "**Kết quả công tác đối ngoại tháng 1/2024**" in _md("tháng 01/2024")
    (work / "ngoaivu.yaml").write_text("version: 1\n", "utf-8")
    assert "**Kết quả công tác đối ngoại tháng 8/2023**" in _md()  # decree: as shipped


def _signature(lines: list[str]) -> list[str]:
    start = max(i for i, t in enumerate(lines) if "GIÁM ĐỐC" in t)
    return [t.strip() for t in lines[start:] if t.strip()][:3]


def test_da_ky_prints_signed_under_the_title(work: Path) -> None:
    _log(work, "  signed: false")
    assert "(đã ký)" not in _md()
    out = _md("tháng 8/2023", "--da-ky").splitlines()
    assert _signature(out) == ["**GIÁM ĐỐC**", "*(đã ký)*", "**Thái Phúc Sơn**"]
    result = run("report", "--period", "tháng 8/2023", "--type", "bao_cao_dinh_ky", "--da-ky",
                 "-o", "bc.docx")
    assert result.exit_code == 0, result.output
    sign = docx_paragraphs(work / "bc.docx")
    assert sign[sign.index("GIÁM ĐỐC") + 1:][:2] == ["(đã ký)", "Thái Phúc Sơn"]


def test_the_setting_signs_every_report_and_batch_takes_the_flag(work: Path) -> None:
    _log(work, "  signed: true")
    assert "*(đã ký)*" in _md()
    (work / "ngoaivu.yaml").write_text("version: 1\n", "utf-8")
    result = run("batch", "--period", "tháng 8/2023", "--types", "thong_tin_doi_ngoai_thang",
                 "--format", "md", "--da-ky")
    assert result.exit_code == 0, result.output
    [md] = list(work.glob("bao-cao-ttdn-thang-*.md"))
    assert "*(đã ký)*" in md.read_text("utf-8")


def test_a_template_without_the_signed_line_is_warned(work: Path) -> None:
    _log(work, "  signed: false")
    (work / "templates").mkdir()
    old = (ROOT / "templates" / "van-ban.md.j2").read_text("utf-8")
    old = old.replace("{%- if signer.signed %}", "{%- if false %}").replace(
        "{{ signer.signed|md }}", "")
    (work / "templates" / "van-ban.md.j2").write_text(old, "utf-8")
    result = run("report", "--period", "tháng 8/2023", "--type", "bao_cao_dinh_ky", "--format",
                 "md", "-o", "-", "--da-ky")
    assert result.exit_code == 0
    assert "W-SIGNED-DROPPED" in result.stderr and "templates/van-ban.md.j2" in result.stderr
    strict = run("report", "--period", "tháng 8/2023", "--type", "bao_cao_dinh_ky", "--format",
                 "md", "-o", "-", "--da-ky", "--strict")
    assert strict.exit_code == 1
    # without --da-ky nothing is asked for, nothing is warned
    plain = run("report", "--period", "tháng 8/2023", "--type", "bao_cao_dinh_ky", "--format",
                "md", "-o", "-")
    assert "W-SIGNED-DROPPED" not in plain.stderr


@pytest.mark.parametrize(("formatting", "message"), [
    ("  pad_months: always", "`formatting.pad_months`"),
    ("  pad_counts: 2", "`formatting.pad_counts` phải là true hoặc false"),
    ("  zero: true", "zero"),
])
def test_a_wrong_setting_is_a_located_error(work: Path, formatting: str, message: str) -> None:
    _log(work, formatting)
    result = run("validate")
    assert result.exit_code == 1
    assert "ngoaivu.yaml:2:" in result.output and message in result.output


def test_the_shipped_templates_have_the_signed_line() -> None:
    docx = "".join(docx_paragraphs(ROOT / "templates" / "van-ban.docx"))
    assert "{{ signer.signed }}" in docx
    assert "signer.signed" in (ROOT / "templates" / "van-ban.md.j2").read_text("utf-8")


# --------------------------------------------------------------------------- statistics


LANH_SU = """\
- date: 2023-05-04
  category: lanh_su
  summary: Bảo hộ công dân A.
- date: 2023-05-05
  category: lanh_su
  tags: [so-lieu]
  summary: Số liệu lãnh sự.
  metrics: {vu_viec_bao_ho: 4}
- date: 2023-05-06
  category: lanh_su
  summary: Bảo hộ công dân B.
- date: 2023-05-02
  category: doan_ra_doan_vao
  summary: Đoàn đi Lào.
  metrics: {doan_ra: 2, luot_ra: 9}
- date: 2023-05-03
  category: hoi_nghi_quoc_te
  summary: Hội thảo xúc tiến đầu tư.
  metrics: {hoi_thao: 3}
"""
FIGURE = "Tham mưu xử lý 04 vụ việc liên quan đến công tác lãnh sự và bảo hộ công dân."


def _stats_log(work: Path, config: str) -> None:
    (work / "ngoaivu.yaml").write_text(config, "utf-8")
    folder = work / "data" / "2023" / "05"
    folder.mkdir(parents=True)
    for i, item in enumerate(LANH_SU.split("- date: ")[1:]):  # one file per entry
        day = item[:10]
        (folder / f"{day}-hoat-dong-{i}.yaml").write_text("- date: " + item, "utf-8")


def _bullets(out: str) -> list[str]:
    return [line[2:] for line in out.splitlines() if line.startswith("- ")]


@pytest.mark.parametrize(("stats_at", "order"), [
    ("first", [FIGURE, "Bảo hộ công dân A.", "Bảo hộ công dân B."]),
    ("last", ["Bảo hộ công dân A.", "Bảo hộ công dân B.", FIGURE]),
    ("marker", ["Bảo hộ công dân A.", FIGURE, "Bảo hộ công dân B."]),  # where so-lieu is dated
])
def test_where_the_statistics_sentence_goes(work: Path, stats_at: str,
                                            order: list[str]) -> None:
    _stats_log(work, f"categories:\n  lanh_su:\n    stats_at: {stats_at}\n")
    lines = _bullets(_md("năm 2023"))
    assert [t for t in lines if t in order] == order


def test_the_place_holds_in_a_merged_category(work: Path) -> None:
    _stats_log(work, "categories:\n  lanh_su:\n    style: merged\n    lead: 'Lãnh sự: '\n"
                     "    stats_at: marker\n")
    assert f"- Lãnh sự: Bảo hộ công dân A. {FIGURE} Bảo hộ công dân B." in _md("năm 2023")


JOINED = """\
report_types:
  bao_cao_dinh_ky:
    sections:
      - heading: KẾT QUẢ {{ period.label | upper }}
        status: done
        period: current
        group_by: %s
        style: bullets
        joined_stats:
          lead: "Năm qua, {{ agency.short_name }} đã"
          categories: [doan_ra_doan_vao, hoi_nghi_quoc_te]
"""


@pytest.mark.parametrize("group_by", ["category", "none"])
def test_one_sentence_joins_several_categories(work: Path, group_by: str) -> None:
    _stats_log(work, JOINED % group_by)
    out = _md("năm 2023")
    lines = _bullets(out)
    assert lines[0] == ("Năm qua, Sở Ngoại vụ đã tham mưu tỉnh làm thủ tục cho 02 đoàn với 09 "
                        "lượt CBCCVC đi công tác nước ngoài; các cơ quan, đơn vị trong toàn tỉnh "
                        "đã tổ chức 03 hội nghị, hội thảo quốc tế.")
    # each joined category's own sentence is not printed a second time
    body = out[:out.index("Nơi nhận")]  # the appendix table repeats the figures
    assert body.count("làm thủ tục cho 02 đoàn") == 1 and body.count("03 hội nghị") == 1
    assert "Đoàn đi Lào." in lines and "Hội thảo xúc tiến đầu tư." in lines
    result = run("report", "--period", "năm 2023", "--type", "bao_cao_dinh_ky", "--format",
                 "md", "-o", "-")
    # the joined categories' sentences are not "dropped" by group_by: none
    assert "W-STATS-DROPPED" not in result.stderr or "doan_ra_doan_vao" not in result.stderr


@pytest.mark.parametrize(("categories", "message"), [
    ("[doan_ra_doan_vaoo]", "lĩnh vực `doan_ra_doan_vaoo` không có trong cấu hình"),
    ("[bien_gioi]", "lĩnh vực `bien_gioi` không có câu thống kê"),
])
def test_a_wrong_joined_sentence_is_a_located_error(work: Path, categories: str,
                                                    message: str) -> None:
    _stats_log(work, (JOINED % "category").replace("[doan_ra_doan_vao, hoi_nghi_quoc_te]",
                                                   categories))
    result = run("validate")
    assert result.exit_code == 1
    assert "ngoaivu.yaml:11:" in result.output and message in result.output


def test_a_wrong_stats_at_is_a_located_error(work: Path) -> None:
    _stats_log(work, "categories:\n  lanh_su:\n    stats_at: middle\n")
    result = run("validate")
    assert result.exit_code == 1 and "ngoaivu.yaml:3:" in result.output
    assert "categories.lanh_su.stats_at" in result.output


def test_the_appendix_numbers_its_groups_one_by_one(work: Path) -> None:
    """STT counts the groups (1, 2, 3), not the metric rows printed under each."""
    _stats_log(work, "version: 1\n")
    out = _md("năm 2023")
    table = [line for line in out.splitlines() if line.startswith("| ") and "Số hoạt động" in line]
    assert [line.split("|")[1].strip() for line in table] == ["1", "2", "3"]
