"""Lengths and Chinese type sizes.

Chinese 号数 table: the computer (MS Word / Chinese Windows) mapping in
norms.md §2.2, which is what DTP tools in China use today. All values are PDF
points (1/72 in).
"""

from __future__ import annotations

import re

MM = 72.0 / 25.4

#: 号数 → pt (Word table, norms.md §2.2)
CHINESE_SIZES: dict[str, float] = {
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
    "六号": 7.5,
    "小六": 6.5,
    "七号": 5.5,
    "八号": 5.0,
}

_LENGTH_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in|em|q|Q)?\s*$")

UNIT_PT = {"pt": 1.0, "mm": MM, "cm": 10 * MM, "in": 72.0, "q": 0.25 * MM, "Q": 0.25 * MM}


class UnitError(ValueError):
    """A length or size that cannot be read."""


def parse_length(value: object, *, em: float | None = None) -> float:
    """Return a length in pt from ``12``, ``"3mm"``, ``"9pt"``, ``"1.5em"`` or ``"小五"``.

    Bare numbers are points. ``em`` lengths need the em size of their context.
    """
    if isinstance(value, bool):
        raise UnitError(f"expected a length, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise UnitError(f"expected a length such as 9pt or 3mm, got {value!r}")
    text = value.strip()
    if text in CHINESE_SIZES:
        return CHINESE_SIZES[text]
    m = _LENGTH_RE.match(text)
    if not m:
        raise UnitError(
            f"cannot read length {value!r}: use a number with pt, mm, cm, in, q or em, "
            f"or a Chinese size name such as 小五"
        )
    number, unit = float(m.group(1)), m.group(2) or "pt"
    if unit == "em":
        if em is None:
            raise UnitError(f"{value!r}: em is not allowed here")
        return number * em
    return number * UNIT_PT[unit]


def parse_size(value: object) -> float:
    """A type size: a Chinese size name (小五) or a length."""
    return parse_length(value)
