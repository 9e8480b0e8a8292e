"""Every layout rule, in the order of the document's components, and their codes."""

from __future__ import annotations

from ngoaivu_cli.check.document import Docx
from ngoaivu_cli.check.drawn import rule_lines
from ngoaivu_cli.check.placement import rule_positions
from ngoaivu_cli.check.rules import TEXT_RULES, Finding, Rule, find_parts

RULES: tuple[Rule, ...] = (*TEXT_RULES, rule_lines, rule_positions)
CODES = ("ND30-KHOGIAY", "ND30-LE", "ND30-FONT", "ND30-COQUAN", "ND30-QUOCHIEU",
         "ND30-TIEUNGU", "ND30-SO", "ND30-NGAY", "ND30-TENLOAI", "ND30-TRICHYEU",
         "ND30-KINHGUI", "ND30-MUC", "ND30-NOIDUNG", "ND30-NOINHAN", "ND30-CHUKY",
         "ND30-SOTRANG", "ND30-DUONGKE", "ND30-VITRI", "ND30-SCHEMA", "ND30-CAUTRUC")


def check_layout(doc: Docx) -> list[Finding]:
    """Every layout rule on ``doc``."""
    parts = find_parts(doc)
    out: list[Finding] = []
    for rule in RULES:
        out.extend(rule(doc, parts))
    return out
