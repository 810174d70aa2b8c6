"""Pages: every block of a page dispatched to its module, then the folio."""

from __future__ import annotations

import gc

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
from .model import DocumentLayout, PageLayout, RuleLine
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


MODULE_RULE_WIDTH = 0.25


def module_rules(blocks, grid: PageGrid) -> list[RuleLine]:
    """栏线 between side-by-side modules: a hairline in the gutter where two modules meet."""
    modules = [b for b in blocks if isinstance(b, ArticleBlock | FigureBlock | BoxBlock)]
    rules: list[RuleLine] = []
    for a in modules:
        for b in modules:
            if a.at.column + a.at.span != b.at.column:
                continue
            top = max(a.at.line, b.at.line)
            bottom = min(a.at.line + a.at.lines, b.at.line + b.at.lines)
            if bottom <= top:
                continue
            x = grid.column_x(b.at.column) - grid.gutter / 2
            y1 = grid.line_top(top) - grid.pitch * 0.25
            y2 = grid.line_top(bottom) + grid.pitch * 0.25
            rules.append(RuleLine(x, y1, x, y2, MODULE_RULE_WIDTH))
    return rules


def layout_document(report: Report, registry: FontRegistry) -> DocumentLayout:
    """Every page of ``report``, with the cyclic GC paused: composing and laying out make
    tens of thousands of small objects and no cycles, and each collection pass would walk
    them all again (~4 ms of a default build with the default GC thresholds)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _layout_pages(report, registry)
    finally:
        if paused:
            gc.enable()


def _layout_pages(report: Report, registry: FontRegistry) -> DocumentLayout:
    ts = Typesetter(report, registry)
    doc = DocumentLayout(pages=[])
    for page in report.pages:
        grid = PageGrid.for_page(report, page.number)
        ctx = BlockContext(report, grid, ts, page.number, siblings=page.blocks)
        # boxes first, so their tints lie under everything else
        ordered = sorted(page.blocks, key=lambda b: not isinstance(b, BoxBlock | FlagBlock))
        for block in ordered:
            layout_block(ctx, block)
        ctx.items += module_rules(page.blocks, grid)
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
