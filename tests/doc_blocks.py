"""Every example of README.md and docs/*.md, collected with Sybil: each fenced block, and each
Jinja string or command shown with its output in a paragraph or a table, is run or checked, or
is marked as shown only, with a reason; anything else fails (tests/test_doc_blocks.py).

A block is told what it is by an HTML comment right before it (invisible on the site):

    <!-- example: shown-only REASON -->   not run: REASON says why (a folder layout, a diagram)
    <!-- example: config -->              (the default of ```yaml) a ngoaivu.yaml: the default
                                          configuration with the block over it; `validate`
                                          must find no error (folders a `sources:` names are
                                          made, empty)
    <!-- example: config under=a.b -->    a fragment that belongs under key a.b (``stats:`` of
                                          the category ``lanh_su``: ``under=categories.lanh_su``)
    <!-- example: entry -->               an activity file, written where its first line says
                                          (``# data/2023/12/....yaml``) in a log with the
                                          default configuration; `validate` finds no error
    <!-- example: document -->            a file of documents/, checked the same way
    <!-- example: run-by tests/x.py -->   run by that test (which names the page)
    <!-- example: periods today=DATE -->  a table of period expressions (in backticks) and what
                                          they are: columns "Kết quả" (dd/mm/yyyy – dd/mm/yyyy,
                                          "… – dd/mm/yyyy": the end only) and "Báo cáo in" (the
                                          label); "Theo lịch", "Chốt ngày N" (the days under
                                          that cut-off); "Báo" (words of the error): each is
                                          resolved with the shipped configuration and compared
    <!-- example: jinja {YAML} -->        the context of the Jinja strings shown with their
                                          output from here on: ``period`` (and ``next``) are
                                          the words of a real period (``period: 2024-02-05:
                                          2024-08-24``), every other key a scope whose metrics
                                          are given as numbers (``m: {doan_ra: 7}``) and print
                                          as a report prints them

```bash blocks are run by tests/test_docs.py and tests/test_readme.py (tests/doc_examples.py).
A ```console block is run: each ``$ COMMAND`` line in a copy of the shipped log data/, its
standard output compared, line by line, with the lines under it.

A paragraph that starts with ``→`` shows the output of the block above it: it must be marked
``shown-only`` (with the test that checks it as its reason).

In the text, a Jinja string in backticks followed by ``→`` and its output (```{{ m.doan_ra }}
đoàn` → `07 đoàn```), a table row whose cell holds a Jinja string and whose last cell is what it
prints, and a command in backticks followed by ``→`` and a quoted output are checked: the
string is filled with the current ``jinja`` context (none: the test fails), the command is run
in a copy of data/ and its output must hold the quoted words. A ``shown-only`` comment before
such a paragraph or table leaves it unchecked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from sybil import Document, Example, Region
from sybil.example import SybilFailure
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, RawFencedCodeBlockLexer

from tests.example_env import example_env

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
KINDS = ("shown-only", "config", "entry", "document", "run-by", "jinja", "periods")
_FENCES = RawFencedCodeBlockLexer(
    info_pattern=re.compile(r"(?P<language>[^\n`]*)$\n", re.MULTILINE),
    mapping={"language": "language", "source": "source"})
_DIRECTIVES = DirectiveInHTMLCommentLexer(directive="example", arguments=".*?")
# a Jinja string (or a command) in backticks, then "→" and its output, in backticks or quotes
_PAIR = re.compile(r"`(?P<shown>[^`]*(?:\{\{|\{%)[^`]*)`(?:\s*\([^)]*\))?\s*→\s*"
                   r"(?:`(?P<out>[^`]*)`|\"(?P<quoted>[^\"]*)\")")
_COMMAND = re.compile(r"`(?P<shown>ngoaivu [^`]*)`\s*→\s*\"(?P<quoted>[^\"]*)\"")


# --- lexing ---------------------------------------------------------------------------------


class Pair:
    """One thing shown with its output: a Jinja string (``jinja``) or a command (``command``)."""

    def __init__(self, kind: str, shown: str, expected: str, line: int) -> None:
        self.kind, self.shown, self.expected, self.line = kind, shown, expected, line


def _cells(row: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", row.strip().strip("|"))
    return [c.strip().replace("\\|", "|") for c in cells]


def _pairs(text: str, first_line: int) -> list[Pair]:
    pairs: list[Pair] = []
    lines = text.split("\n")
    if all(line.lstrip().startswith("|") for line in lines if line.strip()):
        for n, row in enumerate(lines):
            cells = _cells(row)
            jinja = next((c for c in cells[:-1] if "{{" in c and c.startswith("`")), None)
            if jinja is None or len(cells) < 2:
                continue
            shown = re.match(r"`([^`]*)`", jinja)
            assert shown, row
            pairs.append(Pair("jinja", shown.group(1), cells[-1].strip("`"), first_line + n))
        return pairs
    flat = " ".join(line.strip() for line in lines)
    if flat.startswith("→"):  # the output of the block above it
        pairs.append(Pair("output", "", flat[1:].strip(), first_line))
    for m in _PAIR.finditer(flat):
        pairs.append(Pair("jinja", m["shown"], m["out"] if m["out"] is not None else m["quoted"],
                          first_line))
    for m in _COMMAND.finditer(flat):
        pairs.append(Pair("command", m["shown"], m["quoted"], first_line))
    return pairs


def _groups(document: Document, taken: list[tuple[int, int]]) -> Iterable[Region]:
    """The paragraphs and tables (outside blocks and comments) that show an output."""
    text = document.text
    run: list[tuple[int, int]] = []  # (start, end) of the lines of the current paragraph

    def close() -> Iterable[Region]:
        if run:
            start, end = run[0][0], run[-1][1]
            pairs = _pairs(text[start:end], text.count("\n", 0, start) + 1)
            if pairs or text[start:end].lstrip().startswith("|"):  # a table may be an example
                region = Region(start, end, parsed=pairs, evaluator=_evaluate_group)
                region.lexemes["text"] = text[start:end]
                region.lexemes["line"] = text.count("\n", 0, start) + 1
                yield region
        run.clear()

    for m in re.finditer(r"^.*$", text, re.MULTILINE):
        start, end = m.start(), m.end()
        if not m.group(0).strip() or any(a <= start < b or a < end <= b for a, b in taken):
            yield from close()
        else:
            run.append((start, end))
    yield from close()


def parse(path: Path) -> Document:
    """The page with its examples, in the order they appear."""
    document = Document(path.read_text("utf-8"), str(path))
    regions: list[Region] = []
    for region in _FENCES(document):
        region.parsed = (region.lexemes["language"].strip(), str(region.lexemes["source"]))
        region.evaluator = _evaluate_block
        regions.append(region)
    for region in _DIRECTIVES(document):
        region.parsed = region.lexemes["arguments"].strip()
        region.evaluator = _evaluate_directive
        regions.append(region)
    taken = [(r.start, r.end) for r in regions]
    regions += list(_groups(document, taken))
    for region in sorted(regions, key=lambda r: r.start):
        document.add(region)
    return document


# --- evaluating -----------------------------------------------------------------------------


def _evaluate_directive(example: Example) -> str | None:
    ns = example.namespace
    kind, _, rest = str(example.parsed).partition(" ")
    if kind not in KINDS:
        return f"line {example.line}: unknown example kind {kind!r} (one of {', '.join(KINDS)})"
    if kind == "jinja":
        ns["jinja"] = yaml.safe_load(rest) or {}
        return None
    if kind == "shown-only" and not rest.strip():
        return f"line {example.line}: `shown-only` needs a reason"
    if ns.get("pending"):
        return f"line {ns['pending'][2]}: `example: {ns['pending'][0]}` is followed by no example"
    ns["pending"] = (kind, rest.strip(), example.line)
    return None


def _pending(example: Example) -> tuple[str, str]:
    kind, rest, _line = example.namespace.pop("pending", None) or ("", "", 0)
    return kind, rest


def _evaluate_block(example: Example) -> str | None:
    language, source = example.parsed
    kind, rest = _pending(example)
    where = f"{Path(example.path).name}:{example.line}"
    if kind == "shown-only":
        return None
    if kind == "run-by":
        test = ROOT / rest
        page = Path(example.path).relative_to(ROOT).as_posix()
        if not test.is_file() or page not in test.read_text("utf-8"):
            return f"{where}: {rest} does not exist or does not name {page}"
        return None
    if language == "bash":
        return None if not kind else f"{where}: a ```bash block takes no `example: {kind}`"
    if language == "console":
        return _console(source, where)
    if language == "yaml":
        return _yaml(kind or "config", rest, source, where, example.namespace)
    return (f"{where}: a ```{language or '(no language)'} block is neither run nor marked: "
            "put `<!-- example: shown-only REASON -->` (or another kind) before it")


def _evaluate_group(example: Example) -> str | None:
    kind, rest = _pending(example)
    if kind == "shown-only":
        return None
    if kind == "periods":
        return _periods(example.region.lexemes["text"], example.region.lexemes["line"], rest,
                        Path(example.path).name)
    if kind:
        return f"line {example.line}: `example: {kind}` is not for a paragraph"
    where = Path(example.path).name
    for pair in example.parsed:
        if pair.kind == "output":
            return (f"{where}:{pair.line}: an output (→ ...) of the example above it is neither "
                    "checked nor marked `<!-- example: shown-only REASON -->`")
        if pair.kind == "command":
            done = _run(shlex.split(pair.shown)[1:])
            got, want = " ".join(done.stdout.split()), " ".join(pair.expected.split())
            if want not in got:
                return f"{where}:{pair.line}: `{pair.shown}` does not print {want!r}:\n{got}"
            continue
        context = example.namespace.get("jinja")
        if context is None:
            return (f"{where}:{pair.line}: `{pair.shown}` is shown with its output but no "
                    "`<!-- example: jinja {...} -->` gives its context")
        got = fill_shown(pair.shown, context)
        if got != pair.expected:
            return f"{where}:{pair.line}: `{pair.shown}` prints {got!r}, the page says " \
                   f"{pair.expected!r}"
    return None


def evaluate_page(path: Path) -> list[str]:
    """The failures of the page's examples (empty: every example holds)."""
    document = parse(path)
    failures = []
    for example in document:
        try:
            example.evaluate()
        except SybilFailure as failure:
            failures.append(str(failure.result))
    if document.namespace.get("pending"):
        kind, _rest, line = document.namespace["pending"]
        failures.append(f"{path.name}:{line}: `example: {kind}` is followed by no example")
    return failures


