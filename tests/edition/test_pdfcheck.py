"""The PDF checks themselves: each finds the fault it is there for, on made-up lines.

The edition tests pass only if these checks can fail; here every check is shown a
clean column and then the same column with one fault put in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pdfcheck import (
    BODY_FONT,
    Char,
    TextLine,
    column_frames,
    group_lines,
    justification_problems,
    off_grid_baselines,
    overlapping_chars,
    paragraph_positions,
    prohibition_violations,
    source_sections,
    split_sentences,
)

HEIGHT = 1000.0
EM = 9.0
TEXT = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水"


def chars(text: str, x: float, y: float, *, step: float = EM, size: float = EM) -> list[Char]:
    """Full-width glyphs from ``x`` every ``step`` pt on baseline ``y`` (PDF y, up)."""
    top = HEIGHT - (y + 0.88 * size)
    return [
        Char(ch, BODY_FONT, size, x + i * step, x + i * step + size, top, top + size, y, 1, True)
        for i, ch in enumerate(text)
    ]


def line(text: str, x: float, y: float, **kw) -> TextLine:
    return TextLine(1, chars(text, x, y, **kw))


def column(mutate: dict[int, TextLine] | None = None) -> tuple[list[TextLine], list[str]]:
    """Two justified paragraphs in a column 10 em wide (0–90 pt), indent 2 em."""
    p1, p2 = TEXT[:25], TEXT[25:37]
    lines = [
        line(p1[:8], 18, 900),
        line(p1[8:18], 0, 886.5),
        line(p1[18:], 0, 873),  # last line of p1: short
        line(p2[:8], 18, 859.5),
        line(p2[8:], 0, 846),  # last line of p2
    ]
    for k, v in (mutate or {}).items():
        lines[k] = v
    return lines, [p1, p2]


def problems(lines: list[TextLine], paragraphs: list[str]) -> list[str]:
    frames = column_frames(paragraph_positions(lines, paragraphs))
    return justification_problems(frames, indent_em=2.0)


def test_lines_break_where_baseline_moves_or_pen_goes_back():
    seq = chars("甲，", 0, 500) + [chars("“乙", 13.5, 500)[0]] + chars("丙", 0, 486.5)
    # the squeezed “ starts where the squeezed ， starts: still the same line
    seq[2] = Char("“", BODY_FONT, EM, 9.0, 18.0, seq[0].top, seq[0].bottom, 500, 1, True)
    lines = group_lines(seq)
    assert [ln.text for ln in lines] == ["甲，“", "丙"]
    back = group_lines(chars("甲乙", 100, 500) + chars("丙丁", 0, 500))
    assert [ln.text for ln in back] == ["甲乙", "丙丁"]
    far = group_lines(chars("甲", 0, 500) + chars("乙", 40, 500))
    assert [ln.text for ln in far] == ["甲", "乙"]


def test_prohibited_line_start_and_end_are_found():
    clean = [line("天地玄黄，", 0, 500), line("宇宙洪荒。", 0, 486.5)]
    assert prohibition_violations(clean) == []
    start = [line("天地玄黄", 0, 500), line("，宇宙洪荒", 0, 486.5)]
    assert len(prohibition_violations(start)) == 1
    end = [line("天地玄“", 0, 500), line("”黄宇宙", 0, 486.5)]
    found = prohibition_violations(end)
    assert len(found) == 2  # “ at the end, ” at the start
    # —— may open a block's text (a deck), not a line inside it
    deck = [line("——庆祝", 0, 500, size=18, step=18)]
    assert prohibition_violations(deck) == []
    inside = [line("天地玄黄", 0, 500), line("——宇宙", 0, 486.5)]
    assert len(prohibition_violations(inside)) == 1


def test_justified_column_passes():
    lines, paras = column()
    assert problems(lines, paras) == []


def test_short_non_final_line_is_found():
    lines, _ = column()
    short = line(lines[1].text, 0, 886.5, step=8.9)  # ends 0.9 pt short
    found = problems(*column({1: short}))
    assert len(found) == 1 and "not flush right" in found[0], found


def test_line_past_the_column_edge_is_found():
    lines, _ = column()
    long = line(lines[1].text, 0, 886.5, step=9.1)  # ends 0.9 pt past the edge
    found = problems(*column({1: long}))
    assert any("runs past the column edge 90.00" in f for f in found), found


def test_line_not_at_the_left_edge_is_found():
    lines, _ = column()
    shifted = line(lines[1].text, 1.0, 886.5, step=8.9)  # right edge still 90.1
    found = problems(*column({1: shifted}))
    assert len(found) == 1 and "not flush left" in found[0], found


def test_wrong_first_line_indent_is_found():
    lines, _ = column()
    one_em = line(lines[3].text, 9.0, 859.5, step=9 + 9 / 7)  # 1 em in, still flush right
    found = problems(*column({3: one_em}))
    assert len(found) == 1 and "indented" in found[0], found


def test_trimmed_marks_at_line_edges_count_as_flush():
    lines, paras = column()
    # a paragraph whose second line opens with “ trimmed to ½ em and ends with ，
    # trimmed to ½ em: em boxes stick out 4.5 pt on both sides, the ink is flush
    text = "“" + lines[1].text[:9] + "，"  # ½ + 9 + ½ em = the 10 em measure
    p1 = paras[0][:8] + text + paras[0][18:]
    trimmed = line(text, -4.5, 886.5)
    assert problems(*column({1: trimmed})[:1], [p1, paras[1]]) == []


def test_overlapping_characters_are_found():
    a = line("天地玄黄", 0, 500)
    b = line("宇宙洪荒", 0, 500 - 13.5)
    assert overlapping_chars([a, b]) == []
    c = line("宇宙洪荒", 18, 500 - 4)  # 4 pt lower, half over the first line
    assert len(overlapping_chars([a, c])) >= 2
    # squeezed ， and “ share a box but not their ink halves
    comma = Char("，", BODY_FONT, EM, 0, 9, a.chars[0].top, a.chars[0].bottom, 600, 1, True)
    quote = Char("“", BODY_FONT, EM, 0, 9, a.chars[0].top, a.chars[0].bottom, 600, 1, True)
    assert overlapping_chars([TextLine(1, [comma, quote])]) == []


def test_baselines_off_the_grid_are_found():
    on = chars("天", 0, 1000) + chars("地", 200, 1000 - 13.5 * 7) + chars("玄", 0, 1000 - 13.5)
    assert off_grid_baselines(on, 13.5) == {}
    off = [*on, *chars("黄", 200, 1000 - 13.5 * 3 - 0.5)]
    assert off_grid_baselines(off, 13.5) == {1: [pytest.approx(1000 - 13.5 * 3 - 0.5, abs=1e-3)]}


def test_sentences_keep_their_closing_quotes():
    assert split_sentences("他说：“好。”然后走了！还有") == ["他说：“好。”", "然后走了！", "还有"]


def test_paragraphs_found_by_their_text():
    lines, paras = column()
    pos = paragraph_positions(lines, paras)
    assert [(p.first, p.final) for p in pos] == [
        (True, False),
        (False, False),
        (False, True),
        (True, False),
        (False, True),
    ]
    strange = paragraph_positions([line("不在源文", 0, 500), *lines[3:]], paras)
    assert strange[0].first is None


def test_source_sections_drop_notes(tmp_path: Path):
    md = tmp_path / "s.md"
    md.write_text("# title\n<!-- a\nnote -->\n## Part\n甲 乙。**丙**！\n\n丁\n", "utf-8")
    (part,) = source_sections(md)
    assert part.heading == "Part"
    assert part.paragraphs == ("甲乙。丙！", "丁")
    assert part.sentences == ["甲乙。", "丙！", "丁"]
