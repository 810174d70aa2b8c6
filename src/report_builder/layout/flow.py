"""Threading a module's text through its columns: balanced or in order, with overset.

The unit of flow is a *slot*: one or more whole grid lines holding one line of
text (a body line is one grid line, a subhead may take two). Slots are placed
top to bottom, column after column; the module height never changes, so
everything stays on the page's line grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..compose.model import Line


@dataclass(frozen=True)
class Slot:
    """One line of text and the grid lines it takes (``before`` of them blank above it)."""

    line: Line | None
    size: float
    ascent: float
    height: int = 1
    before: int = 0  # blank grid lines above the text inside the slot height
    keep_with_next: bool = False
    role: str = "body"
    chars: int = 0
    first_of_paragraph: bool = False


@dataclass(frozen=True)
class Placed:
    slot: Slot
    column: int
    line: int  # grid line (relative to the text area's top) where the slot begins


@dataclass(frozen=True)
class FlowResult:
    placed: tuple[Placed, ...]
    overset: tuple[Slot, ...]
    column_heights: tuple[int, ...]  # grid lines used in each column
    height: int  # the column height the flow aimed at

    @property
    def overset_lines(self) -> int:
        return sum(s.height for s in self.overset)

    @property
    def overset_chars(self) -> int:
        return sum(s.chars for s in self.overset)


def _fill(slots: Sequence[Slot], columns: int, height: int, *, even: bool = False) -> FlowResult:
    """Fill columns in order up to ``height`` lines each, keeping heads with what follows.

    With ``even`` each column aims at an equal share of what is left, so the
    balanced columns come out 9-8-8 rather than 9-9-7.
    """
    placed: list[Placed] = []
    used = [0] * columns
    col = 0
    i = 0
    n = len(slots)
    remaining = sum(s.height for s in slots)
    limit = _limit(remaining, columns, height, even)
    while i < n and col < columns:
        slot = slots[i]
        at_top = used[col] == 0
        before = 0 if at_top else slot.before  # no blank space at the head of a column
        need = slot.height - slot.before + before
        # a slot that must stay with the next one: both must fit here
        if slot.keep_with_next and i + 1 < n and not at_top:
            nxt = slots[i + 1]
            if used[col] + need + (nxt.height - nxt.before) > limit:
                col += 1
                limit = _limit(remaining, columns - col, height, even)
                continue
        if used[col] + need > limit:
            if at_top and limit == height:  # taller than the column: nothing will ever fit
                break
            col += 1
            limit = _limit(remaining, columns - col, height, even)
            continue
        placed.append(Placed(slot, col, used[col] + before - slot.before))
        used[col] += need
        remaining -= slot.height
        i += 1
    return FlowResult(tuple(placed), tuple(slots[i:]), tuple(used), height)


def _limit(remaining: int, columns_left: int, height: int, even: bool) -> int:
    if not even or columns_left <= 0:
        return height
    return min(height, max(1, -(-remaining // columns_left)))


def flow(slots: Sequence[Slot], columns: int, capacity: int, *, balance: bool = True) -> FlowResult:
    """Place ``slots`` into ``columns`` of ``capacity`` lines.

    Balanced flow looks for the smallest column height that holds everything,
    so the last column is at most a line or so shorter than the others.
    """
    if columns < 1 or capacity < 1:
        return FlowResult((), tuple(slots), (0,) * max(columns, 0), capacity)
    full = _fill(slots, columns, capacity)
    if full.overset or not balance:
        return full
    total = sum(s.height for s in slots)
    lo = max(1, -(-total // columns))
    for even in (True, False):
        for h in range(lo, capacity + 1):
            result = _fill(slots, columns, h, even=even)
            if not result.overset:
                return result
    return full
