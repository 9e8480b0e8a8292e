"""Shared fixtures: the repository root and an environment no user setting can leak into."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw new cases on every local run (that is how they find bugs); in CI (CI=1,
# set by .ci/run) the draw is fixed, so a submission's result does not depend on luck.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    """The repository root (the folder holding pyproject.toml, data/ and tests/)."""
    return REPO_ROOT


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME and XDG_CONFIG_HOME in tmp_path, no NGOAIVU_CONFIG; returns the fake HOME.

    NGOAIVU_DEBUG=1 makes an internal error raise instead of printing "Lỗi nội bộ", so with
    ``CliRunner(catch_exceptions=False)`` a crash fails the test with its traceback.
    """
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("NGOAIVU_CONFIG", raising=False)
    monkeypatch.setenv("NGOAIVU_DEBUG", "1")
    return home


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files ``loader.load_file`` reads (what a cache saves shows as absent)."""
    from ngoaivu_cli.log import loader

    seen: list[str] = []
    real = loader.load_file

    def spy(path: Path, base: Path | None = None) -> object:
        seen.append(os.path.basename(path))
        return real(path, base)

    monkeypatch.setattr(loader, "load_file", spy)
    return seen


@pytest.fixture
def work(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, outside any log repository."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder
