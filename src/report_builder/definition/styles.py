"""Paragraph styles: the newspaper defaults, the editor's overrides, and inheritance.

A style is first read as a partial set of fields; resolution then layers each
style over its parent. A style the editor writes under a built-in name without
``inherit:`` changes only the fields it names (``body: {size: 五号}`` keeps
宋体, 2-em indent …). Every built-in style is always present in the result,
so a minimal report.yaml works.
"""

from __future__ import annotations

from dataclasses import field, replace
from typing import Any

from ..definition.model import Copyfit, Style
from ..errors import SourcePos
from ..records import record
from .reader import (
    Fields,
    Invalid,
    Problems,
    as_choice,
    as_cmyk,
    as_em,
    as_int,
    as_length,
    as_list,
    as_name,
    as_size,
    suggest,
)
from .source import YMap, YNode, YScalar, join_path

BUILTIN_ROLES = ("song", "hei", "kai", "fangsong")
BUILTIN_WEIGHTS = ("regular", "bold")
ALIGNS = ("justify", "left", "center", "right")
STRICTNESS = ("basic", "gb", "strict")

#: Built-in styles, written as an editor would write them (sizes in pt).
DEFAULT_STYLES: dict[str, dict[str, Any]] = {
    "body": {"emphasis": "strong"},
    "strong": {"font": "hei"},
    "lead": {"inherit": "body", "font": "kai", "size": 10.5},
    "item": {"inherit": "body", "indent": 0.0, "hanging": 1.0},
    "title": {
        "font": "hei",
        "size": 18.0,
        "pitch": 27.0,
        "indent": 0.0,
        "align": "center",
        "last_line": "center",
    },
    "subhead": {"font": "hei", "size": 10.5, "indent": 0.0, "align": "left"},
    "byline": {"font": "kai", "indent": 0.0, "align": "center", "last_line": "center"},
    "caption": {"font": "kai", "size": 7.5, "pitch": 11.0, "indent": 0.0, "emphasis": "strong"},
    "credit": {
        "font": "kai",
        "size": 7.5,
        "pitch": 11.0,
        "indent": 0.0,
        "align": "right",
        "last_line": "right",
    },
    "headline": {
        "font": "hei",
        "weight": "bold",
        "size": 42.0,
        "pitch": 48.0,
        "indent": 0.0,
        "align": "center",
        "last_line": "center",
    },
    "kicker": {
        "font": "hei",
        "size": 18.0,
        "pitch": 24.0,
        "indent": 0.0,
        "align": "center",
        "last_line": "center",
    },
    "deck": {
        "font": "kai",
        "size": 16.0,
        "pitch": 22.0,
        "indent": 0.0,
        "align": "center",
        "last_line": "center",
    },
    "box-title": {
        "font": "hei",
        "size": 14.0,
        "pitch": 20.0,
        "indent": 0.0,
        "align": "center",
        "last_line": "center",
    },
    "flag": {
        "font": "hei",
        "weight": "bold",
        "size": 36.0,
        "pitch": 40.0,
        "indent": 0.0,
        "align": "center",
        "last_line": "center",
    },
    "folio": {"font": "hei", "indent": 0.0, "align": "left"},
}

STYLE_FIELDS = (
    "inherit",
    "font",
    "weight",
    "size",
    "pitch",
    "indent",
    "hanging",
    "align",
    "last_line",
    "color",
    "tracking",
    "strictness",
    "adjacent_punct",
    "space_before",
    "space_after",
    "emphasis",
    "copyfit",
)
COPYFIT_FIELDS = ("tracking_min", "tracking_max", "size_steps")
_STYLE_KNOWN = frozenset(STYLE_FIELDS)


@record
class StyleDef:
    """One style as written: its own fields (model units) and where each was written."""

    name: str
    values: dict[str, Any]
    pos: SourcePos
    key_pos: dict[str, SourcePos] = field(default_factory=dict)
    path: str = ""
    user: bool = True
    pitch_em: float | None = None  # pitch written in em: resolved against the style's size


