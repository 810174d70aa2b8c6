"""The page display list: what layout hands to the renderer.

Coordinates are PDF points in the trim box with the origin at the bottom-left
of the trimmed page (the renderer shifts them for bleed and marks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compose.model import Glyph
from ..errors import Diagnostic

CMYK = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class TextLine:
    """A composed line whose glyphs start at ``x`` with baseline ``y``."""

    x: float
    y: float
    glyphs: tuple[Glyph, ...]
    block: str = ""  # id of the block it belongs to (for checks)
    role: str = "body"  # body, lead, caption, headline … (for checks)


@dataclass(frozen=True)
class RuleLine:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.25
    color: CMYK = (0.0, 0.0, 0.0, 1.0)


@dataclass(frozen=True)
class FilledRect:
    x: float
    y: float
    w: float
    h: float
    fill: CMYK | None = None
    stroke: CMYK | None = None
    stroke_width: float = 0.5


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Overset:
    """Text that did not fit its module."""

    block: str
    page: int
    lines: int  # lines that did not fit
    chars: int  # characters that did not fit
    diagnostic: Diagnostic | None = None


@dataclass(frozen=True)
class Underset:
    block: str
    page: int
    empty_lines: int  # the most empty lines at the foot of any of its columns


Item = TextLine | RuleLine | FilledRect | PlacedImage


@dataclass
class PageLayout:
    number: int
    name: str
    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    grid_top: float = 0.0  # y of the top of line 0 of the grid
    line_pitch: float = 0.0


@dataclass
class DocumentLayout:
    pages: list[PageLayout]
    overset: list[Overset] = field(default_factory=list)
    underset: list[Underset] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
