"""Joining clauses and sentences into one paragraph, with the punctuation a writer would use.

A category printed as one paragraph (``style: paragraph``) or one merged bullet (``merged``)
joins its entries' summaries and its statistics sentences. Each piece keeps the punctuation
its writer gave it, and only a piece without any gets one, from what follows:

- a piece followed by one that opens in lower case is a clause of a list: "; " ("tiếp nhận 05
  hồ sơ của Việt kiều; phối hợp tổ chức …");
- a piece followed by one that opens in upper case ends a sentence: ". ";
- a piece that ends with "." ("!", "?", "…" too) is followed by a capital ("… Việt kiều.
  Phối hợp …"); one that ends with ";" or "," is followed as written ("… Việt kiều; phối hợp
  …", never "Việt kiều;. phối hợp");
- the last piece ends the paragraph with a full stop (a final ";" or "," becomes ".").
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

_SENTENCE_END = (".", "!", "?", "…", "./.")
_CLAUSE_END = (";", ",", ":")


def _opens_lower(text: str) -> bool:
    first = next((c for c in text if c.isalpha()), "")
    return first.islower()


def _capital(text: str) -> str:
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1:]
    return text


def join_clauses(pieces: list[str]) -> str:
    """The pieces as one run of text (see the module docstring)."""
    parts = [" ".join(p.split()) for p in pieces]
    parts = [p for p in parts if p]
    out: list[str] = []
    for i, text in enumerate(parts):
        if i + 1 == len(parts):
            out.append(_final(text))
            break
        after = parts[i + 1]
        if text.endswith(_SENTENCE_END):
            parts[i + 1] = _capital(after)
        elif not text.endswith(_CLAUSE_END):
            if _opens_lower(after):
                text += ";"
            else:
                text += "."
        out.append(text)
    return " ".join(out)


def _final(text: str) -> str:
    if text.endswith(_SENTENCE_END) or text.endswith(":"):
        return text
    return text.rstrip(";,").rstrip() + "."


# --------------------------------------------------------------------------- one bullet, several
# entries: `group:` of an entry, `join:` of a section

DEFAULT_JOIN = "; "
_ITEM_END = ".;:,"


def clusters(entries: list[T]) -> list[list[T]]:
    """The entries in their order, those sharing a ``group`` gathered at the place of the first
    of them (five reports dated apart, printed as one bullet where the first one falls)."""
    out: list[list[T]] = []
    at: dict[str, list[T]] = {}
    for e in entries:
        key = getattr(e, "group", None)
        if key is None:
            out.append([e])
        elif key in at:
            at[key].append(e)
        else:
            at[key] = [e]
            out.append(at[key])
    return out


def join_group(texts: list[str], join: str = DEFAULT_JOIN) -> str:
    """The summaries of one group as one bullet: each but the last without its final
    punctuation, joined by ``join`` ("; " — "Báo cáo A; báo cáo B; báo cáo C."); the last keeps
    its own. A ``join`` of spaces only joins whole sentences, kept as written."""
    texts = [" ".join(t.split()) for t in texts]
    if not join.strip():
        return join.join(texts)
    items = [t if t.endswith(("...", "…")) else t.rstrip(_ITEM_END).rstrip() for t in texts[:-1]]
    return join.join([*items, texts[-1]])
