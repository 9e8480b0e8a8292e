"""Every record (ngoaivu_cli/records.py) behaves as the dataclass it stands for: the same
fields, constructor, equality, hash, repr, frozenness and refusals."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from typing import Any, ClassVar

import pytest

import ngoaivu_cli
from ngoaivu_cli.records import record


def _records() -> list[type]:
    """Every class of the package made by :func:`record` (the package imported whole)."""
    found = []
    for info in pkgutil.walk_packages(ngoaivu_cli.__path__, "ngoaivu_cli."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (isinstance(value, type) and value.__module__ == module.__name__
                    and dataclasses.is_dataclass(value)
                    and getattr(value.__init__, "__module__", "") == "ngoaivu_cli.records"):
                found.append(value)
    return found


RECORDS = _records()


def test_the_configuration_and_a_reports_small_classes_are_records() -> None:
    names = {f"{c.__module__}.{c.__qualname__}" for c in RECORDS}
    assert {"ngoaivu_cli.config.model.Config", "ngoaivu_cli.config.model.ReportType",
            "ngoaivu_cli.periods.model.Period"} <= names
    assert "ngoaivu_cli.log.entries.Entry" not in names  # made by the thousand: a dataclass


def _twin(cls: type) -> Any:
    """The plain dataclass ``cls`` stands for (same fields, same options)."""
    frozen = cls.__setattr__ is not object.__setattr__
    spec = []
    for f in dataclasses.fields(cls):
        options: dict[str, Any] = {"repr": f.repr, "compare": f.compare, "hash": f.hash}
        if f.default is not dataclasses.MISSING:
            options["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            options["default_factory"] = f.default_factory
        spec.append((f.name, f.type, dataclasses.field(**options)))
    twin = dataclasses.make_dataclass(cls.__name__, spec, frozen=frozen)
    twin.__qualname__ = cls.__qualname__
    return twin


def _values(cls: type, tag: str) -> dict[str, str]:
    return {f.name: f"{tag}-{f.name}" for f in dataclasses.fields(cls)}


def _same_error(make: Any, twin: Any, *args: Any, **kwargs: Any) -> None:
    """A call the dataclass refuses is refused (a TypeError; Python words its own)."""
    with pytest.raises(TypeError):
        make(*args, **kwargs)
    with pytest.raises(TypeError):
        twin(*args, **kwargs)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_record_is_its_dataclass(cls: Any) -> None:
    twin = _twin(cls)
    fields = dataclasses.fields(cls)
    assert [f.name for f in fields] == [f.name for f in dataclasses.fields(twin)]
    assert cls.__match_args__ == twin.__match_args__
    values = _values(cls, "a")
    ours, theirs = cls(**values), twin(**values)
    assert repr(ours) == repr(theirs)
    assert ours == cls(*values.values())
    assert not ours != cls(**values)  # noqa: SIM202 - __ne__ from __eq__
    assert ours != cls(**_values(cls, "b")) or not any(f.compare for f in fields)
    assert (ours == object()) is False and ours.__eq__(object()) is NotImplemented
    # every field left out that has a default or a factory takes it, as in the dataclass
    required = {f.name: values[f.name] for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    assert repr(cls(**required)) == repr(twin(**required))
    assert dataclasses.asdict(cls(**required)) == dataclasses.asdict(twin(**required))
    if twin.__hash__ is None:
        assert cls.__hash__ is None
    else:
        assert hash(ours) == hash(theirs)
        with pytest.raises(dataclasses.FrozenInstanceError):
            ours.__setattr__(fields[0].name, "x")
        with pytest.raises(dataclasses.FrozenInstanceError):
            ours.__delattr__(fields[0].name)
    changed = dataclasses.replace(ours, **{fields[0].name: "c"})
    assert repr(changed) == repr(dataclasses.replace(theirs, **{fields[0].name: "c"}))
    # wrong calls fail as the dataclass's do
    _same_error(cls, twin, *values.values(), "extra")
    _same_error(cls, twin, **values, unknown="x")
    _same_error(cls, twin, *list(values.values())[:1], **values)
    if required:
        _same_error(cls, twin, **{k: v for k, v in required.items() if k != next(iter(required))})


def test_record_refuses_what_it_does_not_do() -> None:
    with pytest.raises(TypeError, match="use dataclasses.dataclass"):
        @record
        class WithPostInit:
            """x"""
            a: int

            def __post_init__(self) -> None:
                pass
    with pytest.raises(TypeError, match="use dataclasses.dataclass"):
        @record
        class KeywordOnly:
            """x"""
            a: int = dataclasses.field(kw_only=True)
    with pytest.raises(TypeError, match="use dataclasses.dataclass"):
        @record
        class WithClassVar:
            """x"""
            a: int
            b: ClassVar[int] = 1
    @dataclasses.dataclass
    class Base:
        a: int

    with pytest.raises(TypeError, match="use dataclasses.dataclass"):
        @record
        class Derived(Base):
            """x"""
            b: int


def test_record_repr_of_itself_does_not_recurse() -> None:
    @record
    class Node:
        """x"""
        children: list[Any] = dataclasses.field(default_factory=list)

    node = Node()
    node.children.append(node)
    assert repr(node) == "test_record_repr_of_itself_does_not_recurse.<locals>.Node(children=[...])"
