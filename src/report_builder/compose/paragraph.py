"""compose_paragraph and measure: the composer's public entry points."""

from __future__ import annotations

from collections.abc import Sequence

from .breaking import break_lines
from .justify import set_line
from .model import ComposedParagraph, ComposeStyle, Span
from .segment import Prepared, prepare

ALIGNS = ("justify", "left", "center", "right")
STRICTNESS = ("basic", "gb", "strict")
DEFAULT_STYLE = ComposeStyle()


def _prepared(spans: Sequence[Span], style: ComposeStyle, max_unit: float = 1e9) -> Prepared:
    if style.strictness not in STRICTNESS:
        raise ValueError(f"strictness must be one of {', '.join(STRICTNESS)}: {style.strictness!r}")
    key = (
        tuple(spans),
        style.strictness,
        float(style.adjacent_punct),
        float(style.tracking),
        float(style.han_latin_space),
        float(style.size),
    )
    p = prepare(*key, 1e9)
    if p.widest_run > max_unit:  # rare: a Western run wider than the measure
        p = prepare(*key, max_unit)
    return p


def measure(spans: Sequence[Span], style: ComposeStyle | None = None) -> float:
    """Natural width in pt of the spans set on one line (no indent, no adjustment).

    Cached with the paragraph's preparation, so copyfitting may call it often.
    """
    p = _prepared(spans, style or DEFAULT_STYLE)
    return p.natural(0, p.n) if p.n else 0.0


def compose_paragraph(
    spans: Sequence[Span], widths: float | Sequence[float], style: ComposeStyle
) -> ComposedParagraph:
    """Break and justify a paragraph per clreq.

    ``widths``: the measure in pt, or one measure per line (the last repeats).
    Glyph x are pt from the line's left edge, indents included; every
    non-final line of a justified paragraph ends at its width (``Line.right``).
    ``Line.ratio``: > 0 the even stretch per inter-character gap in em (after
    word and Han–Latin spaces opened); < 0 the share of the line's squeezable
    space used (−1 = all punctuation at ½ em). ``ValueError`` for unknown
    style values (the definition stage validates them for users first).
    """
    if style.align not in ALIGNS:
        raise ValueError(f"align must be one of {', '.join(ALIGNS)}: {style.align!r}")
    if style.last_line not in ALIGNS[1:] + ("justify",):
        raise ValueError(f"last_line must be left, center, right or justify: {style.last_line!r}")
    full = [float(widths)] if isinstance(widths, int | float) else [float(w) for w in widths]
    if not full:
        raise ValueError("widths must hold at least one measure")
    em = style.size
    indent, hanging = style.indent * em, style.hanging * em
    offsets = [indent] + [hanging] * max(len(full) - 1, 1)
    lines_full = [full[min(k, len(full) - 1)] for k in range(len(offsets))]
    measures = [w - o for w, o in zip(lines_full, offsets, strict=True)]
    # Western runs that could not share a line with a mark get emergency breaks
    p = _prepared(spans, style, min(measures) - em)
    if p.n == 0:
        return ComposedParagraph(lines=())
    justify = style.align == "justify"
    fits, demerits = break_lines(
        p,
        measures,
        em,
        stretch_last=justify and style.last_line == "justify",
        ragged=not justify,
        balance_last=style.align == "center",
    )
    lines = []
    for n, fit in enumerate(fits):
        last = n == len(fits) - 1
        align = style.last_line if (last and justify) else style.align
        k = fit.measure
        lines.append(
            set_line(
                p,
                fit.start,
                fit.end,
                measures[k],
                offsets[k],
                em,
                stretch=justify and (not last or style.last_line == "justify"),
                align=align,
                last=last,
            )
        )
    return ComposedParagraph(lines=tuple(lines), badness=demerits)
