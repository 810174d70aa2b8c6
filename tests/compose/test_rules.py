"""One case per clreq / GB/T 15834 rule, on real Noto Serif CJK SC metrics.

Texts are engineered with a 13-em measure (9 pt → 117 pt) and no indent so that
the rule in question decides where the break goes.
"""

from __future__ import annotations

import pytest
from compose_checks import SIZE, TOL, compose, lxgw, noto, prohibition_violations, visible

from report_builder.compose import ComposeStyle, Span, measure
from report_builder.compose.segment import PEN_HAN_WESTERN, prepare

# 千字文: plain Han characters, 1 em each, none of them prohibited anywhere
H = (
    "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳"
    "云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光"
)
EM = SIZE
W13 = 13 * EM


def glyph(line, ch, nth=0):
    found = [g for g in line.glyphs if g.ch == ch]
    return found[nth]


def flush(para):
    """Every non-final line ends exactly at its measure."""
    for line in para.lines[:-1]:
        assert abs(line.right - line.width) <= TOL, (line.text, line.right, line.width)
    for line in para.lines:
        assert line.right <= line.width + TOL


def texts(para):
    return [ln.text for ln in para.lines]


# ---------------------------------------------------------------- prohibition


def test_full_stop_never_starts_a_line():
    para = compose(H[:13] + "。" + H[13:30], indent=0)
    assert not prohibition_violations(para)
    assert texts(para)[1][0] != "。"
    assert texts(para)[0].endswith(H[11])  # one character pushed out with the stop
    assert texts(para)[1].startswith(H[12] + "。")
    flush(para)


@pytest.mark.parametrize("mark", list("，、；：？！”）》"))
def test_closing_marks_never_start_a_line(mark):
    para = compose(H[:13] + mark + H[13:30], indent=0)
    assert not prohibition_violations(para), texts(para)
    flush(para)


@pytest.mark.parametrize("mark", list("“（《【"))
def test_opening_marks_never_end_a_line(mark):
    para = compose(H[:12] + mark + H[12:20] + H[20:40], indent=0)
    assert not prohibition_violations(para), texts(para)
    assert texts(para)[1][0] == mark
    flush(para)


def test_opening_quote_at_line_start_is_trimmed_half_an_em():
    para = compose(H[:12] + "“" + H[12:40] + "”", indent=0)
    first = para.lines[1].glyphs[0]
    assert first.ch == "“"
    assert first.x == pytest.approx(-EM / 2)  # ink (right half) starts at the edge
    assert first.width == pytest.approx(EM / 2)


@pytest.mark.parametrize("unit", ["1285", "3.5%", "2.7", "GDP", "APP", "93%"])
def test_digit_and_latin_runs_are_unbreakable(unit):
    for pos in range(9, 13):  # place the run across the first line end
        para = compose(H[:pos] + unit + H[pos : pos + 30], indent=0)
        assert any(unit in t for t in texts(para)), (pos, texts(para))
        flush(para)


def test_plus_does_not_open_a_break_before_it():
    # greedy filling would put "+" at the start of line 2 (法院 fills line 1)
    for pos in (10, 11, 12):
        para = compose(H[:pos] + "法院+人社+工会" + H[pos:40], indent=0)
        assert not texts(para)[1].startswith("+"), texts(para)
        flush(para)
    para = compose(H[:11] + "法院+人社+工会" + H[11:40], indent=0)
    for t in texts(para)[1:]:
        assert not t.startswith("+")
    flush(para)


def test_solidus_does_not_end_a_line_at_gb_level():
    text = H[:12] + "/" + H[12:40]
    assert not texts(compose(text, indent=0))[0].endswith("/")
    assert not texts(compose(text, indent=0, strictness="basic"))[1].startswith("/")


