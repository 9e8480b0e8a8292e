"""The one Jinja environment every template of a log repository is rendered in.

A log repository may come from anyone, and its ``templates/van-ban.docx``, ``van-ban.md.j2`` and
the strings of its ``ngoaivu.yaml`` are templates. They run here, and only here:

- Jinja's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`: no ``__globals__``, no
  ``__class__``, no private attributes, no mutation of lists and dicts, so
  ``{{ cycler.__init__.__globals__.os.popen('id').read() }}`` is a :class:`SecurityError`;
- bounded computation: ``'a' * 10**9``, ``[0] * 10**9``, ``10 ** 10 ** 10``, ``s ~ s`` doubled
  in a loop, ``'x'.ljust(10**9)``, ``'{:>999999999}'.format(1)``, ``'%0999999999d' % 1``,
  ``'a' | center(10**9)``, ``range(10**9)`` and ``lipsum(10**9)`` are refused before they are
  computed, and so are widths given as arguments (``'%*d' % (10**10, 1)``, ``'{:{}}'``);
  ``dict.update(agency, ...)`` cannot change the context (``dict`` is a plain function);
  a structure built of shared parts (``[l, l]`` nested 60 deep) is weighed before ``tojson``,
  ``string`` or ``pprint`` print it (and so are the lists, tuples and dicts a template writes,
  when they are built); ``str.translate``, ``expandtabs`` and ``indent`` of many lines are
  weighed before they run; filters refuse numbers of more than 1000 digits;
- bounds counted by the sandbox itself, never by a signal or a process limit (safe on any
  thread of a server): every loop turn, call, filter and operator checks the render's deadline
  (:data:`TIME_LIMIT`, compiling included) and is charged, with what it produces, to its
  allowance of data (:data:`MAX_ALLOC`); what it prints is counted and stopped at
  :data:`MAX_OUTPUT` characters; and a run (:mod:`ngoaivu_cli.budget`, one per command or
  request) bounds the time and output of all its renders together.

Every refusal is a :class:`LimitError` (a ``SecurityError``), which the writers turn into a
located ``E-TEMPLATE`` problem.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache, wraps
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from ngoaivu_cli import budget as _budget
from ngoaivu_cli.budget import Budget
from ngoaivu_cli.errors import Problem, SourceLoc

MAX_STRING = 1_000_000  # characters (or items) one operation may produce
MAX_INT_BITS = 20_000  # about 6,000 decimal digits
MAX_ARG = 100_000  # a width, count or length given to a filter or a string method
MAX_OUTPUT = 32_000_000  # characters a whole template may print
FILL_OUTPUT = MAX_STRING  # characters one configuration string may print
TIME_LIMIT = 10.0  # seconds one render may take
FILL_TIME_LIMIT = 2.0  # seconds one configuration string may take
MAX_ALLOC = 300 << 20  # bytes of strings, lists... one render may produce, all added up
STEP_COST = 32  # what one loop turn, call or filter is counted as (bytes, of MAX_ALLOC)

# format widths and precisions of 6 digits or more: `{:>999999}`, `%0999999d`
_BIG_WIDTH = re.compile(r"\d{6,}")
# widths and precisions taken from the arguments: `%*d`, `%.*f`, `{:{}}`, `{0:{1}}`
_ARG_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\*|\.\*)|\{[^{}]*:[^{}]*\{")
# str methods whose result grows with an argument
_WIDTH_METHODS = frozenset(("ljust", "rjust", "center", "zfill", "expandtabs"))
# filters whose arguments after the value are widths, counts or precisions
_WIDTH_FILTERS = frozenset(("center", "indent", "wordwrap", "truncate", "batch", "slice",
                            "round", "vn_number", "vn_money", "slugify", "replace"))


class LimitError(SecurityError):
    """A template asked for more than a report can need (memory, time or output)."""


class TimeOut(LimitError):
    """A render ran out of time (``by_run``: the run's budget, not the render's own)."""

    by_run = False


def _too_big(what: str) -> LimitError:
    return LimitError(f"mẫu đòi tạo {what} quá lớn (giới hạn {MAX_STRING:,} ký tự)"
                      .replace(",", "."))


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_int(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise LimitError("mẫu tạo ra một số quá lớn")


def _check_args(args: Iterable[Any]) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_ARG:
            raise LimitError(f"tham số {arg} quá lớn cho một mẫu văn bản (giới hạn "
                             f"{MAX_ARG:,})".replace(",", "."))
        if isinstance(arg, str) and _size(arg) > MAX_STRING:
            raise _too_big("chuỗi")


def _check_format(fmt: Any) -> None:
    if isinstance(fmt, bytes):
        fmt = fmt.decode("latin-1")
    if isinstance(fmt, str) and _BIG_WIDTH.search(fmt):
        raise LimitError("mẫu dùng độ rộng định dạng quá lớn")
    if isinstance(fmt, str) and _ARG_WIDTH.search(fmt):
        raise LimitError("mẫu dùng độ rộng định dạng lấy từ tham số (`*`, `{:{}}`)")


def _check_weight(value: Any) -> None:
    """Refuse a list/dict/tuple whose printed form would exceed MAX_STRING: its parts are
    counted each time they occur, as printing would (``[l, l]`` nested 60 deep is 2**60)."""
    if not isinstance(value, list | tuple | dict | Namespace):
        return
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        total += 2 + _size(item)
        if total > MAX_STRING:
            raise _too_big("cấu trúc")
        if isinstance(item, Namespace):  # `namespace(a=ns, b=ns)` prints its dict
            item = object.__getattribute__(item, "_Namespace__attrs")
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _finalize(value: Any) -> Any:
    """What ``{{ x }}`` prints: a structure is weighed first (see :func:`_check_weight`)."""
    _check_weight(value)
    return value


def _safe_dict(*args: Any, **kwargs: Any) -> dict[Any, Any]:
    """``dict(...)`` for templates: a function, so ``dict.update(agency, ...)`` (the type's
    own methods, which the sandbox does not see as mutating a dict) is not reachable."""
    made = dict(*args, **kwargs)
    _check_weight(made)
    return made


def _holds_containers(value: Any) -> bool:
    return isinstance(value, list | tuple) and any(
        isinstance(x, list | tuple | dict | Namespace) for x in value)


class _Generator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` bounded like ``a + b`` (and its parts weighed
    before they are printed), the turns of every loop counted, and the lists, tuples and
    dicts a template writes weighed (``[l, l]`` nested 60 deep is refused when it is built,
    before any comparison, hash or print walks it)."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.bounded_concat(")
        super().visit_Concat(node, frame)
        self.write(")")

    def visit_For(self, node: Any, frame: Any) -> None:
        iterable = node.iter  # `for x in environment.ticking(iterable)`
        node.iter = nodes.Call(nodes.EnvironmentAttribute("ticking"), [iterable], [], None,
                               None, lineno=iterable.lineno)
        try:
            super().visit_For(node, frame)
        finally:
            node.iter = iterable

    def _weighed(self, visit: Callable[[Any, Any], None], node: Any, frame: Any) -> None:
        self.write("environment.weighed(")
        visit(node, frame)
        self.write(")")

    def visit_Tuple(self, node: Any, frame: Any) -> None:
        if node.ctx == "load":
            self._weighed(super().visit_Tuple, node, frame)
        else:
            super().visit_Tuple(node, frame)

    def visit_List(self, node: Any, frame: Any) -> None:
        self._weighed(super().visit_List, node, frame)

    def visit_Dict(self, node: Any, frame: Any) -> None:
        self._weighed(super().visit_Dict, node, frame)


class SafeEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with bounds on what a template may compute."""

    code_generator_class = _Generator
    intercepted_binops = frozenset(("*", "**", "+", "%", "//"))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int) and _size(seq) * times > MAX_STRING:
                    raise _too_big("chuỗi")
            if (isinstance(left, int) and isinstance(right, int)
                    and left.bit_length() + right.bit_length() > MAX_INT_BITS):
                raise LimitError("mẫu tạo ra một số quá lớn")
        elif operator == "**":
            if (isinstance(left, int) and isinstance(right, int) and abs(left) > 1
                    and right > 0 and right * left.bit_length() > MAX_INT_BITS):
                raise LimitError("mẫu tạo ra một số quá lớn")
        elif operator == "+":
            if _size(left) + _size(right) > MAX_STRING:
                raise _too_big("chuỗi")
        elif operator == "%" and isinstance(left, str | bytes):
            _check_format(left)
            _check_weight(right)
        result = super().call_binop(context, operator, left, right)
        _check_int(result)
        if _size(result) > MAX_STRING:
            raise _too_big("chuỗi")
        if _holds_containers(result):  # `[l] + [l]`, `[l] * 2`: shared parts
            _check_weight(result)
        _charge(result)
        return result

    def ticking(self, iterable: Any) -> Any:
        """The iterable of a loop, each turn counted against the render's bounds."""
        meter = _METER.get()
        return iterable if meter is None else _ticking(iterable, meter)

    def weighed(self, value: Any) -> Any:
        """A list, tuple or dict a template wrote, weighed (:func:`_check_weight`)."""
        _check_weight(value)
        return value

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(getattr(value, "__self__", None))  # `'{:>999999}'.format(1)`
        return wrapped

    def bounded_concat(self, value: str) -> str:
        if len(value) > MAX_STRING:
            raise _too_big("chuỗi")
        _charge(value)
        return value

    def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        _tick()
        if __obj is Namespace:
            _check_weight((args, kwargs))
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str | bytes | list | tuple | dict):
            _check_args(a for a in (*args, *kwargs.values()) if isinstance(a, str))
        if isinstance(owner, str | bytes):
            if name in ("format", "format_map"):
                _check_format(owner)
                _check_weight((args, kwargs))
            elif name == "replace" and len(args) >= 2 and isinstance(args[1], str | bytes):
                count = owner.count(args[0]) if type(args[0]) is type(owner) else 0  # type: ignore[arg-type]
                if len(owner) + count * len(args[1]) > MAX_STRING:
                    raise _too_big("chuỗi")
            elif name == "join":
                items = list(args[0]) if args else []
                if sum(_size(x) for x in items) + len(owner) * len(items) > MAX_STRING:
                    raise _too_big("chuỗi")
                args = (items, *args[1:])
            elif name in _WIDTH_METHODS:
                _check_args((*args, *kwargs.values()))
                if name == "expandtabs":  # each tab may become `tabsize` spaces
                    size = (args[0] if args else kwargs.get("tabsize", 8))
                    tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
                    if isinstance(size, int) and len(owner) + tabs * size > MAX_STRING:
                        raise _too_big("chuỗi")
            elif name == "translate" and args:  # each character may become a long string
                table = args[0]
                values = (table.values() if isinstance(table, Mapping) else
                          table if isinstance(table, list | tuple) else ())
                longest = max((_size(v) for v in values), default=1)
                if len(owner) * longest > MAX_STRING:
                    raise _too_big("chuỗi")
            result = super().call(__context, __obj, *args, **kwargs)
            if _size(result) > MAX_STRING:
                raise _too_big("chuỗi")
            _charge(result)
            return result
        result = super().call(__context, __obj, *args, **kwargs)
        if _holds_containers(result):
            _check_weight(result)
        _charge(result)
        return result


