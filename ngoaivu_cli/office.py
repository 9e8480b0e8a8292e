"""Another office than the shipped one: ``ngoaivu init``'s configuration for it, and the
warnings when the shipped office's names are still there.

The shipped configuration is Sở Ngoại vụ Hà Tĩnh's. An office that overrides only ``agency``
would otherwise have Hà Tĩnh's officers sign its reports to Hà Tĩnh's recipients, without a
word. Two checks here, both run by ``ngoaivu validate``:

* ``W-DEFAULT-NAME``: the agency differs from the shipped one while a signer, a recipient, a
  receiver (or any other text) still holds a shipped name — one warning at each key;
* ``W-PLACEHOLDER-NAME``: a signer whose name is a placeholder ("Phó Giám đốc Sở") signs a
  report type, so the placeholder would be printed under the signature.

:func:`office_config_text` writes the shipped configuration with another office's names (what
``ngoaivu init --parent ... --place ...`` puts in ``ngoaivu.yaml``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ngoaivu_cli.config import DEFAULT_SHOWN, Config, default_config_text
from ngoaivu_cli.config.model import PLACEHOLDER_NAMES as PLACEHOLDER_NAMES  # re-exported
from ngoaivu_cli.config.model import is_placeholder
from ngoaivu_cli.errors import WARNING, Problem, SourceLoc
from ngoaivu_cli.yamlread import YMap, YNode, YScalar, YSeq, parse_documents

DOCS = "docs/configuration.md"
INIT_PLACEHOLDER = "Họ và tên người ký"
# the keys of the shipped configuration that hold the office's own names (agency aside)
_NAMED_KEYS = ("agency", "signers", "report_types", "units", "metrics", "categories")


@dataclass(frozen=True)
class SignerSetting:
    """A signer's title and name as given to ``init`` (empty: keep the shipped one)."""

    title: str = ""
    name: str = ""


@dataclass(frozen=True)
class Office:
    """What ``ngoaivu init`` asks about an office; empty strings keep the shipped value."""

    parent: str = ""
    name: str = ""
    short_name: str = ""
    symbol: str = ""
    place: str = ""
    signers: dict[str, SignerSetting] = field(default_factory=dict)
    # no office was named (``init`` in a script, no option): keep the shipped office, but
    # never its officers' names: every signer gets the placeholder (W-PLACEHOLDER-NAME)
    blank_signers: bool = False

    def is_empty(self) -> bool:
        return not (self.parent or self.name or self.short_name or self.symbol or self.place
                    or self.blank_signers
                    or any(s.title or s.name for s in self.signers.values()))


# the words that begin the name of a body, then the word that names which one is capitalised:
# "SỞ NGOẠI VỤ" → "Sở Ngoại vụ", "VĂN PHÒNG ĐOÀN ĐBQH" → "Văn phòng Đoàn ĐBQH"
_BODY_WORDS = (("văn", "phòng"), ("trung", "tâm"), ("ủy", "ban"), ("uỷ", "ban"), ("sở",),
               ("ban",), ("cục",), ("chi", "cục"), ("vụ",), ("bộ",), ("viện",), ("phòng",))
_ACRONYMS = frozenset(("UBND", "HĐND", "ĐBQH", "TW", "MTTQ", "CHDCND"))


def short_name_of(name: str) -> str:
    """How running text names an agency written in capitals (``agency.name``): the body's
    word, the word after it and a field after "và" capitalised, the rest in lower case,
    acronyms kept — ``SỞ NGOẠI VỤ`` → ``Sở Ngoại vụ`` (not ``Sở ngoại vụ``), ``SỞ KẾ HOẠCH VÀ
    ĐẦU TƯ`` → ``Sở Kế hoạch và Đầu tư``."""
    words = name.split()
    lower = [w.lower() for w in words]
    body = next((len(b) for b in _BODY_WORDS if tuple(lower[:len(b)]) == b), 0)
    out = []
    for i, (word, low) in enumerate(zip(words, lower, strict=True)):
        if word in _ACRONYMS:
            out.append(word)
        elif i == 0 or i == body or (i > body and lower[i - 1] == "và"):
            out.append(low[:1].upper() + low[1:])
        else:
            out.append(low)
    return " ".join(out)


def place_from_parent(parent: str) -> str:
    """``UBND TỈNH QUẢNG TRỊ`` → ``Quảng Trị``: the place a parent authority names, if any."""
    m = re.match(r"\s*(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?:TỈNH|THÀNH PHỐ|TP\.?)\s+(.+)",
                 parent, re.IGNORECASE)
    if not m:
        return ""
    return " ".join(w[:1].upper() + w[1:].lower() for w in m.group(1).split())


