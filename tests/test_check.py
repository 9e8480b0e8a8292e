"""``ngoaivu check``: every document this tool writes passes; a folder of documents broken on
purpose, one per rule, each fails exactly its rule; a document typed in Word's defaults
(Calibri 11, Letter) gets every applicable finding."""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import Inches, Pt
from lxml import etree

from ngoaivu_cli.check import CODES, check_file
from ngoaivu_cli.cli import main
from tests.check_corpus import KNOWN_OWN_OUTPUT_DEFECTS, known
from tests.outputs import OUTPUTS, render_all

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.mktemp("outputs"))


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_every_output_passes_check(outputs: dict[str, Path], name: str) -> None:
    """Every finding on the tool's own output is a bug, except the known defects another
    branch is fixing (tests/check_corpus.py); one that is gone must leave that list."""
    result = check_file(outputs[name])
    assert result.problem is None
    assert [f"{f.code} {f.place}: {f.message}" for f in result.findings
            if not known(name, f.code, f.message)] == []
    for code, part in KNOWN_OWN_OUTPUT_DEFECTS.get(name, set()):
        assert any(f.code == code and part in f.message for f in result.findings), (
            f"{name}: {code} «{part}» is fixed: remove it from KNOWN_OWN_OUTPUT_DEFECTS")


# --------------------------------------------------------------------------- broken on purpose


def _w(tag: str, **attrs: str) -> Any:
    el = etree.Element(W + tag)
    for key, value in attrs.items():
        el.set(W + key, value)
    return el


def _para(root: Any, start: str) -> Any:
    for p in root.iter(W + "p"):
        if "".join(t.text or "" for t in p.iter(W + "t")).strip().startswith(start):
            return p
    raise AssertionError(f"no paragraph starting {start!r}")


def _runs_set(root: Any, start: str, tag: str, **attrs: str) -> None:
    """Direct formatting ``tag`` on every run of the paragraph starting with ``start``."""
    from ngoaivu_cli.render.ooxml_order import put

    for r in _para(root, start).iter(W + "r"):
        rpr = r.find(W + "rPr")
        if rpr is None:
            rpr = _w("rPr")
            r.insert(0, rpr)
        put(rpr, _w(tag, **attrs))


def _ppr_set(root: Any, start: str, tag: str, **attrs: str) -> None:
    from ngoaivu_cli.render.ooxml_order import put

    p = _para(root, start)
    put(p.find(W + "pPr"), _w(tag, **attrs))


def _set_text(root: Any, start: str, text: str) -> None:
    p = _para(root, start)
    ts = list(p.iter(W + "t"))
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""


def _sect(root: Any) -> Any:
    return root.find(W + "body").find(W + "sectPr")


def _bad_schema(root: Any) -> None:
    ppr = _para(root, "Trên đây").find(W + "pPr")
    ppr.append(_w("jc", val="both"))
    ppr.append(_w("pageBreakBefore", val="0"))  # after jc: out of the CT_PPr sequence


