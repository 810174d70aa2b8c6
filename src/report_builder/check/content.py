"""The preflight's content walk: what a page draws, in which colours and at which sizes.

Two walks give the same ``PageScan``. The exact one reads instructions through
``pikepdf.parse_content_stream`` (qpdf's parser); it builds Python objects for each of
the ~4,000 instructions of a newspaper page. The fast one tokenises the decompressed
bytes with one compiled pattern that accepts only a strict subset of the content-stream
syntax: a text line (fill colour, text matrix, a run of shows at one font size) is one
match, irrelevant instructions are skipped in bulk, and the shows of a run are counted
rather than visited (``TJ`` bodies are never looked into by Python). Whatever it does
not recognise with certainty (inline images, nested parentheses in strings, comments,
dictionaries, booleans, unknown operators, odd operand shapes …) makes it give up on
that stream before it has recorded anything, and the exact walk reads it instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pikepdf
from pikepdf import Name

from ..prepress.marks import FORM_PREFIX
from .reader import PdfReader

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: Forms inside forms are followed this deep.
MAX_DEPTH = 12


@dataclass
class State:
    ctm: Matrix = IDENTITY
    fill: tuple[str, tuple[float, ...]] = ("DeviceGray", (0.0,))
    stroke: tuple[str, tuple[float, ...]] = ("DeviceGray", (0.0,))
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


def scan_page(page: pikepdf.Page, reader: PdfReader, *, fast: bool = True) -> PageScan:
    """Everything ``page`` draws outside the printer's marks."""
    scan = PageScan()
    walk(page.obj, page.obj.get("/Resources"), State(), scan, reader, fast=fast)
    return scan


def walk(
    owner: pikepdf.Object,
    res: pikepdf.Object | None,
    state: State,
    scan: PageScan,
    reader: PdfReader,
    depth: int = 0,
    *,
    fast: bool = True,
) -> None:
    """Scan one content stream (a page's or a form's) into ``scan``, starting in ``state``."""
    if fast:
        data = reader.content(owner)
        if data is not None and _fast_walk(data, res, state, scan, reader, depth):
            return
        scan.exact_streams += 1
    _exact_walk(owner, res, state, scan, reader, depth, fast)


# ---------------------------------------------------------------- shared pieces


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


def _text_size(tm: tuple[float, ...], ctm: Matrix, font_size: float) -> float:
    """The font size as set on the page: the linear parts of tm × ctm scale it."""
    a, b, c, d = tm[:4]
    a2, b2, c2, d2 = ctm[:4]
    # the same products and sums as _mul, in the same order: the same float
    m0, m1, m2, m3 = a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2
    return font_size * math.sqrt(abs(m0 * m3 - m1 * m2))


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


_RGB_SPACES = ("DeviceRGB", "ICCBased-RGB", "CalRGB")


def _overprint(res: pikepdf.Object, name: str) -> bool | None:
    """What graphics state ``name`` sets the fill overprint to; None: leaves it alone."""
    gs = res.get("/ExtGState", {}).get(name)
    if gs is not None and "/op" in gs:
        return bool(gs.op)
    if gs is not None and "/OP" in gs:
        return bool(gs.OP)
    return None


def _colour_key(colour: tuple[str, tuple[float, ...]], scan: PageScan) -> tuple[float, ...] | None:
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


def _use_colour(colour: tuple[str, tuple[float, ...]], scan: PageScan, times: int = 1) -> None:
    key = _colour_key(colour, scan)
    if key is not None:
        scan.colours[key] = scan.colours.get(key, 0) + times


