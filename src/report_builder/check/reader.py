"""One PDF's objects as the content walk reads them: each once, the slow part ahead.

Two things dominate the preflight's reading: inflating the page content streams and
the SHA-256 of each placed CMYK JPEG, by which ``known_max_ink`` recognises the very
bytes this build made and measured (some 13 MB for the default edition). ``read_ahead``
takes the raw bytes from pikepdf and has worker threads do both (see ``ahead``).
"""

from __future__ import annotations

import math
import zlib

import pikepdf
from pikepdf import Name

from ..prepress.images import known_max_ink
from .ahead import Task, start
from .images import MM, Jpeg, Matrix, colour_space, image_info, is_cmyk_jpeg

ObjGen = tuple[int, int]


class PdfReader:
    """Decoded content and image facts by object, read once however often they are used."""

    def __init__(self) -> None:
        self._content: dict[ObjGen, Task[bytes | None]] = {}
        self._jpegs: dict[ObjGen, Jpeg] = {}
        self._info: dict[ObjGen, dict] = {}

    def read_ahead(self, doc: pikepdf.Pdf) -> None:
        """Start inflating the pages' content and hashing their CMYK JPEGs, page by page.

        Anything odd is left alone here: ``content`` and ``placed`` read it in line and
        report it as they always did.
        """
        tasks: list[Task] = []
        for page in doc.pages:
            contents = page.obj.get("/Contents")
            if isinstance(contents, pikepdf.Stream) and contents.objgen not in self._content:
                raw = _flate_raw(contents)
                if raw is not None:
                    self._content[contents.objgen] = task = Task(_inflate, raw)
                    tasks.append(task)
            res = page.obj.get("/Resources")
            xobjects = res.get("/XObject") if res is not None else None
            for xo in xobjects.values() if xobjects is not None else ():
                key = xo.objgen
                if key in self._jpegs or key == (0, 0):
                    continue
                raw = _jpeg_raw(xo)
                if raw is not None:
                    digest: Task[float | None] = Task(known_max_ink, raw)
                    self._jpegs[key] = Jpeg(raw, digest.result)
                    tasks.append(digest)
        start(tasks)

    def content(self, owner: pikepdf.Object) -> bytes | None:
        """The decoded content of a form, or of a page with one content stream.

        None (the walk then takes the page through pikepdf's parser): no contents, an
        array of streams, a filter that fails.
        """
        try:
            stream = owner if isinstance(owner, pikepdf.Stream) else owner.get("/Contents")
            if not isinstance(stream, pikepdf.Stream):
                return None
            task = self._content.get(stream.objgen)
            data = task.result() if task is not None else None
            return data if data is not None else stream.read_bytes()
        except Exception:  # the exact walk meets it again and does what it always did
            return None

    def placed(self, name: str, xo: pikepdf.Object, ctm: Matrix) -> dict:
        """One placement of image ``xo`` under ``ctm``."""
        key = xo.objgen
        info = self._info.get(key)
        if info is None:
            info = image_info(xo, self._jpegs.get(key))
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


def _flate_raw(stream: pikepdf.Stream) -> bytes | None:
    """The raw bytes of a stream compressed with plain FlateDecode and nothing else."""
    try:
        filt = stream.get("/Filter")
        if isinstance(filt, pikepdf.Array) and len(filt) == 1:
            filt = filt[0]
        if filt != Name.FlateDecode or "/DecodeParms" in stream:
            return None
        return stream.read_raw_bytes()
    except Exception:  # read in line by content()
        return None


def _inflate(raw: bytes) -> bytes | None:
    """FlateDecode of one complete zlib stream, as qpdf decodes it; None for anything else."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw)
    except zlib.error:
        return None
    return data if inflater.eof and not inflater.unused_data else None


def _jpeg_raw(xo: pikepdf.Object) -> pikepdf.Buffer | None:
    """The raw bytes of a CMYK JPEG image XObject (pikepdf's buffer spares a copy)."""
    try:
        if xo.get("/Subtype") != Name.Image or not is_cmyk_jpeg(xo, colour_space(xo)):
            return None
        return xo.get_raw_stream_buffer()
    except Exception:  # read in line by placed()
        return None
