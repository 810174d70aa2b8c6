"""Articles: title, byline and paragraphs threaded through the module's own columns."""

from __future__ import annotations

from ...compose.model import ComposedParagraph, Line
from ...definition.model import ArticleBlock, Paragraph, Style
from ...errors import Diagnostic, Severity
from ..flow import FlowResult, Slot, flow
from ..grid import Rect
from ..model import Overset, RuleLine, TextLine, Underset
from ..text import line_chars, plain_text
from .context import BlockContext

RULE_WIDTH = 0.25


def _line_height(line: Line, pitch: float) -> tuple[int, float]:
    """Grid lines a body line needs (2 when emphasised figures are too big) and its largest size."""
    size = max((g.size for g in line.glyphs), default=0.0)
    if size <= pitch * 0.95:
        return 1, size
    return max(1, -int(-(size * 1.2) // pitch)), size


def _slots_for_paragraph(
    ctx: BlockContext, para: Paragraph, style: Style, width: float, tracking: float | None
) -> tuple[Slot, ...]:
    """The slots of a paragraph's lines; made once per composed paragraph and style in a
    build (pages that repeat an article take the same slots)."""
    composed = ctx.ts.compose(para.text.text, style, width, tracking=tracking)
    # composed and style by identity: the memo holds both, so their ids stay theirs
    key = ("slots", id(composed), id(style), para.kind, ctx.grid.pitch)
    hit = ctx.ts.memo.get(key)
    if hit is not None and hit[0] is composed and hit[1] is style:
        return hit[2]
    slots = tuple(_make_slots(ctx, para, style, composed))
    ctx.ts.memo[key] = (composed, style, slots)
    return slots


def _make_slots(
    ctx: BlockContext, para: Paragraph, style: Style, composed: ComposedParagraph
) -> list[Slot]:
    pitch = ctx.grid.pitch
    ascent = ctx.ts.registry.face(style.font, style.weight).ascent
    if para.kind == "subhead":
        height = ctx.ts.slot_lines(style, pitch)
        slots = []
        for k, line in enumerate(composed.lines):
            before = style.space_before if k == 0 else 0
            slots.append(
                Slot(
                    line,
                    style.size,
                    ascent,
                    height=height + before,
                    before=before,
                    keep_with_next=True,
                    role="subhead",
                    chars=line_chars(line),
                    first_of_paragraph=k == 0,
                )
            )
        return slots
    slots = []
    for k, line in enumerate(composed.lines):
        h, size = _line_height(line, pitch)
        before = style.space_before if k == 0 else 0
        slots.append(
            Slot(
                line,
                max(size, style.size),
                ascent,
                height=h + before,
                before=before,
                role=para.kind,
                chars=line_chars(line),
                first_of_paragraph=k == 0,
            )
        )
    return slots


def _style_for(block: ArticleBlock, para: Paragraph) -> str:
    if para.style:
        return para.style
    return {
        "subhead": block.subhead_style,
        "item": block.item_style,
    }.get(para.kind, block.lead_style if para.kind == "lead" else block.style)


def _flow_article(
    ctx: BlockContext,
    block: ArticleBlock,
    colw: float,
    capacity: int,
    tracking: float | None,
    blocked: list[frozenset[int]],
    size: float | None = None,
) -> FlowResult:
    slots: list[Slot] = []
    if block.byline:
        slots += _byline_slots(ctx, block.byline.text, ctx.ts.style(block.byline_style), colw)
    for para in block.paragraphs:
        name = _style_for(block, para)
        st = ctx.ts.style(name)
        if size is not None and name == block.style:
            st = ctx.ts.variant(st, size=size)
        slots += _slots_for_paragraph(ctx, para, st, colw, tracking)
    # the same slots (by identity) in the same frame flow the same way on every page
    key = ("flow", *map(id, slots), block.columns, capacity, block.balance, *blocked)
    hit = ctx.ts.memo.get(key)
    if hit is not None:
        return hit
    result = flow(slots, block.columns, capacity, balance=block.balance, blocked=blocked)
    ctx.ts.memo[key] = result  # its slots are held by the slot memo, so their ids stay theirs
    return result


def _byline_slots(ctx: BlockContext, text: str, st: Style, colw: float) -> tuple[Slot, ...]:
    composed = ctx.ts.compose(text, st, colw)
    key = ("byline", id(composed), id(st))
    hit = ctx.ts.memo.get(key)
    if hit is not None and hit[0] is composed and hit[1] is st:
        return hit[2]
    ascent = ctx.ts.registry.face(st.font, st.weight).ascent
    slots = [
        Slot(ln, st.size, ascent, role="byline", chars=line_chars(ln)) for ln in composed.lines
    ]
    if st.space_after and slots:
        slots.append(Slot(None, st.size, ascent, height=st.space_after, role="space"))
    ctx.ts.memo[key] = (composed, st, tuple(slots))
    return tuple(slots)


def _copyfit(
    ctx: BlockContext,
    block: ArticleBlock,
    colw: float,
    capacity: int,
    blocked: list[frozenset[int]],
) -> tuple[FlowResult, str | None]:
    """Fit the text to its module within the style's copyfit bounds; say what changed.

    Overset text is tightened first (tracking in 0.005-em steps down to
    ``tracking_min``), then set in each of ``size_steps`` in turn (the line pitch
    stays, so the grid holds). An underset module is loosened up to
    ``tracking_max`` only while that fills more lines.
    """
    result = _flow_article(ctx, block, colw, capacity, None, blocked)
    st = ctx.ts.style(block.style)
    bounds = st.copyfit
    if not block.copyfit or bounds is None:
        return result, None
    if result.overset:
        tighter = [-(k / 200) for k in range(0, 41) if -(k / 200) >= bounds.tracking_min - 1e-9]
        for size in (None, *bounds.size_steps):
            for t in tighter:
                if size is None and t == 0:
                    continue
                trial = _flow_article(ctx, block, colw, capacity, st.tracking + t, blocked, size)
                if not trial.overset:
                    what = f"tracking {t:+.3f} em"
                    if size is not None:
                        what = f"size {size:g} pt, " + what
                    return trial, what
        return result, None
    best, chosen = result, None
    for t in (k / 200 for k in range(1, 41) if k / 200 <= bounds.tracking_max + 1e-9):
        trial = _flow_article(ctx, block, colw, capacity, st.tracking + t, blocked)
        if trial.overset or min(trial.column_heights) <= min(best.column_heights):
            break
        best, chosen = trial, f"tracking {t:+.3f} em"
        if min(trial.column_heights) >= capacity - 1:
            break
    return best, chosen


def layout_article(ctx: BlockContext, block: ArticleBlock) -> None:
    r = ctx.rect(block.at)
    pitch = ctx.grid.pitch
    top = r.top
    header = 0
    if block.title:
        st = ctx.ts.style(block.title_style)
        ascent = ctx.ts.registry.face(st.font, st.weight).ascent
        per = ctx.ts.slot_lines(st, pitch)
        for line in ctx.ts.display_lines(block.title.text, st, r.w):
            y = ctx.slot_baseline(top - header * pitch, per, st.size, ascent)
            ctx.text_line(r.x, y, line, block.id, "title")
            header += per
        header += st.space_after
    capacity = block.at.lines - header
    n = block.columns
    colw = (r.w - (n - 1) * ctx.grid.gutter) / n
    xs = [r.x + i * (colw + ctx.grid.gutter) for i in range(n)]
    text_top = top - header * pitch
    figures = _figures_inside(ctx, block)
    blocked = _blocked_lines(ctx, block, figures, xs, colw, header, capacity)
    result, tracking = _copyfit(ctx, block, colw, capacity, blocked)
    ctx.items += [
        TextLine(xs[column], y, glyphs, block.id, role)
        for column, y, glyphs, role in _baselines(ctx, result, text_top)
    ]
    if block.column_rules and n > 1:
        for i in range(1, n):
            x = xs[i] - ctx.grid.gutter / 2
            y1 = text_top - pitch * 0.25
            for fr in sorted(
                (f for f in figures if f.x < x < f.right), key=lambda f: -f.top
            ):  # the rule stops above a figure that straddles it and goes on below
                if fr.top < y1:
                    ctx.items.append(RuleLine(x, y1, x, fr.top + pitch * 0.25, RULE_WIDTH))
                y1 = min(y1, fr.y - pitch * 0.25)
            if y1 > r.y + pitch * 0.25:
                ctx.items.append(RuleLine(x, y1, x, r.y + pitch * 0.25, RULE_WIDTH))
    if tracking is not None:
        ctx.warnings.append(
            Diagnostic(
                block.pos,
                f"copyfit: {tracking} makes article '{block.id}' fit",
                path=f"{block.id}",
                severity=Severity.WARNING,
            )
        )
    if result.overset:
        lines, chars = result.overset_lines, result.overset_chars
        first = next((s.line for s in result.overset if s.line is not None), None)
        snippet = plain_text(first.text[:12]) if first else ""
        diag = Diagnostic(
            block.pos,
            f"article '{block.id}' is overset on page {ctx.page}: {lines} line(s), "
            f"{chars} character(s) do not fit (from “{snippet}…”); shorten the text"
            + (
                ", give the module more lines or widen the copyfit bounds of its style"
                if block.copyfit
                else ", give the module more lines, or set copyfit: true"
            ),
            severity=Severity.WARNING,
        )
        ctx.overset.append(Overset(block.id, ctx.page, lines, chars, diag))
        _overset_marker(ctx, r.right, r.y)
    else:
        empty = max(
            (  # lines below the text that no figure takes
                max(0, capacity - h) - sum(1 for ln in blocked[c] if h <= ln < capacity)
                for c, h in enumerate(result.column_heights)
            ),
            default=capacity,
        )
        if empty > 1:
            ctx.underset.append(Underset(block.id, ctx.page, empty))


def _baselines(ctx: BlockContext, result: FlowResult, text_top: float) -> list[tuple]:
    """(column, baseline, glyphs, role) of each placed line with glyphs; worked out once
    per flow and text top in a build (a repeated page puts the same lines at the same y)."""
    pitch = ctx.grid.pitch
    key = ("baselines", id(result), text_top, pitch)  # the flow memo holds the result
    found = ctx.ts.memo.get(key)
    if found is None:
        found = []
        for p in result.placed:
            s = p.slot
            if s.line is None or not s.line.glyphs:
                continue
            region_top = text_top - (p.line + s.before) * pitch
            y = ctx.slot_baseline(region_top, s.height - s.before, s.size, s.ascent)
            found.append((p.column, y, s.line.glyphs, s.role))
        ctx.ts.memo[key] = found
    return found


def _figures_inside(ctx: BlockContext, block: ArticleBlock) -> list[Rect]:
    """Frames of the figures placed inside this article (its text runs around them)."""
    from ...definition.model import FigureBlock

    frames = []
    for other in ctx.siblings:
        if isinstance(other, FigureBlock) and block.at.contains(other.at):
            frames.append(ctx.grid.rect(other.at))
    return frames


def _blocked_lines(
    ctx: BlockContext,
    block: ArticleBlock,
    figures: list[Rect],
    xs: list[float],
    colw: float,
    header: int,
    capacity: int,
) -> list[frozenset[int]]:
    """Per module column, the text lines a figure covers (plus a line of air below it)."""
    blocked: list[set[int]] = [set() for _ in xs]
    pitch = ctx.grid.pitch
    text_top = ctx.grid.line_top(block.at.line + header)
    for fr in figures:
        first = round((text_top - fr.top) / pitch)
        last = round((text_top - fr.y) / pitch)  # exclusive
        # a blank line between the figure and the text above it and below its caption
        first = first - 1 if first > 0 else first
        last = last + 1 if last < capacity else last
        for c, x in enumerate(xs):
            if x < fr.right - 0.5 and x + colw > fr.x + 0.5:
                blocked[c].update(range(max(0, first), min(capacity, last)))
    return [frozenset(b) for b in blocked]


def _overset_marker(ctx: BlockContext, right: float, bottom: float) -> None:
    """A small magenta box with a plus at the module's foot, as InDesign shows overset."""
    from ..model import FilledRect

    s = 6.0
    x, y = right - s, bottom
    magenta = (0.0, 1.0, 0.0, 0.0)
    ctx.items.append(FilledRect(x, y, s, s, None, magenta, 0.6))
    ctx.items.append(RuleLine(x + 1.5, y + s / 2, x + s - 1.5, y + s / 2, 0.6, magenta))
    ctx.items.append(RuleLine(x + s / 2, y + 1.5, x + s / 2, y + s - 1.5, 0.6, magenta))
