"""Measure ngoaivu against its speed targets, as ratios taken in one run (benchmarks/README.md).

    python benchmarks/run.py            # about ten minutes; logs are generated in a temp folder
    python benchmarks/run.py --quick    # small logs, 3 pairs (about 30 s): checks it still runs
    python benchmarks/run.py --only sources   # only (h)
    python benchmarks/run.py --only startup   # only (d) and (c): a report's and --help's start
    python benchmarks/run.py --only validate  # only (b): validate vs a bare libyaml loop
    python benchmarks/run.py --only bean      # only (g): validate vs bean-check

Run it from anywhere (the repository root included) after ``pip install .`` or ``pip install -e
.``: every figure is a whole command run as a subprocess — the installed ``ngoaivu`` program, in
a folder outside the repository, so the repository's ``ngoaivu_cli/`` folder never shadows the
installed package. Each row times its command (A) and its baseline (B) interleaved, A B B A A
B ..., N pairs; the ratio is the median of the N pair ratios, with their range in brackets.
Rows are printed as they are measured. Peak memory is the child's maximum resident set size
(``os.wait4``).

(a) ``report`` for one week on a 100,000-entry log vs the same week on a 20-entry log (both logs
    hold exactly the same files for that week: the report files are compared byte for byte).
(b) ``validate`` of a 20,000-entry log vs a bare loop of ``yaml.load(..., Loader=CSafeLoader)``
    over the same files: without the cache, on the first run (which fills the cache) and warm;
    and the peak memory of a first run on the 100,000-entry log.
(c) ``ngoaivu --help`` and ``ngoaivu --version`` vs ``python -c "import click"``.
(d) one weekly report (20-entry and 100,000-entry logs) vs a bare docxtpl render of the same
    template and context.
(e) ``import`` of 500 weekly reports typed in Word (the generator's summaries, 20 bullets
    each) into an empty log vs opening the same files with python-docx alone.
(f) a December monthly report that prints year-to-date and same-period-last-year figures vs the
    same report without them, on the 100,000-entry log.
(g) ``validate`` without the cache vs ``bean-check --no-cache`` (beancount) on the same activities
    written as a ledger (``generate.py --ledger``), at 1,000, 10,000 and 100,000 entries; skipped,
    and said so, when ``bean-check`` is not installed (``pip install beancount``, or
    ``--bean-check PATH``).
(h) sources (issue 16): the province's 6-month report (``bao_cao_tong_hop_6_thang``) of a Sở
    whose ``sources:`` are 20 agencies' logs of 10,000 entries each vs the same report when one
    source holds exactly the files of those 20 that the report reads; and ``validate`` of the
    20 sources, warm (each source's parse cache) vs a first run.

Missed targets do not change the exit status (timings on a shared machine are noisy); a command
that fails, or two week reports that differ, do (status 1).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import BENCH_WEEK  # noqa: E402

LOOP = """\
import os, sys, yaml
from yaml import CSafeLoader
for dirpath, dirnames, filenames in os.walk(sys.argv[1]):
    for name in filenames:
        if name.endswith(".yaml"):
            with open(os.path.join(dirpath, name), "rb") as fh:
                yaml.load(fh.read(), Loader=CSafeLoader)
"""
# (f): two monthly report types, the same but for the scopes' figures
SCOPES_CONFIG = """\
version: 1
extends: default
report_types:
  thang:
    name: Báo cáo tháng
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Kết quả công tác đối ngoại {{ period.label }}"]
    sections:
      - heading: KẾT QUẢ {{ period.label | upper }}
        group_by: none
        stats:
          - text: "Trong tháng: {{ m.doan_ra }} đoàn ra, {{ m.doan_vao }} đoàn vào."
      - heading: KẾ HOẠCH {{ next.label | upper }}
        status: planned
        period: next
        group_by: none
    signer: giam_doc
    appendix:
      title: SỐ LIỆU {{ period.label | upper }}
  thang_so_sanh:
    name: Báo cáo tháng, có số liệu từ đầu năm và cùng kỳ
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Kết quả công tác đối ngoại {{ period.label }}"]
    sections:
      - heading: KẾT QUẢ {{ period.label | upper }}
        group_by: none
        stats:
          - text: "Trong tháng: {{ m.doan_ra }} đoàn ra, {{ m.doan_vao }} đoàn vào ({{ m.doan_ra | change(last_year.doan_ra) }} so với cùng kỳ); tính chung từ đầu năm đến nay: {{ ytd.doan_ra }} đoàn ra, {{ ytd.doan_vao }} đoàn vào."
      - heading: KẾ HOẠCH {{ next.label | upper }}
        status: planned
        period: next
        group_by: none
    signer: giam_doc
    appendix:
      title: SỐ LIỆU {{ period.label | upper }}
      compare: last_year
