"""Helpers for the import-text tests: made-up extracts and a coverage check.

A plain module (not conftest) so tests import its functions directly.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "content" / "hunan-unions-2023.extracted.txt"  # copy of shared/content


def _w(ch: str) -> float:
    return 0.5 if ch.isascii() else 1.0


def wrap_extract(
    paragraphs: list[str], measure: int, blank_noise: bool = True, indent: int = 2
) -> str:
    """Set paragraphs in a justified column of ``measure`` em and extract them as text.

    Like a real extract: the first-line indent is lost, every line is broken at
    the measure, and (``blank_noise``) a blank line follows every line.
    """
    out: list[str] = []
    for para in paragraphs:
        room = measure - (0 if para[0] in "◆●" else indent)
        line, used = "", 0.0
        for ch in para:
            if used + _w(ch) > room:
                out.append(line)
                line, used, room = "", 0.0, measure
            line += ch
            used += _w(ch)
        out.append(line)
    return ("\n\n" if blank_noise else "\n").join(out) + "\n"


def sentences(text: str) -> list[str]:
    """Sentences of text with whitespace removed, split after 。！？… and closing quotes."""
    flat = re.sub(r"\s+", "", text)
    return [s for s in re.split(r"(?<=[。！？…])(?![”’」』）…])", flat) if s]


def leftover(source: str, units: list[str]) -> str:
    """What of the source is not in units: each unit is taken out of it once, longest first.

    Whitespace is ignored on both sides. A cleaned text that holds every piece
    of the source exactly once leaves only the second copies of doubled text.
    """
    rest = re.sub(r"\s+", "", source)
    for unit in sorted((re.sub(r"\s+", "", u) for u in units), key=len, reverse=True):
        at = rest.find(unit)
        assert at >= 0, f"not in the source (or taken twice): {unit!r}"
        rest = rest[:at] + "\x00" + rest[at + len(unit) :]
    return rest.replace("\x00", "")
