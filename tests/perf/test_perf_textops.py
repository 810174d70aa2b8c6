"""The fast text operators write exactly what the plain per-glyph algorithm writes."""

from __future__ import annotations

import io
import math

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.rl_accel import fp_str as reportlab_fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from report_builder.compose.model import Glyph
from report_builder.layout.model import TextLine
from report_builder.render.textops import fp_str, text_ops


def reference_ops(canvas, x0, y, glyphs):
    """The renderer's first text_ops: ReportLab asked for every glyph, fp_str for every number."""
    doc = canvas._doc
    runs = []
    for g in glyphs:
        if runs:
            h = runs[-1][0]
            if h.face is g.face and h.size == g.size and h.color == g.color:
                runs[-1].append(g)
                continue
        runs.append([g])
    ops, color = [], None
    for run in runs:
        g0 = run[0]
        if g0.color != color:
            color = g0.color
            ops.append(f"{reportlab_fp_str(*color)} k")
        font = pdfmetrics.getFont(g0.face.name)
        size, scale = g0.size, 1000.0 / g0.size
        visible = [g for g in run if not g.ch.isspace()]
        if not visible:
            continue
        ops.append(f"1 0 0 1 {reportlab_fp_str(x0 + visible[0].x)} {reportlab_fp_str(y)} Tm")
        pen, subset_name, parts = visible[0].x, None, []
        for g in visible:
            adjust = (g.x - pen) * scale
            ((subset, code),) = font.splitString(g.ch, doc)
            name = font.getSubsetInternalName(subset, doc)
            if name != subset_name:
                if parts:
                    ops.append(f"[{' '.join(parts)}] TJ")
                    parts = []
                ops.append(f"{name} {reportlab_fp_str(size)} Tf")
                subset_name = name
            if abs(adjust) > 0.005:
                parts.append(reportlab_fp_str(-adjust))
            if parts and parts[-1].startswith("("):
                parts[-1] = parts[-1][:-1] + canvas._escape(code) + ")"
            else:
                parts.append(f"({canvas._escape(code)})")
            pen = g.x + g.face.advance(g.ch) * size
        if parts:
            ops.append(f"[{' '.join(parts)}] TJ")
    return ops


def _stream(ops: list[str]) -> str:
    """Operators as the page stream has them: ReportLab joins its code list with newlines."""
    return "\n".join(ops)


def _text_lines(edition_layout) -> list[TextLine]:
    _, registry, layout = edition_layout
    lines = [it for page in layout.pages for it in page.items if isinstance(it, TextLine)]
    registry.register_reportlab({g.face for line in lines for g in line.glyphs})
    return lines


def test_text_ops_match_the_per_glyph_reference_on_the_default_edition(edition_layout) -> None:
    lines = _text_lines(edition_layout)
    assert len(lines) > 300
    fast, slow = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for line in lines:
        assert _stream(text_ops(fast, line.x, line.y, line.glyphs)) == _stream(
            reference_ops(slow, line.x, line.y, line.glyphs)
        )


def test_a_line_drawn_again_elsewhere_matches_the_reference(edition_layout) -> None:
    """A repeated paragraph keeps its glyph tuples: the remembered line moves with x and y."""
    lines = _text_lines(edition_layout)
    fast, slow = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for dx, dy in ((0.0, 0.0), (311.5, -700.25), (0.125, 1e-9)):
        for line in lines:
            x, y = line.x + dx, line.y + dy
            assert _stream(text_ops(fast, x, y, line.glyphs)) == _stream(
                reference_ops(slow, x, y, line.glyphs)
            )


def test_a_list_of_glyphs_changed_in_place_is_set_afresh(edition_layout) -> None:
    """Only tuples are remembered: a list may hold other glyphs when it is drawn again."""
    lines = _text_lines(edition_layout)
    fast, slow = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    glyphs = list(lines[0].glyphs)
    text_ops(fast, 0, 0, glyphs)
    reference_ops(slow, 0, 0, glyphs)
    glyphs[:] = lines[1].glyphs
    assert _stream(text_ops(fast, 0, 0, glyphs)) == _stream(reference_ops(slow, 0, 0, glyphs))


def test_equal_glyphs_in_a_new_tuple_match_the_reference(edition_layout) -> None:
    """The line memo is by identity: a copy of a line's glyphs is set afresh, the same way."""
    lines = _text_lines(edition_layout)
    fast, slow = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for line in lines[:50]:
        text_ops(fast, line.x, line.y, line.glyphs)
        reference_ops(slow, line.x, line.y, line.glyphs)
    for line in lines[:50]:
        copy = tuple(
            Glyph(ch=g.ch, x=g.x, face=g.face, size=g.size, color=g.color, width=g.width)
            for g in line.glyphs
        )
        assert _stream(text_ops(fast, line.x, line.y, copy)) == _stream(
            reference_ops(slow, line.x, line.y, copy)
        )


SPECIAL = [0, 1e-7, -1e-7, 1.5e-7, 1, -1, 10, 100, 1000, 1e6, 0.5, 9.9999995, 999.9999995]


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.floats(min_value=-1e7, max_value=1e7, allow_nan=False),
        st.floats(min_value=-10, max_value=10, allow_nan=False),
        st.sampled_from(SPECIAL),
        st.integers(min_value=-(10**6), max_value=10**6),
    )
)
def test_fp_str_writes_reportlabs_digits(x: float) -> None:
    assert fp_str(x) == reportlab_fp_str(x)


def test_fp_str_at_powers_of_ten() -> None:
    """At and next to powers of ten, where the count of decimals changes."""
    for e in range(-7, 8):
        for x in (10.0**e, math.nextafter(10.0**e, 0), math.nextafter(10.0**e, math.inf)):
            assert fp_str(x) == reportlab_fp_str(x)
            assert fp_str(-x) == reportlab_fp_str(-x)
