"""The budget of one run for the templates it renders (no Jinja here: any layer may open one).

A run (one command, one request of a server) renders a report's template and many short
configuration strings. Each render has its own bounds (render/sandbox.py); a run has one
budget besides: so many seconds of template work and so many characters printed, for all its
renders together. Forty strings of 1.5 s each, or twenty strings printing 31 million
characters each, stop when the run's budget is spent, not when each string's is.

The budget lives in a :class:`~contextvars.ContextVar`: a thread (a server's request) has its
own, and a run opened inside another keeps the outer one. Without one, each render is bounded
on its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

RUN_TIME_LIMIT = 20.0  # seconds of template work one run may take, all its renders together
RUN_OUTPUT_LIMIT = 32_000_000  # characters all the renders of one run may print


class Budget:
    """What the renders of one run may still spend: seconds of work and characters printed."""

    __slots__ = ("seconds", "seconds_left", "output", "output_left")

    def __init__(self, seconds: float = RUN_TIME_LIMIT, output: int = RUN_OUTPUT_LIMIT) -> None:
        self.seconds, self.seconds_left = seconds, seconds
        self.output, self.output_left = output, output

    def spend(self, seconds: float, printed: int) -> None:
        """Charge one render's work to the run."""
        self.seconds_left -= max(0.0, seconds)
        self.output_left -= max(0, printed)


_RUN: ContextVar[Budget | None] = ContextVar("ngoaivu_run_budget", default=None)


def current() -> Budget | None:
    """The budget of the run in progress in this context (thread), or None."""
    return _RUN.get()


@contextlib.contextmanager
def run_budget(seconds: float = RUN_TIME_LIMIT,
               output: int = RUN_OUTPUT_LIMIT) -> Iterator[Budget]:
    """One run: every render inside shares ``seconds`` of work and ``output`` characters.
    Inside a run already open, the outer budget holds."""
    outer = _RUN.get()
    if outer is not None:
        yield outer
        return
    budget = Budget(seconds, output)
    token = _RUN.set(budget)
    try:
        yield budget
    finally:
        _RUN.reset(token)
