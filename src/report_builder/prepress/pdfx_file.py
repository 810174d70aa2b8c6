"""PDF/X for a PDF written elsewhere: a second pass with pikepdf, and the PDF/X-1a checks.

The build finishes its own PDF inside ReportLab's document (``pdfx.finish_document``);
``finish_pdf`` gives any other PDF the same OutputIntent, Info and XMP (the values
come from ``pdfx``), adds missing page boxes and refuses what PDF/X-1a forbids. The
preflight uses ``x1a_problems`` on every PDF/X-1a it checks.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ..errors import BuildError, Diagnostic
from .geometry import PageGeometry
from .pdfx import (
    document_seed,
    edition_datetime,
    info_entries,
    intent_entries,
    normalise_standard,
    xmp_packet,
)
from .profile import load_output_profile

if TYPE_CHECKING:
    from ..definition.model import Report


def finish_pdf(src: Path, dst: Path, report: Report) -> None:
    """Write ``dst``: the PDF ``src`` (from anywhere) made into ``output.standard``'s PDF/X.

    The second pass ``finish_document`` spares the build: pikepdf opens the file,
    adds the boxes a page lacks, refuses what PDF/X-1a forbids and writes the same
    OutputIntent, Info and XMP, with qpdf's content-derived ``/ID``.
    """
    standard = normalise_standard(report)
    if not standard:
        shutil.copyfile(src, dst)
        return
    profile = load_output_profile(report)
    when = edition_datetime(report)
    data = Path(src).read_bytes()
    seed = document_seed(hashlib.sha256(data).digest(), report, standard, profile)
    with pikepdf.open(src) as pdf:
        _fix_boxes(pdf, report)
        if standard == "PDF/X-1a:2003":
            problems = x1a_problems(pdf)
            if problems:
                raise BuildError(
                    [Diagnostic(report.output.pos, p, "output.standard") for p in problems]
                )
        icc = pikepdf.Stream(pdf, profile.data)
        icc.N = 4
        intent = Dictionary(
            Type=Name.OutputIntent,
            S=Name.GTS_PDFX,
            **{k: String(v) for k, v in intent_entries(profile).items()},
            DestOutputProfile=pdf.make_indirect(icc),
        )
        pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
        info = Dictionary(
            **{k: String(v) for k, v in info_entries(report, standard, when).items()},
            Trapped=Name("/False"),
        )
        pdf.trailer.Info = pdf.make_indirect(info)
        xmp = pikepdf.Stream(pdf, xmp_packet(report, standard, when, seed.hex()))
        xmp.Type = Name.Metadata
        xmp.Subtype = Name.XML
        pdf.Root.Metadata = pdf.make_indirect(xmp)
        if report.edition.language:
            pdf.Root.Lang = String(report.edition.language)
        pdf.save(
            dst,
            deterministic_id=True,
            force_version="1.4" if standard == "PDF/X-1a:2003" else "1.6",
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            fix_metadata_version=False,
        )


def _box(page: pikepdf.Page, name: str) -> tuple[float, ...] | None:
    value = page.obj.get(name)
    return tuple(float(v) for v in value) if value is not None else None


def _fix_boxes(pdf: pikepdf.Pdf, report: Report) -> None:
    """Every page needs a TrimBox (not also an ArtBox) and a BleedBox inside the MediaBox."""
    g = PageGeometry.for_report(report)
    for page in pdf.pages:
        media = _box(page, "/MediaBox") or (0.0, 0.0, 0.0, 0.0)
        fits = (
            abs(media[2] - media[0] - g.media_w) < 0.01
            and abs(media[3] - media[1] - g.media_h) < 0.01
        )
        if "/TrimBox" not in page.obj:
            page.obj.TrimBox = Array(g.trim_box if fits else media)
        if "/BleedBox" not in page.obj:
            page.obj.BleedBox = Array(g.bleed_box if fits else media)
        if "/ArtBox" in page.obj:
            del page.obj["/ArtBox"]


# ---------------------------------------------------------------- PDF/X-1a checks

_FORBIDDEN_SPACES = {"/DeviceRGB", "/CalRGB", "/ICCBased", "/Lab", "/CalGray"}


def _space_names(cs: object) -> set[str]:
    """The colour-space family names used by a colour space object (recursively)."""
    if isinstance(cs, Name):
        return {str(cs)}
    if isinstance(cs, Array) and len(cs):
        names = {str(cs[0])}
        family = str(cs[0])
        if family == "/Indexed" and len(cs) > 1:
            names |= _space_names(cs[1])
        elif family in ("/Separation", "/DeviceN") and len(cs) > 2:
            names |= _space_names(cs[2])
        elif family == "/Pattern" and len(cs) > 1:
            names |= _space_names(cs[1])
        return names
    return set()


def x1a_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Everything in the pages that PDF/X-1a forbids: RGB/ICC/Lab colour, transparency."""
    problems: list[str] = []
    seen: set[tuple[int, int]] = set()
    for n, page in enumerate(pdf.pages, 1):
        where = f"page {n}"
        group = page.obj.get("/Group")
        if group is not None and group.get("/S") == Name.Transparency:
            problems.append(f"{where}: transparency group (PDF/X-1a allows no transparency)")
        _check_resources(page.obj.get("/Resources"), page.obj, where, problems, seen)
    return sorted(set(problems))


def _check_content(owner: pikepdf.Object, where: str, problems: list[str]) -> None:
    try:
        ops = pikepdf.parse_content_stream(owner)
    except pikepdf.PdfError:
        return
    for _, op in ops:
        name = str(op)
        if name in ("rg", "RG"):
            problems.append(f"{where}: DeviceRGB colour in the content (use CMYK)")
        elif name == "BI":
            problems.append(f"{where}: inline image (not checked; avoid in PDF/X-1a)")


def _check_resources(
    res: pikepdf.Object | None,
    owner: pikepdf.Object,
    where: str,
    problems: list[str],
    seen: set[tuple[int, int]],
) -> None:
    _check_content(owner, where, problems)
    if res is None:
        return
    for name, cs in (res.get("/ColorSpace") or {}).items():
        bad = _space_names(cs) & _FORBIDDEN_SPACES
        if bad:
            problems.append(f"{where}: colour space {name} uses {', '.join(sorted(bad))}")
    for name, gs in (res.get("/ExtGState") or {}).items():
        for key in ("/CA", "/ca"):
            if key in gs and float(gs[key]) < 1:
                problems.append(f"{where}: {name} sets {key[1:]} {float(gs[key])} (transparency)")
        if "/SMask" in gs and gs.SMask != Name("/None"):
            problems.append(f"{where}: {name} has a soft mask (transparency)")
        bm = gs.get("/BM")
        if bm is not None and bm not in (Name.Normal, Name.Compatible):
            problems.append(f"{where}: {name} uses blend mode {bm} (transparency)")
    for name, xo in (res.get("/XObject") or {}).items():
        key = xo.objgen
        if key != (0, 0) and key in seen:
            continue
        seen.add(key)
        sub = xo.get("/Subtype")
        if sub == Name.Image:
            bad = _space_names(xo.get("/ColorSpace")) & _FORBIDDEN_SPACES
            if bad:
                problems.append(f"{where}: image {name} is {', '.join(sorted(bad))}")
            if "/SMask" in xo:
                problems.append(f"{where}: image {name} has a soft mask (transparency)")
        elif sub == Name.Form:
            group = xo.get("/Group")
            if group is not None and group.get("/S") == Name.Transparency:
                problems.append(f"{where}: form {name} is a transparency group")
            _check_resources(xo.get("/Resources"), xo, f"{where}, form {name}", problems, seen)
