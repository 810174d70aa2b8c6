"""Pages: every block of a page dispatched to its module, then the folio."""

from __future__ import annotations

from ..definition.model import (
    ArticleBlock,
    Block,
    BoxBlock,
    FigureBlock,
    FlagBlock,
    HeadlineBlock,
    Report,
    RuleBlock,
)
from ..fonts.registry import FontRegistry
from .blocks.article import layout_article
from .blocks.box import layout_box
from .blocks.context import BlockContext
from .blocks.figure import layout_figure
from .blocks.furniture import layout_flag, layout_folio, layout_rule
from .blocks.headline import layout_headline
from .grid import PageGrid
from .model import DocumentLayout, PageLayout
from .text import Typesetter


def layout_block(ctx: BlockContext, block: Block) -> None:
    """Dispatch one block to its module."""
    if isinstance(block, ArticleBlock):
        layout_article(ctx, block)
    elif isinstance(block, HeadlineBlock):
        layout_headline(ctx, block)
    elif isinstance(block, FigureBlock):
        layout_figure(ctx, block)
    elif isinstance(block, BoxBlock):
        layout_box(ctx, block, layout_block)
    elif isinstance(block, RuleBlock):
        layout_rule(ctx, block)
    elif isinstance(block, FlagBlock):
        layout_flag(ctx, block)
    else:  # the definition stage only makes the types above
        raise TypeError(f"unknown block type {type(block).__name__}")


def layout_document(report: Report, registry: FontRegistry) -> DocumentLayout:
    ts = Typesetter(report, registry)
    doc = DocumentLayout(pages=[])
    for page in report.pages:
        grid = PageGrid.for_page(report, page.number)
        ctx = BlockContext(report, grid, ts, page.number)
        # boxes first, so their tints lie under everything else
        ordered = sorted(page.blocks, key=lambda b: not isinstance(b, BoxBlock | FlagBlock))
        for block in ordered:
            layout_block(ctx, block)
        layout_folio(ctx, page)
        doc.pages.append(
            PageLayout(
                number=page.number,
                name=page.name,
                width=report.paper.width,
                height=report.paper.height,
                items=ctx.items,
                grid_top=grid.top,
                line_pitch=grid.pitch,
            )
        )
        doc.overset += ctx.overset
        doc.underset += ctx.underset
        doc.warnings += ctx.warnings
    return doc
