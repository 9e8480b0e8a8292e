"""The hostile-repository suite, writes: no write of the tool ever follows a folder link.

A cloned log may hold ``data/2023/08 -> /elsewhere``, ``schema -> /elsewhere``, a committed
``bao-cao -> /elsewhere`` or a ``.ngoaivu-cache`` linked to a folder of the log itself. Every
write resolves each component of its path under the log's root and refuses a link there,
whether it leads out of the log or to another folder inside it (a clear error naming the link,
exit 1; the cache, only a speed-up, is then not used). A path the user gives with
``-o``/``--out`` outside the log may go through the user's own links, but the file itself is
never written through a link. Writes are atomic: SIGTERM leaves no temporary file, parallel
runs write one file, and ``--force`` never replaces a file that changed during the write.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.test_hostile_repo import REPO_ROOT, WEEK, make_repo, run

NEW = ("new", "--date", "2023-08-28", "--category", "tham_muu_tinh_uy", "--unit", "VPTTr",
       "--summary", "Tham mưu Thường trực Tỉnh ủy")


def files_in(folder: Path) -> list[str]:
    """Every name under ``folder`` (links not followed), relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _link(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(target, link.parent), target_is_directory=True)


@pytest.fixture(params=["outside", "inside"])
def elsewhere(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A folder a link points to: out of the log, or another folder of the log itself."""
    folder = (tmp_path / "elsewhere" if request.param == "outside"
              else tmp_path / "repo" / "kho-khac")
    folder.mkdir(parents=True)
    return folder


def _refused(proc: subprocess.CompletedProcess[str], link: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "liên kết tượng trưng" in proc.stderr and link in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- new


def test_new_never_writes_through_a_month_folder_link(tmp_path: Path, elsewhere: Path):
    repo = make_repo(tmp_path, entries=False)
    _link(repo / "data" / "2023" / "08", elsewhere)
    proc = run(repo, *NEW)
    _refused(proc, "data/2023/08")
    assert files_in(elsewhere) == []
    assert not (repo / "schema").exists()  # nothing written at all


def test_new_never_writes_through_a_data_folder_link(tmp_path: Path, elsewhere: Path):
    repo = make_repo(tmp_path, entries=False)
    (repo / "data").rmdir()
    _link(repo / "data", elsewhere)
    proc = run(repo, *NEW)
    _refused(proc, "data")
    assert files_in(elsewhere) == []


def test_new_never_writes_the_schema_through_a_link(tmp_path: Path, elsewhere: Path):
    repo = make_repo(tmp_path, entries=False)
    _link(repo / "schema", elsewhere)
    proc = run(repo, *NEW)
    _refused(proc, "schema")
    assert files_in(elsewhere) == []
    assert files_in(repo / "data") == []  # refused before the entry is written


def test_import_never_writes_through_a_folder_link_inside_the_log(tmp_path: Path):
    repo = make_repo(tmp_path, entries=False)
    inner = repo / "kho-khac"
    inner.mkdir()
    _link(repo / "data" / "2023", inner)
    proc = run(repo, "import", str(REPO_ROOT / "tests" / "data" / "reference"
                                   / "002_74a1004a2910add5.txt"))
    _refused(proc, "data/2023")
    assert files_in(inner) == []


# --------------------------------------------------------------------------- reports


@pytest.mark.parametrize("command", [
    ("report", "--period", WEEK, "--format", "md", "-o", "bao-cao/tuan.md"),
    ("report", "--period", WEEK, "--format", "md", "-o", "bao-cao/moi/tuan.md"),
    ("batch", "--period", "tháng 8/2023", "--format", "md", "--out", "bao-cao"),
    ("batch", "--period", "tháng 8/2023", "--format", "md", "--out", "bao-cao/2023"),
    ("schema", "-o", "bao-cao/entry.schema.json"),
])
def test_outputs_never_go_through_a_committed_link(tmp_path: Path, elsewhere: Path,
                                                  command: tuple[str, ...]):
    repo = make_repo(tmp_path)
    _link(repo / "bao-cao", elsewhere)
    proc = run(repo, *command)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "liên kết tượng trưng" in proc.stdout + proc.stderr
    assert "bao-cao" in proc.stdout + proc.stderr
    assert files_in(elsewhere) == []


def test_outputs_through_the_users_own_links_outside_the_log(tmp_path: Path):
    """-o given by the user outside the log may go through the user's links (their own file
    system); the file itself is never written through a link, and a user link that leads
    back into the log meets the log's rule."""
    repo = make_repo(tmp_path)
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "desk").symlink_to(reports, target_is_directory=True)
    proc = run(repo, "report", "--period", WEEK, "--format", "md",
               "-o", str(tmp_path / "desk" / "tuan.md"))
    assert proc.returncode == 0, proc.stderr
    assert (reports / "tuan.md").is_file()
    # the user's link to the log, then a committed link inside it: refused
    victim = tmp_path / "victim"
    victim.mkdir()
    _link(repo / "bao-cao", victim)
    (tmp_path / "kho").symlink_to(repo, target_is_directory=True)
    proc = run(repo, "report", "--period", WEEK, "--format", "md",
               "-o", str(tmp_path / "kho" / "bao-cao" / "tuan.md"))
    _refused(proc, "bao-cao")
    assert files_in(victim) == []
    proc = run(repo, "batch", "--period", "tháng 8/2023", "--format", "md",
               "--out", str(tmp_path / "kho" / "bao-cao"))
    assert proc.returncode == 1 and "liên kết tượng trưng" in proc.stdout
    assert files_in(victim) == []


