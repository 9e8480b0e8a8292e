"""The example log ``examples/cong-van-nhiem-ky`` writes the công văn of seed 003.

``run.sh`` is run as a user would run it (only the ``ngoaivu`` command of this environment);
the DOCX is compared with the copy of the real document like tests/test_reports.py does. The
seed's footnotes (¹ and ², printed at the foot of their pages in the copy) must be real Word
footnotes, so their paragraphs are looked for in ``word/footnotes.xml``, not in the body. Their
references are ``w:footnoteReference`` runs, not text: the copy's superscript digits ("Lào¹.",
"đồng².") are stripped from the seed's body paragraphs, and where the references sit is checked
separately in ``word/document.xml``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.docx_text import docx_paragraphs, missing_in_order, normalise, ratio, seed_paragraphs
from tests.example_env import example_env as _env

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cong-van-nhiem-ky"
SEED = ROOT / "tests" / "data" / "reference" / "003_277f0791f44d8555.txt"
OUTPUT = EXAMPLE / "out" / "cong-van-nhiem-ky.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Where the output knowingly differs from the copy of the real document. The seed paragraph is
# corrected here, never the output, and the corrected text must really be in the output.
KNOWN_DEVIATIONS = [
    ("tổ chức đón tiếp 41 đoàn với 542 17 với 325 lượt khách quốc tế",
     "tổ chức đón tiếp 41 đoàn với 542 lượt khách quốc tế",
     "the copy is garbled here ('542 17 với 325 lượt': two figures pasted together); the "
     "sentence is written from the summed metrics: 41 đoàn vào, 542 lượt khách"),
]


@pytest.fixture(scope="module")
def docx_path() -> Path:
    shutil.rmtree(OUTPUT.parent, ignore_errors=True)
    result = subprocess.run(["bash", str(EXAMPLE / "run.sh")], env=_env(), capture_output=True,
                            text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert OUTPUT.is_file()
    return OUTPUT


# A footnote reference of the copy: superscript digits right after a word or a number.
SUPERSCRIPT_REF = re.compile(r"(?<=\S)[¹²³⁰⁴⁵⁶⁷⁸⁹]+")


def _split_seed() -> tuple[list[str], list[str]]:
    """(body paragraphs, footnote paragraphs) of the seed.

    The body loses its footnote references ("Lào¹." → "Lào."); the footnotes keep their
    leading "¹ " / "² ".
    """
    paras = seed_paragraphs(SEED)
    notes: list[int] = []
    for i, p in enumerate(paras):
        if p.startswith("¹ "):
            notes.append(i)
        elif p.startswith("² "):
            projects = list(range(i + 1, i + 6))
            assert all(paras[j].startswith("- Ông ") for j in projects), "seed changed"
            notes += [i, *projects]
    assert len(notes) == 7
    body = [SUPERSCRIPT_REF.sub("", p) for i, p in enumerate(paras) if i not in notes]
    return body, [paras[i] for i in notes]


def _corrected(paras: list[str]) -> list[str]:
    paras = list(paras)
    for wrong, right, _why in KNOWN_DEVIATIONS:
        hits = [i for i, p in enumerate(paras) if wrong in p]
        assert hits, f"deviation {wrong!r} no longer in the seed: remove it from the list"
        for i in hits:
            paras[i] = paras[i].replace(wrong, right)
    return paras


def _body(path: Path) -> list[str]:
    return [normalise(p) for p in docx_paragraphs(path)]


def _text(p) -> str:  # noqa: ANN001
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def _footnotes(path: Path) -> dict[str, list[str]]:
    """Footnote id → its paragraphs (normalised), separators left out."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/footnotes.xml"))
    out = {}
    for note in root.iter(f"{W}footnote"):
        if int(note.get(f"{W}id")) > 0:
            out[note.get(f"{W}id")] = [normalise(_text(p)) for p in note.iter(f"{W}p")]
    return out


