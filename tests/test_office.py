"""Another office than the shipped one (issue 14, item 1): ``ngoaivu init`` for it writes no
Hà Tĩnh name, and ``validate`` warns when the shipped office's names are still there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import daily as cli
from ngoaivu_cli.cli import main
from ngoaivu_cli.config import load_config
from ngoaivu_cli.office import (
    INIT_PLACEHOLDER,
    Office,
    SignerSetting,
    office_config_text,
    place_from_parent,
    shipped_names,
)

HA_TINH = ("Hà Tĩnh", "HÀ TĨNH", "Thái Phúc Sơn", "Lê Thị Khánh Cẩm")


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def diagnostics(*args: str) -> list[dict[str, object]]:
    result = run("validate", "--format", "json", *args)
    data = json.loads(result.output)
    return list(data["diagnostics"])


def test_shipped_names_are_the_places_and_people_of_ha_tinh() -> None:
    places, people = shipped_names()
    assert places == ("Hà Tĩnh", "HÀ TĨNH")
    assert people == ("Thái Phúc Sơn", "Lê Thị Khánh Cẩm")  # the placeholder is no person


@pytest.mark.parametrize(("parent", "place"), [
    ("UBND TỈNH QUẢNG TRỊ", "Quảng Trị"),
    ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", "Bà Rịa - Vũng Tàu"),
    ("UBND THÀNH PHỐ ĐÀ NẴNG", "Đà Nẵng"),
    ("BỘ NGOẠI GIAO", ""),
])
def test_place_from_parent(parent: str, place: str) -> None:
    assert place_from_parent(parent) == place


def test_init_for_another_province_leaves_no_ha_tinh_name(work: Path) -> None:
    result = run("init", "--parent", "UBND TỈNH QUẢNG TRỊ", "--symbol", "SNV",
                 "--signer-name", "giam_doc=Nguyễn Văn An",
                 "--signer-name", "chanh_van_phong=Trần Thị Bình",
                 "--signer-name", "pho_giam_doc=Lê Văn Cường")
    assert result.exit_code == 0, result.output
    for path in work.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".json", ".j2"):
            text = path.read_text("utf-8")
            assert not [n for n in HA_TINH if n in text], path
    config = load_config(work / "ngoaivu.yaml", cwd=work)
    assert config.agency.parent == "UBND TỈNH QUẢNG TRỊ"
    assert config.agency.place == "Quảng Trị"
    assert config.agency.symbol == "SNV"
    assert {rt.symbol for rt in config.report_types.values()} == {"BC-SNV"}
    assert config.signers["giam_doc"].name == "Nguyễn Văn An"
    assert config.metrics["kieu_bao"].label == "Người Quảng Trị ở nước ngoài"
    # the comments stay in their column
    line = next(x for x in (work / "ngoaivu.yaml").read_text("utf-8").splitlines()
                if x.startswith("  place:"))
    assert line == "  place: Quảng Trị                 # địa danh ghi trước ngày tháng"
    assert diagnostics() == []
    report = run("report", "--period", "tuần này", "--format", "md", "-o", "-")
    assert report.exit_code == 0, report.output
    assert "Quảng Trị, ngày" in report.output and "Nguyễn Văn An" not in report.output
    assert not [n for n in HA_TINH if n in report.output]


def test_init_without_signer_names_writes_a_flagged_placeholder(work: Path) -> None:
    assert run("init", "--parent", "UBND TỈNH QUẢNG TRỊ").exit_code == 0
    config = load_config(work / "ngoaivu.yaml", cwd=work)
    assert {s.name for s in config.signers.values()} == {INIT_PLACEHOLDER}
    found = [(d["code"], d["field"]) for d in diagnostics()]
    assert ("W-PLACEHOLDER-NAME", "signers.giam_doc.name") in found
    assert ("W-PLACEHOLDER-NAME", "signers.chanh_van_phong.name") in found
    assert ("W-PLACEHOLDER-NAME", "signers.pho_giam_doc.name") not in found  # signs nothing
    assert not [f for f in found if f[0] == "W-DEFAULT-NAME"]
    strict = run("validate", "--strict")
    assert strict.exit_code == 1


def test_a_new_director_title_changes_the_kt_and_tl_lines() -> None:
    text = office_config_text(Office(parent="UBND TỈNH X", place="X", signers={
        "giam_doc": SignerSetting("CHÁNH VĂN PHÒNG ĐOÀN ĐBQH", "A")}))
    assert "authority: KT. CHÁNH VĂN PHÒNG ĐOÀN ĐBQH" in text
    assert "authority: TL. CHÁNH VĂN PHÒNG ĐOÀN ĐBQH" in text


@pytest.mark.parametrize("odd", ["Sở: Ngoại vụ #1 'x'", "Null", "No", "X, unit: y}", "[a]"])
def test_values_that_need_quotes_are_quoted_and_read_back(work: Path, odd: str) -> None:
    text = office_config_text(Office(parent="UBND TỈNH X", place=odd, short_name=odd))
    (work / "ngoaivu.yaml").write_text(text, "utf-8")
    config = load_config(work / "ngoaivu.yaml", cwd=work)
    assert config.agency.short_name == odd and config.agency.place == odd
    assert config.metrics["kieu_bao"].label == f"Người {odd} ở nước ngoài"
    assert config.metrics["kieu_bao"].unit == "người"


def test_init_without_options_in_a_script_writes_placeholders_and_says_so(work: Path) -> None:
    """Issue 25, item 9: the shipped office is kept, never its officers' names; init says
    that a report fails --strict until the names are written."""
    result = run("init")
    assert result.exit_code == 0, result.output
    text = (work / "ngoaivu.yaml").read_text("utf-8")
    assert "Thái Phúc Sơn" not in text and "Lê Thị Khánh Cẩm" not in text
    config = load_config(work / "ngoaivu.yaml", cwd=work)
    assert {s.name for s in config.signers.values()} == {INIT_PLACEHOLDER}
    assert config.agency.place == "Hà Tĩnh"
    assert INIT_PLACEHOLDER in result.output and "W-PLACEHOLDER-NAME" in result.output
    assert "--strict" in result.output and "signers.*.name" in result.output
    assert "W-PLACEHOLDER-NAME" in run("validate").output
    # with the names given, nothing is said of placeholders
    named = run("init", "kho", "--parent", "UBND TỈNH QUẢNG TRỊ", "--signer-name",
                "giam_doc=A B", "--signer-name", "pho_giam_doc=C D", "--signer-name",
                "chanh_van_phong=E F")
    assert named.exit_code == 0 and "W-PLACEHOLDER-NAME" not in named.output


@pytest.mark.parametrize(("name", "short"), [
    ("SỞ NGOẠI VỤ", "Sở Ngoại vụ"),
    ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư"),
    ("VĂN PHÒNG ĐOÀN ĐBQH", "Văn phòng Đoàn ĐBQH"),
    ("BAN ĐỐI NGOẠI", "Ban Đối ngoại"),
])
def test_the_short_name_of_an_agency_is_written_as_in_running_text(name: str, short: str
                                                                   ) -> None:
    from ngoaivu_cli.office import short_name_of

    assert short_name_of(name) == short


def test_init_offers_so_ngoai_vu_with_capitals(work: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    answers = ["UBND TỈNH CAO BẰNG", "", "", "", "", "", "A", "", "B", "", "C"]
    result = run("init", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "[Sở Ngoại vụ]" in result.output and "Sở ngoại vụ" not in result.output
    assert load_config(work / "ngoaivu.yaml", cwd=work).agency.short_name == "Sở Ngoại vụ"
    assert "W-PLACEHOLDER-NAME" not in result.output


def test_init_asks_in_a_terminal(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    answers = ["UBND TỈNH CAO BẰNG", "", "", "", "",  # parent, then defaults
               "", "Nông Văn Dũng", "", "", "", "Hoàng Thị Em"]  # three signers
    result = run("init", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    config = load_config(work / "ngoaivu.yaml", cwd=work)
    assert config.agency.place == "Cao Bằng"
    assert config.signers["giam_doc"].name == "Nông Văn Dũng"
    assert config.signers["pho_giam_doc"].name == INIT_PLACEHOLDER
    assert config.signers["chanh_van_phong"].name == "Hoàng Thị Em"


def test_init_refuses_an_unknown_signer(work: Path) -> None:
    result = run("init", "--parent", "UBND TỈNH X", "--signer-name", "giam_doc_so=A")
    assert result.exit_code == 2
    assert "giam_doc" in result.output
    assert not (work / "ngoaivu.yaml").exists()


def test_overriding_only_the_agency_warns_at_each_shipped_name(work: Path) -> None:
    (work / "ngoaivu.yaml").write_text(
        "agency:\n  parent: UBND TỈNH QUẢNG TRỊ\n  name: SỞ NGOẠI VỤ\n  symbol: SNgV\n"
        "  place: Quảng Trị\n"
        "report_types:\n  bao_cao_tuan:\n    receivers: [Văn phòng UBND tỉnh Hà Tĩnh]\n",
        "utf-8")
    (work / "data").mkdir()
    found = [(d["code"], d["field"], d["line"]) for d in diagnostics()
             if d["code"] == "W-DEFAULT-NAME"]
    fields = {f for _c, f, _l in found}
    assert {"signers.giam_doc.name", "signers.chanh_van_phong.name",
            "report_types.thong_tin_doi_ngoai_thang.recipients",
            "report_types.thong_tin_doi_ngoai_thang.receivers",
            "report_types.bao_cao_dinh_ky.receivers", "metrics.kieu_bao.label",
            "report_types.bao_cao_tuan.receivers[0]"} <= fields
    # inherited keys point at the user's `agency:`; a written one at its own line
    assert ("W-DEFAULT-NAME", "signers.giam_doc.name", 1) in found
    assert ("W-DEFAULT-NAME", "report_types.bao_cao_tuan.receivers[0]", 8) in found
    assert "report_types.bao_cao_tuan.receivers" not in fields  # written by the user


def test_the_shipped_agency_itself_gets_no_default_name_warning(work: Path) -> None:
    (work / "ngoaivu.yaml").write_text("units:\n  XYZ: Phòng XYZ\n", "utf-8")
    (work / "data").mkdir()
    assert diagnostics() == []


def test_a_placeholder_signer_is_said_when_a_report_prints_it(work: Path) -> None:
    (work / "ngoaivu.yaml").write_text(
        "report_types:\n  bao_cao_tuan:\n    signer: pho_giam_doc\n", "utf-8")
    (work / "data").mkdir()
    found = [(d["code"], d["field"], d["line"]) for d in diagnostics()]
    assert [f for f in found if f[0] == "W-PLACEHOLDER-NAME"] == [
        ("W-PLACEHOLDER-NAME", "signers.pho_giam_doc.name", 1)]
    result = CliRunner().invoke(main, ["report", "--period", "2023-08-24:2023-08-31",
                                       "--format", "md", "-o", "-"])
    assert result.exit_code == 0
    assert "người ký `pho_giam_doc` chưa có họ tên" in result.stderr


def test_a_new_parent_with_the_shipped_place_is_warned_at_the_place(work: Path) -> None:
    (work / "ngoaivu.yaml").write_text("agency:\n  parent: UBND TỈNH QUẢNG TRỊ\n", "utf-8")
    (work / "data").mkdir()
    fields = {d["field"] for d in diagnostics() if d["code"] == "W-DEFAULT-NAME"}
    assert "agency.place" in fields and "signers.giam_doc.name" in fields


def test_another_body_of_the_same_province_is_not_warned(work: Path) -> None:
    (work / "ngoaivu.yaml").write_text(
        "agency:\n  parent: ''\n  name: ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH\n  symbol: UBND\n", "utf-8")
    (work / "data").mkdir()
    assert diagnostics() == []


def test_the_guide_example_for_another_office_runs(work: Path) -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "lenh.md").read_text("utf-8")
    block = guide.split("```bash\nngoaivu init kho --parent", 1)[1].split("\n```", 1)[0]
    import shlex

    words = shlex.split("ngoaivu init kho --parent" + block.replace("\\\n", " "))
    assert run(*words[1:]).exit_code == 0
    config = load_config(work / "kho" / "ngoaivu.yaml", cwd=work / "kho")
    assert config.agency.place == "Quảng Trị"
    assert config.signers["pho_giam_doc"].name == "Lê Văn Cường"


QUANG_BINH = ("agency:\n  parent: UBND TỈNH QUẢNG BÌNH\n  name: SỞ NGOẠI VỤ\n  symbol: SNgV\n"
              "  place: Quảng Bình\n")


def _quang_binh_log(work: Path) -> None:
    (work / "ngoaivu.yaml").write_text(QUANG_BINH, "utf-8")
    day = work / "data" / "2023" / "08"
    day.mkdir(parents=True)
    (day / "2023-08-28-a.yaml").write_text(
        "date: 2023-08-28\ncategory: tham_muu_ubnd\nsummary: Tham mưu UBND tỉnh.\n", "utf-8")


def test_a_report_signed_by_the_shipped_office_warns_and_fails_strict(work: Path) -> None:
    """Issue 25, item 9: only `agency` changed; the report would print Hà Tĩnh's signer."""
    _quang_binh_log(work)
    args = ("report", "--period", "tuần 35/2023", "--type", "bao_cao_tuan")
    data = json.loads(run(*args, "--format", "json", "-o", "-").stdout)
    fields = {w["field"] for w in data["warnings"] if w["code"] == "W-DEFAULT-NAME"}
    signer = load_config(work / "ngoaivu.yaml").report_types["bao_cao_tuan"].signer
    assert f"signers.{signer}.name" in fields, data["warnings"]
    # only what this report prints: not another type's recipients, not a metric's label
    assert not any(f.startswith(("report_types.thong_tin", "metrics.")) for f in fields), fields
    text = run(*args, "--format", "md", "-o", "-")
    assert text.exit_code == 0 and "W-DEFAULT-NAME" in text.stderr
    strict = run(*args, "--strict", "-o", "out.docx")
    assert strict.exit_code == 1 and "W-DEFAULT-NAME" in strict.output
    assert not (work / "out.docx").exists()
    batch = run("batch", "--period", "tuần 35/2023", "--types", "bao_cao_tuan", "--strict",
                "--out", "bao-cao")
    assert batch.exit_code == 1 and "W-DEFAULT-NAME" in batch.output, batch.output
    # the shipped office itself: no such warning
    (work / "ngoaivu.yaml").write_text("units:\n  XYZ: Phòng XYZ\n", "utf-8")
    data = json.loads(run("report", "--period", "tuần 35/2023", "--type", "bao_cao_tuan",
                          "--format", "json", "-o", "-").stdout)
    assert not [w for w in data["warnings"] if w["code"] == "W-DEFAULT-NAME"]
