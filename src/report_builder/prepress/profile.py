"""The CMYK output profile: the project's default or the press profile named in report.yaml.

One profile serves two ends: images are separated through it, and it is embedded
as the PDF/X OutputIntent, so the two always agree.
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, Diagnostic
from ..records import record

if TYPE_CHECKING:
    from PIL import ImageCms

    from ..definition.model import Report

ROOT = Path(__file__).resolve().parents[3]
ICC_DIR = ROOT / "assets" / "icc"
DEFAULT_PROFILE = ICC_DIR / "report-builder-newsprint-220.icc"
DEFAULT_CONDITION = "report_builder synthetic newsprint, TAC 220%"


@record
class OutputProfile:
    path: Path
    data: bytes
    sha256: str
    description: str
    condition: str  # OutputConditionIdentifier: names what the embedded profile describes
    version: tuple[int, int]  # ICC major, minor
    requested: str = ""  # output.output_condition as the editor wrote it
    is_default: bool = False  # the project's own synthetic profile

    @functools.cached_property
    def cms(self) -> ImageCms.ImageCmsProfile:
        from PIL import ImageCms

        return ImageCms.ImageCmsProfile(io.BytesIO(self.data))


def load_output_profile(report: Report) -> OutputProfile:
    """The report's ``output.icc_profile`` (resolved against its folder) or the default."""
    path = report.output.icc_profile
    if path is not None and not path.is_absolute():
        path = report.base_dir / path
    return _load(path or DEFAULT_PROFILE, report.output.output_condition, report)


@functools.lru_cache(maxsize=8)
def _read(path: Path) -> tuple[bytes, str, str, tuple[int, int], str, str]:
    """(bytes, SHA-256, description, version, colour space, class) from the ICC header.

    Read here rather than with Pillow's ImageCms: a build whose photos are already
    in the image cache then never loads Pillow (~10 ms). LittleCMS still reads the
    whole profile whenever a photo is converted.
    """
    data = path.read_bytes()
    if len(data) < 132 or data[36:40] != b"acsp" or int.from_bytes(data[:4], "big") > len(data):
        raise ValueError("no ICC header ('acsp' signature) at its start")
    desc = _description(data) or path.stem
    return (
        data,
        hashlib.sha256(data).hexdigest(),
        desc.strip(),
        (data[8], data[9] >> 4),
        data[16:20].decode("latin-1").strip(),
        data[12:16].decode("latin-1").strip(),
    )


def _description(data: bytes) -> str:
    """The profile's ``desc`` tag: ICC v2 ``desc`` (ASCII) or v4 ``mluc`` (English first)."""

    def u32(buf: bytes, at: int) -> int:
        return int.from_bytes(buf[at : at + 4], "big")

    for i in range(min(u32(data, 128), (len(data) - 132) // 12)):
        entry = 132 + 12 * i  # the tag table: signature, offset, size
        if data[entry : entry + 4] != b"desc":
            continue
        tag = data[u32(data, entry + 4) : u32(data, entry + 4) + u32(data, entry + 8)]
        if tag[:4] == b"desc" and len(tag) >= 12:  # v2: an ASCII count, then the text
            return tag[12 : 12 + u32(tag, 8)].split(b"\0", 1)[0].decode("latin-1")
        if tag[:4] == b"mluc" and len(tag) >= 16:  # v4: records of language, length, offset
            width, found = u32(tag, 12), []
            for r in range(u32(tag, 8)):
                rec = 16 + r * width
                text = tag[u32(tag, rec + 8) : u32(tag, rec + 8) + u32(tag, rec + 4)]
                found.append((tag[rec : rec + 2] != b"en", text.decode("utf-16-be")))
            return min(found)[1] if found else ""
    return ""


def _load(path: Path, condition: str, report: Report) -> OutputProfile:
    pos = report.output.pos
    try:
        data, sha, desc, version, space, cls = _read(path)
    except FileNotFoundError:
        raise BuildError(
            [Diagnostic(pos, f"ICC profile {path} not found", "output.icc_profile")]
        ) from None
    except (OSError, ValueError) as exc:
        raise BuildError(
            [Diagnostic(pos, f"{path} is not a readable ICC profile ({exc})", "output.icc_profile")]
        ) from None
    if space != "CMYK" or cls != "prtr":
        raise BuildError(
            [
                Diagnostic(
                    pos,
                    f"{path} is a {space} {cls} profile; the output profile must be a CMYK "
                    "printer (output) profile such as WAN-IFRAnewspaper26v5.icc",
                    "output.icc_profile",
                )
            ]
        )
    is_default = path == DEFAULT_PROFILE
    # The identifier must describe the profile actually embedded: a condition named
    # without its profile (e.g. WAN-IFRA 26v5 while the default profile is used) is kept
    # only as the human-readable OutputCondition, and the preflight warns about it.
    ident = DEFAULT_CONDITION if is_default else (condition or desc)
    return OutputProfile(path, data, sha, desc, ident, version, condition, is_default)
