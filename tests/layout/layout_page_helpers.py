"""Small pages built through the real pipeline, read back from the PDF.

The geometry here is computed from the report.yaml numbers by hand (margins,
column width, gutter, pitch), not with the layout's ``PageGrid``, so a test
that compares the two checks the layout rather than repeating it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from report_builder.cli import BuildResult, build_pdf

MM = 72 / 25.4
TOL = 0.2  # pt: what "on the grid" and "inside the module" allow

# Page used by every test: a 4-column 四开-like sheet, small so builds stay fast.
TRIM_W, TRIM_H = 200.0, 240.0  # mm
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_INSIDE, MARGIN_OUTSIDE = 20.0, 25.0, 14.0, 10.0  # mm
COLUMNS = 4
BODY = 9.0  # pt, 小五
COLUMN_CHARS = 13
GUTTER = 9.0  # pt
PITCH = 13.5  # pt

HEADER = f"""\
edition:
  id: {{id}}
  title: 版面测试
  publication: 测试日报
  date: 2024-05-01
paper:
  trim: [{TRIM_W:g}mm, {TRIM_H:g}mm]
  margins:
    top: {MARGIN_TOP:g}mm
    bottom: {MARGIN_BOTTOM:g}mm
    inside: {MARGIN_INSIDE:g}mm
    outside: {MARGIN_OUTSIDE:g}mm
  bleed: 3mm
grid:
  columns: {COLUMNS}
  column_width: {COLUMN_CHARS}
  gutter: {GUTTER:g}pt
  line_pitch: {PITCH:g}pt
output:
  standard: none
  marks: []
"""


def report_text(blocks: str, *, styles: str = "", page: str = "  - number: 1\n") -> str:
    """A report.yaml: the fixed header, optional ``styles:`` body, one page with ``blocks``."""
    out = HEADER.format(id="page")
    if styles:
        out += "styles:\n" + textwrap.indent(textwrap.dedent(styles).strip("\n"), "  ") + "\n"
    out += "pages:\n" + page + "    blocks:\n"
    out += textwrap.indent(textwrap.dedent(blocks).strip("\n"), "      ") + "\n"
    return out


def write_report(folder: Path, blocks: str, **kw: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.yaml"
    path.write_text(report_text(blocks, **kw), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Rect:
    """A rectangle in trim coordinates, origin bottom-left, y up (pt)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def contains(self, other: Rect, tol: float = TOL) -> bool:
        return (
            other.x >= self.x - tol
            and other.right <= self.right + tol
            and other.y >= self.y - tol
            and other.top <= self.top + tol
        )

    def intersects(self, other: Rect, tol: float = TOL) -> bool:
        return (
            min(self.right, other.right) - max(self.x, other.x) > tol
            and min(self.top, other.top) - max(self.y, other.y) > tol
        )


