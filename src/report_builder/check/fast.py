"""The fast content walk: the decompressed bytes of a stream, tokenised in C.

It gives the ``PageScan`` of the exact walk (``exact``) from one compiled pattern that
accepts only a strict subset of the content-stream syntax: a run of text lines in one
state (fill colour, text matrix, font size) is one match, and so is a run of rules in
one stroke colour; the shows of a run are counted, not visited (Python never looks
into a ``TJ`` array). Whatever it does not recognise with certainty (inline images,
nested parentheses in strings, comments, dictionaries, booleans, unknown operators,
odd operand shapes …) makes it give up on the stream before it has recorded
anything, and the exact walk reads that stream instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pikepdf

from .state import (
    COLOUR_OPS,
    IDENTITY,
    RGB_SPACES,
    PageScan,
    State,
    gs_overprint,
    mul,
    record_paint,
    record_shows,
    space_of,
    text_size,
)

_RULES: dict[str, str] = {}


def _rule(name: str, template: str) -> bytes:
    """Define a piece of the token grammar; ``@NAME`` in ``template`` is an earlier piece."""
    for key in sorted(_RULES, key=len, reverse=True):  # @NAME_NO_T before @NAME
        template = template.replace("@" + key, _RULES[key])
    _RULES[name] = template
    return template.encode("latin-1")


# ``@_`` is optional white space (PDF's, but NUL: bytes.split() would not split on it).
# Every quantifier is possessive: a failing match never backtracks into a token (and
# never splits "/F12" into a name and a number). The pattern is compiled at import, in
# pure Python (~1 µs a character): every piece is spelled out wherever it is used, so
# pieces are written to be used few times.
_rule("_", r"[\t\n\x0c\r ]*+")
_rule("END", r"(?![^\t\n\x0c\r ()<>\[\]{}/%])")  # a token ends at space, a delimiter or EOF
_rule("NUM", r"[+-]?+(?:\d++(?<!\d{16})\.?+\d*+|\.\d++)@END")  # huge integers are unsure
_rule("NUM4", r"(?:@NUM@_){3}@NUM")
_rule("NAME", r"/[^\x00-\x20\x7f-\xff()<>\[\]{}/%#]*+")  # no #xx escapes: the text is the name
_rule("STR", r"\([^()\\]*+(?:\\[\s\S][^()\\]*+)*+\)")  # nested parentheses are unsure
_rule("HEX", r"<[0-9A-Fa-f\t\n\x0c\r ]*+>")
_rule("ARRAY", r"\[@_(?:(?:@STR|@NUM|@NAME|@HEX)@_)*+\]")
_rule("OPERANDS", r"(?:(?:@NUM|@NAME|@STR|@HEX|@ARRAY)@_)*+")
# A text run: TJ shows in one state, with Tf, k and Tm between them that only repeat it
# (the same text as the first ones; one such repeat may end the run, changing nothing).
# No byte of a run spells "TJ" but the operators: strings and font names holding a "T"
# end the run, so counting "TJ"s counts the shows.
_rule("NAME_NO_T", r"/[^\x00-\x20\x7f-\xff()<>\[\]{}/%#T]*+")
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
_DEVICE_OPS = {op.encode(): space for op, space in COLOUR_OPS.items()}
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


def fast_walk(
    data: bytes,
    res: pikepdf.Object | None,
    state: State,
    scan: PageScan,
    do: Callable[[str, State], None],
) -> bool:
    """Scan ``data`` as ``exact_walk`` would; False (and nothing recorded) when unsure."""
    try:
        shows, paints, rgb, dos = _tokenise(data, res, state)
    except _Unsure:
        return False
    for (ctm, overprint), counts in shows:
        for (fill, tm, fs), times in counts.items():
            size = text_size(_matrix(tm), ctm, _size(fs))
            record_shows(scan, size, _colour(fill), overprint, times)
    for fill, times in paints.items():
        record_paint(_colour(fill), scan, times)
    scan.rgb_ops += rgb
    for name, inner in dos:
        do(name, inner)
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
                new_ctm = mul(_operand_numbers(ops, 6), ctm)  # type: ignore[arg-type]
            elif op == b"BT":
                tm = IDENTITY
            elif op in (b"cs", b"CS"):
                space = space_of(res, _operand_name(ops))
                if space in RGB_SPACES:
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
                        overprints[name] = gs_overprint(res, name)
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
