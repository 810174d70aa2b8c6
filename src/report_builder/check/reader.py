"""One PDF's objects as the content walk reads them: each once, the slow part ahead.

Two things dominate the preflight's reading: inflating the page content streams and
the SHA-256 of each placed CMYK JPEG, by which ``known_max_ink`` recognises the very
bytes this build made and measured (13 MB for the default edition). ``read_ahead`` has
worker threads do both (see ``ahead``). The content's raw bytes come from pikepdf; a
JPEG's are hashed where they lie in the file (mapped into memory): qpdf takes longer to
copy them out than the digest takes, and on the calling thread. Where pikepdf's cross-
reference table puts the object, its dictionary must end in ``stream``, the data run
/Length bytes and ``endstream`` follow, or the image is read through pikepdf after all.
"""

from __future__ import annotations

import math
import mmap
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
from pikepdf import Name

from ..prepress.images import known_max_ink
from .ahead import Task, start
from .images import MM, Matrix, colour_space, image_info, is_cmyk_jpeg

ObjGen = tuple[int, int]


class PdfReader:
    """Decoded content and image facts by object, read once however often they are used."""

    def __init__(self) -> None:
        self._content: dict[ObjGen, Task[bytes | None]] = {}
        self._jpegs: dict[ObjGen, Callable[[], float | None]] = {}  # known ink or None
        self._info: dict[ObjGen, dict] = {}
        self._tasks: list[Task] = []
        self._file: _FileJpegs | None = None

    def close(self) -> None:
        """Drop the work nobody needed, wait for what is under way, unmap the file."""
        for task in self._tasks:
            task.cancel()
        if self._file is not None:
            self._file.close()

    def read_ahead(self, doc: pikepdf.Pdf, path: Path | None = None) -> None:
        """Start inflating the pages' content and hashing their CMYK JPEGs, page by page.

        ``path`` is the file ``doc`` was opened from (without it no JPEG is hashed
        ahead). Anything odd is left alone here: ``content`` and ``placed`` read it in
        line and report it as they always did.
        """
        self._file = jpegs = _FileJpegs.open(doc, path)
        try:
            for page in doc.pages:
                self._ahead(page, jpegs)
        except Exception:  # only a head start: the pages are read in line all the same
            pass
        start(self._tasks)

    def _ahead(self, page: pikepdf.Page, jpegs: _FileJpegs | None) -> None:
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Stream) and contents.objgen not in self._content:
            raw = _flate_raw(contents)
            if raw is not None:
                self._content[contents.objgen] = task = Task(_inflate, raw)
                self._tasks.append(task)
        res = page.obj.get("/Resources")
        xobjects = res.get("/XObject") if res is not None else None
        if jpegs is None or xobjects is None:
            return
        for xo in xobjects.values():
            key = xo.objgen
            if key in self._jpegs or key == (0, 0):
                continue
            where = jpegs.find(xo)
            if where is not None:
                digest: Task[float | None] = Task(jpegs.known_ink, where)
                self._jpegs[key] = digest.result
                self._tasks.append(digest)

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
    """FlateDecode of a complete zlib stream as qpdf decodes it (data after its end is
    ignored by both); None for anything else, which pikepdf then decodes."""
    try:
        # one output buffer big enough for ReportLab's content: zlib takes the GIL back
        # each time it grows one, and waits up to 5 ms for it while the walk holds it
        return zlib.decompress(raw, zlib.MAX_WBITS, max(1 << 16, 16 * len(raw)))
    except zlib.error:
        return None


_W = rb"[\t\n\x0c\r ]"
#: "N G obj << … >> stream": no strings, comments or hex strings in the dictionary, so
#: the first ">> stream" is its end (nested dictionaries are counted afterwards)
_STREAM_HEAD = re.compile(
    rb"(\d+)" + _W + rb"+(\d+)" + _W + rb"+obj" + _W + rb"*<<((?:[^()%<>]|<<|>>)*?)>>"
    + _W + rb"*stream(?:\r\n|\n)"
)  # fmt: skip
_STREAM_TAIL = re.compile(rb"(?:\r\n|\n|\r)?endstream")


class _FileJpegs:
    """Where CMYK JPEG streams lie in the PDF file, and their known ink from there."""

    def __init__(self, data: mmap.mmap, xref: dict) -> None:
        self._data = data
        self._xref = xref

    @classmethod
    def open(cls, doc: pikepdf.Pdf, path: Path | None) -> _FileJpegs | None:
        if path is None or doc.is_encrypted:  # encrypted streams are not their file bytes
            return None
        try:
            with open(path, "rb") as f:
                data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            return cls(data, doc.get_xref_table())
        except (OSError, ValueError):  # an empty file cannot be mapped
            return None

    def close(self) -> None:
        self._data.close()

    def find(self, xo: pikepdf.Object) -> tuple[int, int, ObjGen] | None:
        """(file offset, /Length, object) of a CMYK JPEG image in the file, else None."""
        try:
            if xo.get("/Subtype") != Name.Image or not is_cmyk_jpeg(xo, colour_space(xo)):
                return None
            entry = self._xref.get(xo.objgen)
            length = xo.get("/Length")
            if entry is None or entry.type != 1 or not isinstance(length, int):
                return None
            return entry.offset, length, xo.objgen
        except Exception:  # read in line by placed()
            return None

    def known_ink(self, where: tuple[int, int, ObjGen]) -> float | None:
        """``known_max_ink`` of the stream's bytes as they lie in the file (a worker's job)."""
        offset, length, (num, gen) = where
        data = self._data
        try:
            head = _STREAM_HEAD.match(data, offset, offset + 4096)
            if head is None or (int(head[1]), int(head[2])) != (num, gen):
                return None
            if head[3].count(b"<<") != head[3].count(b">>"):
                return None
            start, end = head.end(), head.end() + length
            if end > len(data) or not _STREAM_TAIL.match(data, end):
                return None
            with memoryview(data) as view, view[start:end] as jpeg:
                return known_max_ink(jpeg)
        except Exception:  # placed() reads the image through pikepdf instead
            return None
