"""Images placed by a page: pixels, colour space, effective ppi and maximum total ink."""

from __future__ import annotations

import contextlib
import io
import math
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pikepdf
from pikepdf import Name
from PIL import Image

from ..prepress.images import known_max_ink, max_total_ink

MM = 72 / 25.4
Matrix = tuple[float, float, float, float, float, float]
ObjGen = tuple[int, int]
#: Worker threads that take the JPEG digests (hashlib lets go of the GIL while hashing).
DIGEST_THREADS = 2


class ImageReader:
    """What each image XObject of one PDF is, read once however often it is placed.

    The ink of a CMYK JPEG this build made is looked up by the SHA-256 of its bytes
    (``known_max_ink``): some 13 MB for the default edition, the larger part of the
    whole check. ``prefetch`` reads those bytes up front and has them hashed on
    worker threads while the page content is scanned.
    """

    def __init__(self) -> None:
        self._info: dict[ObjGen, dict] = {}
        self._jpegs: dict[ObjGen, _Digest] = {}

    def prefetch(self, xobjects: Iterable[pikepdf.Object]) -> None:
        """Start hashing the CMYK JPEGs among ``xobjects`` (others are left alone)."""
        jobs: list[tuple[pikepdf.Object, _Digest]] = []
        for xo in xobjects:
            key = xo.objgen
            if key in self._jpegs or key == (0, 0):
                continue
            try:
                jpeg = xo.get("/Subtype") == Name.Image and _is_cmyk_jpeg(xo, _colour_space(xo))
            except Exception:  # left to placed(), which reports it as the walk always did
                continue
            if jpeg:
                self._jpegs[key] = job = _Digest()
                jobs.append((xo, job))
        queue = iter([job for _, job in jobs])  # hands out each job once, across threads too
        for _ in range(min(DIGEST_THREADS, len(jobs))):
            threading.Thread(target=_Digest.work, args=(queue,), daemon=True).start()
        # pikepdf is read on this thread only; the workers hash each image once it is read
        for xo, job in jobs:
            with contextlib.suppress(Exception):  # placed() reads again, reports what fails
                job.raw = xo.get_raw_stream_buffer()
            job.ready.set()

    def placed(self, name: str, xo: pikepdf.Object, ctm: Matrix) -> dict:
        """One placement of image ``xo`` under ``ctm``."""
        key = xo.objgen
        info = self._info.get(key)
        if info is None:
            info = _image_info(xo, self._jpegs.get(key))
            self._info[key] = info
        a, b, c, d, e, f = ctm
        w_pt, h_pt = math.hypot(a, b), math.hypot(c, d)
        px_w, px_h = info["pixels"]
        ppi = min(px_w / (w_pt / 72) if w_pt else 0.0, px_h / (h_pt / 72) if h_pt else 0.0)
        return {
            **info,
            "name": name,
            "placed_mm": [
                round(e / MM, 1), round(f / MM, 1), round(w_pt / MM, 1), round(h_pt / MM, 1)
            ],
            "ppi": round(ppi, 1),
        }  # fmt: skip


class _Digest:
    """One JPEG's raw bytes and, once a worker has hashed them, its known ink (or None)."""

    __slots__ = ("done", "ink", "raw", "ready")

    def __init__(self) -> None:
        self.raw: Any = None  # bytes-like: pikepdf's buffer spares a 13 MB copy
        self.ink: float | None = None
        self.ready = threading.Event()
        self.done = threading.Event()

    @staticmethod
    def work(queue: Iterator[_Digest]) -> None:
        for job in queue:
            try:
                job.ready.wait()
                if job.raw is not None:
                    job.ink = known_max_ink(job.raw)
            finally:
                job.done.set()

    def read(self) -> tuple[Any, float | None]:
        """(raw bytes or None if they could not be read, known ink or None)."""
        self.done.wait()
        return self.raw, self.ink


def _colour_space(xo: pikepdf.Object) -> str:
    cs = xo.get("/ColorSpace")
    if isinstance(cs, pikepdf.Array) and len(cs):
        space = str(cs[0])[1:]
        if space == "ICCBased":
            n = int(cs[1].get("/N", 0))
            space = f"ICCBased-{ {1: 'Gray', 3: 'RGB', 4: 'CMYK'}.get(n, '?') }"
        return space
    return str(cs)[1:] if cs is not None else "none"


def _is_cmyk_jpeg(xo: pikepdf.Object, space: str) -> bool:
    if "CMYK" not in space:
        return False
    filt = xo.get("/Filter")
    if isinstance(filt, pikepdf.Array) and len(filt) == 1:
        filt = filt[0]  # ReportLab writes [/DCTDecode]
    return filt == Name.DCTDecode


def _image_info(xo: pikepdf.Object, jpeg: _Digest | None) -> dict:
    space = _colour_space(xo)
    width, height = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
    return {
        "pixels": [width, height],
        "colorspace": space,
        "bpc": int(xo.get("/BitsPerComponent", 0)),
        "filter": str(xo.get("/Filter", "")).strip("/"),
        "smask": "/SMask" in xo,
        "max_ink": round(_image_ink(xo, space, jpeg), 4),
    }


def _image_ink(xo: pikepdf.Object, space: str, jpeg: _Digest | None) -> float:
    """Maximum total ink of a CMYK image (0 for others: they carry no CMYK yet)."""
    if "CMYK" not in space:
        return 0.0
    try:
        raw, known = jpeg.read() if jpeg is not None else (None, None)
        if raw is None and _is_cmyk_jpeg(xo, space):
            raw = xo.read_raw_bytes()
            known = known_max_ink(raw)
        if known is not None:
            return known  # this build made these very bytes and measured them
        # Pillow decodes Adobe-inverted CMYK JPEGs to true values itself
        im = Image.open(io.BytesIO(raw)) if raw is not None else pikepdf.PdfImage(xo).as_pil_image()
        return max_total_ink(im)
    except Exception:  # an image we cannot decode is reported as unknown ink
        return -1.0
