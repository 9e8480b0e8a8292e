"""Nothing is dropped without a word (issue 14, item 2): what a report leaves out is listed as a
warning naming the files, in text and in ``--format json``, and ``--strict`` makes it an error;
every text field of a report type is a template with the same variables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main

WEEK = "2023-08-21:2023-08-27"  # a Monday-to-Sunday week; the next week is 28/8-3/9

CONFIG = """\
report_types:
  thu:
    doc_kind: BÁO CÁO
    symbol: BC-SNgV
    title: ["Thử {{ period.label }}"]
    signer: giam_doc
    receivers: ["Lưu: VT ({{ period.year }})"]
    sections:
{sections}
"""


def entry(folder: Path, name: str, text: str) -> Path:
    path = folder / "data" / "2023" / "08" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def log(work: Path, sections: str, extra: str = "") -> None:
    (work / "ngoaivu.yaml").write_text(CONFIG.replace("{sections}", sections) + extra, "utf-8")
    (work / "data").mkdir(exist_ok=True)


def report(*args: str) -> Result:
    return CliRunner().invoke(main, ["report", "--period", WEEK, "--type", "thu", *args],
                              catch_exceptions=False)


def warnings_json() -> list[dict[str, object]]:
    result = report("--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["warnings"])


DONE = """\
date: 2023-08-22
category: {cat}
summary: {summary}
{more}"""


def done(work: Path, name: str, cat: str, summary: str, more: str = "") -> Path:
    return entry(work, name, DONE.format(cat=cat, summary=summary, more=more))


def test_a_categories_list_that_leaves_an_entry_out_says_so(work: Path) -> None:
    log(work, "      - heading: A\n        categories: [lanh_su]\n")
    done(work, "2023-08-22-a.yaml", "lanh_su", "Việc lãnh sự")
    done(work, "2023-08-22-b.yaml", "bien_gioi", "Việc biên giới")
    found = warnings_json()
    assert [(w["code"], w["path"]) for w in found] == [
        ("W-ENTRY-DROPPED", "data/2023/08/2023-08-22-b.yaml")]
    assert "`categories:`" in str(found[0]["message"])
    text = report("--format", "md", "-o", "-")
    assert "2023-08-22-b.yaml:1:1: warning W-ENTRY-DROPPED" in text.stderr
    assert "1 cảnh báo" in text.stderr


def test_a_plan_dated_in_the_period_itself_says_so(work: Path) -> None:
    log(work, "      - {heading: A, status: done}\n"
              "      - {heading: B, status: planned, period: next}\n")
    entry(work, "2023-08-23-ke-hoach.yaml",
          "date: 2023-08-23\ncategory: lanh_su\nstatus: planned\nsummary: Kế hoạch\n")
    entry(work, "2023-08-29-ke-hoach-sau.yaml",
          "date: 2023-08-29\ncategory: lanh_su\nstatus: planned\nsummary: Kế hoạch sau\n")
    found = warnings_json()
    assert [w["path"] for w in found] == ["data/2023/08/2023-08-23-ke-hoach.yaml"]
    assert "kế hoạch (status: planned) ghi ngày trong kỳ" in str(found[0]["message"])


def test_a_section_for_some_tags_says_nothing_of_the_other_entries(work: Path) -> None:
    log(work, "      - {heading: A, tags: [ttdn], group_by: none}\n")
    done(work, "2023-08-22-a.yaml", "lanh_su", "Không phải ttdn")
    done(work, "2023-08-22-b.yaml", "thong_tin_doi_ngoai", "Tuyên truyền", "tags: [ttdn]\n")
    assert warnings_json() == []


def test_a_report_that_prints_none_of_the_period_s_entries_says_so(work: Path) -> None:
    """Issue 25, item 1: every section selects by a tag none of the period's entries has (an
    imported report without the `ttdn` tag): the report is empty, and it says so."""
    log(work, "      - {heading: A, tags: [ttdn], group_by: none}\n"
              "      - {heading: B, status: planned, period: next, tags: [ttdn]}\n")
    done(work, "2023-08-22-a.yaml", "lanh_su", "Không phải ttdn")
    done(work, "2023-08-22-b.yaml", "thong_tin_doi_ngoai", "Cũng không có nhãn")
    found = warnings_json()
    assert [(w["code"], w["path"]) for w in found] == [
        ("W-REPORT-EMPTY", "data/2023/08/2023-08-22-a.yaml")]
    message = str(found[0]["message"])
    assert "không in hoạt động nào trong 2 hoạt động" in message and "`ttdn`" in message
    assert "--tag ttdn" in str(found[0]["hint"])
    strict = report("--format", "md", "-o", "-", "--strict")
    assert strict.exit_code == 1 and "W-REPORT-EMPTY" in strict.stderr
    # one entry printed: the report is not empty, the other entry is not its business
    done(work, "2023-08-22-c.yaml", "thong_tin_doi_ngoai", "Có nhãn", "tags: [ttdn]\n")
    assert warnings_json() == []


def test_group_by_none_says_which_category_sentences_and_styles_it_drops(work: Path) -> None:
    log(work, "      - {heading: A, group_by: none}\n")
    done(work, "2023-08-22-a.yaml", "lanh_su", "Bảo hộ", "metrics: {vu_viec_bao_ho: 2}\n")
    done(work, "2023-08-22-b.yaml", "tham_muu_ubnd", "Tham mưu")
    found = [(w["code"], w["path"], w["message"]) for w in warnings_json()]
    assert [f[:2] for f in found] == [("W-STATS-DROPPED", "data/2023/08/2023-08-22-a.yaml"),
                                      ("W-STATS-DROPPED", "data/2023/08/2023-08-22-b.yaml")]
    assert "câu thống kê của lĩnh vực `lanh_su`" in str(found[0][2])
    assert "style `merged`" in str(found[1][2])
    # a section that says its style has chosen: only the sentence is still said
    log(work, "      - {heading: A, group_by: none, style: bullets}\n")
    assert [w["path"] for w in warnings_json()] == ["data/2023/08/2023-08-22-a.yaml"]


def test_a_metric_nobody_entered_printed_as_zero_says_so(work: Path) -> None:
    log(work, "      - {heading: A}\n")
    done(work, "2023-08-22-a.yaml", "doan_ra_doan_vao", "Đoàn ra", "metrics: {doan_ra: 2}\n")
    found = warnings_json()
    assert [(w["code"], w["field"]) for w in found] == [("W-METRIC-ZERO", "metrics.luot_ra")]
    assert "không hoạt động nào ghi số liệu này" in str(found[0]["message"])
    # an explicit 0 is a number entered: printed without a warning
    done(work, "2023-08-22-a.yaml", "doan_ra_doan_vao", "Đoàn ra",
         "metrics: {doan_ra: 2, luot_ra: 0}\n")
    assert warnings_json() == []


def test_a_guarded_metric_is_no_warning(work: Path) -> None:
    """The shipped translation sentence prints `gio_phien_dich` only {% if raw.gio_phien_dich %}."""
    log(work, "      - {heading: A}\n")
    done(work, "2023-08-22-a.yaml", "dich_thuat", "Dịch",
         "metrics: {trang_bd_tu_phap: 1, trang_bd_chung_nhan: 1, trang_bd_noi_dung: 1, "
         "trang_hieu_dinh: 1}\n")
    assert warnings_json() == []


def test_strict_makes_the_warnings_errors_and_writes_nothing(work: Path) -> None:
    log(work, "      - heading: A\n        categories: [lanh_su]\n")
    done(work, "2023-08-22-b.yaml", "bien_gioi", "Việc biên giới")
    result = report("--strict", "-o", "out.docx")
    assert result.exit_code == 1
    assert "W-ENTRY-DROPPED" in result.stderr and "--strict" in result.stderr
    assert not (work / "out.docx").exists()
    assert report("-o", "out.docx").exit_code == 0
    assert (work / "out.docx").exists()


@pytest.mark.parametrize("where", ["lead", "empty", "receivers", "signer"])
def test_every_text_field_is_a_template(work: Path, where: str) -> None:
    sections = "      - {heading: A, status: done}\n"
    extra = ""
    if where == "lead":
        sections = ("      - heading: A\n        lead: 'Trong {{ period.label }}: '\n"
                    "        style: merged\n")
        done(work, "2023-08-22-a.yaml", "lanh_su", "Bảo hộ")
    elif where == "empty":
        sections = "      - heading: A\n        empty: Không có gì trong {{ period.label }}.\n"
    elif where == "signer":
        extra = "signers:\n  giam_doc: {name: 'Người ký {{ agency.place }}'}\n"
    log(work, sections, extra)
    result = report("--format", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "{{" not in result.stdout
    wanted = {"lead": "Trong từ ngày 21/8 - 27/8/2023: Bảo hộ.",
              "empty": "Không có gì trong từ ngày 21/8 - 27/8/2023.",
              "receivers": "Lưu: VT (2023).", "signer": "Người ký Hà Tĩnh"}[where]
    assert wanted in result.stdout


def test_a_statistics_sentence_may_name_the_period(work: Path) -> None:
    log(work, "      - {heading: A}\n", """\
