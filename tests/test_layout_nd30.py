"""Issue 26 items 1–8: the last millimetres of Nghị định 30 in the tool's own reports.

Each layout rule is checked twice where it can be: in the DOCX (the paragraph and cell
properties Word reads) and, when LibreOffice and poppler are installed, in the PDF (where the
words actually land on the page, from ``pdftotext -bbox``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from ngoaivu_cli.config import load_config
from tests.outputs import ROOT, render_all
from tests.test_hostile_repo import WEEK, make_repo, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_pdf = pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None,
                               reason="LibreOffice and poppler-utils not installed")
MM = 72 / 25.4  # points per millimetre


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.mktemp("layout"))


_PDFS: dict[Path, list[list[tuple[str, float, float, float, float]]]] = {}


def _words(docx: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words as (text, xMin, yMin, xMax, yMax) in points, from LibreOffice's PDF."""
    if docx not in _PDFS:
        from ngoaivu_cli.render.pdf import docx_to_pdf

        pdf = docx.with_suffix(".pdf")
        pdf.write_bytes(docx_to_pdf(docx.read_bytes()))
        html = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True,
                              text=True, check=True, timeout=60).stdout
        pages = []
        for page in html.split("<page ")[1:]:
            pages.append([(m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4]))
                          for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                               r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                               page)])
        _PDFS[docx] = pages
    return _PDFS[docx]


def _space_before(p) -> float:  # noqa: ANN001 - python-docx Paragraph
    """The space before a paragraph in points, its own or its style's (and their bases')."""
    if p.paragraph_format.space_before is not None:
        return p.paragraph_format.space_before.pt
    style = p.style
    while style is not None:
        if style.paragraph_format.space_before is not None:
            return style.paragraph_format.space_before.pt
        style = style.base_style
    return 0.0


def _signature(path: Path) -> tuple:  # noqa: ANN202
    doc = Document(str(path))
    sign = next(t for t in doc.tables if "Nơi nhận:" in t.rows[0].cells[0].text)
    return doc, sign.rows[0].cells[0], sign.rows[0].cells[1]


# --- 1. "Nơi nhận:" level with the signer's first line ---------------------------------------

@pytest.mark.parametrize("name", ["quarterly", "lam-giang-thang", "weekly", "ke-hoach"])
def test_noi_nhan_has_the_space_before_of_the_signers_first_line(outputs: dict[str, Path],
                                                                 name: str) -> None:
    """Signed directly ("GIÁM ĐỐC", quarterly) or for someone ("TL. GIÁM ĐỐC", weekly)."""
    _doc, left, right = _signature(outputs[name])
    noi_nhan = next(p for p in left.paragraphs if p.text.strip())
    first = next(p for p in right.paragraphs if p.text.strip())
    assert noi_nhan.text == "Nơi nhận:"
    assert _space_before(first) == _space_before(noi_nhan) == 12


@needs_pdf
@pytest.mark.parametrize(("name", "title"), [("quarterly", "GIÁM"), ("weekly", "TL.")])
def test_noi_nhan_is_level_with_the_title_line_in_the_pdf(outputs: dict[str, Path], name: str,
                                                          title: str) -> None:
    for words in _words(outputs[name]):
        noi = [w for w in words if w[0] == "Nơi"]
        if noi:
            signer = min((w for w in words if w[0] == title and w[2] >= noi[0][2] - 20),
                         key=lambda w: w[2])
            # same top of the line (12 pt and 14 pt letters: their tops within 1.5 pt)
            assert abs(signer[2] - noi[0][2]) < 1.5, (signer, noi[0])
            # flush with the left margin (30 mm), not 1.5 mm in (the cell's padding)
            assert abs(noi[0][1] - 30 * MM) < 0.5, noi[0]
            return
    pytest.fail("no Nơi nhận in the PDF")


def test_noi_nhan_cell_has_no_left_padding(outputs: dict[str, Path]) -> None:
    _doc, left, _right = _signature(outputs["quarterly"])
    margin = left._tc.tcPr.find(f"{W}tcMar/{W}left")
    assert margin is not None and margin.get(f"{W}w") == "0"


# --- 3. Kính gửi with several recipients -----------------------------------------------------

@needs_pdf
def test_kinh_gui_dashes_line_up_under_the_colon(outputs: dict[str, Path]) -> None:
    words = _words(outputs["lam-giang-thang"])[0]
    gui = next(w for w in words if w[0] == "gửi:")
    dashes = [w for w in words if w[0] == "-" and gui[2] < w[2] < gui[2] + 40]
    assert len(dashes) == 2  # "- Ủy ban nhân dân tỉnh Lam Giang;", "- Bộ Ngoại giao (...)."
    for dash in dashes:  # where "Kính gửi: - ..." would put it: after the colon and a space
        assert abs(dash[1] - (gui[3] + 3.5)) < 1.0, (dash, gui)


