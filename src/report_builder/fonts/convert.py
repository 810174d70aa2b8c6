"""Turn an OpenType face into one ReportLab can embed: glyf outlines, no layout tables.

ReportLab's TrueType reader rejects CFF ("postscript outlines are not supported"),
so CFF faces are converted with cu2qu (the fontTools otf2ttf recipe: max_err 1.0
font units, reversed contour direction). Subsetting drops GSUB/GPOS: ReportLab never
applies them and their closure would drag in 6,000 JP/KR/TC alternates.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable

MAX_ERR = 1.0  # font units
DROP_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "JSTF", "DSIG", "MATH", "meta")
# fsType bits: 0x0002 restricted licence embedding; 0x0200 bitmap embedding only.
FSTYPE_NO_EMBED = 0x0002 | 0x0200


class FontSourceError(Exception):
    """A source face that cannot be used: unreadable, not found in a collection, restricted."""


def collection_index(path: Path, family: str) -> int:
    """The member of a .ttc whose family (name ID 16, else 1) is ``family``."""
    coll = TTCollection(str(path), lazy=True)
    names = []
    for i, font in enumerate(coll.fonts):
        name = font["name"]
        fam = name.getDebugName(16) or name.getDebugName(1)
        names.append(fam)
        if fam == family:
            return i
    members = ", ".join(map(str, names))
    raise FontSourceError(f"{path}: no member named {family!r} (members: {members})")


def open_face(path: Path, index: int = 0) -> TTFont:
    """Load a face fully; raise FontSourceError with a plain message when that fails."""
    try:
        with open(path, "rb") as fh:
            is_collection = fh.read(4) == b"ttcf"
        font = TTFont(
            str(path),
            fontNumber=index if is_collection else -1,
            recalcTimestamp=False,
        )
        for tag in ("head", "cmap", "hmtx"):  # parse the basics now, inside this try
            font[tag]
    except FontSourceError:
        raise
    except Exception as exc:  # fontTools raises many kinds for a corrupt file
        raise FontSourceError(f"{path}: not a readable font ({type(exc).__name__}: {exc})") from exc
    check_embeddable(font, path)
    return font


def check_embeddable(font: TTFont, path: Path) -> None:
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    if fs_type & FSTYPE_NO_EMBED:
        raise FontSourceError(
            f"{path}: the font's licence forbids embedding it in a PDF "
            f"(OS/2 fsType 0x{fs_type:04X}); use a face licensed for embedding, "
            "such as the shipped OFL faces"
        )


def em_box(font: TTFont) -> tuple[float, float]:
    """(ascent, descent) of the ideographic em box in em, from BASE 'ideo' or OS/2 typo metrics."""
    upem = font["head"].unitsPerEm
    if "BASE" in font:
        axis = font["BASE"].table.HorizAxis
        if axis and axis.BaseTagList and axis.BaseScriptList:
            tags = list(axis.BaseTagList.BaselineTag)
            if "ideo" in tags:
                k = tags.index("ideo")
                for rec in axis.BaseScriptList.BaseScriptRecord:
                    values = rec.BaseScript.BaseValues
                    if rec.BaseScriptTag in ("hani", "DFLT") and values:
                        ideo = values.BaseCoord[k].Coordinate
                        return (upem + ideo) / upem, -ideo / upem
    os2 = font.get("OS/2")
    if os2 is not None and os2.sTypoAscender - os2.sTypoDescender == upem:
        return os2.sTypoAscender / upem, -os2.sTypoDescender / upem
    return 0.88, 0.12


def subset(font: TTFont, chars: Iterable[str] | None) -> None:
    """Cut ``font`` to ``chars`` (None keeps every mapped character), without layout tables."""
    opts = Options()
    opts.layout_features = []
    opts.drop_tables = [*opts.drop_tables, *DROP_TABLES]
    opts.hinting = False
    opts.desubroutinize = True
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = [0x0409]
    opts.name_legacy = False
    opts.glyph_names = False
    opts.legacy_kern = False
    opts.recalc_timestamp = False
    sub = Subsetter(opts)
    if chars is None:
        sub.populate(unicodes=font.getBestCmap().keys())
    else:
        sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)
    for tag in DROP_TABLES:
        if tag in font:
            del font[tag]


def cff_to_glyf(font: TTFont, max_err: float = MAX_ERR) -> None:
    """Replace CFF outlines by quadratic glyf outlines in place (fontTools otf2ttf recipe)."""
    if "CFF " not in font:
        return
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, attr, 0)
    maxp.maxComponentElements = max(
        (len(getattr(g, "components", None) or []) for g in glyf.glyphs.values()), default=0
    )
    maxp.compile(font)
    font.sfntVersion = "\x00\x01\x00\x00"


def finish_tables(font: TTFont) -> None:
    """post format 3 (no glyph names: smaller; format 2 overflows on big faces), glyf format 0."""
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font["head"].glyphDataFormat = 0


def rename(font: TTFont, family: str, ps_family: str, note: str) -> str:
    """Give the derivative its own names (OFL §3 for reserved names); return the PostScript name."""
    name = font["name"]
    style = name.getDebugName(17) or name.getDebugName(2) or "Regular"
    version = (name.getDebugName(5) or "").split(";")[0]
    ps_name = f"{ps_family}-{style.replace(' ', '')}"
    full = family if style == "Regular" else f"{family} {style}"
    for rec_id in (1, 2, 3, 4, 6, 10, 16, 17, 18, 21, 22, 25):
        name.removeNames(nameID=rec_id)
    records = {
        1: family,
        2: style,
        3: f"{version};{ps_name};report_builder",
        4: full,
        6: ps_name,
        10: note,
    }
    for rec_id, value in records.items():
        name.setName(value, rec_id, 3, 1, 0x0409)
    return ps_name


def to_bytes(font: TTFont) -> bytes:
    font.recalcTimestamp = False
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    return buf.getvalue()
