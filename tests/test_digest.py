"""Folder digests (ngoaivu_cli.digest): the scopes of a report read past months from small signed
summaries instead of their files, and every figure stays what reading the files gives; a change
to any file, an edited or foreign digest, a broken file and an official record all fall back to
the files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ngoaivu_cli.cli import main
from tests.test_scopes import TODAY, _write_log

EXTRA = """\
  thang_so_lieu:
    name: Tháng, mọi phạm vi
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Số liệu {{ period.label }}"]
    sections:
      - heading: Tất cả
        entries: false
        text: >-
          {{ m.entries }}/{{ ytd.entries }}/{{ ytd.partners }}/{{ ytd.doan_ra }}/{{ ytd.luot_ra }}/
          {{ ytd.gio_phien_dich }}/{{ last_year.entries }}/{{ last_year.doan_ra }}/
          {{ cumulative.doan_ra }}/{{ cumulative.gio_phien_dich }}/{{ previous.doan_vao }}/
          {{ ytd_last_year.luot_ra }}/{{ ttd.entries }}
      - heading: Lào
        tags: [lao]
        entries: false
        text: "{{ ytd.doan_ra }}/{{ cumulative.entries }}/{{ last_year.luot_ra }}"
    signer: giam_doc
    appendix:
      title: SỐ LIỆU
      compare: last_year
      by: partner
