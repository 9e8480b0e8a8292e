"""``ngoaivu import``: past reports become entries; the round trip through ``report`` is measured.

For each reference report the test builds the DOCX a clerk would have typed (one plain Word
paragraph per paragraph of the text, page-break artefacts of the copy included), imports it
into an empty log, writes the report of the same period and type, and measures:

- word recall: the share of the reference's words (with repetitions) found in the report;
- agreement with the hand-made log in ``data/``: for each hand-made entry, the imported entry
  with the same text has the same category, status and metrics (statistics-only entries: the
  same metrics for the category).

The figures are printed (``pytest -s``) and written in docs/nhap-bao-cao.md.
"""

from __future__ import annotations

import re
import shutil
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
EXAMPLES = ROOT / "examples"
SEEDS = {
    # seed: (configuration folder or None for the shipped one, hand-made log, report arguments)
    "002_74a1004a2910add5.txt": (None, ROOT / "data" / "2023",
                                 ["--period", "2023-08-24:2023-08-31", "--type", "bao_cao_tuan"]),
    "001_e2120d87a63bccc1.txt": (None, ROOT / "data" / "2021",
                                 ["--period", "tháng 01/2021", "--type",
                                  "thong_tin_doi_ngoai_thang"]),
    "003_277f0791f44d8555.txt": (EXAMPLES / "cong-van-nhiem-ky",
                                 EXAMPLES / "cong-van-nhiem-ky" / "data",
                                 ["--period", "từ đầu nhiệm kỳ đến nay", "--today", "2022-08-15",
                                  "--type", "cong_van_nghi_quyet_hdnd"]),
    "004_6870b25d9e197620.txt": (EXAMPLES / "ke-hoach-nam", EXAMPLES / "ke-hoach-nam" / "data",
                                 ["--period", "năm 2018", "--type", "ke_hoach_nam", "--date",
                                  "2018-02-05"]),
}
RECALL_MIN = 0.97
# Issue 15 asks for 90% of the bullets of every reference report. Measured (docs/): 37/39 for
# the weekly and monthly reports (shipped configuration), 27/29 and 29/29 for the thematic
# letter and the annual plan (the examples' configurations), 93/97 in all; the floors below
# are those figures rounded down, so a change that makes the guesses worse fails.
AGREEMENT_MIN = {"shipped": 0.94, "all": 0.95}


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


def _sums(es: list[dict[str, object]]) -> dict[object, dict[str, float]]:
    out: dict[object, dict[str, float]] = {}
    for e in es:
        for k, v in (e.get("metrics") or {}).items():  # type: ignore[attr-defined]
            cat = out.setdefault(e["category"], {})
            cat[k] = round(cat.get(k, 0) + v, 6)
    return out


def agreement(hand: list[dict[str, object]], imported: list[dict[str, object]]) -> tuple[int, int]:
    """(hand-made bullets the import agrees with, hand-made bullets).

    A bullet agrees when the imported entry with its text (or the pieces it was split into,
    or the paragraph holding it) has its category and status; the figures agree per category, as the report sums them
    (a hand-made log may spread one sentence's figures over several dated entries)."""
    by_text = {_key(e["summary"]): e for e in imported}
    hand_sums, got_sums = _sums(hand), _sums(imported)
    good = sum(hand_sums[c] == got_sums.get(c) for c in hand_sums)
    n = len(hand_sums)
    for h in hand:
        if "so-lieu" in (h.get("tags") or []):  # type: ignore[operator]
            continue
        n += 1
        key = _key(h["summary"])
        found = [by_text[key]] if key in by_text else \
            [e for k, e in by_text.items() if len(k) > 20 and k in key]  # split into pieces
        if not found:  # several entries of a "paragraph" category came back as one paragraph
            found = [e for k, e in by_text.items() if key in k]
        good += bool(found) and all(e["category"] == h["category"]
                                    and e.get("status", "done") == h.get("status", "done")
                                    for e in found)
    return good, n


def report_words(path: Path) -> list[str]:
    """The report's paragraphs and its footnotes' (the copy prints footnotes as paragraphs)."""
    from lxml import etree

    notes: list[str] = []
    with zipfile.ZipFile(path) as z:
        if "word/footnotes.xml" in z.namelist():
            root = etree.fromstring(z.read("word/footnotes.xml"))
            w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            notes = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]
    return docx_paragraphs(path) + notes


