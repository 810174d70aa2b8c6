"""Photos made ready for the press: oriented, cropped, downsampled, separated to CMYK.

Each placed image is read with Pillow (JPEG, PNG, TIFF), turned upright (EXIF),
cropped to its frame around the focal point (``fill``) or padded with paper white
(``fit``), downsampled to ``output.image_ppi`` (never upsampled), converted to CMYK
through the output profile with LittleCMS (perceptual, black-point compensation),
held under the ink limit, and saved as a CMYK JPEG that ReportLab embeds as is.

Results are cached by a hash of everything that affects the pixels, so a rebuild
only reads the cached JPEG and its small JSON sidecar; the pixel work itself is in
``pixels`` and loads Pillow only when a photo has to be converted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, Diagnostic, Severity, SourcePos
from ..records import record
from .profile import load_output_profile

if TYPE_CHECKING:
    from ..definition.model import Report

#: Bump when the pixel pipeline (or what the JSON sidecar holds) changes, so old cache
#: entries are not reused. images-3: notes are stored without the file name.
#: images-4: downsampled sizes rounded up, never under the target ppi.
CODE_VERSION = "images-4"
JPEG_QUALITY = 90


@record
class PreparedImage:
    path: Path  # cached CMYK JPEG ready for canvas.drawImage
    ppi: float  # effective ppi at the placed size (the lower of the two axes)
    pixel_size: tuple[int, int]
    max_ink: float  # maximum total ink coverage 0..4 (2.31 = 231 %), measured on the JPEG
    source: Path
    colorspace: str  # "CMYK"
    diagnostics: tuple[Diagnostic, ...] = ()  # warnings: low resolution, odd input


def prepare_image(
    source: Path,
    frame_w: float,
    frame_h: float,
    *,
    fit: str,
    focus: tuple[float, float],
    report: Report,
    cache_dir: Path,
    pos: SourcePos | None = None,
) -> PreparedImage:
    """Make (or fetch from the cache) the press-ready CMYK JPEG for one placed image.

    ``frame_w``/``frame_h`` are the placed size in pt; ``focus`` is the point to keep
    when cropping, as fractions of the width from the left and height from the top.
    Raises BuildError for files that cannot be used; warnings come back in
    ``diagnostics``.
    """
    pos = pos or SourcePos(str(source))
    name = shown_path(Path(source), report)
    if frame_w <= 0 or frame_h <= 0:
        image_error(pos, f"{name}: image frame has no area ({frame_w:.1f} × {frame_h:.1f} pt)")
    if fit not in ("fill", "fit"):
        image_error(pos, f"{name}: fit must be fill or fit, not {fit!r}")
    data, source_sha = _read_source(Path(source), pos, name)
    profile = load_output_profile(report)
    target_ppi = float(report.output.image_ppi)
    ink_limit = float(report.output.ink_limit)
    fx = min(1.0, max(0.0, float(focus[0])))
    fy = min(1.0, max(0.0, float(focus[1])))
    key = hashlib.sha256(
        json.dumps(
            [
                CODE_VERSION,
                source_sha,
                round(frame_w, 3),
                round(frame_h, 3),
                fit,
                round(fx, 4),
                round(fy, 4),
                target_ppi,
                ink_limit,
                profile.sha256,
                JPEG_QUALITY,
            ]
        ).encode()
    ).hexdigest()
    cache_dir.mkdir(parents=True, exist_ok=True)
    jpg = cache_dir / f"{key}.jpg"
    meta_path = cache_dir / f"{key}.json"
    meta = _read_meta(jpg, meta_path)
    if meta is None:
        if data is None:
            data, _ = _read_source(Path(source), pos, name, memo=False)
        from .pixels import make  # Pillow is loaded only when a photo is converted

        meta = make(data, name, pos, frame_w, frame_h, fit, (fx, fy), target_ppi, ink_limit,
                    profile, jpg)  # fmt: skip
        atomic_write(meta_path, json.dumps(meta, sort_keys=True).encode())
    elif "jpeg_sha256" not in meta:  # an entry from before the digest was recorded
        meta["jpeg_sha256"] = hashlib.sha256(jpg.read_bytes()).hexdigest()
        atomic_write(meta_path, json.dumps(meta, sort_keys=True).encode())
    _KNOWN_INK[meta["jpeg_sha256"]] = float(meta["max_ink"])
    diags = [Diagnostic(pos, f"{name}: {m}", "image", Severity.WARNING) for m in meta["notes"]]
    ppi = float(meta["ppi"])
    if ppi < report.output.min_image_ppi:
        diags.append(
            Diagnostic(
                pos,
                f"{name}: {ppi:.0f} ppi at its placed size, below the minimum "
                f"{report.output.min_image_ppi:.0f} ppi; use a larger original or a smaller frame",
                "image",
                Severity.WARNING,
            )
        )
    return PreparedImage(
        path=jpg,
        ppi=ppi,
        pixel_size=(int(meta["width"]), int(meta["height"])),
        max_ink=float(meta["max_ink"]),
        source=Path(source),
        colorspace="CMYK",
        diagnostics=tuple(diags),
    )


#: Source file (path, inode, size, mtime) → SHA-256, so a photo placed on many pages of
#: one build is read and hashed once.
_SOURCE_SHA: dict[tuple[str, int, int, int], str] = {}
#: SHA-256 of a prepared JPEG → its max_total_ink, as measured when it was made. The
#: preflight reads the same bytes back from the PDF and need not decode them again.
_KNOWN_INK: dict[str, float] = {}


def known_max_ink(jpeg: bytes) -> float | None:
    """max_total_ink of ``jpeg`` when this process prepared (or fetched) exactly these bytes."""
    if not _KNOWN_INK:
        return None
    return _KNOWN_INK.get(hashlib.sha256(jpeg).hexdigest())


def shown_path(source: Path, report: Report) -> str:
    """The image's path as messages show it: relative to the report's folder when inside it.

    The editor wrote ``images/p1.jpg``; the absolute path the build resolved it to is
    long, and differs from one machine to the next.
    """
    base = Path(report.base_dir)
    try:
        return source.relative_to(base).as_posix() if source.is_absolute() else str(source)
    except ValueError:
        return str(source)


def know_sources(sources: list[Path], cache_dir: Path) -> None:
    """Take the originals' digests from the build cache's index where the files are unchanged.

    ``prepare_image`` keys its cache by the original's SHA-256; reading and hashing the
    edition's photos again each build cost ~7 ms. ``hashing.sha256_files`` trusts a
    file whose device, inode, size and times are those it recorded (as make does).
    """
    from ..hashing import sha256_files

    files = []
    for source in dict.fromkeys(sources):
        try:
            if stat.S_ISREG(source.stat().st_mode):
                files.append(source)
        except OSError:
            pass  # missing or unreadable: prepare_image says so at the figure's line
    try:
        digests = sha256_files(files, cache_dir / "sources.sha256.json")
    except OSError:
        return  # the same files are read (and their problems said) one by one
    for source, digest in digests.items():
        with contextlib.suppress(OSError):
            st = source.stat()
            _SOURCE_SHA[(str(source), st.st_ino, st.st_size, st.st_mtime_ns)] = digest


def _read_source(
    source: Path, pos: SourcePos, name: str, memo: bool = True
) -> tuple[bytes | None, str]:
    """(bytes or None when the digest was known, SHA-256) of an original image."""
    key = None
    if memo:
        try:
            st = source.stat()
        except OSError:
            st = None  # reported by the read below
        if st is not None and stat.S_ISREG(st.st_mode):
            key = (str(source), st.st_ino, st.st_size, st.st_mtime_ns)
            known = _SOURCE_SHA.get(key)
            if known is not None:
                return None, known
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        image_error(pos, f"image {name} not found")
    except IsADirectoryError:
        image_error(pos, f"image {name} is a folder, not a file")
    except OSError as exc:
        image_error(pos, f"image {name} cannot be read: {exc.strerror or exc}")
    digest = hashlib.sha256(data).hexdigest()
    if key is not None:
        _SOURCE_SHA[key] = digest
    return data, digest


def image_error(pos: SourcePos, message: str) -> None:
    raise BuildError([Diagnostic(pos, message, "image")])


def _read_meta(jpg: Path, meta_path: Path) -> dict | None:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not jpg.is_file() or meta.get("version") != CODE_VERSION:
        return None
    return meta


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so parallel builds never see half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