def test_example_validates() -> None:
    result = subprocess.run(["ngoaivu", "validate"], env=_env(), cwd=EXAMPLE,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi, 0 cảnh báo" in result.stdout


def test_example_matches_seed(docx_path: Path) -> None:
    seed_body, _notes = _split_seed()
    body = _body(docx_path)
    assert missing_in_order(_corrected(seed_body), " ".join(body)) == []
    assert ratio(seed_body, body) >= 0.95


def test_known_deviations_are_in_output(docx_path: Path) -> None:
    text = " ".join(_body(docx_path))
    for wrong, right, _why in KNOWN_DEVIATIONS:
        assert right in text
        assert wrong not in text


def test_footnotes_are_real_word_footnotes(docx_path: Path) -> None:
    _body_paras, seed_notes = _split_seed()
    expected = [re.sub(r"^[¹²] ", "", p) for p in seed_notes]
    notes = _footnotes(docx_path)
    assert [p for paras in notes.values() for p in paras] == expected
    with zipfile.ZipFile(docx_path) as z:
        document = z.read("word/document.xml").decode()
    assert document.count("<w:footnoteReference ") == 2
    # each reference sits in the paragraph the copy attaches it to
    root = etree.fromstring(document.encode())
    anchored = [(notes[ref.get(f"{W}id")][0], normalise(_text(p)))
                for p in root.iter(f"{W}p") for ref in p.iter(f"{W}footnoteReference")]
    wanted = [("Tặng tỉnh Bolykhamsay", "- Tham mưu lãnh đạo tỉnh Hà Tĩnh tiếp tục duy trì"),
              ("Gồm 09 dự án:", "Tỉnh ta hiện có khoảng 76.000 người đang làm ăn")]
    assert len(anchored) == len(wanted)
    for (note, para), (note_start, para_start) in zip(anchored, wanted, strict=True):
        assert note.startswith(note_start) and para.startswith(para_start)


def _around_references(path: Path) -> list[tuple[str, str]]:
    """(paragraph text before, paragraph text after) each w:footnoteReference, in order."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        pieces: list[str | None] = []  # None marks a reference
        for el in p.iter(f"{W}t", f"{W}footnoteReference"):
            pieces.append(None if el.tag == f"{W}footnoteReference" else el.text or "")
        for i, piece in enumerate(pieces):
            if piece is None:
                out.append(("".join(x or "" for x in pieces[:i]),
                            "".join(x or "" for x in pieces[i + 1:])))
    return out


def test_footnote_references_sit_where_the_copy_has_them(docx_path: Path) -> None:
    # the copy: "... một số đơn vị các tỉnh của Lào¹. Tháng 6/2022, ..." and
    # "... với tổng mức đầu tư 2.901,81 tỷ đồng²." (before the full stop, not after it)
    seed = SEED.read_text("utf-8")
    assert "các tỉnh của Lào¹. Tháng 6/2022" in seed
    assert "tổng mức đầu tư 2.901,81 tỷ đồng².\n" in seed
    around = _around_references(docx_path)
    assert len(around) == 2
    (before1, after1), (before2, after2) = around
    assert before1.endswith("một số đơn vị các tỉnh của Lào")
    assert after1.startswith(". Tháng 6/2022, đoàn cấp cao của tỉnh Savannakhet")
    assert before2.endswith("với tổng mức đầu tư 2.901,81 tỷ đồng")
    assert after2 == "."
    # the reference run holds no text of its own (Word prints the number)
    with zipfile.ZipFile(docx_path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    for ref in root.iter(f"{W}footnoteReference"):
        assert not "".join(t.text or "" for t in ref.getparent().iter(f"{W}t"))


def test_cong_van_layout(docx_path: Path) -> None:
    texts = docx_paragraphs(docx_path)
    assert "Số:      /SNgV-VPTTr" in texts
    assert "Hà Tĩnh, ngày      tháng 8 năm 2022" in texts  # blank day for the clerk
    assert texts[texts.index("Số:      /SNgV-VPTTr") + 1:][:3] == [
        "V/v báo cáo kết quả thực hiện", "các Nghị quyết của HĐND tỉnh",
        "từ đầu nhiệm kỳ đến nay"]
    assert "Kính gửi: Sở Kế hoạch và Đầu tư" in texts
    assert "BÁO CÁO" not in texts  # a công văn has no tên loại
    headings = [t for t in texts if re.match(r"\d+\.(\d+\.)? ", t)]
    assert headings[:3] == ["1. Công tác lãnh đạo, chỉ đạo triển khai thực hiện",
                            "2. Kết quả triển khai công tác đối ngoại",
                            "2.1. Công tác tổ chức và quản lý đoàn ra/đoàn vào"]
    assert headings[-1] == "4. Kiến nghị, đề xuất"
    assert texts[-2:] == ["GIÁM ĐỐC", "Thái Phúc Sơn"]
