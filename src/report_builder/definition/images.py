"""A quick look at each placed image while report.yaml is checked, before anything is drawn.

The image stage decodes photos only when it draws them, so a broken file used to
stop the build at render time, at the first one, pointing at its figure block.
Here every image is opened for its header (format and size, no pixels) and
looked at for the usual damage of a copy cut short: a JPEG without its
end-of-image marker, a PNG without its IEND chunk, a TIFF whose strips lie past
the end of the file. Only a file that looks cut short is decoded, to be sure
(a JPEG at 1/8 scale), so a good photo costs a header read and a look at its
last bytes; a plain JPEG is read without importing Pillow at all (``jpeg``).
Every bad image of the report is then reported with the other problems, at the
line of its ``image:`` value.
"""

from __future__ import annotations

import os
import struct
import warnings
from pathlib import Path
from typing import BinaryIO

from .jpeg import plain_jpeg_size
from .reader import Invalid

#: What the image stage can use (MPO: a JPEG with extra frames, as cameras write).
SUPPORTED = ("JPEG", "PNG", "TIFF", "MPO")
_CHUNK = 1 << 20
_TAIL = 1 << 12
#: Pillow's default ``MAX_IMAGE_PIXELS``: a larger image goes to Pillow, which warns or refuses.
_PILLOW_PIXEL_LIMIT = 1024 * 1024 * 1024 // 4 // 3

#: (path, inode, size, mtime, ctime) → the problem found (None = fine): one look per file.
_SEEN: dict[tuple[str, int, int, int, int], str | None] = {}


def check_image(path: Path, shown: str) -> None:
    """Raise Invalid when ``path`` is not an image the image stage can use.

    ``shown`` is the path as the editor wrote it, to start the message with.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise Invalid(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if key not in _SEEN:
        _SEEN[key] = _problem(path)
    problem = _SEEN[key]
    if problem is not None:
        raise Invalid(f"{shown}: {problem}")


def _problem(path: Path) -> str | None:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, also on every error
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    try:
        if _plain_jpeg_is_whole(fh):
            return None
        return _problem_by_pillow(fh)
    finally:
        fh.close()


def _plain_jpeg_is_whole(fh: BinaryIO) -> bool:
    """True for a plain JPEG that Pillow would open and that ends as it should.

    The common case, answered without importing Pillow; anything else (another
    format, an odd JPEG, one that looks cut short) goes to Pillow for the verdict.
    """
    try:
        size = plain_jpeg_size(fh)
        if size is None or size[0] * size[1] > _PILLOW_PIXEL_LIMIT:
            return False
        start = _jpeg_scan_start(fh)
        return start is not None and _find(fh, b"\xff\xd9", start)
    except (OSError, struct.error, ValueError):
        return False


def _problem_by_pillow(fh: BinaryIO) -> str | None:
    from PIL import Image, UnidentifiedImageError

    fh.seek(0)
    with warnings.catch_warnings():
        # a very large image is only slow; the image stage says so when it draws it
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            im = Image.open(fh)
        except Image.DecompressionBombError:
            return (
                "image is too large to open safely (more than "
                f"{2 * (Image.MAX_IMAGE_PIXELS or 0):,} pixels); scale it down first"
            )
        except UnidentifiedImageError:
            return "not an image Pillow can read (expected JPEG, PNG or TIFF)"
        except (OSError, SyntaxError, ValueError) as exc:
            return f"image file is truncated or corrupt ({exc})"
        if im.format not in SUPPORTED:
            return f"{im.format} images are not supported; use JPEG, PNG or TIFF"
        if im.width < 1 or im.height < 1:
            return f"the image has no pixels ({im.width} × {im.height})"
        size = os.fstat(fh.fileno()).st_size
        try:
            cut = _looks_cut_short(fh, im, size)
        except (OSError, struct.error, ValueError, KeyError, TypeError):
            cut = "its structure cannot be followed"
        if cut is None:
            return None
        # decode to be sure: a file that merely lacks the last marker still prints
        try:
            fh.seek(0)
            im = Image.open(fh)
            if im.format in ("JPEG", "MPO"):
                im.draft(im.mode, (max(1, im.width // 8), max(1, im.height // 8)))
            im.load()
        except Exception:  # Pillow raises many kinds for damaged data
            return f"image file is truncated or corrupt: {cut}"
        return None


def _looks_cut_short(fh: BinaryIO, im, size: int) -> str | None:
    """What looks missing at the end of the file, or None when it looks whole."""
    if im.format in ("JPEG", "MPO"):
        start = _jpeg_scan_start(fh)
        if start is None:
            return "no image data follow the JPEG header"
        if not _find(fh, b"\xff\xd9", start):
            return "it ends without an end-of-image marker; was the copy cut short?"
        return None
    if im.format == "PNG":
        if not _png_has_iend(fh, size):
            return "it ends without its IEND chunk; was the copy cut short?"
        return None
    if im.format == "TIFF":
        tags = im.tag_v2
        offsets = tags.get(273) or tags.get(324) or ()
        counts = tags.get(279) or tags.get(325) or ()
        ends = [int(o) + int(c) for o, c in zip(offsets, counts, strict=False)]
        if ends and max(ends) > size:
            return f"its image data reach byte {max(ends):,} of a {size:,}-byte file"
    return None


def _jpeg_scan_start(fh: BinaryIO) -> int | None:
    """The offset of the first scan's data, found by walking the marker segments."""
    fh.seek(2)  # after SOI
    while True:
        head = fh.read(2)
        if len(head) < 2 or head[0] != 0xFF:
            return None
        marker = head[1]
        while marker == 0xFF:  # fill bytes
            nxt = fh.read(1)
            if not nxt:
                return None
            marker = nxt[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # no length follows
            continue
        raw = fh.read(2)
        if len(raw) < 2:
            return None
        (length,) = struct.unpack(">H", raw)
        if marker == 0xDA:  # SOS: the entropy-coded data follow its header
            return fh.tell() + length - 2
        fh.seek(length - 2, os.SEEK_CUR)


def _find(fh: BinaryIO, needle: bytes, start: int) -> bool:
    """Whether ``needle`` occurs at or after ``start``, read a megabyte at a time.

    The end of the file is looked at first: a whole JPEG ends with the marker
    sought, so a good photo costs one small read instead of a read of all of it.
    """
    end = fh.seek(0, os.SEEK_END)
    fh.seek(max(start, end - _TAIL))
    if needle in fh.read(_TAIL):
        return True
    fh.seek(start)
    tail = b""
    while True:
        block = fh.read(_CHUNK)
        if not block:
            return False
        if needle in tail + block:
            return True
        tail = block[-(len(needle) - 1) :]


def _png_has_iend(fh: BinaryIO, size: int) -> bool:
    """Walk the chunks by their lengths (no data read) until IEND or the end of the file."""
    pos = 8
    while pos + 12 <= size:
        fh.seek(pos)
        length, kind = struct.unpack(">I4s", fh.read(8))
        if kind == b"IEND":
            return True
        pos += 12 + length
    return False