def test_han_digit_break_costs_more_than_han_han():
    p = prepare((Span("突破1285万人", noto(), SIZE),))
    kinds = [a.chars[0][0] for a in p.atoms]
    assert kinds == ["突", "破", "1", "万", "人"]
    assert p.jpen[1] == 0.0  # 突|破
    assert p.jpen[2] == PEN_HAN_WESTERN > 0  # 破|1285
    assert p.jpen[3] == PEN_HAN_WESTERN  # 1285|万


@pytest.mark.parametrize("dash", ["——", "……"])
def test_dash_and_ellipsis_are_unbroken_and_never_start_a_line(dash):
    para = compose(H[:12] + dash + H[12:40], indent=0)
    assert any(dash in t for t in texts(para))
    assert not any(t.startswith(dash[0]) for t in texts(para))
    assert not prohibition_violations(para)
    flush(para)
    # the basic level allows them at a line start (clreq "basic")
    basic = compose(H[:12] + dash + H[12:40], indent=0, strictness="basic")
    assert texts(basic)[1].startswith(dash)


def test_dash_may_open_a_paragraph():
    para = compose("——" + H[:30])
    assert texts(para)[0].startswith("——")


def test_three_closing_marks_last_resort():
    # on a 2-em measure "玄。”）" cannot stay together: the rule gives way
    para = compose("天地玄。”）黄宇", chars=2, indent=0)
    assert visible("".join(texts(para))) == "天地玄。”）黄宇"
    for line in para.lines:
        assert line.right <= line.width + TOL
    starts = [t[0] for t in texts(para)[1:]]
    assert "）" in starts and "。" not in starts and "”" not in starts


# ------------------------------------------------------- punctuation widths


def test_line_end_comma_is_half_width_and_flush():
    para = compose(H[:12] + "，" + H[12:40], indent=0)
    line = para.lines[0]
    comma = line.glyphs[-1]
    assert comma.ch == "，"
    assert comma.width == pytest.approx(EM / 2)
    assert line.right == pytest.approx(W13, abs=TOL)


@pytest.mark.parametrize(
    ("pair", "setting", "total"),
    [
        ("。”", 1.5, 1.5),
        ("”，", 1.5, 1.5),
        ("：“", 1.5, 1.5),
        ("）、", 1.5, 1.5),
        ("，“", 1.5, 1.5),
        ("：“", 1.0, 1.0),
        ("，“", 1.0, 1.0),
        ("。”", 1.0, 1.0),
    ],
)
def test_adjacent_marks_are_compressed(pair, setting, total):
    para = compose("他说" + pair + "好的然后", adjacent_punct=setting, indent=0)
    line = para.lines[0]
    a, b = glyph(line, pair[0]), glyph(line, pair[1])
    nxt = line.glyphs[line.glyphs.index(b) + 1]
    assert nxt.x - a.x == pytest.approx(total * EM)


def test_opening_mark_after_opening_mark_is_shifted_left():
    # （“ : the quote's blank left half is trimmed, so its x moves left
    line = compose("天地（“玄黄”）宇宙", indent=0).lines[0]
    paren, quote = glyph(line, "（"), glyph(line, "“")
    assert quote.x == pytest.approx(paren.x + EM / 2)
    assert paren.width is None  # full width


def test_paragraph_opening_quote_is_set_identically():
    a = compose("“湖南工会”" + H[:30])
    b = compose("“网聚职工正能量”" + H[10:40])
    c = compose("“" + H[:8] + "”，" + H[8:30])
    xs = {round(p.lines[0].glyphs[0].x, 6) for p in (a, b, c)}
    assert xs == {2 * EM - EM / 2}  # indent 2 em, quote trimmed ½ em


def test_proportional_quotes_are_not_trimmed():
    # LXGW WenKai's “” are 0.35 em: nothing to trim
    para = compose(H[:12] + "“" + H[12:40] + "”", face=lxgw(), indent=0)
    q = next(g for ln in para.lines for g in ln.glyphs if g.ch == "“")
    assert q.width is None
    assert not prohibition_violations(para)


# ---------------------------------------------------------- Han–Latin space