_PRIVATE_FIELD = re.compile(r"\{[^{}]*?[.\[]_")  # `'{0.__class__}'.format(x)`, `{0[_x]}`
_LOADS = "mẫu không được nạp mẫu khác ({% include %}, {% import %}, {% extends %})"


class _NoLoader(BaseLoader):
    """The loader of the sandbox: a template is one file (or one string); it loads no other."""

    def get_source(self, environment: Any, template: str) -> Any:
        raise SecurityError(_LOADS)


def refused(tree: Any) -> list[tuple[Any, str]]:
    """What the sandbox refuses when a template runs, found in its parsed ``tree`` (so that
    ``validate`` says it, not only ``report``): each ``(node, message)``."""
    found: list[tuple[Any, str]] = []
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        found.append((node, _LOADS))
    for access in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = (getattr(access, "attr", None) if isinstance(access, nodes.Getattr)
                else getattr(getattr(access, "arg", None), "value", None))
        if isinstance(name, str) and name.startswith("_"):
            found.append((access, f"mẫu truy cập thuộc tính riêng `{name}` (hộp cát từ chối "
                                  "khi lập báo cáo)"))
        if (isinstance(access, nodes.Getattr) and name in ("format", "format_map")
                and isinstance(access.node, nodes.Const) and isinstance(access.node.value, str)
                and _PRIVATE_FIELD.search(access.node.value)):
            found.append((access, "mẫu định dạng truy cập thuộc tính riêng "
                                  f"`{access.node.value[:60]}` (hộp cát từ chối khi lập báo cáo)"))
    for flt in tree.find_all(nodes.Filter):
        if flt.name == "attr" and flt.args and isinstance(flt.args[0], nodes.Const) and str(
                flt.args[0].value).startswith("_"):
            found.append((flt, f"mẫu truy cập thuộc tính riêng `{flt.args[0].value}` "
                               "(hộp cát từ chối khi lập báo cáo)"))
        if (flt.name == "format" and isinstance(flt.node, nodes.Const)
                and isinstance(flt.node.value, str) and _PRIVATE_FIELD.search(flt.node.value)):
            found.append((flt, "mẫu định dạng truy cập thuộc tính riêng "
                               f"`{flt.node.value[:60]}` (hộp cát từ chối khi lập báo cáo)"))
    return found


