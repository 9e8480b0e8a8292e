"""Configuration strings filled before report time: ``validate`` renders every template string
of the user's configuration against sample reports of every period kind, so a string that
names only known variables but would still fail (``{{ period.label | vn_date }}``: the label is
words, ``vn_date`` wants a date) is an ``E-TEMPLATE`` at its line now, in Vietnamese with the
variables that exist — not a Python message when a report is made.

Names and filters are checked when the configuration is read (:func:`textfill.check`); this
module catches what only filling shows. The samples are real: the same words, figures and
scopes a report builds (:class:`~ngoaivu_cli.scopes.Figures`), over one made-up activity per
category carrying every metric, in a sample period of each kind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ngoaivu_cli.config import DEFAULT_SHOWN, Config
from ngoaivu_cli.errors import Problem, SourceLoc
from ngoaivu_cli.log.entries import Entry
from ngoaivu_cli.periods import Period, parse_period
from ngoaivu_cli.periods.model import kind_name
from ngoaivu_cli.yamlread import YMap, YNode, YScalar, YSeq

DOCS = "docs/configuration.md"
# a period of each kind (PERIOD_KINDS), as a user writes it
SAMPLES = (
    ("day", "2023-08-24"), ("days", "2023-08-24:2023-08-31"), ("week", "tuần 35/2023"),
    ("month", "tháng 8/2023"), ("quarter", "quý III/2023"), ("half", "6 tháng đầu năm 2023"),
    ("first_n", "9 tháng đầu năm 2023"), ("last_n", "3 tháng cuối năm 2023"),
    ("year", "năm 2023"),
)
SAMPLE_TODAY = dt.date(2024, 1, 15)
# the keys whose strings a report fills (``name`` only for signers, the others anywhere)
_TEMPLATE_KEYS = frozenset(("title", "subtitle", "opening", "closing", "recipients", "receivers",
                            "abstract", "heading", "text", "document", "lead", "empty",
                            "authority", "note"))
_TOPS = ("report_types", "categories", "signers")
_EXPR = re.compile(r"\{\{(.*?)\}\}", re.S)


def template_strings(merged: YMap) -> Iterator[tuple[str, YScalar]]:
    """(key path, node) of every template string the user wrote (the shipped ones are
    checked by the test suite)."""
    for top in _TOPS:
        node = merged.get(top)
        if node is not None:
            yield from _strings(node, top)


def _strings(node: YNode, path: str, leaf: str = "") -> Iterator[tuple[str, YScalar]]:
    if isinstance(node, YScalar):
        if "{" in node.value and node.src != DEFAULT_SHOWN and (
                leaf in _TEMPLATE_KEYS or (leaf == "name" and path.startswith("signers."))):
            yield path, node
    elif isinstance(node, YSeq):
        for i, item in enumerate(node.items):
            yield from _strings(item, f"{path}[{i}]", leaf)
    elif isinstance(node, YMap):
        for key, (_k, value) in node.pairs.items():
            yield from _strings(value, f"{path}.{key}", key)


def sample_periods(config: Config) -> list[Period]:
    out = [parse_period(expr, today=SAMPLE_TODAY, cutoff_day=config.cutoff_day,
                        terms=config.terms) for _kind, expr in SAMPLES]
    if config.terms:
        term = config.terms[0]
        out.append(parse_period(f"nhiệm kỳ {term.name}", today=term.end, terms=config.terms))
    return out


def sample_entries(config: Config, period: Period) -> list[Entry]:
    """One done activity per category on the period's first day, and one planned for the
    next period, each with every metric (so ``{% if raw.x %}`` branches are filled too)."""
    metrics = tuple((k, 2 if m.integer else 1.5) for k, m in config.metrics.items()
                    if not m.sum_of)
    tags = tuple(sorted({t for rt in config.report_types.values() for s in rt.sections
                         for t in s.tags}))
    unit = next(iter(config.units), None)
    out = []
    nxt = period.next()
    for i, key in enumerate(config.categories):
        for status, day in (("done", period.start), ("planned", nxt.start)):
            out.append(Entry(SourceLoc("<mẫu>", i + 1), day, key, "Hoạt động mẫu", status,
                             unit=unit, tags=tags, partners=("Lào",), metrics=metrics))
    return out


def template_problems(config: Config, merged: YMap | None) -> list[Problem]:
    """``E-TEMPLATE`` for each user string that cannot be filled in some sample report."""
    if merged is None:
        return []
    from ngoaivu_cli.textfill import printed_names_only

    # a string that only prints names the configuration check accepted cannot fail: only
    # filters, {% ... %} blocks and other expressions ({{ 'a' * 10**9 }}, {{ x.__class__ }},
    # which the sandbox refuses) need filling (and Jinja)
    strings = [(p, n) for p, n in template_strings(merged)
               if "|" in n.value or "{%" in n.value or not printed_names_only(n.value)]
    if not strings:
        return []
    from ngoaivu_cli.render.context import period_words
    from ngoaivu_cli.scopes import Figures, Scopes, compare_words

    shown = config.paths[0] if config.paths else str(config.source)
    problems: list[Problem] = []
    failed: set[str] = set()
    agency = {"parent": config.agency.parent, "name": config.agency.name,
              "short_name": config.agency.short_name, "symbol": config.agency.symbol,
              "place": config.agency.place}
    for period in sample_periods(config):
        entries = sample_entries(config, period)
        rt = next(iter(config.report_types.values()), None)
        words = {"period": period_words(period), "next": period_words(period.next()),
                 "agency": agency, "report": {"key": rt.key if rt else "", "name":
                                              rt.name if rt else ""},
                 "compare": compare_words("last_year", period, config.terms)}
        view = Figures(words, Scopes(period, config, entries)).view(
            [e for e in entries if e.status == "done"])
        for path, node in strings:
            if path in failed:
                continue
            text = " ".join(node.value.split())
            problem = _try(text, view, period)
            if problem:
                failed.add(path)
                message, hint = problem
                problems.append(Problem(SourceLoc(shown, node.line, node.col), "E-TEMPLATE",
                                        message, path, hint))
    return problems


def locate_fill(config: Config, exc: Any, period: Period) -> None:
    """A configuration string that failed while a report was built
    (:class:`~ngoaivu_cli.textfill.FillError`): its line in ``ngoaivu.yaml`` as an
    ``E-TEMPLATE`` problem on ``exc.problems``, as ``validate`` says it, when the string is
    found there (a string of the shipped configuration is not looked for)."""
    from ngoaivu_cli.config import config_document

    want = " ".join(getattr(exc, "text", "").split())
    merged = config_document(config) if want else None
    if merged is None:
        return
    shown = config.paths[0] if config.paths else str(config.source)
    for path, node in template_strings(merged):
        if " ".join(node.value.split()) == want:
            where = f"khi lập báo cáo kỳ {period.label} (kỳ {kind_name(period.kind)})"
            exc.problems = [Problem(SourceLoc(node.src or shown, node.line, node.col),
                                    "E-TEMPLATE", f"mẫu câu không điền được {where}", path,
                                    exc.hint)]
            exc.hint = None  # said once, under the line
            return


def _try(text: str, view: dict[str, Any], period: Period) -> tuple[str, str] | None:
    from ngoaivu_cli.textfill import FillError, fill

    try:
        fill(text, view)
    except FillError as exc:
        return explain(text, view, period, exc.__cause__)
    return None


def explain(text: str, view: dict[str, Any], period: Period,
            cause: BaseException | None) -> tuple[str, str]:
    """(message, hint) in Vietnamese: which ``{{ ... }}`` fails on which value, and what the
    variables it names hold."""
    from ngoaivu_cli.textfill import FillError, fill

    where = f"khi lập báo cáo kỳ {period.label} (kỳ {kind_name(period.kind)})"
    for m in _EXPR.finditer(text):
        expr = m.group(1).strip()
        try:
            fill("{{ " + expr + " }}", view)
            continue
        except FillError as exc:
            why = exc.why
        base, *filters = [p.strip() for p in expr.split("|")]
        value, known = _lookup(base, view)
        hint = _names_hint(base, view)
        if known and filters:
            for i, name in enumerate(filters):
                try:
                    fill("{{ " + " | ".join([base, *filters[:i + 1]]) + " }}", view)
                except FillError:
                    what = ("" if i == 0 else
                            f" (sau bộ lọc {', '.join(f'`{f}`' for f in filters[:i])})")
                    return (f"mẫu câu không điền được {where}: `{base}` là {_kind(value)} "
                            f"«{_short(value)}»{what}, bộ lọc `{name.split('(')[0].strip()}` "
                            "không nhận giá trị này", hint)
        return (f"mẫu câu không điền được {where}: `{{{{ {expr} }}}}` không tính được"
                + (f" ({why})" if why else ""), hint)
    from ngoaivu_cli.sandbox import LimitError

    reason = {"UndefinedError": "dùng một biến hoặc khóa không có",
              "ZeroDivisionError": "chia cho 0", "TypeError": "tính toán với giá trị sai kiểu",
              "RecursionError": "biểu thức lồng nhau quá sâu"}
    why = (str(cause) if isinstance(cause, LimitError) else
           reason.get(type(cause).__name__, "lỗi khi chạy khối {% ... %}"))
    return (f"mẫu câu không điền được {where}: {why}",
            f"kiểm tra các khối {{% ... %}} của mẫu câu (xem {DOCS})")


def _lookup(path: str, view: dict[str, Any]) -> tuple[Any, bool]:
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", path):
        return None, False
    value: Any = view
    for part in path.split("."):
        try:
            value = value[part]
        except (KeyError, TypeError):
            return None, False
    return value, True


def _kind(value: Any) -> str:
    from ngoaivu_cli.figures import Figure

    if isinstance(value, Figure):
        return "số liệu (đã viết thành chữ)"
    if isinstance(value, bool):
        return "giá trị đúng/sai"
    if isinstance(value, int | float):
        return "số"
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "ngày dạng YYYY-MM-DD"
        return "chuỗi"
    return "bảng giá trị"


def _short(value: Any, n: int = 40) -> str:
    text = str(value)
    return text if len(text) <= n else text[: n - 1] + "…"


def _names_hint(base: str, view: dict[str, Any]) -> str:
    root = base.split(".")[0]
    table = view.get(root)
    if isinstance(table, dict):
        shown = [f"{root}.{k} «{_short(v, 24)}»" for k, v in list(table.items())[:10]
                 if isinstance(v, str | int | float)]
        return ("có: " + ", ".join(shown) + f"; bộ lọc và ví dụ: xem {DOCS}")
    return f"các biến: {', '.join(sorted(view))}; xem {DOCS}"
