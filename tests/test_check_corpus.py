"""``ngoaivu check`` on a corpus (tests/check_corpus.py): correct documents made with
python-docx, LibreOffice, a Word 2016 file's parts and the tool's own outputs get no error;
each document with a defect gets the errors expected of it. Precision and recall over
(document, rule) pairs are printed and kept in README.md; the same files checked together
many times give what each gives alone; a .doc or .odt is named, with the way to convert it."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ngoaivu_cli.check import check_file
from ngoaivu_cli.cli import main
from tests.check_corpus import DATA, KNOWN_OWN_OUTPUT_DEFECTS, known, make
from tests.outputs import OUTPUTS, render_all

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ("pd-mot-hang", "word2016-websettings", "schema-thu-tu", "lo-mot-hang",
          "lo-xuong-dong")  # the schema validator is slow: these are the ones it is for


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, set[str], str]]:
    folder = tmp_path_factory.mktemp("corpus")
    out = {name: (path, codes, "") for name, (path, codes) in make(folder).items()}
    for name, path in render_all(tmp_path_factory.mktemp("own")).items():
        out[f"ngoaivu-{name}"] = (path, set(), name)
    return out


def _errors(name: str, path: Path, own: str) -> set[str]:
    result = check_file(path, schema=name in SCHEMA)
    assert result.problem is None, (name, result.problem)
    return {f.code for f in result.findings if f.severity == "error"
            and not (own and known(own, f.code, f.message))}


def test_precision_and_recall(corpus: dict[str, tuple[Path, set[str], str]]) -> None:
    tp = fp = fn = 0
    false_alarms: list[str] = []
    missed: list[str] = []
    for name, (path, expected, own) in corpus.items():
        got = _errors(name, path, own)
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        if got - expected:
            false_alarms.append(f"{name}: {sorted(got - expected)}")
        if expected - got:
            missed.append(f"{name}: {sorted(expected - got)}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    correct = sum(1 for _p, codes, _o in corpus.values() if not codes)
    print(f"\ncheck corpus: {len(corpus)} documents ({correct} correct), precision "
          f"{precision:.2f}, recall {recall:.2f}; false alarms {false_alarms}, missed {missed}")
    clean = [a for a in false_alarms if not corpus[a.split(":")[0]][1]]
    assert clean == [], "a correct document got an error"
    assert recall >= 0.95, missed
    assert precision >= 0.95, false_alarms
    readme = (ROOT / "README.md").read_text("utf-8")
    said = f"{len(corpus)} văn bản, độ chính xác {precision:.2f}, độ phủ {recall:.2f}"
    assert said.replace(".", ",") in readme, \
        "README.md's check section states other figures"


def test_every_known_own_defect_is_an_output() -> None:
    assert set(KNOWN_OWN_OUTPUT_DEFECTS) <= set(OUTPUTS)


def test_libreoffice_documents_are_committed_with_their_sources() -> None:
    from tests.check_corpus import LIBREOFFICE, LIBREOFFICE_SOURCES, fodt

    assert {p.stem for p in DATA.glob("*.docx")} == set(LIBREOFFICE) == set(LIBREOFFICE_SOURCES)
    for name, options in LIBREOFFICE_SOURCES.items():  # the .fodt is what the script writes
        assert (DATA / f"{name}.fodt").read_text("utf-8") == fodt(**options), name
    for path in DATA.glob("*.docx"):
        assert path.with_suffix(".fodt").is_file(), path
        with zipfile.ZipFile(path) as z:
            assert b"LibreOffice" in z.read("docProps/app.xml"), path


def test_structure_warnings_are_not_errors(corpus: dict[str, tuple[Path, set[str], str]]) -> None:
    """A LibreOffice file (no theme part, its fontTable) and a Word 2016 webSettings: warnings
    about the structure, no error; an element out of order in the document: an error."""
    lo = check_file(corpus["lo-mot-hang"][0])
    structure = [f for f in lo.findings if f.code == "ND30-CAUTRUC"]
    assert structure and all(f.severity == "warning" for f in structure)
    assert any("theme" in f.message for f in structure)
    assert lo.errors == 0
    word = check_file(corpus["word2016-websettings"][0])
    assert word.errors == 0, [f.message for f in word.findings]
    bad = check_file(corpus["schema-thu-tu"][0])
    assert [f.code for f in bad.findings if f.severity == "error"] == ["ND30-SCHEMA"]


def test_many_files_in_one_call_give_what_each_gives_alone(
        corpus: dict[str, tuple[Path, set[str], str]], tmp_path: Path) -> None:
    """17 files, several rounds, in one call and one process: the same findings as each
    checked on its own (one validator kept across files once failed a correct footnoted
    report). The files are the quick ones to validate: the tool's outputs (cong-van has
    footnotes), the LibreOffice ones, and outputs given a Word 2016 webSettings or an
    element out of order."""
    from tests.check_corpus import _edit, _schema_order, with_web_settings

    own = {n: corpus[n][0] for n in corpus if n.startswith("ngoaivu-")}
    extra = [with_web_settings(own["ngoaivu-cong-van"], tmp_path / "cong-van-web.docx"),
             with_web_settings(own["ngoaivu-lam-giang-tuan"], tmp_path / "tuan-web.docx")]
    broken = tmp_path / "weekly-order.docx"
    broken.write_bytes(own["ngoaivu-weekly"].read_bytes())
    _edit(broken, _schema_order)
    paths = [str(p) for p in [*own.values(), *DATA.glob("*.docx"), *extra, broken]]
    assert len(paths) == 17
    def summary(entry: dict[str, object]) -> list[tuple[object, ...]]:
        findings = entry["findings"]
        assert isinstance(findings, list)
        return sorted((f["code"], f["severity"], f["message"]) for f in findings)

    alone = {}
    for path in paths:
        result = CliRunner().invoke(main, ["check", "--format", "json", path],
                                    catch_exceptions=False)
        alone[path] = summary(json.loads(result.output)[0])
    rounds = 3
    result = CliRunner().invoke(main, ["check", "--format", "json", *paths * rounds],
                                catch_exceptions=False)
    together = json.loads(result.output)
    assert len(together) == 17 * rounds
    for entry in together:
        assert summary(entry) == alone[str(entry["file"])], entry["file"]


def test_other_formats_are_named_with_the_command_to_convert(tmp_path: Path) -> None:
    doc = tmp_path / "cu.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    odt = tmp_path / "van-ban.odt"
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<x/>")
    result = CliRunner().invoke(main, ["check", str(doc), str(odt)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "tệp Word 97–2003 (.doc)" in result.output
    assert "văn bản OpenDocument (.odt)" in result.output
    assert "soffice --headless --convert-to docx cu.doc " in result.output
    assert "soffice --headless --convert-to docx van-ban.odt " in result.output
    spaced = tmp_path / "báo cáo cũ.doc"
    spaced.write_bytes(doc.read_bytes())
    result = CliRunner().invoke(main, ["check", str(spaced)], catch_exceptions=False)
    assert "soffice --headless --convert-to docx 'báo cáo cũ.doc' " in result.output


def test_places_are_pages_and_text_not_paragraph_numbers(
        corpus: dict[str, tuple[Path, set[str], str]]) -> None:
    result = check_file(corpus["noinhan-luu-thieu-don-vi"][0], schema=False)
    finding = next(f for f in result.findings if f.code == "ND30-NOINHAN")
    assert re.match(r"khoảng trang \d+, dòng \d+, «- Lưu: VT\.»$", finding.place), finding.place
    assert "«- Lưu: VT.»" in finding.place and "đoạn" not in finding.place
    missing = check_file(corpus["noinhan-thieu"][0], schema=False)
    assert [f.message for f in missing.findings if f.code == "ND30-NOINHAN"][0].startswith(
        "không thấy «Nơi nhận:»")
    assert not [f for f in missing.findings if f.code == "ND30-CHUKY"]
    lower = check_file(corpus["tenloai-chu-thuong"][0], schema=False)
    assert [f.message for f in lower.findings] == [
        "tên loại văn bản phải viết in hoa, «BÁO CÁO»"]
    bold = check_file(corpus["coquan-chu-quan-dam"][0], schema=False)
    assert [f.message for f in bold.findings] == [
        "tên cơ quan chủ quản: không được in đậm"]


def test_cut_findings_are_said(tmp_path: Path, corpus: dict[str, tuple[Path, set[str], str]]
                               ) -> None:
    from ngoaivu_cli.check.schema import check_schema

    findings = check_schema(corpus["lo-mot-hang"][0], limit=2)
    assert findings[-1].message.startswith("còn lỗi cấu trúc khác sau 2 lỗi đầu")


HOSTILE_SHAPES = [
    '<v:line from="0,0" to="1e999pt,0"/>', '<v:line from="x,y" to="1,2,3"/>',
    '<v:line from="0,0" to="99999999999999999999999pt,0"/>',
    '<wp:inline><wp:extent cx="1e999" cy="0"/><a:graphic><a:graphicData><wps:wsp><wps:spPr>'
    '<a:prstGeom prst="line"/></wps:spPr></wps:wsp></a:graphicData></a:graphic></wp:inline>',
]


@pytest.mark.parametrize("shape", HOSTILE_SHAPES)
def test_hostile_shapes_are_refused_or_ignored(tmp_path: Path, shape: str,
                                               corpus: dict[str, tuple[Path, set[str], str]]
                                               ) -> None:
    """A drawn line with an absurd length or coordinates: read as no line, or the file is
    refused in Vietnamese; never a traceback."""
    src = corpus["pd-mot-hang"][0]
    dst = tmp_path / "hinh.docx"
    ns = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/'
          'drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/'
          'drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
          'wordprocessingShape"')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                run = f'<w:r><w:pict {ns}>{shape}</w:pict></w:r>' * 2000
                data = data.replace(b"<w:body>", b"<w:body><w:p>" + run.encode() + b"</w:p>", 1)
            zout.writestr(info, data)
    result = CliRunner().invoke(main, ["check", "--no-schema", str(dst)], catch_exceptions=False)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1)


def test_each_file_gets_a_validator_of_its_own(corpus: dict[str, tuple[Path, set[str], str]],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """openxml-audit's schema validator caches content models by ``id()`` of objects it may
    free and make again, so one validator reused across files can answer for another file's
    model (the failures above were random): every file is validated by a new one."""
    import openxml_audit

    made: list[object] = []
    real = openxml_audit.OpenXmlValidator

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(openxml_audit, "OpenXmlValidator", Counting)
    paths = [corpus[n][0] for n in ("ngoaivu-weekly", "lo-mot-hang", "lo-xuong-dong")]
    for path in paths * 2:
        check_file(path)
    assert len(made) == 6 and len({id(v) for v in made}) == 6


def test_pages_are_those_word_rendered_when_it_says(
        corpus: dict[str, tuple[Path, set[str], str]], tmp_path: Path) -> None:
    """A file saved by Word records where it broke the pages (``w:lastRenderedPageBreak``):
    the place of a finding is on that page, counted from it, not estimated."""
    from tests.check_corpus import W, _edit

    path = tmp_path / "word-pages.docx"
    path.write_bytes(corpus["noinhan-luu-thieu-don-vi"][0].read_bytes())

    def rendered(root: object) -> None:
        from lxml import etree

        for p in root.iter(W + "p"):  # type: ignore[attr-defined]
            text = "".join(t.text or "" for t in p.iter(W + "t"))
            if text.startswith(("Thực hiện", "Trên đây")):
                run = p.find(W + "r")
                for _ in range(2 if text.startswith("Trên đây") else 1):
                    run.insert(1, etree.Element(W + "lastRenderedPageBreak"))

    _edit(path, rendered)
    finding = next(f for f in check_file(path, schema=False).findings
                   if f.code == "ND30-NOINHAN")
    assert finding.page == 4, finding.place  # 1 + the 3 breaks Word recorded before it
    assert finding.place.startswith("khoảng trang 4, dòng ")