# --- what the kinds do ------------------------------------------------------------------------


def fill_shown(text: str, context: dict[str, Any]) -> str:
    """``text`` filled as a report fills a configuration string, in ``context``."""
    from ngoaivu_cli.config import load_config
    from ngoaivu_cli.figures import Figure
    from ngoaivu_cli.periods import parse_period
    from ngoaivu_cli.render.context import period_words
    from ngoaivu_cli.textfill import fill

    config = load_config(ROOT / "ngoaivu_cli" / "defaults" / "ngoaivu.yaml")
    view: dict[str, Any] = {"agency": {"short_name": config.agency.short_name,
                                       "name": config.agency.name, "place": config.agency.place,
                                       "parent": config.agency.parent,
                                       "symbol": config.agency.symbol}}
    for name, value in context.items():
        if name == "period":
            period = parse_period(str(value), today=dt.date(2024, 1, 15))
            view["period"] = period_words(period)
            view["next"] = period_words(period.next())
            continue

        def figures(values: dict[str, Any], scope: str) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for key, v in values.items():
                if isinstance(v, dict):
                    out[key] = figures(v, scope)
                else:
                    metric = config.metrics.get(key)
                    out[key] = Figure(v, integer=metric.integer if metric else True, scope=scope)
            return out

        view[name] = figures(dict(value), name)
    return fill(text, view)


