"""The page display list: what layout hands to the renderer.

Coordinates are PDF points in the trim box with the origin at the bottom-left
of the trimmed page (the renderer shifts them for bleed and marks). Values are
``@record`` frozen dataclasses and the two containers plain classes: nothing is
compiled when the module is imported.
"""

from __future__ import annotations

from pathlib import Path

from ..compose.model import Glyph
from ..errors import Diagnostic
from ..records import record

CMYK = tuple[float, float, float, float]


@record
class TextLine:
    """A composed line whose glyphs start at ``x`` with baseline ``y``."""

    x: float
    y: float
    glyphs: tuple[Glyph, ...]
    block: str = ""  # id of the block it belongs to (for checks)
    role: str = "body"  # body, lead, caption, headline … (for checks)

    def __init__(  # written out: thousands per build
        self, x: float, y: float, glyphs: tuple[Glyph, ...], block: str = "", role: str = "body"
    ) -> None:
        self.__dict__.update(x=x, y=y, glyphs=glyphs, block=block, role=role)


@record
class RuleLine:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.25
    color: CMYK = (0.0, 0.0, 0.0, 1.0)

    def __init__(  # written out: a few per module and page
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        width: float = 0.25,
        color: CMYK = (0.0, 0.0, 0.0, 1.0),
    ) -> None:
        self.__dict__.update(x1=x1, y1=y1, x2=x2, y2=y2, width=width, color=color)


@record
class FilledRect:
    x: float
    y: float
    w: float
    h: float
    fill: CMYK | None = None
    stroke: CMYK | None = None
    stroke_width: float = 0.5


@record
class PlacedImage:
    """An image drawn into the frame x, y, w, h (already cropped by prepress.images)."""

    x: float
    y: float
    w: float
    h: float
    source: Path  # the editor's original file
    block: str = ""
    fit: str = "fill"
    focus: tuple[float, float] = (0.5, 0.5)


@record
class Overset:
    """Text that did not fit its module."""

    block: str
    page: int
    lines: int  # lines that did not fit
    chars: int  # characters that did not fit
    diagnostic: Diagnostic | None = None


@record
class Underset:
    block: str
    page: int
    empty_lines: int  # the most empty lines at the foot of any of its columns


Item = TextLine | RuleLine | FilledRect | PlacedImage


class PageLayout:
    def __init__(
        self,
        number: int,
        name: str,
        width: float,
        height: float,
        items: list[Item] | None = None,
        grid_top: float = 0.0,  # y of the top of line 0 of the grid
        line_pitch: float = 0.0,
    ) -> None:
        self.number = number
        self.name = name
        self.width = width
        self.height = height
        self.items: list[Item] = [] if items is None else items
        self.grid_top = grid_top
        self.line_pitch = line_pitch

    def __repr__(self) -> str:
        return f"PageLayout(number={self.number}, name={self.name!r}, items={len(self.items)})"


class DocumentLayout:
    def __init__(
        self,
        pages: list[PageLayout],
        overset: list[Overset] | None = None,
        underset: list[Underset] | None = None,
        warnings: list[Diagnostic] | None = None,
    ) -> None:
        self.pages = pages
        self.overset: list[Overset] = [] if overset is None else overset
        self.underset: list[Underset] = [] if underset is None else underset
        self.warnings: list[Diagnostic] = [] if warnings is None else warnings

    def __repr__(self) -> str:
        return f"DocumentLayout(pages={self.pages!r}, overset={self.overset!r})"
