"""What the content walks share: the graphics state they track and what a page scan records."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Name

Matrix = tuple[float, float, float, float, float, float]
Colour = tuple[str, tuple[float, ...]]  # (colour space family, values)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
RGB_SPACES = ("DeviceRGB", "ICCBased-RGB", "CalRGB")
#: device colour operators → their colour space (lower case fills, upper case strokes)
COLOUR_OPS = {
    "k": "DeviceCMYK",
    "K": "DeviceCMYK",
    "g": "DeviceGray",
    "G": "DeviceGray",
    "rg": "DeviceRGB",
    "RG": "DeviceRGB",
}


@dataclass
class State:
    ctm: Matrix = IDENTITY
    fill: Colour = ("DeviceGray", (0.0,))
    stroke: Colour = ("DeviceGray", (0.0,))
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"
    overprint_fill: bool = False
    font_size: float = 0.0
    # only its linear part (the first four numbers) is ever read
    text_matrix: tuple[float, ...] = IDENTITY

    def copy(self) -> State:
        return State(**self.__dict__)


@dataclass
class PageScan:
    images: list[dict] = field(default_factory=list)
    colours: dict[tuple[float, ...], int] = field(default_factory=dict)  # CMYK → uses
    rgb_ops: int = 0
    text_sizes: dict[float, int] = field(default_factory=dict)  # size → shows
    rich_black_text: int = 0
    black_text_not_overprinted: int = 0
    text_runs: int = 0
    #: streams the fast walk left to the exact one
    exact_streams: int = field(default=0, compare=False)
    # CMYK keys by colour (see _colour_key)
    memo: dict = field(default_factory=dict, repr=False, compare=False)


def mul(m: Matrix, n: Matrix) -> Matrix:
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


def text_size(tm: tuple[float, ...], ctm: Matrix, font_size: float) -> float:
    """The font size as set on the page: the linear parts of tm × ctm scale it."""
    a, b, c, d, _, _ = tm  # six numbers, or ValueError as the old walk raised
    a2, b2, c2, d2, _, _ = ctm
    # the same products and sums as mul, in the same order: the same float
    m0, m1, m2, m3 = a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2
    return font_size * math.sqrt(abs(m0 * m3 - m1 * m2))


def space_of(res: pikepdf.Object | None, name: str) -> str:
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


def gs_overprint(res: pikepdf.Object, name: str) -> bool | None:
    """What graphics state ``name`` sets the fill overprint to; None: leaves it alone."""
    gs = res.get("/ExtGState", {}).get(name)
    if gs is not None and "/op" in gs:
        return bool(gs.op)
    if gs is not None and "/OP" in gs:
        return bool(gs.OP)
    return None


def record_paint(colour: Colour, scan: PageScan, times: int = 1) -> None:
    """Record ``times`` paintings (fill or stroke) in ``colour``."""
    key = _colour_key(colour, scan)
    if key is not None:
        scan.colours[key] = scan.colours.get(key, 0) + times


def record_shows(scan: PageScan, size: float, fill: Colour, overprint: bool, times: int) -> None:
    """Record ``times`` text shows at ``size`` in colour ``fill``."""
    sizes = scan.text_sizes
    sizes[size] = sizes.get(size, 0) + times
    scan.text_runs += times
    key, rich, black = _text_colour(fill, overprint, scan)
    if key is not None:
        scan.colours[key] = scan.colours.get(key, 0) + times
        scan.rich_black_text += rich * times
        scan.black_text_not_overprinted += black * times


def _colour_key(colour: Colour, scan: PageScan) -> tuple[float, ...] | None:
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


def _text_colour(
    fill: Colour, overprint: bool, scan: PageScan
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
