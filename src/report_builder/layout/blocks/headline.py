"""Headline groups: 引题 (kicker), 主题 (main), 副题 (deck), stacked and centred in the module."""

from __future__ import annotations

from ...definition.model import HeadlineBlock
from ...errors import Diagnostic, Severity
from .context import BlockContext


def layout_headline(ctx: BlockContext, block: HeadlineBlock) -> None:
    r = ctx.rect(block.at)
    parts = []
    for text, style_name, role in (
        (block.kicker, block.kicker_style, "kicker"),
        (block.main, block.main_style, "headline"),
        (block.deck, block.deck_style, "deck"),
    ):
        if text is None or not text.text:
            continue
        st = ctx.ts.style(style_name)
        st = ctx.ts.variant(st, align=block.align, last_line=block.align, indent=0.0)
        lines = ctx.ts.display_lines(text.text, st, r.w)
        pitch = st.pitch or st.size * 1.2
        ascent = ctx.ts.registry.face(st.font, st.weight).ascent
        parts.append((lines, st, pitch, ascent, role))
    gap_total = 0.0
    heights = [len(lines) * pitch for lines, _, pitch, _, _ in parts]
    gaps = [0.25 * parts[i][1].size for i in range(1, len(parts))]
    gap_total = sum(gaps)
    total = sum(heights) + gap_total
    if total > r.h + 0.01:
        ctx.warnings.append(
            Diagnostic(
                block.pos,
                f"headline '{block.id}' is {total - r.h:.1f} pt taller than its module "
                f"({block.at.lines} lines); give it more lines or a smaller style",
                severity=Severity.WARNING,
            )
        )
    y_top = r.top - max(0.0, (r.h - total) / 2)
    for i, (lines, st, pitch, ascent, role) in enumerate(parts):
        if i:
            y_top -= gaps[i - 1]
        for line in lines:
            y = y_top - (pitch - st.size) / 2 - ascent * st.size
            ctx.text_line(r.x, y, line, block.id, role)
            y_top -= pitch
