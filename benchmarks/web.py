"""Measure ``ngoaivu serve`` against issue 24's "Fast and concurrent" targets (benchmarks/README.md).

    python benchmarks/web.py            # the 100,000-entry generated log (a few minutes)
    python benchmarks/web.py --quick    # a 2,000-entry log, few repetitions (CI: it still runs)

The real app, served by waitress over real HTTP on a free port of 127.0.0.1, in a thread of this
process (as ``ngoaivu serve`` runs it, in the log's folder); the clients are ``http.client``
connections kept alive, each with its own session cookie and CSRF token, as a browser's tab.
Every figure is taken after a first request (not counted), which fills the server's caches.

(a) the Nhật ký list of one month (``/nhat-ky?ky=tháng 10/2023``): median and p90, ≤ 100 ms.
(b) the report preview (``/bao-cao``) of a week and of a month: median and p90, ≤ 100 ms.
(c) a save: the add form sent with its CSRF token (``POST /them``, answered by a redirect):
    median and p90, ≤ 150 ms.
(d) a weekly report's DOCX built in the running server (``/bao-cao/tai``) vs a bare docxtpl
    render-and-save of the same template and context in this process, interleaved pairs
    (A B, B A, ...): the median of the pair ratios, ≤ 1.2×. The template and the context are
    the very ones the server's build gave ``render_docx`` (captured on the first request).
(e) 8 concurrent clients making 200 changes each (adds, edits of the same few entries — so
    that conflicts happen —, deletes; each change opens its form first, as a browser does),
    then: every accepted change is on disk (the versions of each entry form one chain: no
    accepted edit was overwritten without being seen), every refused one was answered by the
    conflict page (HTTP 409) and wrote nothing, no file is lost, partial or left over, and the
    log validates (``api.problems``).

Speed is reported, not asserted (a shared machine is noisy): the exit status is 1 only when (e)
finds a correctness failure. With ``--keep DIR`` the generated log is kept (and reused); the
benchmark's own changes to it are removed at the end.
"""

from __future__ import annotations

import argparse
import copy
import html
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import BENCH_WEEK  # noqa: E402

MONTH = "tháng 10/2023"  # (a): about 830 entries on the 100,000-entry log
PREVIEW_MONTH = "tháng 8/2023"  # (b), its monthly report
WRITE_MONTH = (2023, 11)  # (c) and (e) add their entries in this month's folder
TRASH = ".ngoaivu-trash"
FORM = {"category": "dich_thuat", "status": "done", "unit": "TTDT",
        "partners": "Lào, Nhật Bản", "tags": "dich-thuat", "m_trang_bd_noi_dung": "12"}
WORDS = ["Dịch", "tài", "liệu", "hội", "thảo", "xúc", "tiến", "đầu", "tư", "cho", "đoàn",
         "công", "tác", "của", "tỉnh", "bạn"]


# --------------------------------------------------------------------------- an HTTP client


class Client:
    """One browser tab: a kept-alive connection, its session cookie and its CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> tuple[int, dict[str, str], str, float]:
        """(status, headers, body, seconds from sending to the last byte)."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        for attempt in (1, 2):
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()  # a kept-alive connection the server closed: once more
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        seconds = time.perf_counter() - start
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()
        text = data.decode("utf-8", errors="replace")
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        if found:
            self.token = found[1]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text, seconds

    def get(self, path: str) -> tuple[int, dict[str, str], str, float]:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, str], str, float]:
        if not self.token:
            self.get("/them")
        return self.request("POST", path, {**form, "csrf": self.token})

    def close(self) -> None:
        self.conn.close()


def url(path: str, **query: str) -> str:
    return path + ("?" + urlencode(query, quote_via=quote) if query else "")


# --------------------------------------------------------------------------- figures


@dataclass
class Figure:
    label: str
    measured: str
    target: str
    ok: bool | None  # None: no target


def timed(client: Client, path: str, reps: int, *, expect: int = 200) -> list[float]:
    """The first request (not counted), then ``reps`` timed ones."""
    status, _h, body, _s = client.get(path)
    if status != expect:
        raise SystemExit(f"GET {path}: {status}\n{body[:2000]}")
    times = []
    for _ in range(reps):
        status, _h, body, seconds = client.get(path)
        if status != expect:
            raise SystemExit(f"GET {path}: {status}\n{body[:2000]}")
        times.append(seconds)
    return times


