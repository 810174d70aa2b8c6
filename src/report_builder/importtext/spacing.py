"""Spaces in extracted CJK text: the artefacts of old justification, and the real ones.

A justified CJK line was spread by letter-spacing, and the old typesetter put a
gap around every number; text extraction turns both into spaces ("奖 状 699 个",
"首 次 为“ 工 匠 ”举 办"). A few spaces are real: a slogan of two phrases set with
one space ("网聚职工正能量 争做中国好网民"), a space between two Latin words.

The rule, per gap between two non-space characters:

* neither side CJK (Latin words, numbers, ASCII signs): keep one space;
* one Han character each side, a single space: *candidate* real space, decided
  later (:func:`resolve_candidates`) once the paragraph is joined, because the
  phrase around it may continue on the next line;
* anything else touching CJK (CJK–digit, CJK–punctuation, wider gaps): artefact.

A line that shows letter-spacing (an artefact gap between two CJK characters
that is not a Han–Han candidate, e.g. before "，") was justified by spreading,
so its candidates are artefacts too. Gaps around numbers do not count as
letter-spacing: they come from the CJK–Latin spacing that every line had.
"""

from __future__ import annotations

from dataclasses import dataclass

from .chars import SPACES, is_cjk, is_han

CANDIDATE = "\ue000"  # private-use mark for a Han–Han single space not yet decided
MIN_PHRASE = 4  # Han characters each side of a real space between two phrases


@dataclass(frozen=True)
class SpacedLine:
    """A line with artefact spaces removed; candidate spaces kept as :data:`CANDIDATE`."""

    text: str
    letter_spaced: bool  # the line was justified by spreading its characters


def clean_line(raw: str) -> SpacedLine:
    """Remove artefact spaces from one extracted line (see the module docstring)."""
    text = raw.strip("".join(SPACES))
    out: list[str] = []
    letter_spaced = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch not in SPACES:
            out.append(ch)
            i += 1
            continue
        j = i
        while j < len(text) and text[j] in SPACES:
            j += 1
        left, right, run = text[i - 1], text[j], text[i:j]
        if not is_cjk(left) and not is_cjk(right):
            out.append(" ")
        elif is_han(left) and is_han(right) and len(run) == 1:
            out.append(CANDIDATE)
        elif is_cjk(left) and is_cjk(right):
            letter_spaced = True
        i = j
    cleaned = "".join(out)
    if letter_spaced:
        cleaned = cleaned.replace(CANDIDATE, "")
    return SpacedLine(cleaned, letter_spaced)


def _han_run(text: str, start: int, step: int) -> int:
    n = 0
    k = start
    while 0 <= k < len(text) and is_han(text[k]):
        n += 1
        k += step
    return n


def resolve_candidates(text: str) -> str:
    """Keep a candidate space only between two phrases of ≥ 4 Han characters each.

    Letter-spaced runs leave single characters between candidates ("湖 南 工 会"),
    a two-phrase slogan leaves long runs; the runs are counted in the joined
    paragraph, so a phrase broken across lines is measured whole.
    """
    if CANDIDATE not in text:
        return text
    out: list[str] = []
    for k, ch in enumerate(text):
        if ch != CANDIDATE:
            out.append(ch)
        elif _han_run(text, k - 1, -1) >= MIN_PHRASE and _han_run(text, k + 1, 1) >= MIN_PHRASE:
            out.append(" ")
    return "".join(out)


def split_byline(raw: str) -> str | None:
    """Read a byline such as "彭雅惠 廖 为" (two-character names are spaced out to three).

    Returns the names separated by one space ("彭雅惠 廖为"), or None when the line
    is not a byline: it must be only Han words of 1–4 characters separated by
    spaces, at least one word longer than one character (so a letter-spaced
    title "湖 南 工 会" is not taken for names), and give at least two names.
    """
    words = raw.split()
    if len(words) < 2 or any(not (1 <= len(w) <= 4) for w in words):
        return None
    if not all(is_han(ch) for w in words for ch in w):
        return None
    if all(len(w) == 1 for w in words):
        return None
    names: list[str] = []
    singles: list[str] = []
    for w in [*words, ""]:
        if len(w) == 1:
            singles.append(w)
            continue
        if singles:  # a spaced two-character name; an odd run stays one name
            if len(singles) % 2 == 0:
                names += ["".join(singles[k : k + 2]) for k in range(0, len(singles), 2)]
            else:
                names.append("".join(singles))
            singles = []
        if w:
            names.append(w)
    return " ".join(names) if len(names) >= 2 else None
