"""The whole build on the example edition, then the print checks on its PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from report_builder.check.preflight import run_preflight_cli
from report_builder.cli import build_pdf

ROOT = Path(__file__).resolve().parents[2]
EDITION = ROOT / "tests" / "definition" / "examples" / "complete" / "report.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if not EDITION.is_file():
        pytest.skip("example edition missing")
    out = tmp_path_factory.mktemp("edition")
    result = build_pdf(EDITION, out)
    return result.pdf


def test_edition_passes_qpdf_check(built):
    if not shutil.which("qpdf"):
        pytest.skip("qpdf not installed")
    run = subprocess.run(["qpdf", "--check", str(built)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_edition_is_pdfx_with_nested_boxes(built):
    with pikepdf.open(built) as doc:
        assert len(doc.Root.OutputIntents) == 1
        assert int(doc.Root.OutputIntents[0].DestOutputProfile.N) == 4
        assert str(doc.trailer.Info.GTS_PDFXVersion) == "PDF/X-4"
        for page in doc.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert bleed[0] <= trim[0] and trim[2] <= bleed[2]
            assert media[0] <= bleed[0] and bleed[2] <= media[2]
            assert bleed[1] <= trim[1] and trim[3] <= bleed[3]


def test_check_cli_writes_json_and_prints_table(built, capsys):
    status = run_preflight_cli(EDITION, built.parent, strict=False)
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert "preflight" in printed and "error(s)" in printed
    data = json.loads((built.parent / f"{built.stem}.preflight.json").read_text("utf-8"))
    assert data["errors"] == []
    for page in data["pages"]:
        assert all(f["embedded"] and f["subset"] for f in page["fonts"])
        assert page["boxes_ok"]
        for image in page["images"]:
            assert image["colorspace"] == "DeviceCMYK"
            assert image.get("block")  # matched to its figure block through the layout
