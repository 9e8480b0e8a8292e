"""Issue 25, items 1-3: an imported report lands in the report it came from.

A new office's first steps: ``ngoaivu init``, then ``ngoaivu import`` of a past monthly "thông
tin đối ngoại" report (Hà Tĩnh, tháng 11/2017: tests/data/import/ttdn-thang-11-2017.txt, typed
into a DOCX one paragraph per paragraph), then ``ngoaivu report`` of that month. The document
writes its period as offices do (the title says "tháng 11", the year is only in the date line,
the results' heading says "từ ngày 25/10/2017 - 25/11/2017"), its results' heading resembles no
section of the shipped type, and it closes with "Sở Ngoại vụ báo cáo … để Ban Tuyên giáo tổng
hợp./." instead of "Trên đây là …".
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from docx import Document

from ngoaivu_cli.cli import main
from tests.test_import import recall, report_words

DOC = Path(__file__).parent / "data" / "import" / "ttdn-thang-11-2017.txt"
TYPE = "thong_tin_doi_ngoai_thang"
MONTH = ("--period", "tháng 11/2017")  # the closing tests do not depend on finding the period
CLOSING = ("Sở Ngoại vụ báo cáo công tác thông tin đối ngoại tháng 11 để Ban Tuyên giáo tổng "
           "hợp./.")


def run(*args: str) -> Result:
    return CliRunner(catch_exceptions=False).invoke(main, list(args))


def docx_of(lines: list[str], out: Path) -> Path:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(out))
    return out


def lines_of(path: Path = DOC) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


def bullets(lines: list[str], start: str, stop: str) -> list[str]:
    """The bullets between the heading starting ``start`` and the line starting ``stop``."""
    i = next(n for n, t in enumerate(lines) if t.startswith(start))
    j = next(n for n, t in enumerate(lines) if n > i and t.startswith(stop))
    return [t[2:] for t in lines[i + 1:j] if t.startswith("- ")]


@pytest.fixture
def office(work: Path) -> Path:
    """A log made by `ngoaivu init` (shipped configuration), as the working folder."""
    result = run("init", "--signer-name", "chanh_van_phong=Lê Thị Khánh Cẩm")
    assert result.exit_code == 0, result.output
    return work


def imported(office: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for f in sorted((office / "data" / "2017").rglob("*.yaml")):
        data = yaml.safe_load(f.read_text("utf-8"))
        out.extend(data if isinstance(data, list) else [data])
    return out


def test_the_imported_month_prints_its_activities(office: Path, tmp_path: Path) -> None:
    lines = lines_of()
    doc = docx_of(lines, tmp_path / "BC TTDN thang 11.docx")
    result = run("import", str(doc))
    assert result.exit_code == 0, result.output
    # the type is recognised and the period read from the title with the date line's year
    assert f"kỳ tháng 11/2017 (đọc “tháng 11” ở tiêu đề “Công tác thông tin đối ngoại tháng " \
           f"11”, năm 2017 theo dòng ngày “Hà Tĩnh, ngày 23 tháng 11 năm 2017”), loại {TYPE}" \
        in result.stderr
    entries = imported(office)
    done = bullets(lines, "1. Kết quả", "2. Kế hoạch")
    planned = bullets(lines, "2. Kế hoạch", "Sở Ngoại vụ báo cáo")
    assert len(entries) == len(done) + len(planned)
    # every entry carries what the section of the type that should print it selects
    assert all("ttdn" in e["tags"] for e in entries)  # type: ignore[operator]
    assert [e["summary"] for e in entries if e.get("status") == "planned"] == planned
    # the results' heading resembles no section of the type: said, and marked as a guess
    assert "mục “1. Kết quả hoạt động từ ngày 25/10/2017 - 25/11/2017” của văn bản không giống " \
           "mục nào" in result.stderr
    out = tmp_path / "bao-cao.docx"
    written = run("report", "--period", "tháng 11/2017", "--type", TYPE, "--strict",
                  "-o", str(out))
    assert written.exit_code == 0, written.output
    printed = report_words(out)
    text = "\n".join(printed)
    assert "Không có nội dung phát sinh" not in text
    assert recall(done + planned, printed) == 1.0
    for bullet in done + planned:
        assert text.count(bullet) == 1, bullet
    as_json = run("report", "--period", "tháng 11/2017", "--type", TYPE, "--format", "json",
                  "-o", "-")
    assert json.loads(as_json.stdout)["warnings"] == []


def test_the_closing_sentence_is_the_frame_not_a_plan(office: Path, tmp_path: Path) -> None:
    doc = docx_of(lines_of(), tmp_path / "bc.docx")
    dry = run("import", str(doc), "--dry-run", "--format", "table", *MONTH)
    assert dry.exit_code == 0, dry.output
    assert "Sở Ngoại vụ báo cáo công tác" not in dry.stdout
    assert "bỏ qua: câu kết 1," in dry.stderr
    assert f"bỏ qua câu kết (khung văn bản, không phải hoạt động): “{CLOSING}”" in dry.stderr
    assert not (office / "data" / "2017").exists()
    run("import", str(doc), *MONTH)
    assert all("báo cáo công tác thông tin đối ngoại tháng 11" not in str(e["summary"])
               for e in imported(office))
    md = run("report", "--period", "tháng 11/2017", "--type", TYPE, "--format", "md", "-o", "-")
    assert "Ban Tuyên giáo tổng hợp./." not in md.stdout  # the type's own closing only
    assert md.stdout.count("tổng hợp theo quy định./.") == 1


@pytest.mark.parametrize("frame", [
    ["Kính báo cáo UBND tỉnh xem xét, chỉ đạo."],
    ["Trân trọng./."],
    ["Trân trọng!", "Nơi nhận:", "- Như trên;"],
    ["GIÁM ĐỐC", "Nguyễn Văn A"],
    ["Sở Ngoại vụ kính báo cáo Ban Tuyên giáo Tỉnh ủy biết, tổng hợp.", "TL. GIÁM ĐỐC",
     "CHÁNH VĂN PHÒNG", "Lê Thị B"],
])
def test_closing_formulae_and_signature_blocks_are_skipped(office: Path, tmp_path: Path,
                                                           frame: list[str]) -> None:
    lines = lines_of()
    lines = lines[:lines.index(CLOSING)] + frame
    dry = run("import", str(docx_of(lines, tmp_path / "bc.docx")), "--dry-run", "--format",
              "table", *MONTH)
    assert dry.exit_code == 0, dry.output
    for line in frame:
        assert line not in dry.stdout and line.rstrip("./!") not in dry.stdout
    planned = [t for t in dry.stdout.splitlines() if " kế hoạch " in t]
    assert len(planned) == 3


def test_a_body_bullet_that_reports_is_still_an_activity(office: Path, tmp_path: Path) -> None:
    """Only the frame is skipped: a bullet reporting to someone, a paragraph of the body before
    a real closing, stay activities."""
    lines = lines_of()
    at = lines.index(CLOSING)
    lines.insert(at, "- Báo cáo Ban Tuyên giáo Tỉnh ủy kết quả tuyên truyền APEC để tổng hợp.")
    dry = run("import", str(docx_of(lines, tmp_path / "bc.docx")), "--dry-run", "--format",
              "table", *MONTH)
    assert "Báo cáo Ban Tuyên giáo Tỉnh ủy kết quả tuyên truyền APEC" in dry.stdout


def test_the_period_of_a_numbered_heading(office: Path, tmp_path: Path) -> None:
    """No period in the title nor the opening: the heading "1. Kết quả hoạt động từ ngày
    25/10/2017 - 25/11/2017" gives it, and the summary names that line."""
    lines = [t.replace("tháng 11", "").replace("tháng 12", "kỳ tới").rstrip()
             if t.startswith(("Công tác", "và kế hoạch", "Thực hiện")) else t
             for t in lines_of()]
    lines = [t for t in lines if not t.startswith("Hà Tĩnh, ngày")]
    dry = run("import", str(docx_of(lines, tmp_path / "bc.docx")), "--dry-run", "--format",
              "table")
    assert dry.exit_code == 0, dry.output
    assert "kỳ từ ngày 25/10 - 25/11/2017 (đọc “từ ngày 25/10/2017 - 25/11/2017” ở tiêu đề " \
           "mục “1. Kết quả hoạt động từ ngày 25/10/2017 - 25/11/2017”)" in dry.stderr


