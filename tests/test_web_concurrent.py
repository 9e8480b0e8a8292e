"""``ngoaivu serve`` under concurrent edits (issue 24, "Nothing lost, ever"; the timed version is
``benchmarks/web.py``): 4 browser tabs over real HTTP make 25 changes each, in rounds where all
of them open the same entry's form and then send it at once. Exactly one change of a round is
accepted and on disk, the others get the conflict page and write nothing; no file is lost,
partial or left over; the log validates."""

from __future__ import annotations

import http.client
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

pytest.importorskip("flask")
pytest.importorskip("waitress")

from ngoaivu_cli import api  # noqa: E402
from ngoaivu_cli.web.testing import running  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TABS, ROUNDS = 4, 25
FORM = {"category": "dich_thuat", "status": "done", "unit": "TTDT", "partners": "Lào",
        "tags": "dich-thuat", "date": "12/9/2023"}
MONTH = ("2023", "09")


class Tab:
    """One browser tab: its connection, session cookie and CSRF token."""

    def __init__(self, address: str) -> None:
        parts = urlsplit(address)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> tuple[int, str, str]:
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode({**form, "csrf": self.token}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        if found:
            self.token = found[1]
        return response.status, response.getheader("Location") or "", text


def seen_of(page: str) -> str:
    found = re.search(r'name="seen" value="([0-9a-f]+)"', page)
    assert found, page[:500]
    return found[1]


def summary_of(text: str) -> str:
    entries, _problems = api.entries_of_text(text, "tệp")
    assert len(entries) == 1 and entries[0].summary, text
    return entries[0].summary


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NGOAIVU_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_concurrent_edits_lose_nothing_and_report_every_conflict(log: Path) -> None:
    month = log / "data" / MONTH[0] / MONTH[1]
    before = set(month.iterdir()) if month.is_dir() else set()
    with running(log) as address:
        tabs = [Tab(address) for _ in range(TABS)]
        for tab in tabs:
            tab.request("GET", "/them")
        # the rounds: edits of one entry by every tab at once; now and then every tab adds
        # its own entry, or every tab deletes the same one
        kinds = ["add"] + ["edit", "edit", "delete", "add", "edit"] * 5
        kinds = kinds[:ROUNDS]
        live: list[str] = []  # the entries' ids, oldest first
        expected: dict[str, str] = {}  # id → the summary on disk
        trashed: list[str] = []  # the summaries of the deleted entries
        refused = 0
        for number, kind in enumerate(kinds):
            target = live[-1] if live and kind != "add" else None
            if target is None and kind != "add":
                kind = "add"
            pages = {}
            if kind == "edit":
                pages = {i: tab.request("GET", f"/sua/{target}") for i, tab in enumerate(tabs)}
            elif kind == "delete":
                pages = {i: tab.request("GET", f"/xoa/{target}") for i, tab in enumerate(tabs)}
            for status, _location, _page in pages.values():
                assert status == 200
            barrier = threading.Barrier(TABS)
            answers: dict[int, tuple[int, str, str]] = {}

            def send(i: int, tab: Tab, kind: str = kind, target: str | None = target,
                     number: int = number, pages: dict[int, tuple[int, str, str]] = pages,
                     barrier: threading.Barrier = barrier,
                     answers: dict[int, tuple[int, str, str]] = answers) -> None:
                barrier.wait()
                if kind == "add":
                    answers[i] = tab.request("POST", "/them", {
                        **FORM, "summary": f"T{i}v{number} Dịch tài liệu hội nghị lần {number}"})
                elif kind == "edit":
                    answers[i] = tab.request("POST", f"/sua/{target}", {
                        **FORM, "summary": f"Sửa {i}v{number} tài liệu",
                        "seen": seen_of(pages[i][2])})
                else:
                    answers[i] = tab.request("POST", f"/xoa/{target}",
                                             {"seen": seen_of(pages[i][2])})

            threads = [threading.Thread(target=send, args=(i, tab)) for i, tab in enumerate(tabs)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert len(answers) == TABS
            statuses = sorted(status for status, _l, _p in answers.values())
            if kind == "add":
                assert statuses == [302] * TABS, answers
                for i, (_s, location, _p) in sorted(answers.items()):
                    key = location.rsplit("/", 1)[1].split("?")[0]
                    live.append(key)
                    expected[key] = f"T{i}v{number} Dịch tài liệu hội nghị lần {number}"
                continue
            # one accepted, the others refused with the conflict page
            assert statuses == [302] + [409] * (TABS - 1), (kind, statuses)
            refused += TABS - 1
            for i, (status, _location, page) in answers.items():
                if status == 409:
                    assert "Chưa ghi gì" in page
                elif kind == "edit":
                    assert target is not None
                    expected[target] = f"Sửa {i}v{number} tài liệu"
                else:
                    assert target is not None
                    trashed.append(expected.pop(target))
                    live.remove(target)
        # what is on disk: exactly the accepted versions, nothing of a refused change
        on_disk = {}
        for key in expected:
            status, _location, page = tabs[0].request("GET", f"/hoat-dong/{key}")
            assert status == 200
            found = re.search(r"data/(\d{4}/\d{2}/[\w.-]+\.yaml)", page)
            assert found, page[:500]
            on_disk[key] = log / "data" / found[1]
    new = (set(month.iterdir()) if month.is_dir() else set()) - before
    assert new == set(on_disk.values())  # no file lost, none left over (no temporary file)
    for key, path in on_disk.items():
        text = path.read_text("utf-8")
        entries, problems = api.entries_of_text(text, path.name)
        assert not problems and len(entries) == 1  # whole, valid
        assert summary_of(text) == expected[key]
    kept = sorted(summary_of(p.read_text("utf-8")) for p in (log / ".ngoaivu-trash").rglob(
        "*.yaml"))
    assert kept == sorted(trashed)
    assert refused > 0 and trashed
    config = api.load_config(cwd=log)
    assert [p for p in api.problems(config) if p.is_error] == []


def test_a_file_that_is_not_utf8_is_a_page_not_a_crash(log: Path) -> None:
    """Opening an entry whose file is not UTF-8 (or that was deleted after the server found
    it: the same error path) gives a Vietnamese page, never a 500."""
    from ngoaivu_cli.web.app import create_app, entry_id

    path = log / "data" / "2023" / "08" / "2023-08-28-hong.yaml"
    path.write_bytes(b'date: 2023-08-28\ncategory: dich_thuat\nsummary: "H\xe1p"\n')
    client = create_app(log).test_client()
    for url in ("/hoat-dong/", "/sua/", "/xoa/"):
        response = client.get(url + entry_id(Path("2023/08/2023-08-28-hong.yaml")))
        assert response.status_code in (404, 409, 422), (url, response.status_code)
        assert "UTF-8" in response.get_data(as_text=True)