def read_styles(node: YNode | None, path: str, problems: Problems) -> dict[str, StyleDef]:
    """The ``styles:`` mapping, each style's fields checked but not yet resolved."""
    out: dict[str, StyleDef] = {}
    if node is None:
        return out
    if not isinstance(node, YMap):
        problems.error(node.pos, path, "expected a mapping of style names to styles")
        return out
    for name, (_, snode) in node.items.items():
        key_pos = node.key_pos(name)
        spath = join_path(path, name)
        try:
            as_name(YScalar(name, name, "tag:yaml.org,2002:str", key_pos, 0))
        except Invalid as exc:
            problems.error(key_pos, path, f"style name: {exc}")
            continue
        out[name] = _read_style(name, snode, spath, problems)
    return out


def _read_style(name: str, node: YNode, path: str, problems: Problems) -> StyleDef:
    f = Fields(node, path, problems, _STYLE_KNOWN, what=f"the fields of style '{name}'")
    values: dict[str, Any] = {}
    key_pos: dict[str, SourcePos] = {}
    pitch_em: float | None = None

    def put(key: str, value: Any) -> None:
        if value is not None:
            values[key] = value
            key_pos[key] = f.node(key).pos if f.node(key) is not None else f.key_pos(key)

    put("inherit", f.get("inherit", as_name, None))
    put("font", f.get("font", as_name, None))
    put("weight", f.get("weight", as_name, None))
    put("size", f.get("size", as_size, None))
    pitch_node = f.node("pitch")
    if pitch_node is not None:
        em_value = _em_suffix(pitch_node)
        if em_value is not None:
            if 0.5 <= em_value <= 10:
                pitch_em = em_value
                key_pos["pitch"] = pitch_node.pos
            else:
                f.fail(pitch_node.pos, f.field_path("pitch"), "pitch must be 0.5em to 10em")
        else:
            put("pitch", f.get("pitch", as_length(1.0, 1000.0, positive=True), None))
    put("indent", f.get("indent", as_em(-10, 20), None))
    put("hanging", f.get("hanging", as_em(0, 20), None))
    put("align", f.get("align", as_choice(ALIGNS, "alignment"), None))
    put("last_line", f.get("last_line", as_choice(ALIGNS, "alignment"), None))
    put("color", f.get("color", as_cmyk, None))
    put("tracking", f.get("tracking", as_em(-0.5, 1.0), None))
    put("strictness", f.get("strictness", as_choice(STRICTNESS, "strictness"), None))
    put("adjacent_punct", f.get("adjacent_punct", as_choice(("1", "1.5"), "value"), None))
    if "adjacent_punct" in values:
        values["adjacent_punct"] = float(values["adjacent_punct"])
    put("space_before", f.get("space_before", as_int(0, 50, "a whole number of lines"), None))
    put("space_after", f.get("space_after", as_int(0, 50, "a whole number of lines"), None))
    emphasis = f.node("emphasis")
    if "emphasis" in f.items and emphasis is None:
        values["emphasis"] = None  # emphasis: null switches it off
        key_pos["emphasis"] = f.key_pos("emphasis")
    else:
        put("emphasis", f.get("emphasis", as_name, None))
    put(
        "copyfit",
        f.get("copyfit", lambda n: _read_copyfit(n, f.field_path("copyfit"), problems), None),
    )
    return StyleDef(name, values, node.pos, key_pos, path, pitch_em=pitch_em)


def _em_suffix(node: YNode) -> float | None:
    if isinstance(node, YScalar) and isinstance(node.value, str):
        text = node.text.strip()
        if text.endswith("em"):
            try:
                return float(text[:-2])
            except ValueError:
                return None
    return None


