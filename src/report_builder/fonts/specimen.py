"""A specimen page of every shipped role and weight, to proof glyph shapes by eye.

    python -m report_builder.fonts.specimen out/specimen.pdf

Each face sets the same lines: running text, the full-width punctuation of clreq,
digits and Latin. Characters a face lacks are set from its fallback chain, exactly
as the build would, and listed under the face's line, so a proof shows at once
whether anything would print as a .notdef box.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .registry import FontRegistry

SAMPLES = (
    "劳动成就梦想，奋斗铸就辉煌。湖南工会这五年：勇于担当、守正创新。",
    "。，、；：？！“”‘’（）《》〈〉【】——……·「」『』〔〕",
    "0123456789 2023年8月1日 93% 2.7万家 ①②③④⑤ ◆◇●■▲",
    "ABCDEFGHIJKLM abcdefghijklm Report Builder (PDF/X-4), 10.5 pt",
)
ROLES = (
    ("song", "regular", "宋体 Song"),
    ("song", "bold", "宋体 Song"),
    ("hei", "regular", "黑体 Hei"),
    ("hei", "bold", "黑体 Hei"),
    ("kai", "regular", "楷体 Kai"),
    ("kai", "bold", "楷体 Kai"),
    ("fangsong", "regular", "仿宋 FangSong (→ Kai)"),
)
PAGE = (595.0, 842.0)  # A4, pt
MARGIN = 40.0


def _runs(registry: FontRegistry, role: str, weight: str, text: str) -> list[tuple[str, str]]:
    """(face name, text) runs, each character from the first face in the chain that has it."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        face = registry.face_for_char(role, weight, ch)
        name = face.name if face else registry.face(role, weight).name
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    return runs


def write_specimen(path: Path, registry: FontRegistry | None = None) -> list[str]:
    """Write the specimen PDF; return notes on characters set from a fallback face."""
    from reportlab.pdfgen.canvas import Canvas

    registry = registry or FontRegistry.shipped()
    registry.register_reportlab()
    label_face = registry.face("hei", "regular").name
    path.parent.mkdir(parents=True, exist_ok=True)
    c = Canvas(str(path), pagesize=PAGE, invariant=1, initialFontName=label_face)
    c.setTitle("report_builder font specimen")
    notes: list[str] = []
    y = PAGE[1] - MARGIN
    c.setFont(label_face, 16)
    c.drawString(MARGIN, y, "字体样张 report_builder shipped faces")
    y -= 28
    for role, weight, label in ROLES:
        primary = registry.face(role, weight)
        c.setFont(label_face, 8)
        c.setFillGray(0.35)
        c.drawString(MARGIN, y, f"{label} · {weight} · {primary.name}")
        c.setFillGray(0)
        y -= 17
        for text in SAMPLES:
            x = MARGIN
            for name, run in _runs(registry, role, weight, text):
                c.setFont(name, 12)
                c.drawString(x, y, run)
                x += c.stringWidth(run, name, 12)
                if name != primary.name:
                    notes.append(f"{role} {weight}: {run!r} from {name}")
            y -= 17
        y -= 8
    c.showPage()
    c.save()
    return notes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "out/specimen.pdf")
    notes = write_specimen(out)
    for note in notes:
        print(f"fallback: {note}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