@pytest.mark.parametrize(("title", "dated", "period"), [
    ("Công tác thông tin đối ngoại tháng 12", "Hà Tĩnh, ngày 05 tháng 01 năm 2018",
     "tháng 12/2017"),
    ("Công tác thông tin đối ngoại quý IV", "Hà Tĩnh, ngày 20 tháng 12 năm 2017",
     "quý IV/2017"),
    ("Công tác thông tin đối ngoại 6 tháng đầu năm", "Hà Tĩnh, ngày 20 tháng 6 năm 2017",
     "6 tháng đầu năm 2017"),
])
def test_a_period_without_its_year_takes_the_date_line_s(office: Path, tmp_path: Path,
                                                         title: str, dated: str,
                                                         period: str) -> None:
    lines = [title if t.startswith("Công tác thông tin") else
             dated if t.startswith("Hà Tĩnh, ngày") else t for t in lines_of()]
    dry = run("import", str(docx_of(lines, tmp_path / "bc.docx")), "--dry-run", "--format",
              "table")
    assert dry.exit_code == 0, dry.output
    assert f"kỳ {period} (đọc" in dry.stderr and f"theo dòng ngày “{dated}”" in dry.stderr


def test_no_period_anywhere_still_asks_for_one(office: Path, tmp_path: Path) -> None:
    lines = [t for t in lines_of() if not t.startswith(("Hà Tĩnh, ngày", "1. Kết quả"))]
    dry = run("import", str(docx_of(lines, tmp_path / "bc.docx")), "--dry-run")
    assert dry.exit_code == 1
    assert "không tìm thấy kỳ báo cáo" in dry.stderr and "--period" in dry.stderr


