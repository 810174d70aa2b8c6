"""The exact content walk: instruction by instruction through qpdf's parser.

It reads any content stream at all, and is what the fast walk (``fast``) must agree
with; it builds Python objects for each of the ~4,000 instructions of a newspaper
page, so the preflight takes it only for the streams the fast walk is unsure of.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pikepdf
from pikepdf import Name

from .state import (
    COLOUR_OPS,
    IDENTITY,
    RGB_SPACES,
    PageScan,
    State,
    gs_overprint,
    mul,
    record_paint,
    record_shows,
    space_of,
    text_size,
)

_FILL_PAINT = {"f", "F", "f*", "B", "B*", "b", "b*"}
_STROKE_PAINT = {"S", "s", "B", "B*", "b", "b*"}
_TEXT_SHOW = {"Tj", "TJ", "'", '"'}


def _nums(operands: Any) -> tuple[float, ...]:
    return tuple(float(x) for x in operands)


def exact_walk(
    owner: pikepdf.Object,
    res: pikepdf.Object | None,
    state: State,
    scan: PageScan,
    do: Callable[[str, State], None],
) -> None:
    """Scan the stream of ``owner`` into ``scan``; ``do`` takes each ``/name Do``."""
    try:
        instructions = pikepdf.parse_content_stream(owner)
    except pikepdf.PdfError:
        return
    stack: list[State] = []
    # (text matrix, ctm, font size, size) of the last show: the matrices are replaced,
    # never mutated, so identity says "unchanged" and the size need not be worked out again
    last_size: tuple[Any, Any, float, float] = (None, None, math.nan, 0.0)
    # ``inst.operands`` is only read where needed: unpacking every instruction converts
    # each TJ array to Python objects, which cost more than the rest of the walk
    for inst in instructions:
        o = str(inst.operator)
        if o in _TEXT_SHOW:
            tm, ctm, fs = state.text_matrix, state.ctm, state.font_size
            if tm is not last_size[0] or ctm is not last_size[1] or fs != last_size[2]:
                last_size = (tm, ctm, fs, text_size(tm, ctm, fs))
            record_shows(scan, last_size[3], state.fill, state.overprint_fill, 1)
        elif o == "Tf":
            state.font_size = float(inst.operands[1])
        elif o == "Tm":
            state.text_matrix = _nums(inst.operands)
        elif o == "q":
            stack.append(state.copy())
        elif o == "Q":
            if stack:
                state = stack.pop()
        elif o == "cm":
            state.ctm = mul(_nums(inst.operands), state.ctm)  # type: ignore[arg-type]
        elif o in COLOUR_OPS:
            space = COLOUR_OPS[o]
            if space == "DeviceRGB":
                scan.rgb_ops += 1
            colour = (space, _nums(inst.operands))
            if o.islower():
                state.fill, state.fill_space = colour, space
            else:
                state.stroke, state.stroke_space = colour, space
        elif o in ("cs", "CS"):
            space = space_of(res, str(inst.operands[0]))
            if space in RGB_SPACES:
                scan.rgb_ops += 1
            if o == "cs":
                state.fill_space = space
            else:
                state.stroke_space = space
        elif o in ("sc", "scn", "SC", "SCN"):
            vals = tuple(float(x) for x in inst.operands if not isinstance(x, Name))
            if o in ("sc", "scn"):
                state.fill = (state.fill_space, vals)
            else:
                state.stroke = (state.stroke_space, vals)
        elif o == "gs" and res is not None:
            op = gs_overprint(res, str(inst.operands[0]))
            if op is not None:
                state.overprint_fill = op
        elif o in _FILL_PAINT or o in _STROKE_PAINT:
            if o in _FILL_PAINT:
                record_paint(state.fill, scan)
            if o in _STROKE_PAINT:
                record_paint(state.stroke, scan)
        elif o == "BT":
            state.text_matrix = IDENTITY
        elif o == "Do" and res is not None:
            do(str(inst.operands[0]), state)
