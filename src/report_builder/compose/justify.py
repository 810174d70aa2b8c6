"""Set one chosen line: trim line-start/end marks, squeeze or stretch, place glyphs.

Squeezing follows clreq's reduction order (word spaces, interpuncts, brackets,
、，；：, Han–Latin spaces, 。？！), each class to its limit before the next;
within a class every member gives the same share. Stretching opens word
spaces, then Han–Latin spaces, then every inter-character gap evenly.
"""

from __future__ import annotations

from bisect import bisect_left

from .chars import SHRINK_HL, SHRINK_WORD, SIDE_BOTH, SIDE_LEFT, SIDE_RIGHT
from .model import Glyph, Line
from .segment import HAN, J_HL, J_WORD, PUNCT, SYMBOL, WESTERN, Prepared

EPS = 1e-9


def set_line(
    p: Prepared,
    i: int,
    j: int,
    measure: float,
    offset: float,
    em: float,
    *,
    stretch: bool,
    align: str,
    last: bool,
) -> Line:
    """Glyphs of atoms i..j-1 on a line ``measure`` pt wide starting ``offset`` pt in.

    ``stretch``: justify (fill the measure); otherwise place at natural width
    shifted per ``align`` (left, center, right).
    """
    atoms = p.atoms
    # trims from adjacent-mark compression, per atom of the line (few atoms have any)
    lt = [0.0] * (j - i)
    rt = [0.0] * (j - i)
    trimmed = p.trimmed
    for k in trimmed[bisect_left(trimmed, i) : bisect_left(trimmed, j)]:
        lt[k - i], rt[k - i] = atoms[k].trim_l, atoms[k].trim_r
    first, lastk = atoms[i], atoms[j - 1]
    if first.side == SIDE_LEFT:
        lt[0] = first.blank_l
    if lastk.side in (SIDE_RIGHT, SIDE_BOTH):
        rt[-1] = lastk.blank_r
        if lastk.side == SIDE_BOTH:
            lt[-1] = lastk.blank_l
    jadd = [0.0] * (j - i)  # extra width of junction i+k (index 0 unused)
    inner = 0.0  # extra between characters of Western atoms (last resort)
    nat = p.natural(i, j)
    delta = measure - nat
    ratio = 0.0
    if delta < -EPS:
        ratio = _squeeze(p, i, j, -delta, lt, rt, jadd)
    elif stretch and delta > EPS:
        ratio, inner = _stretch(p, i, j, delta, em, jadd)
    shift = 0.0
    if not stretch and delta > 0:
        if align == "center":
            shift = delta / 2
        elif align == "right":
            shift = delta
    glyphs: list[Glyph] = []
    add = glyphs.append
    new = tuple.__new__  # Glyph(...) without the named tuple's Python-level __new__
    looks = p.looks
    face, size, color = looks[0]  # one span, the usual case: every Han glyph looks alike
    one_look = len(looks) == 1
    jws, jkinds = p.jw, p.jkind
    tracking = p.tracking
    pen = offset + shift
    for m, a in enumerate(atoms[i:j]):
        if m:
            k = i + m
            jw = jws[k] + jadd[m]
            if jkinds[k] == J_WORD:
                add(new(Glyph, (" ", pen, *looks[a.chars[0][1]], jw)))
            pen += jw
        kind = a.kind
        if kind == HAN:  # the common case: one character at its full advance
            ch, si = a.chars[0]
            if one_look:
                add(new(Glyph, (ch, pen, face, size, color, None)))
            else:
                add(new(Glyph, (ch, pen, *looks[si], None)))
            pen += a.width
        elif kind == PUNCT:
            ch, si = a.chars[0]
            look = looks[si]
            full = look[0].advance(ch) * look[1]
            set_w = full - lt[m] - rt[m]
            w = None if abs(set_w - full) < EPS else set_w
            add(new(Glyph, (ch, pen - lt[m], *look, w)))
            pen += set_w + tracking
        elif len(a.chars) == 1:  # a one-character run
            ch, si = a.chars[0]
            if a.lead:  # a centred interpunct padded to ½ em: its set box ends at pen
                w = a.width - tracking - a.lead
                add(new(Glyph, (ch, pen + a.lead, *looks[si], w)))
            else:
                add(new(Glyph, (ch, pen, *looks[si], None)))
            pen += a.width
        else:
            spread = inner if kind in (WESTERN, SYMBOL) else 0.0
            for ch, si in a.chars:
                look = looks[si]
                add(new(Glyph, (ch, pen, *look, None)))
                pen += look[0].advance(ch) * look[1] + tracking + spread
            pen -= spread
    return Line(
        glyphs=tuple(glyphs),
        width=measure + offset,
        natural=nat,
        ratio=ratio,
        offset=offset,
        last=last,
        start=p.starts[i],
        end=p.starts[j - 1] + len(atoms[j - 1].chars),  # an atom's characters are contiguous
    )


