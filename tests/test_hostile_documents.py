"""The hostile-repository suite, documents: what ``import``, ``check``, the DOCX writer and PDF
are given may be small and describe something huge.

Every document is built here (zipfile and XML strings). Each case runs the real command in a
subprocess under ``RLIMIT_AS`` and a wall-clock bound (:func:`tests.test_hostile_repo.run`), so
a regression fails instead of hanging: a count taken from the document is bounded, every stage
has a time limit, every child process group is ended, and ``import`` writes only what
``validate`` accepts.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
import zipfile
from pathlib import Path

import pytest

from tests.test_hostile_repo import REPO_ROOT, WEEK, make_repo, run

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
HEAD = ["BÁO CÁO", "Kết quả công tác đối ngoại", "Từ ngày 24/8 - 31/8/2023",
        "I. KẾT QUẢ THỰC HIỆN"]
GOOD = "- Tham mưu Thường trực Tỉnh ủy về công tác đối ngoại."
ROOT_RELS = (f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" '
             f'Type="{R_NS}/officeDocument" Target="word/document.xml"/></Relationships>')


def _zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _paras(texts: list[str]) -> str:
    from xml.sax.saxutils import escape

    return "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p>'
                   for t in texts)


def _docx(path: Path, body: str, parts: dict[str, str] | None = None) -> Path:
    """A Word package whose body is ``body`` (XML), with more parts (``word/...``)."""
    document = (f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}</w:body>'
                "</w:document>")
    return _zip(path, {"[Content_Types].xml": "<Types/>", "_rels/.rels": ROOT_RELS,
                       "word/document.xml": document, **(parts or {})})


def _odt(path: Path, paragraphs: str) -> Path:
    content = (f'<office:document-content xmlns:office="{OFFICE_NS}" xmlns:text="{TEXT_NS}">'
               f"<office:body><office:text>{paragraphs}</office:text></office:body>"
               "</office:document-content>")
    return _zip(path, {"mimetype": "application/vnd.oasis.opendocument.text",
                       "content.xml": content})


def _entries(repo: Path) -> list[Path]:
    return sorted((repo / "data").rglob("*.yaml"))


def _validate_clean(repo: Path) -> None:
    """What import wrote is a log ``validate`` accepts."""
    proc = run(repo, "validate", timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


# --------------------------------------------------------------------------- import: counts


@pytest.mark.parametrize("count", ["2000000000", "1e9", "-5", "abc"])
def test_odt_repeated_space_is_one_space(tmp_path: Path, count: str):
    """``<text:s text:c="2000000000"/>`` (537 bytes) took 2 GB and ended in "Lỗi nội bộ";
    ``text:c="1e9"`` was a ValueError. Spaces are collapsed anyway: any count is one."""
    repo = make_repo(tmp_path, entries=False)
    head = "".join(f"<text:p>{t}</text:p>" for t in HEAD)
    doc = _odt(tmp_path / "bc.odt", head + "<text:p>- Tham mưu Thường trực"
               f'<text:s text:c="{count}"/>Tỉnh ủy về công tác đối ngoại.</text:p>')
    assert doc.stat().st_size < 1000
    proc = run(repo, "import", str(doc), timeout=60)
    assert proc.returncode == 0, proc.stderr
    [entry] = _entries(repo)
    assert "Tham mưu Thường trực Tỉnh ủy về công tác đối ngoại" in entry.read_text("utf-8")
    _validate_clean(repo)


def test_forty_thousand_footnote_references_are_refused_at_once(tmp_path: Path):
    """A 37 KB DOCX, 40,000 footnote references in one paragraph: measuring each reference's
    place was quadratic (over 180 s). A paragraph has at most a few hundred; the document
    is refused by name, quickly, and the good one of the same run is imported."""
    repo = make_repo(tmp_path, entries=False)
    refs = '<w:r><w:t xml:space="preserve">ab </w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
    body = _paras(HEAD) + f"<w:p><w:r><w:t>- Tham mưu Tỉnh ủy.</w:t></w:r>{refs * 40000}</w:p>"
    notes = (f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r><w:t>'
             + "Chú thích dài. " * 50 + "</w:t></w:r></w:p></w:footnote></w:footnotes>")
    rels = (f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId9" '
            f'Type="{R_NS}/footnotes" Target="footnotes.xml"/></Relationships>')
    bad = _docx(tmp_path / "chu-thich.docx", body, {"word/footnotes.xml": notes,
                                   "word/_rels/document.xml.rels": rels})
    assert bad.stat().st_size < 100_000
    good = tmp_path / "good.txt"
    good.write_text("\n\n".join(HEAD + [GOOD]), "utf-8")
    start = time.monotonic()
    proc = run(repo, "import", str(bad), str(good), timeout=120)
    assert time.monotonic() - start < 60
    assert proc.returncode == 1, proc.stderr
    assert f"Lỗi: {bad}: một đoạn văn có quá nhiều chú thích" in proc.stderr, proc.stderr
    assert len(_entries(repo)) == 1
    _validate_clean(repo)


def test_one_footnote_referred_to_many_times_is_placed_once(tmp_path: Path):
    """150 references to one long footnote: it is the entry's footnote once, not 150 times
    (which made an entry file ``validate`` refuses for its size)."""
    repo = make_repo(tmp_path, entries=False)
    refs = '<w:r><w:footnoteReference w:id="1"/></w:r>' * 150
    body = _paras(HEAD) + f"<w:p><w:r><w:t>- Tham mưu Tỉnh ủy về đối ngoại.</w:t></w:r>{refs}</w:p>"
    notes = (f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r><w:t>'
             + "Chú thích dài. " * 600 + "</w:t></w:r></w:p></w:footnote></w:footnotes>")
    rels = (f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId9" '
            f'Type="{R_NS}/footnotes" Target="footnotes.xml"/></Relationships>')
    doc = _docx(tmp_path / "bc.docx", body, {"word/footnotes.xml": notes,
                                   "word/_rels/document.xml.rels": rels})
    proc = run(repo, "import", str(doc), timeout=60)
    assert proc.returncode == 0, proc.stderr
    [entry] = _entries(repo)
    assert entry.read_text("utf-8").count("Chú thích dài.") == 600
    _validate_clean(repo)


# --------------------------------------------------------------------------- import: validate


def test_import_writes_only_what_validate_accepts(tmp_path: Path):
    """A 5 MB paragraph, a bullet in TCVN3 (legacy encoding): today they became files that
    ``validate`` refuses, with import's exit status 0. Each is refused by name (exit 1), the
    other bullets of the document are written, and the log stays valid."""
    repo = make_repo(tmp_path, entries=False)
    huge = "- Tham mưu " + "Thường trực Tỉnh ủy " * 260_000 + "."
    bullets = [GOOD, huge, "- B¸o c¸o Th\u00adêng trùc TØnh ñy vÒ c«ng t¸c ®èi ngo¹i.",
               "- Phối hợp tổ chức đón đoàn công tác của tỉnh Xiêng Khoảng."]
    doc = _docx(tmp_path / "bc.docx", _paras(HEAD + bullets))
    proc = run(repo, "import", str(doc), timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "không ghi 2 hoạt động mà `ngoaivu validate` sẽ từ chối" in proc.stderr, proc.stderr
    assert "hoạt động quá dài" in proc.stderr and "E-LEGACY-ENCODING" in proc.stderr
    assert "2 hoạt động không ghi (validate sẽ từ chối)" in proc.stderr
    text = "".join(p.read_text("utf-8") for p in _entries(repo))
    assert "Tham mưu Thường trực Tỉnh ủy về công tác đối ngoại" in text
    assert "Xiêng Khoảng" in text
    _validate_clean(repo)


def test_twenty_thousand_paragraphs_become_files_validate_reads(tmp_path: Path):
    """19,990 bullets of one day were one 2 MB file (E-FILE-SIZE in validate, import exit 0):
    the day's entries are cut into files under the size of an entry file."""
    repo = make_repo(tmp_path, entries=False)
    text = "\n\n".join(HEAD + [f"- Tham mưu Thường trực Tỉnh ủy về công tác đối ngoại số {i}."
                               for i in range(19_990)])
    doc = tmp_path / "dai.txt"
    doc.write_text(text, "utf-8")
    proc = run(repo, "import", str(doc), timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    files = _entries(repo)
    assert len(files) > 1
    assert all(f.stat().st_size < 1_000_000 for f in files)
    assert sum(f.read_text("utf-8").count("- date:") for f in files) == 19_990
    _validate_clean(repo)


def test_control_characters_and_utf16(tmp_path: Path):
    """C1 control characters (a wrong code page) were written and refused by validate; a
    UTF-16 .txt with its BOM (Notepad's "Unicode") was refused as binary because the NUL
    check ran before the UTF-16 branch."""
    repo = make_repo(tmp_path, entries=False)
    c1 = tmp_path / "c1.txt"
    c1.write_text("\n\n".join(HEAD + ["- Tham mưu Thường trực\x85 Tỉnh ủy về \x9b công tác "
                                      "đối ngoại."]), "utf-8")
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes("\r\n\r\n".join(HEAD + ["- Phối hợp tổ chức đón đoàn Xiêng Khoảng."])
                      .encode("utf-16"))
    proc = run(repo, "import", str(c1), str(utf16), timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = "".join(p.read_text("utf-8") for p in _entries(repo))
    assert "Xiêng Khoảng" in text and "Tham mưu Thường trực Tỉnh ủy" in text
    _validate_clean(repo)


# --------------------------------------------------------------------------- check


def test_check_reads_a_part_once_however_many_relationships_point_at_it(tmp_path: Path):
    """A 13 KB DOCX whose 3,000 relationships point at one header of 2,000 paragraphs: the
    header was read 3,000 times (minutes, then MemoryError under 1.5 GB: "Lỗi nội bộ")."""
    repo = make_repo(tmp_path, entries=False)
    header = f'<w:hdr xmlns:w="{W_NS}">' + _paras(["Đầu trang " * 20] * 2000) + "</w:hdr>"
    rels = (f'<Relationships xmlns="{PKG_RELS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{R_NS}/header" Target="header1.xml"/>'
                      for i in range(3000)) + "</Relationships>")
    doc = _docx(repo / "dau-trang.docx", _paras(HEAD) + "<w:sectPr/>",
                {"word/header1.xml": header, "word/_rels/document.xml.rels": rels})
    assert doc.stat().st_size < 40_000
    start = time.monotonic()
    proc = run(repo, "check", "--no-schema", "dau-trang.docx", timeout=120)
    assert time.monotonic() - start < 60
    assert proc.returncode == 1
    assert proc.stdout.startswith("dau-trang.docx: "), proc.stdout[:500]
    assert "ND30-FONT" in proc.stdout


@pytest.mark.parametrize("value", ["1e999", "inf", "-inf", "nan", "9" * 5000])
def test_check_of_an_absurd_measure_names_the_file(tmp_path: Path, value: str):
    """``w:sz="1e999"``, ``inf`` or 5,000 digits: OverflowError ("Lỗi nội bộ", no file named)."""
    repo = make_repo(tmp_path, entries=False)
    body = (f'<w:p><w:r><w:rPr><w:sz w:val="{value}"/></w:rPr><w:t>BÁO CÁO</w:t></w:r></w:p>')
    _docx(repo / "co-chu.docx", body)
    proc = run(repo, "check", "--no-schema", "co-chu.docx", timeout=60)
    assert proc.returncode == 1
    assert "co-chu.docx: lỗi: giá trị «" in proc.stdout, proc.stdout + proc.stderr
    assert "của w:sz không phải số đo dùng được" in proc.stdout


# --------------------------------------------------------------------------- DOCX writer


def test_docx_post_processing_is_under_the_time_limit(tmp_path: Path):
    """A 1 MB template with 400,000 styles: the fill took 1 s, putting every style's
    properties in schema order 12 s more, and post-processing had no limit (43 s seen). The
    whole of writing the DOCX is under the render's limit: a clear error naming the
    template, well before the wall-clock bound."""
    repo = make_repo(tmp_path)
    shipped = zipfile.ZipFile(REPO_ROOT / "templates" / "van-ban.docx")
    members: dict[str, str | bytes] = {name: shipped.read(name) for name in shipped.namelist()}
    styles = shipped.read("word/styles.xml").decode()
    extra = "".join(f'<w:style w:type="character" w:styleId="X{i}"><w:rPr><w:sz w:val="20"/>'
                    "<w:i/><w:b/></w:rPr></w:style>" for i in range(400_000))
    members["word/styles.xml"] = styles.replace("</w:styles>", extra + "</w:styles>")
    (repo / "templates").mkdir()
    _zip(repo / "templates" / "van-ban.docx", members)
    start = time.monotonic()
    # the render's limit at 3 s, so that a fast machine (CI) still reaches it: the fill alone
    # takes about a second, the post-processing many more
    proc = run(repo, "report", "--period", WEEK, "--format", "docx", "-o", "out.docx",
               timeout=240, setup="import ngoaivu_cli.sandbox\nngoaivu_cli.sandbox.TIME_LIMIT = 3.0\n")
    assert proc.returncode == 1, proc.stderr
    assert "templates/van-ban.docx" in proc.stderr and "quá 3 giây" in proc.stderr, proc.stderr
    assert not (repo / "out.docx").exists()
    assert time.monotonic() - start < 120


# --------------------------------------------------------------------------- PDF

def _fake_soffice(folder: Path, pids: Path, *, hang: bool) -> Path:
    """A ``soffice`` that starts a child which outlives it (as soffice.bin did) and either
    hangs or writes the PDF and exits."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "soffice"
    write = 'for a; do prev="$cur"; cur="$a"; [ "$prev" = --outdir ] && out="$a"; done\n' \
            'printf "%%PDF-1.4\\n%%%%EOF\\n" > "$out/bao-cao.pdf"\n'
    script.write_text("#!/bin/sh\n"
                      f"sleep 300 &\necho $! >> {pids}\necho $$ >> {pids}\n"
                      + ("wait\n" if hang else write + "exit 0\n"), "utf-8")
    script.chmod(0o755)
    return script


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z")


def _all_gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 10
    while not all(_gone(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return all(_gone(p) for p in pids)


@pytest.mark.parametrize("hang", [True, False])
def test_pdf_ends_libreoffice_s_whole_process_group(tmp_path: Path, hang: bool):
    """``report --format pdf``: at the timeout LibreOffice's whole process group is killed,
    not only ``soffice`` (soffice.bin kept a CPU busy after the 180 s); and what it leaves
    running after a normal exit is ended too."""
    repo = make_repo(tmp_path)
    pids = tmp_path / "pids"
    script = _fake_soffice(tmp_path / "bin", pids, hang=hang)
    start = time.monotonic()
    proc = run(repo, "report", "--period", WEEK, "--format", "pdf", "-o", "out.pdf",
               env={"NGOAIVU_SOFFICE": str(script)}, timeout=60,
               setup="import ngoaivu_cli.render.pdf\nngoaivu_cli.render.pdf.TIMEOUT_SECONDS = 3\n")
    assert "Traceback" not in proc.stderr and "Lỗi nội bộ" not in proc.stderr, proc.stderr
    started = [int(p) for p in pids.read_text().split()]
    try:
        assert len(started) == 2
        if hang:
            assert proc.returncode == 1
            assert "LibreOffice không chuyển xong sang PDF sau 3 giây" in proc.stderr, proc.stderr
            assert time.monotonic() - start < 30
        else:
            assert proc.returncode == 0, proc.stderr
            assert (repo / "out.pdf").read_bytes().startswith(b"%PDF")
        assert _all_gone(started), started
    finally:
        for pid in started:
            if not _gone(pid):
                os.kill(pid, 9)


# --------------------------------------------------------------------------- documents/

PERIOD = ["--period", "từ đầu nhiệm kỳ đến nay", "--today", "2022-08-15",
          "--type", "cong_van_nghi_quyet_hdnd", "--format", "md", "-o", "-"]


def _example(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "examples" / "cong-van-nhiem-ky", repo)
    (tmp_path / "home").mkdir()
    (repo / "documents" / "nguyen-nhan.yaml").unlink()
    return repo


def _make(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    elif kind == "device":
        try:
            os.mknod(path, 0o600 | 0o020000, os.makedev(1, 3))  # a character device: null
        except PermissionError:
            pytest.skip("making a device file needs privileges")


@pytest.mark.parametrize(("kind", "said"), [
    ("fifo", "là một FIFO (ống đặt tên), không phải tệp thường"),
    ("loop", "là một vòng liên kết tượng trưng (symlink trỏ vào chính nó)"),
    ("socket", "là một socket, không phải tệp thường"),
    ("device", "là một tệp thiết bị, không phải tệp thường"),
])
def test_report_names_a_special_document_for_what_it_is(tmp_path: Path, kind: str, said: str):
    """A ``documents/`` FIFO, device, socket or link to itself: report said the document does
    not exist (and offered the same name as a guess); validate said "No such device or
    address" for a socket."""
    repo = _example(tmp_path)
    _make(repo / "documents" / "nguyen-nhan.yaml", kind)
    proc = run(repo, "report", *PERIOD, timeout=60)
    assert proc.returncode == 1
    assert f"tài liệu `nguyen-nhan` (documents/nguyen-nhan.yaml) {said}" in proc.stderr, \
        proc.stderr
    proc = run(repo, "validate", timeout=60)
    assert proc.returncode == 1
    assert f"documents/nguyen-nhan.yaml:1:1: error E-READ: -: tài liệu {said}" in proc.stdout, \
        proc.stdout
    assert "No such device" not in proc.stdout + proc.stderr


def test_control_characters_in_a_document_are_flagged(tmp_path: Path):
    """``"\\x1b[31m"`` or ``\\x1c`` in an item, a label, a footnote or the title were
    stripped or printed; they are E-TEXT-CONTROL, at their line."""
    repo = _example(tmp_path)
    (repo / "documents" / "nguyen-nhan.yaml").write_text(
        'title: "Nguyên nhân\\x07"\nstyle: numbered\nitems:\n'
        '  - "\\x1cKhó khăn về kinh phí."\n'
        '  - text: "Thiếu cán bộ\\x1b[31m."\n    label: "Sở\\x85 Nội vụ"\n'
        '    footnote: "Theo\\x9b báo cáo."\n', "utf-8")
    proc = run(repo, "validate", timeout=60)
    assert proc.returncode == 1
    for line, field in ((1, "title"), (4, "items[0]"), (5, "items[1].text"),
                        (6, "items[1].label"), (7, "items[1].footnote")):
        assert (f"documents/nguyen-nhan.yaml:{line}:" in proc.stdout
                and f"E-TEXT-CONTROL: {field}: chữ chứa ký tự điều khiển" in proc.stdout), \
            (field, proc.stdout)
    assert "\x1b" not in proc.stdout
    proc = run(repo, "report", *PERIOD, timeout=60)
    assert proc.returncode == 1
    assert "E-TEXT-CONTROL" in proc.stdout + proc.stderr


def test_the_size_of_a_huge_document_reads_well(tmp_path: Path):
    """"(3.221.225.472 byte. giới hạn 1.000.000)": the thousands separator replaced the
    sentence's comma too."""
    repo = _example(tmp_path)
    with open(repo / "documents" / "nguyen-nhan.yaml", "wb") as fh:
        fh.truncate(3 * 1024 ** 3)  # sparse
    proc = run(repo, "validate", timeout=60)
    assert proc.returncode == 1
    assert ("tệp quá lớn (3.221.225.472 byte; loại tệp này tối đa 1.000.000 byte)"
            in proc.stdout), proc.stdout