def test_kinh_gui_list_hangs_from_the_lead(outputs: dict[str, Path]) -> None:
    doc = Document(str(outputs["lam-giang-thang"]))
    lead = next(p for p in doc.paragraphs if p.text == "Kính gửi:")
    items = [p for p in doc.paragraphs if p.style.name == "NV KinhGui List" and p.text]
    assert lead.style.name == "NV KinhGui Lead" and len(items) == 2
    lead_left = lead.style.paragraph_format.left_indent.twips
    fmt = items[0].style.paragraph_format
    # the dash at the lead's indent + "Kính gửi: " (57.3 pt); wrapped lines under the text
    assert fmt.left_indent.twips + fmt.first_line_indent.twips == lead_left + 1147
    assert fmt.first_line_indent.twips < 0


# --- 7. page 1 starts at the same height with footnotes ---------------------------------------

def test_the_body_does_not_start_with_a_table(outputs: dict[str, Path]) -> None:
    """LibreOffice adds an empty 14 pt paragraph of its own before a table that starts a
    document with footnotes; a 1 pt paragraph of ours comes first instead."""
    body = Document(str(outputs["cong-van"])).element.body
    first = body[0]
    assert first.tag == f"{W}p" and not "".join(first.itertext()).strip()
    assert first.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "NVEnd"


@needs_pdf
def test_page_one_starts_at_the_same_height_with_footnotes(outputs: dict[str, Path]) -> None:
    with_notes = _words(outputs["cong-van"])[0][0]  # the example with footnotes
    without = _words(outputs["weekly"])[0][0]
    assert with_notes[0] == without[0] == "UBND"
    assert abs(with_notes[2] - without[2]) < 0.2, (with_notes, without)
    assert abs(with_notes[2] - 20 * MM) < 1.5  # the top margin (20 mm) and the 1 pt paragraph


# --- 2. appendices ----------------------------------------------------------------------------

def _sections(path: Path) -> list[etree._Element]:
    body = etree.fromstring(__import__("zipfile").ZipFile(path).read("word/document.xml"))
    return list(body.iter(f"{W}sectPr"))


def test_the_appendix_is_a_section_numbered_from_one(outputs: dict[str, Path]) -> None:
    doc = Document(str(outputs["quarterly"]))
    main, appendix = _sections(outputs["quarterly"])
    assert appendix.find(f"{W}pgNumType").get(f"{W}start") == "1"
    for sect in (main, appendix):  # each with its page number from page 2 on
        assert sect.find(f"{W}titlePg") is not None
        kinds = {r.get(f"{W}type") for r in sect.findall(f"{W}headerReference")}
        assert kinds == {"default", "first"}
    main_refs = {r.get(qn("r:id")) for r in main.findall(f"{W}headerReference")}
    own_refs = {r.get(qn("r:id")) for r in appendix.findall(f"{W}headerReference")}
    assert not main_refs & own_refs
    texts = [p.text for p in doc.paragraphs]
    heading = texts.index("Phụ lục")
    assert texts[heading + 1] == "SỐ LIỆU CÔNG TÁC ĐỐI NGOẠI QUÝ III/2023"
    assert texts[heading + 2] == ("(Kèm theo Báo cáo số      /BC-SNgV ngày 30 tháng 9 năm 2023 "
                                  "của Sở Ngoại vụ)")
    # the main text's section ends before the heading, after the signature
    ends = [i for i, p in enumerate(doc.paragraphs) if p._p.find(f"{W}pPr/{W}sectPr")
            is not None]
    assert ends and ends[0] < heading
    assert len(_sections(outputs["weekly"])) == 1  # without an appendix: one section


@needs_pdf
def test_the_appendix_pages_are_numbered_apart(outputs: dict[str, Path]) -> None:
    pages = _words(outputs["year"])
    first = next(i for i, words in enumerate(pages) if any(w[0] == "lục" for w in words[:3]))
    assert first >= 2  # after the main text's pages
    assert pages[first][0][0] == "Phụ"  # no page number on the appendix's first page
    if len(pages) > first + 1:
        assert pages[first + 1][0][0] == "2"  # its second page is 2, not main + 2


def test_compared_figures_have_columns_of_their_own(outputs: dict[str, Path]) -> None:
    doc = Document(str(outputs["quarterly"]))
    table = doc.tables[-1]
    head = [c.text for c in table.rows[0].cells]
    assert head == ["STT", "Lĩnh vực", "Chỉ tiêu", "Kỳ báo cáo", "Cùng kỳ", "So sánh"]
    cells = [c.text for row in table.rows for c in row.cells]
    assert not [c for c in cells if "(cùng kỳ:" in c]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    counts = [r for r in rows if r[2] == "Số hoạt động"]
    # one padding style in one column: "02" beside "93 trang", as the type pads counts
    assert counts and all(re.fullmatch(r"\d{2,}", r[3]) for r in counts)
    assert "chưa có số liệu" in {r[4] for r in rows}  # no figure last year: said in its cell


