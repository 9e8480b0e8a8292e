"""``ngoaivu validate`` reads and checks the log a few files at a time (logcheck.ValidationRun):
what it prints must be exactly what checking the whole log at once gives (every problem, sorted,
capped per file, with excerpts), whatever the chunk size, and a hash collision in the duplicate
index must never make two different activities duplicates."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from ngoaivu_cli import logcheck
from ngoaivu_cli import validate as validate_mod
from ngoaivu_cli.config import load_config
from ngoaivu_cli.errors import Problem, cap_per_file
from ngoaivu_cli.locate import log_paths
from ngoaivu_cli.log.documents import FOLDER, check_documents
from ngoaivu_cli.log.loader import find_names, load_files, sort_names
from ngoaivu_cli.safeio import excerpt_lines
from ngoaivu_cli.validate import attach_excerpts, validate_entries

from .test_fuzz_validate import SUMMARIES, make_log

pytestmark = pytest.mark.usefixtures("clean_env")


def whole(root: Path) -> list[Problem]:
    """The problems of the log checked all at once, as validate did before it streamed."""
    config = load_config(cwd=root)
    names, walk = find_names(log_paths(root), None, root, root)
    docs, files = logcheck._split_documents([str(p) for p in sort_names(names)], root, FOLDER)
    loaded = load_files(files, root, None, root)
    problems = walk + loaded.problems + validate_entries(loaded.entries, config)
    problems += check_documents([Path(d) for d in docs], root, root)
    problems += logcheck.configuration_problems(config)
    from ngoaivu_cli.render.template_files import check_templates

    problems += check_templates(config, root)
    problems.sort(key=Problem.sort_key)
    return attach_excerpts(cap_per_file(problems), excerpt_lines(root, root))


def duplicated_log(root: Path) -> None:
    """Activities written twice, in files of other folders, in lists, in a file of the root,
    and a file beside a folder whose name sorts differently as a path and as a string."""
    rng = random.Random(7)
    for i in range(150):
        day = f"2023-0{rng.randint(1, 2)}-1{rng.randint(0, 2)}"
        folder = root / "data" / day[:4] / day[5:7]
        folder.mkdir(parents=True, exist_ok=True)
        entry = (f"date: {day}\ncategory: {rng.choice(['chu_tri_hop', 'lanh_su'])}\n"
                 f"summary: {rng.choice(SUMMARIES)}{rng.choice(['', '.', '  '])}\n")
        if i % 7 == 0:
            text = "- " + entry.replace("\n", "\n  ").rstrip() + "\n- " + entry.replace(
                "\n", "\n  ").rstrip() + "\n"
        else:
            text = entry
        (folder / f"{day}-hoat-dong-{i}.yaml").write_text(text, "utf-8")
    (root / "data" / "2023-01").mkdir()
    (root / "data" / "2023-01" / "2023-01-10-a.yaml").write_text(
        f"date: 2023-01-10\ncategory: chu_tri_hop\nsummary: {SUMMARIES[0]}\n", "utf-8")
    (root / "data" / "2023-01-10-b.yaml").write_text(
        f"date: 2023-01-10\ncategory: chu_tri_hop\nsummary: {SUMMARIES[0]}\n", "utf-8")


@pytest.mark.parametrize("chunk", [1, 7, 2000])
def test_the_stream_is_the_whole_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       chunk: int):
    root = tmp_path / "log"
    make_log(root, count=120)
    duplicated_log(root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    expected = whole(root)
    assert any(p.code == "E-DUPLICATE-ENTRY" for p in expected)
    monkeypatch.setattr(logcheck.ValidationRun, "CHUNK_ENTRIES", chunk)
    run = logcheck.ValidationRun(None, load_config(cwd=root), root)
    got = list(run)
    assert got == expected
    assert (run.errors, run.warnings) == (sum(p.is_error for p in expected),
                                         sum(not p.is_error for p in expected))
    assert run.files_with_problems == len({p.loc.path for p in expected})


def test_a_hash_collision_is_not_a_duplicate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Every activity given the same hash: the keys are compared, so only real duplicates
    are reported, each against its first occurrence."""
    root = tmp_path / "log"
    duplicated_log(root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    expected = whole(root)
    monkeypatch.setattr(validate_mod, "hash", lambda key: 42, raising=False)
    got = list(logcheck.ValidationRun(None, load_config(cwd=root), root))
    assert [p for p in got if p.code == "E-DUPLICATE-ENTRY"] == [
        p for p in expected if p.code == "E-DUPLICATE-ENTRY"]
    assert sum(p.code == "E-DUPLICATE-ENTRY" for p in got) > 10


def test_a_link_out_of_the_log_is_checked_where_it_is_shown(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    """A linked file is shown at the path it leads to, which sorts elsewhere: the stream reads
    it in that order."""
    root = tmp_path / "log"
    duplicated_log(root)
    outside = root / "aaa"
    outside.mkdir()
    (outside / "x.yaml").write_text("date: 2023-01-10\ncategory: khong-co\nsummary: x\n", "utf-8")
    os.symlink(outside / "x.yaml", root / "data" / "2023" / "01" / "2023-01-10-link.yaml")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    expected = whole(root)
    assert any(p.loc.path == "aaa/x.yaml" for p in expected)
    assert list(logcheck.ValidationRun(None, load_config(cwd=root), root)) == expected
