"""The parse cache and the memo of ``validate`` (ngoaivu_cli/log/cache.py) never change a result:
cold, warm and uncached runs agree exactly; an edited file is read again; corrupt, foreign or
unwritable cache files are ignored; runs in parallel leave a valid cache."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ngoaivu_cli.cli import main
from ngoaivu_cli.config import load_config
from ngoaivu_cli.errors import SourceLoc
from ngoaivu_cli.log import cache as cache_mod
from ngoaivu_cli.log import replay as replay_mod
from ngoaivu_cli.log.cache import CACHE_DIR, ParseCache, open_cache
from ngoaivu_cli.log.loader import LoadResult, load_text
from ngoaivu_cli.log.replay import seal, unseal
from ngoaivu_cli.logcheck import validate_paths
from ngoaivu_cli.selection import load_window

REPO = Path(__file__).resolve().parents[1]
INVALID = REPO / "tests" / "data" / "invalid"

pytestmark = pytest.mark.usefixtures("clean_env")

# block lists and comments: not the simple form, so these are the files the cache keeps
COMPLEX = """\
# họp
date: "2023-08-{day:02d}"
category: {category}
summary: "{summary}"
partners:
  - Lào
  - Thái Lan
metrics:
  doan_ra: 1
"""
SIMPLE = 'date: "2023-08-{day:02d}"\ncategory: chu_tri_hop\nsummary: "{summary}"\n'


def make_log(root: Path) -> Path:
    data = root / "data" / "2023" / "08"
    data.mkdir(parents=True)
    for day in range(1, 11):
        (data / f"2023-08-{day:02d}-phuc-tap.yaml").write_text(
            COMPLEX.format(day=day, category="doan_ra_doan_vao",
                           summary=f"Đón đoàn số {day}"), "utf-8")
        (data / f"2023-08-{day:02d}-don-gian.yaml").write_text(
            SIMPLE.format(day=day, summary=f"Họp lần {day}"), "utf-8")
    (data / "2023-08-11-loi.yaml").write_text(  # errors, in the complex form
        COMPLEX.format(day=12, category="khong_co", summary="Sai") + "tags:\n  - [a]\n", "utf-8")
    (data / "2023-08-12-cu-phap.yaml").write_text("date: 2023-08-12\n  category: x\n", "utf-8")
    (data / "ghi chu.yaml").write_text(SIMPLE.format(day=13, summary="Tên sai"), "utf-8")
    return root


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_log(tmp_path / "log")
    monkeypatch.chdir(root)
    # files written a moment ago are "racy" (see replay.RACY_NS): trust them in these tests,
    # except in the test of that rule itself
    monkeypatch.setattr(replay_mod, "RACY_NS", 0)
    return root


def run_validate(root: Path) -> list[str]:
    """`ngoaivu validate` in ``root`` (the working folder): its output lines, which the replay
    of the last output (log/replay.py) and the parse cache must never change."""
    assert Path.cwd() == root
    result = CliRunner().invoke(main, ["validate"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout.splitlines()


def uncached(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as m:
        m.setenv("NGOAIVU_NO_CACHE", "1")
        return run_validate(root)


def test_cold_warm_and_uncached_runs_agree(log: Path, reads: list[str],
                                            monkeypatch: pytest.MonkeyPatch):
    expected = uncached(log, monkeypatch)
    assert any("E-UNKNOWN-CATEGORY" in line for line in expected)
    assert any("E-YAML-SYNTAX" in line for line in expected)
    reads.clear()
    assert run_validate(log) == expected  # cold: fills the cache
    assert len(reads) == 23
    reads.clear()
    assert run_validate(log) == expected  # warm, nothing changed: the last result, replayed
    assert reads == []
    assert (log / CACHE_DIR / ".gitignore").read_text().endswith("*\n")
    assert (log / CACHE_DIR / "CACHEDIR.TAG").is_file()


def test_unchanged_complex_files_come_from_the_cache(log: Path, reads: list[str],
                                                     monkeypatch: pytest.MonkeyPatch):
    run_validate(log)
    simple = log / "data/2023/08/2023-08-03-don-gian.yaml"
    simple.write_text(SIMPLE.format(day=3, summary="Họp lần ba"), "utf-8")
    reads.clear()
    warm = run_validate(log)
    # the complex files without errors are not read again; the simple form always is
    assert not any(name.endswith("phuc-tap.yaml") for name in reads)
    assert "2023-08-03-don-gian.yaml" in reads
    assert warm == uncached(log, monkeypatch)


@pytest.mark.parametrize("keep_size", [False, True])
def test_an_edited_file_shows_its_new_problems(log: Path, monkeypatch: pytest.MonkeyPatch,
                                               keep_size: bool):
    path = log / "data/2023/08/2023-08-05-phuc-tap.yaml"
    before = run_validate(log)
    assert not any("2023-08-05-phuc-tap" in line for line in before)
    old = path.read_text("utf-8")
    new = old.replace("doan_ra_doan_vao", "doan_ra_doan_vaX" if keep_size else "sai_linh_vuc")
    st = path.stat()
    path.write_text(new, "utf-8")
    if keep_size:  # same size and the old modification time: the change time still differs
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = run_validate(log)
    assert any("2023-08-05-phuc-tap.yaml:3:11: error E-UNKNOWN-CATEGORY" in line for line in after)
    assert after == uncached(log, monkeypatch)
    path.write_text(old, "utf-8")
    assert run_validate(log) == before


def test_a_removed_or_added_file_changes_the_result(log: Path, monkeypatch: pytest.MonkeyPatch):
    run_validate(log)
    (log / "data/2023/08/2023-08-11-loi.yaml").unlink()
    (log / "data/2023/08/2023-08-20-moi.yaml").write_text("date: 2023-08-20\n", "utf-8")
    after = run_validate(log)
    assert not any("2023-08-11-loi" in line for line in after)
    assert any("2023-08-20-moi.yaml" in line and "E-MISSING-FIELD" in line for line in after)
    assert after == uncached(log, monkeypatch)


def test_every_error_fixture_gives_the_same_problems_cold_warm_and_uncached(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]):
    root = tmp_path / "log"
    for folder in sorted(INVALID.iterdir()):
        if folder.is_dir():
            shutil.copytree(folder, root / "data" / folder.name,
                            ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(root)
    monkeypatch.setattr(replay_mod, "RACY_NS", 0)
    expected = uncached(root, monkeypatch)
    assert len(expected) > 20
    assert run_validate(root) == expected  # cold
    assert run_validate(root) == expected  # memo
    for memo in (root / CACHE_DIR).glob("validate-*.json"):
        memo.unlink()
    reads.clear()
    assert run_validate(root) == expected  # from the parse cache, files by files
    assert len(reads) < len(list((root / "data").rglob("*.y*ml")))


def test_reports_read_the_same_entries_from_the_cache(log: Path):
    import datetime as dt

    bad = log / "data/2023/08"
    for name in ("2023-08-11-loi.yaml", "2023-08-12-cu-phap.yaml"):
        (bad / name).unlink()
    config = load_config(cwd=log)
    first = load_window(config, dt.date(2023, 8, 1), dt.date(2023, 8, 31))
    second = load_window(config, dt.date(2023, 8, 1), dt.date(2023, 8, 31))
    assert [(e, e.positions) for e in first.entries] == [(e, e.positions) for e in second.entries]
    assert len(first.entries) == 21


def test_fresh_files_are_not_trusted_by_their_timestamps(log: Path, reads: list[str],
                                                         monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(replay_mod, "RACY_NS", 3600 * 10**9)  # every file is "just written"
    first = run_validate(log)
    reads.clear()
    assert run_validate(log) == first
    assert reads, "a result over files that may change within their timestamp tick is replayed"
    cached = ParseCache(log / CACHE_DIR)
    path = log / "data/2023/08/2023-08-02-phuc-tap.yaml"
    shown = "data/2023/08/2023-08-02-phuc-tap.yaml"
    assert cached.get(path, shown) is not None  # a racy record, checked by its digest
    group, name = cached._group_of(path)
    group.records[name][5] ^= 1  # as if the bytes had changed within the same tick
    assert cached.get(path, shown) is None


GARBAGE = [b"", b"{", b"\x00\xff\xfe garbage", b"[]", b'{"format": 999}', b"null",
           b'{"format": 1, "code": "x", "folder": "/", "files": {}}',
           b"{\"format\": 1, \"files\": {\"a.yaml\": [1, 2, 3]}}"]


def _payload(path: Path) -> bytes:
    """The JSON of a cache file, whose signature must be this user's."""
    payload = unseal(path.read_bytes())
    assert payload is not None, path
    return payload


