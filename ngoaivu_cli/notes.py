"""Warnings of the report being built: gathered (one per code, place and subject) while its
context is computed, wherever the computing happens, and listed by ``report`` (on standard error,
and under ``warnings`` in ``--format json``); ``report --strict`` makes them errors. Outside
:func:`collecting`, :func:`note` does nothing. (:mod:`ngoaivu_cli.render.dropped` says which
warnings there are.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import field

from ngoaivu_cli.errors import WARNING, Problem, SourceLoc
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.records import record

MAX_FILES = 5  # files named in one message; the problem's own location is the first


@record
class Notes:
    """Warnings gathered while one report is built (one per code, place and subject)."""

    problems: list[Problem] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)
    # the period's entries of the report (set while its context is built): a warning about
    # what one sentence counted can name the others
    pool: list[Entry] = field(default_factory=list)

    def add(self, code: str, entries: list[Entry], message: str, field_name: str,
            hint: str, at: str | None = None) -> None:
        first = min(entries, key=lambda e: (e.loc.path, e.loc.line))
        loc = first.field_loc(at) if at else first.loc
        key = (code, str(first.loc), message)
        if key in self._seen:
            return
        self._seen.add(key)
        files = sorted({e.loc.path for e in entries})
        if len(files) > 1:
            shown = ", ".join(files[:MAX_FILES]) + (f" và {len(files) - MAX_FILES} tệp khác"
                                                     if len(files) > MAX_FILES else "")
            message += f" (các tệp: {shown})"
        self.problems.append(Problem(SourceLoc(loc.path, loc.line, loc.col),
                                     code, message, field_name, hint, WARNING))


_ACTIVE: ContextVar[Notes | None] = ContextVar("ngoaivu_dropped_notes", default=None)


@contextmanager
def collecting() -> Iterator[Notes]:
    """Gather the warnings of the report built inside this block."""
    notes = Notes()
    token = _ACTIVE.set(notes)
    try:
        yield notes
    finally:
        _ACTIVE.reset(token)


@contextmanager
def muted() -> Iterator[None]:
    """No warning is gathered inside this block (a sentence tried, not printed)."""
    token = _ACTIVE.set(None)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def note(code: str, entries: list[Entry], message: str, field_name: str, hint: str) -> None:
    """A warning of the report being built, at ``field_name`` of the first entry (nothing
    outside :func:`collecting`)."""
    notes = _ACTIVE.get()
    if notes is not None:
        notes.add(code, entries, message, field_name, hint, at=field_name)


def active() -> Notes | None:
    """The notes of the report being built, or None outside :func:`collecting`."""
    return _ACTIVE.get()
