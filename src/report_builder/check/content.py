"""The preflight's content walk: what a page draws, in which colours and at which sizes.

Each content stream (a page's, a form's) is read by the fast walk (``fast``) if it can
vouch for it, else by the exact one (``exact``); both give the same ``PageScan``.
Images are recorded where they are placed; forms are walked in their own resources,
but for the printer's marks.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

from ..prepress.marks import FORM_PREFIX
from .exact import exact_walk
from .fast import fast_walk
from .reader import PdfReader
from .state import PageScan, State, mul

#: Forms inside forms are followed this deep.
MAX_DEPTH = 12


def scan_page(page: pikepdf.Page, reader: PdfReader, *, fast: bool = True) -> PageScan:
    """Everything ``page`` draws outside the printer's marks (``fast=False``: exact walk)."""
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

    def do(name: str, at: State) -> None:
        _do(name, res, at, scan, reader, depth, fast)

    if fast:
        data = reader.content(owner)
        if data is not None and fast_walk(data, res, state, scan, do):
            return
        scan.exact_streams += 1
    exact_walk(owner, res, state, scan, do)


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
            inner.ctm = mul(tuple(float(x) for x in xo.Matrix), state.ctm)  # type: ignore[arg-type]
        walk(xo, xo.get("/Resources", res), inner, scan, reader, depth + 1, fast=fast)