def memo_switch(on: bool) -> None:
    """The library's window memo (``ngoaivu_cli/log/memo.py``) on, or off as before it
    existed (``--compare``): every window is loaded from the files again."""
    from ngoaivu_cli.log import memo

    memo.forget()
    memo.MAX_WINDOWS = 16 if on else 0


def compared(client: Client, label: str, path: str, reps: int) -> Figure:
    """``path`` timed with the window memo off and on, in alternating blocks (off on on off
    off on ...; each block after two requests not counted, which fill the memo)."""
    times: dict[bool, list[float]] = {False: [], True: []}
    block = 5
    order = [False, True, True, False] * max(1, reps // (2 * block))
    for on in order:
        memo_switch(on)
        times[on] += timed(client, path, block)[1:] if on else timed(client, path, block)
    memo_switch(True)
    off, on = statistics.median(times[False]), statistics.median(times[True])
    return Figure(f"{label}: without → with the window memo",
                  f"median {off * 1000:.0f} → {on * 1000:.0f} ms: {on / off:.2f}× "
                  f"({len(times[False])} + {len(times[True])} requests, alternating)",
                  "", None)


def p90(times: list[float]) -> float:
    return statistics.quantiles(times, n=10, method="inclusive")[8] if len(times) > 1 \
        else times[0]


def latency(label: str, times: list[float], target_ms: float) -> Figure:
    median, high = statistics.median(times) * 1000, p90(times) * 1000
    return Figure(label, f"median {median:.0f} ms, p90 {high:.0f} ms ({len(times)} requests)",
                  f"≤ {target_ms:g} ms median", median <= target_ms)


def print_figure(f: Figure) -> None:
    verdict = {True: "ok", False: "NOT MET", None: ""}[f.ok]
    print(f"| {f.label} | {f.measured} | {f.target} | {verdict} |", flush=True)


def day_text(day: int, month: tuple[int, int] = WRITE_MONTH) -> str:
    return f"{day}/{month[1]}/{month[0]}"


def saves(client: Client, reps: int, rng: random.Random) -> list[float]:
    """(c): ``reps`` adds of new activities (a first one not counted)."""
    client.get("/them")
    times = []
    for i in range(reps + 1):
        summary = f"Lưu thử {i} " + " ".join(rng.sample(WORDS, 8))
        status, headers, body, seconds = client.post(
            "/them", {**FORM, "date": day_text(1 + i % 28), "summary": summary})
        if status != 302 or "/hoat-dong/" not in headers.get("location", ""):
            raise SystemExit(f"POST /them: {status}\n{body[:2000]}")
        if i:
            times.append(seconds)
    return times


def docx_pairs(client: Client, pairs: int, tmp: Path) -> tuple[Figure, list[float]]:
    """(d): the server's DOCX of the week vs a bare docxtpl render-and-save of the template
    and context the server's build gave ``render_docx`` (captured on a first request)."""
    from docxtpl import DocxTemplate

    from ngoaivu_cli.render import docx_writer

    captured: list[tuple[Path, dict[str, Any]]] = []
    original = docx_writer.render_docx

    def capture(template: Path, context: dict[str, Any], **kw: Any) -> bytes:
        captured.append((Path(template), copy.deepcopy(context)))
        return original(template, context, **kw)

    path = url("/bao-cao/tai", ky=BENCH_WEEK, loai="bao_cao_tuan", dinh_dang="docx")
    docx_writer.render_docx = capture  # type: ignore[assignment]
    try:
        status, _h, body, _s = client.get(path)
    finally:
        docx_writer.render_docx = original  # type: ignore[assignment]
    if status != 200 or not captured:
        raise SystemExit(f"GET {path}: {status} (template captured: {bool(captured)})\n"
                         f"{body[:2000]}")
    template, context = captured[0]
    out = tmp / "bare.docx"

    def bare() -> float:
        start = time.perf_counter()
        tpl = DocxTemplate(str(template))
        tpl.render(copy.copy(context), autoescape=True)
        tpl.save(str(out))
        return time.perf_counter() - start

    bare()  # docxtpl's own first-call costs (imports, its Jinja environment) not counted
    ours, base, ratios = [], [], []
    for i in range(pairs):
        got: dict[str, float] = {}
        for which in (("a", "b") if i % 2 == 0 else ("b", "a")):
            if which == "a":
                status, _h, body, seconds = client.get(path)
                if status != 200:
                    raise SystemExit(f"GET {path}: {status}\n{body[:2000]}")
                got["a"] = seconds
            else:
                got["b"] = bare()
        ours.append(got["a"])
        base.append(got["b"])
        ratios.append(got["a"] / got["b"])
    ratio = statistics.median(ratios)
    return Figure(f"(d) weekly report DOCX {BENCH_WEEK} in the server vs bare docxtpl "
                  f"render-and-save, same template and context ({template.name})",
                  f"{ratio:.2f}× [{min(ratios):.2f}–{max(ratios):.2f}]; "
                  f"{statistics.median(ours) * 1000:.0f} ms vs "
                  f"{statistics.median(base) * 1000:.0f} ms ({pairs} pairs)",
                  "≤ 1.2×", ratio <= 1.2), ratios


# --------------------------------------------------------------------------- (e) concurrency


@dataclass
class Change:
    """One change a client sent and how the server answered it."""

    kind: str  # add, edit, delete
    token: str  # the entry it is about (a word at the start of its summary)
    status: int
    seen: str | None = None  # the summary of the version the form was opened with
    summary: str | None = None  # what the change writes (add, edit)
    day: int = 0
    location: str = ""
    body: str = ""


@dataclass
class Shared:
    """What the clients share: the live entries (token → (key, day)), newest last."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    live: dict[str, tuple[str, int]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    gone: int = 0  # forms that could not be opened: the entry was deleted meanwhile

    def hot(self, rng: random.Random) -> tuple[str, str, int] | None:
        """One of the 4 newest live entries: the clients keep editing the same few."""
        with self.lock:
            items = list(self.live.items())[-4:]
        if not items:
            return None
        token, (key, day) = rng.choice(items)
        return token, key, day


# a form asked for an entry deleted meanwhile: not found (404), or found and then gone before
# it was read (the library's ChangedMeanwhile page, 422; 409 if shown as a conflict)
GONE = (404, 409, 422)
_SUMMARY = re.compile(r'<textarea name="summary"[^>]*>([^<]*)</textarea>')
_SEEN = re.compile(r'name="seen" value="([0-9a-f]+)"')


def client_run(port: int, number: int, edits: int, shared: Shared, times: dict[str, list[float]]
               ) -> None:
    rng = random.Random(number)
    client = Client(port)
    try:
        client.get("/them")
        for op in range(edits):
            target = shared.hot(rng)
            roll = rng.random()
            if target is None or roll < 0.3:
                _add(client, number, op, rng, shared, times)
            elif roll < 0.85:
                _edit(client, number, op, target, shared, times)
            else:
                _delete(client, target, shared, times)
    except Exception as exc:  # noqa: BLE001 - a client that dies is a failure to report
        with shared.lock:
            shared.failures.append(f"client {number}: {type(exc).__name__}: {exc}")
    finally:
        client.close()


def _add(client: Client, number: int, op: int, rng: random.Random, shared: Shared,
         times: dict[str, list[float]]) -> None:
    token = f"K{number}x{op}"
    day = 1 + rng.randrange(28)
    summary = f"{token} " + " ".join(rng.sample(WORDS, 7))
    status, headers, body, seconds = client.post(
        "/them", {**FORM, "date": day_text(day), "summary": summary})
    change = Change("add", token, status, summary=summary, day=day,
                    location=headers.get("location", ""), body=body[:3000])
    with shared.lock:
        shared.changes.append(change)
        times["add"].append(seconds)
        found = re.search(r"/hoat-dong/([0-9a-f]{16})", change.location)
        if status == 302 and found:
            shared.live[token] = (found[1], day)


def _edit(client: Client, number: int, op: int, target: tuple[str, str, int], shared: Shared,
          times: dict[str, list[float]]) -> None:
    token, key, day = target
    status, _h, body, _s = client.get(f"/sua/{key}")
    if status in GONE:
        with shared.lock:
            shared.gone += 1
        return
    summary, seen = _SUMMARY.search(body), _SEEN.search(body)
    if status != 200 or not summary or not seen:
        with shared.lock:
            shared.failures.append(f"GET /sua/{key} ({token}): {status}, not the entry form")
        return
    was = html.unescape(summary[1])
    new = f"{token} sửa bởi {number}-{op} " + " ".join(was.split()[1:4])
    status, headers, body, seconds = client.post(
        f"/sua/{key}", {**FORM, "date": day_text(day), "summary": new, "seen": seen[1]})
    with shared.lock:
        shared.changes.append(Change("edit", token, status, seen=was, summary=new, day=day,
                                     location=headers.get("location", ""), body=body[:3000]))
        times["edit"].append(seconds)


def _delete(client: Client, target: tuple[str, str, int], shared: Shared,
            times: dict[str, list[float]]) -> None:
    token, key, day = target
    status, _h, body, _s = client.get(f"/xoa/{key}")
    if status in GONE:
        with shared.lock:
            shared.gone += 1
        return
    seen = _SEEN.search(body)
    text = re.search(r"<pre>(.*?)</pre>", body, re.S)
    was = file_summary(html.unescape(text[1])) if text else None
    if status != 200 or not seen or not was:
        with shared.lock:
            shared.failures.append(f"GET /xoa/{key} ({token}): {status}, not the delete page")
        return
    status, headers, body, seconds = client.post(f"/xoa/{key}", {"seen": seen[1]})
    with shared.lock:
        shared.changes.append(Change("delete", token, status, seen=was, day=day,
                                     location=headers.get("location", ""), body=body[:3000]))
        times["delete"].append(seconds)
        if status == 302:
            shared.live.pop(token, None)


def file_summary(text: str) -> str | None:
    """The summary of an entry file's one entry (None when it is not one entry)."""
    from ngoaivu_cli import api

    entries, _problems = api.entries_of_text(text, "tệp")
    return entries[0].summary if len(entries) == 1 else None


def check_outcome(root: Path, before: set[Path], shared: Shared
                  ) -> tuple[list[str], int, int]:
    """What (e) must find: each change answered by a redirect (accepted) or the conflict page
    (refused); the accepted versions of each entry one chain ending in what is on disk (or in
    the trash, when deleted); nothing of a refused change anywhere; no other new file; a log
    that validates."""
    from ngoaivu_cli import api

    failures = list(shared.failures)
    by_token: dict[str, list[Change]] = {}
    for c in shared.changes:
        by_token.setdefault(c.token, []).append(c)
        if c.status not in (302, 409) or (c.kind == "add" and c.status != 302):
            failures.append(f"{c.kind} of {c.token}: HTTP {c.status}, neither accepted nor a "
                            f"conflict page: {c.body[:300]!r}")
    data = root / "data"
    month = data / f"{WRITE_MONTH[0]}" / f"{WRITE_MONTH[1]:02d}"
    now = {p for p in month.iterdir()} if month.is_dir() else set()
    new = sorted(now - before)
    on_disk: dict[str, list[tuple[Path, str]]] = {}
    for path in new:
        text = path.read_text("utf-8", errors="replace")
        summary = file_summary(text)
        token = summary.split()[0] if summary else ""
        if not path.name.endswith(".yaml") or token not in by_token:
            failures.append(f"left over or partial: {path.relative_to(root)}")
            continue
        on_disk.setdefault(token, []).append((path, text))
    trashed: dict[str, list[str]] = {}
    for path in (root / TRASH).rglob("*.yaml") if (root / TRASH).is_dir() else ():
        summary = file_summary(path.read_text("utf-8", errors="replace"))
        if summary:
            trashed.setdefault(summary.split()[0], []).append(summary)
    refused_texts = {c.summary for c in shared.changes if c.status == 409 and c.summary}
    accepted = refused = 0
    for token, changes in by_token.items():
        adds = [c for c in changes if c.kind == "add" and c.status == 302]
        if not adds:
            continue
        edits = [c for c in changes if c.kind == "edit" and c.status == 302]
        deletes = [c for c in changes if c.kind == "delete" and c.status == 302]
        accepted += len(adds) + len(edits) + len(deletes)
        refused += sum(1 for c in changes if c.status == 409)
        version, left = adds[0].summary, list(edits)
        while True:  # the chain of versions: each accepted edit replaced the one it saw
            following = [c for c in left if c.seen == version]
            if len(following) > 1:
                failures.append(f"{token}: {len(following)} accepted edits of the same version "
                                f"(a lost update): {[c.summary for c in following]}")
            if not following:
                break
            left.remove(following[0])
            version = following[0].summary
        if left:
            failures.append(f"{token}: accepted edits of versions never on disk: "
                            f"{[c.summary for c in left]}")
        files = on_disk.get(token, [])
        if deletes:
            if len(deletes) > 1 or deletes[0].seen != version:
                failures.append(f"{token}: deleted {len(deletes)}×, from "
                                f"{[c.seen for c in deletes]}, last version {version!r}")
            if files:
                failures.append(f"{token}: deleted but still in data/: {files[0][0].name}")
            if version not in trashed.get(token, []):
                failures.append(f"{token}: deleted, but its last version is not in {TRASH}/")
            continue
        if len(files) != 1:
            failures.append(f"{token}: {len(files)} files in data/ (expected 1)")
            continue
        path, text = files[0]
        entries, problems = api.entries_of_text(text, path.name)
        if len(entries) != 1 or problems:
            failures.append(f"{token}: {path.name} is not one valid entry: {problems[:2]}")
        elif entries[0].summary != version:
            failures.append(f"{token}: {path.name} holds {entries[0].summary!r}, the last "
                            f"accepted version is {version!r} (a change lost)")
        elif entries[0].date is None or entries[0].date.day != adds[0].day:
            failures.append(f"{token}: {path.name} has the date {entries[0].date}")
    for token, files in on_disk.items():
        for path, text in files:
            if file_summary(text) in refused_texts:
                failures.append(f"{token}: {path.name} holds a refused change")
    for token, summaries in trashed.items():
        for summary in summaries:
            if summary in refused_texts:
                failures.append(f"{token}: a refused change is in {TRASH}/")
    config = api.load_config(cwd=root)
    errors = [p for p in api.problems(config) if p.is_error]
    failures += [f"validate: {p.format(excerpt=False)}" for p in errors[:20]]
    return failures, accepted, refused


def concurrency(port: int, root: Path, clients: int, edits: int) -> tuple[Figure, list[str],
                                                                           dict[str, Any]]:
    month = root / "data" / f"{WRITE_MONTH[0]}" / f"{WRITE_MONTH[1]:02d}"
    before = set(month.iterdir()) if month.is_dir() else set()
    shared = Shared()
    times: dict[str, list[float]] = {"add": [], "edit": [], "delete": []}
    threads = [threading.Thread(target=client_run, args=(port, i, edits, shared, times))
               for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    failures, accepted, refused = check_outcome(root, before, shared)
    sent = len(shared.changes)
    medians = ", ".join(f"{k} {statistics.median(v) * 1000:.0f} ms" for k, v in times.items()
                        if v)
    figure = Figure(f"(e) {clients} concurrent clients × {edits} changes (adds, edits of the "
                    "same entries, deletes)",
                    f"{sent} sent in {elapsed:.1f} s: {accepted} accepted, all on disk; "
                    f"{refused} refused as conflicts (409); {shared.gone} forms of entries "
                    f"deleted meanwhile; {len(failures)} failures; log validates: "
                    f"{'no' if any(f.startswith('validate:') for f in failures) else 'yes'} "
                    f"(medians under load: {medians})",
                    "0 lost, 0 partial, conflicts reported", not failures)
    summary = {"sent": sent, "accepted": accepted, "refused": refused, "gone": shared.gone,
               "seconds": elapsed, "failures": failures}
    return figure, failures, summary


# --------------------------------------------------------------------------- main


def serve(root: Path) -> tuple[Any, int, threading.Thread]:
    """The app over ``root`` (the working folder, as ``ngoaivu serve`` makes it), served by
    waitress in a thread."""
    import logging

    from ngoaivu_cli.web.server import make_server

    # "Task queue depth is 4": waitress saying that the clients of (e) wait for its 4 threads
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    os.chdir(root)
    server = make_server(root, port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server, int(server.effective_port), thread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ngoaivu serve: latency, DOCX cost and "
                                     "concurrent edits (issue 24, item 6)")
    parser.add_argument("--quick", action="store_true", help="a 2,000-entry log, few "
                        "repetitions, 8 clients × 20 changes (CI: checks it runs)")
    parser.add_argument("--entries", type=int, default=None,
                        help="entries of the generated log (default 100,000; 2,000 --quick)")
    parser.add_argument("--reps", type=int, default=None,
                        help="timed requests per latency figure (default 30; 5 --quick)")
    parser.add_argument("--pairs", type=int, default=None,
                        help="interleaved pairs for (d) (default 15; 3 --quick)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--edits", type=int, default=None,
                        help="changes per client in (e) (default 200; 20 --quick)")
    parser.add_argument("--keep", type=Path, default=None, help="generate the log here and keep "
                        "it (reused when already there); the benchmark's changes are removed")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--only", choices=["latency", "concurrency"], default=None)
    parser.add_argument("--compare", action="store_true", help="also time (a), (b) and (d) "
                        "with the library's window memo turned off, in the same run: the "
                        "figures before it and after")
    args = parser.parse_args(argv)
    entries = args.entries or (2_000 if args.quick else 100_000)
    reps = args.reps or (5 if args.quick else 30)
    pairs = args.pairs or (3 if args.quick else 15)
    edits = args.edits or (20 if args.quick else 200)
    json_out = args.json.resolve() if args.json else None
    tmp = (args.keep or Path(tempfile.mkdtemp(prefix="ngoaivu-web-bench-"))).resolve()
    root = tmp / f"log{entries}"
    work = Path(tempfile.mkdtemp(prefix="ngoaivu-web-bench-work-"))
    month = root / "data" / f"{WRITE_MONTH[0]}" / f"{WRITE_MONTH[1]:02d}"
    here = Path.cwd()
    kept: set[Path] = set()
    failures: list[str] = []
    figures: list[Figure] = []
    try:
        if not (root / "data").is_dir():
            t = time.perf_counter()
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--entries", str(entries),
                            "--out", str(root), "--week", BENCH_WEEK], check=True,
                           stdout=subprocess.DEVNULL)
            print(f"generated {entries:,} entries in {time.perf_counter() - t:.1f} s",
                  flush=True)
        kept = set(month.iterdir()) if month.is_dir() else set()
        server, port, thread = serve(root)
        print(f"\nngoaivu serve on {entries:,} entries, waitress (4 threads) in this process, "
              f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU; after a first request")
        if args.quick:
            print("--quick: a small log and few requests; the targets are meant for the full run")
        print("\n| figure | measured | target | |\n|---|---|---|---|", flush=True)
        rng = random.Random(7)
        client = Client(port)
        try:
            if args.only in (None, "latency"):
                for f in (latency(f"(a) Nhật ký, {MONTH}", timed(client, url(
                              "/nhat-ky", ky=MONTH), reps), 100),
                          latency(f"(b) report preview, week {BENCH_WEEK}", timed(
                              client, url("/bao-cao", ky=BENCH_WEEK), reps), 100),
                          latency(f"(b) report preview, {PREVIEW_MONTH}", timed(
                              client, url("/bao-cao", ky=PREVIEW_MONTH), reps), 100),
                          latency("(c) save: add an activity (POST /them, its CSRF token)",
                                  saves(client, reps, rng), 150)):
                    figures.append(f)
                    print_figure(f)
                f, _ratios = docx_pairs(client, pairs, work)
                figures.append(f)
                print_figure(f)
            if args.compare:
                for label, path in ((f"(a) Nhật ký, {MONTH}", url("/nhat-ky", ky=MONTH)),
                                    (f"(b) preview, week {BENCH_WEEK}",
                                     url("/bao-cao", ky=BENCH_WEEK)),
                                    (f"(b) preview, {PREVIEW_MONTH}",
                                     url("/bao-cao", ky=PREVIEW_MONTH)),
                                    (f"(d) DOCX, week {BENCH_WEEK}",
                                     url("/bao-cao/tai", ky=BENCH_WEEK, loai="bao_cao_tuan",
                                         dinh_dang="docx"))):
                    f = compared(client, label, path, reps)
                    figures.append(f)
                    print_figure(f)
            if args.only in (None, "concurrency"):
                f, failures, _summary = concurrency(port, root, args.clients, edits)
                figures.append(f)
                print_figure(f)
        finally:
            client.close()
            # the server's thread is a daemon, gone with the process: closing its socket
            # under its select() loop would only print a traceback
            del server, thread
        for line in failures[:50]:
            print("  FAILED:", line)
        if json_out:
            json_out.write_text(json.dumps(
                {"entries": entries, "figures": [f.__dict__ for f in figures],
                 "failures": failures}, ensure_ascii=False, indent=2), "utf-8")
    finally:
        os.chdir(here)
        shutil.rmtree(work, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
        else:  # the kept log as it was: the benchmark's own files out
            for path in (set(month.iterdir()) if month.is_dir() else set()) - kept:
                path.unlink()
            shutil.rmtree(root / TRASH, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