BROKEN: dict[str, tuple[str, str, Callable[[Any], None]]] = {
    # fixture name → (source output, the one code it must fail, change to document.xml)
    # the page's and the margins' changes keep the text as wide (the lines under the names
    # are drawn to the text's width: a wider text would make them too long as well)
    "khogiay-cao-letter": ("weekly", "ND30-KHOGIAY",
                           lambda d: _sect(d).find(W + "pgSz").attrib.update({W + "h": "15840"})),
    "le-trai-20mm": ("weekly", "ND30-LE",
                     lambda d: _sect(d).find(W + "pgMar").attrib.update(
                         {W + "left": "1134", W + "right": "1417"})),
    "font-arial": ("weekly", "ND30-FONT",
                   lambda d: _runs_set(d, "Trên đây", "rFonts", ascii="Arial", hAnsi="Arial")),
    "coquan-khong-dam": ("weekly", "ND30-COQUAN",
                         lambda d: _runs_set(d, "SỞ NGOẠI VỤ", "b", val="0")),
    "quochieu-11pt": ("weekly", "ND30-QUOCHIEU",
                      lambda d: _runs_set(d, "CỘNG HÒA", "sz", val="22")),
    "tieungu-gach-dai": ("weekly", "ND30-TIEUNGU",
                         lambda d: _set_text(d, "Độc lập", "Độc lập – Tự do – Hạnh phúc")),
    "so-khong-co-so-0": ("weekly", "ND30-SO", lambda d: _set_text(d, "Số:", "Số: 5/BC-SNgV")),
    "ngay-dung": ("weekly", "ND30-NGAY", lambda d: _runs_set(d, "Hà Tĩnh, ngày", "i", val="0")),
    "tenloai-khong-dam": ("weekly", "ND30-TENLOAI",
                          lambda d: _runs_set(d, "BÁO CÁO", "b", val="0")),
    "trichyeu-khong-dam": ("weekly", "ND30-TRICHYEU",
                           lambda d: _runs_set(d, "Kết quả công tác", "b", val="0")),
    "kinhgui-dam": ("monthly", "ND30-KINHGUI", lambda d: _runs_set(d, "Kính gửi", "b")),
    "noidung-can-trai": ("weekly", "ND30-NOIDUNG",
                         lambda d: _ppr_set(d, "Trên đây", "jc", val="left")),
    "noinhan-dung": ("weekly", "ND30-NOINHAN", lambda d: _runs_set(d, "Nơi nhận", "i", val="0")),
    "chuky-12pt": ("weekly", "ND30-CHUKY", lambda d: _runs_set(d, "Lê Thị", "sz", val="24")),
    "sotrang-trang-1": ("weekly", "ND30-SOTRANG",
                        lambda d: _sect(d).remove(_sect(d).find(W + "titlePg"))),
    "schema-thu-tu": ("weekly", "ND30-SCHEMA", _bad_schema),
    "muc-12pt": ("weekly", "ND30-MUC", lambda d: _runs_set(d, "I. KẾT QUẢ", "sz", val="24")),
    "duongke-tieungu-thieu": ("weekly", "ND30-DUONGKE", lambda d: _no_rule_after(d, "Độc lập")),
    "vitri-noinhan-cao": ("weekly", "ND30-VITRI",
                          lambda d: _ppr_set(d, "Nơi nhận", "spacing", before="0")),
}


def _no_rule_after(root: Any, start: str) -> None:
    """The line under the paragraph starting ``start`` (an empty bordered paragraph) gone."""
    rule = _para(root, start).getnext()
    rule.find(W + "pPr").remove(rule.find(f"{W}pPr/{W}pBdr"))


