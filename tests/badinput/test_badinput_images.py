"""Images that are missing, broken, odd or too small, and paths that leave the edition.

Broken files fail the build at the figure that places them; odd but valid ones
(CMYK, 16-bit, palette, transparency) build; a photo too small for its frame is a
warning, and an error with ``--strict``. A path out of the edition folder is
refused unless ``allow_outside_paths: true``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from badinput_helpers import (
    EDITION_ID,
    GoodBuild,
    assert_clean_failure,
    assert_clean_success,
    diagnostic_line,
    figure_edition,
    invoke_build,
    running_as_root,
    write_edition,
)


def _edition_with(folder: Path, images: dict[str, Path], **layout: int) -> Path:
    """An edition folder with ``images/<name>`` copies and one figure page per image."""
    (folder / "images").mkdir(parents=True, exist_ok=True)
    placed = {}
    for i, (name, source) in enumerate(images.items()):
        shutil.copy(source, folder / "images" / name)
        placed[f"photo-{i}"] = f"images/{name}"
    return write_edition(folder, figure_edition(placed, **layout))


BROKEN = [
    ("truncated.jpg", "image file is truncated or corrupt: it ends without an end-of-image marker"),
    ("corrupt.png", "not an image Pillow can read"),
    ("not-an-image.jpg", "not an image Pillow can read (expected JPEG, PNG or TIFF)"),
    ("empty.jpg", "not an image Pillow can read"),
    ("animation.gif", "GIF images are not supported; use JPEG, PNG or TIFF"),
    ("bomb.png", "image is too large to open safely"),
]


def test_every_broken_image_fails_at_its_image_line(
    good: GoodBuild, tmp_path: Path, images: dict[str, Path]
) -> None:
    """All of them in one build, each at its own ``image:`` value, before anything is drawn."""
    report = _edition_with(tmp_path, {name: images[name] for name, _ in BROKEN})
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    for i, (name, fragment) in enumerate(BROKEN):
        # page i's figure: its image: value is on line 7 + 5i, after "        image: "
        message = diagnostic_line(
            run, report, 7 + 5 * i, 16, f"pages[{i}].blocks[0].image", fragment
        )
        assert f"image: images/{name}: " in message  # the path as the editor wrote it
    assert f"build failed: {len(BROKEN)} problem(s)" in run.stderr, run
    assert str(tmp_path) not in run.stderr.replace(str(report), "")  # no absolute paths
    assert "DecompressionBomb" not in run.output and "PIL." not in run.output


def test_a_missing_image_is_named_with_a_close_match(
    good: GoodBuild, tmp_path: Path, images: dict[str, Path]
) -> None:
    report = _edition_with(tmp_path, {"rgb.jpg": images["rgb.jpg"]})
    report.write_text(report.read_text().replace("images/rgb.jpg", "images/rbg.jpg"))
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    diagnostic_line(
        run,
        report,
        7,
        16,
        "pages[0].blocks[0].image",
        "image file not found: images/rbg.jpg (did you mean 'rgb.jpg'?)",
    )


def test_an_unreadable_image(good: GoodBuild, tmp_path: Path, images: dict[str, Path]) -> None:
    report = _edition_with(tmp_path, {"rgb.jpg": images["rgb.jpg"]})
    locked = tmp_path / "images" / "rgb.jpg"
    locked.chmod(0)
    try:
        if running_as_root() or os.access(locked, os.R_OK):
            pytest.skip("running as root: file permissions do not stop reading")
        run = invoke_build(report, good.out)
    finally:
        locked.chmod(0o644)
    assert_clean_failure(run, good.out, good.sha)
    diagnostic_line(
        run, report, 7, 16, "pages[0].blocks[0].image", "images/rgb.jpg: cannot be read: Permission"
    )


VARIANTS = [
    "cmyk.jpg",
    "cmyk.tif",
    "rgb16.png",
    "grey16.png",
    "palette.png",
    "palette-transparent.png",
    "rgba.png",
    "grey-alpha.png",
]


def test_odd_but_valid_images_build(tmp_path: Path, images: dict[str, Path]) -> None:
    """CMYK, 16-bit, palette and transparent originals all end as CMYK JPEGs in the PDF."""
    chosen = {name: images[name] for name in VARIANTS}
    # one column by eight lines: every 600 × 400 px original keeps ≥ 200 ppi there
    report = _edition_with(tmp_path / "edition", chosen, span=1, lines=8)
    out = tmp_path / "out"
    run = invoke_build(report, out)
    pdf = assert_clean_success(run, out)
    assert "ppi" not in run.stderr, run
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == len(VARIANTS)
        for page in doc.pages:
            xobjects = page.Resources.XObject
            placed = [xobjects[k] for k in list(xobjects.keys()) if xobjects[k].Subtype == "/Image"]
            assert len(placed) == 1
            image = placed[0]
            assert image.ColorSpace == pikepdf.Name.DeviceCMYK
            assert "/DCTDecode" in [str(f) for f in pikepdf.PdfImage(image).filters]
            assert "/SMask" not in image  # transparency flattened, as PDF/X-1a wants


def test_a_low_resolution_image_warns_and_fails_when_strict(
    good: GoodBuild, tmp_path: Path, images: dict[str, Path]
) -> None:
    report = _edition_with(tmp_path / "edition", {"tiny.jpg": images["tiny.jpg"]})
    out = tmp_path / "out"
    lenient = invoke_build(report, out)
    assert_clean_success(lenient, out)
    warning = [x for x in lenient.lines if "warning:" in x and "ppi" in x]
    assert len(warning) == 1, lenient
    assert "photo-0" in warning[0] and "below the minimum 200 ppi" in warning[0]
    # the image named as the editor wrote it, not by the absolute path it resolved to
    assert "images/tiny.jpg: " in warning[0] and str(tmp_path) not in warning[0].split(": ", 1)[1]

    strict = invoke_build(report, good.out, "--strict")  # fails after the PDF was rendered
    assert_clean_failure(strict, good.out, good.sha)
    assert "200 ppi" in strict.stderr


def _escape_edition(folder: Path, outside: Path, allow: bool) -> Path:
    """Figures whose paths leave ``folder`` in every way there is."""
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "link.jpg").symlink_to(outside / "rgb.jpg")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    shutil.copy(outside / "rgb.jpg", folder / "images" / "own.jpg")
    ups = os.path.relpath(outside / "rgb.jpg", folder)
    paths = {
        "up": "../../etc/passwd" if not allow else ups,
        "absolute": "/etc/passwd" if not allow else str(outside / "rgb.jpg"),
        "symlink-file": "images/link.jpg",
        "symlink-folder": "linked/rgb.jpg",
        "home": "~/photo.jpg",
        "inside": "images/own.jpg",
    }
    if allow:
        del paths["home"]
    extra = "allow_outside_paths: true\n" if allow else ""
    return write_edition(folder, figure_edition(paths, extra=extra, span=1, lines=8))


def test_paths_out_of_the_edition_folder_are_refused(
    good: GoodBuild, tmp_path: Path, images: dict[str, Path]
) -> None:
    report = _escape_edition(tmp_path / "edition", images["rgb.jpg"].parent, allow=False)
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    expected = [
        (7, "pages[0].blocks[0].image", "'../../etc/passwd' leads outside the edition folder"),
        (12, "pages[1].blocks[0].image", "absolute path '/etc/passwd' is refused"),
        (
            17,
            "pages[2].blocks[0].image",
            "'images/link.jpg' leads outside the edition folder through a symbolic link",
        ),
        (
            22,
            "pages[3].blocks[0].image",
            "'linked/rgb.jpg' leads outside the edition folder through a symbolic link",
        ),
        (27, "pages[4].blocks[0].image", "'~/photo.jpg': paths starting with ~ are refused"),
    ]
    for line, path, fragment in expected:
        message = diagnostic_line(run, report, line, 16, path, fragment)
        assert "allow_outside_paths: true" in message
    assert "build failed: 5 problem(s)" in run.stderr
    assert "root:" not in run.output  # nothing of /etc/passwd was read out


def test_outside_paths_build_when_allowed(tmp_path: Path, images: dict[str, Path]) -> None:
    report = _escape_edition(tmp_path / "edition", images["rgb.jpg"].parent, allow=True)
    out = tmp_path / "out"
    run = invoke_build(report, out)
    pdf = assert_clean_success(run, out)
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == 5
    assert pdf.name == f"{EDITION_ID}.pdf"
