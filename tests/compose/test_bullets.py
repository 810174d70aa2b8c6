"""A list bullet is not a word: no Han–Latin space opens between ◆ and the number after it."""

from __future__ import annotations

from compose_checks import compose, noto


def _gap_after(text: str, ch: str) -> float:
    line = compose(text, 200.0, indent=0.0).lines[0]
    glyphs = list(line.glyphs)
    i = next(k for k, g in enumerate(glyphs) if g.ch == ch)
    a, b = glyphs[i], glyphs[i + 1]
    return b.x - (a.x + noto().advance(a.ch) * a.size)


def test_no_space_between_a_bullet_and_a_number():
    assert abs(_gap_after("◆2022年由省总工会主办", "◆")) < 0.01


def test_han_before_a_number_still_gets_its_quarter_em():
    assert _gap_after("五年来2022年由省总工会主办", "来") > 9.0 * 0.2
