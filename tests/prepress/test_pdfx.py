"""Page boxes, marks and PDF/X finishing, checked on real PDFs with pikepdf and poppler."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.colors import CMYKColor

from report_builder.errors import BuildError
from report_builder.prepress.geometry import PageGeometry
from report_builder.prepress.marks import FORM_PREFIX
from report_builder.prepress.pdfx import pdf_date, xmp_packet
from report_builder.prepress.pdfx_file import finish_pdf
from report_builder.prepress.profile import DEFAULT_PROFILE
from report_builder.units import MM

from .helpers import make_pdf, make_report, photo


def _boxes(pdf: Path) -> list[dict[str, list[float]]]:
    with pikepdf.open(pdf) as doc:
        return [
            {k: [float(v) for v in p.obj[k]] for k in ("/MediaBox", "/BleedBox", "/TrimBox")}
            for p in doc.pages
        ]


def _finished(tmp_path: Path, report, how: str, name: str = "out", **kw) -> Path:
    """A finished one-page PDF: finished in the canvas as the build does, or by the pikepdf pass."""
    out = tmp_path / f"{name}-{how}.pdf"
    if how == "document":
        return make_pdf(out, report, finish=b"digest of " + name.encode(), **kw)
    raw = make_pdf(tmp_path / f"{name}-raw.pdf", report, **kw)
    finish_pdf(raw, out, report)
    return out


FINISHERS = ["document", "file"]


def _inside(a: list[float], b: list[float]) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


def test_geometry_without_marks_has_no_slug(tmp_path):
    g = PageGeometry.for_report(make_report(tmp_path, marks=()))
    assert g.slug == 0
    assert g.bleed_box == g.media_box
    assert g.trim_box == (g.bleed, g.bleed, g.bleed + 210 * MM, g.bleed + 297 * MM)


def test_geometry_with_marks(tmp_path):
    g = PageGeometry.for_report(make_report(tmp_path, marks=("crop", "registration")))
    assert g.slug > 0
    assert g.trim_origin == (g.bleed + g.slug, g.bleed + g.slug)
    t, b, m = g.trim_box, g.bleed_box, g.media_box
    assert _inside(list(t), list(b)) and _inside(list(b), list(m))
    assert t[2] - t[0] == pytest.approx(210 * MM) and b[0] == pytest.approx(g.slug)
    assert b[2] - b[0] == pytest.approx(210 * MM + 2 * 3 * MM)


@pytest.mark.parametrize("how", FINISHERS)
@pytest.mark.parametrize("marks", [(), ("crop",), ("crop", "registration", "colour-bars")])
def test_rendered_boxes_nest_and_trim_is_the_paper(tmp_path, marks, how):
    report = make_report(tmp_path, marks=marks)
    out = _finished(tmp_path, report, how)
    [box] = _boxes(out)
    assert _inside(box["/TrimBox"], box["/BleedBox"])
    assert _inside(box["/BleedBox"], box["/MediaBox"])
    trim = box["/TrimBox"]
    assert trim[2] - trim[0] == pytest.approx(210 * MM, abs=0.01)
    assert trim[3] - trim[1] == pytest.approx(297 * MM, abs=0.01)
    bleed = box["/BleedBox"]
    assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.01)
    with pikepdf.open(out) as doc:
        names = [str(n) for n in doc.pages[0].Resources.get("/XObject", {})]
        assert "/ArtBox" not in doc.pages[0].obj
    assert any(FORM_PREFIX in n for n in names) == bool(marks)


@pytest.mark.parametrize("how", FINISHERS)
def test_pdfinfo_reads_the_boxes(tmp_path, how):
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils not installed")
    report = make_report(tmp_path, marks=("crop",))
    out = _finished(tmp_path, report, how)
    text = subprocess.run(
        ["pdfinfo", "-box", str(out)], capture_output=True, text=True, check=True
    ).stdout
    g = PageGeometry.for_report(report)
    trim = next(line for line in text.splitlines() if line.startswith("TrimBox"))
    assert [float(v) for v in trim.split()[1:]] == pytest.approx(list(g.trim_box), abs=0.01)
    assert "PDF/X-4" in text


@pytest.mark.parametrize("how", FINISHERS)
@pytest.mark.parametrize("standard", ["pdf/x-4", "pdf/x-1a"])
def test_pdfx_output_intent_info_and_xmp(tmp_path, standard, how):
    report = make_report(tmp_path, standard=standard)
    src_img = tmp_path / "p.jpg"
    photo((600, 400)).save(src_img)
    from report_builder.prepress.images import prepare_image

    prepared = prepare_image(
        src_img, 300, 200, fit="fill", focus=(0.5, 0.5), report=report, cache_dir=tmp_path / "c"
    )
    out = _finished(tmp_path, report, how, image=prepared.path)
    with pikepdf.open(out) as doc:
        intents = doc.Root.OutputIntents
        assert len(intents) == 1
        oi = intents[0]
        assert oi.S == pikepdf.Name.GTS_PDFX
        assert str(oi.OutputConditionIdentifier) and str(oi.Info)
        prof = oi.DestOutputProfile
        assert int(prof.N) == 4
        assert prof.read_bytes() == DEFAULT_PROFILE.read_bytes()
        info = doc.trailer.Info
        assert str(info.Title) == "湖南工会五年巡礼"
        assert str(info.Author) == "工人日报"
        assert str(info.CreationDate) == "D:20230801000000+08'00'" == str(info.ModDate)
        assert info.Trapped == pikepdf.Name("/False")
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            assert xmp["xmp:CreateDate"] == "2023-08-01T00:00:00+08:00"
            assert xmp["dc:title"] == "湖南工会五年巡礼"
            assert xmp["xmpMM:DocumentID"].startswith("uuid:")
        if standard == "pdf/x-4":
            assert doc.pdf_version == "1.6"
            assert str(info.GTS_PDFXVersion) == "PDF/X-4"
        else:
            assert doc.pdf_version == "1.4"
            assert str(info.GTS_PDFXVersion) == "PDF/X-1:2003"
            assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2003"
            # no RGB or ICC-based colour anywhere in the pages
            for page in doc.pages:
                for xo in page.Resources.get("/XObject", {}).values():
                    if xo.get("/Subtype") == pikepdf.Name.Image:
                        assert xo.ColorSpace == pikepdf.Name.DeviceCMYK
                ops = {str(op) for _, op in pikepdf.parse_content_stream(page)}
                assert not ops & {"rg", "RG"}
        assert len(doc.trailer.ID) == 2
    assert out.read_bytes().startswith(b"%PDF-1.6" if standard == "pdf/x-4" else b"%PDF-1.4")


def test_both_finishers_write_the_same_pdfx_objects(tmp_path):
    """The build's in-canvas finishing and the pikepdf pass agree on every PDF/X value."""
    report = make_report(tmp_path, marks=("crop",), standard="pdf/x-4")
    found = []
    for how in FINISHERS:
        with pikepdf.open(_finished(tmp_path, report, how)) as doc:
            oi = doc.Root.OutputIntents[0]
            intent = {k: str(v) for k, v in oi.items() if k != "/DestOutputProfile"}
            xmp = doc.Root.Metadata.read_bytes().decode()
            xmp = xmp[: xmp.index("<xmpMM:InstanceID>")] + xmp[xmp.index("</xmpMM:InstanceID>") :]
            found.append(
                (
                    intent,
                    oi.DestOutputProfile.read_bytes(),
                    {k: str(v) for k, v in doc.trailer.Info.items()},
                    xmp,
                    doc.pdf_version,
                    str(doc.Root.Lang) if "/Lang" in doc.Root else None,
                    [[float(v) for v in doc.pages[0].obj[k]] for k in ("/TrimBox", "/BleedBox")],
                )
            )
    assert found[0] == found[1]


