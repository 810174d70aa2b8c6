"""Undo text printed twice for an outline or shadow effect.

An outlined headline is often two text objects at the same place; extraction
then gives every character twice in a row as whole strings: "这五年这五年", or a
caption with its closing mark doubled at the end:
"…动员会现场…动员会现场。。". Only a whole paragraph that is exactly one text
repeated is undone, and that text must hold at least three letters, so genuine
repetition inside a sentence ("谢谢谢谢", "一步一步") is never touched.
"""

from __future__ import annotations

import re
import unicodedata

_TRAILING_PUNCT = re.compile(r"[。！？!?…，、；：.,;:”’」』）)》]+$")
MIN_LETTERS = 3


def _letters(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch)[0] in "LN")


def _halves(text: str) -> str | None:
    """The first half of text when text is that half written twice."""
    n = len(text)
    if n % 2 or text[: n // 2] != text[n // 2 :]:
        return None
    return text[: n // 2]


def undouble(text: str) -> str:
    """Return text with an outline doubling removed, or text unchanged."""
    whole = _halves(text)
    if whole is not None and _letters(whole) >= MIN_LETTERS:
        return whole
    match = _TRAILING_PUNCT.search(text)
    if not match:
        return text
    body, punct = text[: match.start()], match.group()
    half = _halves(body)
    if half is None or _letters(half) < MIN_LETTERS:
        return text
    # "现场现场。。" → "现场。"; a single closing mark after a doubled body stays.
    # "……" and "——" are one mark of two characters: never cut them in half.
    half_punct = _halves(punct)
    if half_punct is None or half_punct.count("…") % 2 or half_punct.count("—") % 2:
        half_punct = punct
    return half + half_punct
