"""The typed model of a report definition: what report.yaml means, after validation.

Every length is in PDF points, every colour CMYK in 0..1, grid coordinates are
0-based (report.yaml writes them 1-based, as an editor counts columns on paper).
Each object keeps ``pos``, its place in the source, so later stages can point
at the YAML when something does not fit. The classes are frozen dataclasses made
with ``@record``, which compiles nothing at import (``@dataclass`` took 12 ms here).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import field
from pathlib import Path

from ..errors import SourcePos
from ..records import record

CMYK = tuple[float, float, float, float]
BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)

_NOWHERE = SourcePos("<default>")


@record
class Edition:
    id: str
    title: str
    publication: str = ""
    date: str = ""  # ISO 8601 date, e.g. 2023-08-01; used for PDF dates (never the clock)
    language: str = "zh-Hans"
    pos: SourcePos = _NOWHERE


@record
class Paper:
    """Trim size, margins around the type area (版心), bleed."""

    width: float
    height: float
    margin_top: float
    margin_bottom: float
    margin_inside: float
    margin_outside: float
    bleed: float = 3 * 72 / 25.4
    pos: SourcePos = _NOWHERE


@record
class Grid:
    """The basic column grid and line grid of the type area.

    ``column_width`` and ``lines`` are derived at validation when not given:
    columns fill the type-area width with the gutters; lines are the whole
    number of pitches that fit the type-area height.
    """

    columns: int
    column_width: float
    gutter: float
    line_pitch: float
    lines: int
    body_style: str = "body"
    pos: SourcePos = _NOWHERE


@record
class Copyfit:
    """Bounds within which an article may be fitted to its module."""

    tracking_min: float = -0.05  # em per character
    tracking_max: float = 0.05
    size_steps: tuple[float, ...] = ()  # alternative sizes in pt, tried in order


@record
class Style:
    """A named paragraph style, inheritance already resolved."""

    name: str
    font: str = "song"  # role: song, hei, kai, fangsong
    weight: str = "regular"  # regular, bold (the weights the registry offers for the role)
    size: float = 9.0
    pitch: float | None = None  # line pitch in pt; None = the grid's line pitch
    indent: float = 2.0  # first-line indent in em
    hanging: float = 0.0  # indent of lines after the first, in em (list items)
    align: str = "justify"  # justify, left, center, right
    last_line: str = "left"  # alignment of a paragraph's last line
    color: CMYK = BLACK
    tracking: float = 0.0  # em added after every character
    strictness: str = "gb"  # basic, gb, strict (clreq prohibition levels)
    adjacent_punct: float = 1.5  # em taken by two adjacent full-width marks (1.5 or 1.0)
    space_before: int = 0  # whole grid lines before a paragraph of this style
    space_after: int = 0
    emphasis: str | None = None  # style used for **text** spans
    copyfit: Copyfit | None = None
    pos: SourcePos = _NOWHERE


@record
class Output:
    standard: str = "pdf/x-4"  # pdf/x-4, pdf/x-1a, none
    icc_profile: Path | None = None  # None = the shipped default CMYK profile
    output_condition: str = ""
    marks: tuple[str, ...] = ("crop",)  # crop, registration, colour-bars
    image_ppi: float = 300.0
    min_image_ppi: float = 200.0
    ink_limit: float = 2.4  # maximum total ink, 1.0 = 100 %
    min_text_size: float = 5.0
    pos: SourcePos = _NOWHERE


@record
class FontDecl:
    """An editor's own face for a role and weight (TTF, OTF or TTC)."""

    role: str
    weight: str
    path: Path
    index: int = 0
    pos: SourcePos = _NOWHERE


@record
class Placement:
    """Where a block sits on the page grid (0-based column and line)."""

    column: int
    span: int
    line: int
    lines: int
    pos: SourcePos = _NOWHERE

    def __init__(self, column: int, span: int, line: int, lines: int, pos: SourcePos = _NOWHERE):
        # written out, as for Text and Paragraph below: one per block (twice as fast)
        self.__dict__.update(column=column, span=span, line=line, lines=lines, pos=pos)

    def contains(self, inner: Placement) -> bool:
        """Whether ``inner`` lies wholly inside this placement."""
        return (
            self.column <= inner.column
            and inner.column + inner.span <= self.column + self.span
            and self.line <= inner.line
            and inner.line + inner.lines <= self.line + self.lines
        )


@record
class Text:
    """A piece of text with its source position. ``**x**`` marks an emphasis span."""

    text: str
    pos: SourcePos = _NOWHERE

    def __init__(self, text: str, pos: SourcePos = _NOWHERE) -> None:
        state = self.__dict__
        state["text"] = text
        state["pos"] = pos