@pytest.mark.parametrize("garbage", GARBAGE)
def test_corrupt_or_foreign_cache_files_are_ignored_and_rebuilt(log: Path, garbage: bytes,
                                                                monkeypatch: pytest.MonkeyPatch):
    expected = run_validate(log)
    files = sorted((log / CACHE_DIR).glob("*.json"))
    assert files
    for path in files:
        path.write_bytes(garbage)
    assert run_validate(log) == expected
    assert run_validate(log) == expected
    for path in sorted((log / CACHE_DIR).glob("*.json")):
        json.loads(_payload(path))  # rewritten whole, signed


def test_records_with_the_wrong_shape_are_misses(log: Path, monkeypatch: pytest.MonkeyPatch):
    run_validate(log)
    for path in (log / CACHE_DIR).glob("*.json"):
        data = json.loads(_payload(path))
        if "files" in data:
            for record in data["files"].values():
                record[7] = [["not", "an", "entry"]]
            path.write_bytes(seal(json.dumps(data).encode()))  # signed: only the shape is wrong
    for path in (log / CACHE_DIR).glob("validate-*.json"):
        path.unlink()
    assert run_validate(log) == uncached(log, monkeypatch)


def test_no_cache_when_turned_off_or_outside_a_log(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    root = make_log(tmp_path / "log")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    run_validate(root)
    assert not (root / CACHE_DIR).exists()
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "0")
    assert open_cache(root) is not None
    assert open_cache(tmp_path) is None  # no data/ and no ngoaivu.yaml: not a log


