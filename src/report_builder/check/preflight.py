"""Preflight: what a print shop checks before plating, read from the finished PDF itself.

Per page: fonts (embedded, subset), boxes (TrimBox, BleedBox ⊇ TrimBox, MediaBox ⊇
BleedBox), images (effective ppi from the placement matrix, colour space, maximum
total ink), vector colours over the ink limit, RGB colour, text below the minimum
size, text in four-colour black, and overset from the layout. Per document: exactly
one GTS_PDFX OutputIntent with an embedded CMYK profile and the PDF/X keys.

Printer's marks (forms named ``RBPrintMarks…``) are skipped: registration colour
and the 5 pt slug label belong there. Results go to the terminal (``format_table``)
and to ``out/<id>.preflight.json`` (sorted keys, rounded numbers: deterministic).

What each page draws comes from ``content`` (a fast token walk, the pikepdf walk where
it is unsure); ``reader`` reads the objects once and starts the slow part ahead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
from pikepdf import Name

from ..errors import BuildError, Diagnostic, Severity, SourcePos
from ..prepress.pdfx import normalise_standard
from ..prepress.pdfx_file import x1a_problems
from . import jsontext
from .content import scan_page
from .images import MM
from .reader import PdfReader

if TYPE_CHECKING:
    from ..definition.model import Report
    from ..layout.model import DocumentLayout

SUBSET_RE = re.compile(r"^[A-Z]{6}\+")
#: Tolerance on the ink limit for colours written with rounding (0.5 %).
INK_TOLERANCE = 0.005
#: Images are JPEG-compressed after clamping; allow this much ringing over the limit.
IMAGE_INK_TOLERANCE = 0.02


@dataclass
class PreflightReport:
    pdf: Path
    standard: str
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    document: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        return {
            "pdf": self.pdf.name,
            "standard": self.standard or "none",
            "document": self.document,
            "pages": self.pages,
            "errors": [d.format() for d in self.errors],
            "warnings": [d.format() for d in self.warnings],
        }

    def format_table(self) -> str:
        """A short terminal summary: one row per page, then the counts."""
        doc = self.document
        intent = doc.get("output_intent", {}).get("condition", "none")
        lines = [
            f"preflight {self.pdf} — {self.standard or 'no PDF/X'}, PDF {doc.get('version')}, "
            f"output intent: {intent}, {len(self.pages)} page(s)",
            f"{'page':>4}  {'trim mm':<11} {'boxes':<5} {'fonts emb/sub':<13} "
            f"{'images':<6} {'min ppi':>7} {'img TAC':>7} {'vec TAC':>7} "
            f"{'min pt':>6} {'rich blk':>8} {'RGB':>3} {'overset':>7}",
        ]
        for p in self.pages:
            fonts = p["fonts"]
            emb = sum(f["embedded"] for f in fonts)
            sub = sum(f["subset"] for f in fonts)
            imgs = p["images"]
            min_ppi = f"{min(i['ppi'] for i in imgs):.0f}" if imgs else "-"
            img_tac = f"{max(i['max_ink'] for i in imgs) * 100:.0f}%" if imgs else "-"
            vec = p["max_vector_ink"]
            min_pt = f"{p['min_text_size']:.1f}" if p["min_text_size"] else "-"
            trim = p["trim_mm"]
            lines.append(
                f"{p['page']:>4}  {f'{trim[0]:.0f}×{trim[1]:.0f}':<11} "
                f"{'ok' if p['boxes_ok'] else 'BAD':<5} {f'{len(fonts)}: {emb}/{sub}':<13} "
                f"{len(imgs):<6} {min_ppi:>7} {img_tac:>7} {vec * 100:>6.0f}% "
                f"{min_pt:>6} {p['rich_black_text']:>8} {p['rgb_operators']:>3} "
                f"{sum(o['lines'] for o in p['overset']):>7}"
            )
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)


# ---------------------------------------------------------------- fonts and boxes


def _fonts(
    res: pikepdf.Object | None,
    found: dict[str, dict],
    seen: set,
    cache: dict[tuple[str, tuple[int, int]], Any],
    depth: int = 0,
) -> None:
    """The fonts of resources ``res`` and of its forms, by base name.

    ``cache`` holds what a font dictionary (ReportLab shares one among all pages) and
    an XObject say, by object number: reading them again costs more than the walk.
    """
    if res is None or depth > 12:
        return
    fonts = res.get("/Font")
    if fonts:
        key = ("/Font", fonts.objgen)
        infos = cache.get(key) if key[1] != (0, 0) else None
        if infos is None:
            infos = [_font(font, cache) for font in fonts.values()]
            if key[1] != (0, 0):
                cache[key] = infos
        for info in infos:
            found[info["name"]] = info
    for xo in (res.get("/XObject") or {}).values():
        key = ("/XObject", xo.objgen)
        form = cache.get(key) if key[1] != (0, 0) else None
        if form is None:
            form = xo.get("/Subtype") == Name.Form
            if key[1] != (0, 0):
                cache[key] = form
        if form and xo.objgen not in seen:
            seen.add(xo.objgen)
            _fonts(xo.get("/Resources"), found, seen, cache, depth + 1)


def _font(font: pikepdf.Object, cache: dict[tuple[str, tuple[int, int]], Any]) -> dict:
    key = ("font", font.objgen)
    info = cache.get(key) if key[1] != (0, 0) else None
    if info is None:
        info = _font_info(font)
        if key[1] != (0, 0):
            cache[key] = info
    return info


def _font_info(font: pikepdf.Object) -> dict:
    base = str(font.get("/BaseFont", "/?"))[1:]
    subtype = str(font.get("/Subtype", "/?"))[1:]
    desc = font.get("/FontDescriptor")
    if subtype == "Type0" and "/DescendantFonts" in font:
        desc = font.DescendantFonts[0].get("/FontDescriptor")
    embedded = subtype == "Type3" or (
        desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    )
    return {
        "name": base,
        "type": subtype,
        "embedded": bool(embedded),
        "subset": bool(SUBSET_RE.match(base)),
    }


def _box(page: pikepdf.Page, key: str) -> list[float] | None:
    v = page.obj.get(key)
    if v is None:
        inherited = page.obj.get("/Parent")
        while inherited is not None and v is None:
            v = inherited.get(key)
            inherited = inherited.get("/Parent")
    return [round(float(x), 3) for x in v] if v is not None else None


def _inside(inner: list[float], outer: list[float], tol: float = 0.01) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


# ---------------------------------------------------------------- the check


def preflight(
    pdf: Path,
    report: Report,
    layout: DocumentLayout | None,
    *,
    json_path: Path | None,
    overset_as_warnings: bool = False,
) -> PreflightReport:
    """Check ``pdf`` against the report's output settings; write ``json_path``."""
    standard = normalise_standard(report)
    pdf = Path(pdf)
    # the build preflights a temp file before renaming it: name the final file in messages
    shown = pdf.parent / f"{report.edition.id}.pdf" if pdf.suffix == ".tmp" else pdf
    out = PreflightReport(pdf=shown, standard=standard)
    where = SourcePos(str(shown))

    def err(msg: str, path: str = "") -> None:
        out.errors.append(Diagnostic(where, msg, path))

    def warn(msg: str, path: str = "") -> None:
        out.warnings.append(Diagnostic(where, msg, path, Severity.WARNING))

    try:
        doc = pikepdf.open(pdf)
    except (pikepdf.PdfError, OSError) as exc:
        msg = f"cannot open the PDF to preflight it: {exc}"
        raise BuildError([Diagnostic(where, msg)]) from None
    with doc:
        out.document = _document(doc, standard, err)
        cfg = report.output
        if standard and cfg.output_condition and cfg.icc_profile is None:
            msg = (
                f"output_condition {cfg.output_condition!r} is named without its icc_profile: "
                "the shipped synthetic newsprint profile was used and embedded instead"
            )
            out.warnings.append(Diagnostic(cfg.pos, msg, "output.icc_profile", Severity.WARNING))
        if standard == "PDF/X-1a:2003":
            for problem in x1a_problems(doc):
                err(problem, "PDF/X-1a")
        overset_by_page: dict[int, list[dict]] = {}
        for o in layout.overset if layout else []:
            overset_by_page.setdefault(o.page, []).append(
                {"block": o.block, "lines": o.lines, "chars": o.chars}
            )
            if overset_as_warnings and o.diagnostic is not None:
                out.warnings.append(o.diagnostic)
        reader = PdfReader()
        reader.read_ahead(doc, pdf)
        font_cache: dict[tuple[str, tuple[int, int]], Any] = {}
        try:
            for n, page in enumerate(doc.pages, 1):
                page_layout = layout.pages[n - 1] if layout and n <= len(layout.pages) else None
                number = page_layout.number if page_layout else n
                placed = _placed_images(page_layout, report)
                out.pages.append(
                    _page(
                        n, number, page, report, standard, (reader, font_cache),
                        overset_by_page, placed, err, warn,
                    )
                )  # fmt: skip
        finally:
            reader.close()  # the build renames the file next: nothing may hold it open
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(
            jsontext.dumps(out.to_json()) + "\n",
            encoding="utf-8",
        )
    return out