# --------------------------------------------------------------------------- the cache


@pytest.mark.parametrize("target", [".", "data", "templates", ".git", "data/2023"])
def test_a_cache_folder_linked_inside_the_log_writes_nothing(tmp_path: Path, target: str):
    """.ngoaivu-cache -> data (or the root, templates/, .git) would get a `.gitignore` holding
    `*` and a CACHEDIR.TAG there: git would then ignore every new entry without a word."""
    repo = make_repo(tmp_path)
    for folder in ("templates", ".git"):
        (repo / folder).mkdir()
    before = files_in(repo)
    (repo / ".ngoaivu-cache").symlink_to(target, target_is_directory=True)
    time.sleep(2.1)  # files younger than 2 s are never cached: make this run want to cache
    for cmd in (["validate"], ["validate"], ["report", "--period", WEEK, "--format", "md",
                                             "-o", "-"]):
        proc = run(repo, *cmd)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert files_in(repo) == sorted([*before, ".ngoaivu-cache"])


# --------------------------------------------------------------------------- atomic writes

_HOOKED = textwrap.dedent("""
    import os, sys, time
    real_fsync = os.fsync
    def hook(fd):
        {hook}
        real_fsync(fd)
    os.fsync = hook
    from ngoaivu_cli.cli import main
    sys.argv = ["ngoaivu", *sys.argv[1:]]
    main()
""")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGOAIVU_")}
    env.update(HOME=str(tmp_path / "home"), PYTHONPATH=str(REPO_ROOT), NGOAIVU_NO_CACHE="1")
    return env


def _temporaries(folder: Path) -> list[str]:
    return [p for p in files_in(folder) if "tmp" in Path(p).name]


@pytest.mark.parametrize("command", [
    ("report", "--period", WEEK, "--format", "md", "-o", "tuan.md"),
    NEW,
])
def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path: Path,
                                                         command: tuple[str, ...]):
    repo = make_repo(tmp_path, entries=command[0] == "report")
    marker = tmp_path / "writing"
    hook = f"open({str(marker)!r}, 'w').close(); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", _HOOKED.format(hook=hook), *command],
                            cwd=repo, env=_env(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while not marker.exists():  # the temporary file is written, not yet renamed
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    assert _temporaries(repo)  # there is one now
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM, (proc.returncode, err)
    assert "Traceback" not in err
    assert _temporaries(repo) == []
    assert not (repo / "tuan.md").exists()
    if command[0] == "new":
        assert not list((repo / "data").rglob("*.yaml"))


def test_force_never_replaces_a_file_that_changed_during_the_write(tmp_path: Path):
    repo = make_repo(tmp_path)
    target = repo / "tuan.md"
    target.write_text("bản cũ\n", "utf-8")
    # another program saves the file while the report is being written
    hook = f"open({str(target)!r}, 'w').write('bản người khác vừa lưu\\n')"
    proc = subprocess.run([sys.executable, "-c", _HOOKED.format(hook=hook), "report",
                           "--period", WEEK, "--format", "md", "-o", "tuan.md", "--force"],
                          cwd=repo, env=_env(tmp_path), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "tuan.md" in proc.stderr and "thay đổi" in proc.stderr, proc.stderr
    assert target.read_text("utf-8") == "bản người khác vừa lưu\n"
    assert _temporaries(repo) == []


# every run starts at once (each waits for the file "go") and takes 3 s to write its file, so
# that all have checked the log for a duplicate before the first file appears
_BARRIER = textwrap.dedent("""
    import os, sys, time
    real_fsync = os.fsync
    def slow(fd):
        time.sleep(3)
        real_fsync(fd)
    os.fsync = slow
    from ngoaivu_cli.cli import main
    go = sys.argv.pop(1)
    while not os.path.exists(go):
        time.sleep(0.01)
    sys.argv = ["ngoaivu", *sys.argv[1:]]
    main()
""")


def test_twenty_parallel_new_with_the_same_content_write_one_file(tmp_path: Path):
    repo = make_repo(tmp_path, entries=False)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _BARRIER, str(go), *NEW], cwd=repo,
                              env=_env(tmp_path), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(20)]
    time.sleep(3)  # every process has imported the tool and waits
    go.touch()
    outputs = [p.communicate(timeout=240) for p in procs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs, strict=True)]
    written = sorted((repo / "data").rglob("*.yaml"))
    assert [p.name for p in written] == ["2023-08-28-tham-muu-thuong-truc-tinh-uy.yaml"]
    assert "Tham mưu Thường trực Tỉnh ủy" in written[0].read_text("utf-8")
    assert sum(1 for code, _o, _e in results if code == 0) == 1, results
    losers = [err for code, _o, err in results if code != 0]
    assert len(losers) == 19 and all("trùng với" in err for err in losers), losers
    assert _temporaries(repo) == []
