"""prepare_image on real files: every kind of input gives a CMYK JPEG or a clean message."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from report_builder.errors import BuildError, Severity
from report_builder.prepress.images import prepare_image
from report_builder.prepress.pixels import max_total_ink

from .helpers import make_pdf, make_report, photo

FRAME = (300.0, 200.0)  # pt, the photo's own 3:2 aspect


def prep(src: Path, report, tmp_path: Path, **kw):
    kw.setdefault("fit", "fill")
    kw.setdefault("focus", (0.5, 0.5))
    w, h = kw.pop("frame", FRAME)
    return prepare_image(src, w, h, report=report, cache_dir=tmp_path / "cache", **kw)


def test_rgb_photo_becomes_cmyk_jpeg_at_target_ppi(photo_jpg, report, tmp_path):
    res = prep(photo_jpg, report, tmp_path)
    with Image.open(res.path) as im:
        assert im.format == "JPEG" and im.mode == "CMYK"
        assert im.size == res.pixel_size
        # 300 pt = 4.1667 in at 300 ppi = 1250 px; the 1200 px original is not upsampled
        assert im.size == (1200, 800)
        assert res.max_ink == pytest.approx(max_total_ink(im), abs=1e-3)
    assert res.colorspace == "CMYK"
    assert res.ppi == pytest.approx(1200 / (300 / 72), abs=0.1)
    assert res.max_ink <= report.output.ink_limit
    assert not res.diagnostics  # 288 ppi is above the 200 ppi minimum


def test_downsamples_to_target_and_never_upsamples(tmp_path, report):
    big = tmp_path / "big.png"
    photo((3000, 2000)).save(big)
    res = prep(big, report, tmp_path, frame=(144.0, 96.0))  # 2 × 1.333 in
    assert res.pixel_size == (600, 400)
    assert res.ppi == pytest.approx(300.0)


@pytest.mark.parametrize("frame_w", [72.2, 100.1, 144.0, 287.3, 500.05])
def test_downsampled_photo_is_never_under_the_target_ppi(tmp_path, frame_w):
    """Pixel counts are rounded up: 200 ppi asked, 200 ppi minimum, never a 199.8 ppi warning."""
    report = make_report(tmp_path, image_ppi=200, min_image_ppi=200)
    big = tmp_path / "big.png"
    photo((3000, 2000)).save(big)
    res = prep(big, report, tmp_path, frame=(frame_w, frame_w * 2 / 3))
    assert res.ppi >= 200.0
    assert res.pixel_size[0] == math.ceil(frame_w / 72 * 200 - 1e-6)
    assert not res.diagnostics


@pytest.mark.parametrize("orientation", [1, 6])
def test_jpeg_reduced_decoding_keeps_the_target_ppi(tmp_path, report, orientation):
    big = tmp_path / "big.jpg"
    exif = Image.Exif()
    exif[0x0112] = orientation
    photo((3200, 2400)).save(big, quality=90, exif=exif)
    # 1 × 1.5 in frame: needs 300 × 450 px; libjpeg may decode at 1/4 but not 1/8
    res = prep(big, report, tmp_path, frame=(72.0, 108.0), fit="fill")
    assert res.pixel_size == (300, 450)
    assert res.ppi == pytest.approx(300.0)


def test_cache_hit_is_fast_and_bytes_are_deterministic(photo_jpg, report, tmp_path):
    t0 = time.perf_counter()
    a = prep(photo_jpg, report, tmp_path)
    cold = time.perf_counter() - t0
    mtime = a.path.stat().st_mtime_ns
    t0 = time.perf_counter()
    b = prep(photo_jpg, report, tmp_path)
    warm = time.perf_counter() - t0
    assert b == a and b.path.stat().st_mtime_ns == mtime
    assert warm < cold
    other = prepare_image(
        photo_jpg, *FRAME, fit="fill", focus=(0.5, 0.5), report=report, cache_dir=tmp_path / "c2"
    )
    assert other.path.read_bytes() == a.path.read_bytes()
    # a different crop is a different cache entry
    c = prep(photo_jpg, report, tmp_path, focus=(0.0, 0.0), frame=(100.0, 100.0))
    assert c.path != a.path


def _cmyk_at(path: Path, x: float, y: float) -> tuple[int, ...]:
    with Image.open(path) as im:
        return im.getpixel((round(x * (im.width - 1)), round(y * (im.height - 1))))


def test_fill_crops_around_the_focus(photo_jpg, report, tmp_path):
    # square frame: focus left keeps the black marker in the top-left corner, focus right loses it
    left = prep(photo_jpg, report, tmp_path, frame=(100.0, 100.0), focus=(0.0, 0.0))
    right = prep(photo_jpg, report, tmp_path, frame=(100.0, 100.0), focus=(1.0, 0.0))
    assert left.pixel_size[0] == left.pixel_size[1]
    assert _cmyk_at(left.path, 0.005, 0.005)[3] > 200  # black marker: lots of K
    assert _cmyk_at(right.path, 0.005, 0.005)[3] < 100


def test_fit_letterboxes_on_paper_white(photo_jpg, report, tmp_path):
    res = prep(photo_jpg, report, tmp_path, frame=(200.0, 200.0), fit="fit")
    w, h = res.pixel_size
    assert w == h
    assert sum(_cmyk_at(res.path, 0.5, 0.02)) < 8  # the band above the photo is blank paper


def test_exif_orientation_is_honoured(tmp_path, report):
    src = tmp_path / "rotated.jpg"
    # stored landscape 600×400 with the marker top-left; EXIF 6 = rotate 90° clockwise to view
    exif = Image.Exif()
    exif[0x0112] = 6
    photo((600, 400)).save(src, exif=exif, quality=95)
    res = prep(src, report, tmp_path, frame=(200.0, 300.0), fit="fit")
    w, h = res.pixel_size
    assert h > w  # shown upright it is portrait, so it fills the 2:3 frame without padding
    # a clockwise turn: stored top-left (black marker) → top right, stored top-right
    # (blue) → bottom right, stored bottom-right (white end of the ramp) → bottom left
    assert _cmyk_at(res.path, 0.99, 0.01)[3] > 200
    c, _, _, k = _cmyk_at(res.path, 0.99, 0.99)
    assert c > 150 and k < 150
    assert sum(_cmyk_at(res.path, 0.01, 0.99)) < 40


def test_cmyk_jpeg_input_keeps_its_separation(tmp_path, report):
    src = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (400, 400), (255, 0, 0, 0)).save(src, quality=95)  # Adobe, inverted
    res = prep(src, report, tmp_path, frame=(100.0, 100.0))
    c, m, y, k = _cmyk_at(res.path, 0.5, 0.5)
    assert c > 245 and m < 10 and y < 10 and k < 10  # still pure cyan, not inverted
    assert any("CMYK image without a profile" in d.message for d in res.diagnostics)


@pytest.mark.parametrize(
    "mode,fmt",
    [("I;16", "PNG"), ("L", "TIFF"), ("P", "PNG"), ("1", "TIFF"), ("LA", "PNG")],
)
def test_other_modes_are_converted(tmp_path, report, mode, fmt):
    src = tmp_path / f"in.{fmt.lower()}"
    base = photo((300, 200))
    if mode == "I;16":
        grey = base.convert("L")
        im = Image.new("I;16", grey.size)
        im.putdata([v * 257 for v in grey.get_flattened_data()])
    else:
        im = base.convert(mode)
    im.save(src, fmt)
    res = prep(src, report, tmp_path, frame=(72.0, 48.0))
    with Image.open(res.path) as out:
        assert out.mode == "CMYK"
    # the grey ramp's dark end gets ink, its light end almost none
    assert sum(_cmyk_at(res.path, 0.02, 0.9)) > 300
    assert sum(_cmyk_at(res.path, 0.98, 0.9)) < 40


def test_sixteen_bit_rgb_png(tmp_path, report):
    src = tmp_path / "rgb16.png"
    # Pillow cannot write 16-bit RGB; build the PNG with the raw chunk writer
    im = photo((60, 40))
    raw = b"".join(
        b"\0" + b"".join(bytes([v, v]) for px in row for v in px)
        for row in ([im.getpixel((x, y)) for x in range(im.width)] for y in range(im.height))
    )
    src.write_bytes(_png(im.width, im.height, raw, bit_depth=16, colour_type=2))
    with Image.open(src) as check:
        assert check.mode == "RGB"  # Pillow reduces 16-bit RGB to 8 bits on read
    res = prep(src, report, tmp_path, frame=(30.0, 20.0))
    assert res.pixel_size == (60, 40)


def _png(w: int, h: int, raw: bytes, *, bit_depth: int, colour_type: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_transparency_is_flattened_on_white(tmp_path, report):
    src = tmp_path / "alpha.png"
    im = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (50, 50, 150, 150))
    im.save(src)
    res = prep(src, report, tmp_path, frame=(100.0, 100.0))
    assert sum(_cmyk_at(res.path, 0.05, 0.05)) < 8  # transparent → paper white, not black
    assert sum(_cmyk_at(res.path, 0.5, 0.5)) > 200
    notes = [d for d in res.diagnostics if "flattened" in d.message]
    assert notes and notes[0].severity is Severity.WARNING


def test_palette_with_transparency(tmp_path, report):
    src = tmp_path / "pal.png"
    im = Image.new("P", (100, 100), 0)
    im.putpalette([255, 255, 255, 0, 0, 255] + [0] * 762)
    im.paste(1, (25, 25, 75, 75))
    im.info["transparency"] = 0
    im.save(src, transparency=0)
    res = prep(src, report, tmp_path, frame=(50.0, 50.0))
    assert _cmyk_at(res.path, 0.5, 0.5)[0] > 150  # blue needs cyan


def test_embedded_icc_profile_is_honoured(tmp_path, report):
    a98 = Path("/usr/share/color/icc/ghostscript/a98.icc")
    if not a98.is_file():
        pytest.skip("no Adobe RGB-compatible profile installed (ghostscript)")
    plain, tagged = tmp_path / "plain.jpg", tmp_path / "tagged.jpg"
    im = Image.new("RGB", (100, 100), (0, 200, 0))
    im.save(plain, quality=95)
    im.save(tagged, quality=95, icc_profile=a98.read_bytes())
    p = prep(plain, report, tmp_path, frame=(50.0, 50.0))
    t = prep(tagged, report, tmp_path, frame=(50.0, 50.0))
    assert _cmyk_at(p.path, 0.5, 0.5) != _cmyk_at(t.path, 0.5, 0.5)


def test_ink_limit_is_enforced(tmp_path):
    report = make_report(tmp_path, ink_limit=1.8)
    src = tmp_path / "dark.png"
    Image.new("RGB", (100, 100), (0, 0, 0)).save(src)
    res = prep(src, report, tmp_path, frame=(50.0, 50.0))
    assert res.max_ink <= 1.8
    assert res.max_ink > 1.6  # still a deep black


def test_low_resolution_is_a_warning(tmp_path, report):
    src = tmp_path / "small.png"
    photo((150, 100)).save(src)
    res = prep(src, report, tmp_path)  # 150 px over 300 pt = 36 ppi
    warnings = [d for d in res.diagnostics if "ppi" in d.message]
    assert warnings and warnings[0].severity is Severity.WARNING
    assert "36 ppi" in warnings[0].message


@pytest.mark.parametrize(
    "content,expected",
    [
        (None, "not found"),
        (b"this is a text file, not a photo\n", "not an image"),
        ("truncated", "truncated or corrupt"),
        ("gif", "not supported"),
    ],
)
def test_bad_inputs_are_clean_errors(tmp_path, report, content, expected):
    src = tmp_path / "bad.jpg"
    if content == "truncated":
        buf = io.BytesIO()
        photo((600, 400)).save(buf, "JPEG", quality=95)
        src.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    elif content == "gif":
        photo((60, 40)).save(src, "GIF")
    elif content is not None:
        src.write_bytes(content)
    with pytest.raises(BuildError) as exc:
        prep(src, report, tmp_path)
    [diag] = exc.value.diagnostics
    assert expected in diag.message
    assert diag.format().startswith(str(src))


def test_decompression_bomb_is_refused(tmp_path, report, monkeypatch):
    src = tmp_path / "bomb.png"
    photo((400, 300)).save(src)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # 120,000 px > 2 × 10,000
    with pytest.raises(BuildError) as exc:
        prep(src, report, tmp_path)
    assert "too large" in exc.value.diagnostics[0].message


def test_reportlab_embeds_cmyk_jpeg_with_right_colours(tmp_path, report, photo_jpg):
    """The Adobe CMYK JPEG must render red as red (ReportLab writes /Decode for it)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils not installed")
    res = prep(photo_jpg, report, tmp_path)
    pdf = make_pdf(tmp_path / "img.pdf", replace(report), image=res.path)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    row = listing.stdout.splitlines()[2].split()
    assert row[5] == "cmyk" and row[8] == "jpeg"
    subprocess.run(
        ["pdftoppm", "-r", "36", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    with Image.open(tmp_path / "page.png") as page:
        page = page.convert("RGB")
        # frame at trim (40, 400), 300×200 pt; trim origin = bleed + slug = 8.5 + 28.35 pt
        off = 8.504 + 28.346
        scale = 36 / 72

        def at(x: float, y_from_top_of_image: float) -> tuple[int, int, int]:
            px = (off + 40 + x) * scale
            py = page.height - (off + 400 + 200 - y_from_top_of_image) * scale
            return page.getpixel((round(px), round(py)))

        r, g, b = at(50, 50)  # the red third
        assert r > 150 and g < 110 and b < 110
        r, g, b = at(250, 50)  # the blue third
        assert b > 110 and r < 110
