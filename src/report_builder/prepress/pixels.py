"""The pixel work behind ``prepare_image``: decode, orient, crop, downsample, separate, ink.

Kept apart from the cache in ``images`` so that a build whose photos are all in
the image cache never imports Pillow (~10 ms).
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from typing import TYPE_CHECKING

from PIL import Image, ImageCms, ImageMath, ImageOps, UnidentifiedImageError

from ..errors import SourcePos
from .images import CODE_VERSION, JPEG_QUALITY, atomic_write, image_error
from .profile import OutputProfile

if TYPE_CHECKING:
    from pathlib import Path

#: Clamp this far under the ink limit, so JPEG ringing cannot push a pixel over it.
INK_MARGIN = 0.03
SUPPORTED = ("JPEG", "PNG", "TIFF", "MPO")
PAPER_WHITE_RGB = (255, 255, 255)


def _open(
    data: bytes,
    name: str,
    pos: SourcePos,
    notes: list[str],
    need: tuple[float, float, str, float] | None = None,
) -> Image.Image:
    """Open and fully decode, turning Pillow's exceptions into our messages.

    ``need`` = (frame width in, frame height in, fit, ppi) lets a JPEG decode at
    1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling) when that still leaves at least the
    target resolution in the crop: several times faster for camera originals.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            if im.format not in SUPPORTED:
                image_error(
                    pos, f"{name}: {im.format} images are not supported; use JPEG, PNG or TIFF"
                )
            if need is not None and im.format in ("JPEG", "MPO") and im.mode in ("RGB", "L"):
                _draft(im, *need)
            im.load()
    except Image.DecompressionBombError:
        image_error(
            pos,
            f"{name}: image is too large to open safely (more than "
            f"{2 * (Image.MAX_IMAGE_PIXELS or 0):,} pixels); scale it down first",
        )
    except UnidentifiedImageError:
        image_error(pos, f"{name}: not an image Pillow can read (expected JPEG, PNG or TIFF)")
    except (OSError, SyntaxError, ValueError) as exc:
        image_error(pos, f"{name}: image file is truncated or corrupt ({exc})")
    if any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught):
        notes.append(f"very large image ({im.width} × {im.height} px); it works but is slow")
    return im


def _draft(im: Image.Image, frame_w_in: float, frame_h_in: float, fit: str, ppi: float) -> None:
    """Ask libjpeg for the smallest DCT scale that keeps ``ppi`` over the placed frame."""
    w, h = im.size
    if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # shown turned by 90°
        frame_w_in, frame_h_in = frame_h_in, frame_w_in
    aspect = frame_w_in / frame_h_in
    spans_height = (fit == "fill") == (w / h > aspect)  # the crop (or fitted picture) does
    ratio = frame_h_in * ppi / h if spans_height else frame_w_in * ppi / w
    if ratio < 0.5:
        im.draft(im.mode, (math.ceil(w * ratio), math.ceil(h * ratio)))


def _pixels(exact: float) -> int:
    """Pixels that cover ``exact``: rounded up, but 2400.0000001 (float noise) is 2400."""
    return max(1, math.ceil(exact - 1e-6))