@lru_cache(maxsize=1)
def _shipped_doc() -> YMap:
    docs, _problems = parse_documents(default_config_text(), DEFAULT_SHOWN)
    doc = docs[0]
    assert isinstance(doc, YMap)
    return doc


def _text_of(node: YNode | None) -> str:
    return node.value.strip() if isinstance(node, YScalar) else ""


@lru_cache(maxsize=1)
def shipped_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(places, people) of the shipped office: words that name Hà Tĩnh, and its signers."""
    doc = _shipped_doc()
    agency = doc.get("agency")
    assert isinstance(agency, YMap)
    place = _text_of(agency.get("place"))
    places = tuple(dict.fromkeys((place, place.upper())))
    people: list[str] = []
    signers = doc.get("signers")
    assert isinstance(signers, YMap)
    for _key, (_k, node) in signers.pairs.items():
        if isinstance(node, YMap):
            name = _text_of(node.get("name"))
            if name and name not in PLACEHOLDER_NAMES:
                people.append(name)
    return places, tuple(people)


def shipped_signers() -> dict[str, tuple[str, str]]:
    """key → (title, name) of the shipped configuration's signers, in its order."""
    signers = _shipped_doc().get("signers")
    assert isinstance(signers, YMap)
    return {key: (_text_of(node.get("title")), _text_of(node.get("name")))
            for key, (_k, node) in signers.pairs.items() if isinstance(node, YMap)}


def _shipped_agency() -> tuple[str, str]:
    agency = _shipped_doc().get("agency")
    assert isinstance(agency, YMap)
    return _text_of(agency.get("parent")), _text_of(agency.get("place"))


# --------------------------------------------------------------------------- init