def _document(doc: pikepdf.Pdf, standard: str, err: Any) -> dict:
    info = doc.trailer.get("/Info") or {}
    intents = [oi for oi in doc.Root.get("/OutputIntents", []) if oi.get("/S") == Name.GTS_PDFX]
    result: dict[str, Any] = {
        "version": doc.pdf_version,
        "gts_pdfx_version": str(info.get("/GTS_PDFXVersion", "")),
        "trapped": str(info.get("/Trapped", "")).lstrip("/"),
        "title": str(info.get("/Title", "")),
        "output_intents": len(intents),
        "xmp": "/Metadata" in doc.Root,
    }
    if intents:
        oi = intents[0]
        prof = oi.get("/DestOutputProfile")
        result["output_intent"] = {
            "condition": str(oi.get("/OutputConditionIdentifier", "")),
            "info": str(oi.get("/Info", "")),
            "profile_embedded": prof is not None,
            "profile_components": int(prof.get("/N", 0)) if prof is not None else 0,
        }
    if standard:
        if len(intents) != 1:
            err(f"{len(intents)} GTS_PDFX output intents; PDF/X needs exactly one", "OutputIntents")
        elif not result["output_intent"]["profile_embedded"]:
            err("the output intent has no embedded DestOutputProfile", "OutputIntents")
        elif result["output_intent"]["profile_components"] != 4:
            err("the output intent's profile is not CMYK (/N 4)", "OutputIntents")
        if not result["gts_pdfx_version"]:
            err("Info has no GTS_PDFXVersion", "Info")
        if result["trapped"] not in ("True", "False"):
            err("Info /Trapped must be True or False", "Info")
    return result


