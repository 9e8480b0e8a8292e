"""How long a run of text is on one line, in twips: Times New Roman's advance widths
(:mod:`ngoaivu_cli.fontwidths`, the metrics of Liberation Serif) at a size and weight. Used
where a line is drawn to the length of the text above it (render/rules.py) and where that
length is checked (check/measure.py)."""

from __future__ import annotations

from ngoaivu_cli.fontwidths import BOLD, REGULAR

DEFAULT_SIZE = 11.0  # points: Word's Normal when a document sets none
UNKNOWN_WIDTH = 500  # thousandths of an em, for a letter the table does not have


def run_twips(text: str, size: float | None, bold: bool, caps: bool = False) -> float:
    """Twips ``text`` takes at ``size`` points (Word's default when None), bold or regular,
    in capitals when ``caps``; a line break takes none."""
    table = BOLD if bold else REGULAR
    shown = text.upper() if caps else text
    em = sum(table.get(c, 0 if c in "\n\r" else UNKNOWN_WIDTH) for c in shown)
    return em * (size or DEFAULT_SIZE) * 20 / 1000