def test_a_hostile_closing_is_read_in_bounded_time(office: Path, tmp_path: Path) -> None:
    """Untrusted text: the closing and signature patterns never backtrack on a long paragraph."""
    lines = lines_of()
    lines = lines[:lines.index(CLOSING)] + [
        "Sở " + "báo cáo " * 20_000 + "x", "GIÁM ĐỐC " * 5_000, "Sở báo cáo" + " ." * 30_000]
    start = time.monotonic()
    dry = run("import", str(docx_of(lines, tmp_path / "bc.docx")), "--dry-run", "--format",
              "table", *MONTH)
    assert time.monotonic() - start < 20
    assert dry.exit_code in (0, 1), dry.output


def test_a_section_the_type_does_not_know_takes_a_category_it_prints(work: Path,
                                                                     tmp_path: Path) -> None:
    """The fallback sections select by category: each imported activity gets one of theirs,
    and the first section taking it gives its tag and unit."""
    (work / "ngoaivu.yaml").write_text(
        "report_types:\n  thong_tin_doi_ngoai_thang:\n    sections:\n"
        "      - {heading: Lãnh sự, categories: [lanh_su], tags: [ls], units: [LSBG]}\n"
        "      - {heading: Tuyên truyền, categories: [thong_tin_doi_ngoai], tags: [ttdn]}\n"
        "      - {heading: Kế hoạch, status: planned, period: next, tags: [ttdn]}\n", "utf-8")
    (work / "data").mkdir()
    result = run("import", str(docx_of(lines_of(), tmp_path / "bc.docx")))
    assert result.exit_code == 0, result.output
    entries = imported(work)
    done = [e for e in entries if e.get("status", "done") == "done"]
    assert done and all(e["category"] in ("lanh_su", "thong_tin_doi_ngoai") for e in done)
    for e in done:
        wanted = ("ls", "LSBG") if e["category"] == "lanh_su" else ("ttdn", None)
        assert (wanted[0] in e["tags"], e.get("unit")) == (True, wanted[1]), e  # type: ignore
    md = run("report", "--period", "tháng 11/2017", "--type", TYPE, "--format", "json", "-o",
             "-")
    assert json.loads(md.stdout)["warnings"] == []
