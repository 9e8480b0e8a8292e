"""``ngoaivu serve --git``: each change is one commit of exactly its files, by the author given
at start-up, with a Vietnamese message; no hook, filter, fsmonitor or signing program of the
repository ever runs; a failed commit loses no file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("flask")

from ngoaivu_cli.errors import UsageError  # noqa: E402
from tests.test_web import FORM, OLD_REPORT, Browser, add, key_of, seen_of, text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AUTHOR = "Nguyễn Văn A <a@songoaivu.gov.vn>"


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NGOAIVU_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "data")
    git(tmp_path, "-c", "user.name=Khởi tạo", "-c", "user.email=k@x", "commit", "-qm", "đầu")
    return tmp_path


def served(root: Path, **kw: object) -> Browser:
    from ngoaivu_cli.web.app import create_app

    return Browser(create_app(root, git=True, **kw))  # type: ignore[arg-type]


def commits(root: Path) -> list[str]:
    return git(root, "log", "--format=%an <%ae>|%s").splitlines()


def files_of(root: Path, rev: str = "HEAD") -> list[str]:
    return git(root, "show", "--name-status", "--format=", rev).split("\n")[:-1]


def test_each_change_is_one_commit_of_its_files(repo: Path) -> None:
    (repo / "ghi-chu.txt").write_text("không phải của ngoaivu\n", encoding="utf-8")
    (repo / "data" / "2023" / "08" / "dang-sua.yaml").write_text("# đang sửa\n", "utf-8")
    git(repo, "add", "data/2023/08/dang-sua.yaml")  # staged by the user: stays staged
    b = served(repo, author=AUTHOR)
    key = key_of(add(b))
    first = commits(repo)[0]
    assert first.startswith(f"{AUTHOR}|Thêm hoạt động 2023-08-28: Dịch tài liệu hội thảo")
    (added,) = files_of(repo)
    assert added.startswith("A\tdata/2023/08/2023-08-28-dich-tai-lieu-hoi-thao")
    # edit
    form = b.get(f"/sua/{key}")
    b.post(f"/sua/{key}", {**FORM, "summary": "Dịch tài liệu hội nghị", "seen": seen_of(form)})
    assert commits(repo)[0] == f"{AUTHOR}|Sửa hoạt động 2023-08-28: Dịch tài liệu hội nghị"
    assert len(files_of(repo)) == 1
    # delete: `git rm`'s commit, the file in history, restored from there
    ask = b.get(f"/xoa/{key}")
    path = repo / added.split("\t")[1]
    gone = b.post(f"/xoa/{key}", {"seen": seen_of(ask)})
    assert gone.status_code == 302 and not path.exists()
    assert commits(repo)[0].startswith(f"{AUTHOR}|Xóa hoạt động 2023-08-28")
    assert files_of(repo) == [f"D\t{added.split(chr(9))[1]}"]
    assert not (repo / ".ngoaivu-trash").exists()
    trash = text(b.get(gone.headers["Location"]))
    found = re.search(r"/thung-rac/git/([0-9a-f]{16})/khoi-phuc", trash)
    assert found and "git rm" in trash
    back = b.post(f"/thung-rac/git/{found[1]}/khoi-phuc")
    assert back.status_code == 302 and "hội nghị" in path.read_text("utf-8")
    assert commits(repo)[0].startswith(f"{AUTHOR}|Khôi phục hoạt động 2023-08-28")
    # nothing else was ever committed or unstaged
    status = git(repo, "status", "--porcelain").splitlines()
    assert sorted(status) == ["?? ghi-chu.txt", "?? schema/",  # the editor schema `new` writes
                              "A  data/2023/08/dang-sua.yaml"]
    assert len(commits(repo)) == 5


def test_import_is_one_commit(repo: Path) -> None:
    import io

    b = served(repo, author=AUTHOR)
    b.get("/nhap")
    page = text(b.post("/nhap", {"tep": (io.BytesIO(OLD_REPORT.encode()), "bao-cao-cu.txt")},
                       content_type="multipart/form-data"))
    token = re.search(r'name="tep_id" value="([^"]+)"', page)
    assert token
    b.post("/nhap", {"tep_id": token[1]})
    assert commits(repo)[0] == f"{AUTHOR}|Nhập 2 hoạt động từ bao-cao-cu.txt"


def test_the_author_from_the_repository_or_a_clear_refusal(repo: Path) -> None:
    from ngoaivu_cli.web.app import create_app

    with pytest.raises(UsageError, match="tác giả"):
        create_app(repo, git=True)
    git(repo, "config", "user.name", "Trần Thị B")
    git(repo, "config", "user.email", "b@x.vn")
    b = served(repo)
    add(b)
    assert commits(repo)[0].startswith("Trần Thị B <b@x.vn>|Thêm hoạt động")
    with pytest.raises(UsageError, match="Tên <email>"):
        create_app(repo, git=True, author="không có email")
    shutil.rmtree(repo / ".git")
    with pytest.raises(UsageError, match="không phải kho git"):
        create_app(repo, git=True, author=AUTHOR)
    with pytest.raises(UsageError, match="--author chỉ dùng cùng --git"):
        create_app(repo, author=AUTHOR)


def test_serve_refuses_to_start_without_an_author(repo: Path) -> None:
    from click.testing import CliRunner

    from ngoaivu_cli.cli import main

    result = CliRunner().invoke(main, ["serve", str(repo), "--git", "--no-browser"])
    assert result.exit_code == 2 and "tác giả" in result.output
    assert "Traceback" not in result.output


def test_no_program_of_the_repository_runs(repo: Path, tmp_path_factory: pytest.TempPathFactory
                                           ) -> None:
    """A pre-commit (and every other) hook, core.hooksPath, core.fsmonitor, commit.gpgSign with
    gpg.program, a clean/smudge filter and a textconv in .gitattributes: none runs."""
    marks = tmp_path_factory.mktemp("marks")
    program = marks / "ran.sh"
    program.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marks}/ran.txt\ncat\n", "utf-8")
    program.chmod(0o755)
    hooks = repo / ".git" / "hooks"
    for name in ("pre-commit", "commit-msg", "post-commit", "prepare-commit-msg",
                 "reference-transaction", "post-index-change", "pre-auto-gc"):
        (hooks / name).write_text(f"#!/bin/sh\necho {name} >> {marks}/ran.txt\n", "utf-8")
        (hooks / name).chmod(0o755)
    other = marks / "hooks"
    shutil.copytree(hooks, other)
    for key, value in (("core.hooksPath", str(other)), ("core.fsmonitor", str(program)),
                       ("commit.gpgSign", "true"), ("gpg.program", str(program)),
                       ("filter.evil.clean", str(program)), ("filter.evil.smudge", str(program)),
                       ("filter.evil.process", str(program)), ("filter.evil.required", "true"),
                       ("diff.evil.textconv", str(program)), ("core.pager", str(program)),
                       ("user.name", "Kho"), ("user.email", "kho@x")):
        git(repo, "config", key, value)
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n", encoding="utf-8")
    b = served(repo, author=AUTHOR)
    key = key_of(add(b))
    ask = b.get(f"/xoa/{key}")
    b.post(f"/xoa/{key}", {"seen": seen_of(ask)})
    assert not (marks / "ran.txt").exists()
    assert [c.split("|")[1].split(" ")[0] for c in commits(repo)[:2]] == ["Xóa", "Thêm"]
    shown = git(repo, "-c", "core.hooksPath=/dev/null", "cat-file", "-p", "HEAD")
    assert "gpgsig" not in shown


def test_a_failed_commit_loses_no_file(repo: Path) -> None:
    b = served(repo, author=AUTHOR)
    lock = repo / ".git" / "HEAD.lock"  # git holds HEAD: update-ref fails
    lock.write_text("", encoding="utf-8")
    response = add(b)
    assert response.status_code == 302
    key = key_of(response)
    page = text(b.get(response.headers["Location"]))
    assert "chưa commit được vào git" in page
    (path,) = (repo / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    assert "Dịch tài liệu hội thảo" in path.read_text("utf-8")
    assert len(commits(repo)) == 1
    lock.unlink()
    git(repo, "add", str(path))
    git(repo, "-c", "user.name=Tay", "-c", "user.email=t@x", "commit", "-qm", "tay")
    lock.write_text("", encoding="utf-8")
    ask = b.get(f"/xoa/{key}")
    gone = b.post(f"/xoa/{key}", {"seen": seen_of(ask)})
    assert "chưa commit được" in text(b.get(gone.headers["Location"]))
    assert list((repo / ".ngoaivu-trash").rglob("*.yaml"))  # the trash copy is kept


def test_deleting_a_file_never_committed_keeps_it_in_the_trash(repo: Path) -> None:
    """Nothing in history to restore it from: the trash folder keeps it."""
    b = served(repo, author=AUTHOR)
    (repo / "data" / "2023" / "08" / "2023-08-29-chua-commit.yaml").write_text(
        "date: 2023-08-29\ncategory: dich_thuat\nsummary: Chưa commit\n", encoding="utf-8")
    from ngoaivu_cli.web.app import entry_id

    key = entry_id(Path("2023/08/2023-08-29-chua-commit.yaml"))
    ask = b.get(f"/xoa/{key}")
    b.post(f"/xoa/{key}", {"seen": seen_of(ask)})
    assert [p.name for p in (repo / ".ngoaivu-trash").rglob("*.yaml")] == [
        "2023-08-29-chua-commit.yaml"]


def test_serve_says_it_commits_and_as_whom(repo: Path) -> None:
    from ngoaivu_cli.web import server

    said: list[str] = []
    made = server.make_server(repo, git=True, author=AUTHOR)
    made.close()

    class Stop(Exception):
        pass

    def run() -> None:
        raise Stop

    import unittest.mock

    with unittest.mock.patch.object(server, "make_server", lambda root, **kw: made), \
            unittest.mock.patch.object(made, "run", run), pytest.raises(Stop):
        server.serve(repo, git=True, author=AUTHOR, open_browser=False, say=said.append)
    assert any(f"commit của {AUTHOR}" in line for line in said)