categories:
  lanh_su:
    stats:
      - {when: vu_viec_bao_ho, text: "{{ period.label | capfirst }}: {{ m.vu_viec_bao_ho }} vụ."}
""")
    done(work, "2023-08-22-a.yaml", "lanh_su", "Bảo hộ", "metrics: {vu_viec_bao_ho: 3}\n")
    result = report("--format", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "Từ ngày 21/8 - 27/8/2023: 03 vụ." in result.stdout


def test_a_subsection_about_the_category_speaks_for_its_sentence(work: Path) -> None:
    """The shipped monthly section lists entries by date and has a subsection printing the
    đoàn ra/đoàn vào figures: no sentence of that category is lost."""
    log(work, "      - heading: A\n        group_by: none\n        style: bullets\n"
              "        subsections:\n          - categories: [doan_ra_doan_vao]\n"
              "            entries: false\n            text: '{{ m.doan_ra }} đoàn'\n")
    done(work, "2023-08-22-a.yaml", "doan_ra_doan_vao", "Đoàn ra",
         "metrics: {doan_ra: 2, luot_ra: 3}\n")
    assert warnings_json() == []


def test_a_section_text_printing_a_figure_nobody_entered_says_so(work: Path) -> None:
    """Issue 25, item 8: "02 đoàn ra với 0 lượt cán bộ" from a section's `text:` (and a
    subsection's) is a W-METRIC-ZERO like a statistics sentence's; --strict refuses it."""
    log(work, "      - heading: A\n"
              "        text: '{{ m.doan_ra }} đoàn ra với {{ m.luot_ra }} lượt cán bộ.'\n"
              "        subsections:\n"
              "          - {heading: B, entries: false, text: 'B: {{ m.luot_khach }} lượt khách.'}\n",
          "categories:\n  doan_ra_doan_vao:\n    stats: []\n")
    done(work, "2023-08-22-a.yaml", "doan_ra_doan_vao", "Đoàn ra", "metrics: {doan_ra: 2}\n")
    found = warnings_json()
    assert sorted((w["code"], w["field"]) for w in found) == [
        ("W-METRIC-ZERO", "metrics.luot_khach"), ("W-METRIC-ZERO", "metrics.luot_ra")], found
    assert any("«02 đoàn ra với 0 lượt cán bộ.»" in str(w["message"]) for w in found)
    assert report("--strict", "-o", "out.docx").exit_code == 1
    # an entered zero, or a guard, is no warning
    done(work, "2023-08-22-a.yaml", "doan_ra_doan_vao", "Đoàn ra",
         "metrics: {doan_ra: 2, luot_ra: 0, luot_khach: 0}\n")
    assert warnings_json() == []


def test_a_zero_metric_written_by_another_category_says_which(work: Path) -> None:
    """Issue 25, item 8: the figure was entered, on an activity the sentence does not count;
    "không hoạt động nào ghi số liệu này" would be false."""
    log(work, "      - {heading: A}\n")
    done(work, "2023-08-22-a.yaml", "doan_ra_doan_vao", "Đoàn ra", "metrics: {doan_ra: 2}\n")
    done(work, "2023-08-22-b.yaml", "tham_muu_ubnd", "Tham mưu đoàn ra",
         "metrics: {luot_ra: 5}\n")
    [found] = [w for w in warnings_json() if w["code"] == "W-METRIC-ZERO"]
    message = str(found["message"])
    assert "không hoạt động nào ghi số liệu này" not in message, message
    assert "2023-08-22-b.yaml" in message and "`tham_muu_ubnd`" in message
    assert "`doan_ra_doan_vao`" in message


@pytest.mark.parametrize(("style", "printed"), [
    ("paragraph", ["- Năm 2010, Sở sẽ tiếp tục tập trung: Việc một. Việc hai."]),
    ("merged", ["- Năm 2010, Sở sẽ tiếp tục tập trung: Việc một; Việc hai."]),
    ("bullets", ["Năm 2010, Sở sẽ tiếp tục tập trung:", "- Việc một", "- Việc hai"]),
])
def test_group_by_none_prints_the_sections_own_lead_and_style(work: Path, style: str,
                                                              printed: list[str]) -> None:
    """Issue 25, item 7: a section's `lead` and `style` under `group_by: none` work."""
    log(work, "      - heading: A\n        group_by: none\n"
              f"        style: {style}\n"
              "        lead: 'Năm 2010, Sở sẽ tiếp tục tập trung:'\n")
    done(work, "2023-08-22-a.yaml", "lanh_su", "Việc một")
    done(work, "2023-08-22-b.yaml", "bien_gioi", "Việc hai")
    result = report("--format", "md", "-o", "-", "--strict")
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if "Việc" in ln or "Năm 2010" in ln]
    assert lines == printed


