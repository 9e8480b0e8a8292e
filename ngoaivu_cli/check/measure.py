"""How long a line of text is on the page, and where a paragraph falls: page and line.

Text is measured with Times New Roman's advance widths (:mod:`.widths`, the metrics of
Liberation Serif), run by run at each run's size and weight, so the rule under the Tiêu ngữ
can be compared with the Tiêu ngữ itself. Pages are *estimated* the simple way a reader
counts them: lines of text at the paragraph's line height, paragraph spacing, a table row as
tall as its tallest cell, page breaks and new-page sections; no hyphenation, no footnotes
area, no widow control, so a finding says "khoảng trang 2" and quotes the text besides.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from ngoaivu_cli.textwidth import DEFAULT_SIZE, run_twips


class RunFormat(Protocol):  # the parts of document.RunFormat measured here
    bold: bool
    caps: bool
    size: float | None


class Para(Protocol):  # the parts of document.Para (document imports this module)
    runs: list[tuple[str, Any]]
    width: int
    left: int
    right: int
    first_line: int
    before: int
    after: int
    line: int
    line_rule: str
    row: Any
    cell: Any
    section: int
    page_break: bool
    page: int
    page_line: int
    rendered: tuple[int, int]

    @property
    def first_piece(self) -> bool: ...

    @property
    def last_piece(self) -> bool: ...

    def sizes(self) -> set[float]: ...


class Section(Protocol):
    width: int | None
    height: int | None
    top: int | None
    bottom: int | None
    left: int | None
    right: int | None
    new_page: bool
    first_page: int


LETTER = (12240, 15840)  # twips: Word's page when a section sets none
DEFAULT_MARGIN = 1440  # twips (25.4 mm): Word's margins when a section sets none


def text_width(runs: Iterable[tuple[str, RunFormat]]) -> int:
    """Twips the runs take on one line (Times New Roman's metrics, whatever the font)."""
    return round(sum(run_twips(text, fmt.size, fmt.bold, fmt.caps) for text, fmt in runs))


def underscore_width(para: Para) -> int:
    """The length of a line typed as a row of "_" (or "─", "—"), its spaces left out."""
    return text_width((t.strip(), f) for t, f in para.runs)


def line_height(para: Para) -> int:
    """Twips one line of ``para`` takes (single spacing is about 1.15 em in Times)."""
    sizes = para.sizes()
    size = max(sizes) if sizes else DEFAULT_SIZE
    natural = size * 20 * 1.15
    if para.line_rule == "exact":
        return max(para.line, 1)
    if para.line_rule == "atLeast":
        return round(max(natural, para.line))
    return round(natural * max(para.line, 1) / 240)


def lines(para: Para) -> int:
    """How many lines ``para`` wraps into in its column."""
    room = para.width - para.left - para.right - max(para.first_line, 0)
    if room <= 0:
        return 1
    return max(1, math.ceil(text_width(para.runs) / room))


def _height(para: Para) -> tuple[int, int]:
    """(twips, lines) ``para`` takes, with its spacing."""
    count = lines(para)
    height = count * line_height(para)
    if para.first_piece:
        height += max(para.before, 0)
    if para.last_piece:
        height += max(para.after, 0)
    return height, count


def page_size(section: Section) -> tuple[int, int]:
    """(width, height) of the text area of ``section``, Word's defaults for what it omits."""
    width = section.width if section.width is not None else LETTER[0]
    height = section.height if section.height is not None else LETTER[1]
    margins = [abs(m) if m is not None else DEFAULT_MARGIN
               for m in (section.left, section.right, section.top, section.bottom)]
    return max(width - margins[0] - margins[1], 1), max(height - margins[2] - margins[3], 1)


def estimate_pages(body: Sequence[Para], sections: Sequence[Section]) -> None:
    """Set ``page`` and ``page_line`` of every body paragraph, and ``first_page`` of every
    section: where Word last broke the pages when the file was saved by Word (it records
    them), else an estimate (see the module's note)."""
    if any(p.rendered != (0, 0) for p in body):
        _rendered_pages(body, sections)
        return
    _estimated_pages(body, sections)


def _rendered_pages(body: Sequence[Para], sections: Sequence[Section]) -> None:
    """Pages as Word last laid the document out (``w:lastRenderedPageBreak``), lines counted
    from each page's top; the cells of a row each start where the row starts."""
    page, line = 1, 1
    current = -1
    i = 0
    while i < len(body):
        para = body[i]
        if para.section != current:
            current = para.section
            if current < len(sections):
                sections[current].first_page = page + para.rendered[0]
        j = i + 1
        if para.row is not None:
            while j < len(body) and body[j].row is para.row:
                j += 1
        ends: list[tuple[int, int]] = []
        cells: dict[int, tuple[int, int]] = {}
        for p in body[i:j]:
            cell_page, cell_line = cells.get(id(p.cell), (page, line))
            lead, tail = p.rendered
            if lead:
                cell_page, cell_line = cell_page + lead, 1
            p.page, p.page_line = cell_page, cell_line
            cell_line += lines(p)
            if tail:
                cell_page, cell_line = cell_page + tail, 1
            cells[id(p.cell)] = (cell_page, cell_line)
            ends.append((cell_page, cell_line))
        page, line = max(ends)
        i = j


def _estimated_pages(body: Sequence[Para], sections: Sequence[Section]) -> None:
    page, y, line = 1, 0, 1
    current = -1
    i = 0
    while i < len(body):
        para = body[i]
        section = sections[para.section] if para.section < len(sections) else None
        height = page_size(section)[1] if section is not None else LETTER[1]
        if para.section != current:
            if current >= 0 and section is not None and section.new_page and y > 0:
                page, y, line = page + 1, 0, 1
            current = para.section
            if section is not None:
                section.first_page = page
        if para.row is None:
            if para.page_break and y > 0:
                page, y, line = page + 1, 0, 1
            h, count = _height(para)
            if y + h > height and y > 0:
                page, y, line = page + 1, 0, 1
            para.page, para.page_line = page, line
            y += h
            line += count
            page, y, line = _overflow(page, y, line, height)
            i += 1
            continue
        row = para.row  # a table row: as tall as its tallest cell
        j = i
        while j < len(body) and body[j].row is row:
            j += 1
        cells: dict[int, tuple[int, int]] = {}
        heights = [(p, *_height(p)) for p in body[i:j]]
        row_h = 0
        row_lines = 0
        for p, h, count in heights:
            key = id(p.cell)
            used_h, used_lines = cells.get(key, (0, 0))
            cells[key] = (used_h + h, used_lines + count)
            row_h = max(row_h, used_h + h)
            row_lines = max(row_lines, used_lines + count)
        if y + row_h > height and y > 0:
            page, y, line = page + 1, 0, 1
        offsets: dict[int, int] = {}
        for p, _h, count in heights:
            key = id(p.cell)
            p.page, p.page_line = page, line + offsets.get(key, 0)
            offsets[key] = offsets.get(key, 0) + count
        y += row_h
        line += row_lines
        page, y, line = _overflow(page, y, line, height)
        i = j


def _overflow(page: int, y: int, line: int, height: int) -> tuple[int, int, int]:
    """A paragraph or row taller than what was left of the page runs on to the next ones."""
    if y <= height:
        return page, y, line
    pages = y // height
    return page + pages, y - pages * height, 1