@pass_context
def _vn_count(_context: Any, value: object, pad: bool | None = None) -> str:
    """``| vn_count``: as the office's ``pad_counts`` says when the string is filled (a filter
    that asks for the context is never computed once when Jinja compiles ``{{ 7 | vn_count }}``,
    nor kept in a compiled string)."""
    from ngoaivu_cli.formatting import vn_count

    return vn_count(value, pad)


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose widths, counts and precisions are bounded and whose result is checked;
    keeps Jinja's pass_context/pass_environment markers (``wraps`` copies them)."""
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0  # context/env first

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if name in _WIDTH_FILTERS:
            _check_args(args[skip + 1:])
            _check_args(kwargs.values())
        if name == "format":
            _check_format(args[0] if args else None)
            _check_weight((args[1:], kwargs))
        if name in ("tojson", "pprint", "string", "join", "list", "sum", "unique", "sort",
                    "max", "min", "dictsort", "groupby", "items"):
            _check_weight(args[skip] if len(args) > skip else None)
        if name == "indent" and len(args) > skip and isinstance(args[skip], str):
            width = args[skip + 1] if len(args) > skip + 1 else kwargs.get("width", 4)
            each = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
            if len(args[skip]) + args[skip].count("\n") * each > MAX_STRING:  # each line indented
                raise _too_big("chuỗi")
        if name == "replace":
            parts = [a for a in args[skip:] if isinstance(a, str)]
            if len(parts) >= 3 and (len(parts[0]) + parts[0].count(parts[1]) * len(parts[2])
                                    > MAX_STRING):
                raise _too_big("chuỗi")
        _tick()
        result = func(*args, **kwargs)
        if _size(result) > MAX_STRING:
            raise _too_big("chuỗi")
        _charge(result)
        return result

    return wrapper


