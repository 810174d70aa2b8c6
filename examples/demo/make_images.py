"""Make the demo page's two photos from the stand-in photos in assets/images.

Half-size copies (1280 × 800 px, quality 85) keep the repository small and are still
above 200 ppi in the demo's frames. Run from the repository root:
``python examples/demo/make_images.py``; the same Pillow gives the same files.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"forest-path.jpg": "p3.jpg", "lake-dusk.jpg": "p5.jpg"}


def main() -> None:
    out = Path(__file__).resolve().parent / "images"
    out.mkdir(exist_ok=True)
    for name, source in SOURCES.items():
        with Image.open(ROOT / "assets" / "images" / source) as img:
            small = img.convert("RGB").resize((1280, 800), Image.LANCZOS)
        small.save(out / name, quality=85, optimize=True, dpi=(300, 300))


if __name__ == "__main__":
    main()