def test_round_trip_of_the_reference_reports(tmp_path: Path, clean_env: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    totals = {"shipped": [0, 0], "all": [0, 0]}
    for name, (config_dir, hand_dir, report_args) in SEEDS.items():
        root = tmp_path / name
        (root / "data").mkdir(parents=True)
        if config_dir is not None:  # the example's configuration and static documents only
            shutil.copy(config_dir / "ngoaivu.yaml", root / "ngoaivu.yaml")
            if (config_dir / "documents").is_dir():
                shutil.copytree(config_dir / "documents", root / "documents")
        monkeypatch.chdir(root)
        docx_path = clerk_docx(REFERENCE / name, root / "bao-cao.docx")
        result = run("import", str(docx_path))
        assert result.exit_code == 0, result.output
        out = root / "report.docx"
        result = run("report", *report_args, "-o", str(out))
        assert result.exit_code == 0, result.output
        r = recall(seed_paragraphs(REFERENCE / name), report_words(out))
        good, n = agreement(entries(hand_dir), entries(root / "data"))
        print(f"{name}: recall {r:.3f}, agreement {good}/{n}")
        assert r >= RECALL_MIN, (name, r)
        for key in ("all",) + (("shipped",) if config_dir is None else ()):
            totals[key][0] += good
            totals[key][1] += n
        validate = run("validate")
        assert validate.exit_code == 0, validate.output
    for key, (good, n) in totals.items():
        print(f"agreement {key}: {good}/{n} = {good / n:.3f}")
        assert good / n >= AGREEMENT_MIN[key], (key, good, n)


def test_importing_twice_adds_nothing(log: Path, tmp_path: Path) -> None:
    docx_path = clerk_docx(REFERENCE / "002_74a1004a2910add5.txt", tmp_path / "a.docx")
    first = run("import", str(docx_path))
    assert first.exit_code == 0, first.output
    files = sorted(p.relative_to(log) for p in (log / "data").rglob("*.yaml"))
    assert len(entries(log / "data")) > 20
    again = run("import", str(docx_path))
    assert again.exit_code == 0, again.output
    assert sorted(p.relative_to(log) for p in (log / "data").rglob("*.yaml")) == files
    assert "đã có trong nhật ký" in again.output
    # the same report as plain text: the same source id, still nothing new
    text = run("import", str(REFERENCE / "002_74a1004a2910add5.txt"))
    assert text.exit_code == 0, text.output
    assert sorted(p.relative_to(log) for p in (log / "data").rglob("*.yaml")) == files


def test_files_have_valid_names_in_their_month(log: Path, tmp_path: Path) -> None:
    docx_path = clerk_docx(REFERENCE / "002_74a1004a2910add5.txt", tmp_path / "a.docx")
    assert run("import", str(docx_path)).exit_code == 0
    files = list((log / "data").rglob("*.yaml"))
    assert len(files) == 2  # one per day of the document: the results, the plan
    for f in files:
        day = yaml.safe_load(f.read_text("utf-8"))
        for entry in day if isinstance(day, list) else [day]:
            assert f.name.startswith(entry["date"] + "-nhap-ket-qua-cong-tac-doi-ngoai-tu-ngay-")
            assert f.parent.name == entry["date"][5:7]
            assert f.parent.parent.name == entry["date"][:4]
            assert "imported" in entry["tags"]
            assert any(t.startswith("nguon-") for t in entry["tags"])


def test_dry_run_writes_nothing(log: Path, tmp_path: Path) -> None:
    docx_path = clerk_docx(REFERENCE / "001_e2120d87a63bccc1.txt", tmp_path / "a.docx")
    result = run("import", str(docx_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert not list((log / "data").rglob("*.yaml"))
    assert "# data/2021/01/2021-01-01-nhap-cong-tac-thong-tin-doi-ngoai-thang-01-2021" in result.output
    assert "category: tham_muu_tinh_uy" in result.output
    assert "kỳ tháng 01/2021" in result.output and "chạy thử" in result.output


def test_dry_run_shows_what_a_run_writes_as_yaml_or_a_table(log: Path, tmp_path: Path) -> None:
    """--dry-run's YAML is exactly the files a run writes; --format table is one line per
    entry, '?' marking the low-confidence guesses the summary counts; the summary names the
    period, the entries per category and what was skipped."""
    docx_path = clerk_docx(REFERENCE / "002_74a1004a2910add5.txt", tmp_path / "a.docx")
    dry = run("import", str(docx_path), "--dry-run", "--format", "yaml")
    table = run("import", str(docx_path), "--dry-run", "--format", "table")
    assert dry.exit_code == 0 and table.exit_code == 0, (dry.output, table.output)
    assert not list((log / "data").rglob("*.yaml"))
    shown = {}
    for chunk in dry.stdout.split("# data/")[1:]:
        name, text = chunk.split("\n", 1)
        shown["data/" + name] = text
    real = run("import", str(docx_path), "--format", "yaml")
    assert real.exit_code == 0, real.output
    written = {str(f.relative_to(log)): f.read_text("utf-8") + "\n"
               for f in (log / "data").rglob("*.yaml")}
    assert shown == written
    assert real.stdout == dry.stdout
    lines = [ln for ln in table.stdout.splitlines() if re.match(r"\d\d/\d\d/\d{4} ", ln)]
    n = len(entries(log / "data"))
    assert len(lines) == n and f"— {n} hoạt động" in table.stdout
    assert any(re.match(r"24/08/2023 kết quả  dich_thuat\s+\[trang_bd_tu_phap=93, ", ln)
               for ln in lines)
    low = sum(ln[42] == "?" for ln in lines)  # after the 22 characters of the category
    assert low > 0
    assert f"đoán chưa chắc (lĩnh vực hoặc số liệu): {low} hoạt động" in table.stderr
    summary = table.stderr
    assert "kỳ từ ngày 24/8 - 31/8/2023 (đọc từ tiêu đề" in summary
    assert re.search(r"sẽ ghi \d+ hoạt động: tham_muu_ubnd \d+", summary)
    assert "bỏ qua: " in summary and "nơi nhận, chữ ký" in summary
    assert run("import", str(docx_path), "--format", "csv").exit_code == 2


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


@pytest.mark.parametrize("spelling", ["CBCCVC", "CBCVVC"])
def test_both_spellings_of_the_delegation_sentence_are_recognised(
        log: Path, tmp_path: Path, spelling: str) -> None:
    """The shipped sentence says "CBCCVC"; the real reports (seed 003) write "CBCVVC"."""
    text = tmp_path / "bc.txt"
    text.write_text("BÁO CÁO\nKết quả công tác đối ngoại\nTừ ngày 24/8 - 31/8/2023\n\n"
                    "I. KẾT QUẢ THỰC HIỆN\n\n"
                    f"- Tham mưu tỉnh làm thủ tục cho 07 đoàn với 14 lượt {spelling} đi công tác "
                    "nước ngoài.\n", "utf-8")
    result = run("import", str(text))
    assert result.exit_code == 0, result.output
    [entry] = entries(log / "data")
    assert entry["metrics"] == {"doan_ra": 7, "luot_ra": 14}


def test_the_shipped_sentence_says_cbccvc_and_the_seed_example_keeps_its_own() -> None:
    from ngoaivu_cli.config import load_config

    shipped = load_config(None).categories["doan_ra_doan_vao"].stats[0].text
    assert "lượt CBCCVC đi công tác" in shipped and "CBCVVC" not in shipped
    example = (ROOT / "examples" / "cong-van-nhiem-ky" / "ngoaivu.yaml").read_text("utf-8")
    assert "CBCVVC" in example  # the letter reproduces seed 003 as written


def test_stray_words_after_a_figure_are_named_not_fatal(log: Path, tmp_path: Path) -> None:
    """A sentence a copy garbled after a figure is still recognised: the figure next to the
    words that match is kept, the stray words are named in the summary, and no bullet is left
    holding the pieces of the sentence."""
    text = tmp_path / "bc.txt"
    text.write_text("BÁO CÁO\nKết quả công tác đối ngoại\nTừ ngày 24/8 - 31/8/2023\n\n"
                    "I. KẾT QUẢ THỰC HIỆN\n\n"
                    "- Tham mưu tỉnh làm thủ tục cho 07 đoàn với 14 lượt CBCVVC đi công tác "
                    "nước ngoài; tổ chức đón tiếp 03 đoàn với 25 12 với lượt khách quốc tế.\n",
                    "utf-8")
    result = run("import", str(text))
    assert result.exit_code == 0, result.output
    [entry] = entries(log / "data")
    assert entry["metrics"] == {"doan_ra": 7, "luot_ra": 14, "doan_vao": 3, "luot_khach": 25}
    assert "chữ thừa sau số 25 “12 với”" in result.output
    assert "đoán chưa chắc (lĩnh vực hoặc số liệu): 1" in result.output  # for review


OWN_TYPES = {
    # report type: (example folder or None for the shipped log, report arguments, bullets that
    # come back under another category or split (measured, docs/nhap-bao-cao.md))
    "bao_cao_tuan": (None, ["--period", "2023-08-24:2023-08-31"], 1),
    "thong_tin_doi_ngoai_thang": (None, ["--period", "tháng 01/2021"], 1),
    "bao_cao_dinh_ky": (None, ["--period", "quý III/2023"], 0),
    "cong_van_nghi_quyet_hdnd": (EXAMPLES / "cong-van-nhiem-ky",
                                 ["--period", "từ đầu nhiệm kỳ đến nay", "--today", "2022-08-15"],
                                 2),
    "ke_hoach_nam": (EXAMPLES / "ke-hoach-nam", ["--period", "năm 2018", "--date", "2018-02-05"],
                     0),
}


@pytest.mark.parametrize("type_key", list(OWN_TYPES))
def test_own_docx_round_trips_to_the_same_entries(type_key: str, tmp_path: Path, clean_env: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shipped report type (and the two examples'), written by ngoaivu and imported into
    an empty log: each entry the DOCX shows comes back with its category, status and figures
    (the same measure as the seeds'), and nothing comes back that no entry said: not the
    section's "Không có nội dung phát sinh.", not a fixed sentence of the configuration, not
    the static text of documents/."""
    example, args, misses = OWN_TYPES[type_key]
    source = example or ROOT
    out = tmp_path / f"{type_key}.docx"
    monkeypatch.chdir(source)
    made = run("report", *args, "--type", type_key, "-o", str(out))
    assert made.exit_code == 0, made.output
    when = yaml.safe_load(run("period", *args[1:], "--format", "json").stdout)
    root = tmp_path / "log"
    (root / "data").mkdir(parents=True)
    if example is not None:
        shutil.copy(example / "ngoaivu.yaml", root / "ngoaivu.yaml")
        if (example / "documents").is_dir():
            shutil.copytree(example / "documents", root / "documents")
    monkeypatch.chdir(root)
    result = run("import", str(out))
    assert result.exit_code == 0, result.output
    text = _key(" ".join(report_words(out)))
    hand = [e for e in entries(source / "data")
            if ("so-lieu" in (e.get("tags") or [])  # type: ignore[operator]
                and when["start"] <= str(e["date"]) <= when["end"])
            or "so-lieu" not in (e.get("tags") or []) and _key(e["summary"]) in text]  # type: ignore[operator]
    got = entries(root / "data")
    good, n = agreement(hand, got)
    print(f"{type_key}: agreement {good}/{n}")
    assert good >= n - misses, (good, n)
    said = [_key(h["summary"]) for h in hand]
    invented = [g["summary"] for g in got if "so-lieu" not in (g.get("tags") or [])  # type: ignore[operator]
                and not any(_key(g["summary"]) in k or k in _key(g["summary"]) for k in said)]
    assert not invented
    assert run("validate").exit_code == 0


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
    assert len(entries(log / "data")) > 20  # good.docx was imported


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


def test_word_footnotes_of_own_docx_come_back(tmp_path: Path, clean_env: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The công văn of examples/cong-van-nhiem-ky has two real Word footnotes: imported, they
    are the ``footnote`` of the entries holding their references, as the hand-made log has."""
    example = EXAMPLES / "cong-van-nhiem-ky"
    root = tmp_path / "log"
    (root / "data").mkdir(parents=True)
    shutil.copy(example / "ngoaivu.yaml", root / "ngoaivu.yaml")
    shutil.copytree(example / "documents", root / "documents")
    out = tmp_path / "cong-van.docx"
    monkeypatch.chdir(example)
    result = run("report", "--period", "từ đầu nhiệm kỳ đến nay", "--today", "2022-08-15",
                 "--type", "cong_van_nghi_quyet_hdnd", "-o", str(out))
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(root)
    result = run("import", str(out))
    assert result.exit_code == 0, result.output

    def notes(es: list[dict[str, object]]) -> list[str]:
        return sorted(" ".join(str(e["footnote"]).split()) for e in es if e.get("footnote"))

    assert notes(entries(root / "data")) == notes(entries(example / "data"))
    assert len(notes(entries(root / "data"))) == 2
    # the first reference sits inside its paragraph ("... của Lào[^]. Tháng 6/2022, ...")
    anchored = [e for e in entries(root / "data") if "[^]" in str(e["summary"])]
    assert any("các tỉnh của Lào[^]. Tháng 6/2022" in str(e["summary"]) for e in anchored)
    assert run("validate").exit_code == 0
