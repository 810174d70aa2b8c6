"""Boxes: a tinted or ruled container (数说 data box, sidebars) around child blocks."""

from __future__ import annotations

from ...definition.model import BoxBlock
from ..model import FilledRect
from .context import BlockContext


def layout_box(ctx: BlockContext, block: BoxBlock, layout_block) -> None:
    r = ctx.rect(block.at)
    if block.fill or block.stroke:
        ctx.items.append(
            FilledRect(r.x, r.y, r.w, r.h, block.fill, block.stroke, block.stroke_width)
        )
    if block.title:
        st = ctx.ts.style(block.title_style)
        ascent = ctx.ts.registry.face(st.font, st.weight).ascent
        per = ctx.ts.slot_lines(st, ctx.grid.pitch)
        inner_w = r.w - 2 * block.padding
        for k, line in enumerate(ctx.ts.display_lines(block.title.text, st, inner_w)):
            top = r.top - k * per * ctx.grid.pitch
            y = ctx.slot_baseline(top, per, st.size, ascent)
            ctx.text_line(r.x + block.padding, y, line, block.id, "box-title")
    for child in block.children:
        left = block.padding if child.at.column == block.at.column else 0.0
        right = (
            block.padding
            if child.at.column + child.at.span == block.at.column + block.at.span
            else 0.0
        )
        layout_block(
            ctx.child(ctx.inset_left + left, ctx.inset_right + right, block.children), child
        )