def _placed_images(page_layout: Any, report: Report) -> list[tuple[list[float], str, str]]:
    """The layout's image frames in media-box mm, with block id and source file."""
    if page_layout is None:
        return []
    from ..layout.model import PlacedImage
    from ..prepress.geometry import PageGeometry

    ox, oy = PageGeometry.for_report(report).trim_origin
    return [
        (
            [(it.x + ox) / MM, (it.y + oy) / MM, it.w / MM, it.h / MM],
            it.block,
            it.source.name,
        )
        for it in page_layout.items
        if isinstance(it, PlacedImage)
    ]


def _match(image: dict, placed: list[tuple[list[float], str, str]]) -> None:
    for rect, block, source in placed:
        if all(abs(a - b) < 0.5 for a, b in zip(rect, image["placed_mm"], strict=True)):
            image["block"], image["source"] = block, source
            return


def _page(
    n: int,
    number: int,
    page: pikepdf.Page,
    report: Report,
    standard: str,
    caches: tuple[PdfReader, dict[tuple[str, tuple[int, int]], Any]],
    overset_by_page: dict[int, list[dict]],
    placed: list[tuple[list[float], str, str]],
    err: Any,
    warn: Any,
) -> dict:
    cfg = report.output
    here = f"page {n}"
    media = _box(page, "/MediaBox") or [0.0, 0.0, 0.0, 0.0]
    trim = _box(page, "/TrimBox")
    bleed = _box(page, "/BleedBox")
    art = _box(page, "/ArtBox")
    boxes_ok = True
    if trim is None:
        boxes_ok = False
        (err if standard else warn)("no TrimBox", here)
    if art is not None and trim is not None and standard:
        boxes_ok = False
        err("both TrimBox and ArtBox are set (PDF/X allows one)", here)
    bleed_eff = bleed or media
    if trim is not None and not _inside(trim, bleed_eff):
        boxes_ok = False
        err(f"TrimBox {trim} is not inside the BleedBox {bleed_eff}", here)
    if not _inside(bleed_eff, media):
        boxes_ok = False
        err(f"BleedBox {bleed_eff} is not inside the MediaBox {media}", here)
    trim_eff = trim or media
    trim_w, trim_h = trim_eff[2] - trim_eff[0], trim_eff[3] - trim_eff[1]
    trim_mm = [round(trim_w / MM, 1), round(trim_h / MM, 1)]
    if abs(trim_w - report.paper.width) > 0.5 or abs(trim_h - report.paper.height) > 0.5:
        warn(
            f"trim size {trim_mm[0]}×{trim_mm[1]} mm differs from the paper size "
            f"{report.paper.width / MM:.1f}×{report.paper.height / MM:.1f} mm",
            here,
        )

    fonts: dict[str, dict] = {}
    reader, font_cache = caches
    _fonts(page.obj.get("/Resources"), fonts, set(), font_cache)
    for f in fonts.values():
        if not f["embedded"]:
            err(f"font {f['name']} ({f['type']}) is not embedded", here)

    scan = scan_page(page, reader)
    for im in scan.images:
        _match(im, placed)
        if "block" in im:
            label = f"image {im['source']} in block {im['block']}"
        else:
            label = f"image {im['name']} at {im['placed_mm'][0]:.0f},{im['placed_mm'][1]:.0f} mm"
        if im["ppi"] < cfg.min_image_ppi:
            warn(f"{label}: {im['ppi']:.0f} ppi, below {cfg.min_image_ppi:.0f} ppi", here)
        if im["colorspace"] not in ("DeviceCMYK", "DeviceGray", "ICCBased-CMYK"):
            (err if standard == "PDF/X-1a:2003" else warn)(
                f"{label}: colour space {im['colorspace']} (expected CMYK or grey)", here
            )
        if im["max_ink"] > cfg.ink_limit + IMAGE_INK_TOLERANCE:
            warn(
                f"{label}: total ink up to {im['max_ink'] * 100:.0f}% "
                f"(limit {cfg.ink_limit * 100:.0f}%)",
                here,
            )
        if im["smask"] and standard == "PDF/X-1a:2003":
            err(f"{label}: soft mask (transparency)", here)

    over = sorted(
        (c for c in scan.colours if sum(c) > cfg.ink_limit + INK_TOLERANCE),
        key=lambda c: (-sum(c), c),
    )
    for c in over:
        pct = "/".join(f"{v * 100:.0f}" for v in c)
        err(
            f"vector colour CMYK {pct} has {sum(c) * 100:.0f}% total ink "
            f"(limit {cfg.ink_limit * 100:.0f}%)",
            here,
        )
    if scan.rgb_ops:
        (err if standard == "PDF/X-1a:2003" else warn)(
            f"{scan.rgb_ops} RGB colour operator(s); newsprint wants CMYK", here
        )
    small = sorted({round(s, 2) for s in scan.text_sizes if s < cfg.min_text_size - 1e-6})
    if small:
        warn(
            f"text at {', '.join(f'{s:g}' for s in small)} pt, below the minimum "
            f"{cfg.min_text_size:g} pt",
            here,
        )
    if scan.rich_black_text:
        warn(f"{scan.rich_black_text} text run(s) in four-colour (rich) black", here)
    return {
        "page": n,
        "number": number,
        "trim_mm": trim_mm,
        "boxes": {"media": media, "bleed": bleed, "trim": trim, "art": art},
        "boxes_ok": boxes_ok,
        "fonts": sorted(fonts.values(), key=lambda f: f["name"]),
        "images": sorted(scan.images, key=lambda i: (i["placed_mm"], i["name"])),
        "max_vector_ink": round(max((sum(c) for c in scan.colours), default=0.0), 4),
        "over_limit_colours": [list(c) for c in over],
        "rgb_operators": scan.rgb_ops,
        "min_text_size": round(min(scan.text_sizes), 2) if scan.text_sizes else 0.0,
        "text_runs": scan.text_runs,
        "rich_black_text": scan.rich_black_text,
        "black_text_not_overprinted": scan.black_text_not_overprinted,
        "overset": sorted(overset_by_page.get(number, []), key=lambda o: o["block"]),
    }