def _squeeze(p: Prepared, i: int, j: int, need: float, lt, rt, jadd) -> float:
    """Take ``need`` pt out of the line in clreq order; returns −(used / available)."""
    atoms = p.atoms
    groups: dict[int, list[tuple[str, int, float]]] = {}
    for m in range(j - i):
        a = atoms[i + m]
        if a.kind == PUNCT:
            cap = (a.blank_l - lt[m]) + (a.blank_r - rt[m])
            if cap > EPS:
                groups.setdefault(a.prio, []).append(("a", m, cap))
        if m:
            k = i + m
            cap = p.jshrink[k]
            if cap > EPS:
                prio = SHRINK_WORD if p.jkind[k] == J_WORD else SHRINK_HL
                groups.setdefault(prio, []).append(("j", m, cap))
    total = sum(c for g in groups.values() for _, _, c in g)
    left = need
    for prio in sorted(groups):
        if left <= EPS:
            break
        members = groups[prio]
        avail = sum(c for _, _, c in members)
        take = min(left, avail)
        for what, m, cap in members:
            amount = cap * take / avail
            if what == "j":
                jadd[m] -= amount
                continue
            side = atoms[i + m].side
            if side == SIDE_LEFT:
                lt[m] += amount
            elif side == SIDE_RIGHT:
                rt[m] += amount
            else:
                lt[m] += amount / 2
                rt[m] += amount / 2
        left -= take
    return -(need / total) if total > EPS else -1.0


def _stretch(p: Prepared, i: int, j: int, extra: float, em: float, jadd) -> tuple[float, float]:
    """Open word spaces, then Han–Latin spaces, then all gaps evenly.

    A line with no gap that may take space (一，) opens the gaps where marks
    hug their text; a lone Western run is letter-spaced; a lone character
    stays unjustified.

    Returns (stretch per inter-character gap in em, extra pt between the
    characters of Western runs when nothing else could take it).
    """
    touched = False  # whether word or Han–Latin spaces opened
    if p.GST[j] != p.GST[i + 1]:  # some space on the line may open (the sums differ)
        for kind in (J_WORD, J_HL):
            members = [
                m for m in range(1, j - i) if p.jkind[i + m] == kind and p.jstretch[i + m] > 0
            ]
            avail = sum(p.jstretch[i + m] for m in members)
            if avail <= EPS or extra <= EPS:
                continue
            take = min(extra, avail)
            for m in members:
                jadd[m] += p.jstretch[i + m] * take / avail
            touched = True
            extra -= take
    if extra <= EPS:
        return 0.0, 0.0
    junctions = j - i - 1
    gaps_here = p.GC[j] - p.GC[i + 1]
    if junctions and gaps_here in (0, junctions):
        # every junction takes the same share (all are gaps, or none is and all open)
        each = extra / junctions
        if touched:
            for m in range(1, j - i):
                jadd[m] += each
        else:
            jadd[1:] = [each] * junctions  # 0.0 + each, as the loop would add
        return each / em, 0.0
    gaps = [m for m in range(1, j - i) if p.jgap[i + m]]
    if gaps:
        each = extra / len(gaps)
        for m in gaps:
            jadd[m] += each
        return each / em, 0.0
    inner = p.IG[j] - p.IG[i]
    if inner:
        return extra / inner / em, extra / inner
    return 0.0, 0.0
