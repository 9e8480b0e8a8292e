"""`ngoaivu validate` replays its last output only when nothing it depends on has changed
(ngoaivu_cli/log/replay.py): any edit, new or removed file, configuration change, other options,
other day or other program version gives a full run with the same output an uncached run has."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main
from ngoaivu_cli.log import loader
from ngoaivu_cli.log import replay as replay_mod

pytestmark = pytest.mark.usefixtures("clean_env")

ENTRY = 'date: "2023-08-{day:02d}"\ncategory: {category}\nsummary: "Họp lần {day}"\n'


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "log"
    data = root / "data" / "2023" / "08"
    data.mkdir(parents=True)
    for day in range(1, 6):
        (data / f"2023-08-{day:02d}-hop.yaml").write_text(
            ENTRY.format(day=day, category="chu_tri_hop"), "utf-8")
    (data / "2023-08-06-sai.yaml").write_text(ENTRY.format(day=6, category="hop_bao"), "utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setattr(replay_mod, "RACY_NS", 0)  # files written a moment ago are trusted
    return root


def validate(*args: str) -> Result:
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def uncached(monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    with monkeypatch.context() as m:
        m.setenv("NGOAIVU_NO_CACHE", "1")
        return validate(*args)


def test_a_warm_run_replays_without_reading(log: Path, reads: list[str],
                                            monkeypatch: pytest.MonkeyPatch):
    first = validate()
    assert first.exit_code == 1 and "E-UNKNOWN-CATEGORY" in first.stdout
    reads.clear()
    again = validate()
    assert reads == []
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert again.stdout == uncached(monkeypatch).stdout


@pytest.mark.parametrize("options", [["--format", "json"], ["--no-excerpt"], ["data/2023"]])
def test_other_options_or_paths_are_other_replays(log: Path, reads: list[str],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  options: list[str]):
    validate()
    reads.clear()
    result = validate(*options)
    assert reads  # not the plain run's output
    assert result.stdout == uncached(monkeypatch, *options).stdout
    reads.clear()
    assert validate(*options).stdout == result.stdout and reads == []


def test_strict_is_applied_to_a_replayed_result(log: Path):
    (log / "data" / "2023" / "08" / "2023-08-06-sai.yaml").unlink()
    (log / "data" / "ghi chu.yaml").write_text(ENTRY.format(day=7, category="chu_tri_hop"),
                                               "utf-8")
    assert validate().exit_code == 0  # only a warning (W-FILENAME)
    assert validate("--strict").exit_code == 1
    assert validate().exit_code == 0


def _edit(path: Path) -> None:
    stat = path.stat()
    path.write_text(path.read_text("utf-8").replace("Họp", "Hop"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("change", ["edit", "add", "remove", "add-folder", "config"])
def test_any_change_gives_a_full_run(log: Path, reads: list[str],
                                     monkeypatch: pytest.MonkeyPatch, change: str):
    validate()
    data = log / "data" / "2023" / "08"
    if change == "edit":
        _edit(data / "2023-08-06-sai.yaml")
    elif change == "add":
        (data / "2023-08-07-moi.yaml").write_text("date: 2023-08-07\n", "utf-8")
    elif change == "remove":
        (data / "2023-08-06-sai.yaml").unlink()
    elif change == "add-folder":
        (log / "data" / "2023" / "09").mkdir()
        (log / "data" / "2023" / "09" / "2023-09-01-x.yaml").write_text("- 1\n", "utf-8")
    else:  # the unknown category becomes known
        (log / "ngoaivu.yaml").write_text("categories:\n  hop_bao:\n    label: Họp báo\n",
                                          "utf-8")
    reads.clear()
    result = validate()
    assert reads
    assert result.stdout == uncached(monkeypatch).stdout
    assert result.exit_code == uncached(monkeypatch).exit_code


def test_another_day_or_program_gives_a_full_run(log: Path, reads: list[str],
                                                 monkeypatch: pytest.MonkeyPatch):
    validate()

    class Tomorrow(dt.date):
        @classmethod
        def today(cls) -> dt.date:  # type: ignore[override]
            return dt.date(2099, 1, 1)

    with monkeypatch.context() as m:
        m.setattr(replay_mod.dt, "date", Tomorrow)
        reads.clear()
        validate()
        assert reads
    monkeypatch.setattr(replay_mod, "_PROGRAM", ["another version"])
    reads.clear()
    validate()
    assert reads


def test_fresh_files_are_not_replayed(log: Path, reads: list[str],
                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(replay_mod, "RACY_NS", 3600 * 10**9)  # every file is "just written"
    validate()
    reads.clear()
    validate()
    assert reads


@pytest.mark.parametrize("garbage", [b"", b"{", b"[]", b"null", b'{"format": 1, "key": 3}',
                                     "\udcff".encode("utf-8", "surrogatepass")])
def test_a_corrupt_replay_file_is_a_miss(log: Path, reads: list[str],
                                         monkeypatch: pytest.MonkeyPatch, garbage: bytes):
    expected = validate().stdout
    (stored,) = (log / replay_mod.CACHE_DIR).glob("validate-*.json")
    stored.write_bytes(garbage)
    reads.clear()
    assert validate().stdout == expected
    assert reads
    reads.clear()
    assert validate().stdout == expected and reads == []  # stored again, whole


def test_turned_off_or_outside_a_log_nothing_is_kept(log: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    uncached(monkeypatch)
    assert not (log / replay_mod.CACHE_DIR).exists()
    outside = tmp_path / "khac"
    outside.mkdir()
    (outside / "2023-08-01-a.yaml").write_text(ENTRY.format(day=1, category="chu_tri_hop"),
                                               "utf-8")
    monkeypatch.chdir(outside)
    assert validate("2023-08-01-a.yaml").exit_code == 0
    assert not (outside / replay_mod.CACHE_DIR).exists()


def test_a_folder_moved_behind_a_symlink_gives_a_full_run(tmp_path: Path, reads: list[str],
                                                         monkeypatch: pytest.MonkeyPatch):
    """Shown paths are resolved: moving what a link points to changes the output."""
    root = tmp_path / "log"
    (root / "kho" / "2023" / "08").mkdir(parents=True)
    (root / "kho" / "2023" / "08" / "2023-08-01-a.yaml").write_text(
        ENTRY.format(day=1, category="chu_tri_hop"), "utf-8")
    (root / "data").symlink_to(root / "kho" / "2023" / "08")
    monkeypatch.chdir(root)
    monkeypatch.setattr(replay_mod, "RACY_NS", 0)
    first = validate().stdout
    (root / "kho" / "2023").rename(root / "kho" / "2024")
    (root / "data").unlink()
    (root / "data").symlink_to(root / "kho" / "2024" / "08")
    reads.clear()
    result = validate()
    assert reads and result.stdout == uncached(monkeypatch).stdout
    assert result.stdout != first


def test_a_nearer_configuration_appearing_gives_a_full_run(log: Path, reads: list[str],
                                                           monkeypatch: pytest.MonkeyPatch):
    """find_config walks up from the working folder: a ngoaivu.yaml appearing nearer than the
    one found changes which configuration (and log) the run uses."""
    (log / "ngoaivu.yaml").write_text("categories:\n  hop_bao:\n    label: Họp báo\n", "utf-8")
    (log / "ghi-chep").mkdir()  # a folder of the log outside data/
    monkeypatch.chdir(log / "ghi-chep")
    assert validate().exit_code == 0
    reads.clear()
    assert validate().exit_code == 0 and reads == []  # replayed
    (log / "ghi-chep" / "ngoaivu.yaml").write_text("version: 1\n", "utf-8")
    result = validate()
    assert "không có thư mục nhật ký" in result.output  # ghi-chep/data: not a log
    assert result.exit_code == uncached(monkeypatch).exit_code == 1


def test_read_errors_are_not_replayed(log: Path, reads: list[str],
                                      monkeypatch: pytest.MonkeyPatch):
    """A read error may pass (a network share): the next run reads again."""
    import errno

    real = loader._read_raw

    def failing(path: Path | str) -> object:
        if os.path.basename(path) == "2023-08-01-hop.yaml":
            raise OSError(errno.EIO, "Input/output error", str(path))
        return real(path)

    with monkeypatch.context() as m:
        m.setattr(loader, "_read_raw", failing)
        assert "E-READ" in validate().stdout
    reads.clear()
    assert "E-READ" not in validate().stdout
    assert reads


def test_a_configuration_appearing_during_the_run_is_not_stored(log: Path, reads: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch):
    """The key saw no ngoaivu.yaml, the run did: its output is not kept under that key."""
    from ngoaivu_cli import config as config_mod

    real = config_mod.load_config

    def appear_then_load(*args: object, **kwargs: object) -> object:
        (log / "ngoaivu.yaml").write_text("categories:\n  hop_bao:\n    label: Họp báo\n",
                                          "utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(config_mod, "load_config", appear_then_load)
        assert validate().exit_code == 0  # ran with the configuration that appeared
    (log / "ngoaivu.yaml").unlink()
    reads.clear()
    result = validate()
    assert reads and result.exit_code == 1  # not the stale "0 lỗi"


# every file a run may read, by where it lies: each must be in the key or the run not kept
TEMPLATE_PLACES = ["custom/tuan.md.j2", "templates/tuan.md.j2", "templates/sub/tuan.md.j2",
                   "tuan.md.j2"]


@pytest.mark.parametrize("place", TEMPLATE_PLACES)
@pytest.mark.parametrize("args", [[], ["data/2023"]])
def test_a_template_the_run_reads_is_covered_wherever_it_lies(
        log: Path, monkeypatch: pytest.MonkeyPatch, place: str, args: list[str]) -> None:
    """issue 22 item 6: a report type's template outside templates/ broken after one run gave
    "0 lỗi" again from the replay, while an uncached run says E-TEMPLATE."""
    for f in (log / "data" / "2023" / "08").glob("*-sai.yaml"):
        f.unlink()
    template = log / place
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("# {{ doc.title }}\n", "utf-8")
    (log / "ngoaivu.yaml").write_text(
        f"report_types:\n  bao_cao_tuan:\n    md_template: {place}\n", "utf-8")
    first = validate(*args)
    assert first.exit_code == 0, first.output
    template.write_text("# {{ doc.title \n", "utf-8")  # a syntax error now
    expected = uncached(monkeypatch, *args)
    if not args:  # validate of given paths checks only those (no templates)
        assert expected.exit_code == 1 and "E-TEMPLATE" in expected.stdout
    again = validate(*args)
    assert (again.exit_code, again.stdout) == (expected.exit_code, expected.stdout)