def test_han_digit_space_quarter_em_not_at_line_start():
    line = compose("2022年全网阅读量突破1285万人次", indent=0, chars=30).lines[0]
    two = line.glyphs[0]
    assert two.ch == "2" and two.x == 0.0
    digits = [g for g in line.glyphs if g.ch.isdigit()]
    nian, wan, po = glyph(line, "年"), glyph(line, "万"), glyph(line, "破")
    assert nian.x - (digits[3].x + digits[3].advance) == pytest.approx(EM / 4)
    assert digits[4].x - (po.x + po.advance) == pytest.approx(EM / 4)
    assert wan.x - (digits[7].x + digits[7].advance) == pytest.approx(EM / 4)


def test_no_han_latin_space_next_to_chinese_punctuation():
    line = compose("数据：2022年，GDP（3.5%）增长", indent=0, chars=30).lines[0]
    colon, two = glyph(line, "："), glyph(line, "2")
    assert two.x == pytest.approx(colon.x + colon.advance)
    paren, three = glyph(line, "（"), glyph(line, "3")
    assert three.x == pytest.approx(paren.x + paren.advance)


def test_typed_space_before_digits_is_the_han_latin_space():
    a = compose("新发展会员 246万人", indent=0, chars=30).lines[0]
    b = compose("新发展会员246万人", indent=0, chars=30).lines[0]
    assert [g.x for g in a.glyphs] == pytest.approx([g.x for g in b.glyphs])
    assert a.text == "新发展会员246万人"


def test_author_space_between_han_is_kept():
    line = compose("湖南省“网聚职工正能量 争做中国好网民”主题", chars=30).lines[0]
    assert "正能量 争做" in line.text
    liang, zheng = glyph(line, "量"), glyph(line, "争")
    assert zheng.x - (liang.x + liang.advance) >= EM / 4


def test_line_break_between_han_is_not_a_space():
    assert compose("网聚职工\n正能量", chars=30).lines[0].text == "网聚职工正能量"


def test_latin_words_keep_their_spaces():
    line = compose("使用Noto Serif CJK字体", chars=30).lines[0]
    assert "Noto Serif CJK" in line.text


# ------------------------------------------------------------ justification


def test_stretch_goes_between_characters_evenly():
    para = compose(H[:12] + "。" + H[12:40], indent=0)  # line 1 ends 12.5 em
    line = para.lines[0]
    gaps = [b.x - (a.x + a.advance) for a, b in zip(line.glyphs, line.glyphs[1:], strict=False)]
    han_gaps = gaps[:-1]  # last gap is before the stop: it hugs its text
    assert max(han_gaps) - min(han_gaps) < 1e-6
    assert gaps[-1] == pytest.approx(0.0)
    assert line.ratio == pytest.approx((EM / 2) / 11 / EM)


def test_last_line_is_not_stretched():
    para = compose(H[:20], indent=0)
    last = para.lines[-1]
    assert last.last and last.right == pytest.approx(7 * EM)


def test_squeeze_pulls_a_mark_in_instead_of_a_wide_stretch():
    # line 1 "天地玄黄，宇宙洪荒；日月盈" is full; the next char is 。: either push
    # two characters out (stretch 2 em over few gaps) or squeeze ，； to pull 。 in.
    text = "天地玄黄，宇宙洪荒；日月盈。" + H[12:40]
    para = compose(text, indent=0)
    assert texts(para)[0] == "天地玄黄，宇宙洪荒；日月盈。"
    line = para.lines[0]
    assert line.ratio < 0
    assert glyph(line, "，").width == pytest.approx(glyph(line, "；").width)
    flush(para)


def test_no_orphan_on_last_line():
    para = compose(H[:26] + "。", indent=0)
    last = texts(para)[-1]
    assert len([c for c in last if c not in "。，"]) >= 2
    flush(para)


def test_first_line_indent_and_hanging_indent():
    para = compose("◆" + H[:40], indent=0, hanging=1)
    assert para.lines[0].glyphs[0].x == 0
    for line in para.lines[1:]:
        assert line.offset == EM and line.glyphs[0].x == EM
    flush(para)
    indented = compose(H[:40])
    assert indented.lines[0].glyphs[0].x == 2 * EM
    assert indented.lines[1].glyphs[0].x == 0