_DMY = re.compile(r"\d{2}/\d{2}/\d{4}")


def _periods(table: str, first_line: int, rest: str, where: str) -> str | None:
    """Check a table of period expressions against what they resolve to."""
    from ngoaivu_cli.config import load_config
    from ngoaivu_cli.errors import NgoaivuError
    from ngoaivu_cli.periods import parse_period

    given = re.fullmatch(r"today=(\d{4}-\d{2}-\d{2})", rest.strip())
    if given is None:
        return f"{where}:{first_line}: `example: periods` needs today=YYYY-MM-DD"
    today = dt.date.fromisoformat(given.group(1))
    terms = load_config(ROOT / "ngoaivu_cli" / "defaults" / "ngoaivu.yaml").terms
    rows = [_cells(line) for line in table.strip().split("\n")]
    head, body = rows[0], rows[2:]
    failures: list[str] = []
    checked = 0

    def days(cell: str) -> tuple[dt.date | None, dt.date] | None:
        found = [dt.datetime.strptime(d, "%d/%m/%Y").date() for d in _DMY.findall(cell)]
        if len(found) == 2:
            return found[0], found[1]
        if len(found) == 1:
            return (None, found[0]) if cell.lstrip().startswith("…") else (found[0], found[0])
        return None

    for n, row in enumerate(body, start=first_line + 2):
        if head[0] == "Gõ":  # errors: the words of the message
            for expr in re.findall(r"`([^`]+)`", row[0]):
                try:
                    parse_period(expr, today=today)
                    failures.append(f"{where}:{n}: `{expr}` is no error")
                except NgoaivuError as exc:
                    checked += 1
                    if row[1] not in str(exc.message):
                        failures.append(f"{where}:{n}: `{expr}` says {exc.message!r}, the page "
                                        f"says {row[1]!r}")
            continue
        columns: dict[int, int | None] = {2: None} if "Kết quả" in head else {
            i: None if h == "Theo lịch" else int(h.split()[2])  # "Chốt ngày 14 (...)"
            for i, h in enumerate(head) if h == "Theo lịch" or h.startswith("Chốt ngày")}
        at = 1 if "Kết quả" in head else 0
        for expr in re.findall(r"`([^`]+)`", row[at]):
            for i, cutoff in columns.items():
                want = days(row[i])
                if want is None:
                    failures.append(f"{where}:{n}: {row[i]!r} is not a period's days")
                    continue
                got = parse_period(expr, today=today, cutoff_day=cutoff, terms=terms)
                checked += 1
                if (want[0] or got.start, want[1]) != (got.start, got.end):
                    failures.append(f"{where}:{n}: `{expr}` (cut-off {cutoff}) is "
                                    f"{got.start:%d/%m/%Y} – {got.end:%d/%m/%Y}, the page says "
                                    f"{row[i]!r}")
                if "Báo cáo in" in head:
                    label = re.sub(r"\s*\(kèm .*\)$", "", row[head.index("Báo cáo in")])
                    if label != got.label:
                        failures.append(f"{where}:{n}: `{expr}` prints {got.label!r}, the page "
                                        f"says {label!r}")
    if not checked:
        failures.append(f"{where}:{first_line}: an `example: periods` table with no example")
    return "\n".join(failures) or None


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        if cwd is None:
            shutil.copytree(ROOT / "data", work / "data")
        else:
            work = cwd
        env = {**example_env(), "HOME": tmp, "LC_ALL": "C.UTF-8"}
        env.pop("NGOAIVU_TODAY", None)
        return subprocess.run([sys.executable, "-m", "ngoaivu_cli", *args], cwd=work, env=env,
                              text=True, capture_output=True, timeout=300,
                              stdin=subprocess.DEVNULL)


