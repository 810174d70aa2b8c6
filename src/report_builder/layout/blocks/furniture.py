"""Rules, page flags and the folio (报眉): the furniture around the text."""

from __future__ import annotations

from ...definition.model import FlagBlock, Folio, Page, RuleBlock
from ...units import MM
from ..model import FilledRect, RuleLine
from .context import BlockContext


def layout_rule(ctx: BlockContext, block: RuleBlock) -> None:
    r = ctx.grid.rect(block.at)
    g = ctx.grid.gutter / 2
    x1, y1, x2, y2 = {
        "top": (r.x, r.top, r.right, r.top),
        "bottom": (r.x, r.y, r.right, r.y),
        "left": (r.x - g, r.y, r.x - g, r.top),
        "right": (r.right + g, r.y, r.right + g, r.top),
        "middle": (r.x, r.y + r.h / 2, r.right, r.y + r.h / 2),
    }[block.edge]
    ctx.items.append(RuleLine(x1, y1, x2, y2, block.width, block.color))


def layout_flag(ctx: BlockContext, block: FlagBlock) -> None:
    """A flag such as 这五年: large type on a tint, set vertically one character per line."""
    r = ctx.rect(block.at)
    if block.fill:
        ctx.items.append(FilledRect(r.x, r.y, r.w, r.h, block.fill))
    st = ctx.ts.style(block.style)
    ascent = ctx.ts.registry.face(st.font, st.weight).ascent
    if block.vertical:
        chars = list(block.text.text)
        step = min(st.size * 1.15, r.h / max(1, len(chars)))
        y_top = r.top - (r.h - step * len(chars)) / 2
        st1 = ctx.ts.variant(st, align="center", last_line="center", indent=0.0)
        for ch in chars:
            line = ctx.ts.compose(ch, st1, r.w).lines[0]
            ctx.text_line(
                r.x, y_top - (step - st.size) / 2 - ascent * st.size, line, block.id, "flag"
            )
            y_top -= step
        return
    st1 = ctx.ts.variant(st, align="center", last_line="center", indent=0.0)
    lines = ctx.ts.display_lines(block.text.text, st1, r.w)
    pitch = st.pitch or st.size * 1.2
    y_top = r.top - (r.h - pitch * len(lines)) / 2
    for line in lines:
        ctx.text_line(r.x, y_top - (pitch - st.size) / 2 - ascent * st.size, line, block.id, "flag")
        y_top -= pitch


def layout_folio(ctx: BlockContext, page: Page) -> None:
    """报眉 above the type area: page number outside, paper and date, page name, editors."""
    folio: Folio = page.folio
    if not folio.show:
        return
    grid, report = ctx.grid, ctx.report
    st = ctx.ts.style(folio.style)
    ascent = ctx.ts.registry.face(st.font, st.weight).ascent
    rule_y = grid.top + 2.5 * MM
    base = rule_y + 1.5 * MM + (1 - ascent) * st.size
    left_page = page.number % 2 == 0
    edition = report.edition
    number = f"第{page.number}版"
    date = _chinese_date(edition.date)
    outer = "  ".join(x for x in (number, folio.page_name or page.name) if x)
    middle = "  ".join(x for x in (edition.publication, date) if x)
    inner = folio.editors
    width = grid.width
    left_text, right_text = (outer, inner) if left_page else (inner, outer)
    for text, align in ((left_text, "left"), (middle, "center"), (right_text, "right")):
        if not text:
            continue
        s = ctx.ts.variant(st, align=align, last_line=align, indent=0.0)
        line = ctx.ts.display_lines(text, s, width)[0]
        ctx.text_line(grid.left, base, line, "folio", "folio")
    ctx.items.append(RuleLine(grid.left, rule_y, grid.left + width, rule_y, 0.5))
    ctx.items.append(RuleLine(grid.left, rule_y - 0.9, grid.left + width, rule_y - 0.9, 0.25))


def _chinese_date(iso: str) -> str:
    """2023-08-01 → 2023年8月1日 (the form a folio prints)."""
    try:
        y, m, d = (int(x) for x in iso.split("-"))
    except ValueError:
        return iso
    return f"{y}年{m}月{d}日"
