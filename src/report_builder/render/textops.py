"""PDF text operators for composed lines.

A line's glyphs are emitted as one ``TJ`` per font subset, with the composer's
positions turned into TJ adjustments, instead of one ``Td``/``Tj`` per
character: smaller files and faster writing (reportlab.md §1).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics

from ..compose.model import Glyph


def _runs(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    """Split a line into runs of one face, size and colour."""
    runs: list[list[Glyph]] = []
    for g in glyphs:
        if runs:
            h = runs[-1][0]
            if h.face is g.face and h.size == g.size and h.color == g.color:
                runs[-1].append(g)
                continue
        runs.append([g])
    return runs


def text_ops(canvas, x0: float, y: float, glyphs: Sequence[Glyph]) -> list[str]:
    """PDF operators (inside BT … ET) that draw ``glyphs`` with baseline ``y``.

    Space glyphs are not drawn: their width is folded into the next adjustment.
    """
    doc = canvas._doc
    escape = canvas._escape
    ops: list[str] = []
    color = None
    for run in _runs(glyphs):
        g0 = run[0]
        if g0.color != color:
            color = g0.color
            ops.append(f"{fp_str(*color)} k")
        font = pdfmetrics.getFont(g0.face.name)
        size = g0.size
        scale = 1000.0 / size
        visible = [g for g in run if not g.ch.isspace()]
        if not visible:
            continue
        ops.append(f"1 0 0 1 {fp_str(x0 + visible[0].x)} {fp_str(y)} Tm")
        pen = visible[0].x
        subset_name = None
        parts: list[str] = []
        for g in visible:
            adjust = (g.x - pen) * scale
            ((subset, code),) = font.splitString(g.ch, doc)
            name = font.getSubsetInternalName(subset, doc)
            if name != subset_name:
                if parts:
                    ops.append(f"[{' '.join(parts)}] TJ")
                    parts = []
                ops.append(f"{name} {fp_str(size)} Tf")
                subset_name = name
            if abs(adjust) > 0.005:
                parts.append(fp_str(-adjust))
            if parts and parts[-1].startswith("("):
                parts[-1] = parts[-1][:-1] + escape(code) + ")"
            else:
                parts.append(f"({escape(code)})")
            pen = g.x + g.face.advance(g.ch) * size
        if parts:
            ops.append(f"[{' '.join(parts)}] TJ")
    return ops
