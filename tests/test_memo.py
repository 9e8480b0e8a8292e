"""The window memo (ngoaivu_cli/log/memo.py): a server loading the same period again reads no
file, and never shows stale data after a change made outside (an editor, ``git pull``)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ngoaivu_cli import api
from ngoaivu_cli.errors import DataError
from ngoaivu_cli.log import loader, memo

pytestmark = pytest.mark.usefixtures("clean_env")

ENTRY = 'date: "{day}"\ncategory: chu_tri_hop\nsummary: "{summary}"\n'


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    memo.forget()
    yield
    memo.forget()


@pytest.fixture
def opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader opens (both the reads of entries and the look-back's peeks)."""
    seen: list[str] = []
    real = loader._read_raw

    def spy(path: Path | str) -> object:
        seen.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(loader, "_read_raw", spy)
    return seen


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loads happen 3 s after the files were written (old enough to be trusted by their
    stamps), without waiting: the memo's clock runs ahead."""
    real = time.time_ns
    monkeypatch.setattr(memo.time, "time_ns", lambda: real() + 3_000_000_000)


def write(path: Path, day: str, summary: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ENTRY.format(day=day, summary=summary), "utf-8")
    return path


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    month = tmp_path / "data" / "2023" / "10"
    for day in (2, 3, 4):
        write(month / f"2023-10-{day:02d}-hop.yaml", f"2023-10-{day:02d}", f"Họp ngày {day}")
    # a look-back file (the month before), without `end`: peeked at, never parsed
    write(tmp_path / "data" / "2023" / "09" / "2023-09-25-hop.yaml", "2023-09-25", "Họp cũ")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def summaries(root: Path) -> list[str]:
    config = api.load_config(cwd=root)
    period = api.resolve_period("tháng 10/2023", config)
    return [e.summary or "" for e in api.select_entries(config, period).entries]


def kept(root: Path, opened: list[str]) -> None:
    """Load the period until it is kept: the last load opens no file."""
    summaries(root)
    summaries(root)
    opened.clear()
    summaries(root)
    assert opened == []


def tick() -> None:
    """Let the file system's clock move on (its timestamps are coarser than a nanosecond)."""
    time.sleep(0.05)


@pytest.mark.usefixtures("later")
def test_a_period_loaded_again_reads_no_file(log: Path, opened: list[str]) -> None:
    first = summaries(log)
    assert first == ["Họp ngày 2", "Họp ngày 3", "Họp ngày 4"]
    summaries(log)  # the second load keeps the window
    opened.clear()
    assert summaries(log) == first
    assert summaries(log) == first
    assert opened == []


