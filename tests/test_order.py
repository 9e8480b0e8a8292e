"""The order is what the writer chose (issue 25, item 4): `new` and `import` write `order:`,
the order of entry, into each file; entries with `order` print in that order among
themselves (a plan with a day no longer always after the month's plans, the file names no
longer decide); an entry without `order` keeps its place by date; `order` is edited by hand
to move an entry, is in the schema and is validated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main
from ngoaivu_cli.errors import SourceLoc
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.log.loader import load_text
from ngoaivu_cli.selection import sort_entries

D = dt.date


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _e(path: str, day: dt.date, order: float | None = None) -> Entry:
    return Entry(SourceLoc(path, 1, 1), day, "a", path, order=order)


def test_ordered_entries_follow_their_order_in_their_dated_places() -> None:
    free1, free2 = _e("f1", D(2024, 12, 2)), _e("f2", D(2024, 12, 20))
    a, b, c = _e("a", D(2024, 12, 15), 1), _e("b", D(2024, 12, 1), 2), _e("c", D(2024, 12, 5), 3)
    got = sort_entries([free2, c, b, free1, a])
    # by date: b(1/12) f1(2/12) c(5/12) a(15/12) f2(20/12); a, b, c take b's, c's, a's places
    assert [e.loc.path for e in got] == ["a", "f1", "b", "c", "f2"]
    assert sort_entries([free2, free1]) == [free1, free2]  # no order: by date, as before
    assert [e.loc.path for e in sort_entries([a, _e("m", D(2024, 12, 9), 1.5), b])] == [
        "a", "m", "b"]  # 1.5 goes between 1 and 2


def _new(*args: str) -> str:
    result = run("new", "--category", "chu_tri_hop", "--status", "planned", *args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def _plans(period: str) -> list[str]:
    result = run("report", "--period", period, "--type", "bao_cao_dinh_ky", "--format", "md",
                 "-o", "-")
    assert result.exit_code == 0, result.output
    text = result.stdout
    plan = text[text.index("**II."):text.index("Trên đây")]
    return [line[2:] for line in plan.splitlines() if line.startswith("- ")]


def test_new_writes_the_order_of_entry_and_the_report_keeps_it(work: Path) -> None:
    (work / "data").mkdir()
    first = _new("--date", "2024-12-20", "--summary", "Đón đoàn Lào ngày 20/12.")
    second = _new("--date", "2024-12", "--summary", "Hội nghị tổng kết năm.")
    third = _new("--date", "2024-12-05", "--summary", "Zô họp báo ngày 05/12.")
    fourth = _new("--date", "2024-12", "--summary", "A tiếp nhà đầu tư.")
    orders = [load_text((work / p).read_text("utf-8"), p).entries[0].order
              for p in (first, second, third, fourth)]
    assert orders == [1, 2, 3, 4]
    # by date and file name this would be "A tiếp", "Hội nghị", "Zô họp báo", "Đón đoàn"
    assert _plans("tháng 11/2024") == ["Đón đoàn Lào ngày 20/12.", "Hội nghị tổng kết năm.",
                                       "Zô họp báo ngày 05/12.", "A tiếp nhà đầu tư."]
    # overridden by hand: 0.5 goes first
    path = work / fourth
    path.write_text(path.read_text("utf-8").replace("order: 4", "order: 0.5"), "utf-8")
    assert _plans("tháng 11/2024")[0] == "A tiếp nhà đầu tư."
    assert "0 lỗi" in run("validate").output
    listed = json.loads(run("list", "--period", "tháng 12/2024", "--format", "json").stdout)
    assert [e["order"] for e in listed] == [0.5, 1, 2, 3]


def test_import_writes_the_documents_order(work: Path, tmp_path: Path) -> None:
    (work / "data").mkdir()
    doc = tmp_path / "bc.txt"
    doc.write_text("BÁO CÁO\nKết quả công tác đối ngoại\nTừ ngày 24/8 - 31/8/2023\n\n"
                   "I. KẾT QUẢ THỰC HIỆN\n\n"
                   "- Tham mưu UBND tỉnh ban hành kế hoạch đối ngoại.\n\n"
                   "II. KẾ HOẠCH TRỌNG TÂM TUẦN TỚI\n\n"
                   "- Ngày 06/9, tham mưu UBND tỉnh đón Đoàn tỉnh Savannakhet.\n"
                   "- Tham mưu UBND tỉnh tổ chức hội nghị tổng kết.\n"
                   "- Ngày 04/9, tham mưu UBND tỉnh làm việc với Đại sứ quán Lào.\n", "utf-8")
    result = run("import", str(doc))
    assert result.exit_code == 0, result.output
    entries = []
    for path in sorted((work / "data").rglob("*.yaml")):
        entries.extend(load_text(path.read_text("utf-8"), path.name).entries)
    assert sorted(e.order for e in entries if e.order is not None) == [1, 2, 3, 4]
    planned = sorted((e for e in entries if e.status == "planned"), key=lambda e: e.order or 0)
    summaries = [str(e.summary) for e in planned]
    report = run("report", "--period", "2023-08-24:2023-08-31", "--type", "bao_cao_tuan",
                 "--format", "md", "-o", "-").stdout
    at = [report.index(s) for s in summaries]
    assert at == sorted(at), summaries  # as the document wrote them, not by date
    assert "Ngày 06/9" in summaries[0]
    # imported again: nothing new, no order taken
    assert run("import", str(doc)).exit_code == 0
    assert len(list((work / "data").rglob("*.yaml"))) == len({e.loc.path for e in entries})


@pytest.mark.parametrize("value", ["-1", "x", "[1]", "1e400", "", "9" * 30, ".nan", "true"])
def test_a_wrong_order_is_a_located_error(work: Path, value: str) -> None:
    path = work / "data" / "2024" / "12" / "2024-12-05-a.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("date: 2024-12-05\ncategory: chu_tri_hop\nsummary: A\n"
                    f"order: {value}\n", "utf-8")
    result = run("validate")
    assert result.exit_code == 1, result.output
    assert "2024-12-05-a.yaml:4:" in result.output and "E-TYPE: order: `order`" in result.output


def test_the_schema_and_the_cache_know_the_order() -> None:
    from ngoaivu_cli.config import load_config
    from ngoaivu_cli.log.cache import _decode, _encode
    from ngoaivu_cli.schema import entry_schema

    prop = entry_schema(load_config(None))["$defs"]["entry"]["properties"]["order"]
    assert (prop["type"], prop["minimum"]) == ("number", 0)
    loaded = load_text("date: 2024-12-05\ncategory: a\nsummary: b\norder: 7.5\n", "x.yaml")
    encoded = _encode("x.yaml", loaded)
    assert encoded is not None
    [entry] = _decode("x.yaml", *encoded).entries
    assert entry == loaded.entries[0] and entry.order == 7.5
