"""Filling the short Jinja strings of the configuration (titles, headings, opening sentences).

They run in Jinja's sandbox with ``StrictUndefined``: a misspelt variable is an error, and text
coming from entries is only ever a *value* here, never compiled as a template.

Almost every configuration string only prints variables (``Tuần {{ period.label }}``,
``{{ m.doan_ra }} đoàn``, ``{{ next.relative_next | upper }}``). Those are checked and filled
without compiling a template (compiling costs a millisecond or two per string, on every report);
their meaning is Jinja's own: the sandbox's attribute lookup, its filters, ``str()`` of the value.
Anything else (``{% if %}``, expressions, arguments) goes through Jinja.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any

from ngoaivu_cli.errors import NgoaivuError

# Jinja's own filters (a test keeps this in step with jinja2.filters.FILTERS), so that checking
# the configuration (every command) does not import Jinja (30 ms) for the usual strings
JINJA_FILTERS = frozenset((
    "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e",
    "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent",
    "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint",
    "random", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select",
    "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim",
    "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr"))

_PRINT = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*"
                    r"((?:\|\s*[A-Za-z_]\w*\s*)*)\}\}")
_OPENERS = ("{{", "{%", "{#")
_CONSTANTS = ("true", "false", "none")
# names Jinja itself gives a template, besides its globals (range, namespace, ...)
_JINJA_NAMES = frozenset(("loop", "caller", "varargs", "kwargs", "self"))

Part = str | tuple[tuple[str, ...], tuple[str, ...]]


_WHY = {"ZeroDivisionError": "chia cho 0", "RecursionError": "biểu thức lồng nhau quá sâu",
        "UndefinedError": "dùng một biến hoặc khóa không có",
        "TypeError": "tính toán với giá trị sai kiểu", "ValueError": "giá trị không hợp lệ",
        "OverflowError": "số quá lớn", "MemoryError": "mẫu câu dùng quá nhiều bộ nhớ",
        "SecurityError": "mẫu câu dùng một thao tác không được phép (vì an toàn)",
        "TemplateRuntimeError": "lỗi khi chạy khối {% ... %}",
        "TemplateSyntaxError": "lỗi cú pháp của mẫu câu"}  # the Python error, in Vietnamese


def _why(exc: BaseException) -> str:
    """Why a string could not be filled, in Vietnamese (the Python words after it)."""
    from ngoaivu_cli.sandbox import LimitError

    said = str(exc)[:300]
    if isinstance(exc, LimitError):  # already in Vietnamese: "mẫu chạy quá 2 giây"...
        return said
    why = _WHY.get(type(exc).__name__, "lỗi khi điền mẫu câu")
    return f"{why} ({type(exc).__name__}: {said})" if said else f"{why} ({type(exc).__name__})"


class FillError(NgoaivuError):
    """A configuration string could not be filled (an error in the configuration): ``text``
    is the string; ``problems`` its place in ``ngoaivu.yaml``, when it was found
    (:func:`ngoaivu_cli.render.template_check.locate_fill`)."""

    def __init__(self, message: str, *, hint: str | None = None, text: str = "",
                 why: str = "") -> None:
        super().__init__(message, hint=hint)
        self.text = text
        self.why = why  # why it could not be filled, in Vietnamese
        self.problems: list[Any] = []


@lru_cache(maxsize=1)
def _env() -> Any:
    from ngoaivu_cli.sandbox import config_env

    return config_env()


@lru_cache(maxsize=512)
def _simple_parts(text: str) -> tuple[Part, ...] | None:
    """``text`` as literal pieces and ``(path, filters)`` prints, or None when it uses more
    of Jinja than printing variables."""
    parts: list[Part] = []
    pos = 0
    for m in _PRINT.finditer(text):
        literal = text[pos:m.start()]
        if any(o in literal for o in _OPENERS) or literal.endswith("{"):
            return None  # `{{{ x }}` is Jinja's to judge (a syntax error there)
        path = tuple(p.strip() for p in m.group(1).split("."))
        if path[0].lower() in _CONSTANTS:
            return None  # true, false, none: Jinja's constants, not variables
        parts.append(literal)
        filters = tuple(f.strip() for f in m.group(2).split("|")[1:])
        parts.append((path, filters))
        pos = m.end()
    tail = text[pos:]
    if any(o in tail for o in _OPENERS):
        return None
    parts.append(tail)
    return tuple(parts)


def printed_names_only(text: str) -> bool:
    """Whether ``text`` is literal text and ``{{ a.b }}`` prints of names, nothing else."""
    return "{" not in text or _simple_parts(" ".join(text.split())) is not None


def check(text: str, names: Mapping[str, Collection[str] | None]) -> tuple[str, str] | None:
    """None when ``text`` is a correct configuration string that names only ``names`` (a
    variable and, where given, its keys); else ``(message, hint)`` in Vietnamese."""
    if "{" not in text:
        return None
    parts = _simple_parts(text)
    if parts is None:
        return _check_jinja(text, names)
    for part in parts:
        if isinstance(part, str):
            continue
        path, filters = part
        problem = _check_name(path[0], path[1] if len(path) > 1 else None, names)
        if problem:
            return problem
        for name in filters:
            if name not in _known_filters():
                return _unknown_filter(name)
    return None


@lru_cache(maxsize=1)
def _known_filters() -> frozenset[str]:
    from ngoaivu_cli.figures import FILTERS as FIGURE_FILTERS
    from ngoaivu_cli.formatting import FILTERS

    return JINJA_FILTERS | set(FILTERS) | set(FIGURE_FILTERS) | {"capfirst"}


def _check_name(root: str, key: str | None,
                names: Mapping[str, Collection[str] | None]) -> tuple[str, str] | None:
    if root not in names:
        return (f"biến `{root}` không có trong mẫu câu này",
                "dùng được: " + ", ".join(f"{{{{ {n}.… }}}}" for n in names))
    keys = names[root]
    if key is not None and keys is not None and key not in keys:
        from ngoaivu_cli.yamlread import suggest

        guess = suggest(key, list(keys))
        return (f"`{root}` không có `{key}`",
                f"có phải ý bạn là `{root}.{guess}`?" if guess
                else "có: " + ", ".join(f"{root}.{k}" for k in keys))
    return None


def _unknown_filter(name: str) -> tuple[str, str]:
    from ngoaivu_cli.yamlread import suggest

    known = sorted(_env().filters)
    guess = suggest(name, known)
    return (f"không có bộ lọc `{name}`",
            f"có phải ý bạn là `{guess}`?" if guess else "ví dụ: {{ period.label | upper }}")


def _check_jinja(text: str, names: Mapping[str, Collection[str] | None]) -> tuple[str, str] | None:
    from jinja2 import TemplateSyntaxError, nodes

    from ngoaivu_cli.sandbox import refused

    env = _env()
    try:
        tree = env.parse(text)
        bad = refused(tree)
    except TemplateSyntaxError as exc:
        return (f"mẫu câu có lỗi cú pháp: {exc.message}",
                "biến được viết {{ period.label }}; kiểm tra dấu ngoặc")
    except RecursionError:
        return ("mẫu câu có biểu thức lồng nhau quá sâu",
                "viết biểu thức đơn giản hơn (bớt các dấu ngoặc lồng nhau)")
    if bad:
        return (f"{bad[0][1]}", "mẫu câu chỉ được in biến và dùng bộ lọc; bỏ phần này")
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in known:
            if isinstance(node, nodes.Filter):
                return _unknown_filter(node.name)
            return (f"không có phép thử `{node.name}`", "ví dụ: {% if m.doan_ra is number %}")
    local = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    local |= {n.name for n in tree.find_all(nodes.Macro)} | _JINJA_NAMES | set(env.globals)
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in local and node.name not in names:
            return _check_name(node.name, None, names)
    # `raw.items()` too: a name on a mapping is only ever its key (sandbox.KeysEnvironment)
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name not in local:
            problem = _check_name(node.node.name, node.attr, names)
            if problem:
                return problem
    return None


@lru_cache(maxsize=512)
def compile_text(text: str) -> Any:
    """Compile a configuration string; raises jinja2.TemplateSyntaxError."""
    return _env().from_string(text)


_SLOW: set[str] = set()  # configuration strings that ran out of time once: not run again


def _render(text: str, context: dict[str, Any]) -> str:
    """A configuration string rendered by Jinja under the time and memory limits (a string of
    ``ngoaivu.yaml`` is a template from the repository like any other)."""
    from ngoaivu_cli.sandbox import FILL_OUTPUT, FILL_TIME_LIMIT, TimeOut, bounded

    if text in _SLOW:
        raise TimeOut(f"mẫu câu chạy quá {FILL_TIME_LIMIT:g} giây")
    try:  # compiling too: Jinja computes a filter on a literal then (`'1E+999'|vn_number`)
        with bounded(FILL_TIME_LIMIT, FILL_OUTPUT):
            return str(compile_text(text).render(context))
    except TimeOut as exc:
        if not exc.by_run:  # the string's own time, not the run's budget spent by others
            _SLOW.add(text)
        raise


def fill(text: str, context: dict[str, Any]) -> str:
    """Render a configuration string with ``context``, spaces collapsed; plain strings are
    returned as they are. A string that cannot be filled raises :class:`FillError`."""
    if "{" not in text:
        return text
    try:
        parts = _simple_parts(text)
        if parts is None:
            out = _render(text, context)
        else:
            out = "".join(p if isinstance(p, str) else _value(p, context) for p in parts)
    except NgoaivuError:  # a scope's files read on first use, one of them broken (DataError)
        raise
    except Exception as exc:  # jinja2.TemplateError, or a filter given the wrong kind of value
        if getattr(exc, "ngoaivu_own", False):  # the program failed reading a scope's files
            raise
        shown = text if len(text) <= 200 else text[:200] + "…"
        detail = _why(exc)
        hint = ("số chia bằng 0 trong kỳ này: đặt phép chia trong {% if raw.x %}...{% endif %}, "
                "hoặc dùng `percent_of` / `times` (không bao giờ chia cho 0)"
                if isinstance(exc, ZeroDivisionError) else
                "sửa mẫu câu trong ngoaivu.yaml; `ngoaivu validate` kiểm tra tên biến")
        raise FillError(f"không điền được mẫu câu «{shown}» của cấu hình: {detail}",
                        hint=hint, text=text, why=detail) from exc
    return " ".join(out.split())


def _value(part: tuple[tuple[str, ...], tuple[str, ...]], context: dict[str, Any]) -> str:
    env = _env()
    path, filters = part
    value = context[path[0]] if path[0] in context else env.undefined(name=path[0])
    for attr in path[1:]:
        value = env.getattr(value, attr)
    for i, name in enumerate(filters):
        func = env.filters[name]
        if getattr(func, "jinja_pass_arg", None) is not None:  # needs Jinja's context
            return compile_text("{{ x | " + " | ".join(filters[i:]) + " }}").render(x=value)
        value = func(value)
    return str(value)