@record
class Paragraph:
    """One paragraph of an article: body text, a subhead, or a ◆ list item."""

    text: Text
    kind: str = "body"  # body, subhead, item, lead
    style: str | None = None  # overrides the article's style for this kind
    editorial: bool = False  # a heading added by the editor, not in the source
    pos: SourcePos = _NOWHERE

    def __init__(
        self,
        text: Text,
        kind: str = "body",
        style: str | None = None,
        editorial: bool = False,
        pos: SourcePos = _NOWHERE,
    ) -> None:
        self.__dict__.update(text=text, kind=kind, style=style, editorial=editorial, pos=pos)


@record
class Block:
    id: str
    at: Placement
    pos: SourcePos


@record
class HeadlineBlock(Block):
    """引题 (kicker), 主题 (main), 副题 (deck), set across the module."""

    main: Text
    kicker: Text | None = None
    deck: Text | None = None
    align: str = "center"
    main_style: str = "headline"
    kicker_style: str = "kicker"
    deck_style: str = "deck"


@record
class ArticleBlock(Block):
    """Text threaded through the module's own columns (which may break the basic grid)."""

    paragraphs: tuple[Paragraph, ...]
    columns: int = 1
    title: Text | None = None
    byline: Text | None = None
    style: str = "body"
    title_style: str = "title"
    subhead_style: str = "subhead"
    item_style: str = "item"
    byline_style: str = "byline"
    lead_style: str = "lead"  # paragraphs of kind "lead" (导语)
    balance: bool = True
    column_rules: bool = True
    copyfit: bool = False


@record
class FigureBlock(Block):
    """A photo cropped to its frame, with a caption below it."""

    image: Path
    caption: Text | None = None
    credit: Text | None = None
    fit: str = "fill"  # fill (crop to frame) or fit (letterbox)
    focus: tuple[float, float] = (0.5, 0.5)  # focal point for cropping, 0..1
    caption_style: str = "caption"
    credit_style: str = "credit"
    caption_lines: int | None = None  # lines reserved for the caption; None = as needed
    image_pos: SourcePos = _NOWHERE  # the image: value, where a problem with the file points


@record
class BoxBlock(Block):
    """A tinted or ruled container; its children are placed on the same page grid."""

    children: tuple[Block, ...] = ()
    title: Text | None = None
    title_style: str = "box-title"
    fill: CMYK | None = None
    stroke: CMYK | None = None
    stroke_width: float = 0.5
    padding: float = 6.0  # horizontal inset of the children's text, pt


@record
class RuleBlock(Block):
    """A rule along the top, bottom, left or right edge of its placement."""

    edge: str = "top"  # top, bottom, left, right
    width: float = 0.25
    color: CMYK = BLACK


@record
class FlagBlock(Block):
    """A page flag such as 这五年: short large text, optionally vertical, on a tint."""

    text: Text = field(default_factory=lambda: Text(""))
    style: str = "flag"
    vertical: bool = False
    fill: CMYK | None = None


@record
class Folio:
    """报眉: the running line at the top of the page."""

    page_name: str = ""
    editors: str = ""  # e.g. 责任编辑 王某 美编 李某
    style: str = "folio"
    show: bool = True


@record
class Page:
    number: int  # printed page number (版次)
    name: str
    blocks: tuple[Block, ...]
    folio: Folio = field(default_factory=Folio)
    pos: SourcePos = _NOWHERE


def walk_blocks(pages: Iterable[Page]) -> Iterator[Block]:
    """Every block of ``pages``, a box's children after the box, in order."""
    stack: list[Block] = []
    for page in pages:
        stack.extend(reversed(page.blocks))
        while stack:
            block = stack.pop()
            yield block
            if isinstance(block, BoxBlock):
                stack.extend(reversed(block.children))


@record
class Report:
    source: Path  # report.yaml
    base_dir: Path  # folder that relative paths are resolved against
    edition: Edition
    paper: Paper
    grid: Grid
    styles: dict[str, Style]
    pages: tuple[Page, ...]
    output: Output = field(default_factory=Output)
    fonts: tuple[FontDecl, ...] = ()
    allow_outside_paths: bool = False

    def blocks(self) -> Iterator[Block]:
        """Every block of every page, a box's children after the box, in order."""
        return walk_blocks(self.pages)

    def figures(self) -> Iterator[FigureBlock]:
        return (b for b in self.blocks() if isinstance(b, FigureBlock))

    @property
    def type_area_width(self) -> float:
        return self.paper.width - self.paper.margin_inside - self.paper.margin_outside

    @property
    def type_area_height(self) -> float:
        return self.paper.height - self.paper.margin_top - self.paper.margin_bottom
