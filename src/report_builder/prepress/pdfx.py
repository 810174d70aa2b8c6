"""PDF/X: the OutputIntent, Info and XMP that make a PDF/X-4 or PDF/X-1a:2003 file.

ReportLab has no OutputIntent or PDF/X support (reportlab.md §2.8), but its
document takes any dictionary or stream. ``finish_document`` adds the PDF/X
objects to the canvas's document before it is saved, so the build writes the
finished file in one pass (rewriting the 13 MB file with pikepdf afterwards cost
~100 ms a build). ``finish_pdf`` does the same to a PDF written elsewhere, in a
second pass with pikepdf (the tests finish hand-drawn pages with it).

Both take their values from here: the OutputIntent with the embedded output
profile, the PDF/X keys in Info and in XMP, dates taken from the edition (never
the clock) and a document ID made from the content. Same input, same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ..errors import BuildError, Diagnostic
from .geometry import PageGeometry
from .profile import OutputProfile, load_output_profile

if TYPE_CHECKING:
    from ..definition.model import Report

PRODUCER = "report_builder (ReportLab)"
STANDARDS = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003", "none": ""}
#: Dates without a time are taken as midnight, Beijing time (the editions are Chinese papers).
DEFAULT_TZ = dt.timezone(dt.timedelta(hours=8))
#: The PDF version each standard is written as (ISO 15930-7, ISO 15930-4).
VERSIONS = {"PDF/X-4": (1, 6), "PDF/X-1a:2003": (1, 4)}


# ---------------------------------------------------------------- the values


def info_entries(report: Report, standard: str, when: dt.datetime) -> dict[str, str]:
    """The Info dictionary's text entries (``Trapped`` is a name, added by the writer)."""
    date = pdf_date(when)
    info = {
        "Title": report.edition.title or report.edition.id,
        "Creator": "report_builder",
        "Producer": PRODUCER,
        "CreationDate": date,
        "ModDate": date,
    }
    if report.edition.publication:
        info["Author"] = report.edition.publication
    if standard == "PDF/X-1a:2003":
        # ISO 15930-4: the version names the part, the conformance the level
        info["GTS_PDFXVersion"] = "PDF/X-1:2003"
        info["GTS_PDFXConformance"] = "PDF/X-1a:2003"
    else:
        info["GTS_PDFXVersion"] = standard
    return info


def intent_entries(profile: OutputProfile) -> dict[str, str]:
    """The OutputIntent's text entries (its profile stream is added by the writer)."""
    return {
        "OutputConditionIdentifier": profile.condition,
        "OutputCondition": profile.requested or profile.description,
        "Info": profile.description,
        "RegistryName": "http://www.color.org",
    }


def document_seed(digest: bytes, report: Report, standard: str, profile: OutputProfile) -> bytes:
    """32 bytes naming this file: what was drawn plus everything the finishing adds."""
    info = info_entries(report, standard, edition_datetime(report))
    added = "\0".join(
        [standard, profile.sha256, repr(sorted(info.items())), report.edition.language or ""]
    )
    return hashlib.sha256(digest + added.encode()).digest()


def xmp_packet(report: Report, standard: str, when: dt.datetime, instance: str) -> bytes:
    """Hand-written XMP: every value fixed by the input, so the bytes are reproducible."""
    date = when.isoformat()
    ed = report.edition
    doc_id = _uuid(f"document:{ed.id}")
    inst_id = _uuid(f"instance:{instance}:{standard}")
    title = escape(ed.title or ed.id)
    lang = escape(ed.language or "x-default")
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{escape(ed.publication)}</rdf:li></rdf:Seq></dc:creator>"
        if ed.publication
        else ""
    )
    if standard == "PDF/X-4":
        pdfx = (
            '<rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">'
            "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion></rdf:Description>"
            '<rdf:Description rdf:about="" xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">'
            "<pdfx:GTS_PDFXVersion>PDF/X-4</pdfx:GTS_PDFXVersion></rdf:Description>"
        )
    else:
        pdfx = (
            '<rdf:Description rdf:about="" xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">'
            "<pdfx:GTS_PDFXVersion>PDF/X-1:2003</pdfx:GTS_PDFXVersion>"
            "<pdfx:GTS_PDFXConformance>PDF/X-1a:2003</pdfx:GTS_PDFXConformance>"
            "</rdf:Description>"
        )
    xmp = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
{creator}
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<xmp:CreatorTool>report_builder</xmp:CreatorTool>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>{escape(PRODUCER)}</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
<xmpMM:DocumentID>{doc_id}</xmpMM:DocumentID>
<xmpMM:InstanceID>{inst_id}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
</rdf:Description>
{pdfx}
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return xmp.encode("utf-8")