"""
BARE_DOCXTPL = """\
import json, sys
from docxtpl import DocxTemplate
context = json.load(open(sys.argv[2], encoding="utf-8"))
tpl = DocxTemplate(sys.argv[1])
tpl.render(context, autoescape=True)
tpl.save(sys.argv[3])
"""
BARE_PYTHON_DOCX = """\
import sys
from docx import Document
for path in sys.argv[1:]:
    Document(path)
"""
WHERE = "import ngoaivu_cli.templates as t, os; print(os.path.dirname(t.__file__))"


@dataclass
class Run:
    seconds: float
    peak_kb: int


@dataclass
class Row:
    label: str
    case: str
    ours: list[Run]
    base: list[Run]
    target: float | None = None
    ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target


def run(cmd: list[str], cwd: Path, env: dict[str, str], *, check: bool = True) -> Run:
    """One subprocess: wall time and peak RSS (KB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""  # never blocks on a full pipe
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        proc.stderr.close()
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}) in {cwd}:\n"
                         f"{err.decode(errors='replace')}")
    return Run(elapsed, usage.ru_maxrss)


Step = tuple[list[str], Path, dict[str, str]]


def pairs(a: Step, b: Step, n: int, *, before_a: Callable[[int], None] | None = None
          ) -> tuple[list[Run], list[Run], list[float]]:
    """``n`` interleaved pairs (A B, then B A, ...), so a drift of the machine hits both."""
    ours, base, ratios = [], [], []
    for i in range(n):
        order = ("a", "b") if i % 2 == 0 else ("b", "a")
        got: dict[str, Run] = {}
        for which in order:
            if which == "a":
                if before_a:
                    before_a(i)
                got["a"] = run(*a)
            else:
                got["b"] = run(*b)
        ours.append(got["a"])
        base.append(got["b"])
        ratios.append(got["a"].seconds / got["b"].seconds)
    return ours, base, ratios