def _console(source: str, where: str) -> str | None:
    command: str | None = None
    expected: list[str] = []
    checks: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        if line.startswith("$ "):
            if command is not None:
                checks.append((command, expected))
            command, expected = line[2:], []
        elif command is None:
            return f"{where}: a ```console block starts with a `$ command` line"
        else:
            expected.append(line.rstrip())
    if command is not None:
        checks.append((command, expected))
    for command, lines in checks:
        args = shlex.split(command)
        if args[0] != "ngoaivu":
            return f"{where}: only ngoaivu commands run in a ```console block: {command}"
        done = _run(args[1:])
        got = [line.rstrip() for line in done.stdout.rstrip("\n").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        if got != lines:
            return (f"{where}: `{command}` printed\n" + "\n".join(got) + "\n(exit "
                    f"{done.returncode}{', ' + done.stderr.strip() if done.stderr else ''})")
    return None


def _under(path: str, source: str) -> str:
    out = source
    for key in reversed(path.split(".")):
        out = f"{key}:\n" + "".join(f"  {line}\n" if line.strip() else "\n"
                                    for line in out.splitlines())
    return out


def _validate(work: Path) -> list[str]:
    """The errors `ngoaivu validate` finds in the log at ``work``."""
    done = _run(["validate", "--format", "json"], cwd=work)
    try:
        found = json.loads(done.stdout)["diagnostics"]
    except (ValueError, KeyError):
        return [(done.stdout + done.stderr).strip()]
    return [f"{d['code']} {d['message']}" for d in found if str(d["code"]).startswith("E-")]


def _yaml(kind: str, rest: str, source: str, where: str, ns: dict[str, Any]) -> str | None:
    import tempfile

    if kind not in ("config", "entry", "document"):
        return f"{where}: `example: {kind}` is not for a ```yaml block"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "log"
        (work / "data").mkdir(parents=True)
        if kind == "config":
            under = re.fullmatch(r"under=(\S+)", rest)
            text = _under(under.group(1), source) if under else source
            doc = yaml.safe_load(text) or {}
            for src in doc.get("sources", []) if isinstance(doc, dict) else []:
                (work / src["path"] / "data").mkdir(parents=True, exist_ok=True)
            (work / "ngoaivu.yaml").write_text(text, "utf-8")
        else:
            first = source.splitlines()[0] if source.strip() else ""
            named = re.match(r"#\s*((?:data|documents)/\S+\.yaml)", first)
            if kind == "entry":
                date = str((yaml.safe_load(source) or {}).get("date", ""))
                name = named.group(1) if named else f"data/{date[:4]}/{date[5:7]}/{date}-vi-du.yaml"
            else:
                name = named.group(1) if named else "documents/vi-du.yaml"
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(source, "utf-8")
        errors = _validate(work)
    if errors:
        return f"{where}: the {kind} example does not pass `validate`: " + "; ".join(errors)
    return None