def _too_much_output(limit: int, run: bool) -> str:
    said = f"{limit:,}".replace(",", ".")
    if run:
        return f"các mẫu của lượt chạy này in ra quá nhiều (hơn {said} ký tự, tính chung)"
    return f"mẫu in ra quá nhiều (hơn {said} ký tự)"


def _bounded_join(parts: Iterable[str]) -> str:
    """``Environment.concat`` (what a template, a macro or a ``{% set %}`` block prints),
    counted as it is printed: no join may pass MAX_OUTPUT, and what a render prints (its
    outermost join) is charged to the render's and the run's output."""
    meter = _METER.get()
    out: list[str] = []
    total = 0
    if meter is None:
        for part in parts:
            total += len(part)
            if total > MAX_OUTPUT:
                raise LimitError(_too_much_output(MAX_OUTPUT, False))
            out.append(part)
        return "".join(out)
    top = meter.depth == 0
    limit = min(MAX_OUTPUT, meter.output_left) if top else MAX_OUTPUT
    meter.depth += 1
    try:
        for part in parts:
            total += len(part)
            if total > limit:
                run = _budget.current()
                by_run = top and run is not None and limit == run.output_left
                raise LimitError(_too_much_output(run.output if by_run and run else limit,
                                                  by_run))
            out.append(part)
            meter.tick(STEP_COST + len(part))
    finally:
        meter.depth -= 1
    if top:
        meter.printed += total
        meter.output_left -= total
    joined = "".join(out)
    _charge(joined)
    return joined


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    from jinja2.utils import generate_lorem_ipsum

    _check_args((n * max,))
    return str(generate_lorem_ipsum(n=n, html=html, min=min, max=max))


@lru_cache(maxsize=1)
def _filters() -> dict[str, Callable[..., Any]]:
    from jinja2.filters import FILTERS as JINJA_FILTERS

    from ngoaivu_cli.figures import FILTERS as FIGURE_FILTERS
    from ngoaivu_cli.formatting import FILTERS, capfirst

    merged: dict[str, Callable[..., Any]] = {**JINJA_FILTERS, "capfirst": capfirst}
    project: dict[str, Any] = dict(FILTERS)
    project["vn_count"] = _vn_count
    merged.update(project)
    figures: dict[str, Any] = dict(FIGURE_FILTERS)
    merged.update(figures)
    return {name: _bounded_filter(name, func) for name, func in merged.items()}