def test_per_line_widths_for_text_around_a_figure():
    para = compose(H[:60], chars=[8, 8, 13], indent=0)
    rights = [round(line.right, 2) for line in para.lines[:-1]]
    assert rights[:2] == [8 * EM, 8 * EM]
    assert set(rights[2:]) == {13 * EM}


def test_tracking_widens_every_character():
    text = H[:10]
    plain = measure([Span(text, noto(), SIZE)])
    tracked = measure([Span(text, noto(), SIZE)], ComposeStyle(tracking=0.1))
    assert tracked - plain == pytest.approx(0.1 * EM * 9)
    para = compose(H[:40], tracking=-0.05, indent=0)
    assert len(texts(para)[0]) == 13  # 13 × 0.95 em + 12 gaps … still 13 fit
    flush(para)


@pytest.mark.parametrize(("align", "x0"), [("center", (117 - 36) / 2), ("right", 117 - 36)])
def test_headline_alignment(align, x0):
    line = compose("湖南工会", align=align, indent=0).lines[0]
    assert line.glyphs[0].x == pytest.approx(x0)


def test_last_line_alignment():
    line = compose(H[:15], indent=0, last_line="right").lines[-1]
    assert line.right == pytest.approx(W13)


def test_measure_is_the_one_line_natural_width():
    assert measure([Span("湖南工会2022年", noto(), SIZE)]) == pytest.approx(
        5 * EM + (3 * 0.558 + 0.557) * EM + 2 * EM / 4, abs=0.01
    )
    assert measure([]) == 0.0


def test_empty_and_blank_paragraphs():
    assert compose("").lines == ()
    assert compose("   \n ").lines == ()


def test_bad_style_values_are_clear_errors():
    with pytest.raises(ValueError, match="align"):
        compose(H, align="middle")
    with pytest.raises(ValueError, match="strictness"):
        compose(H, strictness="loose")


def test_spans_of_different_sizes():
    spans = [
        Span("累计宣传", noto(), SIZE),
        Span("4000", noto(), 14.0),
        Span("个典型人物" + H[:30], noto(), SIZE),
    ]
    from report_builder.compose import compose_paragraph

    para = compose_paragraph(spans, W13, ComposeStyle(indent=0))
    big = [g for g in para.lines[0].glyphs if g.size == 14.0]
    assert "".join(g.ch for g in big) == "4000"
    flush(para)


def test_adjacent_compression_leaves_proportional_quotes_alone():
    # LXGW's “ is 0.35 em: "：“" is 1.35 em already, the colon keeps its width
    line = compose("他说：“好的”然后", face=lxgw(), indent=0).lines[0]
    colon = glyph(line, "：")
    assert colon.width is None


def test_interpunct_takes_half_an_em_centred():
    line = compose("中国梦·劳动美", indent=0).lines[0]
    meng, dot, lao = glyph(line, "梦"), glyph(line, "·"), glyph(line, "劳")
    assert lao.x - (meng.x + meng.advance) == pytest.approx(EM / 2)
    ink = noto().advance("·") * EM
    assert dot.x - (meng.x + meng.advance) == pytest.approx((EM / 2 - ink) / 2)


@pytest.mark.parametrize("unit", ["25℃", "3‰", "90°"])
def test_units_stay_with_their_number(unit):
    line = compose("气温" + unit + "以上", indent=0).lines[0]
    digits = [g for g in line.glyphs if g.ch.isdigit()]
    sign = line.glyphs[line.glyphs.index(digits[-1]) + 1]
    assert sign.x == pytest.approx(digits[-1].x + digits[-1].advance)
    for pos in range(9, 13):
        para = compose(H[:pos] + unit + H[pos : pos + 20], indent=0)
        assert any(unit in t for t in texts(para))