def test_files_outside_the_log_are_not_cached(log: Path, tmp_path: Path):
    other = make_log(tmp_path / "other")
    config = load_config(cwd=log)
    validate_paths([other / "data"], config, log)
    assert not (log / CACHE_DIR).exists()
    assert not (other / CACHE_DIR).exists()


def test_an_unwritable_cache_folder_only_makes_runs_slower(log: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    (log / CACHE_DIR).write_text("not a folder", "utf-8")
    assert run_validate(log) == uncached(log, monkeypatch)
    assert run_validate(log) == uncached(log, monkeypatch)


def test_an_interrupted_cache_write_leaves_the_old_cache_file(log: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    expected = run_validate(log)
    before = {p: p.read_bytes() for p in (log / CACHE_DIR).glob("*.json")}
    (log / "data/2023/08/2023-08-01-phuc-tap.yaml").write_text(
        COMPLEX.format(day=1, category="sai", summary="Sửa"), "utf-8")

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_mod.os, "replace", crash)
    changed = run_validate(log)
    assert changed != expected
    assert {p: p.read_bytes() for p in (log / CACHE_DIR).glob("*.json")} == before
    assert not list((log / CACHE_DIR).glob(".tmp-*"))
    monkeypatch.undo()
    monkeypatch.chdir(log)
    assert run_validate(log) == changed


def test_parallel_runs_agree_and_leave_a_valid_cache(tmp_path: Path, clean_env: Path):
    root = make_log(tmp_path / "log")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGOAIVU_")}
    env.update(HOME=str(clean_env), PYTHONIOENCODING="utf-8")
    cmd = [sys.executable, "-m", "ngoaivu_cli", "validate"]
    expected = subprocess.run(cmd, cwd=root, env={**env, "NGOAIVU_NO_CACHE": "1"},
                              capture_output=True, text=True).stdout
    for _round in range(2):
        procs = [subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        outputs = [p.communicate(timeout=120) for p in procs]
        assert [out for out, _err in outputs] == [expected] * 4
        assert all(err == "" for _out, err in outputs)
    for path in (root / CACHE_DIR).glob("*.json"):  # signed by the subprocesses' key
        head, _nl, payload = path.read_bytes().partition(b"\n")
        assert head.startswith(b"ngoaivu-cache-v1 ")
        json.loads(payload)
    assert not list((root / CACHE_DIR).glob(".tmp-*"))


def test_entries_and_problems_round_trip_exactly():
    text = ("# x\ndate: 2023-08-01\ncategory: lanh_su\nsummary: Đón đoàn\nend: 2023-08-03\n"
            "unit: HTQT\nstatus: planned\nfootnote: Ghi chú\ntags:\n  - a\n  - [b]\n"
            "metrics2: 1\nmetrics:\n  gio_phien_dich: 1.5e15\n  luot_ra: 12\n  x: 1.0\n"
            "unit: LSBG\n")
    result = load_text(text, "data/x.yaml")
    assert [p.code for p in result.problems] == ["E-DUP-KEY", "E-TYPE", "E-UNKNOWN-FIELD"]
    encoded = cache_mod._encode("data/x.yaml", result)
    assert encoded is not None
    back = cache_mod._decode("data/x.yaml", *json.loads(json.dumps(encoded)))
    assert back.entries == result.entries and back.problems == result.problems
    assert [e.positions for e in back.entries] == [e.positions for e in result.entries]
    metrics = dict(back.entries[0].metrics)
    assert isinstance(metrics["luot_ra"], int) and isinstance(metrics["x"], float)
    assert math.isclose(metrics["gio_phien_dich"], 1.5e15)
    foreign = LoadResult(problems=[result.problems[0].__class__(SourceLoc("other.yaml"), "E-X", "m")])
    assert cache_mod._encode("data/x.yaml", foreign) is None  # not this file's own result
