"""Measure ngoaivu against its speed targets, as ratios taken in one run (see README, Performance).

    python benchmarks/run.py            # about two minutes; logs are generated in a temp folder
    python benchmarks/run.py --quick    # smaller logs and fewer runs, to check the script works

Every figure is a whole command run as a subprocess (``python -m ngoaivu_cli ...``), the best of
N runs; peak memory is the child's maximum resident set size (``os.wait4``). The ratios compare
commands timed in the same run on the same machine, so they travel better than seconds do.

(a) ``report`` for one week on a 100,000-entry log vs the same week on a 20-entry log (both logs
    hold exactly the same files for that week: the report files are compared byte for byte).
(b) ``validate`` of a 20,000-entry log vs a bare loop of ``yaml.load(..., Loader=CSafeLoader)``
    over the same files: without the cache, on the first run (which fills the cache) and warm.
(c) ``ngoaivu --help`` vs ``python -c "import click"``.
(d) one weekly report vs a bare docxtpl render of the same template and context.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import BENCH_WEEK  # noqa: E402

NGOAIVU = [sys.executable, "-m", "ngoaivu_cli"]
LOOP = """\
import os, sys, yaml
from yaml import CSafeLoader
for dirpath, dirnames, filenames in os.walk(sys.argv[1]):
    for name in filenames:
        if name.endswith(".yaml"):
            with open(os.path.join(dirpath, name), "rb") as fh:
                yaml.load(fh.read(), Loader=CSafeLoader)
