"""Threading a module's text through its columns: balanced or in order, with overset.

The unit of flow is a *slot*: one or more whole grid lines holding one line of
text (a body line is one grid line, a subhead may take two). Slots are placed
top to bottom, column after column; the module height never changes, so
everything stays on the page's line grid.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..compose.model import Line
from ..records import record


@record
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

    def __init__(  # written out: one per line of text
        self,
        line: Line | None,
        size: float,
        ascent: float,
        height: int = 1,
        before: int = 0,
        keep_with_next: bool = False,
        role: str = "body",
        chars: int = 0,
        first_of_paragraph: bool = False,
    ) -> None:
        self.__dict__.update(
            line=line,
            size=size,
            ascent=ascent,
            height=height,
            before=before,
            keep_with_next=keep_with_next,
            role=role,
            chars=chars,
            first_of_paragraph=first_of_paragraph,
        )


@record
class Placed:
    slot: Slot
    column: int
    line: int  # grid line (relative to the text area's top) where the slot begins

    def __init__(self, slot: Slot, column: int, line: int) -> None:
        self.__dict__.update(slot=slot, column=column, line=line)


@record
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


def _fill(
    slots: Sequence[Slot],
    columns: int,
    height: int,
    *,
    even: bool = False,
    blocked: Sequence[frozenset[int]] = (),
) -> FlowResult:
    """Fill columns in order up to ``height`` lines each, keeping heads with what follows.

    With ``even`` each column aims at an equal share of what is left, so the
    balanced columns come out 9-8-8 rather than 9-9-7. ``blocked`` holds, per
    column, the lines a figure inside the module takes: text skips them and
    starts again below, as at the head of a column.
    """
    blocked = list(blocked) or [frozenset()] * columns
    placed: list[Placed] = []
    used = [0] * columns
    col = 0
    i = 0
    n = len(slots)
    remaining = sum(s.height for s in slots)
    limit = _limit(remaining, columns, height, even, blocked[0])
    while i < n and col < columns:
        slot = slots[i]
        start = used[col]
        at_top = start == 0 or (start - 1) in blocked[col]
        before = 0 if at_top else slot.before  # no blank space at the head of a column
        need = slot.height - slot.before + before
        free = _free_from(blocked[col], start, need)
        if free != start:  # a figure is in the way: resume below it, as at a column head
            start, before = free, 0
            need = slot.height - slot.before
            start = _free_from(blocked[col], start, need)
            at_top = True
        # a slot that must stay with the next one: both must fit here
        if slot.keep_with_next and i + 1 < n and not at_top:
            nxt = slots[i + 1]
            if start + need + (nxt.height - nxt.before) > limit:
                col += 1
                limit = _limit(remaining, columns - col, height, even, _at(blocked, col))
                continue
        if start + need > limit:
            if start == 0 and limit == height:  # taller than the column: nothing will ever fit
                break
            col += 1
            limit = _limit(remaining, columns - col, height, even, _at(blocked, col))
            continue
        placed.append(Placed(slot, col, start + before - slot.before))
        used[col] = start + need
        remaining -= slot.height
        i += 1
    return FlowResult(tuple(placed), tuple(slots[i:]), tuple(used), height)


def _at(blocked: Sequence[frozenset[int]], col: int) -> frozenset[int]:
    return blocked[col] if col < len(blocked) else frozenset()


def _free_from(blocked: frozenset[int], start: int, need: int) -> int:
    """The first line at or after ``start`` with ``need`` unblocked lines below it."""
    while blocked:
        hits = [line for line in range(start, start + need) if line in blocked]
        if not hits:
            break
        start = hits[-1] + 1
    return start


def _limit(
    remaining: int,
    columns_left: int,
    height: int,
    even: bool,
    blocked: frozenset[int] = frozenset(),
) -> int:
    if not even or columns_left <= 0:
        return height
    share = max(1, -(-remaining // columns_left))
    return min(height, share + sum(1 for line in blocked if line < height))


def flow(
    slots: Sequence[Slot],
    columns: int,
    capacity: int,
    *,
    balance: bool = True,
    blocked: Sequence[frozenset[int]] = (),
) -> FlowResult:
    """Place ``slots`` into ``columns`` of ``capacity`` lines.

    Balanced flow looks for the smallest column height that holds everything,
    so the last column is at most a line or so shorter than the others.
    """
    if columns < 1 or capacity < 1:
        return FlowResult((), tuple(slots), (0,) * max(columns, 0), capacity)
    full = _fill(slots, columns, capacity, blocked=blocked)
    if full.overset or not balance:
        return full
    total = sum(s.height for s in slots)
    lo = max(1, -(-total // columns))
    for even in (True, False):
        for h in range(lo, capacity + 1):
            result = _fill(slots, columns, h, even=even, blocked=blocked)
            if not result.overset:
                return result
    return full
