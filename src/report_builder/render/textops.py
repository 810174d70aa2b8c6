"""PDF text operators for composed lines.

A line's glyphs are emitted as one ``TJ`` per font subset, with the composer's
positions turned into TJ adjustments, instead of one ``Td``/``Tj`` per
character: smaller files and faster writing (reportlab.md §1).

Speed: ReportLab's ``splitString`` and ``getSubsetInternalName`` cost ~4 µs a
glyph; each (face, character) is looked up once per document and its subset name
and escaped code kept (the first lookup assigns the subset code, in the same
order as before, so the bytes do not change). Numbers are written by ``fp_str``,
an exact copy of ReportLab's formatting for one number (its C accelerator is
not installed, and the pure-Python one loops over arbitrary argument lists).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

from reportlab.pdfbase import pdfmetrics

from ..compose.model import Glyph

_LOG_E_10 = math.log(10.0)


#: Written numbers by value: a page has ~4,000 TJ adjustments but only a few hundred
#: distinct ones (every gap of a justified line gets the same stretch).
_WRITTEN: dict[float, str] = {}


def fp_str(x: float) -> str:
    """One number as ReportLab's ``fp_str`` writes it (same rounding, same digits).

    At most 6 significant decimals, trailing zeros and a leading ``0`` dropped:
    ``0.25`` → ``.25``, ``-1.5`` → ``-1.5``, ``1e-8`` → ``0``.
    """
    s = _WRITTEN.get(x)
    if s is None:
        if len(_WRITTEN) > 100_000:
            _WRITTEN.clear()
        s = _WRITTEN[x] = _format(x)
    return s


def _format(x: float) -> str:
    sa = abs(x)
    if sa <= 1e-7:
        return "0"
    # log(x)/log(10), not log10: ReportLab's count of decimals rounds this way
    decimals = 6 if sa <= 1 else min(max(0, 6 - int(math.log(sa) / _LOG_E_10)), 6)
    n = f"{x:.{decimals}f}"
    if "." in n:
        n = n.rstrip("0")
        if n[-1] == ".":
            n = n[:-1]
    if n[0] == "0" and len(n) > 1:
        return n[1:]
    return n


def _codes(canvas) -> dict[str, dict[str, tuple[str, str, float]]]:
    """Per document: face name → character → (subset font name, escaped code, advance in em).

    Subset names are interned, so a change of subset is seen by identity.
    """
    doc = canvas._doc
    codes = getattr(doc, "_report_builder_codes", None)
    if codes is None:
        codes = {}
        doc._report_builder_codes = codes
    return codes


def _encode(canvas, face, ch: str) -> tuple[str, str, float]:
    doc = canvas._doc
    font = pdfmetrics.getFont(face.name)
    ((subset, code),) = font.splitString(ch, doc)
    name = sys.intern(font.getSubsetInternalName(subset, doc))
    return name, canvas._escape(code), face.advance(ch)


def text_ops(canvas, x0: float, y: float, glyphs: Sequence[Glyph]) -> list[str]:
    """PDF operators (inside BT … ET) that draw ``glyphs`` with baseline ``y``.

    Space glyphs are not drawn: their width is folded into the next adjustment.
    Runs of one face, size and colour each start with ``Tm``; a change of font
    subset inside a run starts a new ``TJ``.
    """
    codes = _codes(canvas)
    ops: list[str] = []
    color = None
    n = len(glyphs)
    i = 0
    while i < n:
        g0 = glyphs[i]
        face, size, col = g0.face, g0.size, g0.color
        j = i + 1
        while j < n:
            g = glyphs[j]
            if g.face is not face or g.size != size or g.color != col:
                break
            j += 1
        run = glyphs[i:j]
        i = j
        if col != color:
            color = col
            ops.append(" ".join(map(fp_str, col)) + " k")
        visible = [g for g in run if not g.ch.isspace()]
        if not visible:
            continue
        name_of = codes.get(face.name)
        if name_of is None:
            name_of = codes[face.name] = {}
        scale = 1000.0 / size
        ops.append(f"1 0 0 1 {fp_str(x0 + visible[0].x)} {fp_str(y)} Tm")
        pen = visible[0].x
        subset_name = None
        parts: list[str] = []
        text: list[str] = []
        written = _WRITTEN
        for g in visible:
            ch, x = g.ch, g.x
            hit = name_of.get(ch)
            if hit is None:
                hit = name_of[ch] = _encode(canvas, face, ch)
            name, code, advance = hit
            if name is not subset_name:
                if text:
                    parts.append("(" + "".join(text) + ")")
                    text = []
                if parts:
                    ops.append("[" + " ".join(parts) + "] TJ")
                    parts = []
                ops.append(f"{name} {fp_str(size)} Tf")
                subset_name = name
            adjust = (x - pen) * scale
            if adjust > 0.005 or adjust < -0.005:
                if text:
                    parts.append("(" + "".join(text) + ")")
                    text = []
                parts.append(written.get(-adjust) or fp_str(-adjust))
            text.append(code)
            pen = x + advance * size
        if text:
            parts.append("(" + "".join(text) + ")")
        if parts:
            ops.append("[" + " ".join(parts) + "] TJ")
    return ops
