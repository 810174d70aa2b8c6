"""Figures: a photo cropped to its frame, the caption on the line grid below it."""

from __future__ import annotations

from pathlib import Path

from ...definition.model import FigureBlock
from ...errors import Diagnostic, Severity
from ..model import PlacedImage
from .context import BlockContext

GAP = 3.0  # pt between the photo and its caption's first line


def layout_figure(ctx: BlockContext, block: FigureBlock) -> None:
    r = ctx.rect(block.at)
    pitch = ctx.grid.pitch
    caption_lines = []
    for text, style_name in (
        (block.caption, block.caption_style),
        (block.credit, block.credit_style),
    ):
        if text is None or not text.text:
            continue
        st = ctx.ts.style(style_name)
        ascent = ctx.ts.registry.face(st.font, st.weight).ascent
        for line in ctx.ts.compose(text.text, st, r.w).lines:
            caption_lines.append((line, st, ascent))
    reserved = block.caption_lines if block.caption_lines is not None else len(caption_lines)
    if len(caption_lines) > reserved or reserved >= block.at.lines:
        ctx.warnings.append(
            Diagnostic(
                block.pos,
                f"figure '{block.id}': its caption takes {len(caption_lines)} line(s) but "
                f"{min(reserved, block.at.lines - 1)} are free for it; shorten the caption, "
                "raise caption_lines or give the figure more lines",
                severity=Severity.WARNING,
            )
        )
        caption_lines = caption_lines[: max(0, min(reserved, block.at.lines - 1))]
        reserved = len(caption_lines) if block.caption_lines is None else reserved
        reserved = min(reserved, block.at.lines - 1)
    first = block.at.lines - reserved
    for k, (line, st, ascent) in enumerate(caption_lines):
        top = r.top - (first + k) * pitch
        ctx.text_line(r.x, ctx.slot_baseline(top, 1, st.size, ascent), line, block.id, "caption")
    # the photo's top edge lines up with the em-box top of text in the next column
    body = ctx.ts.style(ctx.report.grid.body_style)
    top = r.top - (pitch - body.size) / 2
    image_h = first * pitch - (pitch - body.size) / 2 - (GAP if reserved else 0.0)
    ctx.items.append(
        PlacedImage(
            r.x,
            top - image_h,
            r.w,
            image_h,
            _image_path(ctx, block.image),
            block.id,
            block.fit,
            block.focus,
        )
    )


def _image_path(ctx: BlockContext, image: str) -> Path:
    """The photo's path, joined once per image in a build (pathlib joins are slow)."""
    key = ("image", image)
    found = ctx.ts.memo.get(key)
    if found is None:
        found = ctx.ts.memo[key] = ctx.report.base_dir / image
    return found
