"""Printer's marks in the slug: crop marks, registration targets, colour bars, a label.

Everything is drawn in **media coordinates**: call :func:`draw_marks` before the
canvas is translated to the trim origin (or inside its own saveState/restoreState
pair after undoing the translation). The geometric marks, identical on every page
of one geometry, go into a single Form XObject named ``RBPrintMarks…``, and each
slug label into its own ``RBPrintMarks…L…`` form; the preflight skips these forms,
since registration colour (400 % ink) and 5 pt type are meant to be there. Nothing
depends on the clock, so rebuilding gives the same bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from reportlab.lib.colors import CMYKColor

from ..units import MM
from .geometry import PageGeometry

#: Registration colour: ink on every plate.
REGISTRATION = CMYKColor(1, 1, 1, 1)
MARK_WIDTH = 0.25  # pt
MARK_GAP = 1 * MM  # crop marks start this far outside the bleed
MARK_LENGTH = 5 * MM
TARGET_RADIUS = 2 * MM
PATCH = 4 * MM
LABEL_SIZE = 5.0  # pt

#: Colour bar patches (CMYK 0..1): solids, two-colour overprints, tints.
COLOUR_BAR: tuple[tuple[float, float, float, float], ...] = (
    (1, 0, 0, 0),
    (0, 1, 0, 0),
    (0, 0, 1, 0),
    (0, 0, 0, 1),
    (1, 1, 0, 0),
    (1, 0, 1, 0),
    (0, 1, 1, 0),
    (0.5, 0, 0, 0),
    (0, 0.5, 0, 0),
    (0, 0, 0.5, 0),
    (0, 0, 0, 0.5),
    (0, 0, 0, 0.25),
)

KNOWN_MARKS = ("crop", "registration", "colour-bars")
FORM_PREFIX = "RBPrintMarks"


def _normalise(marks: tuple[str, ...]) -> tuple[str, ...]:
    aliases = {
        "color-bars": "colour-bars",
        "colour bars": "colour-bars",
        "color bars": "colour-bars",
    }
    out = []
    for m in marks:
        key = aliases.get(m.strip().lower(), m.strip().lower())
        if key and key not in out:
            out.append(key)
    unknown = [m for m in out if m not in KNOWN_MARKS]
    if unknown:
        raise ValueError(f"unknown mark(s) {', '.join(unknown)}: use {', '.join(KNOWN_MARKS)}")
    return tuple(m for m in KNOWN_MARKS if m in out)


def form_name(geometry: PageGeometry, marks: tuple[str, ...]) -> str:
    """A stable form name per geometry and mark set."""
    key = repr((geometry, _normalise(marks))).encode()
    return f"{FORM_PREFIX}{hashlib.sha256(key).hexdigest()[:12]}"


def draw_marks(
    canvas: Any,
    geometry: PageGeometry,
    marks: tuple[str, ...],
    *,
    label: str,
    font_name: str | None = None,
) -> None:
    """Draw the requested marks and the slug label on the current page.

    ``marks`` holds any of ``crop``, ``registration``, ``colour-bars``. The label
    (e.g. ``hunan-unions-2023 · 第1版``) is set in ``font_name`` or else the
    canvas's current font, which must be an embedded face for PDF/X. Does nothing
    when the geometry has no slug.
    """
    wanted = _normalise(marks)
    if not wanted or geometry.slug <= 0:
        return
    name = form_name(geometry, wanted)
    if not canvas.hasForm(name):
        canvas.beginForm(name, 0, 0, geometry.media_w, geometry.media_h)
        _draw_form(canvas, geometry, wanted)
        canvas.endForm()
    canvas.saveState()
    canvas.doForm(name)
    if label:
        # the label goes into a form too, so the preflight can skip all marks alike
        font = font_name or canvas._fontname
        label_form = f"{name}L{hashlib.sha256(f'{font}|{label}'.encode()).hexdigest()[:12]}"
        if not canvas.hasForm(label_form):
            canvas.beginForm(label_form, 0, 0, geometry.media_w, geometry.media_h)
            x0, y0, _, _ = geometry.trim_box
            canvas.setFillColor(REGISTRATION)
            canvas.setFont(font, LABEL_SIZE)
            y = y0 - geometry.bleed - MARK_GAP - MARK_LENGTH + 0.5
            canvas.drawString(x0 + 2 * MM, y, label)
            canvas.endForm()
        canvas.doForm(label_form)
    canvas.restoreState()


def _draw_form(canvas: Any, g: PageGeometry, marks: tuple[str, ...]) -> None:
    canvas.setLineWidth(MARK_WIDTH)
    canvas.setStrokeColor(REGISTRATION)
    canvas.setFillColor(REGISTRATION)
    if "crop" in marks:
        _crop_marks(canvas, g)
    if "registration" in marks:
        _registration_targets(canvas, g)
    if "colour-bars" in marks:
        _colour_bars(canvas, g)


def _crop_marks(canvas: Any, g: PageGeometry) -> None:
    x0, y0, x1, y1 = g.trim_box
    near = g.bleed + MARK_GAP
    far = near + MARK_LENGTH
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            canvas.line(x + sx * near, y, x + sx * far, y)  # horizontal mark on the trim line
            canvas.line(x, y + sy * near, x, y + sy * far)  # vertical mark


def _target(canvas: Any, cx: float, cy: float) -> None:
    r = TARGET_RADIUS
    canvas.circle(cx, cy, r, stroke=1, fill=0)
    canvas.circle(cx, cy, r / 2, stroke=0, fill=1)
    canvas.line(cx - 1.5 * r, cy, cx + 1.5 * r, cy)
    canvas.line(cx, cy - 1.5 * r, cx, cy + 1.5 * r)


def _registration_targets(canvas: Any, g: PageGeometry) -> None:
    x0, y0, x1, y1 = g.trim_box
    d = g.bleed + g.slug / 2
    _target(canvas, (x0 + x1) / 2, y0 - d)
    _target(canvas, (x0 + x1) / 2, y1 + d)
    _target(canvas, x0 - d, (y0 + y1) / 2)
    _target(canvas, x1 + d, (y0 + y1) / 2)


def _colour_bars(canvas: Any, g: PageGeometry) -> None:
    """Patches in the top slug, from the trim's left edge towards the centre target."""
    x0, _, x1, y1 = g.trim_box
    y = y1 + g.bleed + (g.slug - PATCH) / 2
    room = (x1 - x0) / 2 - 1.5 * TARGET_RADIUS - 2 * MARK_LENGTH
    count = max(0, min(len(COLOUR_BAR), int(room // PATCH)))
    x = x0 + MARK_LENGTH
    for c, m, yk, k in COLOUR_BAR[:count]:
        canvas.setFillColor(CMYKColor(c, m, yk, k))
        canvas.rect(x, y, PATCH, PATCH, stroke=0, fill=1)
        x += PATCH
