"""Draw a DocumentLayout into a PDF with ReportLab's canvas.

Page size is trim + bleed (+ a slug for marks when asked); layout coordinates
(origin at the trim's lower-left) are shifted into place here. Every colour is
CMYK; black text is overprinted, as newsprint wants.

Drawing and saving are two steps (``draw_pdf``, ``save_pdf``) so that the prepress
stage can make the document PDF/X in between, and the file is written once.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from dataclasses import replace
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFPage, PDFStream
from reportlab.pdfgen.canvas import Canvas

from ..definition.model import Report
from ..errors import Diagnostic
from ..fonts.registry import FontRegistry
from ..layout.model import DocumentLayout, FilledRect, PageLayout, PlacedImage, RuleLine, TextLine
from ..prepress.geometry import PageGeometry
from ..prepress.images import know_sources, prepare_image
from ..prepress.marks import draw_marks
from ..records import record
from .textops import text_ops


class _ContentNamed(str):
    """An image path that ReportLab names by its file name (a content hash), not its folder.

    ReportLab names an image XObject after ``str(path)``; with the cache under
    ``--out`` that put the output folder into the PDF's bytes.
    """

    name: str

    def __new__(cls, path: Path) -> _ContentNamed:
        obj = super().__new__(cls, str(path))
        obj.name = path.name
        return obj

    def __str__(self) -> str:
        return self.name


def _cmyk(c: tuple[float, float, float, float]) -> CMYKColor:
    return CMYKColor(*c)


@record
class DrawnPdf:
    """A drawn, unsaved document: ReportLab writes the file at ``save_pdf``."""

    canvas: Canvas
    notes: list[Diagnostic]  # the image stage's warnings (flattened, low ppi …)
    digest: bytes  # SHA-256 of what was drawn: page contents, fonts, images


def save_pdf(drawn: DrawnPdf) -> None:
    """Write the file: ReportLab formats every object and subsets the fonts here."""
    drawn.canvas.save()


def draw_pdf(
    doc: DocumentLayout, report: Report, registry: FontRegistry, path: Path, *, cache_dir: Path
) -> DrawnPdf:
    """Draw every page of ``doc`` on a canvas that will be saved to ``path``."""
    # each distinct glyph tuple once: a repeated line shares its tuple (10 ms at 40 pages)
    lines = {id(it.glyphs): it.glyphs for p in doc.pages for it in p.items if type(it) is TextLine}
    used = {g.face.name: g.face for glyphs in lines.values() for g in glyphs}
    body_face = registry.face(report.styles[report.grid.body_style].font)
    used[body_face.name] = body_face  # the canvas's initial font: never an unembedded Helvetica
    registry.register_reportlab([used[k] for k in sorted(used)], cache_dir=cache_dir / "fonts")
    geo = PageGeometry.for_report(report)
    rl_config.useA85 = 0  # binary streams: ASCII85 makes JPEGs 25 % larger and costs 0.7 s a photo
    canvas = Canvas(
        str(path),
        pagesize=(geo.media_w, geo.media_h),
        invariant=1,
        pageCompression=1,
        initialFontName=body_face.name,
        enforceColorSpace="cmyk",
    )
    canvas.setTitle(report.edition.title)
    canvas.setAuthor(report.edition.publication)
    canvas.setSubject(report.edition.id)
    canvas.setCreator("report_builder")
    images = _image_index(report)
    sources = [it.source for p in doc.pages for it in p.items if type(it) is PlacedImage]
    know_sources(sources, cache_dir / "images")
    notes: list[Diagnostic] = []
    digest = hashlib.sha256()
    for name in sorted(used):  # the fonts' bytes: the text's codes alone do not fix the glyphs
        digest.update(f"font {name} {used[name].sha256}\n".encode())
    deflate = _PageDeflater()
    for page in doc.pages:
        _draw_page(canvas, page, report, geo, cache_dir, images, notes, digest)
        canvas.showPage()
        finished = canvas._doc.Pages.pages[-1]
        data = finished.stream.encode("utf8")  # as ReportLab's Flate filter encodes it
        digest.update(data)
        deflate.page(finished, data)
    deflate.finish()
    return DrawnPdf(canvas, notes, digest.digest())


class _PageDeflater:
    """Compresses each finished page's content stream in a thread while the next is drawn.

    zlib lets go of the GIL, so on a second core this takes the ~1 ms a page of
    Flate off the build's path. The stream gets exactly the bytes and dictionary
    ReportLab's own page compression would give it.
    """

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def page(self, page: PDFPage, data: bytes) -> None:
        """Give ``page`` a stream of ``data`` (its content, encoded), deflated on a thread."""
        stream = PDFStream(PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])}))

        def work() -> None:
            stream.content = zlib.compress(data)

        thread = threading.Thread(target=work, name="deflate-page", daemon=True)
        thread.start()
        self.threads.append(thread)
        page.Contents = stream

    def finish(self) -> None:
        for thread in self.threads:
            thread.join()


def _image_index(report: Report) -> dict[str, object]:
    """Block id → figure block, for image positions in diagnostics."""
    return {b.id: b for b in report.figures()}


def _draw_page(
    canvas,
    page: PageLayout,
    report,
    geo,
    cache_dir: Path,
    images,
    notes: list[Diagnostic],
    digest,
) -> None:
    canvas.setTrimBox(geo.trim_box)
    canvas.setBleedBox(geo.bleed_box)
    draw_marks(canvas, geo, report.output.marks, label=f"{report.edition.id}  {page.number}")
    canvas.saveState()
    canvas.translate(*geo.trim_origin)
    text_open = False
    code = canvas._code
    for item in page.items:
        if isinstance(item, TextLine):
            if not text_open:
                canvas.setFillOverprint(True)
                canvas.setOverprintMask(1)
                code.append("BT")
                text_open = True
            code.extend(text_ops(canvas, item.x, item.y, item.glyphs))
            continue
        if text_open:
            code.append("ET")
            canvas.setFillOverprint(False)
            text_open = False
        if isinstance(item, RuleLine):
            canvas.setStrokeColor(_cmyk(item.color))
            canvas.setLineWidth(item.width)
            canvas.line(item.x1, item.y1, item.x2, item.y2)
        elif isinstance(item, FilledRect):
            if item.fill:
                canvas.setFillColor(_cmyk(item.fill))
            if item.stroke:
                canvas.setStrokeColor(_cmyk(item.stroke))
                canvas.setLineWidth(item.stroke_width)
            canvas.rect(
                item.x,
                item.y,
                item.w,
                item.h,
                stroke=int(bool(item.stroke)),
                fill=int(bool(item.fill)),
            )
        elif isinstance(item, PlacedImage):
            block = images.get(item.block)
            prepared = prepare_image(
                item.source,
                item.w,
                item.h,
                fit=item.fit,
                focus=item.focus,
                report=report,
                cache_dir=cache_dir / "images",
                pos=getattr(block, "image_pos", None) or getattr(block, "pos", None),
            )
            notes.extend(
                replace(d, path=f"{item.block}.image")
                for d in prepared.diagnostics
                if d not in notes
            )
            canvas.drawImage(_ContentNamed(prepared.path), item.x, item.y, item.w, item.h)
            digest.update(f"image {prepared.path.name}\n".encode())  # the name is its cache key
    if text_open:
        code.append("ET")
        canvas.setFillOverprint(False)
    canvas.restoreState()
