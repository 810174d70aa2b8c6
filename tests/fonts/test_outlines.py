"""The shipped faces are faithful to their sources: outlines, advances, tables, names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from report_builder.fonts.prepare import check

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "fonts"

LOCK = json.loads((ASSETS / "fonts.lock").read_text(encoding="utf-8"))
FACES = {f["file"]: f for f in LOCK["faces"]}


def _bounds(glyph_set, name):
    pen = BoundsPen(glyph_set)
    glyph_set[name].draw(pen)
    return pen.bounds


@pytest.mark.parametrize("file", sorted(FACES))
def test_outlines_and_advances_match_source(file: str) -> None:
    entry = FACES[file]
    src_info = entry["source"]
    source = TTFont(src_info["path"], fontNumber=src_info["index"], lazy=True)
    out = TTFont(ASSETS / file, lazy=True)
    assert source["name"].getDebugName(6) == src_info["postscript_name"]
    s_cmap, o_cmap = source.getBestCmap(), out.getBestCmap()
    codepoints = sorted(o_cmap)
    sample = codepoints[:: max(1, len(codepoints) // 300)]
    assert len(sample) >= 290
    s_gs, o_gs = source.getGlyphSet(), out.getGlyphSet()
    s_upem, o_upem = source["head"].unitsPerEm, out["head"].unitsPerEm
    assert s_upem == o_upem
    worst = 0.0
    for cp in sample:
        s_name, o_name = s_cmap[cp], o_cmap[cp]
        assert source["hmtx"][s_name][0] == out["hmtx"][o_name][0], chr(cp)
        sb, ob = _bounds(s_gs, s_name), _bounds(o_gs, o_name)
        if sb is None or ob is None:
            assert sb == ob, f"U+{cp:04X}: {sb} vs {ob}"
            continue
        diff = max(abs(a - b) for a, b in zip(sb, ob, strict=True))
        assert diff <= 1.0, f"U+{cp:04X} {chr(cp)}: bounds {sb} vs {ob}"
        worst = max(worst, diff)
    # A conversion that changed nothing would be suspicious for CFF sources.
    if "CFF " in source:
        assert worst > 0


@pytest.mark.parametrize("file", sorted(FACES))
def test_tables_and_names(file: str) -> None:
    entry = FACES[file]
    font = TTFont(ASSETS / file, lazy=True)
    assert "glyf" in font and "CFF " not in font
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "fpgm", "prep", "cvt "):
        assert tag not in font, tag
    assert font["post"].formatType == 3.0
    assert font["maxp"].tableVersion == 0x00010000
    assert font["head"].glyphDataFormat == 0
    assert font["OS/2"].fsType & 0x0202 == 0
    name = font["name"]
    assert name.getDebugName(1).endswith(" RB")
    assert name.getDebugName(6) == entry["name"]
    for rid in (1, 3, 4, 6):  # OFL reserved names of LXGW WenKai must not appear
        assert "LXGW" not in name.getDebugName(rid)
        assert "霞鹜" not in name.getDebugName(rid)
    assert name.getDebugName(0)  # copyright notice kept
    assert "Open Font License" in name.getDebugName(13)
    # head timestamps are the source's: output does not depend on the clock
    source = TTFont(entry["source"]["path"], fontNumber=entry["source"]["index"], lazy=True)
    assert font["head"].modified == source["head"].modified
    assert len(font.getGlyphOrder()) == entry["glyphs"]


def test_repertoire_is_covered_by_every_face() -> None:
    """GB 2312 and the marks a Chinese page needs are in every shipped face."""
    from report_builder.fonts.repertoire import gb2312_chars

    needed = gb2312_chars() | set("·—…“”‘’《》「」『』【】〔〕（）、。，；：？！①⑳◆◇●■▲")
    needed |= {chr(c) for c in range(0x21, 0x7F)}
    for file in FACES:
        cmap = TTFont(ASSETS / file, lazy=True).getBestCmap()
        missing = sorted(c for c in needed if ord(c) not in cmap)
        assert not missing, (file, missing[:20])


def test_committed_files_match_lock() -> None:
    assert check(ASSETS) == []


def test_metrics_cache_matches_font() -> None:
    """The JSON advances the composer uses equal the hmtx/cmap of the shipped TTF."""
    from report_builder.fonts import metrics_cache

    for file, entry in FACES.items():
        face = metrics_cache.load(ASSETS / entry["metrics"], ASSETS / file)
        font = TTFont(ASSETS / file, lazy=True)
        upem = font["head"].unitsPerEm
        cmap = font.getBestCmap()
        assert len(face.advances) == len(cmap) == entry["characters"]
        for cp, glyph in cmap.items():
            assert face.advances[chr(cp)] == font["hmtx"][glyph][0] / upem
        assert (face.ascent, face.descent) == (0.88, 0.12)
