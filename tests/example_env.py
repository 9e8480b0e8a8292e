"""What the tests of examples/ share: the environment their scripts run in."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def example_env() -> dict[str, str]:
    """The user's environment with this interpreter's ``ngoaivu`` first on PATH and no
    setting that would change the output (NGOAIVU_CONFIG, SOURCE_DATE_EPOCH)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NGOAIVU_CONFIG", "SOURCE_DATE_EPOCH")}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env
