"""``@record`` behaves as ``@dataclass(frozen=True)`` does, without compiling at import."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from report_builder.errors import Diagnostic, SourcePos
from report_builder.records import record


@dataclass(frozen=True)
class Ref:
    name: str
    size: float = 9.0
    tags: tuple[str, ...] = ()
    extra: list[int] = field(default_factory=list)


@record
class Rec:
    name: str
    size: float = 9.0
    tags: tuple[str, ...] = ()
    extra: list[int] = field(default_factory=list)


@record
class Child(Rec):
    """A subclass adds a field after the inherited ones."""

    level: int = 0


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("a",), {}), (("a", 2.0), {}), (("a",), {"tags": ("x",)}), ((), {"name": "b", "size": 1})],
)
def test_construction_repr_eq_hash_as_a_dataclass(args: tuple, kwargs: dict) -> None:
    ref, rec = Ref(*args, **kwargs), Rec(*args, **kwargs)
    assert repr(rec) == repr(ref).replace("Ref(", "Rec(")
    assert dataclasses.astuple(rec) == dataclasses.astuple(ref)
    assert rec == Rec(*args, **kwargs)
    assert rec != Rec("other")
    assert rec != ref  # another class is never equal, as between dataclasses
    hashable = Rec(rec.name, rec.size, rec.tags, ())  # type: ignore[arg-type]
    assert hash(hashable) == hash(Ref(rec.name, rec.size, rec.tags, ()))  # type: ignore[arg-type]


def test_defaults_factories_and_fields() -> None:
    a, b = Rec("a"), Rec("b")
    assert a.extra == [] and a.extra is not b.extra  # a new list for each
    assert [f.name for f in dataclasses.fields(Rec)] == ["name", "size", "tags", "extra"]
    assert dataclasses.is_dataclass(Rec)
    assert dataclasses.asdict(Rec("a", 1.0)) == {"name": "a", "size": 1.0, "tags": (), "extra": []}
    assert dataclasses.replace(Rec("a", 1.0), size=2.0) == Rec("a", 2.0)
    child = Child("c", level=2)
    assert (child.name, child.size, child.level) == ("c", 9.0, 2)
    assert repr(child) == "Child(name='c', size=9.0, tags=(), extra=[], level=2)"
    assert Rec.__match_args__ == ("name", "size", "tags", "extra")


def test_frozen() -> None:
    rec = Rec("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del rec.name  # type: ignore[misc]
    assert rec.name == "a"


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing"),
        (("a",), {"nmae": "b"}, "unexpected keyword argument 'nmae'"),
        (("a",), {"name": "b"}, "multiple values for argument 'name'"),
        (("a", 1, (), [], 5), {}, "positional"),
    ],
)
def test_a_wrong_call_raises_type_error(args: tuple, kwargs: dict, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        Rec(*args, **kwargs)


def test_source_positions_order_compare_and_pickle() -> None:
    """SourcePos has its own fast __init__; ordering and equality are field-wise."""
    a, b, c = SourcePos("f", 1, 5), SourcePos("f", 2, 1), SourcePos("f", 1, 5)
    assert a < b and b > a and a <= c and a >= c and a == c and hash(a) == hash(c)
    assert sorted([b, a]) == [a, b]
    assert str(a) == "f:1:5" and str(SourcePos("f")) == "f"
    assert repr(a) == "SourcePos(file='f', line=1, column=5)"
    assert a != ("f", 1, 5)
    d = Diagnostic(a, "message", "path")
    assert pickle.loads(pickle.dumps(d)) == d
    assert dataclasses.replace(d, path="other").format() == "f:1:5: other: message"


def test_what_record_does_not_do_is_refused() -> None:
    """A __post_init__ that would never run, or fields it cannot fill, fail at once."""
    with pytest.raises(TypeError, match="__post_init__"):

        @record
        class WithPostInit:
            name: str

            def __post_init__(self) -> None:
                pass

    with pytest.raises(TypeError, match="not supported"):

        @record
        class NotInInit:
            name: str
            derived: int = field(default=0, init=False)