def test_document_id_follows_the_content(tmp_path):
    """Same drawing and digest: same bytes; another digest: another /ID and XMP InstanceID."""
    report = make_report(tmp_path, marks=("crop",))
    a1 = make_pdf(tmp_path / "a1.pdf", report, finish=b"content a").read_bytes()
    a2 = make_pdf(tmp_path / "a2.pdf", report, finish=b"content a").read_bytes()
    b = make_pdf(tmp_path / "b.pdf", report, finish=b"content b")
    assert a1 == a2
    with pikepdf.open(tmp_path / "a1.pdf") as pa, pikepdf.open(b) as pb:
        assert bytes(pa.trailer.ID[0]) != bytes(pb.trailer.ID[0])
        assert pa.Root.Metadata.read_bytes() != pb.Root.Metadata.read_bytes()
        assert len(bytes(pa.trailer.ID[0])) == 16 and pa.trailer.ID[0] == pa.trailer.ID[1]


def test_xmp_packet_is_well_formed_and_escaped(tmp_path):
    import datetime
    import xml.dom.minidom

    report = make_report(tmp_path)
    ed = replace(report.edition, title="A & B <特刊>", publication="湖南日报")
    report = replace(report, edition=ed)
    when = datetime.datetime(2023, 8, 1)
    packet = xmp_packet(report, "PDF/X-4", when, "seed")
    dom = xml.dom.minidom.parseString(packet)
    titles = dom.getElementsByTagName("dc:title")[0].getElementsByTagName("rdf:li")
    assert titles[0].firstChild.data == "A & B <特刊>"
    assert when.isoformat() in packet.decode()


