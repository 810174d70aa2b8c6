"""The output profile's header is read without Pillow, and agrees with LittleCMS."""

from __future__ import annotations

import glob
import io
from pathlib import Path

import pytest
from PIL import ImageCms

from report_builder.prepress.profile import DEFAULT_PROFILE, _read

PROFILES = sorted({*glob.glob("/usr/share/color/**/*.ic[cm]", recursive=True)}) + [
    str(DEFAULT_PROFILE)
]


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: Path(p).name)
def test_header_read_agrees_with_littlecms(path):
    data, _sha, desc, version, space, cls = _read(Path(path))
    prof = ImageCms.ImageCmsProfile(io.BytesIO(data))
    assert desc == (ImageCms.getProfileDescription(prof) or Path(path).stem).strip()
    assert space == prof.profile.xcolor_space.strip()
    assert cls == prof.profile.device_class.strip()
    assert version[0] in (2, 4)


def test_default_profile_is_a_cmyk_printer_profile():
    _data, _sha, desc, _version, space, cls = _read(DEFAULT_PROFILE)
    assert (space, cls) == ("CMYK", "prtr") and "newsprint" in desc.lower()


@pytest.mark.parametrize("content", [b"", b"%PDF-1.6\n" * 40, bytes(200)])
def test_not_a_profile_is_refused(tmp_path, content):
    bad = tmp_path / "bad.icc"
    bad.write_bytes(content)
    with pytest.raises(ValueError, match="acsp"):
        _read(bad)
