"""Dataclasses made without compiling code: :func:`record` is ``@dataclass`` (``frozen=True``
too) for the classes a run makes few instances of (the configuration, a report's request).

``dataclasses.dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__``,
``__hash__``, ``__setattr__`` and ``__delattr__`` as source text and compiles it when the
module is imported: about 0.7 ms a class, a tenth of a report's own time for the 30 classes
it imports (issue 17 (d)). :func:`record` gives the same methods written once, here; the class
is still a dataclass (``dataclasses.fields``, ``replace``, ``asdict`` work), built by
``dataclasses.dataclass`` with none of those methods asked for. A class that needs
what it does not do (``kw_only``, ``init=False`` fields, ``InitVar``, ``ClassVar``,
``__post_init__``, a method of its own among those, a dataclass base) is refused when it is
defined: it stays a ``dataclasses.dataclass``. Creating an instance costs a few microseconds more, so
classes made by the thousand (entries, nodes, problems) stay plain dataclasses.
``tests/test_records.py`` checks every record against the dataclass it stands for.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T", bound=type)

_MISSING = dataclasses.MISSING


@overload
def record(cls: T, /) -> T: ...


@overload
def record(*, frozen: bool = False) -> Callable[[T], T]: ...


@dataclass_transform(field_specifiers=(dataclasses.field,))
def record(cls: Any = None, /, *, frozen: bool = False) -> Any:
    """``@dataclass`` / ``@dataclass(frozen=True)``, without compiling code (see above)."""
    if cls is None:
        return lambda c: _record(c, frozen)
    return _record(cls, frozen)


_OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__",
        "__post_init__")


def _record(cls: T, frozen: bool) -> T:
    if any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:]) or any(
            name in vars(cls) for name in _OWN):
        raise TypeError(f"{cls.__qualname__}: a record has no dataclass base and none of "
                        f"{', '.join(_OWN)}; use dataclasses.dataclass")
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    fields = dataclasses.fields(cls)
    if any(f.kw_only or not f.init for f in fields) or len(fields) != len(
            vars(cls)["__dataclass_fields__"]):  # InitVar and ClassVar are not fields()
        raise TypeError(f"{cls.__qualname__}: a record has no keyword-only, init=False, "
                        "InitVar or ClassVar field; use dataclasses.dataclass")
    names = tuple(f.name for f in fields)
    defaults = {f.name: f.default for f in fields if f.default is not _MISSING}
    factories = {f.name: f.default_factory for f in fields if f.default_factory is not _MISSING}
    made: Any = cls  # its methods are set here
    made.__init__ = _init(names, defaults, factories)
    shown = tuple(f.name for f in fields if f.repr)
    made.__repr__ = _repr(shown)
    compared = tuple(f.name for f in fields if f.compare)
    key = _key(compared)
    made.__eq__ = _eq(key)
    if frozen:
        hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
        made.__hash__ = _hash(_key(hashed))
        made.__setattr__, made.__delattr__ = _frozen(cls, names)
    else:
        made.__hash__ = None  # as dataclass: eq without frozen
    return cls


def _init(names: tuple[str, ...], defaults: dict[str, Any],
          factories: dict[str, Callable[[], Any]]) -> Callable[..., None]:
    count = len(names)
    setter = object.__setattr__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        given = len(args)
        if given > count:
            raise TypeError(f"{type(self).__qualname__}.__init__() takes {count + 1} "
                            f"positional arguments but {given + 1} were given")
        for name, value in zip(names, args, strict=False):  # fewer args: defaults
            if name in kwargs:
                raise TypeError(f"{type(self).__qualname__}.__init__() got multiple values "
                                f"for argument '{name}'")
            setter(self, name, value)
        for name in names[given:]:
            if name in kwargs:
                value = kwargs.pop(name)
            elif name in defaults:
                value = defaults[name]
            elif name in factories:
                value = factories[name]()
            else:
                raise TypeError(f"{type(self).__qualname__}.__init__() missing 1 required "
                                f"positional argument: '{name}'")
            setter(self, name, value)
        if kwargs:
            raise TypeError(f"{type(self).__qualname__}.__init__() got an unexpected keyword "
                            f"argument '{next(iter(kwargs))}'")

    return __init__


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    if not names:
        return lambda obj: ()
    return attrgetter(*names)  # a tuple for two names or more


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _eq(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _frozen(cls: Any, names: tuple[str, ...]) -> tuple[Callable[..., None], Callable[..., None]]:
    fields = frozenset(names)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in fields:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in fields:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__
