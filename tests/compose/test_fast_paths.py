"""The composer's fast paths give exactly what the plain per-character code gave.

``prepare`` adds runs of Han characters at once (atoms shared per face), sums
with ``accumulate`` and step fills, and looks junctions next to marks up; each is
checked here against a straightforward reference (the per-character code it
replaced), value for value and floats bit for bit.
"""

from __future__ import annotations

import dataclasses

from compose_checks import SIZE, lxgw, noto
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_builder.compose import ComposeStyle, Span, compose_paragraph
from report_builder.compose import segment as seg
from report_builder.compose.chars import (
    INTERPUNCTS,
    SIDE_BOTH,
    SIDE_LEFT,
    SIDE_RIGHT,
    shrink_priority,
    trim_side,
)
from report_builder.compose.segment import DASH, HAN, PUNCT, SYMBOL, WESTERN

# Han (some of it banned at a line's start or end), marks, Latin, digits, kana,
# full-width forms, spaces and line breaks: every branch of the atom builder
ALPHABET = "湖南工会职代表大中国劳模网民服务々〃／～ゝ，。、；：？！“”《》（）【】——……·・Ab9%+-/ \n"
texts = st.text(alphabet=ALPHABET, min_size=0, max_size=80)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _spans(text: str, split: int, two_faces: bool) -> tuple[Span, ...]:
    """One span, or two (another face, size and colour from ``split`` on)."""
    cut = min(split, len(text))
    if not two_faces or cut in (0, len(text)):
        return (Span(text, noto(), SIZE),)
    return (Span(text[:cut], noto(), SIZE), Span(text[cut:], lxgw(), 10.5, (0, 1, 0, 0)))


def _reference_atoms(spans, tracking):
    """The character-by-character atom builder: (chars, kind, start, width, em, side,
    blank_l, blank_r, prio, lead, letters) per atom, and the whitespace flag before each."""
    atoms, spaces = [], []
    pending = idx = 0
    prev = None
    for si, span in enumerate(spans):
        for ch in span.text:
            adv, kind = seg._char_info(span.face, ch)
            if kind < 0:
                pending = 2 if kind == seg.NEWLINE else (pending or 1)
                idx += 1
                continue
            w = adv * span.size + tracking
            if (
                prev is not None
                and pending == 0
                and kind == prev["kind"]
                and kind in (WESTERN, DASH)
            ):
                prev["chars"].append((ch, si))
                prev["width"] += w
            else:
                prev = {"chars": [(ch, si)], "kind": kind, "start": idx, "width": w}
                prev.update(em=span.size, side=0, blank_l=0.0, blank_r=0.0, prio=0, lead=0.0)
                atoms.append(prev)
                spaces.append(pending if len(atoms) > 1 else 0)
            pending = 0
            idx += 1
    for a in atoms:
        chars = [c for c, _ in a["chars"]]
        if len(chars) == 1 and chars[0] in INTERPUNCTS:
            full = a["width"] - tracking
            if full < 0.5 * a["em"]:
                a["lead"] = (0.5 * a["em"] - full) / 2
                a["width"] += 2 * a["lead"]
        a["letters"] = 1 if a["kind"] == HAN else 0
        if a["kind"] == WESTERN:
            a["letters"] = sum(1 for c in chars if c.isalnum() or c in "%‰")
            if not any(c.isalnum() for c in chars):
                a["kind"] = SYMBOL
        elif a["kind"] == PUNCT:
            full = a["width"] - tracking
            a["side"] = trim_side(chars[0])
            blank = full - 0.5 * a["em"] if full >= seg.FULL_WIDTH_MIN * a["em"] else 0.0
            if blank > 0:
                if a["side"] == SIDE_LEFT:
                    a["blank_l"] = blank
                elif a["side"] == SIDE_RIGHT:
                    a["blank_r"] = blank
                elif a["side"] == SIDE_BOTH:
                    a["blank_l"] = a["blank_r"] = blank / 2
            a["prio"] = shrink_priority(chars[0])
    return atoms, spaces


@FAST
@given(
    text=texts, split=st.integers(0, 80), two=st.booleans(), tracking=st.sampled_from([0.0, -0.36])
)
def test_atoms_match_the_character_by_character_builder(text, split, two, tracking) -> None:
    spans = _spans(text, split, two)
    built = seg._build_atoms(spans, tracking)
    want, spaces = _reference_atoms(spans, tracking)
    got = [
        {
            "chars": list(a.chars),
            "kind": a.kind,
            "start": start,
            "width": a.width,
            "em": a.em,
            "side": a.side,
            "blank_l": a.blank_l,
            "blank_r": a.blank_r,
            "prio": a.prio,
            "lead": a.lead,
            "letters": a.letters,
        }
        for a, start in zip(built.atoms, built.starts, strict=True)
    ]
    assert got == want
    assert built.spaces == spaces
    assert built.others == [k for k, a in enumerate(want) if a["kind"] != HAN]
    assert built.spaced == [k for k, sp in enumerate(spaces) if sp]


