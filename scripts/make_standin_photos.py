"""Make the stand-in photos p1.jpg … p9.jpg of the seed edition from Debian's KDE wallpapers.

The seed page's nine photographs are not available, so real photographs that may
be redistributed stand in for them: wallpapers of the Debian package
plasma-workspace-wallpapers (4:5.27.5-2; debian/copyright: GPL-2+, the wallpapers'
own metadata.json: LGPLv3). None shows what its caption says; assets/images/README.md
tells what each one really is.

Each is cropped about its centre to 3:2 and scaled to 2560 × 1600 px, which is
≥ 300 ppi up to 177 × 118 mm: four columns of the 8-column broadsheet grid
(about 172 mm) across. Saved as baseline RGB JPEG, quality 85 (lower in steps
of 5 for a grainy photo, until the file is under 600 KB), without metadata, so
the same input gives the same bytes.

    apt-get install plasma-workspace-wallpapers    # or: apt-get download + dpkg-deb -x
    python scripts/make_standin_photos.py [--wallpapers /usr/share/wallpapers]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "images"
SIZE = (2560, 1600)
QUALITY = 85
MAX_BYTES = 1200 * 1024  # a grainy photo steps its quality down by 5 until it fits
MIN_QUALITY = 70

# Caption order (content/hunan-unions-2023.cleaned.md) → wallpaper, chosen for a calm,
# varied page: architecture, people-less scenes, no strong colour casts.
PHOTOS = {
    "p1.jpg": "Grey",
    "p2.jpg": "ColorfulCups",
    "p3.jpg": "Path",
    "p4.jpg": "Kite",
    "p5.jpg": "summer_1am",
    "p6.jpg": "BytheWater",
    "p7.jpg": "EveningGlow",
    "p8.jpg": "FallenLeaf",
    "p9.jpg": "ColdRipple",
}


def crop_to(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Crop about the centre to the aspect of size, then scale to size."""
    w, h = image.size
    target = size[0] / size[1]
    if w / h > target:
        cw, ch = round(h * target), h
    else:
        cw, ch = w, round(w / target)
    left, top = (w - cw) // 2, (h - ch) // 2
    box = (left, top, left + cw, top + ch)
    return image.crop(box).resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def largest(folder: Path) -> Path:
    """The biggest rendition a wallpaper ships (files are named WIDTHxHEIGHT.jpg)."""
    files = sorted((folder / "contents" / "images").glob("*x*.jpg"))
    if not files:
        raise SystemExit(f"error: {folder}: no contents/images/*.jpg (is the package there?)")

    def area(p: Path) -> int:
        w, h = p.stem.split("x")
        return int(w) * int(h)

    return max(files, key=area)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wallpapers", type=Path, default=Path("/usr/share/wallpapers"))
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, wallpaper in PHOTOS.items():
        src = largest(args.wallpapers / wallpaper)
        with Image.open(src) as im:
            photo = crop_to(im.convert("RGB"), SIZE)
        quality = QUALITY
        while True:
            photo.save(
                OUT / name,
                "JPEG",
                quality=quality,
                optimize=True,
                subsampling="4:2:0",
                dpi=(300, 300),
            )
            size = (OUT / name).stat().st_size
            if size < MAX_BYTES or quality <= MIN_QUALITY:
                break
            quality -= 5
        where = src.relative_to(args.wallpapers)
        print(f"{name}: {where} → {SIZE[0]}×{SIZE[1]}, quality {quality}, {size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
