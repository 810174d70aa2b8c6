"""PDF/X: the OutputIntent, Info and XMP that make a PDF/X-4 or PDF/X-1a:2003 file.

ReportLab has no OutputIntent or PDF/X support (reportlab.md §2.8), but its
document takes any dictionary or stream. ``finish_document`` adds the PDF/X
objects to the canvas's document before it is saved, so the build writes the
finished file in one pass (rewriting the 13 MB file with pikepdf afterwards cost
~100 ms a build). ``pdfx_file.finish_pdf`` does the same to a PDF written
elsewhere, in a second pass with pikepdf (the tests finish hand-drawn pages with
it); this module does not import pikepdf, so the build only loads it to check.

Both take their values from here: the OutputIntent with the embedded output
profile, the PDF/X keys in Info and in XMP, dates taken from the edition (never
the clock) and a document ID made from the content. Same input, same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, Diagnostic
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
