"""A compact JSON of each face's advances, written at ``invoke fonts`` time.

Building the advance dict from fontTools costs ~70 ms per build (import + parse);
this file loads in about a millisecond. Advances are grouped by value, since
nearly every CJK glyph is 1 em wide: {"1000": "中国…", "500": "abc…"}.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .metrics import FaceMetrics

FORMAT = 1


def metrics_record(font: Any, **info: Any) -> dict[str, Any]:
    """The metrics-cache content for a fontTools TTFont (``info`` adds name, ascent, …)."""
    upem = font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    groups: dict[int, list[str]] = {}
    for cp, glyph in sorted(font.getBestCmap().items()):
        groups.setdefault(hmtx[glyph][0], []).append(chr(cp))
    return {
        "format": FORMAT,
        **info,
        "upem": upem,
        "glyphs": len(font.getGlyphOrder()),
        "advances": {str(adv): "".join(chars) for adv, chars in sorted(groups.items())},
    }


def dump(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, indent=0) + "\n").encode("utf-8")


def face_from_record(record: dict[str, Any], path: Path, sha256: str = "") -> FaceMetrics:
    upem = record["upem"]
    advances: dict[str, float] = {}
    for adv, chars in record["advances"].items():
        advances.update(dict.fromkeys(chars, int(adv) / upem))
    return FaceMetrics(
        name=record["name"],
        advances=advances,
        ascent=record.get("ascent", 0.88),
        descent=record.get("descent", 0.12),
        path=str(path),
        sha256=sha256 or record.get("sha256", ""),
        role=record.get("role", ""),
        weight=record.get("weight", ""),
        subfont_index=record.get("subfont_index", 0),
    )


#: Faces loaded in this process, by metrics file and its state: a watching process
#: (``--watch``) rebuilds with the same faces, and their per-face caches stay warm.
_LOADED: dict[tuple[str, int, int, str, str], FaceMetrics] = {}


def load(metrics_path: Path, font_path: Path, sha256: str = "") -> FaceMetrics:
    st = metrics_path.stat()
    key = (str(metrics_path), st.st_mtime_ns, st.st_size, str(font_path), sha256)
    face = _LOADED.get(key)
    if face is None:
        face = _LOADED[key] = _load(metrics_path, font_path, sha256)
    return face


def _load(metrics_path: Path, font_path: Path, sha256: str) -> FaceMetrics:
    record = json.loads(metrics_path.read_text(encoding="utf-8"))
    if record.get("format") != FORMAT:
        got = record.get("format")
        raise ValueError(f"{metrics_path}: metrics format {got}, expected {FORMAT}")
    return face_from_record(record, font_path, sha256)