# ---------------------------------------------------------------- invoke check


def run_preflight_cli(report_path: Path, out_dir: Path, *, strict: bool) -> int:
    """``invoke check``: preflight out/<id>.pdf, print the table; 1 on errors (or warnings
    in strict mode)."""
    from ..definition import load_report

    report = load_report(report_path)
    pdf = out_dir / f"{report.edition.id}.pdf"
    if not pdf.is_file():
        raise BuildError(
            [Diagnostic(SourcePos(str(pdf)), "no PDF to check; run `invoke build` first")]
        )
    layout, note = _layout_for(report)
    result = preflight(
        pdf,
        report,
        layout,
        json_path=out_dir / f"{report.edition.id}.preflight.json",
        overset_as_warnings=True,
    )
    print(result.format_table())
    if note:
        print(note)
    for d in result.errors + result.warnings:
        print(d.format())
    failed = bool(result.errors) or (strict and bool(result.warnings))
    return 1 if failed else 0


def _layout_for(report: Report) -> tuple[DocumentLayout | None, str]:
    """Lay the report out again to know its overset; the PDF alone cannot tell."""
    try:
        from ..fonts.registry import FontRegistry
        from ..layout import layout_document

        return layout_document(report, FontRegistry.for_report(report)), ""
    except BuildError as exc:
        return None, f"overset not checked: the report does not lay out ({exc})"
    except ImportError as exc:  # a stage not built yet
        return None, f"overset not checked ({exc})"
