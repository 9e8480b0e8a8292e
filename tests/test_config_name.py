"""Messages name the configuration file in use (issue 14, item 7): given with ``--config``
under another name, or found in a parent folder, every "ngoaivu.yaml" of a message or hint
becomes that file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ngoaivu_cli.cli import main
from ngoaivu_cli.errors import CONFIG_SHOWN, name_config

ENTRY = ("date: 2024-11-05\ncategory: bien_gioi\nsummary: Tuần tra biên giới.\n"
         "metrics: {qqq: 3}\n")  # a metric with no near name: the hint says where to declare it


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def log(work: Path) -> Path:
    folder = work / "cauhinh" / "data" / "2024" / "11"
    folder.mkdir(parents=True)
    (folder / "2024-11-05-a.yaml").write_text(ENTRY, "utf-8")
    (work / "cauhinh" / "so-ngoai-vu.yaml").write_text("version: 1\n", "utf-8")
    return work


def test_hints_name_the_file_given_with_config(log: Path) -> None:
    result = run("--config", "cauhinh/so-ngoai-vu.yaml", "validate")
    assert result.exit_code == 1
    assert "khai báo nó trong mục metrics của cauhinh/so-ngoai-vu.yaml" in result.output
    assert "ngoaivu.yaml" not in result.output
    data = json.loads(run("--config", "cauhinh/so-ngoai-vu.yaml", "validate", "--format",
                          "json").output)
    hints = [d["hint"] for d in data["diagnostics"]]
    assert any("cauhinh/so-ngoai-vu.yaml" in h for h in hints)


def test_a_broken_configuration_names_its_file(log: Path) -> None:
    (log / "cauhinh" / "so-ngoai-vu.yaml").write_text("agency:\n  nam: X\n", "utf-8")
    result = run("--config", "cauhinh/so-ngoai-vu.yaml", "validate")
    assert result.exit_code == 1
    assert result.output.rstrip().endswith("hãy sửa cauhinh/so-ngoai-vu.yaml")


def test_a_configuration_found_in_a_parent_folder_is_named_from_here(
        log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (log / "cauhinh" / "so-ngoai-vu.yaml").rename(log / "cauhinh" / "ngoaivu.yaml")
    monkeypatch.chdir(log / "cauhinh" / "data")
    result = run("validate")
    assert result.exit_code == 1
    # outside the working folder: the full path (display_path), never a bare "ngoaivu.yaml"
    shown = str(log / "cauhinh" / "ngoaivu.yaml")
    assert f"khai báo nó trong mục metrics của {shown}" in result.output


def test_the_usual_name_in_the_working_folder_stays(log: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (log / "cauhinh" / "so-ngoai-vu.yaml").rename(log / "cauhinh" / "ngoaivu.yaml")
    monkeypatch.chdir(log / "cauhinh")
    result = run("validate")
    assert "khai báo nó trong mục metrics của ngoaivu.yaml" in result.output


def test_name_config_leaves_paths_alone() -> None:
    token = CONFIG_SHOWN.set("kho/so.yaml")
    try:
        assert name_config("sửa ngoaivu.yaml, mục metrics") == "sửa kho/so.yaml, mục metrics"
        assert name_config("`ngoaivu.yaml`") == "`kho/so.yaml`"
        for kept in ("<mặc định>/ngoaivu.yaml", "examples/x/ngoaivu.yaml", "ngoaivu.yaml.bak"):
            assert name_config(kept) == kept
        assert name_config(None) is None
    finally:
        CONFIG_SHOWN.reset(token)
    assert name_config("sửa ngoaivu.yaml") == "sửa ngoaivu.yaml"  # none set: as written