def template_env(*, autoescape: bool = False) -> SafeEnvironment:
    """A new sandboxed environment with the Vietnamese filters: strict about names, bounded.
    (A new one per use: docxtpl and the Markdown writer add filters of their own.)"""
    return _environment(SafeEnvironment, autoescape)


def _environment(cls: type[SafeEnvironment], autoescape: bool) -> Any:
    env = cls(undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=False,
              loader=_NoLoader())
    env.filters.update(_filters())
    env.globals["lipsum"] = _lipsum
    env.globals["dict"] = _safe_dict
    env.finalize = _finalize
    env.concat = _bounded_join  # type: ignore[method-assign]
    return env


class KeysEnvironment(SafeEnvironment):
    """The sandbox for configuration strings: ``x.name`` on a mapping (``m``, ``raw``, a scope,
    ``period``...) is its key ``name`` and nothing else. Jinja would give a dict's own method
    first, so ``{{ m.items }}`` printed "<built-in method items ...>" and a metric named
    ``items`` or ``values`` could never be printed; here it is the metric, or an undefined name
    (an error naming it) when there is none."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def config_env() -> KeysEnvironment:
    """:func:`template_env` for the short strings of the configuration (textfill.py)."""
    return _environment(KeysEnvironment, False)


class _Meter:
    """The bounds of one render in progress: its deadline (its own, or the run's budget when
    less is left), the data it may still produce, what it has printed. Checked by the
    sandbox's hooks (loops, calls, filters, operators, printing), never by a signal or a
    process limit, so a render is bounded the same on any thread."""

    __slots__ = ("seconds", "deadline", "by_run", "alloc_left", "output_left", "printed",
                 "depth", "paused")

    def __init__(self, seconds: float, output: int, run: Budget | None) -> None:
        self.by_run = run is not None and run.seconds_left < seconds
        self.seconds = seconds if run is None else min(seconds, run.seconds_left)
        self.deadline = time.monotonic() + self.seconds
        self.alloc_left = MAX_ALLOC
        self.output_left = output
        if run is not None and run.output_left < output:
            self.output_left = run.output_left
        self.printed = 0
        self.depth = 0
        self.paused = 0.0

    def tick(self, cost: int = STEP_COST) -> None:
        self.alloc_left -= cost
        if self.alloc_left < 0:
            raise LimitError(f"mẫu tạo ra quá nhiều dữ liệu (hơn {MAX_ALLOC >> 20} MB trong "
                             "một lần điền)")
        if time.monotonic() > self.deadline:
            late = TimeOut(self.late())
            late.by_run = self.by_run
            raise late

    def late(self) -> str:
        run = _budget.current()
        if self.by_run and run is not None:
            return _run_late(run)
        return f"mẫu chạy quá {self.seconds:g} giây"


def _run_late(run: Budget) -> str:
    """Why a render stops when the run's budget of time is spent."""
    return (f"các mẫu của lượt chạy này đã chạy quá {run.seconds:g} giây (tính chung mọi mẫu và "
            "mẫu câu)")


_METER: ContextVar[_Meter | None] = ContextVar("ngoaivu_render_meter", default=None)


def _tick(cost: int = STEP_COST) -> None:
    meter = _METER.get()
    if meter is not None:
        meter.tick(cost)


def _charge(value: Any) -> None:
    """Count what an operation produced against the render's allowance of data."""
    meter = _METER.get()
    if meter is not None:
        meter.tick(sys.getsizeof(value) if isinstance(value, str | bytes | list | tuple | dict)
                   else STEP_COST)


def _ticking(iterable: Iterable[Any], meter: _Meter) -> Iterator[Any]:
    for item in iterable:
        meter.tick()
        yield item


@contextlib.contextmanager
def outside_limits() -> Iterator[None]:
    """Suspend the bounds of the render in progress for work of the program's own that a
    template only set off, such as reading the files of a scope (``ytd.doan_ra`` read on
    first use): the template is not charged its time nor what it reads."""
    meter = _METER.get()
    if meter is None:
        yield
        return
    token = _METER.set(None)
    start = time.monotonic()
    try:
        yield
    finally:
        _METER.reset(token)
        spent = time.monotonic() - start
        meter.deadline += spent
        meter.paused += spent


