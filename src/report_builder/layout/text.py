"""From report text to composed lines: emphasis spans, font fallback, style mapping."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..compose import compose_paragraph
from ..compose.model import ComposedParagraph, ComposeStyle, Line, Span
from ..definition.model import Report, Style

if TYPE_CHECKING:
    from ..fonts.registry import FontRegistry

_EMPHASIS = re.compile(r"\*\*(.+?)\*\*", re.S)


def split_emphasis(text: str) -> list[tuple[str, bool]]:
    """``a**b**c`` → [("a", False), ("b", True), ("c", False)]."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _EMPHASIS.finditer(text):
        if m.start() > pos:
            parts.append((text[pos : m.start()], False))
        parts.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


def plain_text(text: str) -> str:
    """The text as printed: emphasis markers removed."""
    return _EMPHASIS.sub(r"\1", text)


@dataclass
class Typesetter:
    """Turns (text, style name, widths) into composed lines, with the report's styles and faces."""

    report: Report
    registry: FontRegistry

    def style(self, name: str) -> Style:
        return self.report.styles[name]

    def spans(self, text: str, style: Style) -> list[Span]:
        out: list[Span] = []
        for chunk, emph in split_emphasis(text):
            st = self.style(style.emphasis) if emph and style.emphasis else style
            # emphasis takes its style's face and colour; the size is the paragraph's,
            # or larger when the emphasis style asks for it (big figures in a data box)
            size = max(style.size, st.size) if st is not style else style.size
            primary = self.registry.face(st.font, st.weight)
            run: list[str] = []
            run_face = primary
            for ch in chunk:
                face = primary
                if not primary.has(ch) and not ch.isspace():
                    face = self.registry.face_for_char(st.font, st.weight, ch) or primary
                if face is not run_face and run:
                    out.append(Span("".join(run), run_face, size, st.color))
                    run = []
                run_face = face
                run.append(ch)
            if run:
                out.append(Span("".join(run), run_face, size, st.color))
        return out

    @staticmethod
    def compose_style(style: Style, *, indent: float | None = None) -> ComposeStyle:
        return ComposeStyle(
            size=style.size,
            indent=style.indent if indent is None else indent,
            hanging=style.hanging,
            align=style.align,
            last_line=style.last_line,
            strictness=style.strictness,
            adjacent_punct=style.adjacent_punct,
            tracking=style.tracking,
        )

    def compose(
        self,
        text: str,
        style: Style,
        widths: float | list[float],
        *,
        indent: float | None = None,
        tracking: float | None = None,
    ) -> ComposedParagraph:
        cs = self.compose_style(style, indent=indent)
        if tracking is not None:
            cs = ComposeStyle(**{**cs.__dict__, "tracking": tracking})
        return compose_paragraph(self.spans(text, style), widths, cs)

    def display_lines(self, text: str, style: Style, width: float) -> list[Line]:
        """Lines of display text (headlines, titles, flags): a written line break is kept."""
        lines: list[Line] = []
        for part in text.split("\n"):
            if part.strip():
                lines += self.compose(part, style, width).lines
        return lines

    def slot_lines(self, style: Style, pitch: float) -> int:
        """Grid lines one line of ``style`` occupies: its own pitch rounded up to the grid."""
        own = style.pitch if style.pitch else max(style.size * 1.25, pitch)
        return max(1, math.ceil(own / pitch - 1e-6))


def line_chars(line: Line) -> int:
    return sum(1 for g in line.glyphs if not g.ch.isspace())
