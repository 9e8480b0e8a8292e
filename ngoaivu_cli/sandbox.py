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
  ``string`` or ``pprint`` print it; whatever a template prints is counted and stopped at
  :data:`MAX_OUTPUT` characters; a render that runs longer than :data:`TIME_LIMIT` seconds
  (nested loops) is stopped;
- and, for whatever C code a bound above does not foresee (``str.translate``, ``expandtabs``,
  ``indent`` of many lines), a render may add at most :data:`MAX_MEMORY` bytes to the process
  (``RLIMIT_AS`` lowered for its duration): past it an allocation fails with ``MemoryError``.

Every refusal is a :class:`LimitError` (a ``SecurityError``), which the writers turn into a
located ``E-TEMPLATE`` problem.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache, wraps
from typing import Any

from jinja2 import StrictUndefined, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ngoaivu_cli.errors import Problem, SourceLoc

MAX_STRING = 1_000_000  # characters (or items) one operation may produce
MAX_INT_BITS = 20_000  # about 6,000 decimal digits
MAX_ARG = 100_000  # a width, count or length given to a filter or a string method
MAX_OUTPUT = 32_000_000  # characters a whole template may print
TIME_LIMIT = 10.0  # seconds one render may take
FILL_TIME_LIMIT = 2.0  # seconds one configuration string may take
MAX_MEMORY = 768 << 20  # bytes of address space one render may add (a year's report: ~40 MB)

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
    """A render ran out of time."""


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
    if not isinstance(value, list | tuple | dict):
        return
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        total += 2 + _size(item)
        if total > MAX_STRING:
            raise _too_big("cấu trúc")
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
    return dict(*args, **kwargs)


class _Generator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` bounded like ``a + b``."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.bounded_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class SafeEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with bounds on what a template may compute."""

    code_generator_class = _Generator
    intercepted_binops = frozenset(("*", "**", "+", "%", "//"))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
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
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(getattr(value, "__self__", None))  # `'{:>999999}'.format(1)`
        return wrapped

    def bounded_concat(self, value: str) -> str:
        if len(value) > MAX_STRING:
            raise _too_big("chuỗi")
        return value

    def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
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
            result = super().call(__context, __obj, *args, **kwargs)
            if _size(result) > MAX_STRING:
                raise _too_big("chuỗi")
            return result
        return super().call(__context, __obj, *args, **kwargs)


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
        if name in ("tojson", "pprint", "string", "join", "list"):
            _check_weight(args[skip] if len(args) > skip else None)
        if name == "replace":
            parts = [a for a in args[skip:] if isinstance(a, str)]
            if len(parts) >= 3 and (len(parts[0]) + parts[0].count(parts[1]) * len(parts[2])
                                    > MAX_STRING):
                raise _too_big("chuỗi")
        result = func(*args, **kwargs)
        if _size(result) > MAX_STRING:
            raise _too_big("chuỗi")
        return result

    return wrapper


def _bounded_join(parts: Iterable[str]) -> str:
    """``Environment.concat`` that stops a template printing more than MAX_OUTPUT."""
    out: list[str] = []
    total = 0
    for part in parts:
        total += len(part)
        if total > MAX_OUTPUT:
            raise LimitError(f"mẫu in ra quá nhiều (hơn {MAX_OUTPUT:,} ký tự)".replace(",", "."))
        out.append(part)
    return "".join(out)


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
    env = cls(undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=False)
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


_timing: list[bool] = []  # a time limit is in force (an inner one would cancel it)


@contextlib.contextmanager
def time_limit(seconds: float = TIME_LIMIT) -> Iterator[None]:
    """Stop a render that runs longer than ``seconds`` with :class:`LimitError` (on the main
    thread, where signals are delivered; elsewhere the other bounds still hold). Inside a
    limit already in force, the outer one holds."""
    if _timing or threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TimeOut(f"mẫu chạy quá {seconds:g} giây")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _timing.append(True)
    try:
        yield
    finally:
        _timing.pop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def outside_limits() -> Iterator[None]:
    """Suspend the limits of a render in force for work of the program's own that a
    template only set off, such as reading the files of a scope (``ytd.doan_ra`` read on
    first use): the template is not charged the time and memory of reading the log. The
    time left and the memory limit are given back afterwards."""
    left = 0.0
    if _timing and threading.current_thread() is threading.main_thread():
        left = signal.setitimer(signal.ITIMER_REAL, 0)[0]
    before = _address_space()
    limits = _lift_memory()
    try:
        yield
    finally:
        if limits is not None:
            import resource

            soft, hard = limits
            after = _address_space()
            if before is not None and after is not None and after > before:
                # what was read stays: the string keeps the allowance it had left
                soft = soft + after - before
                if hard != resource.RLIM_INFINITY:
                    soft = min(soft, hard)
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        if left > 0:
            signal.setitimer(signal.ITIMER_REAL, left)


_memory: list[tuple[int, int]] = []  # the RLIMIT_AS each memory_limit found (to lift it)


def _lift_memory() -> tuple[int, int] | None:
    """Give back the address-space limit of before the innermost memory_limit; the limit in
    force (to restore), or None when there is none of ours."""
    if not _memory:
        return None
    import resource

    current = resource.getrlimit(resource.RLIMIT_AS)
    try:
        resource.setrlimit(resource.RLIMIT_AS, _memory[0])
    except (ValueError, OSError):
        return None
    return current


def _address_space() -> int | None:
    """The process's address space in bytes (Linux), or None."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextlib.contextmanager
def memory_limit(extra: int = MAX_MEMORY) -> Iterator[None]:
    """Let what runs inside add at most ``extra`` bytes of address space: past it an
    allocation is a ``MemoryError`` (an ``E-TEMPLATE`` problem), not the machine's memory
    exhausted. Where ``RLIMIT_AS`` or ``/proc`` is missing (Windows, macOS), the other
    bounds still hold; a tighter limit already in force is kept."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    used = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = None if used is None else used + extra
    if want is not None and hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if want is None or (soft != resource.RLIM_INFINITY and soft <= want):
        yield
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ValueError, OSError):
        yield
        return
    _memory.append((soft, hard))
    try:
        yield
    finally:
        _memory.pop()
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def bounded(seconds: float = TIME_LIMIT) -> Iterator[None]:
    """The time and memory limits of one render."""
    with memory_limit(), time_limit(seconds):
        yield


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
    """``template.render(context)`` under the time and memory limits."""
    with bounded():
        return str(template.render(context))