def test_a_lead_under_group_by_agency_is_printed(work: Path) -> None:
    log(work, "      - {heading: A, group_by: agency, lead: 'Các cơ quan đã làm:'}\n")
    done(work, "2023-08-22-a.yaml", "lanh_su", "Việc một")
    result = report("--format", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.index("Các cơ quan đã làm:") < result.stdout.index("Việc một")


def test_a_plan_section_without_figures_has_no_stats_warning(work: Path) -> None:
    """Issue 25, item 7: W-STATS-DROPPED only when a category's sentence would print
    something; `stats: []`, its own hint, silences it; --strict decides the same way."""
    log(work, "      - {heading: A, status: planned, period: next, group_by: none,"
              " style: bullets}\n")
    plan = entry(work, "2023-08-29-ke-hoach.yaml", "date: 2023-08-29\ncategory: "
                 "doan_ra_doan_vao\nstatus: planned\nsummary: Đón đoàn Lào\n")
    assert warnings_json() == []
    assert report("--strict", "-o", "out.docx").exit_code == 0
    plan.unlink()
    # a done section with figures: the sentence would print, so it is said...
    log(work, "      - {heading: A, group_by: none, style: bullets}\n")
    done(work, "2023-08-22-a.yaml", "doan_ra_doan_vao", "Đoàn ra",
         "metrics: {doan_ra: 2, luot_ra: 3}\n")
    assert [w["code"] for w in warnings_json()] == ["W-STATS-DROPPED"]
    assert "stats: []" in str(warnings_json()[0]["hint"])
    assert report("--strict", "-o", "out2.docx").exit_code == 1
    # ... and the hint's `stats: []` silences it
    log(work, "      - {heading: A, group_by: none, style: bullets, stats: []}\n")
    assert warnings_json() == []
    assert report("--strict", "-o", "out3.docx").exit_code == 0


@pytest.mark.parametrize("key", ["style: merged", "lead: 'X:'", "stats: []", "marker: ''",
                                 "empty: Không có."])
def test_a_key_a_section_without_entries_cannot_use_is_refused(work: Path, key: str) -> None:
    log(work, f"      - heading: A\n        entries: false\n        text: Chữ.\n        {key}\n")
    result = report("--format", "md", "-o", "-")
    assert result.exit_code == 1, result.output
    name = key.split(":")[0]
    assert "ngoaivu.yaml:12:" in result.output and \
        f"error E-VALUE: report_types.thu.sections[0].{name}: `{name}` không có tác dụng" in \
        result.output, result.output


def test_a_past_plan_the_last_report_printed_is_not_told_to_change(work: Path) -> None:
    """Issue 25, item 5: the plan was printed by last period's report (its next period is
    this one); "đổi thành done" or "ghi ngày của kỳ sau" would change that report."""
    log(work, "      - {heading: A, status: done}\n"
              "      - {heading: B, status: planned, period: next}\n")
    entry(work, "2023-08-23-ke-hoach.yaml",
          "date: 2023-08-23\ncategory: lanh_su\nstatus: planned\nsummary: Kế hoạch\n")
    [found] = warnings_json()
    said = f"{found['message']} {found['hint']}"
    assert "báo cáo kỳ trước đã in nó" in said, said
    assert "đổi thành done" not in said and "ghi ngày của kỳ sau" not in said
    assert "sửa ngày/trạng thái" not in said
    # no plan section at all: nothing printed it, and its date or status is what to fix
    log(work, "      - {heading: A, status: done}\n")
    [found] = warnings_json()
    assert "đổi thành done" in str(found["message"])


def test_a_categorys_lead_with_bullets_is_printed_before_them(work: Path) -> None:
    """Issue 25, item 7 (sweep): `lead` of a category in `style: bullets` was ignored."""
    log(work, "      - {heading: A}\n",
        "categories:\n  lanh_su:\n    style: bullets\n    lead: 'Về lãnh sự:'\n")
    done(work, "2023-08-22-a.yaml", "lanh_su", "Việc một")
    result = report("--format", "md", "-o", "-", "--strict")
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if "Việc" in ln or "lãnh sự" in ln]
    assert lines == ["Về lãnh sự:", "- Việc một"]