def test_appendix_title_lines_break_where_the_phrase_ends(tmp_path: Path) -> None:
    config = load_config(ROOT / "examples" / "tong-hop-nguon" / "so-ngoai-vu" / "ngoaivu.yaml",
                         cwd=ROOT / "examples" / "tong-hop-nguon" / "so-ngoai-vu")
    appendix = config.report_types["bao_cao_tong_hop_6_thang"].appendix
    assert appendix is not None
    assert appendix.title.split("\n")[-1] == "THEO CƠ QUAN"  # never "... THEO CƠ / QUAN"


# --- 4. capitals where the decree puts them --------------------------------------------------

def _report_md(repo: Path, config: str, *args: str) -> str:
    (repo / "ngoaivu.yaml").write_text(config, "utf-8")
    proc = run(repo, "report", "--period", WEEK, "--format", "md", "-o", "-", *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


TYPE = """\
report_types:
  bao_cao_tuan:
{extra}    sections:
      - heading: Kết quả thực hiện
        status: done
      - heading: Kế hoạch tuần tới
        status: planned
        period: next
{section}"""


def test_mục_headings_are_upper_case_by_default(tmp_path: Path) -> None:
    text = _report_md(make_repo(tmp_path), TYPE.format(extra="", section=""))
    assert "**I. KẾT QUẢ THỰC HIỆN**" in text and "**II. KẾ HOẠCH TUẦN TỚI**" in text


def test_heading_case_sentence_keeps_them_as_written(tmp_path: Path) -> None:
    text = _report_md(make_repo(tmp_path),
                      TYPE.format(extra="    heading_case: sentence\n", section=""))
    assert "**I. Kết quả thực hiện**" in text


def test_a_wrong_heading_case_is_a_located_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "ngoaivu.yaml").write_text(TYPE.format(extra="    heading_case: hoa\n", section=""),
                                       "utf-8")
    proc = run(repo, "validate")
    assert proc.returncode == 1
    assert "ngoaivu.yaml:3:" in proc.stdout + proc.stderr
    assert "heading_case" in proc.stdout + proc.stderr and "upper, sentence" in (
        proc.stdout + proc.stderr)


def _shipped_types() -> list[tuple[str, object]]:
    out = []
    examples = [*sorted(ROOT.glob("examples/*/ngoaivu.yaml")),
                ROOT / "examples" / "tong-hop-nguon" / "so-ngoai-vu" / "ngoaivu.yaml"]
    for config_path in [None, *examples]:
        where = config_path.parent if config_path else ROOT
        config = load_config(config_path, cwd=where)
        out.extend((f"{config_path}:{k}", rt) for k, rt in config.report_types.items())
    return out


def test_no_shipped_trich_yeu_is_in_capitals() -> None:
    for name, rt in _shipped_types():
        for line in rt.title:  # type: ignore[attr-defined]
            letters = re.sub(r"\{\{.*?\}\}", "", line)
            assert not letters.isupper(), f"{name}: trích yếu in capitals: {line}"


# --- 8. "- Lưu: VT, <đơn vị soạn thảo>" -------------------------------------------------------

def test_every_shipped_type_keeps_a_copy_for_its_drafting_unit() -> None:
    for name, rt in _shipped_types():
        last = rt.receivers[-1]  # type: ignore[attr-defined]
        assert re.fullmatch(r"Lưu: VT, [A-ZĐ][\w.,\s]*", last), f"{name}: {last!r}"


# --- 5. no empty Mục -------------------------------------------------------------------------

EMPTY = """\
      - heading: Số liệu
        entries: false
        text: "{% if raw.doan_ra %}Có {{ m.doan_ra }} đoàn ra.{% endif %}"
"""


def test_a_heading_with_nothing_under_it_says_so(tmp_path: Path) -> None:
    text = _report_md(make_repo(tmp_path), TYPE.format(extra="", section=EMPTY))
    after = text.split("**III. SỐ LIỆU**")[1]
    assert after.lstrip().startswith("- Không có nội dung phát sinh.")


def test_when_empty_omit_leaves_the_heading_out(tmp_path: Path) -> None:
    section = EMPTY + "        when_empty: omit\n      - heading: Cuối\n        status: done\n"
    text = _report_md(make_repo(tmp_path), TYPE.format(extra="", section=section))
    assert "SỐ LIỆU" not in text
    assert "**III. CUỐI**" in text  # numbered as if the empty one were not there