def make(
    data: bytes,
    name: str,
    pos: SourcePos,
    frame_w: float,
    frame_h: float,
    fit: str,
    focus: tuple[float, float],
    target_ppi: float,
    ink_limit: float,
    profile: OutputProfile,
    jpg: Path,
) -> dict:
    notes: list[str] = []
    im = _open(data, name, pos, notes, (frame_w / 72.0, frame_h / 72.0, fit, target_ppi))
    icc = im.info.get("icc_profile")
    try:
        im = ImageOps.exif_transpose(im) or im
    except Exception as exc:  # broken EXIF must not stop the build
        notes.append(f"EXIF orientation ignored ({exc})")
    im = _normalise_mode(im, name, pos, notes)
    if fit == "fill":
        im = _crop_to_frame(im, frame_w / frame_h, focus)
    else:
        im = _pad_to_frame(im, frame_w / frame_h)
    placed_w_in, placed_h_in = frame_w / 72.0, frame_h / 72.0
    ppi = min(im.width / placed_w_in, im.height / placed_h_in)
    if ppi > target_ppi:
        # rounded up: a frame is never left a fraction of a pixel under the target (199.8 ppi
        # would be reported as below a 200 ppi minimum)
        size = (_pixels(placed_w_in * target_ppi), _pixels(placed_h_in * target_ppi))
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    cmyk = _to_cmyk(im, icc, profile, name, notes)
    cmyk = _limit_ink(cmyk, ink_limit - INK_MARGIN)
    buf = io.BytesIO()
    cmyk.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False, dpi=(72, 72))
    jpeg = buf.getvalue()
    atomic_write(jpg, jpeg)
    with Image.open(io.BytesIO(jpeg)) as check:
        max_ink = max_total_ink(check)
    return {
        "version": CODE_VERSION,
        "jpeg_sha256": hashlib.sha256(jpeg).hexdigest(),
        "width": cmyk.width,
        "height": cmyk.height,
        "ppi": round(min(cmyk.width / placed_w_in, cmyk.height / placed_h_in), 2),
        "max_ink": round(max_ink, 4),
        "notes": notes,
    }


def _flatten(im: Image.Image) -> Image.Image:
    """Composite a transparent image on paper white (PDF/X-1a forbids soft masks)."""
    rgba = im.convert("RGBA")
    base = Image.new("RGBA", rgba.size, (*PAPER_WHITE_RGB, 255))
    base.alpha_composite(rgba)
    return base.convert("RGB")


def _normalise_mode(im: Image.Image, name: str, pos: SourcePos, notes: list[str]) -> Image.Image:
    """Bring any Pillow mode to L, RGB or CMYK (8 bits per channel, opaque)."""
    mode = im.mode
    if mode == "P":
        im = im.convert("RGBA") if "transparency" in im.info else im.convert("RGB")
        mode = im.mode
    if mode in ("RGBA", "RGBa", "PA", "LA", "La"):
        lo, _ = im.getchannel("A").getextrema()
        if lo < 255:
            notes.append("transparent image flattened on white")
        if lo == 255:
            return im.convert("L" if mode in ("LA", "La") else "RGB")
        return _flatten(im)
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit (or 32-bit integer) grey: scale to 8 bits
        hi = 65535 if mode.startswith("I;16") or im.getextrema()[1] > 255 else 255
        return im.convert("I").point(lambda v: v * (255 / hi)).convert("L")
    if mode == "F":
        lo, hi = im.getextrema()
        scale = 255 / hi if hi > 1 else 255
        return im.point(lambda v: v * scale).convert("L")
    if mode == "1":
        return im.convert("L")
    if mode in ("YCbCr", "HSV", "LAB"):
        if mode == "LAB":
            notes.append("Lab image converted as if sRGB-independent Lab D50")
            lab = ImageCms.createProfile("LAB", 5000)
            srgb = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(im, lab, srgb, outputMode="RGB") or im
        return im.convert("RGB")
    if mode in ("L", "RGB", "CMYK"):
        return im
    image_error(pos, f"{name}: unsupported image mode {mode}; save it as 8-bit RGB or greyscale")
    return im


def _crop_to_frame(im: Image.Image, aspect: float, focus: tuple[float, float]) -> Image.Image:
    """The largest crop of the frame's aspect ratio, centred on the focus as far as it can."""
    w, h = im.size
    if w / h > aspect:
        cw, ch = max(1, round(h * aspect)), h
    else:
        cw, ch = w, max(1, round(w / aspect))
    left = min(max(0, round(focus[0] * w - cw / 2)), w - cw)
    top = min(max(0, round(focus[1] * h - ch / 2)), h - ch)
    return im.crop((left, top, left + cw, top + ch))


