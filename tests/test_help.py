"""Every command explains itself in Vietnamese with an example, and the user guide (docs/lenh.md)
documents it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ngoaivu_cli.cli import main

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "lenh.md").read_text("utf-8")  # the commands page of the user guide
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
def test_command_is_documented_in_the_guide(name: str) -> None:
    assert re.search(rf"`ngoaivu {name}[ `]", GUIDE), f"docs/lenh.md does not document `ngoaivu {name}`"


@pytest.mark.parametrize("name", DAILY)
def test_every_option_of_the_daily_commands_has_help(name: str) -> None:
    for param in main.commands[name].params:
        if isinstance(param, click.Option):
            assert param.help, f"ngoaivu {name} {param.opts[0]} has no help text"


def test_shell_completion_is_documented_and_works() -> None:
    for shell in ("bash", "zsh", "fish"):
        assert f"_NGOAIVU_COMPLETE={shell}_source ngoaivu" in GUIDE
    result = CliRunner().invoke(main, [], prog_name="ngoaivu", env={
        "_NGOAIVU_COMPLETE": "bash_complete", "COMP_WORDS": "ngoaivu new --category tham_muu_t",
        "COMP_CWORD": "3"})
    assert result.exit_code == 0
    assert "plain,tham_muu_tinh_uy" in result.output.splitlines()
    result = CliRunner().invoke(main, [], prog_name="ngoaivu", env={
        "_NGOAIVU_COMPLETE": "bash_complete", "COMP_WORDS": "ngoaivu ba", "COMP_CWORD": "1"})
    assert "plain,batch" in result.output.splitlines()


def _daily_use_commands() -> list[str]:
    section = GUIDE.split("## Dùng hằng ngày", 1)[1].split("\n## ", 1)[0]
    steps = []
    for block in re.findall(r"```bash\n(.+?)\n```", section, re.S):
        for line in block.replace("\\\n", " ").splitlines():  # "\" goes on on the next line
            steps += [s.strip() for s in line.split("&&")
                      if s.strip().startswith(("ngoaivu ", "cd "))]
    return steps


def test_daily_use_walkthrough_runs_as_written(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The guide's "Dùng hằng ngày" commands (docs/lenh.md), in order, in an empty folder."""
    monkeypatch.chdir(tmp_path)
    steps = _daily_use_commands()
    assert [s.split()[1] for s in steps if s.startswith("ngoaivu")] == [
        "init", "init", "new", "new", "validate", "report", "report", "batch", "schema"]
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


# Usage mistakes a clerk makes, each answered in Vietnamese with exit status 2.
MISTAKES = [
    (["report"], "Thiếu tùy chọn '--period'"),
    (["report", "--period"], "Tùy chọn '--period' cần một giá trị"),
    (["repot"], "Có phải ý bạn là 'report'?"),
    (["report", "--periode", "x"], "Có phải ý bạn là '--period'?"),
    (["report", "--period", "tuần 35/2023", "--format", "docxx"],
     "'docxx' không phải một trong các giá trị"),
    (["list", "--status", "xong"], "Giá trị không hợp lệ cho '--status'"),
    (["stats", "--period", "năm 2023", "--cutoff", "40"], "không nằm trong khoảng"),
    (["list", "--year", "abc"], "'abc' không phải số nguyên hợp lệ"),
    (["validate", "a", "--strict", "b", "--xyz"], "Không có tùy chọn '--xyz'"),
    (["period", "tuần 35/2023", "thừa"], "Thừa đối số"),
    (["new", "--date", "2023-02-30"], "ngày 30/02/2023 không tồn tại"),
    (["new", "--date", "28/8/2023"], "`2023-08-28`"),
]
ENGLISH = re.compile(r"\b(Usage|Error|Options|Commands|Missing|Invalid|Try|No such|is not|"
                     r"required|default|INTEGER|RANGE|TEXT|PATH)\b")


@pytest.mark.parametrize(("args", "wanted"), MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES])
def test_usage_mistakes_are_answered_in_vietnamese(args: list[str], wanted: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="ngoaivu")
    assert result.exit_code == 2, result.output
    assert wanted in result.output
    assert "Lỗi: " in result.output
    assert not ENGLISH.search(result.output), result.output


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_pages_have_no_english_headings(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"] if name else ["--help"],
                                prog_name="ngoaivu", catch_exceptions=False)
    assert result.exit_code == 0
    text = re.sub(r"^\s+ngoaivu .*$", "", result.output, flags=re.MULTILINE)  # examples
    text = re.sub(r"\[[a-z|_,-]+\]", "", text)  # choices such as [docx|md|pdf|json]
    assert not ENGLISH.search(text), text


def test_every_click_message_has_a_vietnamese_text() -> None:
    """Each message click marks for translation (read from click's source) is in the table,
    except those a user of ngoaivu cannot meet (developer errors, Windows, editors)."""
    import ast

    unreachable = re.compile(r"Editing failed|DeprecationWarning|Could not determine name|"
                             r"No options defined|Arguments take exactly|defined twice|"
                             r"Boolean option|Value must be an iterable|Unknown color|"
                             r"standard stream|Bash version|Choice\(|UUID|^d$|"
                             r"values are required|Confirm the action|Invalid start character")
    from ngoaivu_cli.cli.clickvi import MESSAGES

    missing = []
    for source in Path(click.__file__).parent.glob("*.py"):
        if source.name == "_winconsole.py":
            continue
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "ngettext")):
                for arg in node.args:
                    if (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                            and arg.value not in MESSAGES and not unreachable.search(arg.value)):
                        missing.append(arg.value)
    assert missing == []


def test_ctrl_d_at_a_prompt_stops_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "kho"
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["init", str(repo)]).exit_code == 0
    monkeypatch.chdir(repo)
    before = sorted(repo.rglob("*"))
    monkeypatch.setattr("ngoaivu_cli.cli.daily._stdin_is_tty", lambda: True)
    result = CliRunner().invoke(main, ["new"], input="")
    assert result.exit_code == 1, result.output
    assert "Đã dừng" in result.output and "Lỗi nội bộ" not in result.output
    assert sorted(repo.rglob("*")) == before  # nothing written


def test_doc_sections_that_messages_point_to_exist() -> None:
    """A hint that says "xem docs/PAGE.md, mục “X”" leads to a page with that heading; no hint
    sends the user to a README section (the user guide moved to docs/)."""
    import ngoaivu_cli

    package = Path(ngoaivu_cli.__file__).parent
    pointed: set[tuple[str, str]] = set()
    for source in [*package.rglob("*.py"), *package.rglob("*.yaml")]:
        text = source.read_text("utf-8")
        assert not re.search(r"xem README, mục", text, re.IGNORECASE), source
        pointed |= set(re.findall(r"(docs/[a-z-]+\.md), mục “([^”]+)”", text))
        for page in re.findall(r"docs/[a-z-]+\.md", text):
            assert (REPO / page).is_file(), (source, page)
    assert len(pointed) >= 5
    for page, name in pointed:
        headings = re.findall(r"^#+ (.+)$", (REPO / page).read_text("utf-8"), re.MULTILINE)
        assert any(h.startswith(name) for h in headings), (page, name)


def test_help_and_version_import_only_click() -> None:
    """``ngoaivu --help`` and ``--version`` cost what click costs (benchmarks/README.md; checked
    for speed by benchmarks/run.py (c)): the command modules import nothing heavy at the top
    (beyond what this Python loads anyway, as an editable install's finder loads pathlib)."""
    import subprocess
    import sys

    def heavy(statement: str) -> list[str]:
        code = (f"import sys; {statement}\n"
                "print(' '.join(m for m in ('pathlib', 'json', 'yaml', 'jinja2', 'docx', "
                "'docxtpl', 'shutil', 'importlib.metadata', 'ngoaivu_cli.config', "
                "'ngoaivu_cli.log.loader') if m in sys.modules))")
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.split()

    assert heavy("from ngoaivu_cli.cli import main") == heavy("import click")


def test_lazy_command_table_is_what_the_commands_say() -> None:
    """``ngoaivu --help`` lists the commands from ngoaivu_cli/cli/lazy.py without importing
    them: each row there is the command's own module and one-line help, at every width."""
    from ngoaivu_cli.cli import lazy

    assert sorted(lazy.COMMANDS) == COMMANDS  # main.commands: every module imported
    nothing = lazy.Commands()  # as before any command module is imported
    for name in COMMANDS:
        command = main.commands[name]
        assert command.callback is not None
        assert command.callback.__module__ == f"ngoaivu_cli.cli.{lazy.COMMANDS[name][0]}", name
        stand_in = lazy.listed(nothing, name)
        assert stand_in is not None
        for limit in range(10, 130):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), (
                name, limit)


@pytest.mark.parametrize("columns", ["50", "80", "200"])
def test_group_help_is_the_same_without_the_command_modules(columns: str) -> None:
    import os
    import subprocess
    import sys

    def run(code: str) -> tuple[str, list[str]]:
        code = ("import sys\nfrom ngoaivu_cli.cli import main, lazy\n" + code +
                "\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
                "print(sorted(m for m in sys.modules if m.startswith('ngoaivu_cli.cli.')),"
                " file=sys.stderr)\n")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env={**os.environ, "COLUMNS": columns})
        return done.stdout, done.stderr.strip().splitlines()[-1].split("'")[1::2]

    lazy_help, lazy_modules = run("")
    full_help, full_modules = run("for name in lazy.COMMANDS:\n    lazy.load(name)")
    assert lazy_help == full_help and "validate" in lazy_help
    # --help imports no command module (clickvi: click's messages in Vietnamese)
    assert lazy_modules == ["ngoaivu_cli.cli.clickvi", "ngoaivu_cli.cli.lazy"]
    assert len(full_modules) == 8  # the modules of lazy.COMMANDS, clickvi and lazy


def test_version_imports_no_command_module() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom ngoaivu_cli.cli import main\ntry:\n    main(['--version'])\n"
            "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if "
            "m.startswith('ngoaivu_cli.cli.')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0].startswith("ngoaivu ") and out[1] == "['ngoaivu_cli.cli.clickvi', 'ngoaivu_cli.cli.lazy']"
