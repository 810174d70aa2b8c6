"""Typed reading of YAML nodes with every problem collected, never raised one by one.

``Fields`` reads one mapping: it reports unknown field names (with the close
match), missing required ones, and values of the wrong type or out of range,
each at the mark of the offending key or value, and carries on so the user
sees all problems of the file at once.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ..errors import Diagnostic, SourcePos
from ..units import UNIT_PT, UnitError, parse_length
from .source import Mark, YMap, YNode, YScalar, YSeq, join_path

T = TypeVar("T")

MISSING: Any = object()
_INTEGER = r"[+-]?[0-9]{1,9}\Z"  # matched with re.match: compiled (and cached) when first used


class Invalid(Exception):
    """A value that cannot be used; the message says what was expected."""


class Problems:
    """The diagnostics of one report.yaml, in the order found."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, pos: SourcePos, path: str, message: str) -> None:
        self.items.append(Diagnostic(pos, message, path))

    def __bool__(self) -> bool:
        return bool(self.items)


def suggest(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a close match, else ''."""
    import difflib  # only when something is misspelt: not imported by a good build

    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def describe(node: YNode) -> str:
    """How a value looks to the user, for 'expected …, got …' messages."""
    if isinstance(node, YSeq):
        return "a list"
    if isinstance(node, YMap):
        return "a mapping"
    if node.value is None and node.tag.endswith(":null"):
        return "nothing" if not node.text or node.text == "~" else repr(node.text)
    text = node.text if len(node.text) <= 40 else node.text[:37] + "…"
    return repr(text)


class Fields:
    """Reader for one mapping of fields; ``ok`` turns False at the first problem."""

    def __init__(
        self,
        node: YNode,
        path: str,
        problems: Problems,
        known: Iterable[str],
        what: str = "a mapping of fields",
    ) -> None:
        self.path = path
        self.problems = problems
        self.known = known if isinstance(known, frozenset) else frozenset(known)
        self.ok = True
        self.source = node
        self.items: dict[str, tuple[Mark, YNode]] = {}
        if not isinstance(node, YMap):
            self.fail(node.pos, path, f"expected {what}, got {describe(node)}")
            return
        self.items = node.items
        if node.items.keys() <= self.known:  # the usual case, tested in one step
            return
        for name in node.items:
            if name not in self.known:
                self.fail(
                    node.key_pos(name), path, f"unknown field '{name}'{suggest(name, self.known)}"
                )

    @property
    def pos(self) -> SourcePos:
        """Where the mapping is (made when asked for: most are never reported)."""
        return self.source.pos

    def fail(self, pos: SourcePos, path: str, message: str) -> None:
        self.ok = False
        self.problems.error(pos, path, message)

    def has(self, name: str) -> bool:
        item = self.items.get(name)
        return item is not None and not _is_null(item[1])

    def node(self, name: str) -> YNode | None:
        item = self.items.get(name)
        return None if item is None or _is_null(item[1]) else item[1]

    def key_pos(self, name: str) -> SourcePos:
        if name in self.items:
            assert isinstance(self.source, YMap)
            return self.source.key_pos(name)
        return self.pos

    def field_path(self, name: str) -> str:
        return join_path(self.path, name)

    def get(
        self,
        name: str,
        convert: Callable[[YNode], T],
        default: T = MISSING,
        *,
        required: bool = False,
    ) -> T:
        """The converted value of ``name``; ``default`` when absent (or null) or invalid."""
        item = self.items.get(name)
        node = None if item is None else item[1]
        if node is None or (node.__class__ is YScalar and node.value is None and _is_null(node)):
            if required:
                self.fail(self.pos, self.path, f"missing required field '{name}'")
            return default
        try:
            return convert(node)
        except Invalid as exc:
            self.fail(node.pos, self.field_path(name), str(exc))
            return default


def _is_null(node: YNode) -> bool:
    return node.__class__ is YScalar and node.value is None and node.tag.endswith(":null")


# ---- converters: YNode -> value, raising Invalid ----------------------------------------


def _scalar(node: YNode, expected: str) -> YScalar:
    if not isinstance(node, YScalar) or _is_null(node):
        raise Invalid(f"expected {expected}, got {describe(node)}")
    return node


@functools.cache
def _bad_character() -> re.Pattern[str]:
    """Exactly the characters of categories Cc and Cs (controls, surrogates) but tab and newline."""
    return re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(text: str) -> str:
    """Refuse characters that can only be mistakes in printed text."""
    # one scan in C instead of a loop per character: printable text has no Cc or Cs at all,
    # and the rest (line breaks, 全角 spaces …) is searched for exactly those two categories
    if text.isprintable() or _bad_character().search(text) is None:
        return text
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\t":
            continue
        if cat == "Cc":
            raise Invalid(f"control character U+{ord(ch):04X} in the text; remove it")
        if cat == "Cs":
            raise Invalid(f"broken character (lone surrogate U+{ord(ch):04X}) in the text")
    return text


def as_text(node: YNode) -> str:
    """Text exactly as written (``2023`` stays '2023', ``yes`` stays 'yes')."""
    return check_text(_scalar(node, "text").text)


def as_name(node: YNode) -> str:
    """A name or id: text without spaces."""
    text = _scalar(node, "a name").text.strip()
    if not text:
        raise Invalid("expected a name, got empty text")
    if len(text) > 100:
        raise Invalid("a name must be at most 100 characters")
    plain = text.isascii() and text.isprintable() and " " not in text  # most names: no loop
    if not plain and any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text):
        raise Invalid(f"a name cannot contain spaces or control characters: {text!r}")
    return text


def as_bool(node: YNode) -> bool:
    s = _scalar(node, "true or false")
    if not isinstance(s.value, bool):
        raise Invalid(f"expected true or false, got {describe(s)}")
    return s.value


def as_int(lo: int, hi: int, what: str = "a whole number") -> Callable[[YNode], int]:
    def convert(node: YNode) -> int:
        value = getattr(node, "value", None)
        if value.__class__ is int and lo <= value <= hi:
            return value  # the usual case, read as YAML wrote it
        s = _scalar(node, what)
        value = s.value
        if isinstance(value, str) and re.match(_INTEGER, value):
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected {what}, got {describe(s)}")
        if not lo <= value <= hi:
            raise Invalid(f"{value} is out of range: must be between {lo} and {hi}")
        return value

    return convert


def as_number(lo: float, hi: float, what: str = "a number") -> Callable[[YNode], float]:
    def convert(node: YNode) -> float:
        s = _scalar(node, what)
        value = s.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"expected {what}, got {describe(s)}")
        value = float(value)
        if not math.isfinite(value) or not lo <= value <= hi:
            raise Invalid(f"{s.text} is out of range: must be between {lo:g} and {hi:g}")
        return value

    return convert


def as_em(lo: float, hi: float) -> Callable[[YNode], float]:
    """A number of em: ``2`` or ``2em``."""

    def convert(node: YNode) -> float:
        s = _scalar(node, "a number of em such as 2 or 0.5em")
        value: object = s.value
        if isinstance(value, str) and value.strip().endswith("em"):
            try:
                value = float(value.strip()[:-2])
            except ValueError:
                value = s.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"expected a number of em such as 2 or 0.5em, got {describe(s)}")
        value = float(value)
        if not math.isfinite(value) or not lo <= value <= hi:
            raise Invalid(f"{s.text} is out of range: must be between {lo:g} and {hi:g} em")
        return value

    return convert


_UNIT_WRITTEN = re.compile(r"\s*-?[0-9.]+\s*(pt|mm|cm|in|em|q|Q)\s*\Z")


def written_unit(text: str, fallback: str = "pt") -> str:
    """The unit a length was written in (``3mm`` → mm); ``fallback`` for bare numbers."""
    m = _UNIT_WRITTEN.match(text)
    return m.group(1) if m else fallback


def format_length(value_pt: float, unit: str, *, em: float | None = None) -> str:
    """A length in pt shown in ``unit``, e.g. 141.732 → '50mm', rounded for reading."""
    per_unit = em if unit == "em" and em else UNIT_PT.get(unit)
    if per_unit is None:
        unit, per_unit = "pt", 1.0
    number = f"{value_pt / per_unit:.2f}".rstrip("0").rstrip(".")
    return f"{'0' if number == '-0' else number}{unit}"


def as_length(
    lo: float = 0.0,
    hi: float = 10_000.0,
    *,
    em: float | None = None,
    positive: bool = False,
    what: str = "a length such as 9pt or 3mm",
    unit: str = "pt",
) -> Callable[[YNode], float]:
    """A length in pt: ``9pt``, ``3mm``, ``1em`` (when ``em`` is given), a bare number = pt.

    Limits in messages are shown in the unit the value was written in, so a page
    written in mm is not told about 141.732pt; ``unit`` is used for bare numbers
    and type-size names (mm for paper sizes, which nobody thinks of in points).
    """

    def convert(node: YNode) -> float:
        s = _scalar(node, what)
        raw: object = s.value if isinstance(s.value, int | float) else s.text
        if isinstance(raw, bool):
            raise Invalid(f"expected {what}, got {describe(s)}")
        try:
            value = parse_length(raw, em=em)
        except UnitError:
            if isinstance(raw, str) and raw.strip().endswith("em") and em is None:
                raise Invalid(f"em is not allowed here; expected {what}") from None
            raise Invalid(f"expected {what}, got {describe(s)}") from None
        if not math.isfinite(value):
            raise Invalid(f"expected {what}, got {describe(s)}")
        shown = written_unit(s.text, unit)
        got = s.text
        if shown != "pt" and isinstance(s.value, int | float):
            got += " (a number without a unit is pt)"
        if positive and value <= 0:
            raise Invalid(f"must be greater than 0, got {got}")
        if value < lo:
            raise Invalid(f"must not be less than {format_length(lo, shown, em=em)}, got {got}")
        if value > hi:
            raise Invalid(f"{got} is too large (at most {format_length(hi, shown, em=em)})")
        return value

    return convert


def as_size(node: YNode) -> float:
    """A type size: 小五, 五号 …, or a length; 1pt to 500pt."""
    return as_length(1.0, 500.0, what="a type size such as 小五, 五号 or 9pt", positive=True)(node)


def as_choice(options: Iterable[str], what: str = "") -> Callable[[YNode], str]:
    opts = tuple(options)

    def convert(node: YNode) -> str:
        s = _scalar(node, f"one of {', '.join(opts)}")
        text = s.text.strip()
        if text not in opts:
            label = f"{what} " if what else ""
            raise Invalid(
                f"unknown {label}'{text}'{suggest(text, opts)}; use one of {', '.join(opts)}"
            )
        return text

    return convert


def as_list(node: YNode) -> list[YNode]:
    if not isinstance(node, YSeq):
        raise Invalid(f"expected a list, got {describe(node)}")
    return node.items


def as_cmyk(node: YNode) -> tuple[float, float, float, float]:
    """A colour as ``[c, m, y, k]`` in percent (0–100), as designers write it."""
    if not isinstance(node, YSeq) or len(node.items) != 4:
        raise Invalid(
            f"expected a CMYK colour in percent such as [0, 0, 0, 100], got {describe(node)}"
        )
    out = []
    for item in node.items:
        s = _scalar(item, "a percentage 0–100")
        v = s.value
        if isinstance(v, str) and v.strip().endswith("%"):
            try:
                v = float(v.strip()[:-1])
            except ValueError:
                v = s.value
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 100:
            raise Invalid(f"colour values are percentages from 0 to 100, got {describe(s)}")
        out.append(round(float(v) / 100.0, 6))
    return (out[0], out[1], out[2], out[3])


def as_percent(lo: float, hi: float) -> Callable[[YNode], float]:
    """``240%`` or ``240`` (percent) → 2.4."""

    def convert(node: YNode) -> float:
        s = _scalar(node, "a percentage such as 240%")
        v: object = s.value
        if isinstance(v, str) and v.strip().endswith("%"):
            try:
                v = float(v.strip()[:-1])
            except ValueError:
                v = s.value
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise Invalid(f"expected a percentage such as 240%, got {describe(s)}")
        if not lo <= v <= hi:
            raise Invalid(f"{s.text} is out of range: must be between {lo:g}% and {hi:g}%")
        return float(v) / 100.0

    return convert
