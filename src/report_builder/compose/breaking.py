"""Total-fit line breaking (Knuth–Plass style) over a prepared paragraph.

Every legal break reachable from the paragraph start is a node; a node tries
the few line ends whose width can be met by squeezing (punctuation, spaces)
or by a bounded stretch, and keeps the cheapest path per (position, measure
class). Lines hold ~13 atoms, so each node tries only a handful of ends.

Badness favours squeezing punctuation over stretching the Han grid: clreq asks
to "attempt reduction first", and a line that would need a wide stretch pulls
one more character in instead.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from .segment import Prepared

EPS = 1e-6
LINE_PENALTY = 10.0
STRETCH_REF = 0.15  # em per gap that scores badness 100
LOOSE_BAD = 1000.0  # extra for a line stretched past STRETCH_REF: avoided where possible
SHRINK_BAD = 100.0  # badness of using all shrink available on a line
FIXED_BAD = 8.0  # badness of opening word / Han–Latin spaces to their maximum
GIVE_UP_BAD = 600.0  # stop trying shorter lines once one this bad (≈0.32 em/gap) was seen
ORPHAN_MIN = 2  # characters besides punctuation on a paragraph's last line


class Fit(NamedTuple):
    """How a line [start, end) is to be set."""

    start: int
    end: int
    measure: int  # index into the measures list
    badness: float


def line_badness(
    p: Prepared, i: int, j: int, width: float, em: float, stretch_last: bool, ragged: bool
) -> float | None:
    """Badness of setting atoms i..j-1 on ``width``; None if it cannot fit."""
    return _badness(p, i, j, p.natural(i, j), width, em, j == p.n and not stretch_last, ragged)


def _badness(
    p: Prepared, i: int, j: int, nat: float, width: float, em: float, free: bool, ragged: bool
) -> float | None:
    """Badness of a line of natural width ``nat``; ``free``: a last line left unstretched."""
    if nat > width + EPS:
        cap = p.shrink(i, j)
        need = nat - width
        if need > cap + EPS:
            return None
        return SHRINK_BAD * (need / cap) ** 3
    if free:
        return 0.0
    slack = width - nat
    if ragged:
        return 100.0 * (slack / (4 * em)) ** 2
    if slack <= EPS:
        return 0.0
    fixed = p.GST[j] - p.GST[i + 1]
    if slack <= fixed:
        return FIXED_BAD * (slack / fixed) ** 3
    extra = slack - fixed
    gaps = p.GC[j] - p.GC[i + 1]
    if gaps:
        s = extra / gaps / em
        r = s / STRETCH_REF
        return FIXED_BAD + 100.0 * r**3 + (LOOSE_BAD if r > 1.0 else 0.0)
    if j - i > 1:  # only gaps where marks hug their text: open them as a last resort
        s = extra / (j - i - 1) / em
        return 1000.0 + 100.0 * (s / STRETCH_REF) ** 3
    inner = p.IG[j] - p.IG[i]
    if inner:  # letter-space a lone Western run
        s = extra / inner / em
        return 1000.0 + 100.0 * (s / 0.05) ** 3
    return 1.0e5  # a lone character cannot be justified


def break_lines(
    p: Prepared,
    measures: Sequence[float],
    em: float,
    *,
    stretch_last: bool = False,
    ragged: bool = False,
    balance_last: bool = False,
) -> tuple[list[Fit], float]:
    """Choose line breaks for the whole paragraph; returns the lines and total demerits.

    ``measures[k]`` is the usable width of line k (indents already taken off);
    the last entry repeats.
    """
    n = p.n
    if n == 0:
        return [], 0.0
    solve = _solve_one_class if len(measures) <= 2 else _solve
    for orphans in (True, False):
        result = solve(p, measures, em, stretch_last, ragged, balance_last, orphans)
        if result is not None:
            return result
    raise AssertionError("unreachable: every node has a successor")  # pragma: no cover


def _solve_one_class(p, measures, em, stretch_last, ragged, balance_last, orphans):
    """``_solve`` for one or two measures (a first line and the rest), the layout's case.

    Every position past the start then has one class, so a position holds its best
    entry itself rather than a dict of classes: the same updates in the same order.
    """
    n = p.n
    last_cls = len(measures) - 1
    Q, R, jpen, LET = p.Q, p.R, p.jpen, p.LET
    A, G, st, et, GST, GC, SH, GSH = p.A, p.G, p.st, p.et, p.GST, p.GC, p.SH, p.GSH
    tracking = p.tracking
    stretch_end = stretch_last or balance_last
    even = not ragged
    inv = 1.0 / (em * STRETCH_REF)
    let_n = LET[n]
    rest = min(1, last_cls)  # the class of every position but the start
    # best[pos] = (demerits, prev_pos, prev_cls, badness)
    best: list[tuple | None] = [None] * (n + 1)
    best[0] = (0.0, -1, -1, 0.0)
    for i in range(n):
        entry = best[i]
        if entry is None:
            continue
        # what every line from i shares, read once (the sums below keep their order)
        a_i, g_i, st_i, sh_i, gsh_i, gst_i, gc_i = (
            A[i],
            G[i + 1],
            st[i],
            SH[i],
            GSH[i + 1],
            GST[i + 1],
            GC[i + 1],
        )
        orphan = orphans and i > 0 and let_n - LET[i] < ORPHAN_MIN
        cls = rest if i else 0
        dem0 = entry[0]
        width = measures[cls]
        jmax = bisect_right(Q, R[i] + width + tracking + EPS, i + 1) - 1
        found = orphan_skipped = False
        j = min(jmax, n)
        while j > i:
            if j == n:
                if orphan:
                    orphan_skipped = True
                    j -= 1
                    continue
                pen = 0.0
            else:
                pen = jpen[j]
                if pen is None:
                    j -= 1
                    continue
            nat = A[j] - a_i + G[j] - g_i - st_i - et[j - 1] - tracking
            slack = width - nat
            if slack > EPS:
                if even and j < n and GST[j] == gst_i and GC[j] > gc_i:
                    # the common case, inlined: a Han line stretched evenly
                    r = slack / (GC[j] - gc_i) * inv
                    bad = FIXED_BAD + 100.0 * r**3 + (LOOSE_BAD if r > 1.0 else 0.0)
                else:
                    bad = _badness(p, i, j, nat, width, em, j == n and not stretch_end, ragged)
            elif nat > width + EPS:  # squeezed: _badness's first case, inlined
                cap = SH[j] - sh_i - st_i - et[j - 1] + GSH[j] - gsh_i
                need = nat - width
                if need > cap + EPS:
                    j -= 1
                    continue
                bad = SHRINK_BAD * (need / cap) ** 3
            else:
                bad = _badness(p, i, j, nat, width, em, j == n and not stretch_end, ragged)
            if bad is None:
                j -= 1
                continue
            d = dem0 + (LINE_PENALTY + bad) ** 2 + pen * pen
            old = best[j]
            if old is None or d < old[0]:
                best[j] = (d, i, cls, bad)
            found = True
            if bad >= GIVE_UP_BAD:
                break
            j -= 1
        if not found and not orphan_skipped:
            # Nothing legal fits (an unbreakable cluster wider than the
            # measure): break a prohibition rather than overflow; overflow
            # only when a single atom is wider than the measure.
            j = min(jmax, n)
            if j > i:
                d = dem0 + 1.0e10
            else:
                j = i + 1
                d = dem0 + 1.0e12
            old = best[j]
            if old is None or d < old[0]:
                best[j] = (d, i, cls, 1.0e6)
    if best[n] is None:
        return None
    total = best[n][0]
    fits: list[Fit] = []
    pos = n
    while pos > 0:
        d, prev, pcls, bad = best[pos]
        fits.append(Fit(prev, pos, pcls, bad))
        pos = prev
    fits.reverse()
    return fits, total


def _solve(p, measures, em, stretch_last, ragged, balance_last, orphans):
    n = p.n
    last_cls = len(measures) - 1
    Q, R, jpen, LET = p.Q, p.R, p.jpen, p.LET
    A, G, st, et, GST, GC, SH, GSH = p.A, p.G, p.st, p.et, p.GST, p.GC, p.SH, p.GSH
    tracking = p.tracking
    stretch_end = stretch_last or balance_last
    even = not ragged
    inv = 1.0 / (em * STRETCH_REF)
    let_n = LET[n]
    # best[pos] = {cls: (demerits, prev_pos, prev_cls, badness)}
    best: list[dict | None] = [None] * (n + 1)
    best[0] = {0: (0.0, -1, -1, 0.0)}
    for i in range(n):
        here = best[i]
        if not here:
            continue
        # what every line from i shares, read once (the sums below keep their order)
        a_i, g_i, st_i, sh_i, gsh_i, gst_i, gc_i = (
            A[i],
            G[i + 1],
            st[i],
            SH[i],
            GSH[i + 1],
            GST[i + 1],
            GC[i + 1],
        )
        orphan = orphans and i > 0 and let_n - LET[i] < ORPHAN_MIN
        for cls, entry in here.items():
            dem0 = entry[0]
            width = measures[cls]
            ncls = cls + 1 if cls < last_cls else cls
            jmax = bisect_right(Q, R[i] + width + tracking + EPS, i + 1) - 1
            found = orphan_skipped = False
            j = min(jmax, n)
            while j > i:
                if j == n:
                    if orphan:
                        orphan_skipped = True
                        j -= 1
                        continue
                    pen = 0.0
                else:
                    pen = jpen[j]
                    if pen is None:
                        j -= 1
                        continue
                nat = A[j] - a_i + G[j] - g_i - st_i - et[j - 1] - tracking
                slack = width - nat
                if slack > EPS:
                    if even and j < n and GST[j] == gst_i and GC[j] > gc_i:
                        # the common case, inlined: a Han line stretched evenly
                        r = slack / (GC[j] - gc_i) * inv
                        bad = FIXED_BAD + 100.0 * r**3 + (LOOSE_BAD if r > 1.0 else 0.0)
                    else:
                        bad = _badness(p, i, j, nat, width, em, j == n and not stretch_end, ragged)
                elif nat > width + EPS:  # squeezed: _badness's first case, inlined
                    cap = SH[j] - sh_i - st_i - et[j - 1] + GSH[j] - gsh_i
                    need = nat - width
                    if need > cap + EPS:
                        j -= 1
                        continue
                    bad = SHRINK_BAD * (need / cap) ** 3
                else:
                    bad = _badness(p, i, j, nat, width, em, j == n and not stretch_end, ragged)
                if bad is None:
                    j -= 1
                    continue
                d = dem0 + (LINE_PENALTY + bad) ** 2 + pen * pen
                slot = best[j]
                if slot is None:
                    best[j] = {ncls: (d, i, cls, bad)}
                else:
                    old = slot.get(ncls)
                    if old is None or d < old[0]:
                        slot[ncls] = (d, i, cls, bad)
                found = True
                if bad >= GIVE_UP_BAD:
                    break
                j -= 1
            if not found and not orphan_skipped:
                # Nothing legal fits (an unbreakable cluster wider than the
                # measure): break a prohibition rather than overflow; overflow
                # only when a single atom is wider than the measure.
                j = min(jmax, n)
                if j > i:
                    d = dem0 + 1.0e10
                else:
                    j = i + 1
                    d = dem0 + 1.0e12
                slot = best[j]
                if slot is None:
                    best[j] = {ncls: (d, i, cls, 1.0e6)}
                elif ncls not in slot or d < slot[ncls][0]:
                    slot[ncls] = (d, i, cls, 1.0e6)
    end = best[n]
    if not end:
        return None
    cls = min(end, key=lambda c: end[c][0])
    total = end[cls][0]
    fits: list[Fit] = []
    pos = n
    while pos > 0:
        d, prev, pcls, bad = best[pos][cls]
        fits.append(Fit(prev, pos, pcls, bad))
        pos, cls = prev, pcls
    fits.reverse()
    return fits, total
