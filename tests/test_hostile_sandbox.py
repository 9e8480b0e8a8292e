"""The template sandbox bounds a render without touching the process it runs in.

A web application will render templates on many threads of one long-lived process: no
render may rely on SIGALRM (main thread only) or lower ``RLIMIT_AS`` (the whole process). The
bounds are counted by the sandbox itself: the turns of loops, calls, filters, operators, what is
printed; a run (a command, a request) has one budget of time and output for all its renders.

The resource cases run ``ngoaivu`` in a subprocess under ``RLIMIT_AS`` and a wall-clock bound
(tests/test_hostile_repo.run), so a regression fails instead of hanging CI.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.test_hostile_repo import WEEK, make_repo, run

ENDLESS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
DOUBLING = ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}"
            "{{ f(60) }}")


def _config(repo: Path, text: str) -> None:
    (repo / "ngoaivu.yaml").write_text(text, "utf-8")


def _headings(*texts: str) -> str:
    sections = "".join(f"      - heading: \"{t}\"\n        status: done\n" for t in texts)
    return f"report_types:\n  bao_cao_tuan:\n    sections:\n{sections}"


def _render_in_thread(source: str, seconds: float) -> tuple[BaseException | None, float]:
    from ngoaivu_cli.sandbox import bounded, template_env

    got: list[BaseException | None] = [None]
    took = [0.0]

    def work() -> None:
        start = time.monotonic()
        try:
            with bounded(seconds):
                template_env().from_string(source).render()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            got[0] = exc
        took[0] = time.monotonic() - start

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "a render on a thread was never stopped"
    return got[0], took[0]


@pytest.mark.parametrize("payload", [ENDLESS, DOUBLING])
def test_a_render_on_another_thread_is_stopped_in_time(payload: str) -> None:
    """Off the main thread (a server's request) the time limit holds: a clean TimeOut."""
    from ngoaivu_cli.sandbox import TimeOut

    resource = pytest.importorskip("resource")
    before = resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)
    exc, took = _render_in_thread(payload, 0.5)
    assert isinstance(exc, TimeOut), exc
    assert "0.5 giây" in str(exc)
    assert took < 5
    assert (resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)) == before


def test_two_threads_rendering_at_once_do_not_interfere() -> None:
    """One thread's hostile render ends with its own limit; the other thread's renders at the
    same time keep their own bounds and output (nothing is shared between them)."""
    from ngoaivu_cli.sandbox import TimeOut, bounded, template_env

    results: dict[str, Any] = {}

    def hostile() -> None:
        results["hostile"] = _render_in_thread(ENDLESS, 1.0)

    def normal() -> None:
        env = template_env()
        out = []
        start = time.monotonic()
        while time.monotonic() - start < 1.5:  # renders while the other one runs, and after
            with bounded(0.3):
                out.append(env.from_string(
                    "{% for i in range(200) %}{{ i|vn_number }}{% endfor %}").render())
        results["normal"] = out

    threads = [threading.Thread(target=hostile), threading.Thread(target=normal)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    exc, took = results["hostile"]
    assert isinstance(exc, TimeOut) and "1 giây" in str(exc), exc
    assert 0.9 < took < 5
    want = "".join(str(i) for i in range(200))
    assert len(results["normal"]) > 3 and all(o == want for o in results["normal"])


def test_a_run_budget_is_its_threads_own() -> None:
    """A run's budget (contextvars) is the thread's: one thread spending its budget leaves
    another thread's run whole."""
    from ngoaivu_cli.budget import run_budget
    from ngoaivu_cli.sandbox import LimitError, bounded, template_env

    env = template_env()
    seen: dict[str, Any] = {}

    def spender() -> None:
        with run_budget(output=100):
            with bounded():
                env.from_string("{{ 'x' * 90 }}").render()
            try:
                with bounded():
                    env.from_string("{{ 'x' * 20 }}").render()
            except LimitError as exc:
                seen["spent"] = str(exc)

    def other() -> None:
        with run_budget(output=100), bounded():
            seen["other"] = env.from_string("{{ 'y' * 90 }}").render()

    for target in (spender, other):
        thread = threading.Thread(target=target)
        thread.start()
        thread.join(30)
    assert "tính chung" in seen["spent"]
    assert seen["other"] == "y" * 90


@pytest.mark.parametrize("text", ["{{ '1E+999999'|vn_number }}", "{{ '1E+999999999'|vn_number }}",
                                  "{{ '1E-999999999'|vn_money }}",
                                  "{{ 10|percent_of(3, 999999) }}"])
def test_a_filter_on_an_absurd_number_is_refused_at_once(tmp_path: Path, text: str) -> None:
    """Jinja computes a filter on a literal when it compiles the string: the filter itself
    refuses a number it would take a million digits to write (it never ended before)."""
    repo = make_repo(tmp_path)
    _config(repo, f"report_types:\n  bao_cao_tuan:\n    opening: \"{text}\"\n")
    start = time.monotonic()
    proc = run(repo, "validate", timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    assert "quá lớn" in out and "ngoaivu.yaml" in out, out


def test_forty_slow_strings_share_one_budget(tmp_path: Path) -> None:
    """Each string may take 2 s, the run's strings and templates together 20 s: forty strings
    of almost 2 s each no longer make `validate` run 80 s and more."""
    slow = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}x"
    repo = make_repo(tmp_path)
    _config(repo, _headings(*[slow.replace("x", str(i)) for i in range(40)]))
    start = time.monotonic()
    proc = run(repo, "validate", timeout=70)
    took = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "tính chung" in out, out
    assert took < 50, took


def test_strings_printing_millions_stop_at_the_run_budget(tmp_path: Path) -> None:
    """Twenty strings printing 31 million characters each: refused, nothing written (it used
    5 GB and wrote a 1.86 GB file, exit 0)."""
    big = "{% for i in range(31) %}{{ 'x' * 1000000 }}{% endfor %}"
    repo = make_repo(tmp_path)
    _config(repo, _headings(*[big] * 20))
    proc = run(repo, "report", "--period", WEEK, "--format", "json", "-o", "out.json",
               timeout=90)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-2000:]
    assert "in ra quá nhiều" in out, out[-2000:]
    assert not (repo / "out.json").exists()