# --- 6. placeholders never reach a signed page -----------------------------------------------

SIGNER = """\
signers:
  chanh_van_phong:
    authority: TL. GIÁM ĐỐC
    title: CHÁNH VĂN PHÒNG
    name: {name}
"""


@pytest.mark.parametrize("name", ['"[Họ và tên người ký]"', '"Họ và tên"', '"…"', '"..."',
                                  '""', '"Phó Giám đốc Sở"'])
def test_a_placeholder_signer_is_warned_and_fails_strict(tmp_path: Path, name: str) -> None:
    repo = make_repo(tmp_path)
    (repo / "ngoaivu.yaml").write_text(SIGNER.format(name=name), "utf-8")
    validate = run(repo, "validate")
    assert "W-PLACEHOLDER-NAME: signers.chanh_van_phong.name" in validate.stdout, validate.stdout
    assert run(repo, "validate", "--strict").returncode == 1
    report = run(repo, "report", "--period", WEEK, "-o", "out.docx")
    assert report.returncode == 0 and "W-PLACEHOLDER-NAME" in report.stderr, report.stderr
    assert "văn bản in chữ giữ chỗ thay cho tên thật" in report.stderr
    strict = run(repo, "report", "--period", WEEK, "-o", "strict.docx", "--strict")
    assert strict.returncode == 1 and "W-PLACEHOLDER-NAME" in strict.stderr
    assert "văn bản sẽ in chữ giữ chỗ thay cho tên thật" in strict.stderr
    assert not (repo / "strict.docx").exists()
    batch = run(repo, "batch", "--period", WEEK, "--types", "bao_cao_tuan", "--out", "b",
                "--strict")
    assert batch.returncode == 1, batch.stdout + batch.stderr
    assert "W-PLACEHOLDER-NAME" in batch.stdout + batch.stderr


def test_a_placeholder_recipient_or_agency_is_warned(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "ngoaivu.yaml").write_text(
        "agency:\n  parent: UBND TỈNH HÀ TĨNH\n  name: \"[TÊN CƠ QUAN]\"\n  symbol: SNgV\n"
        "  place: Hà Tĩnh\n"
        "report_types:\n  bao_cao_tuan:\n    recipients:\n      - Văn phòng UBND tỉnh\n"
        "      - \"[Cơ quan nhận]\"\n", "utf-8")
    validate = run(repo, "validate")
    out = validate.stdout
    assert "W-PLACEHOLDER-NAME: agency.name" in out, out
    assert "W-PLACEHOLDER-NAME: report_types.bao_cao_tuan.recipients" in out, out
    assert "ngoaivu.yaml:10:" in out  # at the recipient's own line
    strict = run(repo, "report", "--period", WEEK, "-o", "x.docx", "--strict")
    assert strict.returncode == 1 and strict.stderr.count("W-PLACEHOLDER-NAME") >= 2


def test_real_names_are_no_placeholders() -> None:
    from ngoaivu_cli.config.model import is_placeholder

    for name in ("Thái Phúc Sơn", "Lê Thị Khánh Cẩm", "Bộ Ngoại giao (Cục Ngoại vụ)",
                 "Ủy ban nhân dân tỉnh", "SỞ NGOẠI VỤ"):
        assert not is_placeholder(name)
    for name in ("", "  ", "[Họ tên]", "Họ và tên người ký", "họ tên", "Nguyễn Văn …",
                 "Phó Giám đốc Sở"):
        assert is_placeholder(name)


@pytest.mark.parametrize(("title", "code"), [("\n      - SỐ LIỆU\n      - {a: 1}", "E-TYPE"),
                                             ("\n      - A\n      - \"{{ period.label \"",
                                              "E-TEMPLATE"),
                                             ("\n      - A\n      - \"{{ ''.__class__ }}\"",
                                              "E-TEMPLATE")])
def test_a_bad_appendix_title_line_is_a_located_error(tmp_path: Path, title: str,
                                                      code: str) -> None:
    """A title given as lines (hostile or mistyped) is checked line by line, never run."""
    repo = make_repo(tmp_path)
    (repo / "ngoaivu.yaml").write_text(
        "report_types:\n  bao_cao_tuan:\n    appendix:\n      title:" + title.replace(
            "\n      -", "\n        -") + "\n", "utf-8")
    proc = run(repo, "validate")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and code in out and "ngoaivu.yaml:6:" in out, out
    assert "Traceback" not in out


def test_a_wrong_when_empty_is_a_located_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "ngoaivu.yaml").write_text(
        TYPE.format(extra="", section=EMPTY + "        when_empty: bo\n"), "utf-8")
    proc = run(repo, "validate")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "when_empty" in out and "note, omit" in out, out
