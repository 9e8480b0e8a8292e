"""The hostile-repository suite, issue 23.6 and 23.7: nothing a repository holds is skipped in
silence, and no shape of its folders ends in an internal error.

A folder link under ``data/`` (the log's or a source's, leading out or to a folder inside the
log) was left out without a word (``validate`` 0 errors, its entries missing from reports); a
``ngoaivu.yaml`` that is a FIFO, a device or a dangling link was passed over for a parent
folder's log or the shipped default; a source written ``path: ~`` was dropped; a ``data/``
1,100 folders deep was a RecursionError. Each case runs the real command in a bounded
subprocess (``tests.test_hostile_repo.run``, which also fails on any traceback).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.test_hostile_repo import REPO_ROOT, WEEK, make_repo, run

REPORT = ["report", "--period", WEEK, "--format", "md", "-o", "-"]
MONTH_REPORT = ["report", "--period", "tháng 8/2023", "--format", "md", "-o", "-"]


def _move_month_out(repo: Path, where: Path) -> None:
    """data/2023/08 moved to ``where`` and linked back in its place."""
    shutil.move(str(repo / "data" / "2023" / "08"), str(where))
    (repo / "data" / "2023" / "08").symlink_to(where, target_is_directory=True)


@pytest.mark.parametrize("target", ["inside", "outside"])
def test_a_folder_link_under_data_is_an_error(tmp_path: Path, target: str):
    """data/2023/08 -> a folder inside the log (``khac/``) or outside it: never followed, and
    an E-LINK-FOLDER error at the link, so validate fails and no report leaves its entries
    out."""
    repo = make_repo(tmp_path)
    where = repo / "khac" if target == "inside" else tmp_path / "khac"
    _move_month_out(repo, where)
    proc = run(repo, "validate", timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "data/2023/08:1:1: error E-LINK-FOLDER" in proc.stdout
    assert "liên kết tượng trưng (symlink)" in proc.stdout
    assert "= gợi ý: thay liên kết bằng thư mục thật" in proc.stdout
    for args in (REPORT, MONTH_REPORT, ["list", "--period", WEEK]):
        for _ in range(2):  # the second time from the caches and digests of the first
            out = run(repo, *args, timeout=60)
            assert out.returncode == 1, (args, out.stdout, out.stderr)
            assert "data/2023/08:1:1: error E-LINK-FOLDER" in out.stderr, args


def test_a_folder_link_in_an_earlier_month_fails_the_year_to_date(tmp_path: Path):
    """A link inside data/2023/03 is not in the month's window but in its "từ đầu năm"
    figures (read from folder digests): the report fails the first time and every time after
    (the digest of data/2023/03 does not leave the link out)."""
    repo = make_repo(tmp_path)
    march = repo / "data" / "2023" / "03"
    march.mkdir()
    (march / "2023-03-11-nhat.yaml").write_text(
        "date: 2023-03-11\ncategory: doan_ra_doan_vao\nsummary: Đón đoàn Nhật Bản.\n"
        "metrics: {doan_vao: 1, luot_khach: 3}\n", "utf-8")
    other = tmp_path / "khac"
    other.mkdir()
    (other / "2023-03-10-lao.yaml").write_text(
        "date: 2023-03-10\ncategory: doan_ra_doan_vao\nsummary: Đón đoàn Lào.\n"
        "metrics: {doan_vao: 1, luot_khach: 5}\n", "utf-8")
    (march / "them").symlink_to(other, target_is_directory=True)
    for _ in range(3):
        proc = run(repo, *MONTH_REPORT, timeout=60)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "data/2023/03/them:1:1: error E-LINK-FOLDER" in proc.stderr


def test_a_folder_link_in_a_source_is_an_error(tmp_path: Path):
    repo = make_repo(tmp_path, entries=False)
    (repo / "ngoaivu.yaml").write_text(
        "sources:\n  - name: Sở Công Thương\n    path: ../sct\n", "utf-8")
    sct = tmp_path / "sct"
    shutil.copytree(REPO_ROOT / "data" / "2023" / "08", sct / "khac")
    (sct / "data" / "2023").mkdir(parents=True)
    (sct / "data" / "2023" / "08").symlink_to(sct / "khac", target_is_directory=True)
    for args in (["validate"], REPORT):
        proc = run(repo, *args, timeout=60)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, out
        assert "../sct/data/2023/08:1:1: error E-LINK-FOLDER" in out
        assert "nguồn “Sở Công Thương”: thư mục là liên kết tượng trưng" in out


@pytest.mark.parametrize("kind", ["fifo", "device", "dangling", "folder"])
def test_a_configuration_that_is_no_file_is_an_error(tmp_path: Path, kind: str):
    """A repository's ngoaivu.yaml that cannot be read is that repository's error, not a
    reason to use a parent folder's log (whose ngoaivu.yaml names other sources) or the
    shipped default."""
    parent = tmp_path / "cha"
    repo = make_repo(parent)
    (parent / "ngoaivu.yaml").write_text("agency:\n  name: Cơ quan CHA\n", "utf-8")
    config = repo / "ngoaivu.yaml"
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "device":
        config.symlink_to(os.devnull)
    elif kind == "dangling":
        config.symlink_to("khong-co.yaml")
    else:
        config.mkdir()
    for args in (["validate"], REPORT):
        proc = run(repo, *args, timeout=30)
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        assert "ngoaivu.yaml:1:1: error E-CONFIG-READ" in proc.stderr, proc.stderr
        assert "cha/ngoaivu.yaml" not in proc.stderr
        assert "tệp này là cấu hình của kho" in proc.stderr
    if kind == "dangling":
        assert "trỏ tới một tệp không có (khong-co.yaml)" in proc.stderr
    else:
        assert "không phải tệp thường" in proc.stderr


@pytest.mark.parametrize("written", ["~", "null", "", "flow"])
def test_a_source_without_a_path_is_an_error(tmp_path: Path, written: str):
    repo = make_repo(tmp_path)
    value = f" {written}" if written else ""
    if written == "flow":
        (repo / "ngoaivu.yaml").write_text(
            "sources:\n  - {name: Sở Công Thương, path: ~}\n", "utf-8")
        where = "ngoaivu.yaml:2:34: error E-CONFIG-PATH"
    else:
        (repo / "ngoaivu.yaml").write_text(
            f"sources:\n  - name: Sở Công Thương\n    path:{value}\n", "utf-8")
        where = "ngoaivu.yaml:3:" if not written else "ngoaivu.yaml:3:11: error E-CONFIG-PATH"
    for args in (["validate"], REPORT):
        proc = run(repo, *args, timeout=60)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, (args, out)
        assert where in out and "E-CONFIG-PATH" in out, out
        assert "sources[0].path: đường dẫn nguồn để trống" in out


def _remove_chain(folder: Path) -> None:
    """Remove ``folder``/a/a/.../a bottom up: ``shutil.rmtree`` is a recursion in Python 3.11,
    and pytest's own clean-up of old temporary folders (shared by every session on the
    machine) would end in RecursionError on such a tree."""
    here = os.getcwd()
    try:
        os.chdir(folder)
        depth = 0
        while os.path.isdir("a"):
            os.chdir("a")
            depth += 1
        for name in os.listdir("."):
            os.unlink(name)
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("a")
    finally:
        os.chdir(here)


def test_a_data_tree_a_thousand_folders_deep(tmp_path: Path):
    """data/a/a/.../a, 1,100 deep, with an entry at the bottom: a clear E-FOLDER-DEPTH
    error (the walks were recursions: "Lỗi nội bộ: RecursionError"), with and without the
    caches, and in a source too."""
    repo = make_repo(tmp_path, entries=False)
    here = os.getcwd()
    try:
        try:
            os.chdir(repo / "data")
            for _ in range(1100):  # relative steps: the full path is longer than PATH_MAX
                os.mkdir("a")
                os.chdir("a")
            Path("2023-08-25-sau.yaml").write_text(
                "date: 2023-08-25\ncategory: doan_ra_doan_vao\nsummary: Rất sâu.\n", "utf-8")
        finally:
            os.chdir(here)
        deep = "data" + "/a" * 65 + ":1:1: error E-FOLDER-DEPTH"
        for env in ({}, {"NGOAIVU_NO_CACHE": "1"}, {}):
            proc = run(repo, "validate", env=env, timeout=60)
            assert proc.returncode == 1, proc.stdout + proc.stderr
            assert deep in proc.stdout
            assert "thư mục lồng quá sâu (hơn 64 cấp dưới data/)" in proc.stdout
            report = run(repo, *REPORT, env=env, timeout=60)
            assert report.returncode == 1 and deep in report.stderr
        main = make_repo(tmp_path / "so", entries=False)
        (main / "ngoaivu.yaml").write_text(
            f"sources:\n  - name: Sở Công Thương\n    path: {repo}\n", "utf-8")
        proc = run(main, "validate", timeout=60)
        assert proc.returncode == 1 and "E-FOLDER-DEPTH" in proc.stdout
    finally:
        _remove_chain(repo / "data")