def office_config_text(office: Office) -> str:
    """The shipped configuration with ``office``'s names written in: its agency, its signers'
    titles and names, its place wherever the shipped text names Hà Tĩnh, its symbol in the
    report types' symbols. Comments and layout stay as shipped; every value is written as one
    YAML scalar in the place of the shipped one (quoted when needed), so no text typed for an
    office can add a key or break the file."""
    text = default_config_text()
    if office.is_empty():
        return text
    doc = _shipped_doc()
    agency = doc.get("agency")
    signers = doc.get("signers")
    assert isinstance(agency, YMap) and isinstance(signers, YMap)
    one = _one_line
    parent, name = one(office.parent), one(office.name)
    place = one(office.place) or place_from_parent(parent)
    given = {"parent": parent, "name": name,
             "short_name": one(office.short_name) or (short_name_of(name) if name else ""),
             "symbol": one(office.symbol), "place": place}
    edits: dict[tuple[int, int], str] = {}  # (line, column) of a shipped scalar → new value
    for key, value in given.items():
        node = agency.get(key)
        if value and isinstance(node, YScalar):
            edits[(node.line, node.col)] = value
    director = one(office.signers.get("giam_doc", SignerSetting()).title)
    for key, (_k, node) in signers.pairs.items():
        assert isinstance(node, YMap)
        setting = office.signers.get(key, SignerSetting())
        # a new office that names no signer gets a placeholder (flagged), never Hà Tĩnh's
        values = {"name": one(setting.name) or (INIT_PLACEHOLDER if parent or place
                                                or office.blank_signers else ""),
                  "title": one(setting.title)}
        auth = _text_of(node.get("authority"))
        if director and auth[:3] in ("KT.", "TL."):
            values["authority"] = f"{auth[:3]} {director}"
        for field_name, value in values.items():
            sub = node.get(field_name)
            if value and isinstance(sub, YScalar):
                edits[(sub.line, sub.col)] = value
    old_symbol, new_symbol = _text_of(agency.get("symbol")), given["symbol"]
    places = shipped_names()[0]
    for _path, scalar in _walk(doc, ""):
        spot = (scalar.line, scalar.col)
        if spot in edits or "\n" in scalar.value:
            continue
        value = scalar.value
        if new_symbol and value.endswith("-" + old_symbol) and _path.endswith(".symbol"):
            value = value[: -len(old_symbol)] + new_symbol
        if place:
            for old in places:
                value = value.replace(old, place.upper() if old.isupper() else place)
        if value != scalar.value:
            edits[spot] = value
    lines = text.split("\n")
    nodes = {(n.line, n.col): n for _p, n in _walk(doc, "")}
    for (number, col), value in sorted(edits.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        lines[number - 1] = _replace_value(lines[number - 1], col, nodes[(number, col)].value,
                                           value)
    if place:  # comments that name the shipped province
        for i, line in enumerate(lines):
            if line.lstrip().startswith("#"):
                for old in places:
                    lines[i] = lines[i].replace(old, place.upper() if old.isupper() else place)
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _replace_value(line: str, col: int, old: str, value: str) -> str:
    """The scalar written at ``col`` (``old`` when plain) replaced by ``value``; a comment
    after it keeps its column."""
    head, rest = line[:col - 1], line[col - 1:]
    if rest.startswith(('"', "'")):
        end = rest.index(rest[0], 1) + 1
    else:
        assert rest.startswith(old), (line, old)
        end = len(old)
    tail = rest[end:]
    plain = _PLAIN.fullmatch(value) and value.lower() not in _WORDS
    new = value if plain else json.dumps(value, ensure_ascii=False)
    if tail.strip().startswith("#"):
        hash_at = end + len(tail) - len(tail.lstrip())
        return head + new.ljust(hash_at - 1) + " " + tail.lstrip()
    return head + new + tail


# a value YAML reads back as this very text when written without quotes, in a block or a flow
_WORDS = frozenset(("null", "true", "false", "yes", "no", "on", "off", "y", "n"))
_PLAIN = re.compile(r"[^\W\d_][\w.()/]*(?: [\w.()/-]+)*", re.UNICODE)


# --------------------------------------------------------------------------- checks


def _walk(node: YNode, path: str) -> Iterator[tuple[str, YScalar]]:
    """Every scalar under ``node`` with its key path (``report_types.x.receivers[1]``)."""
    if isinstance(node, YScalar):
        yield path, node
    elif isinstance(node, YSeq):
        for i, item in enumerate(node.items):
            yield from _walk(item, f"{path}[{i}]")
    elif isinstance(node, YMap):
        for key, (_k, value) in node.pairs.items():
            yield from _walk(value, f"{path}.{key}" if path else key)


def office_problems(config: Config, merged: YMap | None) -> list[Problem]:
    """``W-DEFAULT-NAME`` and ``W-PLACEHOLDER-NAME`` over the merged configuration document
    (``merged``: None for the shipped configuration alone)."""
    out = _placeholder_problems(config, merged)
    if merged is None or config.source is None:
        return out
    parent, place = _shipped_agency()
    # another province (or another parent authority): the same province's other bodies keep
    # its recipients and place legitimately (examples/ke-hoach-nam: UBND tỉnh Hà Tĩnh)
    if config.agency.place == place and config.agency.parent in ("", parent):
        return out
    shown = config.paths[0] if config.paths else str(config.source)
    agency_pair = merged.pairs.get("agency")
    anchor = (SourceLoc(shown, agency_pair[0].line, agency_pair[0].col)
              if agency_pair is not None and agency_pair[1].src != DEFAULT_SHOWN
              else SourceLoc(shown))
    places, people = shipped_names()
    for top in _NAMED_KEYS:
        node = merged.get(top)
        if node is None:
            continue
        inherited_lists: set[str] = set()
        for path, scalar in _walk(node, top):
            value = scalar.value
            named = [n for n in (*places, *people) if n in value]
            from_shipped = scalar.src == DEFAULT_SHOWN
            key = re.sub(r"\[\d+\]$", "", path)
            if from_shipped and _is_address(key) and not named:
                if key in inherited_lists:
                    continue
                inherited_lists.add(key)
                out.append(Problem(anchor, "W-DEFAULT-NAME",
                                   f"`{key}` vẫn là danh sách của Sở Ngoại vụ Hà Tĩnh (cấu hình "
                                   "có sẵn) trong khi cơ quan đã đổi", key,
                                   f"ghi `{key}` của cơ quan mình trong ngoaivu.yaml (xem "
                                   f"{DOCS}, hoặc tạo lại cấu hình bằng `ngoaivu init --parent "
                                   "... --place ...`)", WARNING))
                continue
            if not named:
                continue
            loc = anchor if from_shipped else SourceLoc(shown, scalar.line, scalar.col)
            where = "cấu hình có sẵn" if from_shipped else "ngoaivu.yaml"
            out.append(Problem(loc, "W-DEFAULT-NAME",
                               f"`{path}` vẫn ghi \"{named[0]}\" của Sở Ngoại vụ Hà Tĩnh ({where}) "
                               f"trong khi cơ quan là {config.agency.parent or config.agency.name}",
                               path, f"ghi `{path}` của cơ quan mình trong ngoaivu.yaml (xem "
                               f"{DOCS})", WARNING))
    return out


def report_office_problems(config: Config, signer: str, type_key: str) -> list[Problem]:
    """The ``W-DEFAULT-NAME`` warnings of what one report prints: the agency, the signer
    ``signer`` and the report type ``type_key`` (its title, recipients, receivers...) still
    naming the shipped office while the agency is another's; ``report`` and ``batch`` list
    them, and ``--strict`` refuses such a report. Nothing for the shipped office itself."""
    if config.source is None:
        return []
    parent, place = _shipped_agency()
    if config.agency.place == place and config.agency.parent in ("", parent):
        return []  # checked before the merged document is read: the usual case costs nothing
    from ngoaivu_cli.config import config_document

    printed = ("agency", f"signers.{signer}", f"report_types.{type_key}")
    return [p for p in office_problems(config, config_document(config))
            if p.code == "W-DEFAULT-NAME"
            and any(p.field == key or p.field.startswith((key + ".", key + "[")) for key in printed)]


def _is_address(key: str) -> bool:
    """Recipients and receivers of a report type: lists that name the office's partners."""
    return key.startswith("report_types.") and key.endswith((".recipients", ".receivers"))


def _placeholder_problems(config: Config, merged: YMap | None) -> list[Problem]:
    return placeholder_problems(config, merged)


def placeholder_problems(config: Config, merged: YMap | None,
                         only: str | None = None) -> list[Problem]:
    """``W-PLACEHOLDER-NAME`` wherever a name that would be printed is a placeholder
    (:func:`~ngoaivu_cli.config.model.is_placeholder`): the signer of a report type, a
    recipient of its "Kính gửi", the agency's name; ``only``: for that report type alone (what
    ``report`` checks before printing it)."""
    out = []
    users: dict[str, list[str]] = {}
    types = [rt for rt in config.report_types.values() if only is None or rt.key == only]
    for rt in types:
        users.setdefault(rt.signer, []).append(rt.key)
    shown = config.paths[0] if config.paths else DEFAULT_SHOWN

    def where(node: YNode | None) -> SourceLoc:
        if node is not None and node.src != DEFAULT_SHOWN:
            return SourceLoc(shown, node.line, node.col)
        if config.source is None and node is not None:
            return SourceLoc(DEFAULT_SHOWN, node.line, node.col)
        return SourceLoc(shown)

    for key in ("name", "short_name"):
        value = getattr(config.agency, key)
        if types and (key == "name" or value) and is_placeholder(value):
            out.append(Problem(where(_node_at(merged, "agency", key)), "W-PLACEHOLDER-NAME",
                               f"tên cơ quan `agency.{key}` chưa được ghi (\"{value}\" chỉ là "
                               "chữ giữ chỗ) mà sẽ được in trên văn bản", f"agency.{key}",
                               f"ghi tên thật của cơ quan ở `agency: {key}: ...` trong "
                               f"ngoaivu.yaml (xem {DOCS})", WARNING))
    for key, signer in config.signers.items():
        if key not in users or not is_placeholder(signer.name):
            continue
        names = ", ".join(users[key])
        out.append(Problem(where(_signer_name_node(merged, key)), "W-PLACEHOLDER-NAME",
                           f"người ký `{key}` chưa có họ tên (\"{signer.name}\" chỉ là chữ giữ "
                           f"chỗ) mà sẽ được in dưới chữ ký của: {names}",
                           f"signers.{key}.name",
                           f"ghi họ tên thật: `signers: {key}: name: ...` trong ngoaivu.yaml "
                           f"(xem {DOCS})", WARNING))
    for rt in types:
        for i, name in enumerate(rt.recipients):
            if not is_placeholder(name):
                continue
            node = _node_at(merged, "report_types", rt.key, "recipients")
            item = node.items[i] if isinstance(node, YSeq) and i < len(node.items) else node
            out.append(Problem(where(item), "W-PLACEHOLDER-NAME",
                               f"nơi nhận “Kính gửi” thứ {i + 1} của `{rt.key}` chưa được ghi "
                               f"(\"{name}\" chỉ là chữ giữ chỗ) mà sẽ được in trên văn bản",
                               f"report_types.{rt.key}.recipients",
                               f"ghi tên cơ quan nhận thật, hoặc bỏ dòng đó (xem {DOCS})",
                               WARNING))
    return out


def _node_at(merged: YMap | None, *keys: str) -> YNode | None:
    node: YNode | None = merged if merged is not None else _shipped_doc()
    for key in keys:
        node = node.get(key) if isinstance(node, YMap) else None
    return node


def _signer_name_node(merged: YMap | None, key: str) -> YNode | None:
    doc = merged if merged is not None else _shipped_doc()
    signers = doc.get("signers")
    signer = signers.get(key) if isinstance(signers, YMap) else None
    return signer.get("name") if isinstance(signer, YMap) else None


def placeholder_signer_note(config: Config, signer_key: str) -> str | None:
    """What ``report`` says when the signer it prints has no real name yet."""
    signer = config.signers.get(signer_key)
    if signer is None or not is_placeholder(signer.name):
        return None
    return (f"người ký `{signer_key}` chưa có họ tên: văn bản in \"{signer.name}\" dưới chữ ký; "
            f"ghi họ tên thật ở `signers.{signer_key}.name` trong ngoaivu.yaml")