def environment(cache: bool, pycache: Path) -> dict[str, str]:
    """The children's environment: no NGOAIVU_* setting of the caller, and compiled bytecode
    kept (in ``pycache``, outside the repository) as after ``pip install``: with
    PYTHONDONTWRITEBYTECODE every run would compile ngoaivu's modules again, which the
    baselines (only installed packages) never pay."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("NGOAIVU_") and k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["PYTHONIOENCODING"] = "utf-8"
    env["SOURCE_DATE_EPOCH"] = "1693699200"
    if not cache:
        env["NGOAIVU_NO_CACHE"] = "1"
    return env


def program() -> list[str]:
    """The installed ``ngoaivu`` program, as users run it; else ``python -P -m ngoaivu_cli``
    (-P: the working folder is not put on the module path)."""
    script = Path(sys.executable).parent / "ngoaivu"
    return [str(script)] if script.is_file() else [sys.executable, "-P", "-m", "ngoaivu_cli"]


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def print_row(row: Row) -> None:
    target = f"≤ {row.target:g}×" if row.target is not None else "—"
    verdict = {True: "met", False: "MISSED", None: ""}[row.met]
    print(f"| {row.label} | {row.case} | {_median(row.ours):.3f} s | {_median(row.base):.3f} s "
          f"| {row.ratio:.2f}× [{min(row.ratios):.2f}–{max(row.ratios):.2f}] | {target} "
          f"| {verdict} |", flush=True)


SOURCES_SO = """\
version: 1
sources:
{items}
"""
G_PERIOD = ("2022-12-01", "2023-12-31")  # what the 6-month report of H1 2023 reads (look-back
# and the next half included): the files copied into the single source


def sources_fixture(province: Path, count: int, entries: int, env: dict[str, str]) -> None:
    """``province/so`` listing ``count`` sources of ``entries`` generated entries each, and
    ``province/so1`` listing one source holding every file of those sources dated in
    :data:`G_PERIOD`, renamed apart (each summary marked with its source, or the generator's
    repeated summaries would be duplicates within one log): the same entries, read once each."""
    single = province / "mot-nguon" / "data"
    items = []
    for i in range(count):
        folder = province / f"nguon-{i:02d}"
        if not (folder / "data").is_dir():
            run([sys.executable, str(HERE / "generate.py"), "--entries", str(entries), "--out",
                 str(folder), "--seed", str(1000 + i)], province.parent, env)
        items.append(f"  - {{name: Cơ quan {i + 1:02d}, path: ../nguon-{i:02d}}}")
        for path in sorted((folder / "data").rglob("*.yaml")):
            day = path.name[:10]
            if G_PERIOD[0] <= day <= G_PERIOD[1]:
                target = single / path.parent.relative_to(folder / "data") / (
                    f"{path.stem}-n{i:02d}.yaml")
                target.parent.mkdir(parents=True, exist_ok=True)
                text = path.read_text("utf-8").replace('summary: "', f'summary: "[n{i:02d}] ')
                target.write_text(text, "utf-8")
    for name, text in (("so", "\n".join(items)),
                       ("so1", "  - {name: Một nguồn, path: ../mot-nguon}")):
        (province / name / "data").mkdir(parents=True, exist_ok=True)
        (province / name / "ngoaivu.yaml").write_text(SOURCES_SO.format(items=text), "utf-8")


def row_maker(rows: list[Row], n: int) -> Callable[..., Row]:
    """``row(label, case, a, b, target, before_a=None)``: measure ``n`` pairs, print the row
    and keep it in ``rows``."""
    def row(label: str, case: str, a: Step, b: Step, target: float | None,
            before_a: Callable[[int], None] | None = None) -> Row:
        ours, base, ratios = pairs(a, b, n, before_a=before_a)
        r = Row(label, case, ours, base, target, ratios)
        rows.append(r)
        print_row(r)
        return r

    return row


def sources_rows(tmp: Path, ngoaivu: list[str], nocache: dict[str, str],
                 cache: dict[str, str], n: int, quick: bool,
                 row: Callable[..., Row]) -> list[Row]:
    """(h): the 6-month report of a Sở with 20 sources of 10,000 entries vs one source holding
    the same files of the period, without and with the parse cache; then ``validate`` of the
    20 sources warm (each source's cache) vs a first run."""
    g_count, g_sources = (300, 20) if quick else (10_000, 20)
    province = tmp / "province"
    if not (province / "so1" / "data").is_dir():
        t = time.perf_counter()
        sources_fixture(province, g_sources, g_count, nocache)
        print(f"  generated {g_sources} sources of {g_count:,} entries in "
              f"{time.perf_counter() - t:.1f} s", flush=True)
    half = [*ngoaivu, "report", "--period", "6 tháng đầu năm 2023", "--type",
            "bao_cao_tong_hop_6_thang", "-o", "half.docx", "--force"]
    many, one = province / "so", province / "so1"
    for where in (many, one):
        shutil.rmtree(where / ".ngoaivu-cache", ignore_errors=True)
        run([*ngoaivu, "validate"], where, cache)  # clean logs, caches filled
    g_label = (f"(h) 6-month report, {g_sources} sources x {g_count:,} entries vs one source "
               "with the same files of the period")
    out = [row(g_label, "no cache", (half, many, nocache), (half, one, nocache), 1.5),
           row(g_label, "with the parse cache", (half, many, cache), (half, one, cache), 1.5)]
    # validate of every source: a warm run (each source's parse cache; a log with sources is
    # never replayed) vs a first run that fills the caches
    firsts, warms, ratios = [], [], []
    for _i in range(max(1, n // 2)):
        shutil.rmtree(many / ".ngoaivu-cache", ignore_errors=True)
        firsts.append(run([*ngoaivu, "validate"], many, cache))
        warms.append(run([*ngoaivu, "validate"], many, cache))
        ratios.append(warms[-1].seconds / firsts[-1].seconds)
    warm = Row(f"(h) validate {g_sources} sources x {g_count:,} entries",
               "warm (each source's cache) vs first run", warms, firsts, None, ratios)
    print_row(warm)
    return [*out, warm]


def startup_rows(row: Callable[..., Row], ngoaivu: list[str], tmp: Path,
                 env: dict[str, str]) -> None:
    """(c): ``ngoaivu --help`` and ``--version`` vs ``python -c "import click"``."""
    click_run = ([sys.executable, "-c", "import click"], tmp, env)
    row("(c) ngoaivu --help vs python -c 'import click'", "",
        ([*ngoaivu, "--help"], tmp, env), click_run, 1.15)
    row("(c) ngoaivu --version vs python -c 'import click'", "",
        ([*ngoaivu, "--version"], tmp, env), click_run, 1.15)


def validate_rows(row: Callable[..., Row], mid: int, mid_log: Path, hand_log: Path,
                  validate: list[str], tmp: Path, nocache: dict[str, str], cache: dict[str, str],
                  generated: float) -> list[tuple[str, int, int | None]]:
    """(b): validate of the mid-sized log vs a bare libyaml loop (no cache, first run, warm,
    one file edited), the same with files typed by hand; their peak memory."""
    loop_file = tmp / "loop.py"
    loop_file.write_text(LOOP, "utf-8")
    loop = ([sys.executable, str(loop_file), "data"], mid_log, nocache)
    b_label = f"(b) validate {mid:,}-entry log vs bare CSafeLoader loop"
    b_nocache = row(b_label, "no cache", (validate, mid_log, nocache), loop, 1.1)

    def drop_cache(_i: int) -> None:
        shutil.rmtree(mid_log / ".ngoaivu-cache", ignore_errors=True)

    row(b_label, "first run (fills the cache)", (validate, mid_log, cache), loop, 1.15,
        before_a=drop_cache)
    time.sleep(max(0.0, 2.2 - (time.time() - generated)))  # files older than a clock tick
    run(validate, mid_log, cache)
    b_warm = row(b_label, "warm re-run", (validate, mid_log, cache), loop, 0.2)

    def editor(root: Path, index: int) -> tuple[Callable[[int], None], Callable[[], None]]:
        """Change one file before each run (the replay memo cannot be used)."""
        files = sorted((root / "data").rglob("*.yaml"))
        edited = files[min(index, len(files) - 1)]
        original = edited.read_bytes()

        def edit(i: int) -> None:
            edited.write_bytes(original + f"# sửa lần {i}\n".encode())

        return edit, lambda: edited.write_bytes(original)

    edit, restore = editor(mid_log, mid // 2)
    row(b_label, "warm, one file edited", (validate, mid_log, cache), loop, None,
        before_a=edit)
    restore()
    # the same with files as people type them (block lists, comments): read by libyaml,
    # so the parse cache keeps them
    h_loop = ([sys.executable, str(loop_file), "data"], hand_log, nocache)
    h_label = f"(b) same, {mid:,} entries typed by hand (libyaml)"
    row(h_label, "no cache", (validate, hand_log, nocache), h_loop, None)
    run(validate, hand_log, cache)
    edit, restore = editor(hand_log, 100)
    row(h_label, "warm, one file edited", (validate, hand_log, cache), h_loop, None,
        before_a=edit)
    restore()
    return [(f"(b) validate, {mid:,}-entry log, no cache",
             max(r.peak_kb for r in b_nocache.ours), None),
            (f"(b) validate, {mid:,}-entry log, warm", max(r.peak_kb for r in b_warm.ours), None),
            ("(b) bare CSafeLoader loop", max(r.peak_kb for r in b_nocache.base), None)]


def bean_rows(row: Callable[..., Row], logs: dict[str, Path], big: int,
              ledgers: tuple[int, int], bean: Path | str | None, validate: list[str], tmp: Path,
              nocache: dict[str, str], n: int) -> None:
    """(g): validate without the cache vs bean-check --no-cache on the same activities."""
    g_label = "(g) validate, no cache, vs bean-check --no-cache"
    if not bean:
        print(f"| {g_label} | bean-check is not installed (pip install beancount): not "
              "measured | | | | ≤ 0.8× | |", flush=True)
    for count in (*ledgers, big) if bean else ():
        root = logs[f"bean{count}" if count != big else f"log{big}"]
        ledger = root.with_suffix(".beancount")
        if not ledger.is_file():  # a log kept (--keep) from a run without bean-check
            print(f"| {g_label} | {count:,} entries: no {ledger.name} (remove the kept "
                  "log to write it) | | | | ≤ 0.8× | |", flush=True)
            continue
        row(g_label, f"{count:,} entries", (validate, root, nocache),
            ([str(bean), "--no-cache", str(ledger)], tmp, nocache), 0.8,
            count=min(n, 3) if count >= 100_000 else None)  # about 25 s a pair


def print_memory(memory: list[tuple[str, int, int | None]]) -> None:
    if not memory:
        return
    print("\n| peak memory | MB | target | |\n|---|---:|---|---|")
    for label, kb, limit in memory:
        verdict = "" if limit is None else "met" if kb / 1024 <= limit else "MISSED"
        print(f"| {label} | {kb / 1024:.0f} | {f'≤ {limit} MB' if limit else '—'} "
              f"| {verdict} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ngoaivu speed targets, as ratios")
    parser.add_argument("--quick", action="store_true",
                        help="small logs and 3 pairs (about a minute): checks the script runs")
    parser.add_argument("--pairs", type=int, default=None,
                        help="interleaved pairs per row (default 7; 3 with --quick)")
    parser.add_argument("--keep", type=Path, default=None, help="generate the logs here and "
                        "keep them (default: a temporary folder, removed afterwards)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--bean-check", type=Path, default=None,
                        help="beancount's bean-check for (g) (default: found on PATH)")
    parser.add_argument("--only", choices=["sources", "startup", "validate", "bean"],
                        default=None, help="only the rows of (h), sources; of (d) and (c), "
                        "startup; of (b), validate (and its peak memory); or of (g), bean")
    args = parser.parse_args(argv)
    n = args.pairs or (3 if args.quick else 7)
    big, mid = (3_000, 1_000) if args.quick else (100_000, 20_000)
    ledgers = (300, 1_000) if args.quick else (1_000, 10_000)  # and the big log's
    bean = args.bean_check or shutil.which("bean-check")
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="ngoaivu-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    tmp = tmp.resolve()
    nocache, cache = environment(False, tmp / "pycache"), environment(True, tmp / "pycache")
    ngoaivu = program()
    rows: list[Row] = []
    memory: list[tuple[str, int, int | None]] = []
    started = time.perf_counter()

    def write_json() -> None:
        if args.json:
            args.json.write_text(json.dumps({
                "rows": [{"label": r.label, "case": r.case, "ours": _median(r.ours),
                          "baseline": _median(r.base), "ratio": r.ratio, "ratios": r.ratios,
                          "target": r.target, "met": r.met} for r in rows],
                "memory_kb": {label: kb for label, kb, _limit in memory}},
                ensure_ascii=False, indent=2), "utf-8")
    try:
        where = subprocess.run([sys.executable, "-P", "-c", WHERE], cwd=tmp, env=nocache,
                               capture_output=True, text=True)
        if where.returncode != 0:
            raise SystemExit("ngoaivu is not installed in this Python: pip install . (or -e .)"
                             f"\n{where.stderr}")
        templates = Path(where.stdout.strip())
        if args.only == "sources":  # (h) alone
            print("| measurement | case | ngoaivu (A) | baseline (B) | ratio A/B | target | |")
            print("|---|---|---:|---:|---:|---|---|", flush=True)
            rows.append(sources_rows(tmp, ngoaivu, nocache, cache, n, args.quick,
                                     row_maker(rows, n))[-1])
            return 0
        logs = {}
        print(f"{' '.join(ngoaivu)} (package in {templates.parent}); logs in {tmp}", flush=True)
        startup = args.only == "startup"  # (d) and (c) alone: the week logs only
        # (b) or (g) alone: the logs they read ((b)'s peak memory and (g)'s biggest ledger:
        # the big log)
        only = args.only if args.only in ("validate", "bean") else None
        kinds: list[tuple[str, int, str | None]] = [] if only else [("week20", 20, BENCH_WEEK)]
        kinds += [(f"log{big}", big, BENCH_WEEK)]
        if not startup and only != "bean":
            kinds += [(f"log{mid}", mid, None), (f"hand{mid}", mid, "hand")]
        if bean and not startup and only != "validate":
            kinds += [(f"bean{n}", n, "ledger") for n in ledgers]
        for name, count, week in kinds:
            root = tmp / name
            if not (root / "data").exists():
                # in a child process, so that this one stays small: a child's peak memory
                # counts what it inherits from its parent before exec
                t = time.perf_counter()
                extra = (["--hand"] if week == "hand"
                         else ["--ledger", str(root.with_suffix(".beancount"))]
                         if week == "ledger" else ["--week", week] if week else [])
                if bean and name == f"log{big}":
                    extra += ["--ledger", str(root.with_suffix(".beancount"))]
                run([sys.executable, str(HERE / "generate.py"), "--entries", str(count),
                     "--out", str(root), *extra], tmp, nocache)
                print(f"  generated {name}: {count:,} entries in {time.perf_counter() - t:.1f} s",
                      flush=True)
            logs[name] = root
        generated = time.time()
        big_log = logs[f"log{big}"]
        validate = [*ngoaivu, "validate"]
        for name, root in logs.items():  # every log must be clean, or the commands stop early
            shutil.rmtree(root / ".ngoaivu-cache", ignore_errors=True)
            first = run(validate, root, cache)  # cold: reads every file, fills the cache
            if name == f"log{big}" and only != "bean":
                memory.append((f"(b) validate, {big:,}-entry log, first run (fills the cache)",
                               first.peak_kb, 64))
        if not only:
            week_log = logs["week20"]
            # once, so that bytecode of everything a report imports is compiled before timing
            run([*ngoaivu, "report", "--period", BENCH_WEEK, "-o", "warm-up.docx", "--force"],
                week_log, nocache)

        print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPU; medians of {n} "
              "interleaved pairs, ratio = median of the pair ratios [range]")
        if args.quick:
            print("--quick: small logs; the targets are meant for the full run")
        print()
        print("| measurement | case | ngoaivu (A) | baseline (B) | ratio A/B | target | |")
        print("|---|---|---:|---:|---:|---|---|", flush=True)

        def row(label: str, case: str, a: Step, b: Step, target: float | None,
                before_a: Callable[[int], None] | None = None, count: int | None = None) -> Row:
            ours, base, ratios = pairs(a, b, count or n, before_a=before_a)
            r = Row(label, case, ours, base, target, ratios)
            rows.append(r)
            print_row(r)
            return r

        if only:
            if only == "validate":
                memory += validate_rows(row, mid, logs[f"log{mid}"], logs[f"hand{mid}"], validate,
                                        tmp, nocache, cache, generated)
            else:
                bean_rows(row, logs, big, ledgers, bean, validate, tmp, nocache, n)
            print_memory(memory)
            write_json()
            return 0

        # (a) one week of a long history vs the same week alone
        report = [*ngoaivu, "report", "--period", BENCH_WEEK, "-o", "week.docx", "--force"]
        if not startup:
            a_label = f"(a) report {BENCH_WEEK}, {big:,}-entry log vs 20-entry log"
            a_row = row(a_label, "no cache", (report, big_log, nocache),
                        (report, week_log, nocache), 1.2)
            if (week_log / "week.docx").read_bytes() != (big_log / "week.docx").read_bytes():
                raise SystemExit("the two week reports differ: the comparison would be unfair")
            run(report, big_log, cache)  # fill the cache
            row(a_label, "with the parse cache", (report, big_log, cache),
                (report, week_log, nocache), 1.2)

        # (d) a weekly report vs a bare docxtpl render of the same template and context
        run([*ngoaivu, "report", "--period", BENCH_WEEK, "--format", "json", "-o",
             "context.json", "--force"], week_log, nocache)
        bare_file = tmp / "bare_docxtpl.py"
        bare_file.write_text(BARE_DOCXTPL, "utf-8")
        bare = ([sys.executable, str(bare_file), str(templates / "van-ban.docx"),
                 "context.json", "bare.docx"], week_log, nocache)
        row("(d) weekly report, 20-entry log, vs bare docxtpl render", "",
            (report, week_log, nocache), bare, 1.2)
        row(f"(d) weekly report, {big:,}-entry log, vs bare docxtpl render", "",
            (report, big_log, nocache), bare, 1.2)
        if startup:
            startup_rows(row, ngoaivu, tmp, nocache)
            write_json()
            return 0

        # (e) importing an archive of Word reports vs opening them with python-docx alone
        docs = tmp / "docs"
        if not docs.is_dir():
            run([sys.executable, str(HERE / "generate.py"), "--docx", "--entries",
                 str(50 if args.quick else 500), "--out", str(docs)], tmp, nocache)
        files = sorted(str(p) for p in docs.glob("*.docx"))
        target = tmp / "imported"

        def empty_log(_i: int) -> None:
            shutil.rmtree(target, ignore_errors=True)
            (target / "data").mkdir(parents=True)

        empty_log(0)
        open_file = tmp / "bare_python_docx.py"
        open_file.write_text(BARE_PYTHON_DOCX, "utf-8")
        row(f"(e) import {len(files)} Word reports vs opening them with python-docx", "",
            ([*ngoaivu, "import", *files], target, nocache),
            ([sys.executable, str(open_file), *files], tmp, nocache), 2.0, before_a=empty_log)

        # (f) a December monthly report printing year-to-date and same-period-last-year figures
        # (and an appendix compared with last year) vs the same report without them (issue 13)
        (big_log / "ngoaivu.yaml").write_text(SCOPES_CONFIG, "utf-8")
        try:
            month = "tháng 12/2023"
            monthly = [*ngoaivu, "report", "--period", month, "-o", "month.docx", "--force",
                       "--type"]
            scoped, plain = [*monthly, "thang_so_sanh"], [*monthly, "thang"]
            e_label = f"(f) report {month} with ytd and last-year figures vs without, {big:,}-entry log"
            row(e_label, "no cache", (scoped, big_log, nocache), (plain, big_log, nocache), 1.5)
            run(scoped, big_log, cache)  # fill the cache
            row(e_label, "with the parse cache", (scoped, big_log, cache),
                (plain, big_log, cache), 1.5)
        finally:
            (big_log / "ngoaivu.yaml").unlink()

        # (h) a Sở compiling 20 sources vs one source holding the same files of the period
        rows.append(sources_rows(tmp, ngoaivu, nocache, cache, n, args.quick, row)[-1])

        # (c) --help, --version vs import click
        startup_rows(row, ngoaivu, tmp, nocache)

        # (b) validate vs a bare libyaml loop over the same files
        b_memory = validate_rows(row, mid, logs[f"log{mid}"], logs[f"hand{mid}"], validate, tmp,
                                 nocache, cache, generated)
        # (g) validate vs beancount's bean-check on the same activities, as a ledger
        bean_rows(row, logs, big, ledgers, bean, validate, tmp, nocache, n)

        memory += [(f"(a) report, {big:,}-entry log", max(r.peak_kb for r in a_row.ours), None),
                   ("(a) report, 20-entry log", max(r.peak_kb for r in a_row.base), None),
                   *b_memory]
        print_memory(memory)
        python_only = run([sys.executable, "-c", "pass"], tmp, nocache)
        print(f"\n(`python -c pass` takes {python_only.seconds:.3f} s here; whole benchmark "
              f"{time.perf_counter() - started:.0f} s)", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)

    write_json()
    return 0


if __name__ == "__main__":
    sys.exit(main())
