"""Cut a paragraph into atoms (unbreakable units) and the junctions between them.

Everything the line breaker needs is precomputed here as flat lists and prefix
sums, so that trying a line [i, j) costs a handful of subtractions: that is what
keeps total-fit breaking fast in pure Python.

Units: pt. A junction ``k`` sits between atom ``k-1`` and atom ``k``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate, groupby, pairwise, repeat
from operator import add, attrgetter, sub

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
    STRICTNESS,
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


class Atom:
    """An unbreakable unit. A Han atom is shared by every occurrence of its character
    in a face, size and tracking (it is never changed), so where an atom sits in
    the paragraph is kept in ``Prepared.starts``, not here.

    A plain class with slots (a dataclass compiles its methods at import).
    """

    __slots__ = (
        "blank_l",
        "blank_r",
        "chars",
        "em",
        "kind",
        "lead",
        "letters",
        "prio",
        "side",
        "trim_l",
        "trim_r",
        "width",
    )

    def __init__(
        self,
        chars: list[tuple[str, int]],  # (character, span index)
        kind: int,
        width: float = 0.0,  # full natural width incl. tracking after each char, pt
        em: float = 0.0,  # size of the atom's (first) character, pt
        *,
        letters: int = 0,  # characters that count against orphans (not punctuation)
    ) -> None:
        self.chars = chars
        self.kind = kind
        self.width = width
        self.em = em
        self.side = SIDE_NONE
        self.blank_l = 0.0  # trimmable blank on the left, pt
        self.blank_r = 0.0
        self.trim_l = 0.0  # fixed trims from adjacent-mark compression, pt
        self.trim_r = 0.0
        self.prio = 0  # shrink priority of the remaining blank
        self.lead = 0.0  # space before the glyph inside the atom (a centred interpunct)
        self.letters = letters

    def __repr__(self) -> str:
        return f"Atom({''.join(c for c, _ in self.chars)!r}, kind={self.kind})"

    @property
    def first(self) -> str:
        return self.chars[0][0]

    @property
    def last(self) -> str:
        return self.chars[-1][0]


class Prepared:
    """A paragraph cut into atoms, with prefix sums for the breaker (filled by prepare)."""

    def __init__(
        self, spans: tuple[Span, ...], atoms: list[Atom], tracking: float, starts: list[int]
    ) -> None:
        self.spans = spans
        self.atoms = atoms
        self.tracking = tracking  # pt after every character
        self.starts = starts  # per atom: index of its first character
        self.looks: list[tuple] = []  # (face, size, colour) per span
        self.widest_run = 0.0  # widest Western run, pt (decides emergency breaks)
        # per junction k (index 0 unused)
        self.jkind: list[int] = []
        self.jw: list[float] = []  # natural width
        self.jshrink: list[float] = []
        self.jstretch: list[float] = []  # before even spacing kicks in
        self.jgap: list[int] = []  # 1: takes even inter-character stretch
        self.jpen: list[float | None] = []  # None: no break here
        # per atom
        self.st: list[float] = []  # extra trim at line start
        self.et: list[float] = []  # extra trim at line end
        # prefix sums (length n+1)
        self.A: list[float] = []  # interior widths of atoms
        self.SH: list[float] = []  # atom shrink capacity
        self.G: list[float] = []  # G[k] = sum of jw[1..k-1]
        self.GSH: list[float] = []
        self.GST: list[float] = []
        self.GC: list[int] = []
        self.IG: list[int] = []  # char gaps inside Western atoms
        self.LET: list[int] = []  # orphan-counting characters
        self.Q: list[float] = []  # minimum width prefix, see _prefix
        self.R: list[float] = []
        self.trimmed: list[int] = []  # atoms with a trim from adjacent-mark compression

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
RUNS = (WESTERN, DASH)  # kinds whose characters gather into one atom
# Han characters some strictness level keeps from a line's start or end (々, ／ …):
# the atom builder looks at these one by one, like everything that is not Han; runs
# of the other ("plain") Han characters it adds at once.
_BANNED = frozenset().union(*(prohibited(level)[0] | prohibited(level)[1] for level in STRICTNESS))


def _char_info(face, ch: str) -> tuple[float, int]:
    """(advance in em, kind) of a character in a face."""
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
    return adv, kind


def _char_tables(face, chars: set[str]) -> tuple[dict[str, tuple[float, int]], dict[str, bool]]:
    """A face's (advance, kind) per character, and whether it is plain Han (joins runs),
    cached on the face and filled for ``chars``."""
    table = face._cache.setdefault("compose.chars", {})
    plain = face._cache.setdefault("compose.plain", {})
    if not plain.keys() >= chars:
        new = chars.difference(plain)
        # CJK ideographs (most of them) are always Han and never banned: added at once
        ideographs = [ch for ch in new if "\u4e00" <= ch <= "\u9fff"]
        advances = map(face.advances.get, ideographs, repeat(face.default_advance))
        table.update(zip(ideographs, zip(advances, repeat(HAN)), strict=True))
        plain.update(dict.fromkeys(ideographs, True))
        for ch in new.difference(ideographs):
            _adv, kind = table[ch] = _char_info(face, ch)
            plain[ch] = kind == HAN and ch not in _BANNED
    return table, plain


def _han_atoms(face, size: float, tracking: float, si: int, chars: set[str]) -> dict[str, Atom]:
    """The shared Han atoms of a face at a size, tracking and span index, for ``chars``."""
    key = ("compose.han", size, tracking, si)
    atoms = face._cache.get(key)
    if atoms is None:
        atoms = face._cache[key] = {}
    missing = chars.difference(atoms)
    if missing:
        table = face._cache["compose.chars"]
        for ch in missing:
            adv, kind = table[ch]
            if kind == HAN:
                atoms[ch] = Atom([(ch, si)], HAN, adv * size + tracking, size, letters=1)
    return atoms


class _Built:
    """The atom builder's output: atoms, where they start, and indices of the few
    places that need a closer look."""

    __slots__ = ("atoms", "marked", "others", "spaced", "spaces", "starts")

    def __init__(self) -> None:
        self.atoms: list[Atom] = []
        self.spaces: list[int] = []  # 0 none, 1 spaces/tabs, 2 with a line break
        self.starts: list[int] = []
        self.others: list[int] = []  # atoms that are not Han
        self.spaced: list[int] = []  # atoms with whitespace before them
        self.marked: list[int] = []  # Han atoms in _BANNED


def _build_atoms(spans: Sequence[Span], tracking: float) -> _Built:
    """Atoms of the paragraph and the whitespace before each.

    Whitespace collapses to a flag: 0 none, 1 spaces/tabs, 2 with a line break.
    Western characters and dash-like marks gather into runs. Runs of Han
    characters (most of a paragraph) are added a run at a time.
    """
    b = _Built()
    atoms, spaces, starts, others, spaced = b.atoms, b.spaces, b.starts, b.others, b.spaced
    pending = 0
    base = 0  # index of the span's first character in the paragraph
    prev: Atom | None = None
    for si, span in enumerate(spans):
        text, size = span.text, span.size
        chars = set(text)
        table, plain = _char_tables(span.face, chars)
        han = _han_atoms(span.face, size, tracking, si, chars)
        get = han.__getitem__
        q = base  # index in the paragraph of the next character
        for is_plain, group in groupby(text, plain.__getitem__):
            if is_plain:  # a run of plain Han characters: added at once
                run = "".join(group)
                r = len(run)
                atoms += map(get, run)
                starts += range(q, q + r)
                if pending:
                    spaced.append(len(spaces))
                spaces.append(pending)
                spaces += [0] * (r - 1)
                pending = 0
                prev = atoms[-1]
                q += r
                continue
            for ch in group:
                adv, kind = table[ch]
                q += 1
                if kind < 0:
                    if kind == NEWLINE:
                        pending = 2
                    elif pending == 0:
                        pending = 1
                    continue
                if pending == 0 and prev is not None and kind == prev.kind and kind in RUNS:
                    prev.chars.append((ch, si))
                    prev.width += adv * size + tracking
                    continue
                if kind == HAN:
                    prev = han[ch]
                    b.marked.append(len(atoms))
                else:
                    prev = Atom([(ch, si)], kind, adv * size + tracking, size)
                    others.append(len(atoms))
                if pending:
                    spaced.append(len(atoms))
                atoms.append(prev)
                starts.append(q - 1)
                spaces.append(pending)
                pending = 0
        base += len(text)
    if spaces:
        spaces[0] = 0  # whitespace before the paragraph's first atom does not count
        if spaced and spaced[0] == 0:
            del spaced[0]
    for k in others:
        a = atoms[k]
        kind = a.kind
        if len(a.chars) == 1 and a.chars[0][0] in INTERPUNCTS:
            full = a.width - tracking
            if full < 0.5 * a.em:  # pad to ½ em, glyph centred
                a.lead = (0.5 * a.em - full) / 2
                a.width += 2 * a.lead
        if kind == WESTERN:
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
    return b


def _compress_adjacent(
    atoms: list[Atom], puncts: list[int], target: float, tracking: float
) -> None:
    """Two adjacent full-width marks: 2 em → ``target`` em (1.5 or 1).

    ``puncts``: indices of the PUNCT atoms, in order. With a proportional mark
    (LXGW's 0.35-em quotes) the pair may already be narrower than the target:
    then nothing is trimmed.
    """
    for k0, k in pairwise(puncts):
        if k0 != k - 1:
            continue
        a, b = atoms[k0], atoms[k]
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
    Han atoms, nearly all of a paragraph, go through list-wide steps; only the
    others are looked at one by one.
    """
    tracking = tracking_em * em
    b = _build_atoms(spans, tracking)
    widest = max(
        (b.atoms[k].width for k in b.others if b.atoms[k].kind in (WESTERN, SYMBOL)), default=0.0
    )
    if widest > max_unit:
        b = _split_overlong(b, spans, max_unit, tracking)
        widest = max((a.width for a in b.atoms if a.kind in (WESTERN, SYMBOL)), default=0.0)
    atoms, spaces = b.atoms, b.spaces
    n = len(atoms)
    puncts = [k for k in b.others if atoms[k].kind == PUNCT]
    _compress_adjacent(atoms, puncts, adjacent_punct, tracking)
    p = Prepared(spans, atoms, tracking, b.starts)
    p.looks = [(s.face, s.size, s.color) for s in spans]
    p.widest_run = widest
    p.jkind = [J_NONE] * n
    p.jw = [0.0] * n
    p.jshrink = [0.0] * n
    p.jstretch = [0.0] * n
    # Han|Han, the common junction: no glue, even spacing, a free break
    p.jgap = [1] * n
    p.jpen = [0.0] * n
    if n:
        p.jgap[0], p.jpen[0] = 0, None
    nostart, noend = prohibited(strictness)
    for k in b.marked:
        ch = atoms[k].chars[0][0]
        if ch in nostart and k > 0:
            p.jpen[k] = None
        if ch in noend and k + 1 < n:
            p.jpen[k + 1] = None
    # junctions next to an atom that is not Han, or with whitespace
    special = set(b.others).union([k + 1 for k in b.others], b.spaced)
    sets = (nostart, noend)
    for k in sorted(special):
        if not 0 < k < n:
            continue
        a, c = atoms[k - 1], atoms[k]
        p.jgap[k], p.jpen[k] = 0, None
        sp = spaces[k]
        if sp != -1 and (a.kind == PUNCT or c.kind == PUNCT or a.kind == DASH or c.kind == DASH):
            # next to a mark: no glue, and gap and break depend only on the two atoms' kinds,
            # sides and facing characters, so the answer is looked up (most special junctions)
            key = (strictness, a.kind, a.side, a.chars[-1][0], c.kind, c.side, c.chars[0][0])
            known = _MARK_JUNCTIONS.get(key)
            if known is None:
                _junction(p, k, a, c, sp, spans, sets, han_latin_space)
                known = _MARK_JUNCTIONS[key] = (p.jgap[k], p.jpen[k])
            p.jgap[k], p.jpen[k] = known
        else:
            _junction(p, k, a, c, sp, spans, sets, han_latin_space)
        if (
            strictness != "strict"
            and k >= 2
            and p.jpen[k] is None
            and _is_closing(atoms[k - 2])
            and _is_closing(a)
            and _is_closing(c)
        ):
            p.jpen[k] = LAST_RESORT  # last resort: inside a run of three closing marks
    # line-start and line-end trims: only marks have them
    p.st = [0.0] * n
    p.et = [0.0] * n
    for k in puncts:
        a = atoms[k]
        if a.side == SIDE_LEFT:
            p.st[k] = a.blank_l - a.trim_l
        p.et[k] = (a.blank_r - a.trim_r) + (a.blank_l - a.trim_l if a.side == SIDE_BOTH else 0.0)
    glued = [k for k in sorted(special) if 0 < k < n and p.jkind[k] != J_NONE]
    _prefix(p, b.others, puncts, glued)
    return p


def _split_overlong(b: _Built, spans, max_unit: float, tracking: float) -> _Built:
    """Western runs wider than the measure become single characters (emergency breaks)."""
    out = _Built()
    for a, sp, start in zip(b.atoms, b.spaces, b.starts, strict=True):
        if a.kind in (WESTERN, SYMBOL) and a.width > max_unit and len(a.chars) > 1:
            for m, (ch, si) in enumerate(a.chars):
                piece = Atom([(ch, si)], a.kind, 0.0, spans[si].size)
                piece.width = spans[si].face.advance(ch) * spans[si].size + tracking
                piece.letters = 1 if ch.isalnum() else 0
                out.atoms.append(piece)
                out.spaces.append(sp if m == 0 else -1)
                out.starts.append(start + m)
        else:
            out.atoms.append(a)
            out.spaces.append(sp)
            out.starts.append(start)
    out.others = [k for k, a in enumerate(out.atoms) if a.kind != HAN]
    out.spaced = [k for k, sp in enumerate(out.spaces) if sp and k]
    out.marked = [k for k, a in enumerate(out.atoms) if a.kind == HAN and a.chars[0][0] in _BANNED]
    return out


#: (strictness, kinds, sides and facing characters) → (gap, penalty) of junctions next to a mark
_MARK_JUNCTIONS: dict[tuple, tuple[int, float | None]] = {}


def _junction(p, k, a: Atom, b: Atom, sp, spans, sets, hl_em) -> None:
    size = max(a.em, b.em)
    if sp == -1:  # inside a split Western run
        nostart, noend = sets
        if a.last not in noend and b.first not in nostart:
            p.jpen[k] = EMERGENCY
        return
    last, first = a.chars[-1][0], b.chars[0][0]  # the characters facing each other
    punct_side = a.kind in (PUNCT, DASH) or b.kind in (PUNCT, DASH)
    han_a, han_b = a.kind == HAN, b.kind == HAN
    west_a, west_b = a.kind in (WESTERN, SYMBOL), b.kind in (WESTERN, SYMBOL)
    if punct_side or last in BULLETS or first in BULLETS:
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
    if last in CONNECTORS or first in CONNECTORS:
        gap = 0
    p.jgap[k] = gap
    # may the line break here?
    nostart, noend = sets
    if last in noend or first in nostart:
        return
    if b.kind in (WESTERN, SYMBOL) and first in NO_BREAK_BEFORE_SYMBOLS:
        return
    if kind == J_WORD:
        p.jpen[k] = 0.0
    elif a.kind == SYMBOL and last in "+-=×÷&":
        p.jpen[k] = PEN_AFTER_SYMBOL
    elif (han_a and west_b) or (west_a and han_b):
        p.jpen[k] = PEN_HAN_WESTERN
    elif west_a and west_b:
        p.jpen[k] = PEN_AFTER_SYMBOL  # e.g. between a symbol run and a word
    else:
        p.jpen[k] = 0.0


def _running(
    values: list, zero: float, steps: dict[int, tuple[float, float]] | None = None
) -> list:
    """Running sums [zero, v0, v0+v1, …] with exactly the float steps of a plain loop.

    ``steps[k]``: two amounts subtracted, one after the other, right after adding
    ``values[k]``. The runs between them are summed by ``accumulate`` (in C).
    """
    if not steps:
        return list(accumulate(values, initial=zero))
    out = [zero]
    total, start = zero, 0
    for k in sorted(steps):
        out += accumulate(values[start : k + 1], initial=total)
        del out[-(k + 2 - start)]  # the run's initial value, already in out
        d1, d2 = steps[k]
        total = out[-1] = out[-1] - d1 - d2
        start = k + 1
    out += accumulate(values[start:], initial=total)
    del out[-(len(values) + 1 - start)]
    return out


def _steps(n: int, at: list[int], parts: list[tuple[float, float]]) -> list[float]:
    """Running sums [0, v0, v0+v1, …] of n values that are 0.0 except at the sorted
    indices ``at``, where the value comes as two parts added one after the other.

    The float steps are those of the plain loop (x + a + b); adding 0.0 leaves a sum
    (never negative here) as it is, so between those indices the sum only repeats.
    """
    out = [0.0] * (n + 1)
    total, start = 0.0, 1
    for k, (a, b) in zip(at, parts, strict=True):
        if total:
            out[start : k + 1] = [total] * (k + 1 - start)
        total = total + a + b
        start = k + 1
    if total:
        out[start:] = [total] * (n + 1 - start)
    return out


def _prefix(p: Prepared, others: list[int], puncts: list[int], glued: list[int]) -> None:
    """Prefix sums of atom and junction widths. Only marks have blanks and trims, and
    only ``glued`` junctions (Han–Latin and word spaces) have widths."""
    n = p.n
    atoms = p.atoms
    widths = list(map(attrgetter("width"), atoms))
    letters = [1] * n  # a Han character counts against orphans, a mark does not
    inner = [0] * n  # gaps between the characters of a Western run
    for k in others:
        a = atoms[k]
        letters[k] = a.letters
        if a.kind in (WESTERN, SYMBOL):
            inner[k] = len(a.chars) - 1
    trims: dict[int, tuple[float, float]] = {}
    blanks: list[tuple[float, float]] = []
    for k in puncts:
        a = atoms[k]
        if a.trim_l or a.trim_r:
            trims[k] = (a.trim_l, a.trim_r)
        blanks.append((a.blank_l - a.trim_l, a.blank_r - a.trim_r))
    # A[k+1] = A[k] + width - trim_l - trim_r; SH[k+1] = SH[k] + blank_l' + blank_r'
    zeros = [0.0] * (n + 1)  # shared by the sums that stay 0 (they are only read)
    A = _running(widths, 0.0, trims)
    p.trimmed = sorted(trims)
    SH = _steps(n, puncts, blanks) if puncts else zeros
    LET = _running(letters, 0)
    IG = _running(inner, 0)
    # G[k+1] = G[k] + jw[k] from junction 1 on; G[0] = G[1] = 0
    if glued:
        G = _steps(n, glued, [(p.jw[k], 0.0) for k in glued])
        GSH = _steps(n, glued, [(p.jshrink[k], 0.0) for k in glued])
        GST = _steps(n, glued, [(p.jstretch[k], 0.0) for k in glued])
    else:
        G = GSH = GST = zeros
    GC = [0, *accumulate(p.jgap[1:], initial=0)] if n else [0]
    p.A, p.SH, p.LET, p.IG = A, SH, LET, IG
    p.G, p.GSH, p.GST, p.GC = G, GSH, GST, GC
    # minimum width of [i, j) = Q[j] - R[i] - tracking (start/end trims cancel out):
    # Q[k] = A[k] - SH[k] + G[k] - GSH[k], R[k] = A[k] - SH[k] + (G[k+1] - GSH[k+1]),
    # element-wise in C (map over operator functions), same float steps as the formulas
    net = list(map(sub, A, SH)) if puncts else A  # x - 0.0 is x
    if glued:
        p.Q = list(map(sub, map(add, net, G), GSH))
        p.R = list(map(add, net, map(sub, [*G[1:], G[n]], [*GSH[1:], GSH[n]])))
    else:  # no glue: x + 0.0 - 0.0 and x + (0.0 - 0.0) are x (the sums are never -0.0)
        p.Q = p.R = net
