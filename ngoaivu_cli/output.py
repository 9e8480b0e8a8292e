"""Writing outputs safely: the names the writers of reports, entries and the schema import.

The one writer is :func:`ngoaivu_cli.safeio.write_atomic` (atomic, never over an existing file
without ``--force``, never through a folder link under the log's root); this module only
gives its names to the callers that import them from here.
"""

from __future__ import annotations

from ngoaivu_cli.safeio import TMP_SUFFIX, LinkInPath, TargetChanged, TargetTaken, write_atomic

__all__ = ["TMP_SUFFIX", "LinkInPath", "TargetChanged", "TargetTaken", "write_atomic"]
