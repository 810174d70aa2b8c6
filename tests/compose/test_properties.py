"""Properties that must hold for any paragraph (hypothesis, real font metrics)."""

from __future__ import annotations

import itertools

from compose_checks import SIZE, TOL, compose, lxgw, noto, prohibition_violations, visible
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_builder.compose.chars import SIDE_BOTH, SIDE_LEFT, trim_side


def set_box(g):
    """(left, right) of the part of a glyph's advance the composer kept."""
    full = g.face.advance(g.ch) * g.size
    cut = full - g.advance
    side = trim_side(g.ch)
    left = g.x + (cut if side == SIDE_LEFT else cut / 2 if side == SIDE_BOTH else 0.0)
    return left, left + g.advance


HAN = "湖南工会职代表大中国劳模网民服务建设全省人员新时代"
words = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=8),
    st.sampled_from(["2022年", "1285", "3.5%", "2.7万", "GDP", "APP", "93%", "法院+人社+工会"]),
    st.sampled_from(["Noto Serif", "COVID-19", "5G"]),
    st.sampled_from(["——", "……", "·"]),
    st.integers(min_value=0, max_value=99999).map(str),
)
puncts = st.sampled_from(["", "", "", "，", "。", "、", "；", "：", "？", "！", " "])
quoted = st.tuples(
    st.sampled_from(["“", "《", "（", "【", "‘"]),
    st.text(alphabet=HAN, min_size=1, max_size=6),
    st.sampled_from(["”", "》", "）", "】", "’"]),
).map("".join)
# Han text between the pieces, as in real copy: Western runs stay apart
pieces = st.lists(
    st.tuples(
        st.text(alphabet=HAN, min_size=1, max_size=3), st.one_of(words, words, quoted), puncts
    ).map("".join),
    min_size=1,
    max_size=40,
)
# anything glued to anything: runs wider than the measure, marks in heaps
soup = st.lists(st.one_of(words, quoted, puncts), min_size=1, max_size=40).map("".join)
styles = st.fixed_dictionaries(
    {
        "strictness": st.sampled_from(["basic", "gb", "strict"]),
        "adjacent_punct": st.sampled_from([1.0, 1.5]),
        "indent": st.sampled_from([0.0, 2.0]),
        "tracking": st.sampled_from([0.0, 0.0, -0.04, 0.05]),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=pieces,
    chars=st.integers(min_value=8, max_value=24),
    style=styles,
    serif=st.booleans(),
)
def test_composition_properties(parts, chars, style, serif):
    text = "".join(parts)
    para = compose(text, chars=chars, face=noto() if serif else lxgw(), **style)
    lines = para.lines
    # every input character in order, exactly once; only spaces added or dropped
    assert visible("".join(ln.text for ln in lines)) == visible(text)
    # text indices run on without gaps or overlaps
    for a, b in itertools.pairwise(lines):
        assert a.end <= b.start
    assert not prohibition_violations(para, style["strictness"])
    for n, line in enumerate(lines):
        assert line.right <= line.width + TOL, (n, line.text)  # no overflow
        # set boxes (what is left of each glyph's advance after trims) follow
        # each other without overlap; x itself may step back when an opening
        # mark's blank left half is trimmed after a narrow glyph such as ·
        boxes = [set_box(g) for g in line.glyphs]
        for (_, r0), (l1, _) in itertools.pairwise(boxes):
            assert l1 >= r0 + min(0.0, style["tracking"] * SIZE) - TOL, line.text
        if not line.last and len(line.glyphs) > 1:  # justified lines are flush right
            assert abs(line.right - line.width) <= TOL, (n, line.text, line.right, line.width)
        assert boxes[0][0] >= line.offset - TOL  # nothing left of the indent
    # lines never start or end with a space glyph
    for line in lines:
        assert line.glyphs[0].ch != " " and line.glyphs[-1].ch != " "


@settings(max_examples=100, deadline=None)
@given(parts=pieces, widths=st.lists(st.integers(8, 20), min_size=1, max_size=4))
def test_per_line_widths_hold(parts, widths):
    para = compose("".join(parts), chars=widths, indent=0)
    for n, line in enumerate(para.lines):
        want = widths[min(n, len(widths) - 1)] * SIZE
        assert line.width == want
        assert line.right <= want + TOL
        if not line.last:
            assert abs(line.right - want) <= TOL


@settings(max_examples=200, deadline=None)
@given(text=soup, chars=st.integers(min_value=4, max_value=16), style=styles)
def test_stress_never_loses_text_or_overflows(text, chars, style):
    """Pathological input: rules may give way, but no text is lost and no
    line runs past its measure unless one unbreakable unit is wider than it."""
    para = compose(text, chars=chars, **style)
    assert visible("".join(ln.text for ln in para.lines)) == visible(text)
    for line in para.lines:
        if line.right > line.width + TOL:  # only a lone heap of dashes may overflow
            assert set(line.text) <= set("—…"), line.text
