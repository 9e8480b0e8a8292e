"""Where the configuration and the log are, without reading them (no YAML: cheap to import)."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_NAME = "ngoaivu.yaml"
ENV_VAR = "NGOAIVU_CONFIG"
DATA_FOLDER = "data"
DOCUMENTS_FOLDER = "documents"
CACHE_OFF = "NGOAIVU_NO_CACHE"  # set (to anything but 0): no parse cache, no digests


def cache_enabled() -> bool:
    """False when ``NGOAIVU_NO_CACHE`` is set to anything but ``0`` or an empty string (here,
    not in log/replay.py, so that a run without caches imports none of their modules)."""
    return os.environ.get(CACHE_OFF, "").strip() in ("", "0")


def find_config(explicit: Path | None = None, cwd: Path | None = None) -> Path | None:
    """The configuration file to use, or None for the shipped default alone."""
    if explicit is not None:
        return explicit
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        # anything by that name is this log's configuration: a FIFO, a device, a folder or a
        # dangling link is an error when read, never skipped for a parent folder's log or
        # the shipped default
        if os.path.lexists(candidate):
            return candidate
    return None


def log_root(config_path: Path | None, cwd: Path | None = None) -> Path:
    """The root of the log: the folder of its ``ngoaivu.yaml``, else the working folder
    (what :attr:`ngoaivu_cli.config.Config.root` is)."""
    if config_path is not None:
        # where the file is found (a linked ngoaivu.yaml shared by several logs stays here)
        return Path(os.path.abspath(config_path)).parent
    return (cwd or Path.cwd()).resolve()


def log_paths(root: Path) -> list[Path]:
    """What ``ngoaivu validate`` checks when given no path: the log's ``data/``, and its
    ``documents/`` when there is one (the replay's key and the run itself use this same list)."""
    paths = [root / DATA_FOLDER]
    if (root / DOCUMENTS_FOLDER).is_dir():
        paths.append(root / DOCUMENTS_FOLDER)
    return paths
