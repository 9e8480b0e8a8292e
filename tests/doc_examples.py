"""The shell examples of the README and of docs/*.md, as a script the tests run.

A page's runnable examples are its ```` ```bash ```` blocks (```` ```sh ````, ```` ```text ```` and
the others are shown, not run). Each line of such a block is split on ``&&`` into steps. A step is
run (a line ending in ``\\`` goes on on the next; in one bash process per page, in order, ``set -e``, with this interpreter's ``ngoaivu`` first
on PATH) unless it is one of the steps a test cannot take on a machine without network or
terminal — creating a virtual environment, ``pip install``, ``pre-commit install``, loading shell
completion, running the test suite — and each of those is named in ``SHOWN_ONLY``: a step that is
neither run nor listed there fails the test, so no example is dropped silently.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.example_env import example_env

# Steps shown to the reader that the tests do not run, by how they start.
SHOWN_ONLY = ("python3 -m venv ", ". .venv/bin/activate", ". ~/.venv-ngoaivu/bin/activate",
              "pip install ", "pre-commit install", "python -m pytest",
              "ngoaivu serve",  # starts a server (tests/test_web.py, test_web_browser.py run it)
              'eval "$(_NGOAIVU_COMPLETE=', "_NGOAIVU_COMPLETE=fish_source ")


@dataclass(frozen=True)
class Example:
    """One step of a page's ```bash blocks: its text and the line it starts on."""

    line: int
    command: str


def bash_blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, body) of each ```bash block of a Markdown text."""
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1))
            for m in re.finditer(r"^```bash\n(.*?)^```$", text, re.S | re.M)]


def steps(text: str) -> tuple[list[Example], list[Example]]:
    """(steps to run, steps only shown) of a Markdown text's ```bash blocks, in order."""
    run: list[Example] = []
    shown: list[Example] = []
    for first, body in bash_blocks(text):
        for offset, line in _lines(body):
            code = _without_comment(line).strip()
            for part in (p.strip() for p in code.split("&&")):
                if not part:
                    continue
                (shown if part.startswith(SHOWN_ONLY) else run).append(
                    Example(first + offset, part))
    return run, shown


def _lines(body: str) -> list[tuple[int, str]]:
    """(offset, line) of a block's commands, a line ending in ``\\`` joined with the next."""
    out: list[tuple[int, str]] = []
    joining = False
    for offset, line in enumerate(body.splitlines()):
        if joining:
            out[-1] = (out[-1][0], out[-1][1] + " " + line.strip())
        else:
            out.append((offset, line))
        joining = out[-1][1].endswith("\\")
        if joining:
            out[-1] = (out[-1][0], out[-1][1][:-1].rstrip())
    return out


def _without_comment(line: str) -> str:
    """The line without a trailing ``# ...`` comment (a ``#`` outside quotes, after a space)."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def run_steps(examples: list[Example], cwd: Path, home: Path, page: str,
              timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the steps in one bash process in ``cwd``; each step is echoed to stderr first, so a
    failure names the page, line and command that failed."""
    script = ["set -euo pipefail"]
    for example in examples:
        script.append(f"echo {shlex.quote(f'>>> {page}:{example.line}: {example.command}')} >&2")
        script.append(example.command)
    env = {**example_env(), "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "GIT_AUTHOR_NAME": "Văn thư", "GIT_AUTHOR_EMAIL": "vanthu@example.invalid",
           "GIT_COMMITTER_NAME": "Văn thư", "GIT_COMMITTER_EMAIL": "vanthu@example.invalid",
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8"}
    for name in ("NGOAIVU_TODAY", "NGOAIVU_CONFIG", "SOURCE_DATE_EPOCH"):
        env.pop(name, None)
    return subprocess.run(["bash", "-c", "\n".join(script)], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