def _text_colour(
    fill: tuple[str, tuple[float, ...]], overprint: bool, scan: PageScan
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


def _shows(scan: PageScan, size: float, fill: Any, overprint: bool, times: int) -> None:
    """Record ``times`` text shows at ``size`` in colour ``fill``."""
    sizes = scan.text_sizes
    sizes[size] = sizes.get(size, 0) + times
    scan.text_runs += times
    key, rich, black = _text_colour(fill, overprint, scan)
    if key is not None:
        scan.colours[key] = scan.colours.get(key, 0) + times
        scan.rich_black_text += rich * times
        scan.black_text_not_overprinted += black * times


def _do(
    name: str,
    res: pikepdf.Object,
    state: State,
    scan: PageScan,
    reader: PdfReader,
    depth: int,
    fast: bool,
) -> None:
    """``/name Do``: an image is recorded where it is placed, a form is walked (not marks)."""
    xo = res.get("/XObject", {}).get(name)
    if xo is None:
        return
    sub = xo.get("/Subtype")
    if sub == Name.Image:
        scan.images.append(reader.placed(name, xo, state.ctm))
    elif sub == Name.Form and depth < MAX_DEPTH and FORM_PREFIX not in name:
        inner = state.copy()
        if "/Matrix" in xo:
            inner.ctm = _mul(tuple(float(x) for x in xo.Matrix), state.ctm)  # type: ignore[arg-type]
        walk(xo, xo.get("/Resources", res), inner, scan, reader, depth + 1, fast=fast)


# ---------------------------------------------------------------- the exact walk

_FILL_PAINT = {"f", "F", "f*", "B", "B*", "b", "b*"}
_STROKE_PAINT = {"S", "s", "B", "B*", "b", "b*"}
_TEXT_SHOW = {"Tj", "TJ", "'", '"'}

#: device colour operators → their colour space (lower case fills, upper case strokes)
_COLOUR_OPS = {
    "k": "DeviceCMYK",
    "K": "DeviceCMYK",
    "g": "DeviceGray",
    "G": "DeviceGray",
    "rg": "DeviceRGB",
    "RG": "DeviceRGB",
}


def _nums(operands: Any) -> tuple[float, ...]:
    return tuple(float(x) for x in operands)


def _exact_walk(
    owner: pikepdf.Object,
    res: pikepdf.Object | None,
    state: State,
    scan: PageScan,
    reader: PdfReader,
    depth: int,
    fast: bool,
) -> None:
    """Instruction by instruction through qpdf's parser: any content stream at all."""
    try:
        instructions = pikepdf.parse_content_stream(owner)
    except pikepdf.PdfError:
        return
    stack: list[State] = []
    # (text matrix, ctm, font size) → size and (fill, overprint) → verdict of the last show:
    # the state objects are replaced, never mutated, so identity says "unchanged"
    last_size: tuple[Any, Any, float, float] = (None, None, math.nan, 0.0)
    # ``inst.operands`` is only read where needed: unpacking every instruction converts
    # each TJ array to Python objects, which cost more than the rest of the walk
    for inst in instructions:
        o = str(inst.operator)
        if o in _TEXT_SHOW:
            tm, ctm, fs = state.text_matrix, state.ctm, state.font_size
            if tm is not last_size[0] or ctm is not last_size[1] or fs != last_size[2]:
                last_size = (tm, ctm, fs, _text_size(tm, ctm, fs))
            _shows(scan, last_size[3], state.fill, state.overprint_fill, 1)
        elif o == "Tf":
            state.font_size = float(inst.operands[1])
        elif o == "Tm":
            state.text_matrix = _nums(inst.operands)
        elif o == "q":
            stack.append(state.copy())
        elif o == "Q":
            if stack:
                state = stack.pop()
        elif o == "cm":
            state.ctm = _mul(_nums(inst.operands), state.ctm)  # type: ignore[arg-type]
        elif o in _COLOUR_OPS:
            space = _COLOUR_OPS[o]
            if space == "DeviceRGB":
                scan.rgb_ops += 1
            colour = (space, _nums(inst.operands))
            if o.islower():
                state.fill, state.fill_space = colour, space
            else:
                state.stroke, state.stroke_space = colour, space
        elif o in ("cs", "CS"):
            space = _space_of(res, str(inst.operands[0]))
            if space in _RGB_SPACES:
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
            op = _overprint(res, str(inst.operands[0]))
            if op is not None:
                state.overprint_fill = op
        elif o in _FILL_PAINT or o in _STROKE_PAINT:
            if o in _FILL_PAINT:
                _use_colour(state.fill, scan)
            if o in _STROKE_PAINT:
                _use_colour(state.stroke, scan)
        elif o == "BT":
            state.text_matrix = IDENTITY
        elif o == "Do" and res is not None:
            _do(str(inst.operands[0]), res, state, scan, reader, depth, fast)


# ---------------------------------------------------------------- the fast walk


_RULES: dict[str, str] = {}


def _rule(name: str, template: str) -> bytes:
    """Define a piece of the token grammar; ``@NAME`` in ``template`` is an earlier piece."""
    for key in sorted(_RULES, key=len, reverse=True):  # @NAME_NO_T before @NAME
        template = template.replace("@" + key, _RULES[key])
    _RULES[name] = template
    return template.encode("latin-1")


# ``@_`` is optional white space (PDF's, but NUL: bytes.split() would not split on it);
# every quantifier is possessive, so a failing match never backtracks into a token
# The pattern is compiled at import, in pure Python (~1 µs a character): every piece is
# spelled out wherever it is used, so pieces are written to be used few times.
_rule("_", r"[\t\n\x0c\r ]*+")
_rule("END", r"(?![^\t\n\x0c\r ()<>\[\]{}/%])")  # a token ends at space, a delimiter or EOF
_rule("NUM", r"[+-]?+(?:\d++(?<!\d{16})\.?+\d*+|\.\d++)@END")  # huge integers are unsure
_rule("NUM4", r"(?:@NUM@_){3}@NUM")
_rule("NAME", r"/[^\x00-\x20\x7f-\xff()<>\[\]{}/%#]*")  # no #xx escapes: the text is the name
_rule("STR", r"\([^()\\]*+(?:\\[\s\S][^()\\]*+)*+\)")  # nested parentheses are unsure
_rule("HEX", r"<[0-9A-Fa-f\t\n\x0c\r ]*>")
_rule("ARRAY", r"\[@_(?:(?:@STR|@NUM|@NAME|@HEX)@_)*+\]")
_rule("OPERANDS", r"(?:(?:@NUM|@NAME|@STR|@HEX|@ARRAY)@_)*+")
# A text run: TJ shows in one state, with Tf, k and Tm between them that only repeat it
# (the same text as the first ones; one such repeat may end the run, changing nothing).
# No byte of a run spells "TJ" but the operators: strings and font names holding a "T"
# end the run, so counting "TJ"s counts the shows.
_rule("NAME_NO_T", r"/[^\x00-\x20\x7f-\xff()<>\[\]{}/%#T]*")
_rule("STR_NO_T", r"\([^()\\T]*+(?:\\[^T][^()\\T]*+)*+\)")
_rule("SHOW", r"\[@_(?:@STR_NO_T@_|@NUM@_|@HEX@_)*+\]@_TJ@END")
_rule("FILL", r"(?P<fk>@NUM4)@_k@END@_")
_rule("TM", r"(?P<tm>@NUM4)@_@NUM@_@NUM@_Tm@END@_")  # only the linear part counts
_rule("TF", r"@NAME_NO_T@_(?P<fs>@NUM)@_Tf@END@_")
_rule("SAME_TF", r"@NAME_NO_T@_(?P=fs)@END@_Tf@END@_")
_rule("SAME_LINE", r"(?:(?P=fk)@END@_k@END@_)?(?P=tm)@END@_@NUM@_@NUM@_Tm@END@_(?:@SAME_TF)?")
# an empty alternative rather than an optional group: sre enters a group once per show
_rule("RUN", r"(?:@FILL)?(?:@TM)?(?:@TF)?(?:@SHOW@_(?:@SAME_TF|@SAME_LINE|))++")
_rule("PATH", r"(?:W\*|W|w|J|j|M|d|ri|i|m|l|c|v|y|h|re|n)@END")  # no operator holds an S
_rule(
    "IRRELEVANT", r"(?:@PATH|d0|d1|ET|Tc|Tw|Tz|TL|Tr|Ts|Td|TD|T\*|sh|MP|DP|BMC|BDC|EMC|BX|EX)@END"
)
# A rule or frame: a stroke colour (K), path and state instructions with numbers only,
# S; more of them in the same colour. No byte spells "S" but the operators.
_rule(
    "STROKES",
    r"(?P<sk>@NUM4)@_K@END@_(?:(?:(?:@NUM@_)*+@PATH@_)*+S@END@_(?:(?P=sk)@END@_K@END@_|))++",
)
_rule(
    "RELEVANT",
    r"(?:TJ|Tj|'|\"|Tf|Tm|cm|q|Q|BT|k|K|g|G|rg|RG|cs|CS|scn|sc|SCN|SC|gs|Do"
    r"|f\*|f|F|B\*|B|b\*|b|S|s)@END",
)
_TOKENS = re.compile(
    _rule(
        "TOKEN",
        r"@_(?:(?P<run>@RUN)"  # text lines
        r"|(?P<strokes>@STROKES)"  # rules and frames
        r"|(?P<ops>@OPERANDS)(?:(?P<op>@RELEVANT)|@IRRELEVANT)"  # one instruction
        r"|(?P<bad>[\s\S]))",  # anything else: unsure
    )
)
_NUMBERS = re.compile(_rule("NUMBERS", r"(?:@NUM@_)*+"))
_ONE_NAME = re.compile(_rule("ONE_NAME", r"(@NAME)@_"))
_FONT = re.compile(_rule("FONT", r"@NAME@_(@NUM)@_"))
_NUMBERS_NAME = re.compile(_rule("NUMBERS_NAME", r"(@NUMBERS)(?:@NAME@_)?"))
_FILL_OPS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_STROKE_OPS = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
_SHOW_OPS = {b"TJ", b"Tj", b"'", b'"'}
_DEVICE_OPS = {op.encode(): space for op, space in _COLOUR_OPS.items()}
_COUNTS = {b"k": 4, b"K": 4, b"g": 1, b"G": 1, b"rg": 3, b"RG": 3}


class _Unsure(Exception):
    """The fast walk cannot vouch for this stream."""


@lru_cache(maxsize=4096)
def _numbers(text: bytes) -> tuple[float, ...]:
    """Numbers as pikepdf reads them: integers through int (so "-0" is 0.0, not -0.0)."""
    return tuple(float(t) if b"." in t else float(int(t)) for t in text.split())


def _operand_numbers(ops: bytes, count: int | None = None) -> tuple[float, ...]:
    if not _NUMBERS.fullmatch(ops):
        raise _Unsure
    vals = _numbers(ops)
    if count is not None and len(vals) != count:
        raise _Unsure
    return vals


def _operand_name(ops: bytes) -> str:
    m = _ONE_NAME.fullmatch(ops)
    if m is None:
        raise _Unsure
    return m.group(1).decode("ascii")


def _colour(fill: Any) -> tuple[str, tuple[float, ...]]:
    """A fill as the exact walk holds it (the fast walk keeps ``k`` operands as bytes)."""
    return fill if isinstance(fill, tuple) else ("DeviceCMYK", _numbers(fill))


def _matrix(tm: Any) -> tuple[float, ...]:
    """A text matrix from a ``Tm`` line's linear part (bytes) or a tuple."""
    return tm if isinstance(tm, tuple) else _numbers(tm) + (0.0, 0.0)


def _size(fs: Any) -> float:
    return fs if isinstance(fs, float) else _numbers(fs)[0]


def _fast_walk(
    data: bytes,
    res: pikepdf.Object | None,
    state: State,
    scan: PageScan,
    reader: PdfReader,
    depth: int,
) -> bool:
    """Scan ``data`` like _exact_walk; False (and nothing recorded) when unsure."""
    try:
        shows, paints, rgb, dos = _tokenise(data, res, state)
    except _Unsure:
        return False
    for (ctm, overprint), counts in shows:
        for (fill, tm, fs), times in counts.items():
            size = _text_size(_matrix(tm), ctm, _size(fs))
            _shows(scan, size, _colour(fill), overprint, times)
    for fill, times in paints.items():
        _use_colour(_colour(fill), scan, times)
    scan.rgb_ops += rgb
    for name, inner in dos:
        _do(name, res, inner, scan, reader, depth, True)  # type: ignore[arg-type]
    return True


def _tokenise(
    data: bytes, res: pikepdf.Object | None, state: State
) -> tuple[list[tuple[tuple[Any, bool], dict]], dict, int, list[tuple[str, State]]]:
    """Walk the tokens of ``data``; raise _Unsure on anything not certainly understood.

    Returns the text shows as counts per (fill, text matrix, font size) for each
    (ctm, overprint) in force, the fill/stroke paint counts per colour, the number of
    RGB operators and the ``Do`` names with their state, all in stream order.
    """
    ctm, tm, fs = state.ctm, state.text_matrix, state.font_size
    fill, stroke, overprint = state.fill, state.stroke, state.overprint_fill
    fill_space, stroke_space = state.fill_space, state.stroke_space
    stack: list[tuple] = []
    counts: dict[tuple[Any, Any, Any], int] = {}
    shows = [((ctm, overprint), counts)]
    paints: dict[Any, int] = {}
    rgb = 0
    dos: list[tuple[str, State]] = []
    overprints: dict[str, bool | None] = {}
    # the groups in pattern order (tests/check/test_content.py holds it to that)
    for run, fk, tmb, fsb, strokes, sk, ops, op, bad in _TOKENS.findall(data):
        if run:  # [fill] [text matrix] [font size] shows…: text lines in one state
            if fk:
                fill, fill_space = fk, "DeviceCMYK"
            if tmb:
                tm = tmb
            if fsb:
                fs = fsb
            key = (fill, tm, fs)
            counts[key] = counts.get(key, 0) + run.count(b"TJ")
        elif strokes:  # stroke colour, paths, S; maybe again in the same colour
            stroke, stroke_space = sk, "DeviceCMYK"
            paints[stroke] = paints.get(stroke, 0) + strokes.count(b"S")
        elif op in _SHOW_OPS:
            key = (fill, tm, fs)
            counts[key] = counts.get(key, 0) + 1
        elif op:
            new_ctm, new_overprint = ctm, overprint
            if op in _FILL_OPS or op in _STROKE_OPS:
                if op in _FILL_OPS:
                    paints[fill] = paints.get(fill, 0) + 1
                if op in _STROKE_OPS:
                    paints[stroke] = paints.get(stroke, 0) + 1
            elif op in _DEVICE_OPS:
                space = _DEVICE_OPS[op]
                if space == "DeviceRGB":
                    rgb += 1
                colour = (space, _operand_numbers(ops, _COUNTS[op]))
                if op.islower():
                    fill, fill_space = colour, space
                else:
                    stroke, stroke_space = colour, space
            elif op == b"Tf":
                m = _FONT.fullmatch(ops)
                if m is None:
                    raise _Unsure
                fs = m.group(1)
            elif op == b"Tm":
                tm = _operand_numbers(ops, 6)
            elif op == b"q":
                stack.append((ctm, tm, fs, fill, stroke, fill_space, stroke_space, overprint))
            elif op == b"Q":
                if stack:
                    (new_ctm, tm, fs, fill, stroke, fill_space, stroke_space, new_overprint) = (
                        stack.pop()
                    )
            elif op == b"cm":
                new_ctm = _mul(_operand_numbers(ops, 6), ctm)  # type: ignore[arg-type]
            elif op == b"BT":
                tm = IDENTITY
            elif op in (b"cs", b"CS"):
                space = _space_of(res, _operand_name(ops))
                if space in _RGB_SPACES:
                    rgb += 1
                if op == b"cs":
                    fill_space = space
                else:
                    stroke_space = space
            elif op in (b"sc", b"scn", b"SC", b"SCN"):
                if op in (b"sc", b"SC"):
                    vals = _operand_numbers(ops)
                else:  # a pattern name is left out, as the exact walk leaves out Names
                    m = _NUMBERS_NAME.fullmatch(ops)
                    if m is None:
                        raise _Unsure
                    vals = _numbers(m.group(1))
                if op in (b"sc", b"scn"):
                    fill = (fill_space, vals)
                else:
                    stroke = (stroke_space, vals)
            elif op == b"gs":
                name = _operand_name(ops)
                if res is not None:
                    if name not in overprints:
                        overprints[name] = _overprint(res, name)
                    if overprints[name] is not None:
                        new_overprint = overprints[name]  # type: ignore[assignment]
            elif op == b"Do":
                name = _operand_name(ops)
                if res is not None:
                    at = State(ctm, _colour(fill), _colour(stroke), fill_space, stroke_space,
                               overprint, _size(fs), _matrix(tm))  # fmt: skip
                    dos.append((name, at))
            if new_ctm is not ctm or new_overprint != overprint:
                ctm, overprint = new_ctm, new_overprint
                counts = {}
                shows.append(((ctm, overprint), counts))
        elif bad:
            raise _Unsure
    return shows, paints, rgb, dos
