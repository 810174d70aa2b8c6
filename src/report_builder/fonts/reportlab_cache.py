"""ReportLab TTFont objects without ReportLab's parse, from a per-version pickle cache.

``TTFont(name, path)`` parses cmap, hmtx and loca in pure Python: ~28 ms per
8,000-glyph face, so ~170 ms for the six shipped faces, more than the whole
font budget of a cold build. The parsed face state is plain data (dicts, lists,
bytes) and is pickled. The cache key holds the face's SHA-256 and the ReportLab
version, and any surprise falls back to a normal parse. The pickles live in the
build's own cache folder (out/.cache/fonts), which only the build writes.

Loading does as little as a build needs (~1 ms a face instead of ~4.5 ms):

- the big per-glyph tables (cmap, widths, hmtx, loca) are pickled one by one and
  unpickled on first use: a build needs two of the five, and the subset cache
  below makes the others unneeded;
- the font file is memory-mapped on first use instead of read whole (2–3.5 MB a face);
- each embedded subset (font program, Flate-compressed as ReportLab compresses it)
  is kept under ``subsets/``, keyed by the face, the subset's characters, and the
  ReportLab and zlib versions: a rebuild skips ReportLab's subsetting (~1.5 ms a
  subset, copying the whole glyf table each time) and the compression (~1.4 ms).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import mmap
import os
import pickle
import zlib
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

# for tests and the bench: was the cache used? were subsets made or reused?
STATS = {"hits": 0, "parsed": 0, "subsets_made": 0, "subsets_reused": 0}
_SKIP = ("_pdfScale", "_ttf_data")  # a lambda, and the file bytes (mapped from the font itself)
#: Face attributes pickled on their own and unpickled when first read.
LAZY = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos")
_FORMAT = "2"  # of the pickled state: lazy tables as separate pickles


def _key(sha256: str, subfont_index: int) -> str:
    return f"{sha256[:32]}-{subfont_index}-rl{reportlab.Version}-v{_FORMAT}.pickle"


def load_ttfont(
    name: str, path: Path, sha256: str, subfont_index: int = 0, cache_dir: Path | None = None
) -> TTFont:
    """A ReportLab TTFont for ``path``, from the cache when it holds this exact face."""
    if cache_dir is None or not sha256:
        STATS["parsed"] += 1
        return TTFont(name, str(path), subfontIndex=subfont_index)
    cache = cache_dir / _key(sha256, subfont_index)
    if cache.is_file():
        with contextlib.suppress(Exception):
            font = _from_state(name, path, _loads(cache.read_bytes()), sha256, cache_dir)
            STATS["hits"] += 1
            return font
    font = TTFont(name, str(path), subfontIndex=subfont_index)
    STATS["parsed"] += 1
    state = {k: v for k, v in vars(font.face).items() if k not in _SKIP}
    lazy = {k: pickle.dumps(state.pop(k), protocol=pickle.HIGHEST_PROTOCOL) for k in LAZY}
    state["_rb_lazy"] = lazy
    probe = _from_state(name, path, _loads(_dumps(state)), sha256, cache_dir)
    # Only cache what this module rebuilds exactly (a new ReportLab may add attributes).
    if _same(probe, font):
        with contextlib.suppress(OSError):
            cache_dir.mkdir(parents=True, exist_ok=True)
            _write(cache, _dumps(state))
        return probe
    return font


def _same(probe: TTFont, font: TTFont) -> bool:
    """Does ``probe`` (rebuilt from the state) have every attribute ``font`` has, equal?"""
    if set(vars(probe)) != set(vars(font)):
        return False
    for k in LAZY:
        if getattr(probe.face, k) != getattr(font.face, k):
            return False
    mine = {k for k in vars(probe.face) if not k.startswith("_rb_")}
    return mine | {"_ttf_data"} == set(vars(font.face))


def _dumps(state: dict) -> bytes:
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes) -> dict:
    """Unpickle with the cyclic GC paused: 30k small objects would trigger it several times."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if was_enabled:
            gc.enable()


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a concurrent build sees all of it or nothing)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _from_state(name: str, path: Path, state: dict, sha256: str, cache_dir: Path) -> TTFont:
    state = dict(state)
    lazy = dict(state.pop("_rb_lazy"))
    if set(lazy) != set(LAZY):
        raise ValueError("cached face state lacks a table")
    face = CachedFace.__new__(CachedFace)
    face.__dict__.update(state)
    face._rb_lazy = lazy
    face._rb_path = path
    face._rb_sha256 = sha256
    face._rb_subsets = cache_dir / "subsets"
    face._rb_made = None
    upem = face.unitsPerEm
    face._pdfScale = (lambda x: x) if upem == 1000 else (lambda x, k=1000 / upem: x * k)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    globs = getattr(rl_config, "unShapedFontGlob", None) or ()
    font.shapable = not any(fnmatch(name, g) for g in globs)
    return font


