"""Faces in a real PDF: embedded and subset, no stray Helvetica, text extracts as written."""

from __future__ import annotations

import json
import os
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
import json, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from reportlab.pdfbase import pdfmetrics
from test_pdf import _write_pdf
from report_builder.fonts.registry import FontRegistry
from report_builder.fonts.reportlab_cache import LAZY, STATS
reg = FontRegistry.shipped()
reg.cache_dir = Path(sys.argv[2]) if sys.argv[2] != "-" else None
_write_pdf(Path(sys.argv[1]), reg)
faces = [pdfmetrics.getFont(f.name).face for f in reg._faces if f.name in reg._registered]
loaded = sorted({{k for f in faces for k in (*LAZY, "_ttf_data") if k in vars(f)}})
print(json.dumps(dict(STATS, loaded=loaded)))
"""


def _run_script(tmp_path: Path, out: str, cache_arg: str) -> tuple[bytes, dict]:
    script = SCRIPT.format(tests=str(Path(__file__).parent))
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / out), cache_arg],
        check=True,
        capture_output=True,
        text=True,
    )
    return (tmp_path / out).read_bytes(), json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_reportlab_cache_gives_the_same_pdf(tmp_path: Path) -> None:
    """A face rebuilt from the pickle cache embeds exactly like one ReportLab parsed,
    and so does a subset taken from the subset cache."""
    cache = tmp_path / "cache"
    n = len(LINES)
    parsed, stats = _run_script(tmp_path, "parsed.pdf", "-")
    assert (stats["hits"], stats["parsed"]) == (0, n)
    first, stats = _run_script(tmp_path, "first.pdf", str(cache))  # parses, writes the caches
    assert (stats["hits"], stats["parsed"], stats["subsets_made"]) == (0, n, n)
    assert len(list(cache.glob("*.pickle"))) == n
    assert len(list((cache / "subsets").iterdir())) == n  # one subset a face: few characters
    cached, stats = _run_script(tmp_path, "cached.pdf", str(cache))  # loads from the caches
    assert (stats["hits"], stats["parsed"]) == (n, 0)
    assert (stats["subsets_made"], stats["subsets_reused"]) == (0, n)
    # nothing was subset: the font files were not even opened, nor hmtx and loca unpickled
    assert stats["loaded"] == ["charToGlyph", "charWidths"]
    assert parsed == first == cached


def test_a_damaged_subset_cache_file_is_made_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, _ = _run_script(tmp_path, "first.pdf", str(cache))
    files = sorted((cache / "subsets").iterdir())
    data = bytearray(files[0].read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the font program
    files[0].write_bytes(bytes(data))
    files[1].write_bytes(files[1].read_bytes()[:100])  # cut short
    again, stats = _run_script(tmp_path, "again.pdf", str(cache))
    assert (stats["subsets_made"], stats["subsets_reused"]) == (2, len(LINES) - 2)
    assert "_ttf_data" in stats["loaded"]  # the two were subset from the font file
    assert again == first
    assert files[0].read_bytes() != bytes(data)  # and written back whole


def test_reportlabs_c_accelerator_writes_the_same_pdf(tmp_path: Path) -> None:
    """rl-accel (a dependency for speed) must not change a byte: compare with ReportLab's
    Python fallbacks, which an empty ``_rl_accel`` module earlier on the path selects."""
    pytest.importorskip("_rl_accel")
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "_rl_accel.py").write_text("# no names: ReportLab falls back to Python\n")
    script = SCRIPT.format(tests=str(Path(__file__).parent))
    probe = "import reportlab.lib.rl_accel as a; print(a.fp_str.__module__)"
    outputs = []
    for name, path in (("c", []), ("python", [str(shim)])):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([*path, *sys.path]))
        which = subprocess.run(
            [sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True
        )
        want = "_rl_accel" if name == "c" else "reportlab.lib.rl_accel"
        assert which.stdout.strip() == want
        pdf = tmp_path / f"{name}.pdf"
        subprocess.run(
            [sys.executable, "-c", script, str(pdf), "-"], env=env, check=True, capture_output=True
        )
        outputs.append(pdf.read_bytes())
    assert outputs[0] == outputs[1]


def test_specimen_sets_every_sample_in_its_own_face(tmp_path: Path) -> None:
    from report_builder.fonts.specimen import SAMPLES, write_specimen

    pdf = tmp_path / "specimen.pdf"
    assert write_specimen(pdf) == []  # no character needed a fallback face
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()
    for sample in SAMPLES:
        assert text.count(sample) == 7  # six faces and the fangsong stand-in
