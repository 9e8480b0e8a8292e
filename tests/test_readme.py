"""The README's quick start stays true: its commands run, and CI runs the same test command."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ngoaivu_cli.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def _quick_start() -> list[str]:
    section = README.split("## Bắt đầu nhanh", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, re.S)


def test_quick_start_has_exactly_two_commands() -> None:
    commands = _quick_start()
    assert len(commands) == 2
    assert "ngoaivu report --period 2023-08-24:2023-08-31" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    test_cmd = _quick_start()[1].split("&&")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    for part in test_cmd[2:]:  # after creating and activating the environment
        assert part.strip() in ci, part


def test_main_job_commands_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the ngoaivu steps of the first command in a copy of the repository's log."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NGOAIVU_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    steps = [s.strip() for s in _quick_start()[0].split("&&") if s.strip().startswith("ngoaivu")]
    assert len(steps) == 2
    for step in steps:
        result = CliRunner().invoke(main, shlex.split(step)[1:], catch_exceptions=False)
        assert result.exit_code == 0, (step, result.output)
    assert (tmp_path / "bao-cao-tuan-2023-08-24_2023-08-31.docx").is_file()


def test_readme_is_short_and_links_to_every_docs_page() -> None:
    """A newcomer reads it to the end: under 200 lines, and the user guide is one link away."""
    assert len(README.splitlines()) < 200
    linked = set(re.findall(r"\]\((docs/[^)#]+\.md)\)", README))
    pages = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md") if p.name != "index.md"}
    assert pages <= linked, sorted(pages - linked)
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / target).exists(), target


def test_readme_examples_run(tmp_path: Path) -> None:
    """Every ```bash step of the README (the quick start's ngoaivu steps, then the five-minute
    tour) runs in order in a copy of the shipped log, as tests/doc_examples.py runs docs/."""
    from tests.doc_examples import run_steps, steps

    run, shown = steps(README)
    commands = [e.command for e in run]
    assert len(commands) == 13, commands
    for word in ("validate", "list", "period", "report", "new"):  # the tour's five commands
        assert any(c.startswith(f"ngoaivu {word} ") or c == f"ngoaivu {word}"
                   for c in commands[2:]), word
    assert any("pytest" in e.command for e in shown)
    work, home = tmp_path / "work", tmp_path / "home"
    home.mkdir()
    shutil.copytree(ROOT / "data", work / "data")
    done = run_steps(run, work, home, "README.md")
    assert done.returncode == 0, done.stderr[-4000:]
    assert (work / "bao-cao-tuan-2023-08-24_2023-08-31.docx").is_file()
    tour = home / "thu-ngoaivu"
    assert (tour / "bao-cao-tuan-2023-08-28_2023-09-03.docx").is_file()
    assert len(list((tour / "data").rglob("*.yaml"))) == len(list((ROOT / "data").rglob("*.yaml"))) + 1


def test_web_section_command_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web app's line: installs the `web` extra and starts `ngoaivu serve` on the log; the
    command exists and takes the folder (its --help runs; the server itself: test_web.py)."""
    section = README.split("## Ứng dụng web", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", section, re.S)
    assert len(commands) == 1
    assert 'pip install ".[web]"' in commands[0]
    serve = [s.strip() for s in commands[0].split("&&") if s.strip().startswith("ngoaivu")]
    assert len(serve) == 1 and shlex.split(serve[0])[1] == "serve"
    result = CliRunner().invoke(main, [*shlex.split(serve[0])[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert "--no-browser" in result.output
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'^web = \["flask>=3\.1", "waitress>=3"\]', pyproject, re.M)
