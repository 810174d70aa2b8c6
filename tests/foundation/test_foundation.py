"""Issue 2, from the outside: ``invoke build`` turns report.yaml into a real PDF.

Every check reads what a user gets — the printed summary, the PDF file, the PNG
proofs — never the pipeline's internal objects.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import unicodedata

import pytest
import yaml

from pdfcheck import (
    EDITION_REPORT,
    Build,
    PdfText,
    invoke,
    is_subset_name,
    normalise,
    pdf_fonts,
    run_build,
    scratch_dir,
)

BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
SUMMARY = re.compile(
    r"^built (?P<pdf>\S+\.pdf) — (?P<pages>\d+) page\(s\), (?P<kib>\d+) KiB, "
    r"(?P<seconds>[\d.]+) s, (?P<warnings>\d+) warning\(s\)$",
    re.M,
)


def _has_han(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED") for ch in text)


def _yaml_strings(node) -> list[str]:
    """Every string value in the loaded YAML (keys are field names, not page text)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _yaml_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _yaml_strings(v)]
    return []


def _printed_texts() -> list[str]:
    """The Chinese text of report.yaml that is meant to be printed.

    A page's ``name`` names the page for the editor; it is not set on the page.
    """
    data = yaml.safe_load(EDITION_REPORT.read_text("utf-8"))
    pages = [{k: v for k, v in p.items() if k != "name"} for p in data.get("pages", [])]
    texts = _yaml_strings({"edition": data.get("edition", {}), "pages": pages})
    return sorted({normalise(t) for t in texts if _has_han(t)})


def test_build_prints_its_summary(edition: Build):
    match = SUMMARY.search(edition.stdout)
    assert match, f"no summary line in the build output:\n{edition.stdout}"
    assert int(match["pages"]) == 2
    assert abs(int(match["kib"]) - edition.pdf.stat().st_size / 1024) <= 1
    assert float(match["seconds"]) > 0
    printed_warnings = len(re.findall(r": warning: ", edition.stderr))
    assert int(match["warnings"]) == printed_warnings, edition.stderr


def test_pdf_text_holds_the_chinese_text_of_report_yaml(edition_text: PdfText):
    text = edition_text.reading_text()
    wanted = _printed_texts()
    assert len(wanted) > 60  # every paragraph, caption, title of the edition
    missing = [t for t in wanted if t not in text]
    assert not missing, f"{len(missing)} text(s) of report.yaml not in the PDF, e.g. {missing[:3]}"


def test_every_font_is_embedded_and_subset(edition: Build):
    fonts = pdf_fonts(edition.pdf)
    assert fonts, "no fonts found"
    problems = [
        f"{f.name}: embedded={f.embedded} ({f.file_key}), subset={is_subset_name(f.name)}"
        for f in fonts
        if not (f.embedded and f.file_key == "/FontFile2" and is_subset_name(f.name))
    ]
    assert not problems, problems
    base14 = [f.name for f in fonts if f.name.split("+")[-1].startswith(BASE14)]
    assert not base14, f"base-14 fonts referenced: {base14}"


def test_pdffonts_lists_every_font_embedded_and_subset(edition: Build):
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) not installed")
    run = subprocess.run(["pdffonts", str(edition.pdf)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = run.stdout.splitlines()[2:]
    assert rows, run.stdout
    bad = []
    for row in rows:
        # name, type (may hold spaces), encoding, emb, sub, uni, object, generation
        fields = row.split()
        emb, sub = fields[-5], fields[-4]
        if (emb, sub) != ("yes", "yes") or fields[0].split("+")[-1].startswith(BASE14):
            bad.append(row)
    assert not bad, "\n".join(bad)


@pytest.fixture(scope="module")
def second_build() -> Build:
    """The edition built again from scratch, into another folder."""
    again = run_build(scratch_dir("again"))
    assert again.returncode == 0, again.stdout + again.stderr
    return again


def _sha256(build: Build) -> str:
    return hashlib.sha256(build.pdf.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(edition: Build, second_build: Build):
    """Two clean builds in two folders: the output folder is not an input."""
    assert _sha256(edition) == _sha256(second_build)


def test_rebuild_over_its_own_cache_is_byte_identical(second_build: Build):
    """A second build in the same folder (font and image caches warm) changes nothing."""
    before = _sha256(second_build)
    rebuilt = run_build(second_build.out)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert _sha256(rebuilt) == before


def test_proof_writes_a_png_of_each_page(edition_text: PdfText):
    from PIL import Image

    out = scratch_dir("proof")
    run = invoke("proof", "--report", str(EDITION_REPORT), "--out", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    pngs = sorted((out / "proofs").glob("*.png"))
    assert len(pngs) == len(edition_text.page_sizes) == 2
    for png, (width, height) in zip(pngs, edition_text.page_sizes, strict=True):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(png) as im:
            im.verify()
        with Image.open(png) as im:
            w, h = im.size
        assert abs(w - width * 50 / 72) <= 2 and abs(h - height * 50 / 72) <= 2, (png, w, h)
        assert abs(w / h - width / height) < 0.01
