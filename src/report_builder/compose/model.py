"""What the composer takes and gives: spans of text in, lines of positioned glyphs out.

The composer is pure Python: it knows faces only through FaceMetrics and never
imports ReportLab, so it can be tested without writing a PDF. The value classes are
``@record`` frozen dataclasses (no code compiled at import, see ``records``).
"""

from __future__ import annotations

from typing import NamedTuple

from ..fonts.metrics import FaceMetrics
from ..records import record

CMYK = tuple[float, float, float, float]


@record
class Span:
    """A run of text in one face, size and colour."""

    text: str
    face: FaceMetrics
    size: float
    color: CMYK = (0.0, 0.0, 0.0, 1.0)


@record
class ComposeStyle:
    """Paragraph settings the composer needs (a subset of definition.model.Style)."""

    size: float = 9.0  # the paragraph's em, pt: indents and spacing are in this em
    indent: float = 2.0  # first-line indent, em
    hanging: float = 0.0  # indent of every line after the first, em
    align: str = "justify"  # justify, left, center, right
    last_line: str = "left"  # left, center, right, justify
    strictness: str = "gb"  # basic, gb, strict
    adjacent_punct: float = 1.5  # em for two adjacent full-width marks: 1.5 or 1.0
    tracking: float = 0.0  # em added after every character (copyfit)
    han_latin_space: float = 0.25  # em between Han and Latin/digits


class Glyph(NamedTuple):
    """One character drawn at ``x`` pt from the line's left edge, on the baseline.

    A named tuple, not a frozen dataclass: a build makes and reloads thousands,
    and a tuple is built (``tuple.__new__``) and cached about 4× cheaper.
    """

    ch: str
    x: float
    face: FaceMetrics
    size: float
    color: CMYK = (0.0, 0.0, 0.0, 1.0)
    # advance the composer set, pt, when it differs from the face's (a trimmed or
    # squeezed punctuation mark); None: the face's full advance
    width: float | None = None

    @property
    def advance(self) -> float:
        """Set advance in pt: where the next glyph would start without spacing."""
        return self.width if self.width is not None else self.face.advance(self.ch) * self.size


@record
class Line:
    """One composed line.

    ``width`` is the measure the line was set to; ``natural`` what its glyphs
    would take unjustified; ``ratio`` the adjustment used (<0 squeezed, >0
    stretched, in the composer's units); ``offset`` the left indent in pt
    (first-line indent, hanging indent), already included in glyph x.
    """

    glyphs: tuple[Glyph, ...]
    width: float
    natural: float
    ratio: float = 0.0
    offset: float = 0.0
    last: bool = False  # the paragraph's last line
    start: int = 0  # index in the paragraph text of the line's first character
    end: int = 0  # index after the line's last character

    def __init__(  # written out: one per composed line
        self,
        glyphs: tuple[Glyph, ...],
        width: float,
        natural: float,
        ratio: float = 0.0,
        offset: float = 0.0,
        last: bool = False,
        start: int = 0,
        end: int = 0,
    ) -> None:
        self.__dict__.update(
            glyphs=glyphs,
            width=width,
            natural=natural,
            ratio=ratio,
            offset=offset,
            last=last,
            start=start,
            end=end,
        )

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)

    @property
    def right(self) -> float:
        """Right edge of the set advance of the last glyph, pt from the line's left.

        A line-end mark trimmed to ½ em ends here (its ink is in the kept half).
        """
        if not self.glyphs:
            return 0.0
        return self.glyphs[-1].x + self.glyphs[-1].advance


@record
class ComposedParagraph:
    lines: tuple[Line, ...]
    badness: float = 0.0  # total demerits of the chosen breaks (lower is better)