def test_the_run_output_is_counted_over_all_its_strings() -> None:
    """Strings that each print less than a string may still stop when the run has printed
    its budget: the output is bounded for the run, not per string."""
    from ngoaivu_cli.budget import run_budget
    from ngoaivu_cli.textfill import FillError, fill

    text = "{% for i in range(9) %}{{ 'x' * 100000 }}{% endfor %}"  # 900.000 each
    filled = 0
    with run_budget(output=5_000_000), pytest.raises(FillError, match="tính chung"):
        for _ in range(10):
            fill(text, {})
            filled += 1
    assert filled == 5


def test_data_a_render_builds_is_bounded_without_a_process_limit() -> None:
    """A list of distinct million-character strings grows by the megabyte each turn: the data
    a render produces is counted (no RLIMIT_AS any more) and refused well under 500 MB."""
    from ngoaivu_cli.sandbox import LimitError, bounded, template_env

    source = ("{% set ns = namespace(l=[], s='x' * 999000) %}{% for i in range(100000) %}"
              "{% set ns.l = ns.l + [ns.s ~ i] %}{% endfor %}{{ ns.l|length }}")
    exc, took = _render_in_thread(source, 30)
    assert isinstance(exc, LimitError) and "MB" in str(exc), exc
    del exc
    with pytest.raises(LimitError), bounded():
        template_env().from_string(source).render()


@pytest.mark.parametrize("depth", [400, 3000])
def test_a_deeply_nested_configuration_string_is_a_clean_error(tmp_path: Path,
                                                                 depth: int) -> None:
    """``((((...))))`` nested deeper than Python's recursion: a located configuration error,
    never RecursionError's traceback."""
    repo = make_repo(tmp_path)
    _config(repo, "report_types:\n  bao_cao_tuan:\n    opening: \"{{ "
            + "(" * depth + "1" + ")" * depth + " }}\"\n")
    for args in (("validate",), ("report", "--period", WEEK, "--format", "md", "-o", "o.md")):
        proc = run(repo, *args, timeout=60)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, out
        assert "ngoaivu.yaml" in out and "lồng nhau quá sâu" in out, out


@pytest.mark.parametrize(("where", "payload"), [
    ("template", "{{ period|attr('__class__') }}"),
    ("template", "{{ '{0.__class__}'.format(period) }}"),
    ("template", "{% include 'van-ban.md.j2' %}"),
    ("string", "{% include 'van-ban.md.j2' %}"),  # (the other two: refused there already)
])
def test_validate_refuses_what_report_refuses(tmp_path: Path, where: str, payload: str) -> None:
    """What the sandbox refuses when a report is built, `validate` says too (it passed, and
    `{% include %}` failed at report time with an English TypeError)."""
    repo = make_repo(tmp_path)
    if where == "string":
        _config(repo, f"report_types:\n  bao_cao_tuan:\n    opening: \"{payload}\"\n")
        shown = "ngoaivu.yaml:3:"
    else:
        (repo / "templates").mkdir()
        (repo / "templates" / "van-ban.md.j2").write_text(f"# x\n\n{payload}\n", "utf-8")
        shown = "templates/van-ban.md.j2:3:"
    proc = run(repo, "validate", timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert shown in out and "E-TEMPLATE" in out, out
    proc = run(repo, "report", "--period", WEEK, "--format", "md", "-o", "o.md", timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "TypeError" not in out and "no loader" not in out, out
