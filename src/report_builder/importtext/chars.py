"""Character classes and widths used to read a CJK page back from extracted text."""

from __future__ import annotations

import unicodedata

# Marks that end a sentence, and closing marks that may follow them (。” ends too).
SENTENCE_END = frozenset("。！？!?…")
CLOSERS = frozenset("”’」』）)》〉】\"'")
# List markers printed at the start of an item.
BULLETS = frozenset("◆◇●○■□▲△★☆▶►•")
# Space characters the extraction may leave: ASCII, no-break, ideographic (U+3000).
SPACES = frozenset(" \u00a0\u3000\u2002\u2003\u2009")


def is_han(ch: str) -> bool:
    """A Han ideograph (CJK unified, extension A–F, compatibility)."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3134F
        or ch == "〇"
    )


def is_latin(ch: str) -> bool:
    """A letter or digit of Latin script (ASCII, accented, fullwidth forms excluded)."""
    if ch.isascii():
        return ch.isalnum()
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def is_cjk(ch: str) -> bool:
    """Anything that is set on the square CJK grid: Han, kana, CJK and fullwidth punctuation."""
    if is_han(ch):
        return True
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x30FF  # CJK symbols and punctuation, kana
        or 0xFF00 <= cp <= 0xFFEF  # fullwidth forms (，：；！？（）)
        or 0x2010 <= cp <= 0x206F  # general punctuation: “”‘’…—
        or 0x25A0 <= cp <= 0x25FF  # geometric shapes (◆)
        or 0x2600 <= cp <= 0x26FF
        or ch in "·《》"
    )


def width(text: str) -> float:
    """Width in em of text as a CJK page sets it: ASCII half, everything else full.

    Spaces count nothing: in an extract they are artefacts of justification or
    of the old CJK–Latin spacing, not part of the measure.
    """
    return sum(0.0 if ch in SPACES else 0.5 if ch.isascii() else 1.0 for ch in text)


def ends_sentence(text: str) -> bool:
    """True when text ends with a sentence-final mark, possibly followed by closing quotes."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END


def has_punctuation(text: str) -> bool:
    """True when text holds any punctuation mark (titles and bylines usually hold none)."""
    return any(unicodedata.category(ch).startswith("P") for ch in text)
