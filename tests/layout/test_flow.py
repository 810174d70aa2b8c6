"""Threading and balancing of slots through columns (no fonts, no PDF)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from report_builder.layout.flow import Slot, flow


def body(n: int) -> list[Slot]:
    return [Slot(None, 9.0, 0.88, chars=13) for _ in range(n)]


def test_balanced_columns_differ_by_at_most_one_line():
    result = flow(body(25), 3, 40)
    assert not result.overset
    assert max(result.column_heights) - min(result.column_heights) <= 1
    assert result.height == 9


def test_fill_in_order_leaves_later_columns_short():
    result = flow(body(25), 3, 40, balance=False)
    assert result.column_heights == (25, 0, 0)


def test_overset_counts_lines_and_characters():
    result = flow(body(33), 3, 10)
    assert result.overset_lines == 3
    assert result.overset_chars == 39
    assert result.column_heights == (10, 10, 10)


def test_subhead_is_kept_with_the_next_line():
    head = Slot(None, 10.5, 0.88, height=2, keep_with_next=True, role="subhead")
    slots = body(9) + [head] + body(5)
    result = flow(slots, 2, 10, balance=False)
    placed_head = next(p for p in result.placed if p.slot is head)
    assert placed_head.column == 1 and placed_head.line == 0


def test_space_before_is_dropped_at_the_head_of_a_column():
    head = Slot(None, 10.5, 0.88, height=3, before=1, keep_with_next=True, role="subhead")
    result = flow(body(10) + [head] + body(3), 2, 10, balance=False)
    placed_head = next(p for p in result.placed if p.slot is head)
    assert placed_head.column == 1
    assert placed_head.line + head.before == 0  # text starts at the top, no blank line


@given(st.lists(st.integers(1, 3), max_size=60), st.integers(1, 4), st.integers(1, 30))
def test_every_slot_is_placed_once_or_overset(heights, columns, capacity):
    slots = [Slot(None, 9.0, 0.88, height=h) for h in heights]
    result = flow(slots, columns, capacity)
    placed = [p.slot for p in result.placed]
    assert [id(s) for s in placed + list(result.overset)] == [id(s) for s in slots]
    for p in result.placed:
        assert 0 <= p.column < columns
        assert p.line + p.slot.height - p.slot.before <= capacity or p.line >= 0
    assert all(h <= capacity for h in result.column_heights)
