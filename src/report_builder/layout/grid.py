"""The page grid: columns across the type area, a line grid down it.

Every module is placed in whole columns and whole lines, so baselines of
neighbouring columns line up across the page (clreq §main_elements_of_basic_composition).
"""

from __future__ import annotations

from ..definition.model import Placement, Report
from ..records import record


@record
class Rect:
    x: float
    y: float  # bottom
    w: float
    h: float

    def __init__(self, x: float, y: float, w: float, h: float) -> None:  # written out: hot
        self.__dict__.update(x=x, y=y, w=w, h=h)

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


@record
class PageGrid:
    """Grid geometry of one page, origin at the bottom-left of the trimmed page."""

    left: float  # x of the type area's left edge
    top: float  # y of the type area's top edge
    columns: int
    column_width: float
    gutter: float
    pitch: float
    lines: int

    @classmethod
    def for_page(cls, report: Report, number: int) -> PageGrid:
        """Even (left-hand) pages have their inside margin on the right."""
        paper, grid = report.paper, report.grid
        left = paper.margin_outside if number % 2 == 0 else paper.margin_inside
        return cls(
            left=left,
            top=paper.height - paper.margin_top,
            columns=grid.columns,
            column_width=grid.column_width,
            gutter=grid.gutter,
            pitch=grid.line_pitch,
            lines=grid.lines,
        )

    @property
    def width(self) -> float:
        return self.span_width(self.columns)

    @property
    def height(self) -> float:
        return self.lines * self.pitch

    def column_x(self, column: int) -> float:
        return self.left + column * (self.column_width + self.gutter)

    def span_width(self, span: int) -> float:
        return span * self.column_width + (span - 1) * self.gutter

    def line_top(self, line: int) -> float:
        """y of the top edge of grid line ``line`` (0-based)."""
        return self.top - line * self.pitch

    def baseline(self, line: int, size: float, ascent: float = 0.88) -> float:
        """Baseline that centres an em box of ``size`` in grid line ``line``."""
        return self.line_top(line) - (self.pitch - size) / 2 - ascent * size

    def rect(self, at: Placement) -> Rect:
        x = self.column_x(at.column)
        top = self.line_top(at.line)
        h = at.lines * self.pitch
        return Rect(x, top - h, self.span_width(at.span), h)

    def module_columns(self, at: Placement, columns: int) -> list[float]:
        """Left edges of a module's own columns (破栏 when ``columns`` ≠ ``at.span``)."""
        r = self.rect(at)
        width = self.module_column_width(at, columns)
        return [r.x + i * (width + self.gutter) for i in range(columns)]

    def module_column_width(self, at: Placement, columns: int) -> float:
        total = self.span_width(at.span)
        return (total - (columns - 1) * self.gutter) / columns
