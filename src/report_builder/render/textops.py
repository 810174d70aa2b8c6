"""PDF text operators for composed lines.

A line's glyphs are emitted as one ``TJ`` per font subset, with the composer's
positions turned into TJ adjustments, instead of one ``Td``/``Tj`` per
character: smaller files and faster writing (reportlab.md §1).

Speed (same bytes as the plain per-glyph algorithm, tests/perf/test_perf_textops.py):

- each (face, character) gets its subset name and escaped code once per document,
  the characters of a run that are new in one ``splitString`` call (in the same
  order as one call per glyph, so the same codes);
- a glyph costs one lookup per (face, size) table, one per adjustment (its written
  form, kept by value) and one list append: no formatting in the loop;
- a line is remembered by its glyph tuple: a paragraph drawn again (the composer
  reuses a repeated paragraph's lines) costs two numbers and a concatenation.

Numbers are written by ``fp_str``, an exact copy of ReportLab's formatting for
one number (the pure-Python one loops over arbitrary argument lists).
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


class _DocText:
    """Per-document memo: everything here is fixed once a character has its subset code."""

    def __init__(self) -> None:
        # face name → character → (subset name, escaped code, advance in em)
        self.codes: dict[str, dict[str, tuple[str, str, float]]] = {}
        # (face name, size) → character → (subset name, escaped code, advance in pt)
        self.sized: dict[tuple[str, float], dict[str, tuple[str, str, float]]] = {}
        # (subset name, size) → "<name> <size> Tf\n["
        self.fonts: dict[tuple[str, float], str] = {}
        # colour → "c m y k k"
        self.colors: dict[tuple[float, ...], str] = {}
        # one-byte subset code → its escaped form in a PDF string
        self.escaped: dict[int, str] = {}
        # id(glyphs) → (glyphs, runs) for a tuple: a composed line drawn again (a
        # repeated paragraph keeps its glyph tuples) costs one lookup, not a glyph loop
        self.lines: dict[int, tuple[Sequence[Glyph], list[tuple[str, float, str]]]] = {}


def _state(canvas) -> _DocText:
    doc = canvas._doc
    state = getattr(doc, "_report_builder_text", None)
    if state is None:
        state = doc._report_builder_text = _DocText()
    return state


def _learn(canvas, state: _DocText, face, chars: str) -> dict[str, tuple[str, str, float]]:
    """Subset name, escaped code and advance of every character of ``chars``, for ``face``.

    Characters not seen before get their subset codes from one ``splitString``
    call in their order of appearance: the same codes one call per glyph gives
    (~4 µs a call saved).
    """
    codes = state.codes.get(face.name)
    if codes is None:
        codes = state.codes[face.name] = {}
    new = "".join([ch for ch in dict.fromkeys(chars) if ch not in codes])
    if new:
        doc = canvas._doc
        font = pdfmetrics.getFont(face.name)
        each = iter(new)
        for subset, data in font.splitString(new, doc):
            name = sys.intern(font.getSubsetInternalName(subset, doc))
            for byte in data:
                ch = next(each)
                code = state.escaped.get(byte)
                if code is None:
                    code = state.escaped[byte] = canvas._escape(bytes((byte,)))
                codes[ch] = (name, code, face.advance(ch))
    return codes


#: TJ adjustment (in text space, before negation) → what goes between two strings:
#: ``") -17.76767 ("``, or "" when it is too small to write. Justified lines reuse
#: a few values each, so most glyphs are one lookup.
_SEPS: dict[float, str] = {}


def _sep(adjust: float) -> str:
    s = _SEPS.get(adjust)
    if s is None:
        if len(_SEPS) > 100_000:
            _SEPS.clear()
        big = adjust > 0.005 or adjust < -0.005
        s = _SEPS[adjust] = ") " + fp_str(-adjust) + " (" if big else ""
    return s


def text_ops(canvas, x0: float, y: float, glyphs: Sequence[Glyph]) -> list[str]:
    """PDF operators (inside BT … ET) that draw ``glyphs`` with baseline ``y``.

    Space glyphs are not drawn: their width is folded into the next adjustment.
    Runs of one face, size and colour each start with ``Tm``; a change of font
    subset inside a run starts a new ``TJ``. An item of the list may hold several
    operator lines joined by newlines (the page stream joins items with newlines,
    so the bytes are those of one operator per item).
    """
    state = _state(canvas)
    hit = state.lines.get(id(glyphs))
    if hit is None or hit[0] is not glyphs:
        hit = (glyphs, _runs(canvas, state, glyphs))
        if type(glyphs) is tuple:  # a list could change before it is drawn again
            state.lines[id(glyphs)] = hit
    ops: list[str] = []
    tail = " " + fp_str(y) + " Tm\n"
    for color, first_x, body in hit[1]:
        if color:
            ops.append(color)
        if body:
            ops.append("1 0 0 1 " + fp_str(x0 + first_x) + tail + body)
    return ops


def _runs(canvas, state: _DocText, glyphs: Sequence[Glyph]) -> list[tuple[str, float, str]]:
    """A line as (colour operator or "", x of the first drawn glyph, Tf and TJ operators) per run.

    Everything but the line's position: the caller adds ``Tm``.
    """
    runs: list[tuple[str, float, str]] = []
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
        color_op = ""
        if col != color:
            color = col
            color_op = state.colors.get(col)
            if color_op is None:
                color_op = state.colors[col] = " ".join(map(fp_str, col)) + " k"
        visible = [g for g in run if not g.ch.isspace()]
        if not visible:
            runs.append((color_op, 0.0, ""))
            continue
        runs.append((color_op, visible[0].x, _tj(canvas, state, visible)))
    return runs


def _tj(canvas, state: _DocText, visible: list[Glyph]) -> str:
    """``Tf`` and ``TJ`` operators for glyphs of one face, size and colour, none a space."""
    face, size = visible[0].face, visible[0].size
    table = state.sized.get((face.name, size))
    if table is None:
        table = state.sized[(face.name, size)] = {}
    codes = state.codes.get(face.name) or {}
    scale = 1000.0 / size
    seps = _SEPS
    out: list[str] = []
    pen = visible[0].x
    subset_name = None
    for g in visible:
        ch, x = g.ch, g.x
        hit = table.get(ch)
        if hit is None:
            enc = codes.get(ch)
            if enc is None:
                # the glyphs before this one are known: learn this one and the rest of the run
                codes = _learn(canvas, state, face, "".join([g.ch for g in visible]))
                enc = codes[ch]
            # the advance in pt as the plain loop computed it (advance * size)
            hit = table[ch] = (enc[0], enc[1], enc[2] * size)
        name, code, advance = hit
        adjust = (x - pen) * scale
        sep = seps.get(adjust)
        if sep is None:
            sep = _sep(adjust)
        if name is not subset_name:
            if subset_name is not None:
                out.append(")] TJ\n")
            tf = state.fonts.get((name, size))
            if tf is None:
                tf = state.fonts[(name, size)] = f"{name} {fp_str(size)} Tf\n["
            out.append(tf)
            # a TJ that starts with an adjustment: "[-17.76767 (" rather than "[("
            out.append(sep[2:] if sep else "(")
            subset_name = name
        elif sep:
            out.append(sep)
        out.append(code)
        pen = x + advance
    out.append(")] TJ")
    return "".join(out)