def _pad_to_frame(im: Image.Image, aspect: float) -> Image.Image:
    """Letterbox: centre the whole picture on paper white of the frame's aspect ratio."""
    w, h = im.size
    if abs(w / h - aspect) < 1e-3:
        return im
    if w / h > aspect:
        nw, nh = w, max(h, round(w / aspect))
    else:
        nw, nh = max(w, round(h * aspect)), h
    white = {"L": 255, "RGB": PAPER_WHITE_RGB, "CMYK": (0, 0, 0, 0)}[im.mode]
    canvas = Image.new(im.mode, (nw, nh), white)
    canvas.paste(im, ((nw - w) // 2, (nh - h) // 2))
    return canvas


_TRANSFORMS: dict[tuple[str, str, str], ImageCms.ImageCmsTransform] = {}


def _source_profile(
    im: Image.Image, icc: bytes | None, name: str, notes: list[str]
) -> ImageCms.ImageCmsProfile | None:
    if not icc:
        return None
    try:
        prof = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (OSError, ImageCms.PyCMSError) as exc:
        notes.append(f"embedded ICC profile unreadable ({exc}); assuming sRGB")
        return None
    space = prof.profile.xcolor_space.strip()
    wanted = {"L": "GRAY", "RGB": "RGB", "CMYK": "CMYK"}[im.mode]
    if space != wanted:
        notes.append(f"embedded {space} profile does not fit a {im.mode} image; ignored")
        return None
    return prof


def _to_cmyk(
    im: Image.Image, icc: bytes | None, out: OutputProfile, name: str, notes: list[str]
) -> Image.Image:
    src = _source_profile(im, icc, name, notes)
    if im.mode == "CMYK":
        if src is None:
            notes.append("CMYK image without a profile; assumed to be separated "
                         "for the output condition already")  # fmt: skip
            return im
        if icc and hashlib.sha256(icc).hexdigest() == out.sha256:
            return im
    if im.mode == "L" and src is None:
        im = im.convert("RGB")  # untagged grey is sRGB grey
    if src is None:
        src_key, src = "sRGB", ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    else:
        src_key = hashlib.sha256(icc or b"").hexdigest()
    key = (src_key, out.sha256, im.mode)
    transform = _TRANSFORMS.get(key)
    if transform is None:
        transform = ImageCms.buildTransform(
            src,
            out.cms,
            im.mode,
            "CMYK",
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
        )
        _TRANSFORMS[key] = transform
    return ImageCms.applyTransform(im, transform) or im


def max_total_ink(im: Image.Image) -> float:
    """The highest C+M+Y+K of any pixel, 0..4 (numpy-free: ImageMath on 32-bit ints)."""
    if im.mode != "CMYK":
        im = im.convert("CMYK")
    c, m, y, k = im.split()
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return float(total.getextrema()[1]) / 255.0


def _limit_ink(im: Image.Image, limit: float) -> Image.Image:
    """Scale C, M and Y down (keeping K) wherever C+M+Y+K exceeds ``limit``."""
    cap = limit * 255.0
    if max_total_ink(im) * 255.0 <= cap:
        return im
    c, m, y, k = im.split()

    def scaled(a: dict) -> object:
        cmy = a["c"] + a["m"] + a["y"]
        excess = a["max"](a["c"] + a["m"] + a["y"] + a["k"] - cap, 0.0)
        return a["min"](a["max"](cmy - excess, 0.0) / a["max"](cmy, 1.0), 1.0)

    factor = ImageMath.lambda_eval(
        lambda a: scaled(a), c=c.convert("F"), m=m.convert("F"), y=y.convert("F"),
        k=k.convert("F"),
    )  # fmt: skip
    out = []
    for ch in (c, m, y):
        prod = ImageMath.lambda_eval(lambda a: a["x"] * a["f"], x=ch.convert("F"), f=factor)
        out.append(prod.convert("I").convert("L"))  # F→I truncates: never rounds up over the cap
    return Image.merge("CMYK", (*out, k))
