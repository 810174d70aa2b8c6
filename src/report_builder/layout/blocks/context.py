"""What every block layout needs: the page grid, the typesetter, where output goes."""

from __future__ import annotations

from ...compose.model import Line
from ...definition.model import Placement, Report
from ...errors import Diagnostic
from ..grid import PageGrid, Rect
from ..model import Item, Overset, TextLine, Underset
from ..text import Typesetter


class BlockContext:
    def __init__(
        self,
        report: Report,
        grid: PageGrid,
        ts: Typesetter,
        page: int,  # page number as printed
        inset_left: float = 0.0,  # horizontal insets inside a box
        inset_right: float = 0.0,
        items: list[Item] | None = None,
        overset: list[Overset] | None = None,
        underset: list[Underset] | None = None,
        warnings: list[Diagnostic] | None = None,
        siblings: tuple = (),  # the blocks of the same page or box (figures text runs around)
    ) -> None:
        self.report = report
        self.grid = grid
        self.ts = ts
        self.page = page
        self.inset_left = inset_left
        self.inset_right = inset_right
        self.items: list[Item] = [] if items is None else items
        self.overset: list[Overset] = [] if overset is None else overset
        self.underset: list[Underset] = [] if underset is None else underset
        self.warnings: list[Diagnostic] = [] if warnings is None else warnings
        self.siblings = siblings

    def rect(self, at: Placement) -> Rect:
        r = self.grid.rect(at)
        return Rect(r.x + self.inset_left, r.y, r.w - self.inset_left - self.inset_right, r.h)

    def child(self, inset_left: float, inset_right: float, siblings: tuple = ()) -> BlockContext:
        """A context for blocks inside a box: same outputs, narrower text."""
        return BlockContext(
            self.report,
            self.grid,
            self.ts,
            self.page,
            inset_left,
            inset_right,
            self.items,
            self.overset,
            self.underset,
            self.warnings,
            siblings,
        )

    def text_line(self, x: float, y: float, line: Line, block: str, role: str) -> None:
        if line.glyphs:
            self.items.append(TextLine(x, y, line.glyphs, block, role))

    def slot_baseline(self, top: float, lines: int, size: float, ascent: float) -> float:
        """Baseline centring an em box of ``size`` in ``lines`` grid lines below ``top``."""
        h = lines * self.grid.pitch
        return top - (h - size) / 2 - ascent * size
