"""PNG proofs of a built PDF, rendered with PDFium (pip-installable, no poppler needed)."""

from __future__ import annotations

import os
from pathlib import Path


def write_proofs(pdf: Path, out_dir: Path, *, dpi: int = 50) -> list[Path]:
    """Render every page to ``out_dir/<stem>-p<N>.png``; return the files written."""
    import pypdfium2 as pdfium

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(document)):
            page = document[i]
            image = page.render(scale=dpi / 72, may_draw_forms=False).to_pil()
            target = out_dir / f"{pdf.stem}-p{i + 1}.png"
            tmp = target.with_suffix(".png.tmp")
            image.save(tmp, format="PNG", optimize=False)
            os.replace(tmp, target)
            written.append(target)
            page.close()
    finally:
        document.close()
    return written
