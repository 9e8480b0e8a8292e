"""Invisible tokens that stand for footnote references inside document text.

A footnote reference travels from the context to the writers as ``U+2063 FN<n> U+2063``
(U+2063 INVISIBLE SEPARATOR around it), never as ``[^n]``: a summary may say ``[^2]`` and mean
those four characters, and it must not take the second footnote. U+2063 is removed from every
text that comes from a user (entries, documents/, configuration) before any token is put in,
so no written text can forge one. The writers turn the tokens into a real Word footnote
reference (DOCX), ``[^n]`` (Markdown, whose own ``[^2]`` is escaped), or ``[^n]`` again in
``--format json`` where the footnotes travel beside the text.
"""

from __future__ import annotations

import re
from typing import Any

from ngoaivu_cli.formatting import XML_ILLEGAL as _XML_BAD

SEP = "\u2063"
_REF = SEP + "FN{}" + SEP
REF_RE = re.compile(SEP + r"FN(\d+)" + SEP)


def ref(n: int) -> str:
    """The token of footnote ``n``'s reference."""
    return _REF.format(n)


def token(name: str) -> str:
    """A placeholder for a reference not yet numbered (an entry's anchor, a free anchor)."""
    return f"{SEP}@{name}{SEP}"


def clean(text: str) -> str:
    """A user's text as it may go into a document: no XML-illegal character, no U+2063."""
    text = _XML_BAD.sub("", text)
    return text.replace(SEP, "") if SEP in text else text


def keep_tokens(text: str, tokens: list[str]) -> str:
    """``text`` with only the given tokens left: any other U+2063 is removed."""
    if SEP not in text:
        return text
    if not tokens:
        return text.replace(SEP, "")
    pieces = re.split("(" + "|".join(map(re.escape, tokens)) + ")", text)
    return "".join(p if i % 2 else p.replace(SEP, "") for i, p in enumerate(pieces))


def as_brackets(text: str) -> str:
    """References written ``[^n]`` (JSON output)."""
    return REF_RE.sub(r"[^\1]", text) if SEP in text else text


def scrub(value: Any, *, keep_refs: bool = False) -> Any:
    """Every string in ``value`` (dicts, lists) cleaned with :func:`clean`; body texts (with
    ``keep_refs``) keep their reference tokens."""
    if isinstance(value, str):
        if keep_refs and SEP in value:
            return _XML_BAD.sub("", keep_tokens(value, [m.group(0)
                                                        for m in REF_RE.finditer(value)]))
        return clean(value)
    if isinstance(value, dict):
        return {k: scrub(v, keep_refs=keep_refs) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, keep_refs=keep_refs) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub(v, keep_refs=keep_refs) for v in value)
    return value


def scrub_context(context: dict[str, Any]) -> dict[str, Any]:
    """A report context scrubbed: the body's texts keep their reference tokens."""
    return {k: scrub(v, keep_refs=(k == "body")) for k, v in context.items()}
