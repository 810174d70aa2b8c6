"""Faces in a real PDF: embedded and subset, no stray Helvetica, text extracts as written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from report_builder.fonts.registry import FontRegistry

LINES = {
    ("song", "regular"): "中国梦·劳动美：五年来，全省新组建工会2.7万家。",
    ("song", "bold"): "奋进新征程，建功新时代！",
    ("hei", "regular"): "湖南工会这5年（2018—2023）",
    ("hei", "bold"): "劳动成就梦想 奋斗铸就辉煌",
    ("kai", "regular"): "◆派机关干部赴基层蹲点……",
    ("kai", "bold"): "《工人日报》①②③",
}


def _write_pdf(path: Path, registry: FontRegistry) -> None:
    from reportlab.pdfgen.canvas import Canvas

    faces = [registry.face(r, w) for r, w in LINES]
    registry.register_reportlab(faces)
    c = Canvas(str(path), pagesize=(600, 400), invariant=1, initialFontName=faces[0].name)
    y = 360
    for face, text in zip(faces, LINES.values(), strict=True):
        c.setFont(face.name, 16)
        c.drawString(20, y, text)
        y -= 40
    c.showPage()
    c.save()


def _pdffonts(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [type…] encoding emb sub uni obj gen
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def test_embedded_subset_and_extractable(shipped: FontRegistry, tmp_path: Path) -> None:
    pdf = tmp_path / "faces.pdf"
    _write_pdf(pdf, shipped)
    if shutil.which("pdffonts"):
        rows = _pdffonts(pdf)
        names = {r["name"].split("+", 1)[1] for r in rows}
        assert names == {shipped.face(r, w).name for r, w in LINES}
        for r in rows:
            assert (r["emb"], r["sub"], r["uni"]) == ("yes", "yes", "yes"), r
            assert r["name"][6] == "+"  # subset tag
    else:  # pragma: no cover - poppler missing
        from pypdf import PdfReader

        fonts = PdfReader(str(pdf)).pages[0]["/Resources"]["/Font"]
        for ref in fonts.values():
            desc = ref.get_object()["/FontDescriptor"]
            assert "/FontFile2" in desc and "+" in str(desc["/FontName"])
    raw = pdf.read_bytes()
    assert b"Helvetica" not in raw
    with pdfplumber.open(pdf) as doc:
        lines = doc.pages[0].extract_text().splitlines()
    assert lines == list(LINES.values())


SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_pdf import _write_pdf
from report_builder.fonts.registry import FontRegistry
reg = FontRegistry.shipped()
reg.cache_dir = Path(sys.argv[2]) if sys.argv[2] != "-" else None
_write_pdf(Path(sys.argv[1]), reg)
from report_builder.fonts.reportlab_cache import STATS
print(STATS["hits"], STATS["parsed"])
"""


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_reportlab_cache_gives_the_same_pdf(tmp_path: Path) -> None:
    """A face rebuilt from the pickle cache embeds exactly like one ReportLab parsed."""
    script = SCRIPT.format(tests=str(Path(__file__).parent))
    cache = tmp_path / "cache"

    def run(out: str, cache_arg: str) -> tuple[bytes, str]:
        proc = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / out), cache_arg],
            check=True,
            capture_output=True,
            text=True,
        )
        return (tmp_path / out).read_bytes(), proc.stdout.split()

    n = str(len(LINES))
    parsed, stats = run("parsed.pdf", "-")
    assert stats == ["0", n]
    first, stats = run("first.pdf", str(cache))  # parses, writes the cache
    assert stats == ["0", n]
    assert len(list(cache.glob("*.pickle"))) == len(LINES)
    cached, stats = run("cached.pdf", str(cache))  # loads from the cache
    assert stats == [n, "0"]
    assert parsed == first == cached


def test_specimen_sets_every_sample_in_its_own_face(tmp_path: Path) -> None:
    from report_builder.fonts.specimen import SAMPLES, write_specimen

    pdf = tmp_path / "specimen.pdf"
    assert write_specimen(pdf) == []  # no character needed a fallback face
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()
    for sample in SAMPLES:
        assert text.count(sample) == 7  # six faces and the fangsong stand-in
