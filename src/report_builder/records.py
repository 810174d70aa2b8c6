"""``@record``: a frozen dataclass whose methods are not compiled at import.

``@dataclass(frozen=True)`` writes the source of six methods per class and
compiles each one when the module is imported (~0.5 ms a class: 12 ms for the
report model alone, in every build). ``record`` lets ``dataclasses`` collect the
fields but generate nothing, then installs shared methods that behave the same:
keyword or positional construction with defaults and default factories, field-wise
``==`` and ``hash``, the dataclass ``repr``, ``FrozenInstanceError`` on assignment,
and optionally ordering. ``dataclasses.fields``, ``replace`` and ``asdict`` work as
for any dataclass. A class may define its own ``__init__`` (a hot one, for speed);
it then stores its fields with ``self.__dict__[name] = value``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T] | None = None, /, *, order: bool = False) -> Any:
    """Decorate a class as a frozen dataclass without code generation (see module doc)."""

    def wrap(cls: type[T]) -> type[T]:
        return _process(cls, order)

    return wrap if cls is None else wrap(cls)


def _process(cls: type[T], order: bool) -> type[T]:
    own_init = "__init__" in cls.__dict__
    if not cls.__doc__:
        cls.__doc__ = cls.__name__  # else dataclasses builds one with inspect.signature
    # collect the fields only: no method is generated, so nothing is compiled
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or any(not f.init or f.kw_only for f in fields):
        raise TypeError(
            f"@record {cls.__name__}: __post_init__, init=False and kw_only are not supported; "
            "write an __init__, or use @dataclass"
        )
    names = tuple(f.name for f in fields)
    values = attrgetter(*names) if len(names) != 1 else (lambda obj: (getattr(obj, names[0]),))

    if not own_init:
        cls.__init__ = _make_init(cls.__name__, fields)  # type: ignore[misc]

    def __repr__(self: object) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, values(self), strict=True))
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __hash__(self: object) -> int:
        return hash(values(self))

    def __setattr__(self: object, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: object, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    methods: dict[str, Any] = {
        "__repr__": __repr__,
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__setattr__": __setattr__,
        "__delattr__": __delattr__,
    }
    if order:
        methods.update(_order_methods(values))
    for name, method in methods.items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    return cls


def _make_init(class_name: str, fields: tuple[dataclasses.Field, ...]) -> Any:
    names = tuple(f.name for f in fields)
    known = frozenset(names)
    defaults = {f.name: f.default for f in fields if f.default is not MISSING}
    factories = tuple(
        (f.name, f.default_factory) for f in fields if f.default_factory is not MISSING
    )
    count = len(names)

    def __init__(self: object, *args: object, **kwargs: object) -> None:
        # three dict updates in C instead of one object.__setattr__ call per field
        state = self.__dict__
        state.update(defaults)
        state.update(zip(names, args, strict=False))
        if kwargs:
            if not known.issuperset(kwargs) or not kwargs.keys().isdisjoint(names[: len(args)]):
                raise _bad_call(class_name, names, args, kwargs)
            state.update(kwargs)
        for name, factory in factories:
            if name not in state:
                state[name] = factory()
        if len(state) != count or len(args) > count:
            raise _bad_call(class_name, names, args, kwargs)

    return __init__


def _bad_call(
    class_name: str, names: tuple[str, ...], args: tuple, kwargs: dict[str, object]
) -> TypeError:
    """The TypeError a dataclass's ``__init__`` raises for the same mistake."""
    if len(args) > len(names):
        return TypeError(f"{class_name}() takes {len(names)} positional arguments")
    unknown = [k for k in kwargs if k not in names]
    if unknown:
        return TypeError(f"{class_name}() got an unexpected keyword argument {unknown[0]!r}")
    twice = [k for k in kwargs if k in names[: len(args)]]
    if twice:
        return TypeError(f"{class_name}() got multiple values for argument {twice[0]!r}")
    return TypeError(f"{class_name}() missing required arguments (fields: {', '.join(names)})")


def _order_methods(values: Any) -> dict[str, Any]:
    def __lt__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) < values(other)
        return NotImplemented

    def __le__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) <= values(other)
        return NotImplemented

    def __gt__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) > values(other)
        return NotImplemented

    def __ge__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) >= values(other)
        return NotImplemented

    return {"__lt__": __lt__, "__le__": __le__, "__gt__": __gt__, "__ge__": __ge__}