"""

PERIODS = ["tháng 7/2023", "tháng 12/2023", "tháng 3/2023", "tháng 01/2023", "quý III/2023",
           "6 tháng đầu năm 2023", "năm 2023", "2023-07-10:2023-07-20", "tuần 28/2023"]


@pytest.fixture
def log(tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _write_log(tmp_path)
    config = (tmp_path / "ngoaivu.yaml").read_text("utf-8")
    (tmp_path / "ngoaivu.yaml").write_text(config.replace("report_types:\n",
                                                          "report_types:\n" + EXTRA), "utf-8")
    # decimals (interpreting hours) spread over months, and a multi-day activity running from
    # one month into the next
    more = [("2023-02-10", "0.1"), ("2023-05-03", "0.2"), ("2022-09-09", "1.15"),
            ("2023-06-30", "2.05")]
    for i, (day, hours) in enumerate(more):
        folder = tmp_path / "data" / day[:4] / day[5:7]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{day}-phien-dich-{i}.yaml").write_text(
            f"date: {day}\ncategory: dich_thuat\nsummary: Phiên dịch {i}.\n"
            f"metrics: {{gio_phien_dich: {hours}}}\n", "utf-8")
    (tmp_path / "data/2023/05/2023-05-28-doan-dai-ngay.yaml").write_text(
        "date: 2023-05-28\nend: 2023-06-05\ncategory: doan_ra_doan_vao\nsummary: Đoàn dài ngày.\n"
        "partners: [Lào, Thái Lan]\ntags: [lao]\nmetrics: {doan_ra: 1, luot_ra: 2}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NGOAIVU_NO_CACHE", raising=False)
    # files written a moment ago cannot be trusted by their times (replay.is_racy) and would
    # get no digest: these tests change files by size, not within one clock tick
    import ngoaivu_cli.log.replay as replay

    monkeypatch.setattr(replay, "RACY_NS", 0)
    return tmp_path


def _md(period: str, kind: str = "thang_so_lieu", *more: str) -> str:
    result = CliRunner().invoke(main, ["report", "--today", TODAY.isoformat(), "--period", period,
                                       "--type", kind, "--format", "md", "-o", "-", *more],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _flat(text: str) -> str:
    return "".join(text.split())


def digests_used(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """After each DigestPool is built, how many folders it read from their digests."""
    import ngoaivu_cli.digest as digest

    used: list[int] = []
    real = digest.DigestPool.__init__

    def spy(self: digest.DigestPool, *args: object, **kwargs: object) -> None:
        real(self, *args, **kwargs)  # type: ignore[arg-type]
        used.append(self.digests.used)

    monkeypatch.setattr(digest.DigestPool, "__init__", spy)
    return used


def _digests(root: Path) -> list[Path]:
    return sorted((root / ".ngoaivu-cache").glob("*.digest"))


def _all(monkeypatch: pytest.MonkeyPatch, cache: bool) -> list[str]:
    if cache:
        monkeypatch.delenv("NGOAIVU_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    out = []
    for period in PERIODS:
        for kind in ("thang_so_lieu", "so_lieu"):
            out.append(_md(period, kind))
            out.append(_md(period, kind, "--cutoff", "14"))
    return out


def test_figures_from_digests_are_the_figures_from_the_files(
        log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from_files = _all(monkeypatch, cache=False)
    assert not _digests(log)
    first = _all(monkeypatch, cache=True)  # writes the digests
    assert _digests(log)
    again = _all(monkeypatch, cache=True)  # reads them
    assert first == from_files and again == from_files
    # the decimals are summed exactly: 0,1 + 0,2 (+ 2,05 of 30/6) in the first half of 2023
    assert "/2,35/" in _flat(_md("tháng 7/2023")) and "/0,3/" in _flat(_md("tháng 5/2023"))


def test_the_digests_are_read_not_the_files(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ngoaivu_cli.log import loader

    looked: list[str] = []  # every file the loader is asked for (read, or from the parse cache)
    real = loader.load_files

    def spy(files: object, *args: object, **kwargs: object) -> object:
        files = list(files)  # type: ignore[call-overload]
        looked.extend(Path(f).name for f in files)
        return real(files, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_files", spy)
    _md("tháng 8/2023")
    assert any(n.startswith("2023-01") for n in looked)  # the first run reads and digests
    looked.clear()
    _md("tháng 8/2023")
    # the month, the next and the one before (the look-back) from their files; January to
    # June 2023 and August 2022 (cùng kỳ) from digests
    assert all(n.startswith(("2023-07", "2023-08", "2023-09")) for n in looked), looked
    assert len(_digests(log)) >= 7


def test_a_changed_file_makes_its_digest_stale(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _md("tháng 12/2023")
    assert "/07/" in _flat(before)  # ytd delegations out: 2 + 1 + 1 + 2 (+ the long one: 07)
    path = log / "data/2023/01/2023-01-15-hoat-dong-6.yaml"
    text = path.read_text("utf-8").replace("doan_ra: 2", "doan_ra: 12")
    path.write_text(text, "utf-8")
    os.utime(path, ns=(1, 1))  # even with an old time: size and change time differ
    after = _md("tháng 12/2023")
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    assert after == _md("tháng 12/2023") and after != before
    # a new file and a removed one
    monkeypatch.delenv("NGOAIVU_NO_CACHE")
    new = log / "data/2023/03/2023-03-20-moi.yaml"
    new.parent.mkdir()
    new.write_text("date: 2023-03-20\ncategory: doan_ra_doan_vao\nsummary: Mới.\n"
                   "metrics: {doan_ra: 100}\n", "utf-8")
    assert "/117/" in _flat(_md("tháng 12/2023"))  # 7 + 10 + 100
    new.unlink()
    assert _md("tháng 12/2023") == after


def test_a_window_after_a_month_takes_its_long_activities_from_the_digest_alone(
        log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder of the look-back (May for a window of June) gives what lasts into the window
    from its digest: its rows file, one row per entry, is never read."""
    import ngoaivu_cli.digest as digest
    from ngoaivu_cli.config import load_config

    june = (dt.date(2023, 6, 1), dt.date(2023, 6, 30))
    config = load_config(None)
    digest.DigestPool(config, [june])  # writes the digests
    monkeypatch.setattr(digest, "_rows_of", lambda *_a: pytest.fail("rows file read"))
    pool = digest.DigestPool(config, [june])
    assert pool.digests.used >= 2  # May and June
    got = pool.window(*june)
    # the activity of 28/5–5/6, from May's digest, and June's entries as lumps
    assert [r.loc.path for r in got if r.date == dt.date(2023, 5, 28)] == [
        "data/2023/05/2023-05-28-doan-dai-ngay.yaml"]
    assert sum(getattr(r, "weight", 1) for r in got) == len(
        [p for p in (log / "data/2023/06").iterdir() if p.suffix == ".yaml"]) + 1


