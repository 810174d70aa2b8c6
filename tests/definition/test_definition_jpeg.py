"""The Pillow-free read of a plain JPEG agrees with Pillow, and a good photo needs no Pillow.

``plain_jpeg_size`` may decline any file (Pillow then decides), but when it answers,
Pillow must open the file as a JPEG of that size; and the image check must give
the same verdict with and without it, for good, odd and damaged files alike.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from report_builder.definition import images
from report_builder.definition.jpeg import plain_jpeg_size


def _picture(mode: str) -> Image.Image:
    rgb = Image.merge(
        "RGB",
        (
            Image.radial_gradient("L").resize((240, 160)),
            Image.linear_gradient("L").resize((240, 160)),
            Image.linear_gradient("L").resize((240, 160)).rotate(90, expand=False),
        ),
    )
    return rgb.convert(mode)


def _save(image: Image.Image, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", **params)
    return buf.getvalue()


def _exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    return exif.tobytes()


def _variants() -> dict[str, bytes]:
    """Good JPEGs of the kinds editors bring, and the same with their header spoiled."""
    good = {
        "rgb": _save(_picture("RGB"), quality=85),
        "grey": _save(_picture("L")),
        "cmyk": _save(_picture("CMYK")),
        "progressive": _save(_picture("RGB"), progressive=True),
        "optimized": _save(_picture("RGB"), optimize=True, subsampling=0),
        "dpi": _save(_picture("RGB"), dpi=(300, 300)),
        "exif": _save(_picture("RGB"), exif=_exif()),
        "exif-dpi": _save(_picture("RGB"), exif=_exif(), dpi=(300, 300)),
        "icc": _save(_picture("RGB"), icc_profile=b"\0" * 200),
        "comment": _save(_picture("RGB"), comment=b"made for the test"),
        "restart": _save(_picture("RGB"), restart_marker_blocks=2),
    }
    out = dict(good)
    rgb = good["rgb"]
    sof = rgb.index(b"\xff\xc0")
    dqt = rgb.index(b"\xff\xdb")
    out["junk-after"] = rgb + b"\0" * 5000  # a whole file with padding after EOI
    out["no-eoi"] = rgb[:-2]
    out["twelve-bit"] = rgb[: sof + 4] + b"\x0c" + rgb[sof + 5 :]
    out["two-layers"] = rgb[: sof + 9] + b"\x02" + rgb[sof + 10 :]
    out["zero-width"] = rgb[: sof + 7] + b"\0\0" + rgb[sof + 9 :]
    out["short-dqt"] = rgb[: dqt + 2] + b"\x00\x10" + rgb[dqt + 4 :]
    out["photoshop"] = rgb[:2] + b"\xff\xed\x00\x14Photoshop 3.0\x008BI" + rgb[2:]
    out["mpf"] = rgb[:2] + b"\xff\xe2\x00\x0aMPF\x00\x00\x00\x00\x00" + rgb[2:]
    out["junk-marker"] = rgb[:2] + b"\xff\x01" + rgb[2:]
    out["no-sof"] = rgb[:sof] + rgb[sof + 2 + int.from_bytes(rgb[sof + 2 : sof + 4], "big") :]
    for n in (3, 10, 30, sof + 5, len(rgb) // 2, len(rgb) - 1):
        out[f"cut-{n}"] = rgb[:n]
    return out


VARIANTS = _variants()


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_an_answered_size_is_pillows(name: str) -> None:
    data = VARIANTS[name]
    size = plain_jpeg_size(io.BytesIO(data))
    if size is None:
        return
    with Image.open(io.BytesIO(data)) as im:
        assert (im.format, im.size) == ("JPEG", size)


def test_the_plain_kinds_are_answered_without_pillow() -> None:
    """The point of the module: the photos editors bring are read without Pillow."""
    plain = ("rgb", "grey", "cmyk", "progressive", "optimized", "dpi", "exif-dpi", "icc")
    for name in (*plain, "comment", "restart", "junk-after", "no-eoi"):
        assert plain_jpeg_size(io.BytesIO(VARIANTS[name])) is not None, name
    for name in ("exif", "twelve-bit", "two-layers", "zero-width", "photoshop", "mpf", "no-sof"):
        assert plain_jpeg_size(io.BytesIO(VARIANTS[name])) is None, name


@pytest.mark.filterwarnings("ignore:Image appears to be a malformed MPO file")
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_verdict_is_the_same_with_pillow_alone(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(VARIANTS[name])
    with open(path, "rb") as fh:
        by_pillow = images._problem_by_pillow(fh)
    assert images._problem(path) == by_pillow


def test_a_good_photo_is_checked_without_importing_pillow(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(VARIANTS["exif-dpi"])
    bad = tmp_path / "cut.jpg"
    bad.write_bytes(VARIANTS["no-eoi"][: len(VARIANTS["no-eoi"]) // 2])
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from report_builder.definition.images import check_image\n"
        "from report_builder.definition.reader import Invalid\n"
        f"check_image(Path({str(path)!r}), 'photo.jpg')\n"
        "print('PIL' in sys.modules)\n"
        "try:\n"
        f"    check_image(Path({str(bad)!r}), 'cut.jpg')\n"
        "except Invalid as exc:\n"
        "    print(exc)\n"
        "print('PIL' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, message, after = run.stdout.splitlines()
    assert before == "False"  # the good photo: a header and its last bytes, no Pillow
    assert message.startswith("cut.jpg: image file is truncated or corrupt")
    assert after == "True"  # a damaged one is Pillow's to judge
