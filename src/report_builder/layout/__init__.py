"""Layout stage: report blocks onto page grids, producing a display list per page.

The page logic lives in ``document``; importing this package stays cheap so the
flow and grid modules can be tested on their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..definition.model import Report
    from ..fonts.registry import FontRegistry
    from .model import DocumentLayout


def layout_document(report: Report, registry: FontRegistry) -> DocumentLayout:
    """Lay out every page of ``report``; see layout.document."""
    from .document import layout_document as run

    return run(report, registry)