def _reference_prefix(p):
    """The per-atom loops the prefix sums were first written as."""
    n = p.n
    A, SH, LET, IG = [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for k, a in enumerate(p.atoms):
        A[k + 1] = A[k] + a.width - a.trim_l - a.trim_r
        SH[k + 1] = SH[k] + (a.blank_l - a.trim_l) + (a.blank_r - a.trim_r)
        LET[k + 1] = LET[k] + a.letters
        IG[k + 1] = IG[k] + (len(a.chars) - 1 if a.kind in (WESTERN, SYMBOL) else 0)
    G, GSH, GST, GC = [0.0] * (n + 1), [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1)
    for k in range(1, n):
        G[k + 1] = G[k] + p.jw[k]
        GSH[k + 1] = GSH[k] + p.jshrink[k]
        GST[k + 1] = GST[k] + p.jstretch[k]
        GC[k + 1] = GC[k] + p.jgap[k]
    Q = [A[k] - SH[k] + G[k] - GSH[k] for k in range(n + 1)]
    R = [A[k] - SH[k] + (G[k + 1] - GSH[k + 1] if k < n else G[n] - GSH[n]) for k in range(n + 1)]
    st_ = [a.blank_l - a.trim_l if a.side == SIDE_LEFT else 0.0 for a in p.atoms]
    et = [
        (a.blank_r - a.trim_r) + (a.blank_l - a.trim_l if a.side == SIDE_BOTH else 0.0)
        for a in p.atoms
    ]
    return {"A": A, "SH": SH, "LET": LET, "IG": IG, "G": G, "GSH": GSH, "GST": GST, "GC": GC}, {
        "Q": Q,
        "R": R,
        "st": st_,
        "et": et,
    }


def _bits(values):
    """Floats as their exact representation (so 0.1 + 0.2 ≠ 0.3 shows)."""
    return [v.hex() if isinstance(v, float) else v for v in values]


@FAST
@given(
    text=texts,
    split=st.integers(0, 80),
    two=st.booleans(),
    strictness=st.sampled_from(["basic", "gb", "strict"]),
    adjacent=st.sampled_from([1.0, 1.5]),
)
def test_prefix_sums_match_plain_loops(text, split, two, strictness, adjacent) -> None:
    p = seg.prepare(_spans(text, split, two), strictness, adjacent, 0.0, 0.25, SIZE, 1e9)
    sums, more = _reference_prefix(p)
    for name, want in {**sums, **more}.items():
        assert _bits(getattr(p, name)) == _bits(want), name


@FAST
@given(text=texts, strictness=st.sampled_from(["basic", "gb", "strict"]))
def test_junctions_match_one_by_one_junctions(text, strictness) -> None:
    """Han|Han set list-wide, banned Han marked, marks' junctions looked up: as one by one."""
    spans = (Span(text, noto(), SIZE),)
    p = seg.prepare(spans, strictness, 1.5, 0.0, 0.25, SIZE, 1e9)
    fresh = seg.Prepared(spans, p.atoms, p.tracking, p.starts)
    n = p.n
    fresh.jkind, fresh.jw = [0] * n, [0.0] * n
    fresh.jshrink, fresh.jstretch = [0.0] * n, [0.0] * n
    fresh.jgap, fresh.jpen = [0] * n, [None] * n
    nostart, noend = seg.prohibited(strictness)
    built = seg._build_atoms(spans, 0.0)
    for k in range(1, n):
        a, b = p.atoms[k - 1], p.atoms[k]
        if a.kind == HAN and b.kind == HAN and not built.spaces[k]:  # Han|Han: no glue
            fresh.jgap[k] = 1
            if a.chars[-1][0] not in noend and b.chars[0][0] not in nostart:
                fresh.jpen[k] = 0.0
            continue
        seg._junction(fresh, k, a, b, built.spaces[k], spans, (nostart, noend), 0.25)
        if (
            strictness != "strict"
            and k >= 2
            and fresh.jpen[k] is None
            and all(x.kind == PUNCT and x.side == SIDE_RIGHT for x in p.atoms[k - 2 : k + 1])
        ):
            fresh.jpen[k] = seg.LAST_RESORT
    for name in ("jkind", "jw", "jshrink", "jstretch", "jgap", "jpen"):
        assert getattr(p, name)[1:] == getattr(fresh, name)[1:], name


def test_shared_han_atoms_do_not_carry_one_paragraph_into_the_next() -> None:
    """A paragraph set after others (its face's caches full) equals one set first."""
    style = ComposeStyle(size=SIZE)
    first, second = (
        "湖南省总工会“中国梦·劳动美”，2023年全省职工1285万人。",
        "中国劳模网民服务建设新时代全省人员。",
    )
    face = dataclasses.replace(noto(), _cache={})
    compose_paragraph([Span(first, face, SIZE)], 13 * SIZE, style)
    after = compose_paragraph([Span(second, face, SIZE, (0, 1, 0, 0))], 11 * SIZE, style)
    fresh_face = dataclasses.replace(noto(), _cache={})
    alone = compose_paragraph([Span(second, fresh_face, SIZE, (0, 1, 0, 0))], 11 * SIZE, style)
    assert [ln.glyphs for ln in after.lines] == [ln.glyphs for ln in alone.lines]
    assert all(g.color == (0, 1, 0, 0) for ln in after.lines for g in ln.glyphs)


@FAST
@given(
    text=texts,
    chars=st.integers(min_value=2, max_value=20),
    first=st.sampled_from([0.0, 2.0, -1.0]),
    ragged=st.booleans(),
    orphans=st.booleans(),
)
def test_the_one_class_breaker_chooses_as_the_general_one(
    text, chars, first, ragged, orphans
) -> None:
    """With one or two measures (every layout call) a position has a single class;
    the breaker that relies on it must pick the breaks and demerits the general one picks."""
    from report_builder.compose import breaking

    p = seg.prepare((Span(text, noto(), SIZE),), "gb", 1.5, 0.0, 0.25, SIZE, 1e9)
    for measures in ([chars * SIZE], [(chars - first) * SIZE, chars * SIZE]):
        args = (p, measures, SIZE, False, ragged, False, orphans)
        assert breaking._solve_one_class(*args) == breaking._solve(*args)