# ---------------------------------------------------------------- writing them


def finish_document(
    canvas: object, report: Report, digest: bytes, *, cache_dir: Path | None = None
) -> None:
    """Make the unsaved ReportLab canvas's document PDF/X, as ``output.standard`` asks.

    ``digest`` identifies what was drawn (pages, fonts, images): the document ID
    and the XMP instance ID are made from it. Every page already carries its
    TrimBox and BleedBox (set by the renderer from the same PageGeometry).
    ``cache_dir`` keeps the compressed output profile between builds.
    """
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFCatalog,
        PDFDictionary,
        PDFName,
        PDFObject,
        PDFStream,
        PDFString,
    )

    standard = normalise_standard(report)
    if not standard:
        return
    profile = load_output_profile(report)
    when = edition_datetime(report)
    seed = document_seed(digest, report, standard, profile)
    doc = canvas._doc  # type: ignore[attr-defined]
    doc._pdfVersion = VERSIONS[standard]

    icc = PDFStream(
        PDFDictionary({"N": 4, "Filter": PDFName("FlateDecode")}),
        _deflated(profile, cache_dir),
        filters=[],
    )
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFX"),
            **{k: PDFString(v) for k, v in intent_entries(profile).items()},
            "DestOutputProfile": doc.Reference(icc),
        }
    )
    catalog = doc.Catalog
    catalog.OutputIntents = PDFArray([doc.Reference(intent)])
    # ReportLab's catalog writes only the keys it lists, and OutputIntents is not one
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
    # uncompressed, so that tools which are not PDF readers can still find the XMP
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        xmp_packet(report, standard, when, seed.hex()),
        filters=[],
    )
    if report.edition.language:
        catalog.Lang = PDFString(report.edition.language)
    entries = {k: PDFString(v) for k, v in info_entries(report, standard, when).items()}
    entries["Trapped"] = PDFName("False")

    class _Info(PDFObject):
        """Info with the PDF/X keys: ReportLab's PDFInfo writes a fixed set of keys."""

        def digest(self, md5: object) -> None:
            """ReportLab feeds Info into an ID of its own; ours is set below."""

        def format(self, document: object) -> bytes:
            return PDFDictionary(entries).format(document)

    doc.info = _Info()
    half = seed[:16].hex().encode()
    doc._ID = b"[<" + half + b"><" + half + b">]"


def _deflated(profile: OutputProfile, cache_dir: Path | None) -> bytes:
    """The profile's bytes Flate-compressed, kept in the build cache (11 ms a build saved)."""
    path = cache_dir / f"{profile.sha256}.icc.zlib" if cache_dir is not None else None
    if path is not None:
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            with contextlib.suppress(zlib.error):
                if zlib.decompress(data) == profile.data:
                    return data
    data = zlib.compress(profile.data)
    if path is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
    return data


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


# ---------------------------------------------------------------- small parts


def normalise_standard(report: Report) -> str:
    key = report.output.standard.strip().lower().replace(" ", "")
    key = {"pdf/x-1a:2003": "pdf/x-1a", "x-4": "pdf/x-4", "x-1a": "pdf/x-1a"}.get(key, key)
    if key not in STANDARDS:
        raise BuildError(
            [
                Diagnostic(
                    report.output.pos,
                    f"unknown output standard {report.output.standard!r}: "
                    "use pdf/x-4, pdf/x-1a or none",
                    "output.standard",
                )
            ]
        )
    return STANDARDS[key]


def edition_datetime(report: Report) -> dt.datetime:
    """The edition's date as an aware datetime; 2000-01-01 when the report has none."""
    text = (report.edition.date or "2000-01-01").strip()
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BuildError(
            [
                Diagnostic(
                    report.edition.pos,
                    f"edition date {text!r} is not an ISO date such as 2023-08-01",
                    "edition.date",
                )
            ]
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=DEFAULT_TZ)


def pdf_date(when: dt.datetime) -> str:
    """``D:20230801000000+08'00'``"""
    off = when.utcoffset() or dt.timedelta(0)
    sign = "-" if off < dt.timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"D:{when:%Y%m%d%H%M%S}{sign}{minutes // 60:02d}'{minutes % 60:02d}'"


def _uuid(seed: str) -> str:
    """``uuid:`` and the first 128 bits of the seed's SHA-256, written as a UUID.

    Formatted here rather than with the uuid module: importing it (and
    xml.sax.saxutils, which pulls in urllib and http) cost ~15 ms a build.
    """
    h = hashlib.sha256(seed.encode()).hexdigest()
    return f"uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def escape(text: str) -> str:
    """XML character data: ``&``, ``<`` and ``>`` escaped (as xml.sax.saxutils.escape)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


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
