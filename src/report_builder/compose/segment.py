"""Cut a paragraph into atoms (unbreakable units) and the junctions between them.

Everything the line breaker needs is precomputed here as flat lists and prefix
sums, so that trying a line [i, j) costs a handful of subtractions: that is what
keeps total-fit breaking fast in pure Python.

Units: pt. A junction ``k`` sits between atom ``k-1`` and atom ``k``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .chars import (
    BULLETS,
    CONNECTORS,
    DASH,
    DASH_LIKE,
    HAN,
    INTERPUNCTS,
    NO_BREAK_BEFORE_SYMBOLS,
    PUNCT,
    SIDE_BOTH,
    SIDE_LEFT,
    SIDE_NONE,
    SIDE_RIGHT,
    SYMBOL,
    WESTERN,
    is_cjk_punct,
    is_space,
    is_western_char,
    prohibited,
    shrink_priority,
    trim_side,
)
from .model import Span

# Break penalties (added to demerits as p², TeX style).
PEN_HAN_WESTERN = 60.0  # 2022|年 is allowed but worse than 中|国
PEN_AFTER_SYMBOL = 120.0  # after + or -
LAST_RESORT = 3000.0  # inside a run of three closing marks
EMERGENCY = 5000.0  # inside a Western run wider than the measure

# Junction kinds.
J_NONE, J_HL, J_WORD = 0, 1, 2

FULL_WIDTH_MIN = 0.75  # em: a mark narrower than this has no blank half to trim
HAN_WORD_SPACE = 0.5  # em: a space the author typed between two Han characters


@dataclass(slots=True)
class Atom:
    chars: list[tuple[str, int]]  # (character, span index)
    kind: int
    start: int = 0  # index of the first character in the paragraph text
    end: int = 0  # index after the last character
    width: float = 0.0  # full natural width incl. tracking after each char, pt
    em: float = 0.0  # size of the atom's (first) character, pt
    side: int = SIDE_NONE
    blank_l: float = 0.0  # trimmable blank on the left, pt
    blank_r: float = 0.0
    trim_l: float = 0.0  # fixed trims from adjacent-mark compression, pt
    trim_r: float = 0.0
    prio: int = 0  # shrink priority of the remaining blank
    lead: float = 0.0  # space before the glyph inside the atom (a centred interpunct)
    letters: int = 0  # characters that count against orphans (not punctuation)

    @property
    def first(self) -> str:
        return self.chars[0][0]

    @property
    def last(self) -> str:
        return self.chars[-1][0]


@dataclass
class Prepared:
    """A paragraph cut into atoms, with prefix sums for the breaker."""

    spans: tuple[Span, ...]
    atoms: list[Atom]
    tracking: float  # pt after every character
    widest_run: float = 0.0  # widest Western run, pt (decides emergency breaks)
    # per junction k (index 0 unused)
    jkind: list[int] = field(default_factory=list)
    jw: list[float] = field(default_factory=list)  # natural width
    jshrink: list[float] = field(default_factory=list)
    jstretch: list[float] = field(default_factory=list)  # before even spacing kicks in
    jgap: list[int] = field(default_factory=list)  # 1: takes even inter-character stretch
    jpen: list[float | None] = field(default_factory=list)  # None: no break here
    # per atom
    st: list[float] = field(default_factory=list)  # extra trim at line start
    et: list[float] = field(default_factory=list)  # extra trim at line end
    # prefix sums (length n+1)
    A: list[float] = field(default_factory=list)  # interior widths of atoms
    SH: list[float] = field(default_factory=list)  # atom shrink capacity
    G: list[float] = field(default_factory=list)  # G[k] = sum of jw[1..k-1]
    GSH: list[float] = field(default_factory=list)
    GST: list[float] = field(default_factory=list)
    GC: list[int] = field(default_factory=list)
    IG: list[int] = field(default_factory=list)  # char gaps inside Western atoms
    LET: list[int] = field(default_factory=list)  # orphan-counting characters
    Q: list[float] = field(default_factory=list)  # minimum width prefix, see min_width
    R: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.atoms)

    def natural(self, i: int, j: int) -> float:
        """Width of atoms i..j-1 set as one line, unadjusted."""
        return (
            self.A[j] - self.A[i] + self.G[j] - self.G[i + 1] - self.st[i] - self.et[j - 1]
        ) - self.tracking

    def shrink(self, i: int, j: int) -> float:
        return self.SH[j] - self.SH[i] - self.st[i] - self.et[j - 1] + self.GSH[j] - self.GSH[i + 1]


SPACE, NEWLINE = -1, -2


def _char_info(face, ch: str) -> tuple[float, int]:
    """(advance in em, kind) of a character in a face, cached on the face."""
    cache = face._cache.setdefault("compose.chars", {})
    info = cache.get(ch)
    if info is None:
        adv = face.advance(ch)
        if is_space(ch):
            kind = NEWLINE if ch in "\n\r" else SPACE
        elif ch in DASH_LIKE:
            kind = DASH
        elif is_cjk_punct(ch):
            kind = PUNCT
        elif is_western_char(ch, adv):
            kind = WESTERN
        else:
            kind = HAN
        info = cache[ch] = (adv, kind)
    return info


def _build_atoms(spans: Sequence[Span], tracking: float) -> tuple[list[Atom], list[int]]:
    """Atoms of the paragraph, and the whitespace before each.

    Whitespace collapses to a flag: 0 none, 1 spaces/tabs, 2 with a line break.
    Western characters and dash-like marks gather into runs.
    """
    atoms: list[Atom] = []
    spaces: list[int] = []
    pending = 0
    idx = 0
    prev: Atom | None = None
    for si, span in enumerate(spans):
        face, size = span.face, span.size
        info = face._cache.get("compose.chars") or {}
        for ch in span.text:
            got = info.get(ch)
            if got is None:
                got = _char_info(face, ch)
                info = face._cache["compose.chars"]
            adv, kind = got
            if kind < 0:
                if kind == NEWLINE:
                    pending = 2
                elif pending == 0:
                    pending = 1
                idx += 1
                continue
            w = adv * size + tracking
            if prev is not None and pending == 0 and kind == prev.kind and kind in (WESTERN, DASH):
                prev.chars.append((ch, si))
                prev.width += w
                prev.end = idx + 1
            else:
                prev = Atom([(ch, si)], kind, idx, idx + 1, w, size)
                atoms.append(prev)
                spaces.append(pending if len(atoms) > 1 else 0)
            pending = 0
            idx += 1
    for a in atoms:
        kind = a.kind
        if len(a.chars) == 1 and a.chars[0][0] in INTERPUNCTS:
            full = a.width - tracking
            if full < 0.5 * a.em:  # pad to ½ em, glyph centred
                a.lead = (0.5 * a.em - full) / 2
                a.width += 2 * a.lead
        if kind == HAN:
            a.letters = 1
        elif kind == WESTERN:
            alnum = sum(1 for c, _ in a.chars if c.isalnum() or c in "%‰")
            if not any(c.isalnum() for c, _ in a.chars):
                a.kind = SYMBOL
            a.letters = alnum
        elif kind == PUNCT:
            ch = a.chars[0][0]
            em = a.em
            full = a.width - tracking
            a.side = trim_side(ch)
            blank = full - 0.5 * em if full >= FULL_WIDTH_MIN * em else 0.0
            if blank > 0:
                if a.side == SIDE_LEFT:
                    a.blank_l = blank
                elif a.side == SIDE_RIGHT:
                    a.blank_r = blank
                elif a.side == SIDE_BOTH:
                    a.blank_l = a.blank_r = blank / 2
            a.prio = shrink_priority(ch)
    return atoms, spaces


def _compress_adjacent(atoms: list[Atom], target: float, tracking: float) -> None:
    """Two adjacent full-width marks: 2 em → ``target`` em (1.5 or 1).

    With a proportional mark (LXGW's 0.35-em quotes) the pair may already be
    narrower than the target: then nothing is trimmed.
    """
    for k in range(1, len(atoms)):
        a, b = atoms[k - 1], atoms[k]
        if a.kind != PUNCT or b.kind != PUNCT:
            continue
        set_a = a.width - tracking - a.trim_l - a.trim_r
        set_b = b.width - tracking - b.trim_l - b.trim_r
        need = set_a + set_b - target * max(a.em, b.em)
        # inner blanks first (they face each other), then outer ones
        for atom, attr in ((a, "r"), (b, "l"), (b, "r"), (a, "l")):
            if need <= 1e-9:
                break
            blank = getattr(atom, "blank_" + attr) - getattr(atom, "trim_" + attr)
            take = min(blank, need)
            if take > 0:
                setattr(atom, "trim_" + attr, getattr(atom, "trim_" + attr) + take)
                need -= take
            if target > 1.0 and attr == "l":
                break  # 1.5 em style only ever trims the facing sides


def _is_closing(a: Atom) -> bool:
    return a.kind == PUNCT and a.side == SIDE_RIGHT


@lru_cache(maxsize=256)
def prepare(
    spans: tuple[Span, ...],
    strictness: str = "gb",
    adjacent_punct: float = 1.5,
    tracking_em: float = 0.0,
    han_latin_space: float = 0.25,
    em: float = 9.0,
    max_unit: float = 1e9,
) -> Prepared:
    """Atoms, junctions and prefix sums of a paragraph (cached: layout asks often).

    ``max_unit``: Western runs wider than this (pt) get emergency break points.
    """
    tracking = tracking_em * em
    atoms, spaces = _build_atoms(spans, tracking)
    atoms, spaces = _split_overlong(atoms, spaces, spans, max_unit, tracking)
    _compress_adjacent(atoms, adjacent_punct, tracking)
    n = len(atoms)
    p = Prepared(spans=spans, atoms=atoms, tracking=tracking)
    p.widest_run = max((a.width for a in atoms if a.kind in (WESTERN, SYMBOL)), default=0.0)
    p.jkind = [J_NONE] * n
    p.jw = [0.0] * n
    p.jshrink = [0.0] * n
    p.jstretch = [0.0] * n
    p.jgap = [0] * n
    p.jpen = [None] * n
    nostart, noend = prohibited(strictness)
    for k in range(1, n):
        a, b = atoms[k - 1], atoms[k]
        if a.kind == HAN and b.kind == HAN and not spaces[k]:
            # the common case, Han|Han: no glue, even spacing, free break
            p.jgap[k] = 1
            if a.chars[-1][0] not in noend and b.chars[0][0] not in nostart:
                p.jpen[k] = 0.0
            continue
        _junction(p, k, a, b, spaces[k], spans, (nostart, noend), han_latin_space)
        if (
            strictness != "strict"
            and k >= 2
            and p.jpen[k] is None
            and _is_closing(atoms[k - 2])
            and _is_closing(a)
            and _is_closing(b)
        ):
            p.jpen[k] = LAST_RESORT  # last resort: inside a run of three closing marks
    p.st = [a.blank_l - a.trim_l if a.side == SIDE_LEFT else 0.0 for a in atoms]
    p.et = [
        (a.blank_r - a.trim_r) + (a.blank_l - a.trim_l if a.side == SIDE_BOTH else 0.0)
        for a in atoms
    ]
    _prefix(p)
    return p


def _split_overlong(atoms, spaces, spans, max_unit, tracking):
    """Western runs wider than the measure become single characters (emergency breaks)."""
    if all(a.width <= max_unit for a in atoms):
        return atoms, spaces
    out, osp = [], []
    for a, sp in zip(atoms, spaces, strict=True):
        if a.kind in (WESTERN, SYMBOL) and a.width > max_unit and len(a.chars) > 1:
            idx = a.start
            for m, (ch, si) in enumerate(a.chars):
                piece = Atom([(ch, si)], a.kind, idx, idx + 1, 0.0, spans[si].size)
                idx += 1
                piece.width = spans[si].face.advance(ch) * spans[si].size + tracking
                piece.letters = 1 if ch.isalnum() else 0
                out.append(piece)
                osp.append(sp if m == 0 else -1)
        else:
            out.append(a)
            osp.append(sp)
    return out, osp


def _junction(p, k, a: Atom, b: Atom, sp, spans, sets, hl_em) -> None:
    size = max(a.em, b.em)
    if sp == -1:  # inside a split Western run
        nostart, noend = sets
        if a.last not in noend and b.first not in nostart:
            p.jpen[k] = EMERGENCY
        return
    punct_side = a.kind in (PUNCT, DASH) or b.kind in (PUNCT, DASH)
    han_a, han_b = a.kind == HAN, b.kind == HAN
    west_a, west_b = a.kind in (WESTERN, SYMBOL), b.kind in (WESTERN, SYMBOL)
    if punct_side or a.last in BULLETS or b.first in BULLETS:
        kind = J_NONE
    elif (han_a and b.kind == WESTERN) or (a.kind == WESTERN and han_b):
        kind = J_HL
    elif sp and ((han_a and west_b) or (west_a and han_b)):
        kind = J_HL  # a typed space next to a symbol run: keep a Han–Latin gap
    elif sp == 1 or (sp == 2 and (west_a or west_b)):
        kind = J_WORD
    else:
        kind = J_NONE
    p.jkind[k] = kind
    if kind == J_HL:
        p.jw[k] = hl_em * size
        p.jshrink[k] = max(0.0, p.jw[k] - size / 8)
        p.jstretch[k] = max(0.0, size / 3 - p.jw[k])
    elif kind == J_WORD:
        if han_a and han_b:
            w = HAN_WORD_SPACE * size
        else:
            si = a.chars[-1][1]
            w = spans[si].face.advance(" ") * spans[si].size
        p.jw[k] = w
        p.jshrink[k] = max(0.0, w - size / 4)
        p.jstretch[k] = max(0.0, size / 2 - w)
    # even inter-character spacing: not where punctuation hugs its text,
    # not around connectors
    gap = 1
    if (b.kind == PUNCT and b.side == SIDE_RIGHT) or (a.kind == PUNCT and a.side == SIDE_LEFT):
        gap = 0
    if a.kind == PUNCT and b.kind == PUNCT:
        gap = 0
    if a.last in CONNECTORS or b.first in CONNECTORS:
        gap = 0
    p.jgap[k] = gap
    # may the line break here?
    nostart, noend = sets
    if a.last in noend or b.first in nostart:
        return
    if b.kind in (WESTERN, SYMBOL) and b.first in NO_BREAK_BEFORE_SYMBOLS:
        return
    if kind == J_WORD:
        p.jpen[k] = 0.0
    elif a.kind == SYMBOL and a.last in "+-=×÷&":
        p.jpen[k] = PEN_AFTER_SYMBOL
    elif (han_a and west_b) or (west_a and han_b):
        p.jpen[k] = PEN_HAN_WESTERN
    elif west_a and west_b:
        p.jpen[k] = PEN_AFTER_SYMBOL  # e.g. between a symbol run and a word
    else:
        p.jpen[k] = 0.0


def _prefix(p: Prepared) -> None:
    n = p.n
    A = [0.0] * (n + 1)
    SH = [0.0] * (n + 1)
    LET = [0] * (n + 1)
    IG = [0] * (n + 1)
    for k, a in enumerate(p.atoms):
        A[k + 1] = A[k] + a.width - a.trim_l - a.trim_r
        SH[k + 1] = SH[k] + (a.blank_l - a.trim_l) + (a.blank_r - a.trim_r)
        LET[k + 1] = LET[k] + a.letters
        IG[k + 1] = IG[k] + (len(a.chars) - 1 if a.kind in (WESTERN, SYMBOL) else 0)
    G = [0.0] * (n + 1)
    GSH = [0.0] * (n + 1)
    GST = [0.0] * (n + 1)
    GC = [0] * (n + 1)
    for k in range(1, n):
        G[k + 1] = G[k] + p.jw[k]
        GSH[k + 1] = GSH[k] + p.jshrink[k]
        GST[k + 1] = GST[k] + p.jstretch[k]
        GC[k + 1] = GC[k] + p.jgap[k]
    if n:
        G[1] = GSH[1] = GST[1] = 0.0
    p.A, p.SH, p.LET, p.IG = A, SH, LET, IG
    p.G, p.GSH, p.GST, p.GC = G, GSH, GST, GC
    # minimum width of [i, j) = Q[j] - R[i] - tracking (start/end trims cancel out)
    p.Q = [A[k] - SH[k] + G[k] - GSH[k] for k in range(n + 1)]
    p.R = [A[k] - SH[k] + (G[k + 1] - GSH[k + 1] if k < n else G[n] - GSH[n]) for k in range(n + 1)]
