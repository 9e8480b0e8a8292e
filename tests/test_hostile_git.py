"""The hostile-repository suite, issue 23.1: ``ngoaivu status`` never runs a program a source's
repository names, never fetches, and never waits on it.

A source that is a partial clone (``extensions.partialClone``, or a ``remote.*.promisor`` in
its ``.git/config`` or in a file that includes) whose tree is missing made ``git log`` fetch it
from the promisor remote, running its ``ext::`` URL or its ``uploadpack`` (the repository's
``protocol.ext.allow`` beat the tool's ``protocol.allow=never``); a FIFO where git reads cost
10 s per source; a child git left behind outlived the timeout. Every case uses a real ``git``
and a marker file that any program run would create.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_hostile_repo import make_repo, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

COMMITTED = "2023-08-26T08:00:00+07:00"
STATUS = ["status", "--period", "tháng 8/2023", "--type", "bao_cao_tuan", "--today",
          "2023-08-29"]
NOTE = "  Lưu ý: Sở Công Thương: không đọc lịch sử git: "


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_COMMITTER_DATE": COMMITTED, "GIT_AUTHOR_DATE": COMMITTED}
    return subprocess.run(["git", "-C", str(folder), *args], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def with_git_source(tmp_path: Path) -> tuple[Path, Path]:
    """The Sở's log with one source, ../sct, a git repository whose data/ was committed at
    :data:`COMMITTED` (its objects loose, as after a first commit)."""
    repo = make_repo(tmp_path)
    (repo / "ngoaivu.yaml").write_text(
        "sources:\n  - name: Sở Công Thương\n    path: ../sct\n"
        "report_types:\n  bao_cao_tuan:\n    deadline: 30\n", "utf-8")
    sct = tmp_path / "sct"
    (sct / "data" / "2023" / "08").mkdir(parents=True)
    (sct / "data" / "2023" / "08" / "2023-08-25-a.yaml").write_text(
        "date: 2023-08-25\ncategory: doan_ra_doan_vao\nsummary: Đón đoàn.\n", "utf-8")
    git(sct, "init", "-q")
    git(sct, "add", "-A")
    git(sct, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    return repo, sct


def drop_data_tree(sct: Path) -> None:
    """The tree of data/ removed, as in a partial clone (`git log -- data` needs it)."""
    tree = git(sct, "rev-parse", "HEAD:data")
    (sct / ".git" / "objects" / tree[:2] / tree[2:]).unlink()


def evil_script(tmp_path: Path, marker: Path) -> Path:
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", "utf-8")
    script.chmod(0o755)
    return script


def program_keys(script: Path) -> str:
    """Configuration naming ``script`` for every key that can run a program."""
    return (f"[core]\n\tpager = {script}\n\tfsmonitor = {script}\n\tsshCommand = {script}\n"
            f"\teditor = {script}\n\taskPass = {script}\n\talternateRefsCommand = {script}\n"
            f"\thooksPath = {script.parent}\n"
            f"[diff]\n\texternal = {script}\n[pager]\n\tlog = {script}\n"
            f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {script}\n"
            f"[gpg \"ssh\"]\n\tprogram = {script}\n[credential]\n\thelper = !{script}\n"
            f"[alias]\n\tlog = !{script}\n[mailmap]\n\tfile = {script}\n")


@pytest.mark.parametrize("how", ["ext", "uploadpack", "include"])
def test_a_partial_clone_never_fetches(tmp_path: Path, how: str):
    """A partial clone with its data/ tree missing: git would fetch it from the promisor
    remote, running the repository's command. ``status`` refuses it before git starts, says
    why, and nothing runs."""
    marker = tmp_path / "MARKER"
    repo, sct = with_git_source(tmp_path)
    drop_data_tree(sct)
    if how == "ext":
        git(sct, "config", "core.repositoryformatversion", "1")
        git(sct, "config", "extensions.partialClone", "origin")
        git(sct, "config", "remote.origin.promisor", "true")
        git(sct, "config", "remote.origin.url", f"ext::sh -c touch% {marker}")
        git(sct, "config", "protocol.ext.allow", "always")
        where = "`extensions.partialclone` trong .git/config"
    elif how == "uploadpack":
        origin = tmp_path / "goc"
        shutil.copytree(sct, origin)
        git(sct, "config", "core.repositoryformatversion", "1")
        git(sct, "config", "extensions.partialClone", "origin")
        git(sct, "config", "remote.origin.promisor", "true")
        git(sct, "config", "remote.origin.url", str(origin))
        git(sct, "config", "remote.origin.uploadpack", f"touch {marker}; git-upload-pack")
        git(sct, "config", "protocol.file.allow", "always")
        where = "`extensions.partialclone` trong .git/config"
    else:  # no extension at all: a promisor remote in a file the configuration includes
        (sct / "cau-hinh.inc").write_text(
            f"[remote \"x\"]\n\tpromisor = true\n\turl = ext::sh -c touch% {marker}\n"
            "[protocol \"ext\"]\n\tallow = always\n"
            + program_keys(evil_script(tmp_path, marker)), "utf-8")
        git(sct, "config", "include.path", "../cau-hinh.inc")
        where = "`remote.x.promisor` trong cau-hinh.inc"
    started = time.monotonic()
    proc = run(repo, *STATUS, timeout=60)
    assert not marker.exists()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (NOTE + f"kho git là bản sao một phần (partial clone: {where}): khi thiếu dữ "
            "liệu, git tự tải từ kho gốc và chạy lệnh mà kho khai báo; clone lại đầy đủ "
            "(không dùng --filter) để biết ngày commit") in proc.stdout, proc.stdout
    assert time.monotonic() - started < 9  # no git waited for
    again = run(repo, *STATUS, "--format", "json", timeout=60)
    assert not marker.exists()
    assert '"last_commit": null' in again.stdout and "partial clone" in again.stdout


def test_programs_named_in_an_included_file_never_run(tmp_path: Path):
    """include.path and includeIf lead to a file naming a program for every key that can run
    one: the overrides win over it, the date is read, nothing runs; once that file also
    makes a remote a promisor (the lazy fetch no key turns off), git is not run at all."""
    marker = tmp_path / "MARKER"
    repo, sct = with_git_source(tmp_path)
    included = tmp_path / "chung.inc"
    included.write_text(program_keys(evil_script(tmp_path, marker)), "utf-8")
    git(sct, "config", "include.path", str(included))
    git(sct, "config", f"includeIf.gitdir:{sct}/.path", str(included))
    proc = run(repo, *STATUS, "--format", "json", timeout=60)
    assert not marker.exists()
    assert proc.returncode == 0 and f'"last_commit": "{COMMITTED}"' in proc.stdout, proc.stdout
    with open(included, "a", encoding="utf-8") as fh:
        fh.write(f"[remote \"origin\"]\n\tpromisor\n\turl = ext::sh -c touch% {marker}\n"
                 "[protocol]\n\tallow = always\n")
    drop_data_tree(sct)
    proc = run(repo, *STATUS, timeout=60)
    assert not marker.exists()
    assert NOTE + "kho git là bản sao một phần (partial clone: `remote.origin.promisor` trong " \
        f"{included.as_posix()})" in proc.stdout, proc.stdout


def test_even_past_the_checks_git_fetches_nothing(tmp_path: Path, monkeypatch):
    """The environment alone stops the fetch (the checks before git are the first of two
    layers): with them skipped, and with ``GIT_NO_LAZY_FETCH`` unknown (git before 2.39.4),
    ``GIT_ALLOW_PROTOCOL`` still refuses every transport, whatever the repository allows."""
    from ngoaivu_cli import status

    marker = tmp_path / "MARKER"
    _repo, sct = with_git_source(tmp_path)
    drop_data_tree(sct)
    git(sct, "config", "remote.origin.promisor", "true")
    git(sct, "config", "remote.origin.url", f"ext::sh -c touch% {marker}")
    git(sct, "config", "protocol.ext.allow", "always")
    monkeypatch.setattr(status, "check_repository",
                        lambda root: status.Repository(root, root / ".git"))
    committed, note = status.last_commit(sct)
    assert committed is None and "kho thiếu dữ liệu mà ngoaivu không tải thêm" in note
    full = status.git_env()
    monkeypatch.setattr(status, "git_env",
                        lambda: {k: v for k, v in full.items() if k != "GIT_NO_LAZY_FETCH"})
    assert status.last_commit(sct)[0] is None
    assert not marker.exists()


SPECIAL_PLACES = ["config", "HEAD", "packed-refs", "objects/info/alternates",
                  "objects/info/commit-graph", "loose-object", "include", "dotgit", "commondir"]


@pytest.mark.parametrize("place", SPECIAL_PLACES)
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_special_files_in_git_are_refused_at_once(tmp_path: Path, place: str, kind: str):
    """A FIFO (git waits on it: 10 s per source, the timeout) or a device where git reads
    is refused before git starts, naming the file."""
    repo, sct = with_git_source(tmp_path)
    dot = sct / ".git"

    def special(path: Path) -> None:
        if path.is_dir():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")

    if place == "loose-object":
        tree = git(sct, "rev-parse", "HEAD:data")
        target, shown = dot / "objects" / tree[:2] / tree[2:], f".git/objects/{tree[:2]}/{tree[2:]}"
    elif place == "include":
        git(sct, "config", "include.path", "../chung.inc")
        target, shown = sct / "chung.inc", "chung.inc (tệp cấu hình git)"
    elif place == "dotgit":
        target, shown = dot, ".git"
    elif place == "commondir":
        target, shown = dot / "commondir", ""
    else:
        target, shown = dot / place, f".git/{place}"
    special(target)
    started = time.monotonic()
    proc = run(repo, *STATUS, timeout=60)
    took = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert took < 9, (took, proc.stdout)  # git waited on nothing (its timeout is 10 s)
    what = "một FIFO (ống đặt tên)" if kind == "fifo" else "một tệp thiết bị"
    if place == "dotgit":
        assert NOTE + f".git là {what}, không phải thư mục kho git" in proc.stdout, proc.stdout
    elif place == "commondir":
        assert NOTE + "không đọc được .git/commondir" in proc.stdout, proc.stdout
    else:
        assert NOTE + f"{shown} là {what}, không phải tệp thường" in proc.stdout, proc.stdout


def _dead(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie nobody reaps (no init in a container) has ended too
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].startswith(("Z", "X"))
    except OSError:
        return True


def test_git_and_its_children_end_at_the_timeout(tmp_path: Path, monkeypatch):
    """A git that hangs and has started a child of its own: at the timeout the whole process
    group ends, the child too (only git itself was killed before)."""
    from ngoaivu_cli import status

    _repo, sct = with_git_source(tmp_path)
    fake = tmp_path / "bin"
    fake.mkdir()
    pidfile = tmp_path / "child.pid"
    (fake / "git").write_text(
        "#!/bin/sh\n"
        'case " $* " in *" log "*) ;; *) exit 0 ;; esac\n'
        f"sleep 60 >/dev/null 2>&1 &\necho $! > {pidfile}\nexec sleep 60\n", "utf-8")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(status, "GIT_TIMEOUT", 1.0)
    started = time.monotonic()
    committed, note = status.last_commit(sct)
    assert time.monotonic() - started < 8
    assert committed is None
    assert note == "git không trả lời sau 1 giây (đã dừng git và mọi tiến trình con của nó)"
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while not _dead(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = not _dead(child)
    if alive:
        os.kill(child, 9)
    assert not alive, "git's child outlived the timeout"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to give the folder to another user")
def test_a_repository_of_another_user_is_not_run(tmp_path: Path):
    """git is given the repository explicitly (no discovery), so its own safe.directory
    refusal is kept by ngoaivu: a source owned by another user is not run."""
    repo, sct = with_git_source(tmp_path)
    os.chown(sct, 65534, 65534)
    proc = run(repo, *STATUS, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (NOTE + "thư mục của người dùng khác: ngoaivu không chạy git trên đó (như quy tắc "
            "safe.directory của git)") in proc.stdout, proc.stdout


def test_a_git_in_the_log_folder_is_never_run(tmp_path: Path):
    """A cloned log holding an executable ``git``, for a user whose PATH has ``.`` (or an
    empty entry): status runs the git of the PATH's absolute folders, not that one."""
    marker = tmp_path / "MARKER"
    repo, _sct = with_git_source(tmp_path)
    (repo / "git").write_text(f"#!/bin/sh\ntouch {marker}\n", "utf-8")
    (repo / "git").chmod(0o755)
    for path in (f".{os.pathsep}{os.environ['PATH']}", f"{os.pathsep}{os.environ['PATH']}"):
        proc = run(repo, *STATUS, "--format", "json", env={"PATH": path}, timeout=60)
        assert not marker.exists()
        assert proc.returncode == 0 and f'"last_commit": "{COMMITTED}"' in proc.stdout


def test_thousands_of_included_files_are_not_each_read(tmp_path: Path):
    """Each configuration file is read by one `git config`: a repository including 2,000
    files is refused after 64 of them, at once."""
    repo, sct = with_git_source(tmp_path)
    folder = sct / "inc"
    folder.mkdir()
    with open(sct / ".git" / "config", "a", encoding="utf-8") as fh:
        for i in range(2000):
            (folder / f"{i}.inc").write_text("[core]\n\tquotePath = true\n", "utf-8")
            fh.write(f"[include]\n\tpath = ../inc/{i}.inc\n")
    started = time.monotonic()
    proc = run(repo, *STATUS, timeout=60)
    assert time.monotonic() - started < 9
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert NOTE + "cấu hình git gộp (include) hơn 64 tệp, ngoaivu không kiểm tra hết được" \
        in proc.stdout, proc.stdout
