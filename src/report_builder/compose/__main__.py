"""Print a column of composed text, to eyeball line breaks and spacing.

    python -m report_builder.compose TEXTFILE [--font PATH] [--member N]
        [--size 9] [--chars 13] [--paragraphs 5] [--detail]

Paragraphs are blank-line separated; the broken lines of an extracted text are
joined. ``--detail`` marks squeezed marks (‹ › = trimmed left / right) and
prints each line's adjustment.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..fonts.metrics import FaceMetrics
from .model import ComposeStyle, Span
from .paragraph import compose_paragraph

DEFAULT_FONT = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"


def load_face(path: str, member: int | None = None) -> FaceMetrics:
    """FaceMetrics straight from a font file's hmtx and cmap (no ReportLab)."""
    from fontTools.ttLib import TTCollection, TTFont

    font = TTCollection(path).fonts[member] if member is not None else TTFont(path)
    upem = font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    advances = {chr(c): hmtx[g][0] / upem for c, g in font.getBestCmap().items()}
    return FaceMetrics(font["name"].getDebugName(4) or Path(path).stem, advances, path=path)


def paragraphs_of(text: str) -> list[str]:
    """Join an extracted text's broken lines into paragraphs."""
    out: list[str] = []
    for block in text.split("\n\n"):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if lines:
            out.append("".join(lines))
    # the extraction breaks paragraphs into blocks too: join a block into the
    # previous one when the previous did not end a sentence
    merged: list[str] = []
    for para in out:
        if merged and merged[-1][-1] not in "。！？”：）" and not para.startswith("◆"):
            merged[-1] += para
        else:
            merged.append(para)
    return merged


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m report_builder.compose")
    ap.add_argument("text")
    ap.add_argument("--font", default=DEFAULT_FONT)
    ap.add_argument("--member", type=int, default=None)
    ap.add_argument("--size", type=float, default=9.0)
    ap.add_argument("--chars", type=float, default=13.0)
    ap.add_argument("--paragraphs", type=int, default=6)
    ap.add_argument("--detail", action="store_true")
    args = ap.parse_args(argv)
    face = load_face(args.font, args.member)
    paras = paragraphs_of(Path(args.text).read_text(encoding="utf-8"))[: args.paragraphs]
    style = ComposeStyle(size=args.size)
    width = args.chars * args.size
    t0 = time.perf_counter()
    composed = [compose_paragraph([Span(p, face, args.size)], width, style) for p in paras]
    ms = (time.perf_counter() - t0) * 1000
    for para in composed:
        for line in para.lines:
            text = line.text
            if args.detail:
                marks = []
                for g in line.glyphs:
                    full = g.face.advance(g.ch) * g.size
                    if g.width is not None and g.width < full - 1e-6:
                        marks.append(f"{g.ch}{g.width / g.size:.2f}")
                text += f"   {line.ratio:+.3f} " + " ".join(marks)
            print("\u3000" * round(line.offset / args.size) + text)
        print()
    print(f"{len(paras)} paragraphs in {ms:.1f} ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
