"""Rejoin the lines of an extract into paragraphs, by the measure of their column.

In a justified column every line of a paragraph fills the measure except the
last, and the first line of the next paragraph is indented (the extract drops
the indent, so the line is shorter). So, between two lines:

* a line that does not end a sentence continues into the next;
* a line that ends a sentence ends the paragraph when it is short of the
  measure, or when the next line is short of it by an indent;
* ◆ items, numbered heads, titles, decks and bylines stand on their own lines,
  and so does a line printed twice over (outline doubling is for display text).

The measure is read from the lines that cannot be last lines (those not ending
a sentence): they are grouped into runs of similar width (a lead set across
the page, a narrow sidebar), and each line is compared with its run's nearby
lines: first their upper quartile (indented first lines sit below it), then,
once the first lines are known, the median with their indent added back. A
line much shorter than its neighbours' measure, with no punctuation, is a
title. An indent the extract kept (U+3000, two spaces) always starts a paragraph.

What no reader of the extract can tell, this cannot either: a paragraph whose
last line happens to be full, followed by a one-line paragraph, reads as one.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .chars import is_latin, width
from .doubling import undouble
from .lines import SourceLine
from .spacing import CANDIDATE, resolve_candidates

SAME_MEASURE = 1.35  # width ratio up to which two full lines belong to one column measure
TITLE_SHARE = 0.6  # a punctuation-free line below this share of the measure is a title
INDENT = 1.5  # em: a first line at least this much short of the measure is indented
INDENT_EM = 2.0  # em: the first-line indent a Chinese paragraph gets
SHORT = 1.5  # em: a last line at least this much short of the measure ends its paragraph
CONTEXT = 6  # full lines each side that give a line its neighbours' measure
WINDOW = 8  # source lines each side used for a line's local measure
_TITLE_BREAKERS = frozenset("，、；：。！？!?;:,")

STANDALONE = ("subhead", "title", "deck", "byline")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph in reading order, with the source lines it came from."""

    kind: str  # body, item, subhead, title, deck, byline (structure adds caption, credit)
    text: str
    first: int  # first and last source line numbers
    last: int
    measure: float  # typical width of its column's lines in em; 0 when unknown
    lines: int = 1  # source lines joined into it
    doubled: bool = False  # it was printed twice over (outline effect): display text


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def _upper_quartile(values: list[float]) -> float:
    """The measure among full lines: indented first lines sit below it, so not the median."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[(3 * len(ordered)) // 4] if len(ordered) > 2 else ordered[-1]


def _doubled(line: SourceLine) -> bool:
    return undouble(line.text) != line.text


def _is_full_candidate(line: SourceLine) -> bool:
    """A line that cannot end a paragraph, so it shows the column's measure."""
    return not line.final and not line.letter_spaced


def _roles(lines: list[SourceLine]) -> list[str]:
    roles: list[str] = []
    for line in lines:
        if line.byline:
            roles.append("byline")
        elif line.heading:
            roles.append("subhead")
        elif line.deck:
            roles.append("deck")
        else:
            roles.append("flow")
    full = [k for k, line in enumerate(lines) if roles[k] == "flow" and _is_full_candidate(line)]
    for pos, k in enumerate(full):
        text = lines[k].text.replace(CANDIDATE, "")
        if any(ch in _TITLE_BREAKERS for ch in text):
            continue
        around = full[max(0, pos - CONTEXT) : pos] + full[pos + 1 : pos + 1 + CONTEXT]
        if len(around) < 2:
            continue
        # An outlined title is extracted twice over; judge it by one copy.
        if width(undouble(text)) < TITLE_SHARE * _median([lines[j].width for j in around]):
            roles[k] = "title"
    return roles


def _segments(lines: list[SourceLine], roles: list[str]) -> list[int]:
    """Number each line with the run of similar-measure full lines it belongs to."""
    seg_of: list[int] = []
    current: list[float] = []
    seg = 0
    for k, line in enumerate(lines):
        if roles[k] == "flow" and _is_full_candidate(line):
            w = line.width
            if current:
                ref = _median(current[-5:])
                if max(w, ref) > SAME_MEASURE * max(min(w, ref), 0.5):
                    seg += 1
                    current = []
            current.append(w)
        seg_of.append(seg)
    return seg_of


