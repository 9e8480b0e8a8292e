"""``ngoaivu import``: past reports become entries; the round trip through ``report`` is measured.

For each reference report the test builds the DOCX a clerk would have typed (one plain Word
paragraph per paragraph of the text, page-break artefacts of the copy included), imports it
into an empty log, writes the report of the same period and type, and measures:

- word recall: the share of the reference's words (with repetitions) found in the report;
- agreement with the hand-made log in ``data/``: for each hand-made entry, the imported entry
  with the same text has the same category, status and metrics (statistics-only entries: the
  same metrics for the category).

The figures are printed (``pytest -s``) and written in the README (section "Nhập báo cáo cũ").
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from docx import Document

from ngoaivu_cli.cli import main
from tests.docx_text import docx_paragraphs, seed_paragraphs

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "data" / "reference"
SEEDS = {
    # seed: (period, type, hand-made log folder)
    "002_74a1004a2910add5.txt": ("2023-08-24:2023-08-31", "bao_cao_tuan", ROOT / "data" / "2023"),
    "001_e2120d87a63bccc1.txt": ("tháng 01/2021", "thong_tin_doi_ngoai_thang",
                                 ROOT / "data" / "2021"),
}
RECALL_MIN = 0.97
AGREEMENT_MIN = 0.90


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> Path:
    """An empty log (shipped configuration) as the working folder."""
    root = tmp_path / "log"
    (root / "data").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> Result:
    return CliRunner(catch_exceptions=False).invoke(main, list(args))


def clerk_docx(seed: Path, out: Path) -> Path:
    """The DOCX a clerk would have typed: one plain paragraph per paragraph of the text."""
    doc = Document()
    for para in seed_paragraphs(seed):
        doc.add_paragraph(para)
    doc.save(str(out))
    return out


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def recall(reference: list[str], output: list[str]) -> float:
    ref, out = words(" ".join(reference)), words(" ".join(output))
    return sum(min(n, out[w]) for w, n in ref.items()) / sum(ref.values())


def entries(folder: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for f in sorted(folder.rglob("*.yaml")):
        data = yaml.safe_load(f.read_text("utf-8"))
        out.extend(data if isinstance(data, list) else [data])
    return out


def _key(text: object) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", str(text).lower()).split())


def agreement(hand: list[dict[str, object]], imported: list[dict[str, object]]) -> tuple[int, int]:
    """(hand-made entries the import agrees with, hand-made entries)."""
    by_text = {_key(e["summary"]): e for e in imported}
    good = 0
    for h in hand:
        if "so-lieu" in (h.get("tags") or []):  # type: ignore[operator]
            got: dict[str, object] = {}
            for e in imported:
                if "so-lieu" in e.get("tags", []) and e["category"] == h["category"]:  # type: ignore[operator]
                    got.update(e.get("metrics") or {})  # type: ignore[call-overload]
            good += got == h.get("metrics")
            continue
        key = _key(h["summary"])
        found = [by_text[key]] if key in by_text else \
            [e for k, e in by_text.items() if len(k) > 20 and k in key]  # split into pieces
        if not found:
            continue
        good += all(e["category"] == h["category"]
                    and e.get("status", "done") == h.get("status", "done")
                    and (e.get("metrics") or {}) == (h.get("metrics") or {}) for e in found)
    return good, len(hand)


def test_round_trip_of_the_reference_reports(log: Path, tmp_path: Path) -> None:
    total_good = total = 0
    for name, (period, type_key, hand_dir) in SEEDS.items():
        folder = tmp_path / name
        folder.mkdir()
        docx_path = clerk_docx(REFERENCE / name, folder / "bao-cao.docx")
        result = run("import", str(docx_path))
        assert result.exit_code == 0, result.output
        out = folder / "report.docx"
        result = run("report", "--period", period, "--type", type_key, "-o", str(out))
        assert result.exit_code == 0, result.output
        r = recall(seed_paragraphs(REFERENCE / name), docx_paragraphs(out))
        good, n = agreement(entries(hand_dir), entries(log / "data"))
        print(f"{name}: recall {r:.3f}, agreement {good}/{n}")
        assert r >= RECALL_MIN, (name, r)
        total_good += good
        total += n
        validate = run("validate")
        assert validate.exit_code == 0, validate.output
        for f in (log / "data").rglob("*.yaml"):  # one log per seed
            f.unlink()
    print(f"agreement: {total_good}/{total} = {total_good / total:.3f}")
    assert total_good / total >= AGREEMENT_MIN


def test_importing_twice_adds_nothing(log: Path, tmp_path: Path) -> None:
    docx_path = clerk_docx(REFERENCE / "002_74a1004a2910add5.txt", tmp_path / "a.docx")
    first = run("import", str(docx_path))
    assert first.exit_code == 0, first.output
    files = sorted(p.relative_to(log) for p in (log / "data").rglob("*.yaml"))
    assert len(files) > 20
    again = run("import", str(docx_path))
    assert again.exit_code == 0, again.output
    assert sorted(p.relative_to(log) for p in (log / "data").rglob("*.yaml")) == files
    assert "đã có trong nhật ký" in again.output
    # the same report as plain text: the same source id, still nothing new
    text = run("import", str(REFERENCE / "002_74a1004a2910add5.txt"))
    assert text.exit_code == 0, text.output
    assert len(list((log / "data").rglob("*.yaml"))) == len(files)


def test_files_have_valid_names_in_their_month(log: Path, tmp_path: Path) -> None:
    docx_path = clerk_docx(REFERENCE / "002_74a1004a2910add5.txt", tmp_path / "a.docx")
    assert run("import", str(docx_path)).exit_code == 0
    for f in (log / "data").rglob("*.yaml"):
        entry = yaml.safe_load(f.read_text("utf-8"))
        assert f.name.startswith(entry["date"] + "-")
        assert f.parent.name == entry["date"][5:7] and f.parent.parent.name == entry["date"][:4]
        assert "imported" in entry["tags"]
        assert any(t.startswith("nguon-") for t in entry["tags"])


def test_dry_run_writes_nothing(log: Path, tmp_path: Path) -> None:
    docx_path = clerk_docx(REFERENCE / "001_e2120d87a63bccc1.txt", tmp_path / "a.docx")
    result = run("import", str(docx_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert not list((log / "data").rglob("*.yaml"))
    assert "# data/2021/01/2021-01-01-01-" in result.output
    assert "category: tham_muu_tinh_uy" in result.output
    assert "kỳ tháng 01/2021" in result.output and "chạy thử" in result.output


def test_merged_bullet_splits_and_metrics_come_back(log: Path, tmp_path: Path) -> None:
    docx_path = clerk_docx(REFERENCE / "002_74a1004a2910add5.txt", tmp_path / "a.docx")
    assert run("import", str(docx_path)).exit_code == 0
    got = entries(log / "data")
    ubnd = [e for e in got if e["category"] == "tham_muu_ubnd"]
    assert len(ubnd) >= 7
    assert any(str(e["summary"]).startswith("đề xuất Ủy ban nhân dân tỉnh đồng ý") for e in ubnd)
    stats = [e for e in got if "so-lieu" in e["tags"]]  # type: ignore[operator]
    assert len(stats) == 1
    assert stats[0]["metrics"] == {"trang_bd_tu_phap": 93, "trang_bd_chung_nhan": 54,
                                   "trang_bd_noi_dung": 75, "trang_hieu_dinh": 10,
                                   "gio_phien_dich": 15.5, "ban_dich_tu_phap": 54,
                                   "ban_sao_chung_nhan": 29, "ho_so_lanh_su": 2}
    planned = [e for e in got if e["status"] == "planned"]
    assert len(planned) == 5 and all(str(e["date"]).startswith("2023-09-0") for e in planned)


def test_statistics_sentence_of_delegations(log: Path, tmp_path: Path) -> None:
    text = tmp_path / "bc.txt"
    text.write_text("BÁO CÁO\nKết quả công tác đối ngoại\nTừ ngày 24/8 - 31/8/2023\n\n"
                    "I. KẾT QUẢ THỰC HIỆN\n\n"
                    "- Tham mưu tỉnh làm thủ tục cho 07 đoàn với 14 lượt CBCVVC đi công tác "
                    "nước ngoài.\n", "utf-8")
    result = run("import", str(text))
    assert result.exit_code == 0, result.output
    [entry] = entries(log / "data")
    assert entry["category"] == "doan_ra_doan_vao"
    assert entry["metrics"] == {"doan_ra": 7, "luot_ra": 14}


def test_own_docx_round_trips_to_the_same_entries(log: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "tuan.docx"
    monkeypatch.chdir(ROOT)
    assert run("report", "--period", "2023-08-24:2023-08-31", "-o", str(out)).exit_code == 0
    monkeypatch.chdir(log)
    result = run("import", str(out))
    assert result.exit_code == 0, result.output
    hand = [e for e in entries(ROOT / "data" / "2023")
            if str(e["date"]) <= "2023-08-31" or e["status"] == "planned"]
    got = entries(log / "data")

    def shown(es: list[dict[str, object]]) -> Counter[tuple[object, object, str]]:
        return Counter((e["category"], e.get("status", "done"), _key(e["summary"]))
                       for e in es if "so-lieu" not in (e.get("tags") or []))  # type: ignore[operator]

    missing = shown(hand) - shown(got)
    # the merged item that holds a semicolon of its own comes back as two items, and one
    # plan guessed under another category (measured, see the README)
    assert len(missing) <= 2, missing
    good, n = agreement(hand, got)
    assert good >= n - 2


# --------------------------------------------------------------------------- bad input


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_bad_documents_are_named_and_the_others_still_import(log: Path, tmp_path: Path) -> None:
    good = clerk_docx(REFERENCE / "002_74a1004a2910add5.txt", tmp_path / "good.docx")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    encrypted = tmp_path / "encrypted.docx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
                          + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    no_period = tmp_path / "no-period.txt"
    no_period.write_text("BÁO CÁO\nMột vài việc\n\n- Làm việc với đối tác.\n", "utf-8")
    result = run("import", str(empty), str(corrupt), str(good), str(encrypted), str(no_period))
    assert result.exit_code == 1
    out = result.output
    assert "empty.docx: tệp rỗng" in out
    assert "corrupt.docx: tệp hỏng" in out
    assert "encrypted.docx: văn bản được đặt mật khẩu" in out
    assert "no-period.txt: không tìm thấy kỳ báo cáo" in out
    assert "Traceback" not in out
    assert len(list((log / "data").rglob("*.yaml"))) > 20  # good.docx was imported


def test_zip_bomb_is_refused_before_reading(log: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * (40 * 1024 * 1024) + b"/>")
    result = run("import", str(bomb))
    assert result.exit_code == 1
    assert "bom nén" in result.output


def test_xml_entities_are_never_expanded(log: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT", "utf-8")
    doc = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://' + str(secret) + '">'
           '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&x;&b;</w:t></w:r></w:p></w:body></w:document>')
    path = _zip(tmp_path / "entity.docx", {"[Content_Types].xml": b"<Types/>",
                                            "word/document.xml": doc.encode()})
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "DOCTYPE" in result.output
    assert "BÍ MẬT" not in result.output


def test_doc_without_libreoffice_says_so(log: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    doc = tmp_path / "cu.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    result = run("import", str(doc))
    assert result.exit_code == 1
    assert "cu.doc: tệp .doc (Word 97-2003) cần LibreOffice" in result.output


def test_unknown_type_is_a_usage_error(log: Path, tmp_path: Path) -> None:
    result = run("import", str(REFERENCE / "001_e2120d87a63bccc1.txt"), "--type", "bao_cao_tuna")
    assert result.exit_code == 2
    assert "bao_cao_tuan" in result.output


def test_odt_is_read(log: Path, tmp_path: Path) -> None:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    paras = seed_paragraphs(REFERENCE / "001_e2120d87a63bccc1.txt")
    from xml.sax.saxutils import escape

    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paras)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               f'xmlns:office="{office}" xmlns:text="{text}"><office:body><office:text>{body}'
               f"</office:text></office:body></office:document-content>")
    path = _zip(tmp_path / "bc.odt", {"mimetype": b"application/vnd.oasis.opendocument.text",
                                       "content.xml": content.encode()})
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert len(entries(log / "data")) == 11


def test_review_category_is_a_warning(log: Path, tmp_path: Path) -> None:
    text = tmp_path / "bc.txt"
    text.write_text("BÁO CÁO\nKết quả công tác đối ngoại\nTừ ngày 24/8 - 31/8/2023\n\n"
                    "I. KẾT QUẢ THỰC HIỆN\n\n- Làm nhiều việc khác nữa.\n", "utf-8")
    assert run("import", str(text)).exit_code == 0
    [entry] = entries(log / "data")
    assert entry["category"] == "xem_lai"
    result = run("validate")
    assert result.exit_code == 0
    assert "W-REVIEW" in result.output