@pytest.mark.usefixtures("later")
def test_a_file_edited_outside_is_seen_even_with_its_old_size_and_time(
        log: Path, opened: list[str]) -> None:
    path = log / "data" / "2023" / "10" / "2023-10-03-hop.yaml"
    kept(log, opened)
    before = os.stat(path)
    tick()
    path.write_text(ENTRY.format(day="2023-10-03", summary="Họp ngày X"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p`, rsync -t
    assert os.stat(path).st_size == before.st_size
    assert summaries(log) == ["Họp ngày 2", "Họp ngày X", "Họp ngày 4"]


@pytest.mark.usefixtures("later")
def test_a_file_added_or_removed_outside_is_seen(log: Path, opened: list[str]) -> None:
    month = log / "data" / "2023" / "10"
    kept(log, opened)
    tick()
    write(month / "2023-10-05-hop.yaml", "2023-10-05", "Họp ngày 5")  # git pull
    assert summaries(log)[-1] == "Họp ngày 5"
    kept(log, opened)
    tick()
    (month / "2023-10-02-hop.yaml").unlink()
    assert summaries(log) == ["Họp ngày 3", "Họp ngày 4", "Họp ngày 5"]


@pytest.mark.usefixtures("later")
def test_a_look_back_file_given_an_end_in_the_period_is_seen(log: Path, opened: list[str]
                                                             ) -> None:
    path = log / "data" / "2023" / "09" / "2023-09-25-hop.yaml"
    kept(log, opened)
    tick()
    path.write_text(path.read_text("utf-8") + 'end: "2023-10-01"\n', "utf-8")
    assert summaries(log)[0] == "Họp cũ"


@pytest.mark.usefixtures("later")
def test_a_file_broken_outside_stops_the_list_as_before(log: Path, opened: list[str]) -> None:
    kept(log, opened)
    tick()
    (log / "data" / "2023" / "10" / "2023-10-04-hop.yaml").write_text(
        'date: "2023-10-04"\ncategory: khong_co\nsummary: "Họp"\n', "utf-8")
    with pytest.raises(DataError):
        summaries(log)


def test_fresh_files_are_not_trusted_by_their_stamps(log: Path, opened: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Files changed within two seconds of a load are read again on every load (a change in
    the same clock tick would keep the same stamp); once older, they are kept."""
    real = time.time_ns
    # the loads a moment after the writes (however slow the machine is)
    monkeypatch.setattr(memo.time, "time_ns", lambda: real() - 10_000_000_000)
    summaries(log)
    summaries(log)
    opened.clear()
    summaries(log)
    assert "2023-10-02-hop.yaml" in opened
    monkeypatch.setattr(memo.time, "time_ns", lambda: real() + 3_000_000_000)
    kept(log, opened)


def test_no_cache_turns_it_off(log: Path, opened: list[str], monkeypatch: pytest.MonkeyPatch
                               ) -> None:
    real = time.time_ns
    monkeypatch.setattr(memo.time, "time_ns", lambda: real() + 3_000_000_000)
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    summaries(log)
    summaries(log)
    opened.clear()
    summaries(log)
    assert "2023-10-02-hop.yaml" in opened
    monkeypatch.delenv("NGOAIVU_NO_CACHE")
    kept(log, opened)


@pytest.mark.usefixtures("later")
def test_another_configuration_checks_the_entries_again(log: Path, opened: list[str]) -> None:
    """The rules' result is kept for one configuration object: a configuration read again
    (ngoaivu.yaml changed, as the server reads it) checks the kept entries with its own
    categories."""
    own = "version: 1\nextends: default\ncategories:\n  hop_rieng:\n    label: Họp riêng\n"
    (log / "ngoaivu.yaml").write_text(own, "utf-8")
    path = log / "data" / "2023" / "10" / "2023-10-04-hop.yaml"
    path.write_text(path.read_text("utf-8").replace("chu_tri_hop", "hop_rieng"), "utf-8")
    kept(log, opened)
    assert summaries(log)[-1] == "Họp ngày 4"
    (log / "ngoaivu.yaml").write_text("version: 1\nextends: default\n", "utf-8")
    with pytest.raises(DataError) as raised:
        summaries(log)
    assert any("hop_rieng" in p.message for p in raised.value.problems)


@pytest.mark.usefixtures("later")
def test_the_next_order_reads_only_the_files_changed_since(log: Path, opened: list[str]
                                                          ) -> None:
    """``next_order`` (every add of the web app) needs the highest ``order`` of the whole log:
    a second call reads no file, and a file given a higher order outside, a file added or a
    file removed is seen."""
    config = api.load_config(cwd=log)
    path = log / "data" / "2023" / "10" / "2023-10-03-hop.yaml"
    path.write_text(path.read_text("utf-8") + "order: 7\n", "utf-8")
    assert api.next_order(config) == 8
    opened.clear()
    assert api.next_order(config) == 8
    assert opened == []
    tick()
    path.write_text(path.read_text("utf-8").replace("order: 7", "order: 9"), "utf-8")
    assert api.next_order(config) == 10
    assert opened == ["2023-10-03-hop.yaml"]
    tick()
    write(log / "data" / "2021" / "01" / "2021-01-05-cu.yaml", "2021-01-05", "Cũ").write_text(
        'date: "2021-01-05"\ncategory: chu_tri_hop\nsummary: "Cũ"\norder: 20\n', "utf-8")
    assert api.next_order(config) == 21
    tick()
    (log / "data" / "2021" / "01" / "2021-01-05-cu.yaml").unlink()
    assert api.next_order(config) == 10
