"""Pages and their blocks: headline, article, figure, box, rule, flag.

Each reader returns the model object, or None when the block has a problem
(all of its problems are reported first). Style names, ids, paths and the
geometry are checked across the whole report afterwards, in ``checks``.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from ..errors import SourcePos
from ..records import record
from .images import check_image
from .model import (
    ArticleBlock,
    Block,
    BoxBlock,
    FigureBlock,
    FlagBlock,
    Folio,
    HeadlineBlock,
    Page,
    Paragraph,
    Placement,
    RuleBlock,
    Text,
)
from .paths import resolve_path
from .reader import (
    Fields,
    Invalid,
    Problems,
    as_bool,
    as_choice,
    as_cmyk,
    as_int,
    as_length,
    as_list,
    as_name,
    as_number,
    as_text,
    describe,
    suggest,
)
from .source import YMap, YNode, YScalar, YSeq, join_path
from .texts import SourceText, display_text, paragraphs_from_text, running_text

BLOCK_TYPES = ("headline", "article", "figure", "box", "rule", "flag")
COMMON = ("type", "id", "at")
BLOCK_FIELDS: dict[str, tuple[str, ...]] = {
    "headline": ("kicker", "main", "deck", "align", "main_style", "kicker_style", "deck_style"),
    "article": (
        "columns",
        "title",
        "byline",
        "text",
        "paragraphs",
        "style",
        "title_style",
        "subhead_style",
        "item_style",
        "byline_style",
        "lead_style",
        "balance",
        "column_rules",
        "copyfit",
    ),
    "figure": (
        "image",
        "caption",
        "credit",
        "fit",
        "focus",
        "caption_style",
        "credit_style",
        "caption_lines",
    ),
    "box": ("title", "title_style", "fill", "stroke", "stroke_width", "padding", "children"),
    "rule": ("edge", "width", "color"),
    "flag": ("text", "style", "vertical", "fill"),
}
ANY_BLOCK_FIELD = frozenset(COMMON).union(*BLOCK_FIELDS.values())
# field names as sets, made once (Fields would make one per mapping read)
_KNOWN = {kind: frozenset((*COMMON, *names)) for kind, names in BLOCK_FIELDS.items()}
PLACEMENT_FIELDS = ("column", "span", "line", "lines")
PAGE_FIELDS = ("number", "name", "folio", "blocks")
FOLIO_FIELDS = ("page_name", "editors", "style", "show")
PARAGRAPH_KINDS = ("body", "subhead", "item", "lead")
PARAGRAPH_FIELDS = (*PARAGRAPH_KINDS, "style", "editorial")
MAX_GRID = 999
_PLACEMENT_KNOWN = frozenset(PLACEMENT_FIELDS)
_PAGE_KNOWN = frozenset(PAGE_FIELDS)
_FOLIO_KNOWN = frozenset(FOLIO_FIELDS)
_PARAGRAPH_KNOWN = frozenset(PARAGRAPH_FIELDS)

# converters made once (each as_… call builds a closure)
_PAGE_NUMBER = as_int(1, 9999, "a page number")
_COLUMN = as_int(1, MAX_GRID, "a column number (1 = first)")
_SPAN = as_int(1, MAX_GRID, "a number of columns")
_LINE = as_int(1, 99_999, "a line number (1 = first)")
_LINES = as_int(1, 99_999, "a number of lines")
_BLOCK_TYPE = as_choice(BLOCK_TYPES, "block type")
_HEADLINE_ALIGN = as_choice(("center", "left", "right"), "alignment")
_FIT = as_choice(("fill", "fit"), "fit")
_EDGE = as_choice(("top", "bottom", "left", "right"), "edge")
_STROKE_WIDTH = as_length(0.0, 20.0)
_PADDING = as_length(0.0, 200.0)
_RULE_WIDTH = as_length(0.0, 50.0, positive=True)
_FRACTION = as_number(0.0, 1.0, "a number from 0 to 1")


@record
class StyleRef:
    """A style named by a field, checked once every style is known."""

    name: str
    pos: SourcePos
    path: str


@record
class BlockContext:
    """What block readers share: problems, the source text, and what checks need later."""

    problems: Problems
    src: SourceText
    base_dir: Path
    allow_outside: bool
    style_refs: list[StyleRef] = field(default_factory=list)
    ids: dict[str, tuple[SourcePos, str]] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)  # id(block) → field path
    id_pos: dict[int, SourcePos] = field(default_factory=dict)
    real_dirs: dict[str, str] = field(default_factory=dict)  # folders resolved, see paths

    def style(self, f: Fields, name: str, default: str) -> str:
        """A style name field; the reference is checked once all styles are known."""
        value = f.get(name, as_name, None)
        if value is None:
            return default
        node = f.node(name)
        self.style_refs.append(StyleRef(value, node.pos if node else f.pos, f.field_path(name)))
        return value


def read_pages(node: YNode | None, path: str, ctx: BlockContext, pos: SourcePos) -> list[Page]:
    if node is None:
        ctx.problems.error(pos, "", "missing required field 'pages'")
        return []
    if not isinstance(node, YSeq):
        ctx.problems.error(node.pos, path, f"expected a list of pages, got {describe(node)}")
        return []
    if not node.items:
        ctx.problems.error(node.pos, path, "the report has no pages")
    pages = []
    numbers: dict[int, SourcePos] = {}
    for i, pnode in enumerate(node.items):
        ppath = f"{path}[{i}]"
        page = _read_page(pnode, ppath, ctx, i)
        if page is None:
            continue
        if page.number in numbers:
            first = numbers[page.number]
            num = pnode.items.get("number") if isinstance(pnode, YMap) else None
            if num:
                message = f"page number {page.number} is used twice (first at line {first.line})"
            else:
                message = (
                    f"this page is number {page.number} by its place in the list, but the page "
                    f"at line {first.line} has that number; give it a number:"
                )
            ctx.problems.error(num[1].pos if num else page.pos, join_path(ppath, "number"), message)
        numbers.setdefault(page.number, page.pos)
        pages.append(page)
    return pages


def _read_page(node: YNode, path: str, ctx: BlockContext, index: int) -> Page | None:
    f = Fields(node, path, ctx.problems, _PAGE_KNOWN, what="a page (number, name, blocks)")
    if not isinstance(node, YMap):
        return None
    number = f.get("number", _PAGE_NUMBER, index + 1)
    name = f.get("name", as_text, "")
    folio = _read_folio(f, ctx, name)
    blocks: list[Block] = []
    bnode = f.node("blocks")
    if bnode is None:
        f.fail(f.pos, path, "missing required field 'blocks'")
    elif not isinstance(bnode, YSeq):
        f.fail(
            bnode.pos, f.field_path("blocks"), f"expected a list of blocks, got {describe(bnode)}"
        )
    else:
        if not bnode.items:
            f.fail(bnode.pos, f.field_path("blocks"), "the page has no blocks")
        for j, item in enumerate(bnode.items):
            block = read_block(item, f"{path}.blocks[{j}]", ctx)
            if block is not None:
                blocks.append(block)
    return Page(number=number, name=name, blocks=tuple(blocks), folio=folio, pos=f.pos)


def _read_folio(page: Fields, ctx: BlockContext, page_name: str) -> Folio:
    node = page.node("folio")
    if node is None:
        return Folio(page_name=page_name)
    if isinstance(node, YScalar) and isinstance(node.value, bool):
        return Folio(page_name=page_name, show=node.value)
    f = Fields(node, page.field_path("folio"), ctx.problems, _FOLIO_KNOWN, what="a folio mapping")
    folio = Folio(
        page_name=f.get("page_name", as_text, page_name),
        editors=f.get("editors", as_text, ""),
        style=ctx.style(f, "style", "folio"),
        show=f.get("show", as_bool, True),
    )
    if not f.ok:
        page.ok = False
    return folio


def read_placement(node: YNode, path: str, problems: Problems) -> Placement | None:
    f = Fields(
        node,
        path,
        problems,
        _PLACEMENT_KNOWN,
        what="a placement such as {column: 1, span: 3, line: 1, lines: 20}",
    )
    if not isinstance(node, YMap):
        return None
    column = f.get("column", _COLUMN, 1, required=True)
    span = f.get("span", _SPAN, 1, required=True)
    line = f.get("line", _LINE, 1, required=True)
    lines = f.get("lines", _LINES, 1, required=True)
    if not f.ok:
        return None
    return Placement(column - 1, span, line - 1, lines, pos=node.pos)


def read_block(node: YNode, path: str, ctx: BlockContext) -> Block | None:
    """One block of any type; None (with problems reported) when it cannot be used."""
    problems = ctx.problems
    if not isinstance(node, YMap):
        problems.error(
            node.pos, path, f"expected a block (a mapping with type:), got {describe(node)}"
        )
        return None
    type_item = node.items.get("type")
    if type_item is None:
        problems.error(
            node.pos, path, f"missing required field 'type' (one of {', '.join(BLOCK_TYPES)})"
        )
        # without a type the fields cannot be checked one by one; a name no block type
        # knows is still worth naming, since a misspelt 'type' is the likely cause
        for name in node.items:
            if name not in ANY_BLOCK_FIELD:
                problems.error(
                    node.key_pos(name),
                    path,
                    f"unknown field '{name}'{suggest(name, ANY_BLOCK_FIELD)}",
                )
        return None
    try:
        btype = _BLOCK_TYPE(type_item[1])
    except Invalid as exc:
        problems.error(type_item[1].pos, join_path(path, "type"), str(exc))
        return None
    f = Fields(node, path, problems, _KNOWN[btype])
    block_id = f.get("id", as_name, None)
    if block_id is None:
        block_id = path  # unique, and the name every message uses for this block
    at = None
    at_node = f.node("at")
    if at_node is None:
        f.fail(f.pos, path, "missing required field 'at' (where the block sits on the grid)")
    else:
        at = read_placement(at_node, f.field_path("at"), problems)
        if at is None:
            f.ok = False
    reader = _READERS[btype]
    # an unusable placement is reported already; a huge one keeps its checks from misfiring
    block = reader(f, ctx, block_id, at or Placement(0, MAX_GRID, 0, 99_999), node.pos)
    if not f.ok or block is None or at is None:
        return None
    if f.has("id"):
        id_node = f.node("id")
        assert id_node is not None
        ctx.id_pos[id(block)] = id_node.pos
    ctx.paths[id(block)] = path
    return block


def _headline(f: Fields, ctx: BlockContext, bid: str, at: Placement, pos: SourcePos):
    main = f.get("main", display_text, None, required=True)
    block = HeadlineBlock(
        id=bid,
        at=at,
        pos=pos,
        main=main or Text(""),
        kicker=f.get("kicker", display_text, None),
        deck=f.get("deck", display_text, None),
        align=f.get("align", _HEADLINE_ALIGN, "center"),
        main_style=ctx.style(f, "main_style", "headline"),
        kicker_style=ctx.style(f, "kicker_style", "kicker"),
        deck_style=ctx.style(f, "deck_style", "deck"),
    )
    return block if main is not None else None


def _article(f: Fields, ctx: BlockContext, bid: str, at: Placement, pos: SourcePos):
    paragraphs: list[Paragraph] = []
    text_node, list_node = f.node("text"), f.node("paragraphs")
    if text_node is not None and list_node is not None:
        f.fail(
            f.key_pos("paragraphs"),
            f.path,
            "use either text: or paragraphs: in one article, not both",
        )
    elif text_node is not None:
        before = len(ctx.problems.items)
        try:
            paragraphs = paragraphs_from_text(
                text_node, ctx.src, ctx.problems, f.field_path("text")
            )
        except Invalid as exc:
            f.fail(text_node.pos, f.field_path("text"), str(exc))
        if len(ctx.problems.items) > before:
            f.ok = False
    elif list_node is not None:
        paragraphs = _paragraph_list(f, ctx, list_node)
    else:
        f.fail(f.pos, f.path, "an article needs its text: add text: or paragraphs:")
        return None
    if f.ok and not paragraphs:
        node = text_node or list_node
        assert node is not None
        f.fail(node.pos, f.path, "the article is empty: give it some text or remove the block")
    return ArticleBlock(
        id=bid,
        at=at,
        pos=pos,
        paragraphs=tuple(paragraphs),
        columns=f.get("columns", as_int(1, 2 * max(at.span, 1), "a number of columns"), at.span),
        title=f.get("title", display_text, None),
        byline=f.get("byline", running_text, None),
        style=ctx.style(f, "style", "body"),
        title_style=ctx.style(f, "title_style", "title"),
        subhead_style=ctx.style(f, "subhead_style", "subhead"),
        item_style=ctx.style(f, "item_style", "item"),
        byline_style=ctx.style(f, "byline_style", "byline"),
        lead_style=ctx.style(f, "lead_style", "lead"),
        balance=f.get("balance", as_bool, True),
        column_rules=f.get("column_rules", as_bool, True),
        copyfit=f.get("copyfit", as_bool, False),
    )


def _paragraph_list(f: Fields, ctx: BlockContext, node: YNode) -> list[Paragraph]:
    path = f.field_path("paragraphs")
    try:
        items = as_list(node)
    except Invalid as exc:
        f.fail(node.pos, path, str(exc))
        return []
    out = []
    for i, item in enumerate(items):
        if isinstance(item, YScalar):
            try:
                text = running_text(item)
            except Invalid as exc:
                f.fail(item.pos, f"{path}[{i}]", str(exc))
                continue
            out.append(Paragraph(text, pos=text.pos))  # the item's place, as the text's
            continue
        ipath = f"{path}[{i}]"
        pf = Fields(
            item,
            ipath,
            ctx.problems,
            _PARAGRAPH_KNOWN,
            what="a paragraph: text, or {subhead: …}, {item: …}, {lead: …}",
        )
        if not isinstance(item, YMap):
            f.ok = False
            continue
        kinds = [k for k in PARAGRAPH_KINDS if k in pf.items]
        if len(kinds) != 1:
            pf.fail(
                item.pos,
                ipath,
                "a paragraph needs exactly one of body:, subhead:, item: or lead:"
                + (f" (found {', '.join(kinds)})" if kinds else ""),
            )
            f.ok = False
            continue
        kind = kinds[0]
        text = pf.get(kind, running_text, None, required=True)
        style = ctx.style(pf, "style", "") or None
        editorial = pf.get("editorial", as_bool, False)
        if not pf.ok or text is None:
            f.ok = False
            continue
        out.append(Paragraph(text, kind=kind, style=style, editorial=editorial, pos=item.pos))
    return out


def _figure(f: Fields, ctx: BlockContext, bid: str, at: Placement, pos: SourcePos):
    def image(node: YNode) -> Path:
        path = resolve_path(node, ctx.base_dir, ctx.allow_outside, "image", ctx.real_dirs)
        check_image(path, as_text(node).strip())
        return path

    path = f.get("image", image, None, required=True)
    image_node = f.node("image")
    focus = f.get("focus", _focus, (0.5, 0.5))
    block = FigureBlock(
        id=bid,
        at=at,
        pos=pos,
        image=path or Path(),
        caption=f.get("caption", running_text, None),
        credit=f.get("credit", running_text, None),
        fit=f.get("fit", _FIT, "fill"),
        focus=focus,
        caption_style=ctx.style(f, "caption_style", "caption"),
        credit_style=ctx.style(f, "credit_style", "credit"),
        caption_lines=f.get(
            "caption_lines", as_int(0, max(at.lines - 1, 0), "a number of lines"), None
        ),
        image_pos=image_node.pos if image_node is not None else pos,
    )
    return block if path is not None else None


def _focus(node: YNode) -> tuple[float, float]:
    if not isinstance(node, YSeq) or len(node.items) != 2:
        raise Invalid("expected a focal point [x, y] with x and y from 0 to 1, e.g. [0.5, 0.4]")
    x, y = (_FRACTION(n) for n in node.items)
    return (x, y)


def _box(f: Fields, ctx: BlockContext, bid: str, at: Placement, pos: SourcePos):
    children: list[Block] = []
    cnode = f.node("children")
    if cnode is not None:
        if not isinstance(cnode, YSeq):
            f.fail(cnode.pos, f.field_path("children"), "expected a list of blocks")
        else:
            for j, item in enumerate(cnode.items):
                child = read_block(item, f"{f.path}.children[{j}]", ctx)
                if child is None:
                    f.ok = False
                else:
                    children.append(child)
    return BoxBlock(
        id=bid,
        at=at,
        pos=pos,
        children=tuple(children),
        title=f.get("title", display_text, None),
        title_style=ctx.style(f, "title_style", "box-title"),
        fill=f.get("fill", as_cmyk, None),
        stroke=f.get("stroke", as_cmyk, None),
        stroke_width=f.get("stroke_width", _STROKE_WIDTH, 0.5),
        padding=f.get("padding", _PADDING, 6.0),
    )


def _rule(f: Fields, ctx: BlockContext, bid: str, at: Placement, pos: SourcePos):
    return RuleBlock(
        id=bid,
        at=at,
        pos=pos,
        edge=f.get("edge", _EDGE, "top"),
        width=f.get("width", _RULE_WIDTH, 0.25),
        color=f.get("color", as_cmyk, (0.0, 0.0, 0.0, 1.0)),
    )


def _flag(f: Fields, ctx: BlockContext, bid: str, at: Placement, pos: SourcePos):
    text = f.get("text", display_text, None, required=True)
    block = FlagBlock(
        id=bid,
        at=at,
        pos=pos,
        text=text or Text(""),
        style=ctx.style(f, "style", "flag"),
        vertical=f.get("vertical", as_bool, False),
        fill=f.get("fill", as_cmyk, None),
    )
    return block if text is not None else None


_READERS = {
    "headline": _headline,
    "article": _article,
    "figure": _figure,
    "box": _box,
    "rule": _rule,
    "flag": _flag,
}

__all__ = ["BLOCK_TYPES", "BlockContext", "StyleRef", "read_block", "read_pages", "suggest"]
