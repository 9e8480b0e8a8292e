"""The package's layers (.importlinter): every contract kept, and no import cycle at all, counting
the imports placed inside functions (grimp, import-linter's graph, sees those too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def _cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(
                        graph.find_modules_directly_imported_by(child)))))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = set()
                while True:
                    top = stack.pop()
                    on.discard(top)
                    comp.add(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(comp)
    return found


def test_no_import_cycle() -> None:
    graph = grimp.build_graph("ngoaivu_cli", include_external_packages=False)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    pkg = tmp_path / "vongtron"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from vongtron import b\n")
    (pkg / "b.py").write_text("from vongtron import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("vongtron", include_external_packages=False, cache_dir=None)
    assert _cycles(graph) == [{"vongtron.a", "vongtron.b"}]


def test_the_contracts_are_kept() -> None:
    script = Path(sys.executable).parent / "lint-imports"  # installed with the test extra
    done = subprocess.run([str(script), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_the_cli_imports_only_the_api_and_errors() -> None:
    """The front ends (the command and the web app) import the API and errors only; the
    command may also start the web app."""
    graph = grimp.build_graph("ngoaivu_cli", include_external_packages=False)
    for front, also in (("ngoaivu_cli.cli", {"ngoaivu_cli.web.server"}),
                        ("ngoaivu_cli.web", set())):
        reached = set()
        for module in graph.find_descendants(front) | {front}:
            reached |= graph.find_modules_directly_imported_by(module)
        below = {m for m in reached if not m.startswith(front)}
        assert "ngoaivu_cli.api" in below, front
        assert below <= {"ngoaivu_cli", "ngoaivu_cli.api", "ngoaivu_cli.errors"} | also, front