class CachedFace(TTFontFace):
    """A TTFontFace rebuilt from the cache: tables and file bytes are read when first used."""

    def __getattr__(self, name: str):
        # only called for an attribute not set yet: a lazy table or the file's bytes
        lazy = self.__dict__.get("_rb_lazy")
        if lazy is not None and name in lazy:
            value = _loads(lazy.pop(name))
        elif name == "_ttf_data" and "_rb_path" in self.__dict__:
            with open(self._rb_path, "rb") as f:
                value = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        else:
            raise AttributeError(name)
        setattr(self, name, value)
        return value

    def makeSubset(self, subset):
        """The subset's font program: from the subset cache when this face made it before.

        A cache file holds a digest, the program and its Flate-compressed bytes
        (reading both is ~10x faster than decompressing).
        """
        path = self._rb_subsets / _subset_key(self._rb_sha256, self.name, subset)
        try:
            raw, packed = _read_subset(path)
            STATS["subsets_reused"] += 1
        except (OSError, ValueError):
            raw = super().makeSubset(subset)
            packed = zlib.compress(raw)  # what ReportLab's Flate filter writes
            STATS["subsets_made"] += 1
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
                _write(path, _subset_file(raw, packed))
                _prune(path.parent)
        self._rb_made = (raw, packed)
        return raw

    def addSubsetObjects(self, doc, fontname, subset):
        """ReportLab's font objects, the font program's stream already compressed.

        The stream gets the bytes ReportLab's Flate filter would write, and the
        ``/Filter`` it would add; anything unexpected leaves the stream as it is
        (ReportLab then compresses it itself).
        """
        ref = super().addSubsetObjects(doc, fontname, subset)
        made, self._rb_made = self._rb_made, None
        stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if (
            made is not None
            and isinstance(stream, pdfdoc.PDFStream)
            and stream.content is made[0]
            and stream.filters == [pdfdoc.PDFZCompress]
            and "Filter" not in stream.dictionary
        ):
            stream.content = made[1]
            stream.filters = None
            stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        return ref


def _subset_key(sha256: str, face_name: bytes, subset) -> str:
    """Cache file name of one subset: face, characters, and the versions that shape the bytes."""
    h = hashlib.sha256()
    versions = f"{reportlab.Version}|{zlib.ZLIB_RUNTIME_VERSION}|{sha256}|".encode()
    h.update(versions + bytes(face_name) + b"|" + ",".join(map(str, subset)).encode())
    return f"{h.hexdigest()[:40]}.subset"


#: Subset cache files kept: an edit that adds a character renumbers the subsets after
#: it, so each edited build leaves a few new files; past LIMIT the oldest go, down to KEEP.
SUBSETS_LIMIT, SUBSETS_KEEP = 512, 384


def _prune(folder: Path) -> None:
    entries = list(os.scandir(folder))
    if len(entries) <= SUBSETS_LIMIT:
        return
    entries.sort(key=lambda e: (e.stat().st_mtime_ns, e.name))
    for entry in entries[: len(entries) - SUBSETS_KEEP]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def _subset_file(raw: bytes, packed: bytes) -> bytes:
    body = len(raw).to_bytes(4, "big") + raw + packed
    return hashlib.blake2b(body, digest_size=16).digest() + body


def _read_subset(path: Path) -> tuple[bytes, bytes]:
    """(program, compressed program) from a subset cache file; ValueError if it is damaged."""
    data = path.read_bytes()
    digest, body = data[:16], data[16:]
    if len(body) < 4 or hashlib.blake2b(body, digest_size=16).digest() != digest:
        raise ValueError(f"damaged subset cache file {path.name}")
    n = int.from_bytes(body[:4], "big")
    return body[4 : 4 + n], body[4 + n :]
