"""ReportLab TTFont objects without ReportLab's parse, from a per-version pickle cache.

``TTFont(name, path)`` parses cmap, hmtx and loca in pure Python: ~28 ms per
8,000-glyph face, so ~170 ms for the six shipped faces, more than the whole
font budget of a cold build. The parsed face state is plain data (dicts, lists,
bytes); pickled it loads in ~5 ms. The cache key holds the face's SHA-256 and the
ReportLab version, and any surprise falls back to a normal parse. The pickles
live in the build's own cache folder (out/.cache/fonts), which only the build writes.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

STATS = {"hits": 0, "parsed": 0}  # for tests and the bench: was the cache used?
_SKIP = ("_pdfScale", "_ttf_data")  # a lambda, and the file bytes (read from the font itself)


def _key(sha256: str, subfont_index: int) -> str:
    return f"{sha256[:32]}-{subfont_index}-rl{reportlab.Version}.pickle"


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
            font = _from_state(name, path, _loads(cache.read_bytes()))
            STATS["hits"] += 1
            return font
    font = TTFont(name, str(path), subfontIndex=subfont_index)
    STATS["parsed"] += 1
    state = {k: v for k, v in vars(font.face).items() if k not in _SKIP}
    probe = _from_state(name, path, state)
    # Only cache what this module rebuilds exactly (a new ReportLab may add attributes).
    if set(vars(probe)) == set(vars(font)) and set(vars(probe.face)) == set(vars(font.face)):
        with contextlib.suppress(OSError):
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, cache)
    return font


def _loads(data: bytes) -> dict:
    """Unpickle with the cyclic GC paused: 30k small objects would trigger it several times."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if was_enabled:
            gc.enable()


def _from_state(name: str, path: Path, state: dict) -> TTFont:
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = path.read_bytes()
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
