"""Odd and broken images and fonts, made at test time (nothing large is committed).

The images are small gradients (600 × 400 px) so every variant builds in a few
milliseconds; the broken ones are cut, scrambled or lying about their size.
The fonts are built with fontTools' FontBuilder: a handful of square glyphs.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import Image

SIZE = (600, 400)


def _rgb() -> Image.Image:
    """A deterministic colour picture: three gradients as R, G and B."""
    radial = Image.radial_gradient("L").resize(SIZE)
    linear = Image.linear_gradient("L").resize(SIZE)
    return Image.merge("RGB", (radial, linear, radial.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def _png(width: int, height: int, depth: int, colour_type: int, rows: bytes) -> bytes:
    """A PNG written by hand: Pillow cannot save 16-bit colour, and a bomb must lie."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def _rgb16_rows(width: int, height: int) -> bytes:
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            r, g, b = x * 65535 // width, y * 65535 // height, (x + y) * 65535 // (width + height)
            rows += struct.pack(">HHH", r, g, b)
    return bytes(rows)


def make_images(folder: Path) -> dict[str, Path]:
    """Write every test image into ``folder``; returns name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    rgb = _rgb()
    made: dict[str, Path] = {}

    def save(name: str, image: Image.Image, **params: object) -> None:
        made[name] = folder / name
        image.save(made[name], **params)

    def write(name: str, data: bytes) -> None:
        made[name] = folder / name
        made[name].write_bytes(data)

    # variants that must build
    save("rgb.jpg", rgb, quality=90)
    save("cmyk.jpg", rgb.convert("CMYK"), quality=90)
    save("cmyk.tif", rgb.convert("CMYK"))
    write("rgb16.png", _png(*SIZE, 16, 2, _rgb16_rows(*SIZE)))
    save("grey16.png", rgb.convert("L").convert("I").point(lambda v: v * 257).convert("I;16"))
    save("palette.png", rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=64))
    save(
        "palette-transparent.png",
        rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=64),
        transparency=0,
    )
    rgba = rgb.convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize(SIZE))
    save("rgba.png", rgba)
    save("grey-alpha.png", rgba.convert("LA"))
    # too small for its frame
    save("tiny.jpg", rgb.resize((60, 40)), quality=90)
    # broken
    good_jpeg = made["rgb.jpg"].read_bytes()
    write("truncated.jpg", good_jpeg[: len(good_jpeg) // 3])
    scrambled = bytes((b * 31 + 7) % 256 for b in good_jpeg[200:2200])
    write("corrupt.png", b"\x89PNG\r\n\x1a\n" + scrambled)
    write("not-an-image.jpg", "这不是图片，是一段文字。\n".encode())
    write("empty.jpg", b"")
    save("animation.gif", rgb.convert("P"))
    # 30000 × 30000 px claimed by a 70-byte file: Pillow's decompression-bomb guard
    write("bomb.png", _png(30000, 30000, 8, 2, b"\0" * 100))
    return made


def _font(path: Path, chars: str, fs_type: int = 0) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, -100))
        pen.lineTo((100, 800))
        pen.lineTo((900, 800))
        pen.lineTo((900, -100))
        pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: (1000, 100) for name in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "BadInput Squares", "styleName": "Regular"})
    fb.setupOS2(
        sTypoAscender=880,
        sTypoDescender=-120,
        usWinAscent=880,
        usWinDescent=120,
        fsType=fs_type,
    )
    fb.setupPost()
    fb.save(str(path))


SMALL_FONT_CHARS = "劳动成就梦想 "


def make_fonts(folder: Path) -> dict[str, Path]:
    """A usable small face, one whose licence forbids embedding, and a corrupt file."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {name: folder / name for name in ("small.ttf", "restricted.ttf", "corrupt.ttf")}
    _font(made["small.ttf"], SMALL_FONT_CHARS)
    _font(made["restricted.ttf"], SMALL_FONT_CHARS, fs_type=0x0002)
    made["corrupt.ttf"].write_bytes(b"\x00\x01\x00\x00" + bytes(range(256)) * 8)
    return made