def test_finish_is_byte_identical_across_runs(tmp_path):
    report = make_report(tmp_path, marks=("crop", "registration", "colour-bars"))
    digests = set()
    for run in range(2):
        raw = make_pdf(tmp_path / f"raw{run}.pdf", report)
        out = tmp_path / f"out{run}.pdf"
        finish_pdf(raw, out, report)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_qpdf_check_passes(tmp_path):
    if not shutil.which("qpdf"):
        pytest.skip("qpdf not installed")
    for standard in ("pdf/x-4", "pdf/x-1a"):
        report = make_report(tmp_path, standard=standard, marks=("crop", "registration"))
        raw = make_pdf(tmp_path / "raw.pdf", report)
        out = tmp_path / f"{standard[-2:]}.pdf"
        finish_pdf(raw, out, report)
        run = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_fonts_embedded_and_subset(tmp_path):
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed")
    report = make_report(tmp_path, marks=("crop",))
    raw = make_pdf(tmp_path / "raw.pdf", report)
    finish_pdf(raw, tmp_path / "x.pdf", report)
    rows = subprocess.run(
        ["pdffonts", str(tmp_path / "x.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, _uni, _obj, _gen = row.split()
        assert emb == "yes" and sub == "yes" and name[6] == "+", row


def test_standard_none_copies(tmp_path):
    report = make_report(tmp_path, standard="none")
    raw = make_pdf(tmp_path / "raw.pdf", report)
    finish_pdf(raw, tmp_path / "out.pdf", report)
    assert (tmp_path / "out.pdf").read_bytes() == raw.read_bytes()


def test_x1a_refuses_rgb_and_transparency(tmp_path):
    report = make_report(tmp_path, standard="pdf/x-1a")

    def rgb(c):
        c.setFillColorRGB(1, 0, 0)
        c.rect(10, 10, 20, 20, fill=1, stroke=0)

    def alpha(c):
        c.setFillColor(CMYKColor(0, 1, 0, 0, alpha=0.5))
        c.rect(10, 10, 20, 20, fill=1, stroke=0)

    for name, draw, expected in (("rgb", rgb, "DeviceRGB"), ("alpha", alpha, "transparency")):
        raw = make_pdf(tmp_path / f"{name}.pdf", report, extra=draw)
        with pytest.raises(BuildError) as exc:
            finish_pdf(raw, tmp_path / "out.pdf", report)
        assert any(expected in d.message for d in exc.value.diagnostics), exc.value
    # PDF/X-4 allows both
    x4 = make_report(tmp_path, standard="pdf/x-4")
    finish_pdf(tmp_path / "rgb.pdf", tmp_path / "x4.pdf", x4)


def test_bad_settings_are_clean_errors(tmp_path):
    raw = make_pdf(tmp_path / "raw.pdf", make_report(tmp_path))
    for kw, expected in (
        ({"standard": "pdf/x-3"}, "unknown output standard"),
        ({"icc_profile": tmp_path / "missing.icc"}, "not found"),
        ({"icc_profile": raw}, "not a readable ICC profile"),
    ):
        with pytest.raises(BuildError) as exc:
            finish_pdf(raw, tmp_path / "out.pdf", make_report(tmp_path, **kw))
        assert expected in str(exc.value)
    srgb = Path("/usr/share/color/icc/ghostscript/srgb.icc")
    if srgb.is_file():
        with pytest.raises(BuildError) as exc:
            finish_pdf(raw, tmp_path / "out.pdf", make_report(tmp_path, icc_profile=srgb))
        assert "must be a CMYK printer" in str(exc.value)


def test_pdf_date_format():
    import datetime as dt

    when = dt.datetime(2023, 8, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert pdf_date(when) == "D:20230801000000+08'00'"
    west = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30)))
    assert pdf_date(west) == "D:20240102030405-05'30'"
