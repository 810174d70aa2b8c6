"""Page boxes for print: trim, bleed and a slug for marks, computed by hand.

ReportLab's ``cropMarks`` grows the page without writing a TrimBox, and its
``bleedWidth`` scales the page content (reportlab.md §2.8), so neither is used.
Instead the media box is trim + 2 × (bleed + slug) and layout coordinates
(origin at the trimmed page's lower-left corner) are shifted by ``trim_origin``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..records import record
from ..units import MM

if TYPE_CHECKING:
    from ..definition.model import Report

Box = tuple[float, float, float, float]

#: Room outside the bleed for crop marks, registration targets, colour bars and the slug label.
SLUG = 10 * MM


@record
class PageGeometry:
    """Sizes in pt: the trimmed page, the bleed around it and the slug around that."""

    trim_w: float
    trim_h: float
    bleed: float
    slug: float  # extra margin beyond the bleed for marks; 0 when no marks are drawn

    @classmethod
    def for_report(cls, report: Report) -> PageGeometry:
        marks = tuple(m for m in report.output.marks if m)
        return cls(
            trim_w=report.paper.width,
            trim_h=report.paper.height,
            bleed=max(0.0, report.paper.bleed),
            slug=SLUG if marks else 0.0,
        )

    @property
    def margin(self) -> float:
        """Distance from the media box edge to the trim box edge."""
        return self.bleed + self.slug

    @property
    def media_w(self) -> float:
        return self.trim_w + 2 * self.margin

    @property
    def media_h(self) -> float:
        return self.trim_h + 2 * self.margin

    @property
    def media_size(self) -> tuple[float, float]:
        return (self.media_w, self.media_h)

    @property
    def trim_origin(self) -> tuple[float, float]:
        """Offset of the trim box's lower-left corner inside the media box."""
        return (self.margin, self.margin)

    @property
    def media_box(self) -> Box:
        return (0.0, 0.0, self.media_w, self.media_h)

    @property
    def trim_box(self) -> Box:
        m = self.margin
        return (m, m, m + self.trim_w, m + self.trim_h)

    @property
    def bleed_box(self) -> Box:
        m = self.slug
        return (m, m, self.media_w - m, self.media_h - m)


def apply_boxes(canvas: Any, geometry: PageGeometry) -> None:
    """Set page size, TrimBox and BleedBox on a ReportLab canvas.

    ReportLab keeps these for the current and every following page, so one call
    before drawing the first page is enough (repeat it if the geometry changes).
    """
    canvas.setPageSize(geometry.media_size)
    canvas.setTrimBox(geometry.trim_box)
    canvas.setBleedBox(geometry.bleed_box)


def to_trim(canvas: Any, geometry: PageGeometry) -> None:
    """Shift the canvas so layout coordinates (origin at trim lower-left) land right."""
    canvas.translate(*geometry.trim_origin)
