"""Checks across the whole report: style references, unique ids, and block geometry.

Geometry rules: every block lies inside the grid; blocks on a page do not
overlap, except rules (a rule may be drawn over or beside anything) and figures
placed wholly inside an article (its text runs around them); a box's
children lie inside the box and do not overlap one another (rules again
excepted). Grid coordinates are 0-based here and shown 1-based in messages,
as the editor wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import SourcePos
from .blocks import BlockContext
from .model import (
    ArticleBlock,
    Block,
    BoxBlock,
    FigureBlock,
    Grid,
    Page,
    Placement,
    RuleBlock,
    walk_blocks,
)
from .reader import Problems, suggest
from .source import join_path

MAX_BLOCKS_PER_AREA = 500


def check_style_refs(ctx: BlockContext, styles: set[str]) -> None:
    for ref in ctx.style_refs:
        if ref.name not in styles:
            ctx.problems.error(
                ref.pos, ref.path, f"unknown style '{ref.name}'{suggest(ref.name, styles)}"
            )


def check_ids(ctx: BlockContext, pages: Sequence[Page]) -> None:
    seen: dict[str, SourcePos] = {}
    for block in walk_blocks(pages):
        pos = ctx.id_pos.get(id(block), block.pos)
        path = ctx.paths.get(id(block), "")
        if block.id in seen:
            first = seen[block.id]
            ctx.problems.error(
                pos,
                join_path(path, "id"),
                f"duplicate id '{block.id}': already used at line {first.line}; "
                "block ids must be unique in the report",
            )
        else:
            seen[block.id] = pos


def _describe(at: Placement) -> str:
    cols = (
        f"column {at.column + 1}"
        if at.span == 1
        else (f"columns {at.column + 1}–{at.column + at.span}")
    )
    lines = f"line {at.line + 1}" if at.lines == 1 else f"lines {at.line + 1}–{at.line + at.lines}"
    return f"{cols}, {lines}"


def _overlaps(a: Placement, b: Placement) -> bool:
    return (
        a.column < b.column + b.span
        and b.column < a.column + a.span
        and a.line < b.line + b.lines
        and b.line < a.line + a.lines
    )


def check_geometry(ctx: BlockContext, pages: Sequence[Page], grid: Grid) -> None:
    for page in pages:
        _check_area(ctx, page.blocks, None, grid, page.pos, f"page {page.number}")


def _check_area(
    ctx: BlockContext,
    blocks: Sequence[Block],
    box: BoxBlock | None,
    grid: Grid,
    pos: SourcePos,
    where: str,
) -> None:
    problems: Problems = ctx.problems
    if len(blocks) > MAX_BLOCKS_PER_AREA:
        problems.error(
            pos, "", f"{where} has {len(blocks)} blocks; at most {MAX_BLOCKS_PER_AREA} are allowed"
        )
        return
    placed: list[Block] = []
    for block in blocks:
        at = block.at
        path = join_path(ctx.paths.get(id(block), ""), "at")
        inside = True
        if at.column + at.span > grid.columns:
            problems.error(
                at.pos,
                path,
                f"the block reaches column {at.column + at.span}, but the grid has "
                f"{grid.columns} columns",
            )
            inside = False
        if at.line + at.lines > grid.lines:
            problems.error(
                at.pos,
                path,
                f"the block reaches line {at.line + at.lines}, but a column has {grid.lines} lines",
            )
            inside = False
        if box is not None and inside and not box.at.contains(at):
            problems.error(
                at.pos,
                path,
                f"a child of box '{box.id}' must lie inside it ({_describe(box.at)}), "
                f"but this one takes {_describe(at)}",
            )
            inside = False
        if not inside or isinstance(block, RuleBlock):
            continue
        for other in placed:
            if _overlaps(other.at, at) and not _runs_around(other, block):
                problems.error(
                    at.pos,
                    path,
                    f"overlaps block '{other.id}' ({_describe(other.at)}); blocks "
                    f"{'in a box' if box else 'on a page'} must not overlap (only rules may)",
                )
                break
        placed.append(block)
        if isinstance(block, BoxBlock):
            _check_area(ctx, block.children, block, grid, block.pos, f"box '{block.id}'")


def _runs_around(a: Block, b: Block) -> bool:
    """A figure placed wholly inside an article: the article's text runs around it."""
    for article, figure in ((a, b), (b, a)):
        if isinstance(article, ArticleBlock) and isinstance(figure, FigureBlock):
            return article.at.contains(figure.at)
    return False