def _read_copyfit(node: YNode, path: str, problems: Problems) -> Copyfit | None:
    f = Fields(node, path, problems, COPYFIT_FIELDS)
    tmin = f.get("tracking_min", as_em(-0.2, 0.0), -0.05)
    tmax = f.get("tracking_max", as_em(0.0, 0.2), 0.05)
    steps: list[float] = []
    for i, item in enumerate(f.get("size_steps", as_list, [])):
        try:
            steps.append(as_size(item))
        except Invalid as exc:
            f.fail(item.pos, f"{path}.size_steps[{i}]", str(exc))
    if not f.ok:
        return None  # the problems are reported already
    return Copyfit(tmin, tmax, tuple(steps))


def _builtin_defs() -> dict[str, StyleDef]:
    return {
        name: StyleDef(name, dict(values), SourcePos("<default>"), user=False)
        for name, values in DEFAULT_STYLES.items()
    }


def resolve_styles(
    user: dict[str, StyleDef],
    problems: Problems,
    *,
    roles: set[str],
    weights: set[str],
) -> dict[str, Style]:
    """Built-in and user styles with inheritance resolved; loops and unknown parents reported."""
    builtin = _builtin_defs()
    effective: dict[str, StyleDef] = {}
    for name, b in builtin.items():
        effective[name] = b
    for name, u in user.items():
        if name in builtin and "inherit" not in u.values:
            merged = dict(builtin[name].values)
            merged.update(u.values)
            eff = replace(u, values=merged)
            if u.pitch_em is not None:
                merged.pop("pitch", None)
            effective[name] = eff
        else:
            effective[name] = u

    resolved: dict[str, Style] = {}
    failed: set[str] = set()

    def resolve(name: str, chain: list[str]) -> Style | None:
        if name in resolved:
            return resolved[name]
        if name in failed:
            return None
        sd = effective[name]
        parent_name = sd.values.get("inherit")
        base: Style
        if parent_name is None:
            base = Style(name=name)
        elif parent_name not in effective:
            failed.add(name)
            problems.error(
                sd.key_pos.get("inherit", sd.pos),
                join_path(sd.path, "inherit"),
                f"unknown style '{parent_name}'{suggest(parent_name, effective)}",
            )
            return None
        elif parent_name in chain:
            failed.add(name)
            loop = " → ".join([*chain[chain.index(parent_name) :], parent_name])
            owner = next((n for n in chain if effective[n].user), name)
            od = effective[owner]
            problems.error(
                od.key_pos.get("inherit", od.pos),
                join_path(od.path, "inherit"),
                f"style inheritance loops: {loop}",
            )
            return None
        else:
            parent = resolve(parent_name, [*chain, parent_name])
            if parent is None:
                failed.add(name)
                return None
            base = parent
        values = {k: v for k, v in sd.values.items() if k != "inherit"}
        style = replace(base, name=name, pos=sd.pos, **values)
        if sd.pitch_em is not None:
            style = replace(style, pitch=round(sd.pitch_em * style.size, 4))
        resolved[name] = style
        return style

    for name in sorted(effective):
        if name not in resolved and name not in failed:
            resolve(name, [name])

    for _name, sd in sorted(user.items()):
        own = sd.values
        font, weight, emphasis = own.get("font"), own.get("weight"), own.get("emphasis")
        if font is not None and font not in roles:
            problems.error(
                sd.key_pos["font"],
                join_path(sd.path, "font"),
                f"unknown font role '{font}'{suggest(font, roles)}; "
                f"use one of {', '.join(sorted(roles))} (or declare it under fonts:)",
            )
        if weight is not None and weight not in weights:
            problems.error(
                sd.key_pos["weight"],
                join_path(sd.path, "weight"),
                f"unknown weight '{weight}'{suggest(weight, weights)}; "
                f"use one of {', '.join(sorted(weights))}",
            )
        if emphasis is not None and emphasis not in effective:
            problems.error(
                sd.key_pos["emphasis"],
                join_path(sd.path, "emphasis"),
                f"unknown style '{emphasis}'{suggest(emphasis, effective)}",
            )
    return {name: resolved[name] for name in sorted(resolved)}
