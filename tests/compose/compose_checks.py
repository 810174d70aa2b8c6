"""Shared helpers for the composer tests: real fonts, and the rule checks."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from report_builder.compose import ComposedParagraph, ComposeStyle, Span, compose_paragraph
from report_builder.compose.__main__ import load_face
from report_builder.compose.chars import prohibited
from report_builder.fonts.metrics import FaceMetrics

NOTO_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
LXGW = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
SEED = str(Path(__file__).resolve().parents[2] / "content" / "hunan-unions-2023.extracted.txt")
SIZE = 9.0
TOL = 0.01  # pt


@cache
def noto() -> FaceMetrics:
    """Noto Serif CJK SC read from the system .ttc (hmtx + cmap, no conversion)."""
    from fontTools.ttLib import TTCollection

    names = [f["name"].getDebugName(4) for f in TTCollection(NOTO_SERIF).fonts]
    return load_face(NOTO_SERIF, names.index("Noto Serif CJK SC"))


@cache
def lxgw() -> FaceMetrics:
    return load_face(LXGW)


def compose(
    text: str, chars: float = 13.0, face: FaceMetrics | None = None, **style
) -> ComposedParagraph:
    """Compose ``text`` at 9 pt on a measure of ``chars`` em (or a list of them)."""
    st = ComposeStyle(**{"size": SIZE, **style})
    widths = [c * SIZE for c in chars] if isinstance(chars, list) else chars * SIZE
    return compose_paragraph([Span(text, face or noto(), SIZE)], widths, st)


def visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def prohibition_violations(para: ComposedParagraph, strictness: str = "gb") -> list[str]:
    """Lines that start or end with a forbidden mark (the three-closing-marks
    last resort is allowed, as clreq allows it)."""
    nostart, noend = prohibited(strictness)
    bad = []
    lines = [ln for ln in para.lines if ln.glyphs]
    for n, line in enumerate(lines):
        text = line.text
        if n > 0 and text[0] in nostart:
            prev = lines[n - 1].text
            closing = "、，。；：？！”’）〕】〗］｝》〉」』"
            last_resort = (
                strictness != "strict"
                and len(prev) >= 2
                and prev[-1] in closing
                and prev[-2] in closing
                and text[0] in closing
            )
            if not last_resort:
                bad.append(f"line {n} starts with {text[0]!r}: {text}")
        if n < len(lines) - 1 and text[-1] in noend:
            bad.append(f"line {n} ends with {text[-1]!r}: {text}")
    return bad


def seed_paragraphs() -> list[str]:
    from pathlib import Path

    from report_builder.compose.__main__ import paragraphs_of

    return paragraphs_of(Path(SEED).read_text(encoding="utf-8"))
