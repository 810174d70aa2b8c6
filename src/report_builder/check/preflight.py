"""Preflight: what a print shop checks before plating, read from the finished PDF itself.

Per page: fonts (embedded, subset), boxes (TrimBox, BleedBox ⊇ TrimBox, MediaBox ⊇
BleedBox), images (effective ppi from the placement matrix, colour space, maximum
total ink), vector colours over the ink limit, RGB colour, text below the minimum
size, text in four-colour black, and overset from the layout. Per document: exactly
one GTS_PDFX OutputIntent with an embedded CMYK profile and the PDF/X keys.

Printer's marks (forms named ``RBPrintMarks…``) are skipped: registration colour
and the 5 pt slug label belong there. Results go to the terminal (``format_table``)
and to ``out/<id>.preflight.json`` (sorted keys, rounded numbers: deterministic).
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
from pikepdf import Name
from PIL import Image

from ..errors import BuildError, Diagnostic, Severity, SourcePos
from ..prepress.images import known_max_ink, max_total_ink
from ..prepress.marks import FORM_PREFIX
from ..prepress.pdfx import normalise_standard, x1a_problems

if TYPE_CHECKING:
    from ..definition.model import Report
    from ..layout.model import DocumentLayout

MM = 72 / 25.4
SUBSET_RE = re.compile(r"^[A-Z]{6}\+")
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
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


# ---------------------------------------------------------------- matrices


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: m × n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _nums(operands: Any) -> list[float]:
    return [float(x) for x in operands]


# ---------------------------------------------------------------- content walk


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: tuple[str, tuple[float, ...]] = ("DeviceGray", (0.0,))
    stroke: tuple[str, tuple[float, ...]] = ("DeviceGray", (0.0,))
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"
    overprint_fill: bool = False
    font_size: float = 0.0
    text_matrix: Matrix = IDENTITY

    def copy(self) -> _State:
        return _State(**self.__dict__)


@dataclass
class _PageScan:
    images: list[dict] = field(default_factory=list)
    colours: dict[tuple[float, ...], int] = field(default_factory=dict)  # CMYK → uses
    rgb_ops: int = 0
    text_sizes: list[float] = field(default_factory=list)
    rich_black_text: int = 0
    black_text_not_overprinted: int = 0
    text_runs: int = 0
    # CMYK keys by colour (see _colour_key)
    memo: dict = field(default_factory=dict, repr=False)


_FILL_PAINT = {"f", "F", "f*", "B", "B*", "b", "b*"}
_STROKE_PAINT = {"S", "s", "B", "B*", "b", "b*"}
_TEXT_SHOW = {"Tj", "TJ", "'", '"'}


def _space_of(res: pikepdf.Object | None, name: str) -> str:
    """Family of a named colour space resource: DeviceCMYK, ICCBased, DeviceRGB …"""
    if name.startswith("/Device") or name == "/Pattern":
        return name[1:]
    cs = res.get("/ColorSpace", {}).get(name) if res is not None else None
    if isinstance(cs, Name):
        return str(cs)[1:]
    if isinstance(cs, pikepdf.Array) and len(cs):
        fam = str(cs[0])[1:]
        if fam == "ICCBased":
            n = int(cs[1].get("/N", 0))
            return {1: "ICCBased-Gray", 3: "ICCBased-RGB", 4: "ICCBased-CMYK"}.get(n, "ICCBased")
        return fam
    return name.lstrip("/")


#: device colour operators → their colour space (lower case fills, upper case strokes)
_COLOUR_OPS = {
    "k": "DeviceCMYK",
    "K": "DeviceCMYK",
    "g": "DeviceGray",
    "G": "DeviceGray",
    "rg": "DeviceRGB",
    "RG": "DeviceRGB",
}


def _scan(
    owner: pikepdf.Object,
    res: pikepdf.Object | None,
    state: _State,
    scan: _PageScan,
    image_cache: dict[tuple[int, int], dict],
    depth: int = 0,
) -> None:
    try:
        instructions = pikepdf.parse_content_stream(owner)
    except pikepdf.PdfError:
        return
    stack: list[_State] = []
    shown = _Shown(scan)
    # ``inst.operands`` is only read where needed: unpacking every instruction converts
    # each TJ array to Python objects, which cost more than the rest of the walk
    for inst in instructions:
        o = str(inst.operator)
        if o in _TEXT_SHOW:
            shown.show(state)
        elif o == "Tf":
            state.font_size = float(inst.operands[1])
        elif o == "Tm":
            state.text_matrix = tuple(_nums(inst.operands))  # type: ignore[assignment]
        elif o == "q":
            stack.append(state.copy())
        elif o == "Q":
            if stack:
                state = stack.pop()
        elif o == "cm":
            state.ctm = _mul(tuple(_nums(inst.operands)), state.ctm)  # type: ignore[arg-type]
        elif o in _COLOUR_OPS:
            space = _COLOUR_OPS[o]
            if space == "DeviceRGB":
                scan.rgb_ops += 1
            colour = (space, tuple(_nums(inst.operands)))
            if o.islower():
                state.fill, state.fill_space = colour, space
            else:
                state.stroke, state.stroke_space = colour, space
        elif o in ("cs", "CS"):
            space = _space_of(res, str(inst.operands[0]))
            if space in ("DeviceRGB", "ICCBased-RGB", "CalRGB"):
                scan.rgb_ops += 1
            if o == "cs":
                state.fill_space = space
            else:
                state.stroke_space = space
        elif o in ("sc", "scn", "SC", "SCN"):
            vals = tuple(float(x) for x in inst.operands if not isinstance(x, Name))
            if o in ("sc", "scn"):
                state.fill = (state.fill_space, vals)
            else:
                state.stroke = (state.stroke_space, vals)
        elif o == "gs" and res is not None:
            gs = res.get("/ExtGState", {}).get(str(inst.operands[0]))
            if gs is not None and "/op" in gs:
                state.overprint_fill = bool(gs.op)
            elif gs is not None and "/OP" in gs:
                state.overprint_fill = bool(gs.OP)
        elif o in _FILL_PAINT or o in _STROKE_PAINT:
            if o in _FILL_PAINT:
                _use_colour(state.fill, scan)
            if o in _STROKE_PAINT:
                _use_colour(state.stroke, scan)
        elif o == "BT":
            state.text_matrix = IDENTITY
        elif o == "Do" and res is not None:
            name = str(inst.operands[0])
            xo = res.get("/XObject", {}).get(name)
            if xo is None:
                continue
            sub = xo.get("/Subtype")
            if sub == Name.Image:
                scan.images.append(_image(name, xo, state.ctm, image_cache))
            elif sub == Name.Form and depth < 12 and FORM_PREFIX not in name:
                inner = state.copy()
                if "/Matrix" in xo:
                    inner.ctm = _mul(tuple(_nums(xo.Matrix)), state.ctm)  # type: ignore[arg-type]
                _scan(xo, xo.get("/Resources", res), inner, scan, image_cache, depth + 1)


def _colour_key(colour: tuple[str, tuple[float, ...]], scan: _PageScan) -> tuple[float, ...] | None:
    """The rounded CMYK values a colour counts under, None for other spaces (memoised)."""
    try:
        return scan.memo[colour]
    except KeyError:
        space, vals = colour
        key = None
        if space in ("DeviceCMYK", "ICCBased-CMYK") and len(vals) == 4:
            key = tuple(round(v, 4) for v in vals)
        scan.memo[colour] = key
        return key


def _use_colour(colour: tuple[str, tuple[float, ...]], scan: _PageScan) -> None:
    key = _colour_key(colour, scan)
    if key is not None:
        scan.colours[key] = scan.colours.get(key, 0) + 1


class _Shown:
    """Text-showing operators of one content stream: their sizes and colours.

    A page shows text a few thousand times in a handful of states: the size (from
    the linear parts of the two matrices) and the colour verdict are worked out
    when the state objects change (compared by identity: they are replaced, never
    mutated) and otherwise reused; the numbers are computed exactly as one by one.
    """

    __slots__ = ("ctm", "fill", "fs", "overprint", "scan", "size", "tm", "verdict")

    def __init__(self, scan: _PageScan) -> None:
        self.scan = scan
        self.tm = self.ctm = self.fill = self.overprint = None
        self.fs = math.nan
        self.size = 0.0
        self.verdict: tuple[tuple[float, ...] | None, int, int] = (None, 0, 0)

    def show(self, state: _State) -> None:
        scan = self.scan
        tm, ctm, fs = state.text_matrix, state.ctm, state.font_size
        if tm is not self.tm or ctm is not self.ctm or fs != self.fs:
            self.tm, self.ctm, self.fs = tm, ctm, fs
            m = _mul(tm, ctm)
            self.size = fs * math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
        scan.text_sizes.append(self.size)
        scan.text_runs += 1
        fill, overprint = state.fill, state.overprint_fill
        if fill is not self.fill or overprint is not self.overprint:
            self.fill, self.overprint = fill, overprint
            self.verdict = _text_colour(fill, overprint, scan)
        key, rich, black = self.verdict
        if key is not None:
            scan.colours[key] = scan.colours.get(key, 0) + 1
            scan.rich_black_text += rich
            scan.black_text_not_overprinted += black


def _text_colour(
    fill: tuple[str, tuple[float, ...]], overprint: bool, scan: _PageScan
) -> tuple[tuple[float, ...] | None, int, int]:
    """(CMYK key or None, 1 if rich black, 1 if solid black not overprinted)."""
    key = _colour_key(fill, scan)
    if key is None:
        return None, 0, 0
    c, mg, y, k = fill[1]
    if k >= 0.9 and c + mg + y >= 0.1:
        return key, 1, 0
    if k >= 0.999 and c + mg + y == 0 and not overprint:
        return key, 0, 1
    return key, 0, 0


def _image(name: str, xo: pikepdf.Object, ctm: Matrix, cache: dict[tuple[int, int], dict]) -> dict:
    key = xo.objgen
    info = cache.get(key)
    if info is None:
        info = _image_info(xo)
        cache[key] = info
    a, b, c, d, e, f = ctm
    w_pt, h_pt = math.hypot(a, b), math.hypot(c, d)
    px_w, px_h = info["pixels"]
    ppi = min(px_w / (w_pt / 72) if w_pt else 0.0, px_h / (h_pt / 72) if h_pt else 0.0)
    return {
        **info,
        "name": name,
        "placed_mm": [round(e / MM, 1), round(f / MM, 1), round(w_pt / MM, 1), round(h_pt / MM, 1)],
        "ppi": round(ppi, 1),
    }


def _image_info(xo: pikepdf.Object) -> dict:
    cs = xo.get("/ColorSpace")
    if isinstance(cs, pikepdf.Array) and len(cs):
        space = str(cs[0])[1:]
        if space == "ICCBased":
            n = int(cs[1].get("/N", 0))
            space = f"ICCBased-{ {1: 'Gray', 3: 'RGB', 4: 'CMYK'}.get(n, '?') }"
    else:
        space = str(cs)[1:] if cs is not None else "none"
    width, height = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
    return {
        "pixels": [width, height],
        "colorspace": space,
        "bpc": int(xo.get("/BitsPerComponent", 0)),
        "filter": str(xo.get("/Filter", "")).strip("/"),
        "smask": "/SMask" in xo,
        "max_ink": round(_image_ink(xo, space), 4),
    }


def _image_ink(xo: pikepdf.Object, space: str) -> float:
    """Maximum total ink of a CMYK image (0 for others: they carry no CMYK yet)."""
    if "CMYK" not in space:
        return 0.0
    try:
        filt = xo.get("/Filter")
        if isinstance(filt, pikepdf.Array) and len(filt) == 1:
            filt = filt[0]  # ReportLab writes [/DCTDecode]
        if filt == Name.DCTDecode:
            raw = xo.read_raw_bytes()
            known = known_max_ink(raw)  # this build made these very bytes and measured them
            if known is not None:
                return known
            # Pillow decodes Adobe-inverted CMYK JPEGs to true values itself
            im = Image.open(io.BytesIO(raw))
        else:
            im = pikepdf.PdfImage(xo).as_pil_image()
        return max_total_ink(im)
    except Exception:  # an image we cannot decode is reported as unknown ink
        return -1.0


# ---------------------------------------------------------------- fonts and boxes


def _fonts(res: pikepdf.Object | None, found: dict[str, dict], seen: set, depth: int = 0) -> None:
    if res is None or depth > 12:
        return
    for font in (res.get("/Font") or {}).values():
        base = str(font.get("/BaseFont", "/?"))[1:]
        subtype = str(font.get("/Subtype", "/?"))[1:]
        desc = font.get("/FontDescriptor")
        if subtype == "Type0" and "/DescendantFonts" in font:
            desc = font.DescendantFonts[0].get("/FontDescriptor")
        embedded = subtype == "Type3" or (
            desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        )
        found[base] = {
            "name": base,
            "type": subtype,
            "embedded": bool(embedded),
            "subset": bool(SUBSET_RE.match(base)),
        }
    for name, xo in (res.get("/XObject") or {}).items():
        if xo.get("/Subtype") == Name.Form and xo.objgen not in seen:
            seen.add(xo.objgen)
            _fonts(xo.get("/Resources"), found, seen, depth + 1)
            del name


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
        image_cache: dict[tuple[int, int], dict] = {}
        for n, page in enumerate(doc.pages, 1):
            page_layout = layout.pages[n - 1] if layout and n <= len(layout.pages) else None
            number = page_layout.number if page_layout else n
            placed = _placed_images(page_layout, report)
            out.pages.append(
                _page(
                    n, number, page, report, standard, image_cache, overset_by_page, placed,
                    err, warn,
                )
            )  # fmt: skip
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(
            json.dumps(out.to_json(), sort_keys=True, indent=2, ensure_ascii=False) + "\n",
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
    image_cache: dict[tuple[int, int], dict],
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
    _fonts(page.obj.get("/Resources"), fonts, set())
    for f in fonts.values():
        if not f["embedded"]:
            err(f"font {f['name']} ({f['type']}) is not embedded", here)

    scan = _PageScan()
    _scan(page.obj, page.obj.get("/Resources"), _State(), scan, image_cache)
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
