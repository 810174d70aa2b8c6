"""A plain JPEG's size, read from its markers as Pillow reads them, without Pillow.

Importing Pillow with the format plugins that ``Image.open`` loads costs ~15 ms,
and the definition stage wants no more of a good photo than its size and a look
at the end of the file. ``plain_jpeg_size`` follows the marker segments the way
Pillow's JPEG plugin does and answers only for the plain case: JFIF, Exif, XMP,
ICC and Adobe segments, one 8-bit frame of 1, 3 or 4 components, every segment
whole. For anything else (Photoshop or MPO segments, unusual markers, a header
cut short, Exif without a JFIF resolution, which Pillow would parse) it answers
None, and the caller asks Pillow, whose verdict and messages stay the reference.
"""

from __future__ import annotations

from typing import BinaryIO

#: Segments Pillow reads and skips without a check that could fail.
_SKIPPED = {0xC4, 0xCC, 0xDC, 0xDD, 0xDF, 0xFE}  # DHT, DAC, DNL, DRI, EXP, COM
_FRAMES = {0xC0, 0xC1, 0xC2}  # baseline, extended sequential, progressive
_DQT, _SOS = 0xDB, 0xDA


def plain_jpeg_size(fh: BinaryIO) -> tuple[int, int] | None:
    """(width, height) when Pillow would open ``fh`` as a plain JPEG of that size, else None."""
    fh.seek(0)
    if fh.read(3) != b"\xff\xd8\xff":
        return None
    fh.seek(2)
    size: tuple[int, int] | None = None
    resolution = exif = False
    while True:
        head = fh.read(4)
        if len(head) < 4 or head[0] != 0xFF:
            return None  # fill bytes, junk or the end: Pillow copes in its own ways
        marker, length = head[1], int.from_bytes(head[2:4], "big")
        if length < 2:
            return None
        data = fh.read(length - 2)
        if len(data) < length - 2:
            return None
        if marker == _SOS:
            break
        if 0xE0 <= marker <= 0xEF:
            app = _app(marker, data)
            if app is None:
                return None
            resolution |= app == "resolution"
            exif |= app == "exif"
        elif marker == _DQT:
            if not _tables_whole(data):
                return None  # Pillow: "bad quantization table marker"
        elif marker in _FRAMES:
            if size is not None:
                return None
            size = _frame_size(data)
            if size is None:
                return None
        elif marker not in _SKIPPED:
            return None
    if size is None or (exif and not resolution):  # Pillow would read the resolution from Exif
        return None
    return size


def _app(marker: int, data: bytes) -> str | None:
    """What an APPn segment tells, "" for nothing of interest, None when Pillow might fail."""
    if marker == 0xE0 and data.startswith(b"JFIF"):
        if len(data) < 12:
            return None
        return "resolution" if data[7] in (1, 2) else ""
    if marker == 0xE1 and data.startswith(b"Exif\0\0"):
        return "exif"
    if marker == 0xE2 and data.startswith(b"ICC_PROFILE\0"):
        return "" if len(data) >= 14 else None  # Pillow reads the fragment count at [13]
    if marker == 0xE2 and data.startswith(b"MPF\0"):
        return None  # several images in one file (MPO): Pillow's own reading
    if marker == 0xED and data.startswith(b"Photoshop 3.0\0"):
        return None  # resource blocks Pillow parses, and may fail on
    if marker == 0xEE and data.startswith(b"Adobe") and len(data) < 7:
        return None
    return ""


def _tables_whole(data: bytes) -> bool:
    """Whether every quantization table in a DQT segment is complete."""
    while data:
        length = 1 + (64 if data[0] < 16 else 128)
        if len(data) < length:
            return False
        data = data[length:]
    return True


def _frame_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a start-of-frame segment that Pillow accepts, else None."""
    if len(data) < 6 or (len(data) - 6) % 3 or data[0] != 8 or data[5] not in (1, 3, 4):
        return None
    width, height = int.from_bytes(data[3:5], "big"), int.from_bytes(data[1:3], "big")
    if width < 1 or height < 1:
        return None
    return width, height