@contextlib.contextmanager
def bounded(seconds: float = TIME_LIMIT, output: int = MAX_OUTPUT) -> Iterator[None]:
    """The bounds of one render: ``seconds`` of work (less when the run's budget, see
    :mod:`ngoaivu_cli.budget`, has less left), :data:`MAX_ALLOC` of data produced, ``output``
    characters printed. Inside a render already bounded, the outer bounds hold. Nothing of the
    process is touched (no signal, no resource limit): safe on any thread."""
    if _METER.get() is not None:
        yield
        return
    run = _budget.current()
    if run is not None and run.seconds_left <= 0:
        late = TimeOut(_run_late(run))
        late.by_run = True
        raise late
    if run is not None and run.output_left <= 0:
        raise LimitError(_too_much_output(run.output, True))
    meter = _Meter(seconds, output, run)
    token = _METER.set(meter)
    start = time.monotonic()
    try:
        yield
    finally:
        _METER.reset(token)
        if run is not None:
            run.spend(time.monotonic() - start - meter.paused, meter.printed)


def time_limit(seconds: float | None = None) -> contextlib.AbstractContextManager[None]:
    """:func:`bounded` (default :data:`TIME_LIMIT`, read when called) around a render and the
    program's own work on its result (the DOCX post-processing), which checks in with
    :func:`tick` as it goes: a template whose parts are huge once unzipped is stopped too."""
    return bounded(TIME_LIMIT if seconds is None else seconds)


def tick() -> None:
    """For the program's own loops inside :func:`time_limit`: a :class:`TimeOut` once the
    render's time is spent (nothing outside a bounded render)."""
    _tick()


def template_line(exc: BaseException, name: str = "<template>") -> int | None:
    """The line of the template where ``exc`` was raised (Jinja rewrites tracebacks so the
    template's own frames carry its file name and line), or None."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if isinstance(line, int) else None


def template_problem(exc: BaseException, path: str, *, source: str | None = None,
                     excerpt: str | None = None, field: str = "-") -> Problem:
    """``E-TEMPLATE`` at the template's file and line for an error raised while compiling or
    rendering it (a security refusal, a bound, a misspelt name, ``1/0`` ...)."""
    from jinja2 import TemplateSyntaxError, UndefinedError

    line = template_line(exc) or 1
    if isinstance(exc, LimitError):
        message = str(exc)
        hint = "mẫu văn bản chỉ cần in dữ liệu của báo cáo; bỏ phép tính lớn trong mẫu"
    elif isinstance(exc, SecurityError):
        message = f"mẫu dùng điều bị cấm trong hộp cát (sandbox): {exc}"
        hint = ("mẫu chỉ được in biến và dùng bộ lọc; không truy cập thuộc tính riêng "
                "(__...__) hay chạy lệnh")
    elif isinstance(exc, TemplateSyntaxError):
        message = f"mẫu có lỗi cú pháp: {exc.message}"
        hint = "kiểm tra các thẻ {{ ... }} và {% ... %}"
    elif isinstance(exc, UndefinedError):
        message = f"mẫu dùng biến không có: {exc.message}"
        hint = "xem danh sách biến của mẫu: docs/configuration.md, mục “Biến trong câu mẫu”"
    elif isinstance(exc, RecursionError):
        message = "mẫu gọi lại chính nó quá nhiều lần (đệ quy)"
        hint = "bỏ macro tự gọi lại mình"
    elif isinstance(exc, OverflowError | MemoryError):
        message = f"mẫu đòi tính quá lớn ({type(exc).__name__}: {exc})"
        hint = "bỏ phép tính lớn trong mẫu (range, nhân chuỗi)"
    else:
        message = f"mẫu có lỗi khi điền: {type(exc).__name__}: {exc}"
        hint = "kiểm tra các thẻ {{ ... }} trong mẫu"
    if excerpt is None and source is not None:
        lines = source.splitlines()
        excerpt = lines[line - 1] if 0 < line <= len(lines) else None
    return Problem(SourceLoc(path, line, 1), "E-TEMPLATE", message, field, hint,
                   excerpt=excerpt)


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """``template.render(context)`` within the bounds of one render (:func:`bounded`)."""
    with bounded():
        return str(template.render(context))
