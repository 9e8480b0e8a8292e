"""``ngoaivu check``: any DOCX against the checkable rules of Nghị định 30/2020/NĐ-CP.

:func:`check_file` reads one document (:mod:`.document`), runs the layout rules
(:mod:`.rules`) and the OOXML schema rule (:mod:`.schema`), and returns a :class:`Result`
whose findings each name a stable rule code, the place and what to do, in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ngoaivu_cli.check.document import CheckError, read_docx
from ngoaivu_cli.check.layout import CODES, check_layout
from ngoaivu_cli.check.rules import ERROR, WARNING, Finding


@dataclass
class Result:
    """The findings for one file (``problem`` when the file could not be read at all)."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    problem: str | None = None
    hint: str | None = None

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings) + (self.problem is not None)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def to_json(self) -> dict[str, object]:
        return {"file": str(self.path), "errors": self.errors, "warnings": self.warnings,
                "problem": self.problem, "hint": self.hint,
                "findings": [f.to_json() for f in self.findings]}


def check_file(path: Path, *, schema: bool = True) -> Result:
    """Check one DOCX; a file that cannot be read gives a result with ``problem`` set."""
    try:
        doc = read_docx(path)
    except CheckError as exc:
        return Result(path, problem=exc.message, hint=exc.hint)
    findings = check_layout(doc)
    if schema:
        from ngoaivu_cli.check.schema import check_schema

        findings += check_schema(path)
    return Result(path, findings)


__all__ = ["CODES", "Finding", "Result", "check_file"]
