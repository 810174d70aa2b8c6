"""Character classes for Chinese line composition (clreq, GB/T 15834-2011).

Sets follow norms.md §1.1-1.2. A character's *class* says how it breaks and
how its blank half may be trimmed; its *width* always comes from the font.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Opening brackets and quotes: ink in the right half, blank on the left (SC).
OPENING = frozenset("“‘（〔【〖［｛《〈「『｟〘〝")
# Closing brackets and quotes: ink in the left half, blank on the right.
CLOSING_BRACKETS = frozenset("”’）〕】〗］｝》〉」』｠〙〞")
# Pause and stop marks, SC position lower-left, blank on the right.
COMMAS = frozenset("、，；：")  # squeezed before 。？！ (clreq reduction step 5)
STOPS = frozenset("。．？！‼⁇⁈⁉")  # squeezed last (step 7)
# Centred marks: blank split on both sides.
MIDDLE_DOTS = frozenset("・‧")
# Marks that run as one unbreakable 2-em unit when doubled (——, ……).
DASH_LIKE = frozenset("—⸺⸻…⋯")
# Connectors and solidi: no justification space around them (clreq §1.4).
CONNECTORS = frozenset("～〜-–/／")
# Symbols between Han text that must not open a break before them (法院+人社).
NO_BREAK_BEFORE_SYMBOLS = frozenset("+/-=×÷～〜/／&")

# Units that belong to the number before them (25℃, 3‰), whatever their width.
UNIT_MARKS = frozenset("%‰‱℃℉°′″")
# The interpunct (中国梦·劳动美) takes half an em, centred (GB/T 15834 4.14).
INTERPUNCTS = frozenset("·‧")

NOT_AT_LINE_START_BASIC = (
    COMMAS
    | STOPS
    | CLOSING_BRACKETS
    | frozenset("～〜–·・‧〃々ゝゞヽヾ")
    | frozenset(",.;:?!)]}%‰℃°′″")
)
NOT_AT_LINE_END_BASIC = OPENING | frozenset("([{")

STRICTNESS = ("basic", "gb", "strict")

# List bullets and reference marks: set on the Han grid but not words, so no
# Han–Latin space opens between ◆ and a number that follows it (◆2022年…).
BULLETS = frozenset("◆◇●○■□▲△▼▽★☆※•")

# Kinds of atoms (unbreakable units) the composer works with.
HAN = 0  # ideographs, kana, full-width symbols: 1 em, breakable on both sides
PUNCT = 1  # full-width Chinese punctuation
WESTERN = 2  # run of Latin letters / digits (with . , % etc. inside)
SYMBOL = 3  # run of Western symbols only (+, /, -): no Han–Latin space around
DASH = 4  # ——, ……: unbreakable, never inside justified

# Trim sides of a punctuation mark.
SIDE_NONE, SIDE_LEFT, SIDE_RIGHT, SIDE_BOTH = 0, 1, 2, 3

# Shrink priorities (clreq §procedures_for_inter-character_spacing_reduction):
# 1 line-end (fixed), 2 word spaces, 3 interpuncts, 4 brackets, 5 、，；：,
# 6 Han–Western space, 7 。？！.
SHRINK_WORD, SHRINK_DOT, SHRINK_BRACKET, SHRINK_COMMA, SHRINK_HL, SHRINK_STOP = 2, 3, 4, 5, 6, 7


def is_space(ch: str) -> bool:
    return ch in " \t\n\r\f\v\u00a0\u2002\u2003\u2009\u200a"


@lru_cache(maxsize=4096)
def is_wide(ch: str) -> bool:
    """True for characters set on the ideographic em grid (Han, kana, full-width forms)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


CJK_PUNCT = OPENING | CLOSING_BRACKETS | COMMAS | STOPS | MIDDLE_DOTS


def is_cjk_punct(ch: str) -> bool:
    return ch in CJK_PUNCT


def trim_side(ch: str) -> int:
    """Which side of a full-width mark is blank (and so may be trimmed)."""
    if ch in OPENING:
        return SIDE_LEFT
    if ch in CLOSING_BRACKETS or ch in COMMAS or ch in STOPS:
        return SIDE_RIGHT
    if ch in MIDDLE_DOTS:
        return SIDE_BOTH
    return SIDE_NONE


def shrink_priority(ch: str) -> int:
    if ch in MIDDLE_DOTS:
        return SHRINK_DOT
    if ch in OPENING or ch in CLOSING_BRACKETS:
        return SHRINK_BRACKET
    if ch in COMMAS:
        return SHRINK_COMMA
    return SHRINK_STOP


@lru_cache(maxsize=8)
def prohibited(strictness: str) -> tuple[frozenset[str], frozenset[str]]:
    """(not at line start, not at line end) for a strictness level.

    basic: clreq basic. gb: + —— …… not at a line start (except a paragraph's),
    solidi not at a line end. strict: + hyphen/solidus not at a line start,
    interpuncts glued on both sides, and no last-resort break in runs of three
    closing marks (see segment).
    """
    start, end = set(NOT_AT_LINE_START_BASIC), set(NOT_AT_LINE_END_BASIC)
    if strictness in ("gb", "strict"):
        start |= DASH_LIKE
        end |= set("/／")
    if strictness == "strict":
        start |= set("-/／")
        end |= set("·・‧")
    return frozenset(start), frozenset(end)


def not_at_line_start(ch: str, strictness: str) -> bool:
    return ch in prohibited(strictness)[0]


def not_at_line_end(ch: str, strictness: str) -> bool:
    return ch in prohibited(strictness)[1]


def is_western_char(ch: str, advance: float) -> bool:
    """Latin, digits and symbols that are set proportionally, in runs.

    East-Asian-ambiguous symbols (◆ ① ※ …) are classed by their width in the
    face: full-width ones sit on the Han grid.
    """
    if ch in UNIT_MARKS:
        return True
    if is_wide(ch) or is_cjk_punct(ch) or ch in DASH_LIKE:
        return False
    if ord(ch) < 0x2000:
        return True
    return advance < 0.9
