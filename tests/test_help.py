"""Every command explains itself in Vietnamese with an example, and the README documents it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ngoaivu_cli.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text("utf-8")
COMMANDS = sorted(main.commands)
# Commands added with `ngoaivu init/new/schema/batch`: every option of theirs has a help text.
DAILY = ("batch", "init", "new", "schema")


@pytest.fixture(autouse=True)
def isolated(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_the_group_has_help_with_an_example() -> None:
    assert main.help and "Ví dụ" in main.help


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_vietnamese_help_with_an_example(name: str) -> None:
    command = main.commands[name]
    assert command.help, f"`ngoaivu {name}` has no help text"
    assert "Ví dụ" in command.help
    assert f"ngoaivu {name}" in command.help.split("Ví dụ", 1)[1]
    result = CliRunner().invoke(main, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Ví dụ" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_in_the_readme(name: str) -> None:
    assert re.search(rf"`ngoaivu {name}[ `]", README), f"README does not document `ngoaivu {name}`"


@pytest.mark.parametrize("name", DAILY)
def test_every_option_of_the_daily_commands_has_help(name: str) -> None:
    for param in main.commands[name].params:
        if isinstance(param, click.Option):
            assert param.help, f"ngoaivu {name} {param.opts[0]} has no help text"


def test_shell_completion_is_documented_and_works() -> None:
    for shell in ("bash", "zsh", "fish"):
        assert f"_NGOAIVU_COMPLETE={shell}_source ngoaivu" in README
    result = CliRunner().invoke(main, [], prog_name="ngoaivu", env={
        "_NGOAIVU_COMPLETE": "bash_complete", "COMP_WORDS": "ngoaivu new --category tham_muu_t",
        "COMP_CWORD": "3"})
    assert result.exit_code == 0
    assert "plain,tham_muu_tinh_uy" in result.output.splitlines()
    result = CliRunner().invoke(main, [], prog_name="ngoaivu", env={
        "_NGOAIVU_COMPLETE": "bash_complete", "COMP_WORDS": "ngoaivu ba", "COMP_CWORD": "1"})
    assert "plain,batch" in result.output.splitlines()


def _daily_use_commands() -> list[str]:
    section = README.split("## Dùng hằng ngày", 1)[1].split("\n## ", 1)[0]
    steps = []
    for block in re.findall(r"```bash\n(.+?)\n```", section, re.S):
        for line in block.splitlines():
            steps += [s.strip() for s in line.split("&&")
                      if s.strip().startswith(("ngoaivu ", "cd "))]
    return steps


def test_daily_use_walkthrough_runs_as_written(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's "Dùng hằng ngày" commands, in order, in an empty folder."""
    monkeypatch.chdir(tmp_path)
    steps = _daily_use_commands()
    assert [s.split()[1] for s in steps if s.startswith("ngoaivu")] == [
        "init", "new", "new", "validate", "report", "report", "batch", "schema"]
    for step in steps:
        words = shlex.split(step)
        if words[0] == "cd":
            monkeypatch.chdir(Path.cwd() / words[1])
            continue
        result = CliRunner().invoke(main, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, (step, result.output)
    repo = tmp_path / "kho-nhat-ky"
    assert len(list((repo / "data").rglob("*.yaml"))) == 3
    assert len(list(repo.glob("bao-cao-*.docx"))) == 2
    assert list((repo / "bao-cao").glob("bao-cao-ttdn-thang-*.docx"))
