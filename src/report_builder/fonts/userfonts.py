"""An editor's own face (report.yaml ``fonts:``): checked, converted if CFF, cached by SHA-256.

A glyf TTF/TTC is used where it lies; an OTF with CFF outlines is converted once
(layout tables dropped, every mapped character kept) into the cache folder. Either
way its metrics are cached as JSON, so only the first build pays for fontTools.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

from . import metrics_cache
from .metrics import FaceMetrics


class UserFontError(Exception):
    """A declared face that cannot be used; the message says why and what to do."""


def _sha256_cached(path: Path, cache_dir: Path) -> str:
    """SHA-256 of ``path``, remembered by (path, size, mtime) so a build need not rehash."""
    from ..hashing import sha256_file

    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    index_path = cache_dir / "sha256.json"
    try:
        known = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if key in known:
        return known[key]
    sha = sha256_file(path)
    known[key] = sha
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = index_path.with_name(f".sha256.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(known, sort_keys=True, indent=0), encoding="utf-8")
        os.replace(tmp, index_path)
    except OSError:
        pass
    return sha


def load_user_face(path: Path, role: str, weight: str, index: int, cache_dir: Path) -> FaceMetrics:
    if not path.is_file():
        raise UserFontError(f"font file not found: {path}")
    sha = _sha256_cached(path, cache_dir)
    stem = f"{sha[:32]}-{index}"
    metrics_path = cache_dir / f"{stem}.metrics.json"
    if not metrics_path.is_file():
        _prepare(path, index, sha, cache_dir, stem)
    try:
        record = json.loads(metrics_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserFontError(f"{path}: font cache unreadable ({exc}); delete {cache_dir}") from exc
    font_path = Path(record["file"])
    face = metrics_cache.face_from_record(record, font_path, sha)
    return dataclasses.replace(
        face,
        name=f"RBUser-{role}-{weight}-{sha[:10]}",
        role=role,
        weight=weight,
        subfont_index=record.get("subfont_index", 0),
    )


def _prepare(path: Path, index: int, sha: str, cache_dir: Path, stem: str) -> None:
    """Convert (if CFF) and write the metrics cache for one declared face."""
    from . import convert

    try:
        font = convert.open_face(path, index)
    except convert.FontSourceError as exc:
        raise UserFontError(str(exc)) from exc
    if "CFF2" in font:
        raise UserFontError(
            f"{path}: a variable CFF2 font cannot be converted; use a static instance (OTF or TTF)"
        )
    if "cmap" not in font or not font.getBestCmap():
        raise UserFontError(f"{path}: the font maps no Unicode characters (no usable cmap)")
    ascent, descent = convert.em_box(font)
    cache_dir.mkdir(parents=True, exist_ok=True)
    subfont_index = index
    font_file = path
    if "CFF " in font:
        print(f"converting {path.name} to TrueType outlines (once; cached) …", file=sys.stderr)
        convert.subset(font, None)
        convert.cff_to_glyf(font)
        convert.finish_tables(font)
        data = convert.to_bytes(font)
        font_file = cache_dir / f"{stem}.ttf"
        tmp = font_file.with_name(f".{font_file.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, font_file)
        subfont_index = 0
    record = metrics_cache.metrics_record(
        font,
        name=font["name"].getDebugName(6) or path.stem,
        file=str(font_file.resolve()),
        source=str(path.resolve()),
        sha256=sha,
        subfont_index=subfont_index,
        ascent=round(ascent, 6),
        descent=round(descent, 6),
    )
    out = cache_dir / f"{stem}.metrics.json"
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_bytes(metrics_cache.dump(record))
    os.replace(tmp, out)