def test_a_subfolder_or_an_odd_name_added_later_is_read(
        log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A digest written for a folder is not used once the folder holds what the loader reads
    but a digest cannot stand for: a subfolder, a file with no date in its name."""
    def both() -> str:
        monkeypatch.delenv("NGOAIVU_NO_CACHE", raising=False)
        got = _md("tháng 12/2023")
        monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
        assert got == _md("tháng 12/2023")
        monkeypatch.delenv("NGOAIVU_NO_CACHE")
        return got

    before = both()
    assert _digests(log)
    sub = log / "data/2023/06/them"
    sub.mkdir()
    (sub / "2023-06-09-trong-thu-muc-con.yaml").write_text(
        "date: 2023-06-09\ncategory: doan_ra_doan_vao\nsummary: Trong thư mục con.\n"
        "metrics: {doan_ra: 30}\n", "utf-8")
    with_sub = both()
    assert with_sub != before
    (log / "data/2023/05/ghi-them.yaml").write_text(
        "date: 2023-05-20\ncategory: doan_ra_doan_vao\nsummary: Tên tệp không có ngày.\n"
        "metrics: {doan_ra: 200}\n", "utf-8")
    assert both() != with_sub


def test_a_broken_file_stops_the_report_as_without_digests(log: Path) -> None:
    _md("tháng 12/2023")
    (log / "data/2023/02/2023-02-11-hong.yaml").write_text(
        "date: 2023-02-11\ncategory: khong_co\nsummary: Hỏng\n", "utf-8")
    result = CliRunner().invoke(main, ["report", "--period", "tháng 12/2023", "--type",
                                       "thang_so_lieu", "--format", "md", "-o", "-"])
    assert result.exit_code == 1
    assert "2023-02-11-hong.yaml" in result.output and "khong_co" in result.output


@pytest.mark.parametrize("how", ["edited", "foreign", "rows gone", "rows edited"])
def test_an_edited_or_foreign_digest_is_ignored(log: Path, how: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    want = _md("năm 2023")
    assert _digests(log)
    for digest in _digests(log):
        rows = digest.with_suffix(".rows")
        if how == "edited":  # a digest changed by hand (more entries, other sums)
            data = digest.read_bytes()
            assert b'"count":' in data
            digest.write_bytes(data.replace(b'"count":', b'"count":9').replace(
                b'["doan_ra",', b'["doan_ra",9'))
        elif how == "foreign":  # signed with another user's key
            monkeypatch.setenv("XDG_CACHE_HOME", str(log / "other-user"))
        elif how == "rows gone":
            rows.unlink()
        else:
            data = rows.read_bytes()
            assert b'"doan_ra",' in data or b"gio_phien_dich" in data or b"[" in data
            rows.write_bytes(data.replace(b'"doan_ra",', b'"doan_ra",9') + b" ")
    if how == "foreign":
        import ngoaivu_cli.log.replay as replay

        monkeypatch.setattr(replay, "_KEY", [])
    assert _md("năm 2023") == want
    assert _md("tháng 12/2023", "thang_so_lieu", "--cutoff", "14") == _md_nocache(
        monkeypatch, "tháng 12/2023", "--cutoff", "14")


def _md_nocache(monkeypatch: pytest.MonkeyPatch, period: str, *more: str) -> str:
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    try:
        return _md(period, "thang_so_lieu", *more)
    finally:
        monkeypatch.delenv("NGOAIVU_NO_CACHE")


def test_a_folder_with_an_official_record_is_read_from_its_files(log: Path) -> None:
    (log / "data/2023/12").mkdir(parents=True, exist_ok=True)
    (log / "data/2023/12/2023-12-31-chinh-thuc.yaml").write_text(
        "date: 2023-12-31\ncategory: doan_ra_doan_vao\nsummary: Số chính thức.\n"
        "official: {scope: năm 2023, metrics: {doan_ra: 50}}\n", "utf-8")
    for _ in range(2):
        assert "/50/" in _flat(_md("tháng 12/2023"))
    assert len(_digests(log)) >= 10  # the other months have theirs


def test_folders_besides_the_month_layout_are_read_from_their_files(log: Path) -> None:
    want = _md("năm 2023")
    # a file straight in data/ and a misnamed one in a month folder: read every time
    (log / "data/ghi-chu.yaml").write_text(
        "date: 2023-04-04\ncategory: doan_ra_doan_vao\nsummary: Ngoài thư mục tháng.\n"
        "metrics: {doan_ra: 3}\n", "utf-8")
    (log / "data/2023/06/ghi-them.yaml").write_text(
        "date: 2023-06-20\ncategory: doan_ra_doan_vao\nsummary: Tên tệp không có ngày.\n"
        "metrics: {doan_ra: 4}\n", "utf-8")
    got = _md("năm 2023")
    assert got != want

    assert "/14/" in _flat(got)  # delegations of 2023: 7, and 3 + 4
    assert got == _md("năm 2023")


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2023, 12, 31)),
                          st.integers(min_value=0, max_value=40),
                          st.sampled_from(["0.1", "0.25", "1.05", "3"]),
                          st.integers(min_value=0, max_value=20),
                          st.sampled_from(["done", "planned"]),
                          st.sampled_from(["[]", "[lao]", "[lao, ttdn]"])),
                min_size=1, max_size=25),
       st.integers(min_value=1, max_value=12),
       st.one_of(st.none(), st.integers(min_value=1, max_value=28)))
def test_any_log_sums_the_same_from_digests(tmp_path_factory: pytest.TempPathFactory,
                                            monkeypatch: pytest.MonkeyPatch,
                                            items: list[tuple[dt.date, int, str, int, str, str]],
                                            month: int, cutoff: int | None) -> None:
    """The figures of every scope, under a section's filters, are those of the files: from
    the digests written on the first run and read on the second."""
    import ngoaivu_cli.log.replay as replay
    from ngoaivu_cli.config import load_config
    from ngoaivu_cli.digest import DigestPool
    from ngoaivu_cli.periods import parse_period
    from ngoaivu_cli.scopes import SCOPES, Scopes, load_ranges, windows_to_load
    from ngoaivu_cli.sums import section_filter

    root = tmp_path_factory.mktemp("log")
    monkeypatch.setattr(replay, "RACY_NS", 0)
    monkeypatch.delenv("NGOAIVU_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "key"))
    monkeypatch.chdir(root)
    (root / "ngoaivu.yaml").write_text("version: 1\n", "utf-8")
    for i, (day, doan, hours, days, status, tags) in enumerate(items):
        folder = root / "data" / f"{day:%Y}" / f"{day:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        end = min(day + dt.timedelta(days=days), dt.date(2023, 12, 31))
        (folder / f"{day}-hd-{i}.yaml").write_text(
            f"date: {day}\nend: {end}\ncategory: doan_ra_doan_vao\nsummary: Hoạt động {i}.\n"
            f"status: {status}\ntags: {tags}\npartners: [P{i % 4}]\n"
            f"metrics: {{doan_ra: {doan}, gio_phien_dich: {hours}}}\n", "utf-8")
    config = load_config(None)
    period = parse_period(f"tháng {month}/2023", today=dt.date(2024, 3, 1), cutoff_day=cutoff)
    ranges = windows_to_load(period, SCOPES, config.terms, config.max_activity_days)
    files, _n = load_ranges(config, ranges)
    for _run in range(2):  # writes the digests, then reads them
        pool = DigestPool(config, ranges)
        for spec_tags in (None, ("lao",)):
            for status in ("done", "planned"):
                select = section_filter(category=None, status=status)
                if spec_tags:
                    base = select

                    def select(e: object, base: object = base) -> bool:
                        return base(e) and "lao" in e.tags  # type: ignore[attr-defined, operator]
                for name in SCOPES:
                    want = Scopes(period, config, files).figures(name, select)
                    got = Scopes(period, config, lambda p=pool: p).figures(  # type: ignore[misc]
                        name, select)
                    for key in ("entries", "partners", "doan_ra", "gio_phien_dich"):
                        assert (want[key].value, str(want[key])) == (got[key].value,
                                                                      str(got[key])), (name, key)
    from ngoaivu_cli.digest import Folder

    # the second run read every folder of its ranges from a digest
    assert pool.digests.used == sum(isinstance(f, Folder) for f in pool.folders.values())
    assert not any(isinstance(f, list) for f in pool.folders.values())


@pytest.mark.parametrize("cache", [True, False])
def test_reading_a_scope_is_not_charged_to_the_string_that_prints_it(
        log: Path, monkeypatch: pytest.MonkeyPatch, cache: bool) -> None:
    """A string's time limit (2 s) is for the string: the files of ``ytd`` it sets off
    reading (a first run over a long history, without digests) are the program's work."""
    import time

    import ngoaivu_cli.sandbox as sandbox
    import ngoaivu_cli.scopes as scopes

    config = log / "ngoaivu.yaml"  # a string Jinja runs (a filter with an argument)
    config.write_text(config.read_text("utf-8").replace(
        "{{ m.entries }}/{{ ytd.entries }}",  # the first string to print a scope
        "{{ m.entries }}/{{ ytd.entries | change(last_year.entries) }}"), "utf-8")
    if not cache:
        monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    want = _md("tháng 12/2023")
    assert "0/gấp10lần/04/07/" in _flat(want)  # 10 entries in 2023, 1 in December 2022
    monkeypatch.setattr(sandbox, "FILL_TIME_LIMIT", 0.3)
    real = scopes.ReportPool._read

    def slow(self: object) -> None:
        time.sleep(0.6)  # reading eleven months of a big log on a slow disk
        real(self)  # type: ignore[arg-type]

    monkeypatch.setattr(scopes.ReportPool, "_read", slow)
    assert _md("tháng 12/2023") == want


def test_outside_limits_gives_the_time_left_back() -> None:
    import time

    from ngoaivu_cli.sandbox import TimeOut, bounded, outside_limits, template_env

    endless = template_env().from_string(
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}")
    start = time.monotonic()
    with pytest.raises(TimeOut), bounded(0.4):
        with outside_limits():
            time.sleep(0.6)  # not counted
        endless.render()  # the rest of the limit still holds (the outer bounds)
    assert 0.9 < time.monotonic() - start < 5


def test_a_plan_of_a_month_keeps_the_digests_of_the_month_folders(
        log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan dated by month lives straight in its year's folder (data/2023/2023-11-...yaml):
    it is read from its file, and the month folders still come from their digests."""
    (log / "data/2023/2023-11-ke-hoach-thang.yaml").write_text(
        "date: 2023-11\ncategory: doan_ra_doan_vao\nsummary: Kế hoạch đón đoàn.\n"
        "status: planned\nmetrics: {doan_vao: 5}\n", "utf-8")
    used = digests_used(monkeypatch)
    first = _md("tháng 12/2023")
    again = _md("tháng 12/2023")
    assert used[-1] >= 6  # January to November 2023 hold files: from their digests
    monkeypatch.setenv("NGOAIVU_NO_CACHE", "1")
    assert first == again == _md("tháng 12/2023")


def test_a_link_out_of_the_log_in_a_past_month_is_never_read(
        log: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A month only a scope reads (no digest: it holds a link) is read as the loader reads
    it: the link out of the log is E-LINK-OUTSIDE, its target never opened nor quoted."""
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("SECRET_TOKEN=abc123\n", "utf-8")
    (log / "data/2023/06/2023-06-05-x.yaml").symlink_to(secret)
    for cache in ("", "1"):
        env = {"NGOAIVU_NO_CACHE": cache} if cache else {}
        result = CliRunner().invoke(main, ["report", "--today", TODAY.isoformat(), "--period",
                                           "tháng 12/2023", "--type", "thang_so_lieu",
                                           "--format", "md", "-o", "-"], env=env)
        assert result.exit_code == 1, result.output
        assert "E-LINK-OUTSIDE" in result.output and "SECRET_TOKEN" not in result.output


def test_an_odd_digit_folder_is_left_to_the_walk(log: Path) -> None:
    """A folder named with digits int() does not read (superscripts) is not a month folder:
    the report reads as the loader does, it does not fail as a configuration string."""
    (log / "data/2023/¹²").mkdir()
    result = CliRunner().invoke(main, ["report", "--today", TODAY.isoformat(), "--period",
                                       "tháng 12/2023", "--type", "thang_so_lieu", "--format",
                                       "md", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "E-TEMPLATE" not in result.output


def test_the_memory_read_for_a_scope_is_not_taken_from_the_string() -> None:
    """What the program reads for a scope is not counted against the string's allowance of
    data; the string keeps what it had left."""
    from ngoaivu_cli import sandbox

    with sandbox.bounded():
        meter = sandbox._METER.get()
        assert meter is not None
        left = meter.alloc_left
        with sandbox.outside_limits():
            sandbox._charge("x" * (sandbox.MAX_ALLOC + 1))  # more than the whole allowance
        assert meter.alloc_left == left
        sandbox._charge("x" * (50 << 20))  # the string's own work still fits


def test_a_failure_reading_a_scope_is_not_blamed_on_the_string(
        log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ngoaivu_cli.scopes as scopes

    def denied(self: object) -> None:
        raise PermissionError(13, "Permission denied", str(log / "data/2023/05"))

    monkeypatch.setattr(scopes.ReportPool, "_read", denied)
    result = CliRunner().invoke(main, ["report", "--today", TODAY.isoformat(), "--period",
                                       "tháng 12/2023", "--type", "thang_so_lieu", "--format",
                                       "md", "-o", "-"])
    assert result.exit_code == 1
    assert "E-TEMPLATE" not in result.output and "mẫu câu" not in result.output
    assert "data/2023/05" in result.output