def _measures(
    lines: list[SourceLine],
    roles: list[str],
    seg_of: list[int],
    opens: set[int] | None = None,
) -> list[float]:
    """Each line's local measure: the width its column's full lines reach nearby.

    Without ``opens`` (first pass) indented first lines cannot be told from the
    rest, so the upper quartile is taken; with the first lines known (second
    pass) each counts with its indent added back and the median is taken.
    """
    members: dict[int, list[int]] = {}
    for k, line in enumerate(lines):
        if roles[k] == "flow" and _is_full_candidate(line):
            members.setdefault(seg_of[k], []).append(k)

    def value(j: int) -> float:
        indented = opens is not None and j in opens and not lines[j].bullet
        return lines[j].width + (INDENT_EM if indented else 0.0)

    out: list[float] = []
    for k in range(len(lines)):
        own = members.get(seg_of[k], [])
        near = [j for j in own if abs(j - k) <= WINDOW]
        values = [value(j) for j in (near if len(near) >= 3 else own)]
        out.append(_upper_quartile(values) if opens is None else _median(values))
    return out


def _breaks_after(
    k: int,
    opens: bool,
    lines: list[SourceLine],
    roles: list[str],
    seg_of: list[int],
    measure: list[float],
) -> bool:
    """Whether the paragraph ends after line k; ``opens``: line k is its first line."""
    a, b = lines[k], lines[k + 1]
    if roles[k] in STANDALONE or roles[k + 1] in STANDALONE:
        return True
    if b.blank_before or b.bullet:
        return True
    if _doubled(a) or _doubled(b):  # outline doubling is for display lines only
        return True
    if not a.final:
        return False
    if seg_of[k] != seg_of[k + 1] or b.indented:  # a kept indent is a first line for sure
        return True
    m = measure[k]
    if not m:
        return True
    # A first line is indented (◆ items hang instead), so it is short by the indent.
    expected = m - INDENT_EM if opens and not a.bullet else m
    if not a.letter_spaced and a.width < expected - SHORT:
        return True
    if max(a.width, b.width) > SAME_MEASURE * m:  # a line set to another measure
        return True
    return _is_full_candidate(b) and b.width <= m - INDENT


def _join(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        words = text and part and is_latin(text[-1]) and is_latin(part[0])
        if words and not (text[-1].isdigit() and part[0].isdigit()):
            text += " "
        text += part
    return text


def _first_lines(
    lines: list[SourceLine], roles: list[str], seg_of: list[int], measure: list[float]
) -> list[int]:
    """Indices of the lines that open a paragraph."""
    firsts = [0]
    for k in range(len(lines) - 1):
        if _breaks_after(k, k == firsts[-1], lines, roles, seg_of, measure):
            firsts.append(k + 1)
    return firsts


def assemble(lines: list[SourceLine]) -> list[Paragraph]:
    """Rejoin source lines into paragraphs (see the module docstring).

    Two passes: the first finds paragraphs with a rough measure, the second
    measures again knowing which lines are indented first lines, and decides.
    """
    if not lines:
        return []
    roles = _roles(lines)
    seg_of = _segments(lines, roles)
    rough = _measures(lines, roles, seg_of)
    measure = _measures(lines, roles, seg_of, set(_first_lines(lines, roles, seg_of, rough)))
    firsts = _first_lines(lines, roles, seg_of, measure)
    paragraphs: list[Paragraph] = []
    for start, end in zip(firsts, [*firsts[1:], len(lines)], strict=True):
        group = lines[start:end]
        role = roles[start]
        joined = resolve_candidates(_join([line.text for line in group]))
        text = (group[0].byline or "") if role == "byline" else undouble(joined)
        kind = role if role != "flow" else ("item" if group[0].bullet else "body")
        paragraphs.append(
            Paragraph(
                kind=kind,
                text=text,
                first=group[0].number,
                last=group[-1].number,
                measure=0.0 if role in STANDALONE else round(measure[start], 1),
                lines=len(group),
                doubled=role != "byline" and text != joined,
            )
        )
    return paragraphs
