"""compose stage: clreq-conformant Chinese line composition, pure Python.

``compose_paragraph(spans, widths, style)`` breaks and justifies a paragraph;
``measure(spans)`` gives its natural one-line width.
"""

from .model import ComposedParagraph, ComposeStyle, Glyph, Line, Span
from .paragraph import compose_paragraph, measure

__all__ = [
    "ComposeStyle",
    "ComposedParagraph",
    "Glyph",
    "Line",
    "Span",
    "compose_paragraph",
    "measure",
]
