"""Tests of ``ngoaivu schema``: the JSON Schema agrees with the loader and the validator.

Every file of the shipped log validates against it; every fixture of tests/data/schema/ (one
mistake per folder, named for it) is rejected by the schema *and* by ``ngoaivu validate``.
Files are read the way yaml-language-server reads them (YAML 1.2: ``2023-08-28`` stays text).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from ngoaivu_cli.cli import main
from ngoaivu_cli.config import load_config
from ngoaivu_cli.log.entries import FIELDS, REQUIRED
from ngoaivu_cli.schema import DRAFT, entry_schema, schema_text

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "data" / "schema"
# fixture folder → the code `ngoaivu validate` gives for it
EXPECTED_CODES = {
    "unknown-field": "E-UNKNOWN-FIELD",
    "bad-date": "E-DATE-DMY",
    "impossible-date": "E-DATE-INVALID",
    "unknown-category": "E-UNKNOWN-CATEGORY",
    "unknown-unit": "E-UNKNOWN-UNIT",
    "negative-metric": "E-METRIC-VALUE",
    "unknown-metric": "E-UNKNOWN-METRIC",
    "derived-metric": "E-METRIC-DERIVED",
    "fractional-count": "E-METRIC-VALUE",
    "bad-status": "E-VALUE",
    "missing-summary": "E-MISSING-FIELD",
    "blank-summary": "E-SUMMARY-EMPTY",
    "list-with-bad-item": "E-UNKNOWN-FIELD",
}


class Yaml12Loader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: no timestamps, booleans only true/false."""


_BOOL = "tag:yaml.org,2002:bool"
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=Yaml12Loader)  # noqa: S506 - a safe loader


@pytest.fixture(autouse=True)
def isolated(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = entry_schema(load_config(cwd=REPO))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_schema_is_draft_2020_12_and_derived_from_fields_and_config() -> None:
    config = load_config(cwd=REPO)
    schema = entry_schema(config)
    entry = schema["$defs"]["entry"]
    assert schema["$schema"] == DRAFT
    assert entry["type"] == "object"
    assert entry["additionalProperties"] is False
    assert list(entry["properties"]) == list(FIELDS)
    assert entry["required"] == list(REQUIRED)
    for name, spec in FIELDS.items():
        assert entry["properties"][name]["description"] == spec.description
    day = {"pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
    assert {k: entry["properties"]["end"][k] for k in day} == day
    # date: a day, or for a plan a month or a quarter (tests/test_approx_plans.py)
    assert entry["properties"]["date"]["anyOf"][0] == day
    assert entry["properties"]["category"]["enum"] == list(config.categories)
    assert entry["properties"]["unit"]["enum"] == list(config.units)
    metrics = entry["properties"]["metrics"]
    plain = [k for k, m in config.metrics.items() if not m.sum_of]
    assert metrics["propertyNames"]["enum"] == plain
    assert "trang_bien_dich" not in plain  # computed: never written
    assert all(metrics["properties"][k]["minimum"] == 0 for k in plain)
    assert metrics["properties"]["doan_ra"]["type"] == "integer"
    assert metrics["properties"]["gio_phien_dich"]["type"] == "number"


def test_cli_prints_the_schema_as_json() -> None:
    result = CliRunner().invoke(main, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == entry_schema(load_config(cwd=REPO))


def test_every_file_of_the_shipped_log_validates(validator: Draft202012Validator) -> None:
    files = sorted((REPO / "data").rglob("*.yaml"))
    assert len(files) > 30
    for path in files:
        errors = [e.message for e in validator.iter_errors(read_yaml(path))]
        assert errors == [], f"{path.relative_to(REPO)}: {errors}"


@pytest.mark.parametrize("case", sorted(EXPECTED_CODES))
def test_invalid_fixture_is_rejected_by_schema_and_validate(
        case: str, validator: Draft202012Validator) -> None:
    folder = FIXTURES / case
    (path,) = folder.glob("*.yaml")
    assert list(validator.iter_errors(read_yaml(path))), f"{case}: the schema accepts it"
    result = CliRunner().invoke(main, ["validate", str(path.relative_to(REPO))],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert f"error {EXPECTED_CODES[case]}:" in result.output


def test_every_fixture_folder_has_an_expected_code() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(EXPECTED_CODES)


def test_forms_the_loader_accepts_are_accepted(tmp_path: Path,
                                               validator: Draft202012Validator) -> None:
    path = tmp_path / "2023-08-28-nhieu-hoat-dong.yaml"
    path.write_text(
        "- date: 2023-08-28\n"  # unquoted: text for YAML 1.2, as for our loader
        "  end: 2023-08-30\n"
        "  category: doan_ra_doan_vao\n"
        "  status: planned\n"
        "  summary: Đón đoàn tỉnh Bolikhămxay\n"
        "  unit: HTQT\n"
        "  tags: lao\n"  # one tag without brackets
        "  partners: [Lào, Bolikhămxay]\n"
        "  metrics: {doan_vao: 1, luot_khach: 12}\n"
        "  footnote: 'Gồm 12 thành viên'\n"
        "- date: '2023-08-28'\n"
        "  category: dich_thuat\n"
        "  summary: Số liệu phiên dịch\n"
        "  metrics: {gio_phien_dich: 1.5, trang_bd_noi_dung: 0}\n",
        encoding="utf-8")
    assert [e.message for e in validator.iter_errors(read_yaml(path))] == []
    result = CliRunner().invoke(main, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_schema_follows_the_active_configuration(tmp_path: Path) -> None:
    config = tmp_path / "ngoaivu.yaml"
    config.write_text("version: 1\nunits:\n  PCT: Phòng Chính trị\ncategories:\n"
                      "  hop_tac_campuchia:\n    label: Hợp tác với Campuchia\n"
                      "metrics:\n  so_tin_bai: {label: Tin bài, unit: bài}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "schema"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    props = json.loads(result.stdout)["$defs"]["entry"]["properties"]
    assert "hop_tac_campuchia" in props["category"]["enum"]
    assert "tham_muu_ubnd" in props["category"]["enum"]  # the default is extended, not replaced
    assert "PCT" in props["unit"]["enum"]
    assert "so_tin_bai" in props["metrics"]["propertyNames"]["enum"]


def test_schema_output_file_is_written_once_then_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "schema" / "entry.schema.json"
    runner = CliRunner()
    first = runner.invoke(main, ["schema", "-o", str(target)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert target.read_text("utf-8") == schema_text(load_config(cwd=REPO))
    target.write_text("{}", encoding="utf-8")
    again = runner.invoke(main, ["schema", "-o", str(target)], catch_exceptions=False)
    assert again.exit_code == 1
    assert "đã có" in again.output
    assert target.read_text("utf-8") == "{}"
    forced = runner.invoke(main, ["schema", "-o", str(target), "--force"],
                           catch_exceptions=False)
    assert forced.exit_code == 0, forced.output
    assert json.loads(target.read_text("utf-8"))["$schema"] == DRAFT
