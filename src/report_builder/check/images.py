"""Images placed by a page: pixels, colour space and maximum total ink."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
from pikepdf import Name

from ..prepress.images import known_max_ink

MM = 72 / 25.4
Matrix = tuple[float, float, float, float, float, float]


def image_info(xo: pikepdf.Object, known: Callable[[], float | None] | None = None) -> dict:
    """What an image XObject is, wherever it is placed.

    ``known`` gives the ink ``known_max_ink`` found for a CMYK JPEG read ahead (None:
    not known there, so the image is read here).
    """
    space = colour_space(xo)
    width, height = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
    return {
        "pixels": [width, height],
        "colorspace": space,
        "bpc": int(xo.get("/BitsPerComponent", 0)),
        "filter": filter_names(xo),
        "smask": "/SMask" in xo,
        "max_ink": round(_image_ink(xo, space, known), 4),
    }


def filter_names(xo: pikepdf.Object) -> str:
    """``DCTDecode``, or ``FlateDecode DCTDecode`` for a chain: a name or an array of names."""
    filt = xo.get("/Filter")
    if filt is None:
        return ""
    names = filt if isinstance(filt, pikepdf.Array) else [filt]
    return " ".join(str(n).lstrip("/") for n in names)


def colour_space(xo: pikepdf.Object) -> str:
    cs = xo.get("/ColorSpace")
    if isinstance(cs, pikepdf.Array) and len(cs):
        space = str(cs[0])[1:]
        if space == "ICCBased":
            n = int(cs[1].get("/N", 0))
            space = f"ICCBased-{ {1: 'Gray', 3: 'RGB', 4: 'CMYK'}.get(n, '?') }"
        return space
    return str(cs)[1:] if cs is not None else "none"


def is_cmyk_jpeg(xo: pikepdf.Object, space: str) -> bool:
    if "CMYK" not in space:
        return False
    filt = xo.get("/Filter")
    if isinstance(filt, pikepdf.Array) and len(filt) == 1:
        filt = filt[0]  # ReportLab writes [/DCTDecode]
    return filt == Name.DCTDecode


def _image_ink(xo: pikepdf.Object, space: str, known: Callable[[], float | None] | None) -> float:
    """Maximum total ink of a CMYK image (0 for others: they carry no CMYK yet)."""
    if "CMYK" not in space:
        return 0.0
    try:
        ink = known() if known is not None else None
        if ink is not None:
            return ink  # this build made these very bytes and measured them
        raw = xo.read_raw_bytes() if is_cmyk_jpeg(xo, space) else None
        ink = known_max_ink(raw) if raw is not None else None
        if ink is not None:
            return ink
        # an image this build did not measure: decoded (Pillow turns Adobe-inverted CMYK
        # JPEGs into true values itself); loaded only here, a warm build never needs it
        from PIL import Image

        from ..prepress.pixels import max_total_ink

        im = Image.open(io.BytesIO(raw)) if raw is not None else pikepdf.PdfImage(xo).as_pil_image()
        return max_total_ink(im)
    except Exception:  # an image we cannot decode is reported as unknown ink
        return -1.0
