"""The CMYK output profile: the project's default or the press profile named in report.yaml.

One profile serves two ends: images are separated through it, and it is embedded
as the PDF/X OutputIntent, so the two always agree.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import ImageCms

from ..errors import BuildError, Diagnostic

if TYPE_CHECKING:
    from ..definition.model import Report

ROOT = Path(__file__).resolve().parents[3]
ICC_DIR = ROOT / "assets" / "icc"
DEFAULT_PROFILE = ICC_DIR / "report-builder-newsprint-220.icc"
DEFAULT_CONDITION = "report_builder synthetic newsprint, TAC 220%"


@dataclass(frozen=True)
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
        return ImageCms.ImageCmsProfile(io.BytesIO(self.data))


def load_output_profile(report: Report) -> OutputProfile:
    """The report's ``output.icc_profile`` (resolved against its folder) or the default."""
    path = report.output.icc_profile
    if path is not None and not path.is_absolute():
        path = report.base_dir / path
    return _load(path or DEFAULT_PROFILE, report.output.output_condition, report)


@functools.lru_cache(maxsize=8)
def _read(path: Path) -> tuple[bytes, str, str, tuple[int, int], str, str]:
    data = path.read_bytes()
    prof = ImageCms.ImageCmsProfile(io.BytesIO(data))
    desc = (ImageCms.getProfileDescription(prof) or path.stem).strip()
    major = data[8] if len(data) > 9 else 0
    minor = data[9] >> 4 if len(data) > 9 else 0
    return (
        data,
        hashlib.sha256(data).hexdigest(),
        desc,
        (major, minor),
        prof.profile.xcolor_space.strip(),
        prof.profile.device_class.strip(),
    )


def _load(path: Path, condition: str, report: Report) -> OutputProfile:
    pos = report.output.pos
    try:
        data, sha, desc, version, space, cls = _read(path)
    except FileNotFoundError:
        raise BuildError(
            [Diagnostic(pos, f"ICC profile {path} not found", "output.icc_profile")]
        ) from None
    except (OSError, ImageCms.PyCMSError) as exc:
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
