"""The edition manifest: what a PDF was built from, so archivists can rebuild it."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

from . import __version__
from .definition.model import Report
from .fonts.registry import FontRegistry
from .hashing import sha256_file, sha256_files


def _images(report: Report) -> list[Path]:
    return [report.base_dir / b.image for b in report.figures()]


def _rel(path: Path, base: Path) -> str:
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return path.as_posix()


def build_manifest(
    report: Report,
    registry: FontRegistry,
    pdf: Path,
    *,
    pdf_sha256: str | None = None,
    cache_dir: Path | None = None,
) -> dict:
    """The manifest's data; ``pdf_sha256`` when already taken, ``cache_dir`` to keep
    the inputs' digests between builds (see ``hashing.sha256_files``)."""
    import PIL
    import reportlab

    base = report.base_dir
    images = sorted(set(_images(report)))
    index = cache_dir / f"{report.edition.id}.inputs.sha256.json" if cache_dir else None
    digests = sha256_files([report.source, *images], index)
    return {
        "edition": report.edition.id,
        "title": report.edition.title,
        "date": report.edition.date,
        "pdf": {"file": f"{report.edition.id}.pdf", "sha256": pdf_sha256 or sha256_file(pdf)},
        "inputs": {
            "report": {"file": _rel(report.source, base), "sha256": digests[report.source]},
            "images": [{"file": _rel(p, base), "sha256": digests[p]} for p in images],
            "fonts": sorted(
                (
                    {"name": f.name, "file": _rel(Path(f.path), base), "sha256": f.sha256}
                    for f in registry.faces
                ),
                key=lambda d: d["name"],
            ),
        },
        "tools": {
            "report_builder": __version__,
            "python": platform.python_version(),
            "reportlab": reportlab.Version,
            "pillow": PIL.__version__,
        },
    }


def write_manifest(
    report: Report,
    registry: FontRegistry,
    pdf: Path,
    target: Path,
    *,
    pdf_sha256: str | None = None,
    cache_dir: Path | None = None,
) -> None:
    data = build_manifest(report, registry, pdf, pdf_sha256=pdf_sha256, cache_dir=cache_dir)
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    os.replace(tmp, target)