@dataclass(frozen=True)
class Sheet:
    """The grid of the test page, from the YAML numbers above."""

    page_number: int = 1

    @property
    def column_width(self) -> float:
        return COLUMN_CHARS * BODY

    @property
    def type_left(self) -> float:
        # a right-hand (odd) page has the spine, so the inside margin, on its left
        return (MARGIN_INSIDE if self.page_number % 2 else MARGIN_OUTSIDE) * MM

    @property
    def type_top(self) -> float:
        return (TRIM_H - MARGIN_TOP) * MM

    @property
    def lines(self) -> int:
        return int(((TRIM_H - MARGIN_TOP - MARGIN_BOTTOM) * MM) // PITCH)

    def module(self, column: int, span: int, line: int, lines: int) -> Rect:
        """The rect of ``at: {column, span, line, lines}`` (all counted from 1)."""
        x = self.type_left + (column - 1) * (self.column_width + GUTTER)
        w = span * self.column_width + (span - 1) * GUTTER
        top = self.type_top - (line - 1) * PITCH
        return Rect(x, top - lines * PITCH, w, lines * PITCH)

    def line_of(self, em_top: float, size: float = BODY) -> float:
        """Grid line (1-based, fractional) whose centred em box has its top at ``em_top``."""
        return (self.type_top - (PITCH - size) / 2 - em_top) / PITCH + 1


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    baseline: float
    bottom: float  # em box, trim coordinates, y up
    top: float
    size: float
    font: str
    color: tuple[float, ...]

    @property
    def rect(self) -> Rect:
        return Rect(self.x0, self.bottom, self.x1 - self.x0, self.top - self.bottom)


# Full-width marks whose ink sits in one half of the em box: the composer may set
# them half-width (line ends, adjacent marks), so only that half must stay in place.
LEFT_HALF_MARKS = set("，。、；：！？）】》」』”’〕〉")
RIGHT_HALF_MARKS = set("（【《「『“‘〔〈")


def ink(c: Char) -> Rect:
    """The part of a char's em box its glyph is drawn in (half of it for most marks)."""
    r = c.rect
    if c.text in LEFT_HALF_MARKS:
        return Rect(r.x, r.y, r.w / 2, r.h)
    if c.text in RIGHT_HALF_MARKS:
        return Rect(r.x + r.w / 2, r.y, r.w / 2, r.h)
    return r


@dataclass
class PageContent:
    chars: list[Char]
    images: list[Rect]
    rects: list[tuple[Rect, tuple[float, ...] | None]]  # rect, stroking colour
    lines: list[Rect]

    def colored(self, color: Iterable[float]) -> list[Char]:
        want = tuple(round(c, 3) for c in color)
        return [c for c in self.chars if c.color == want]

    def text(self, chars: list[Char] | None = None) -> str:
        chars = self.chars if chars is None else chars
        return "".join(c.text for c in chars)


def _color(value) -> tuple[float, ...]:
    if value is None:
        return ()
    if isinstance(value, int | float):
        value = (value,)
    return tuple(round(float(v), 3) for v in value)


def read_page(pdf: Path, index: int = 0) -> PageContent:
    """Chars, images, rects and lines of one page, in trim coordinates (y up)."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[index]
        media_h = float(page.mediabox[3])
        tx, ty = float(page.trimbox[0]), float(page.trimbox[1])

        def up(top: float) -> float:
            return media_h - top - ty

        chars = [
            Char(
                c["text"],
                c["x0"] - tx,
                c["x1"] - tx,
                c["matrix"][5] - ty,
                up(c["bottom"]),
                up(c["top"]),
                round(c["size"], 3),
                c["fontname"],
                _color(c.get("non_stroking_color")),
            )
            for c in page.chars
            if c["text"].strip()
        ]
        images = [
            Rect(i["x0"] - tx, up(i["bottom"]), i["x1"] - i["x0"], i["bottom"] - i["top"])
            for i in page.images
        ]
        rects = [
            (
                Rect(r["x0"] - tx, up(r["bottom"]), r["x1"] - r["x0"], r["bottom"] - r["top"]),
                _color(r.get("stroking_color")) if r.get("stroke") else None,
            )
            for r in page.rects
        ]
        lines = [
            Rect(ln["x0"] - tx, up(ln["bottom"]), ln["x1"] - ln["x0"], ln["bottom"] - ln["top"])
            for ln in page.lines
        ]
    return PageContent(chars, images, rects, lines)


def build(folder: Path, blocks: str, **kw: str) -> tuple[BuildResult, PageContent]:
    """Write a report with ``blocks`` into ``folder``, build it in-process, read page 1."""
    path = write_report(folder, blocks, **kw)
    result = build_pdf(path, folder / "out")
    return result, read_page(result.pdf)


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars grouped into printed lines: same baseline, contiguous along x (one column)."""
    rows: dict[float, list[Char]] = {}
    for c in chars:
        rows.setdefault(round(c.baseline, 1), []).append(c)
    out: list[list[Char]] = []
    for _, row in sorted(rows.items(), key=lambda kv: -kv[0]):
        row.sort(key=lambda c: c.x0)
        current = [row[0]]
        for c in row[1:]:
            if c.x0 - ink(current[-1]).right > GUTTER * 0.75:  # a gutter, not a space
                out.append(current)
                current = [c]
            else:
                current.append(c)
        out.append(current)
    return out


def columns_of(lines: list[list[Char]], edges: list[float]) -> list[list[list[Char]]]:
    """Lines sorted into columns by their left end; ``edges`` are the columns' left x."""
    cols: list[list[list[Char]]] = [[] for _ in edges]
    for ln in lines:
        k = max(i for i, e in enumerate(edges) if ln[0].x0 >= e - TOL)
        cols[k].append(ln)
    for col in cols:
        col.sort(key=lambda ln: -ln[0].baseline)
    return cols


def off_pitch(a: float, b: float) -> float:
    """How far ``a - b`` is from a whole number of grid lines (pt)."""
    d = (a - b) / PITCH
    return abs(d - round(d)) * PITCH