def _mutate(src: Path, dst: Path, change: Callable[[Any], None]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            zout.writestr(info, data)
    return dst


@pytest.fixture(scope="module")
def broken(outputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    for name, (source, _code, change) in BROKEN.items():
        _mutate(outputs[source], folder / f"{name}.docx", change)
    return folder


def test_every_rule_has_a_broken_document() -> None:
    # ND30-CAUTRUC (a structure Word opens) is a warning: tests/test_check_corpus.py has it
    assert {code for _s, code, _c in BROKEN.values()} == set(CODES) - {"ND30-CAUTRUC"}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_document_fails_exactly_its_rule(broken: Path, name: str) -> None:
    code = BROKEN[name][1]
    result = check_file(broken / f"{name}.docx")
    assert result.problem is None
    assert {f.code for f in result.findings} == {code}, [
        f"{f.code} {f.place}: {f.message}" for f in result.findings]
    assert result.errors >= 1
    finding = result.findings[0]
    assert finding.hint and finding.message


def test_theme_font_is_not_times_new_roman(outputs: dict[str, Path], tmp_path: Path) -> None:
    """A run that takes the theme's body font (Word's +Body) is flagged when the theme says
    Calibri, though its rFonts name no font."""
    src = outputs["weekly"]
    dst = tmp_path / "theme.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/theme/theme1.xml":
                data = data.replace(b'typeface="Times New Roman"', b'typeface="Calibri"')
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                _runs_set(root, "Trên đây", "rFonts", asciiTheme="minorHAnsi",
                          hAnsiTheme="minorHAnsi")
                data = etree.tostring(root)
            zout.writestr(info, data)
    result = check_file(dst, schema=False)
    assert [f.code for f in result.findings] == ["ND30-FONT"]
    assert "Calibri" in result.findings[0].message
    assert "Trên đây" in result.findings[0].place


def test_place_date_leading_zeros(outputs: dict[str, Path], tmp_path: Path) -> None:
    for text, bad in (("Hà Tĩnh, ngày 05 tháng 02 năm 2024", False),
                      ("Hà Tĩnh, ngày 09 tháng 3 năm 2024", False),
                      ("Hà Tĩnh, ngày 5 tháng 3 năm 2024", True),
                      ("Hà Tĩnh, ngày 15 tháng 2 năm 2024", True),
                      ("Hà Tĩnh, ngày 15 tháng 03 năm 2024", True)):
        dst = _mutate(outputs["weekly"], tmp_path / "d.docx",
                      lambda d, t=text: _set_text(d, "Hà Tĩnh, ngày", t))
        codes = [f.code for f in check_file(dst, schema=False).findings]
        assert codes == (["ND30-NGAY"] if bad else []), text


# --------------------------------------------------------------------------- Word's defaults

WORD_DEFAULT_TEXT = [
    "UBND TỈNH HÀ TĨNH", "SỞ NGOẠI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc", "Số: 5/BC-SNgV", "Hà Tĩnh, ngày 5 tháng 3 năm 2024",
    "BÁO CÁO", "Kết quả công tác đối ngoại tháng 3 năm 2024",
    "Kính gửi: Ủy ban nhân dân tỉnh Hà Tĩnh.",
    "Trong tháng, Sở Ngoại vụ đã tham mưu Ủy ban nhân dân tỉnh tổ chức đón tiếp các đoàn "
    "khách quốc tế đến thăm và làm việc tại tỉnh.",
    "Trên đây là báo cáo kết quả công tác đối ngoại tháng 3 năm 2024 của Sở Ngoại vụ, kính "
    "báo cáo Ủy ban nhân dân tỉnh./.",
    "Nơi nhận:", "- Như trên;", "- Lưu: VT, VP.", "GIÁM ĐỐC", "Nguyễn Văn An",
]


def _word_default_document(path: Path) -> Path:
    """Typed by hand in Word's defaults: Calibri 11, Letter, 1-inch margins, left aligned."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Inches(1))
    for text in WORD_DEFAULT_TEXT:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def test_word_defaults_get_every_applicable_finding(tmp_path: Path) -> None:
    result = check_file(_word_default_document(tmp_path / "word.docx"), schema=False)
    codes = {f.code for f in result.findings}
    # no schema check asked for, no "I." heading typed, and one page needs no page number
    assert codes == set(CODES) - {"ND30-SCHEMA", "ND30-CAUTRUC", "ND30-MUC", "ND30-SOTRANG"}, [
        f"{f.code} {f.place}: {f.message}" for f in result.findings]
    font = next(f for f in result.findings if f.code == "ND30-FONT")
    assert "Calibri" in font.message and font.count > 10
    body = [f for f in result.findings if f.code == "ND30-NOIDUNG"]
    assert any("căn đều" in f.message for f in body)
    assert any("cỡ chữ 11" in f.message for f in body)
    date = [f.message for f in result.findings if f.code == "ND30-NGAY"]
    assert any("số 0" in m for m in date) and any("nghiêng" in m for m in date)


# --------------------------------------------------------------------------- the command


def test_cli_passes_and_fails(outputs: dict[str, Path], broken: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(outputs["weekly"])], catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    assert "đạt mọi quy tắc" in ok.output
    bad = runner.invoke(main, ["check", str(outputs["weekly"]),
                               str(broken / "chuky-12pt.docx")], catch_exceptions=False)
    assert bad.exit_code == 1
    assert "ND30-CHUKY" in bad.output and "cách sửa" in bad.output
    assert "Lê Thị" in bad.output  # the place: paragraph number and text
    assert "2 tệp: 1 tệp có lỗi" in bad.output


def test_cli_json(broken: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--format", "json",
                                       str(broken / "le-trai-20mm.docx")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data[0]["errors"] == 2  # the left margin, and the right one widened to match
    finding = data[0]["findings"][0]
    assert finding["code"] == "ND30-LE" and "20" in finding["message"] and finding["hint"]
    assert {f["code"] for f in data[0]["findings"]} == {"ND30-LE"}


def test_cli_unreadable_files(tmp_path: Path) -> None:
    text = tmp_path / "note.docx"
    text.write_text("không phải docx", "utf-8")
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("hello.txt", "x")
    result = CliRunner().invoke(main, ["check", str(text), str(empty),
                                       str(tmp_path / "none.docx")], catch_exceptions=False)
    assert result.exit_code == 1
    assert "không đọc được như tệp DOCX" in result.output
    assert "không có phần văn bản chính" in result.output
    assert "không có tệp này" in result.output
    assert "Traceback" not in result.output
    usage = CliRunner().invoke(main, ["check"])
    assert usage.exit_code == 2


def test_without_openxml_audit_check_says_so(outputs: dict[str, Path],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openxml_audit", None)  # import fails
    result = CliRunner().invoke(main, ["check", str(outputs["monthly"])],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output  # a warning: the other rules still ran
    assert "chưa cài openxml-audit" in result.output and 'pip install "ngoaivu[check]"' in \
        result.output
