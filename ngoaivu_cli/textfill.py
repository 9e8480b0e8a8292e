"""Filling the short Jinja strings of the configuration (titles, headings, opening sentences).

They run in Jinja's sandbox with ``StrictUndefined``: a misspelt variable is an error, and text
coming from entries is only ever a *value* here, never compiled as a template.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from ngoaivu_cli.formatting import FILTERS

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                        keep_trailing_newline=False)
    env.filters.update(FILTERS)
    env.filters["capfirst"] = capfirst
    return env


def capfirst(text: str) -> str:
    """Upper-case the first letter only: ``từ ngày 24/8`` → ``Từ ngày 24/8``."""
    return text[:1].upper() + text[1:] if text else text


@lru_cache(maxsize=512)
def compile_text(text: str) -> Any:
    """Compile a configuration string; raises jinja2.TemplateSyntaxError."""
    return _env().from_string(text)


def fill(text: str, context: dict[str, Any]) -> str:
    """Render a configuration string with ``context``; plain strings are returned as they are."""
    if "{" not in text:
        return text
    return " ".join(compile_text(text).render(context).split())
