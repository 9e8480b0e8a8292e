"""The hostile-repository suite: a cloned log repository is untrusted input.

One small repository per attack class. Each case runs the real command in a subprocess under
``RLIMIT_AS`` (bounded memory) and a timeout (no hang), and asserts the clear located error,
that no process was spawned (a canary file the payload would create), that nothing was written
outside the places a user asked for, and, where a cache is involved, the same result with and
without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
MEMORY = 1536 << 20  # address space allowed to one run: far below what an attack would take
WEEK = "2023-08-24:2023-08-31"

_RUNNER = textwrap.dedent("""
    import resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from ngoaivu_cli.cli import main
    sys.argv = ["ngoaivu", *sys.argv[2:]]
    main()
""")


def run(repo: Path, *args: str, memory: int = MEMORY, timeout: float = 120,
        env: dict[str, str] | None = None, stdin: str | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``ngoaivu ARGS`` in ``repo`` (or ``cwd``), bounded; fails the test on a hang."""
    full = {**os.environ, "HOME": str(repo.parent / "home"), "NGOAIVU_DEBUG": "",
            "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    full.pop("NGOAIVU_CONFIG", None)
    proc = subprocess.run([sys.executable, "-c", _RUNNER, str(memory), *args],
                          cwd=cwd or repo, env=full, capture_output=True, text=True,
                          timeout=timeout, input=stdin)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "Lỗi nội bộ" not in proc.stderr, proc.stderr[-3000:]
    return proc


def make_repo(tmp_path: Path, entries: bool = True) -> Path:
    """A log repository with the shipped example log of the week 24/8–31/8/2023."""
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (tmp_path / "home").mkdir(exist_ok=True)
    if entries:
        shutil.copytree(REPO_ROOT / "data" / "2023" / "08", repo / "data" / "2023" / "08")
        shutil.copytree(REPO_ROOT / "data" / "2023" / "09", repo / "data" / "2023" / "09")
    return repo


def canary_payload(canary: Path) -> list[str]:
    """Template code that would create ``canary`` if any of it ran."""
    cmd = f"touch {canary}"
    payloads = [
        "{{ cycler.__init__.__globals__.os.popen('CMD').read() }}",
        "{{ joiner.__init__.__globals__['os'].system('CMD') }}",
        "{{ namespace.__init__.__globals__.os.popen('CMD') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('CMD') }}",
        "{{ lipsum.__globals__['os'].popen('CMD').read() }}",
        "{{ request.application.__globals__.__builtins__.__import__('os').popen('CMD') }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ (doc|attr('__class__')) }}",
        "{{ doc.title.__class__.__base__.__subclasses__() }}",
    ]
    return [p.replace("CMD", cmd) for p in payloads]


BOUNDS = [
    "{{ 'a' * 10**9 }}",
    "{{ range(10**9) | list }}",
    "{{ [0] * 10**9 }}",
    "{{ 10 ** (10 ** 10) }}",
    "{{ lipsum(10**7) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ 'a' | center(10**9) }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s }}",
    "{% set ns = namespace(s=3) %}{% for i in range(40) %}{% set ns.s = ns.s * ns.s %}"
    "{% endfor %}{{ ns.s }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{{ ('a' * 1000).replace('a', 'a' * 1000).replace('a', 'a' * 1000) }}",
    "{% for i in range(99999) %}{{ 'a' * 999 }}{% endfor %}",
]


def docx_template(path: Path, text: str) -> Path:
    """A DOCX template whose first paragraph is ``text`` (the rest is the shipped one)."""
    from docx import Document

    shipped = REPO_ROOT / "templates" / "van-ban.docx"
    doc = Document(str(shipped))
    doc.paragraphs[0].insert_paragraph_before(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


# --------------------------------------------------------------------------- 1. no code runs


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_template_code_never_runs(tmp_path: Path, fmt: str):
    canary = tmp_path / "CANARY"
    for i, payload in enumerate(canary_payload(canary)):
        repo = make_repo(tmp_path / str(i))
        if fmt == "md":
            (repo / "templates").mkdir()
            (repo / "templates" / "van-ban.md.j2").write_text(f"# x\n\n{payload}\n", "utf-8")
        else:
            docx_template(repo / "templates" / "van-ban.docx", payload)
        proc = run(repo, "report", "--period", WEEK, "--format", fmt, "-o", f"out.{fmt}")
        assert proc.returncode == 1, (payload, proc.stdout, proc.stderr)
        assert "E-TEMPLATE" in proc.stderr, (payload, proc.stderr)
        assert f"templates/van-ban.{'md.j2' if fmt == 'md' else 'docx'}" in proc.stderr
        assert not (repo / f"out.{fmt}").exists()
        assert not canary.exists(), payload


@pytest.mark.parametrize("payload", BOUNDS)
def test_markdown_template_cannot_exhaust_memory_or_time(tmp_path: Path, payload: str):
    repo = make_repo(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "van-ban.md.j2").write_text(f"# x\n\n{payload}\n", "utf-8")
    proc = run(repo, "report", "--period", WEEK, "--format", "md", "-o", "out.md", timeout=60)
    assert proc.returncode == 1, proc.stderr
    # located at the line that asked too much (the output bound knows only the file)
    where = "van-ban.md.j2:1:" if "in ra quá nhiều" in proc.stderr else "van-ban.md.j2:3:"
    assert f"templates/{where}" in proc.stderr, proc.stderr
    assert "E-TEMPLATE" in proc.stderr
    assert not (repo / "out.md").exists()


@pytest.mark.parametrize("payload", [BOUNDS[0], BOUNDS[1], BOUNDS[9], BOUNDS[13]])
def test_docx_template_cannot_exhaust_memory_or_time(tmp_path: Path, payload: str):
    repo = make_repo(tmp_path)
    docx_template(repo / "templates" / "van-ban.docx", payload)
    proc = run(repo, "report", "--period", WEEK, "-o", "out.docx", timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "templates/van-ban.docx" in proc.stderr and "E-TEMPLATE" in proc.stderr
    assert not (repo / "out.docx").exists()


def test_a_zip_bomb_template_is_refused_before_inflating(tmp_path: Path):
    repo = make_repo(tmp_path)
    bomb = repo / "templates" / "van-ban.docx"
    bomb.parent.mkdir()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, a few hundred KB zipped
                fh.write(block)
    proc = run(repo, "report", "--period", WEEK, "-o", "out.docx", memory=1 << 30)
    assert proc.returncode == 1
    assert "bom zip" in proc.stderr
