"""Preflight on small real PDFs: clean pages pass, each kind of fault is found."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.colors import CMYKColor

from prepress.helpers import WENKAI, make_pdf, make_report, photo
from report_builder.check.preflight import preflight
from report_builder.layout.model import DocumentLayout, Overset, PageLayout
from report_builder.prepress.images import prepare_image
from report_builder.prepress.pdfx_file import finish_pdf

pytestmark = pytest.mark.skipif(not WENKAI.is_file(), reason="fonts-lxgw-wenkai not installed")


def _finished(tmp_path: Path, report, name: str = "out", **kw) -> Path:
    raw = make_pdf(tmp_path / f"{name}.raw.pdf", report, **kw)
    out = tmp_path / f"{name}.pdf"
    finish_pdf(raw, out, report)
    return out


def _messages(diags) -> str:
    return "\n".join(d.message for d in diags)


def test_clean_page_passes_and_json_is_deterministic(tmp_path):
    report = make_report(tmp_path, marks=("crop", "registration", "colour-bars"))
    src = tmp_path / "p.jpg"
    photo((1200, 800)).save(src)
    img = prepare_image(
        src, 300, 200, fit="fill", focus=(0.5, 0.5), report=report, cache_dir=tmp_path / "c"
    )
    pdf = _finished(tmp_path, report, image=img.path, image_frame=(40, 400, 300, 200))
    js = tmp_path / "out.preflight.json"
    result = preflight(pdf, report, None, json_path=js)
    assert result.errors == [] and result.warnings == [], result.format_table()
    page = result.pages[0]
    # registration colour (400 %) and the 5 pt slug label live in the marks forms: skipped
    assert page["max_vector_ink"] <= 1.0
    assert page["boxes_ok"]
    [font] = page["fonts"]
    assert font["embedded"] and font["subset"]
    [image] = page["images"]
    assert image["ppi"] == pytest.approx(img.ppi, abs=0.5)
    assert image["colorspace"] == "DeviceCMYK"
    assert image["filter"] == "DCTDecode"  # ReportLab writes [/DCTDecode]: the names, not a repr
    assert image["max_ink"] == pytest.approx(img.max_ink, abs=0.01)
    assert result.document["output_intents"] == 1
    first = js.read_bytes()
    preflight(pdf, report, None, json_path=js)
    assert js.read_bytes() == first
    data = json.loads(first)
    assert data["standard"] == "PDF/X-4" and data["pages"][0]["page"] == 1
    table = result.format_table()
    assert "PDF/X-4" in table and re.search(r"^\s+1\s+210×297\s+ok", table, re.M)
    assert "0 error(s), 0 warning(s)" in table


def test_image_ppi_matches_pdfimages(tmp_path):
    if not shutil.which("pdfimages"):
        pytest.skip("poppler-utils not installed")
    report = make_report(tmp_path)
    src = tmp_path / "p.png"
    photo((500, 400)).save(src)
    img = prepare_image(
        src, 250, 200, fit="fill", focus=(0.5, 0.5), report=report, cache_dir=tmp_path / "c"
    )
    pdf = _finished(tmp_path, report, image=img.path, image_frame=(40, 400, 250, 200))
    result = preflight(pdf, report, None, json_path=None)
    row = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2]
    x_ppi = float(row.split()[12])
    assert result.pages[0]["images"][0]["ppi"] == pytest.approx(x_ppi, abs=1)
    assert x_ppi == pytest.approx(img.ppi, abs=1)  # 500 px over 250 pt = 144 ppi
    assert "144 ppi, below 200 ppi" in _messages(result.warnings)


def test_faults_are_found(tmp_path):
    report = make_report(tmp_path)

    def faults(c):
        c.setFillColor(CMYKColor(0.6, 0.6, 0.6, 1))  # 280 % rich black text, over 240 %
        c.setFont("WenKai", 12)
        c.drawString(40, 300, "四色黑标题")
        c.setFillColor(CMYKColor(0, 0, 0, 1))
        c.setFont("WenKai", 4)  # below the 5 pt minimum
        c.drawString(40, 280, "小字")
        c.setFillColorRGB(0.2, 0.4, 0.6)  # RGB in an X-4 file: a warning
        c.rect(40, 200, 50, 50, fill=1, stroke=0)

    pdf = _finished(tmp_path, report, extra=faults)
    result = preflight(pdf, report, None, json_path=None)
    errors, warnings = _messages(result.errors), _messages(result.warnings)
    assert "CMYK 60/60/60/100 has 280% total ink" in errors
    assert "4 pt, below the minimum 5 pt" in warnings
    assert "four-colour (rich) black" in warnings
    assert "RGB colour operator" in warnings
    page = result.pages[0]
    assert page["rich_black_text"] == 1 and page["min_text_size"] == 4
    assert page["over_limit_colours"] == [[0.6, 0.6, 0.6, 1.0]]


def test_unembedded_font_and_missing_boxes(tmp_path):
    report = make_report(tmp_path, standard="none", marks=())
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "plain.pdf"
    c = rl_canvas.Canvas(str(path), pagesize=(report.paper.width, report.paper.height))
    c.setFont("Helvetica", 10)
    c.drawString(50, 50, "Helvetica is not embedded")
    c.showPage()
    c.save()
    result = preflight(path, report, None, json_path=None)
    assert "font Helvetica (Type1) is not embedded" in _messages(result.errors)
    assert "no TrimBox" in _messages(result.warnings)  # no PDF/X asked: only a warning
    x4 = make_report(tmp_path)
    strict = preflight(path, x4, None, json_path=None)
    msgs = _messages(strict.errors)
    assert "no TrimBox" in msgs and "0 GTS_PDFX output intents" in msgs
    assert "no GTS_PDFXVersion" in msgs


def test_x1a_rgb_is_an_error(tmp_path):
    report = make_report(tmp_path, standard="pdf/x-1a")

    def rgb(c):
        c.setFillColorRGB(1, 0, 0)
        c.rect(10, 10, 20, 20, fill=1, stroke=0)

    raw = make_pdf(tmp_path / "rgb.pdf", report, extra=rgb)
    x4 = make_report(tmp_path)
    finish_pdf(raw, tmp_path / "x4.pdf", x4)  # X-4 finishing lets RGB through
    result = preflight(tmp_path / "x4.pdf", report, None, json_path=None)
    assert "DeviceRGB" in _messages(result.errors)


def test_overset_from_layout(tmp_path):
    report = make_report(tmp_path)
    pdf = _finished(tmp_path, report)
    from report_builder.errors import Diagnostic, SourcePos

    diag = Diagnostic(SourcePos("report.yaml", 40, 5), "3 lines do not fit", "pages[0]")
    layout = DocumentLayout(
        pages=[PageLayout(number=5, name="专版", width=report.paper.width, height=1.0)],
        overset=[Overset(block="lead-article", page=5, lines=3, chars=41, diagnostic=diag)],
    )
    quiet = preflight(pdf, report, layout, json_path=None)
    assert quiet.pages[0]["overset"] == [{"block": "lead-article", "chars": 41, "lines": 3}]
    assert quiet.warnings == []  # the build reports overset itself
    loud = preflight(pdf, report, layout, json_path=None, overset_as_warnings=True)
    assert loud.warnings == [diag]
    row = loud.format_table().splitlines()[2]
    assert row.split()[-1] == "3"  # the overset column counts lines


def test_output_condition_must_come_with_its_profile(tmp_path):
    import pikepdf

    from report_builder.prepress.profile import DEFAULT_CONDITION, DEFAULT_PROFILE

    named = make_report(tmp_path, output_condition="WAN-IFRA newspaper 26v5")
    pdf = _finished(tmp_path, named, name="named")
    with pikepdf.open(pdf) as doc:
        oi = doc.Root.OutputIntents[0]
        assert str(oi.OutputConditionIdentifier) == DEFAULT_CONDITION
        assert str(oi.OutputCondition) == "WAN-IFRA newspaper 26v5"
    result = preflight(pdf, named, None, json_path=None)
    assert "named without its icc_profile" in _messages(result.warnings)
    # with the press profile named (here a copy standing in for it) the identifier is the user's
    press = tmp_path / "press.icc"
    press.write_bytes(DEFAULT_PROFILE.read_bytes())
    own = make_report(tmp_path, output_condition="MyPress", icc_profile=Path("press.icc"))
    pdf = _finished(tmp_path, own, name="own")
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.OutputIntents[0].OutputConditionIdentifier) == "MyPress"
    assert not preflight(pdf, own, None, json_path=None).warnings
