"""Where the configuration and the log are, without reading them (no YAML: cheap to import)."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_NAME = "ngoaivu.yaml"
ENV_VAR = "NGOAIVU_CONFIG"


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
        if candidate.is_file():
            return candidate
    return None


def log_root(config_path: Path | None, cwd: Path | None = None) -> Path:
    """The root of the log: the folder of its ``ngoaivu.yaml``, else the working folder
    (what :attr:`ngoaivu_cli.config.Config.root` is)."""
    if config_path is not None:
        # where the file is found (a linked ngoaivu.yaml shared by several logs stays here)
        return Path(os.path.abspath(config_path)).parent
    return (cwd or Path.cwd()).resolve()