"""
BARE_DOCXTPL = """\
import json, sys
from docxtpl import DocxTemplate
context = json.load(open(sys.argv[2], encoding="utf-8"))
tpl = DocxTemplate(sys.argv[1])
tpl.render(context, autoescape=True)
tpl.save(sys.argv[3])
"""


@dataclass
class Run:
    seconds: float
    peak_kb: int


def run(cmd: list[str], cwd: Path, env: dict[str, str], *, check: bool = True) -> Run:
    """One subprocess: wall time and peak RSS (KB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')}")
    return Run(elapsed, usage.ru_maxrss)


def best(cmd: list[str], cwd: Path, env: dict[str, str], n: int,
         before: list[str] | None = None) -> Run:
    """Best time of ``n`` runs (and the peak memory of that run); ``before`` is removed first."""
    runs = []
    for _ in range(n):
        for name in before or []:
            shutil.rmtree(cwd / name, ignore_errors=True)
        runs.append(run(cmd, cwd, env))
    return min(runs, key=lambda r: r.seconds)


def environment(cache: bool, pycache: Path) -> dict[str, str]:
    """The children's environment: no NGOAIVU_* setting of the caller, and compiled bytecode
    kept (in ``pycache``, outside the repository) as after ``pip install``: with
    PYTHONDONTWRITEBYTECODE every run would compile ngoaivu's modules again, which the
    baselines (only installed packages) never pay."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("NGOAIVU_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["PYTHONIOENCODING"] = "utf-8"
    env["SOURCE_DATE_EPOCH"] = "1693699200"
    if not cache:
        env["NGOAIVU_NO_CACHE"] = "1"
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ngoaivu speed targets, as ratios")
    parser.add_argument("--quick", action="store_true", help="small logs, few runs")
    parser.add_argument("--runs", type=int, default=5, help="best of N (default 5)")
    parser.add_argument("--keep", type=Path, default=None, help="generate the logs here and "
                        "keep them (default: a temporary folder, removed afterwards)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    n = 2 if args.quick else args.runs
    big, mid, small = (5_000, 2_000, 200) if args.quick else (100_000, 20_000, 1_000)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="ngoaivu-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    tmp = tmp.resolve()
    nocache, cache = environment(False, tmp / "pycache"), environment(True, tmp / "pycache")
    rows: list[tuple[str, str, float, float, str, str]] = []
    memory: list[tuple[str, int]] = []
    try:
        logs = {}
        print(f"generating logs in {tmp} ...", file=sys.stderr)
        for name, count, week in (("week20", 20, BENCH_WEEK), (f"log{big}", big, BENCH_WEEK),
                                  (f"log{mid}", mid, None), (f"log{small}", small, None),
                                  (f"hand{mid}", mid, "hand")):
            root = tmp / name
            if not (root / "data").exists():
                # in a child process, so that this one stays small: a child's peak memory
                # counts what it inherits from its parent before exec
                t = time.perf_counter()
                extra = (["--hand"] if week == "hand" else ["--week", week] if week else [])
                run([sys.executable, str(HERE / "generate.py"), "--entries", str(count),
                     "--out", str(root), *extra], tmp, nocache)
                print(f"  {name}: {count:,} entries in {time.perf_counter() - t:.1f} s",
                      file=sys.stderr)
            logs[name] = root
        generated = time.time()
        week_log, big_log, mid_log = logs["week20"], logs[f"log{big}"], logs[f"log{mid}"]
        for root in logs.values():  # every log must be clean, or the commands stop early
            run([*NGOAIVU, "validate"], root, nocache)
        # once, so that bytecode of everything a report imports is compiled before timing
        run([*NGOAIVU, "report", "--period", BENCH_WEEK, "-o", "warm-up.docx", "--force"],
            week_log, nocache)

        # (a) one week of a long history vs the same week alone
        report = [*NGOAIVU, "report", "--period", BENCH_WEEK, "-o", "week.docx", "--force"]
        a_small = best(report, week_log, nocache, n)
        a_big = best(report, big_log, nocache, n)
        if (week_log / "week.docx").read_bytes() != (big_log / "week.docx").read_bytes():
            raise SystemExit("the two week reports differ: the comparison would be unfair")
        rows.append((f"(a) report {BENCH_WEEK}, {big:,}-entry log vs 20-entry log",
                     "no cache", a_big.seconds, a_small.seconds, "≤ 1.5×",
                     _ok(a_big.seconds / a_small.seconds <= 1.5)))
        best(report, big_log, cache, 1)  # fill the cache
        a_warm = best(report, big_log, cache, n)
        rows.append(("(a) same, with the parse cache", "warm", a_warm.seconds, a_small.seconds,
                     "≤ 1.5×", _ok(a_warm.seconds / a_small.seconds <= 1.5)))
        memory += [(f"(a) report, {big:,}-entry log", a_big.peak_kb),
                   ("(a) report, 20-entry log", a_small.peak_kb)]

        # (b) validate vs a bare libyaml loop over the same files
        loop_file = tmp / "loop.py"
        loop_file.write_text(LOOP, "utf-8")
        loop = best([sys.executable, str(loop_file), "data"], mid_log, nocache, n)
        validate = [*NGOAIVU, "validate"]
        b_nocache = best(validate, mid_log, nocache, n)
        b_cold = best(validate, mid_log, cache, max(2, n - 2), before=[".ngoaivu-cache"])
        time.sleep(max(0.0, 2.2 - (time.time() - generated)))  # files older than a clock tick
        best(validate, mid_log, cache, 1)
        b_warm = best(validate, mid_log, cache, n)
        edited = sorted((mid_log / "data").rglob("*.yaml"))[len(list(
            (mid_log / "data").rglob("*.yaml"))) // 2]
        original = edited.read_bytes()
        b_edit_runs = []
        for i in range(n):  # one file changed since the last run: the memo cannot be used
            edited.write_bytes(original + f"# sửa lần {i}\n".encode())
            b_edit_runs.append(run(validate, mid_log, cache))
        edited.write_bytes(original)
        b_edit = min(b_edit_runs, key=lambda r: r.seconds)
        label = f"(b) validate {mid:,}-entry log vs bare CSafeLoader loop"
        rows.append((label, "no cache", b_nocache.seconds, loop.seconds, "≤ 1.2×",
                     _ok(b_nocache.seconds / loop.seconds <= 1.2)))
        rows.append((label, "cold (fills the cache)", b_cold.seconds, loop.seconds, "≤ 1.2×",
                     _ok(b_cold.seconds / loop.seconds <= 1.2)))
        rows.append((label, "warm re-run", b_warm.seconds, loop.seconds, "≤ 0.2×",
                     _ok(b_warm.seconds / loop.seconds <= 0.2)))
        rows.append((label, "warm, one file edited", b_edit.seconds, loop.seconds, "", ""))
        # the same with files as people type them (block lists, comments): read by libyaml,
        # so the parse cache keeps them
        hand_log = logs[f"hand{mid}"]
        h_loop = best([sys.executable, str(loop_file), "data"], hand_log, nocache, n)
        h_nocache = best(validate, hand_log, nocache, n)
        best(validate, hand_log, cache, 1)
        h_edit = []
        edited = sorted((hand_log / "data").rglob("*.yaml"))[100]
        original = edited.read_bytes()
        for i in range(n):
            edited.write_bytes(original + f"# sửa lần {i}\n".encode())
            h_edit.append(run(validate, hand_log, cache))
        edited.write_bytes(original)
        label = f"(b) same, {mid:,} entries typed by hand (libyaml)"
        rows.append((label, "no cache", h_nocache.seconds, h_loop.seconds, "", ""))
        rows.append((label, "warm, one file edited", min(r.seconds for r in h_edit),
                     h_loop.seconds, "", ""))
        memory += [(f"(b) validate, {mid:,}-entry log, no cache", b_nocache.peak_kb),
                   (f"(b) validate, {mid:,}-entry log, warm", b_warm.peak_kb),
                   ("(b) bare CSafeLoader loop", loop.peak_kb)]
        python_only = best([sys.executable, "-c", "pass"], mid_log, nocache, n)

        # (c) --help vs import click
        help_run = best([*NGOAIVU, "--help"], tmp, nocache, 2 * n)
        click_run = best([sys.executable, "-c", "import click"], tmp, nocache, 2 * n)
        rows.append(("(c) ngoaivu --help vs python -c 'import click'", "", help_run.seconds,
                     click_run.seconds, "≤ 1.3×",
                     _ok(help_run.seconds / click_run.seconds <= 1.3)))

        # (d) a weekly report vs a bare docxtpl render of the same template and context
        run([*NGOAIVU, "report", "--period", BENCH_WEEK, "--format", "json", "-o",
             "context.json", "--force"], week_log, nocache)
        bare_file = tmp / "bare_docxtpl.py"
        bare_file.write_text(BARE_DOCXTPL, "utf-8")
        template = subprocess.run(
            [sys.executable, "-c", "from ngoaivu_cli.render.report import shipped_template; "
             "print(shipped_template('van-ban.docx'))"], capture_output=True, text=True,
            check=True, env=nocache).stdout.strip()
        bare = best([sys.executable, str(bare_file), template, "context.json", "bare.docx"],
                    week_log, nocache, n)
        rows.append(("(d) weekly report vs bare docxtpl render", "", a_small.seconds,
                     bare.seconds, "≤ 1.3×", _ok(a_small.seconds / bare.seconds <= 1.3)))
        small_validate = best(validate, logs[f"log{small}"], nocache, n)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPU; best of {n} runs; "
          f"`python -c pass` takes {python_only.seconds:.2f} s here\n")
    print("| measurement | case | ngoaivu | baseline | ratio | target | |")
    print("|---|---|---:|---:|---:|---|---|")
    for label, case, ours, base, target, verdict in rows:
        print(f"| {label} | {case} | {ours:.2f} s | {base:.2f} s | {ours / base:.2f}× | "
              f"{target or '—'} | {verdict} |")
    print("\n| peak memory | MB |\n|---|---:|")
    for label, kb in memory:
        print(f"| {label} | {kb / 1024:.0f} |")
    print(f"\n(validate of the {small:,}-entry log: {small_validate.seconds:.2f} s)")
    if args.json:
        args.json.write_text(json.dumps({
            "rows": [dict(zip(("label", "case", "ours", "baseline", "target", "met"), r,
                              strict=True)) for r in rows],
            "memory_kb": dict(memory)}, ensure_ascii=False, indent=2), "utf-8")
    return 0


def _ok(met: bool) -> str:
    return "met" if met else "missed"


if __name__ == "__main__":
    sys.exit(main())
