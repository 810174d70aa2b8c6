"""Read a built PDF back the way a proof-reader would: characters, lines, reading order.

The tests of the default edition judge the *output*, not the pipeline's own idea of
it, so everything here works from the PDF alone (pdfplumber for positioned
characters, pypdf for the font dictionaries). Our renderer writes each composed
line as one text run in reading order — article by article, column by column, top
to bottom — so the content-stream order of the characters is the reading order,
and a new line starts wherever the baseline changes or the pen jumps back or far
ahead.

The edition build is shared by every test file that needs it: ``edition_build()``
runs ``invoke build`` once per test process into a scratch folder and caches it.
"""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from report_builder.compose.chars import (
    CLOSING_BRACKETS,
    COMMAS,
    DASH_LIKE,
    MIDDLE_DOTS,
    OPENING,
    STOPS,
    prohibited,
)

ROOT = Path(__file__).resolve().parent.parent
EDITION_REPORT = ROOT / "report.yaml"
EDITION_ID = "hunan-unions-2023"
SOURCE_MD = ROOT / "content" / f"{EDITION_ID}.cleaned.md"

MM = 72 / 25.4
BODY_FONT = "NotoSerifCJKscRB-Regular"
BODY_SIZE = 9.0

# clreq prohibitions at the GB level the edition uses (the composer's own table):
# basic + —— …… not at a line start (except a paragraph's), solidi not at a line end.
NOT_AT_LINE_START, NOT_AT_LINE_END = prohibited("gb")
# Marks whose blank half sits on the left / right and may be trimmed at a line edge.
LEFT_BLANK = OPENING
RIGHT_BLANK = CLOSING_BRACKETS | COMMAS | STOPS

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


# ---------------------------------------------------------------------------- characters


@dataclass(frozen=True)
class Char:
    """One drawn character: its em box as pdfplumber reports it (full advance)."""

    text: str
    font: str  # base font name without the subset prefix
    size: float
    x0: float
    x1: float
    top: float  # from the top of the page, as pdfplumber measures
    bottom: float
    baseline: float  # PDF user space (y up) of the glyph origin
    page: int  # 1-based
    in_trim: bool  # origin inside the TrimBox (slug text is outside)


@dataclass
class TextLine:
    """Characters drawn consecutively on one baseline: one composed line."""

    page: int
    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def first(self) -> str:
        return self.chars[0].text

    @property
    def last(self) -> str:
        return self.chars[-1].text

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def baseline(self) -> float:
        return self.chars[0].baseline

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def role(self) -> tuple[str, float]:
        """(font, size) of most of its characters: body, lead, caption … tell apart by it."""
        (role, _), *_ = Counter((c.font, c.size) for c in self.chars).most_common(1)
        return role

    @property
    def em(self) -> float:
        return self.role[1]

    def left_edges(self) -> tuple[float, ...]:
        """Where the line's text may be said to start: the em box, or the ink of a
        line-start opening mark whose blank left half was trimmed."""
        c = self.chars[0]
        edges = [c.x0]
        if c.text in LEFT_BLANK:
            edges.append(c.x0 + (c.x1 - c.x0) - c.size / 2)
        elif c.text in MIDDLE_DOTS:
            edges.append(c.x0 + ((c.x1 - c.x0) - c.size / 2) / 2)
        return tuple(edges)

    def right_edges(self) -> tuple[float, ...]:
        """Where the line may be said to end: the em box, or the end of the kept half
        of a line-end mark (GB/T 15834 §5.1.10: it takes ½ em at the line end)."""
        c = self.chars[-1]
        edges = [c.x1]
        if c.text in RIGHT_BLANK:
            edges.append(c.x1 - ((c.x1 - c.x0) - c.size / 2))
        elif c.text in MIDDLE_DOTS:
            edges.append(c.x1 - ((c.x1 - c.x0) - c.size / 2) / 2)
        return tuple(edges)

    def where(self) -> str:
        """A locator for messages: page, baseline from the top, x, and the text."""
        return f"p{self.page} y={self.top:.1f} x={self.x0:.1f} {self.text!r}"


@dataclass
class PdfText:
    path: Path
    page_sizes: list[tuple[float, float]]
    trim_boxes: list[tuple[float, float, float, float] | None]
    chars: list[Char] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)

    def page_lines(self, page: int, *, trim_only: bool = True) -> list[TextLine]:
        return [
            ln
            for ln in self.lines
            if ln.page == page and (not trim_only or all(c.in_trim for c in ln.chars))
        ]

    def text_lines(self, *, trim_only: bool = True) -> list[TextLine]:
        """Every line of the page content (slug lines outside the trim left out)."""
        return [ln for ln in self.lines if not trim_only or all(c.in_trim for c in ln.chars)]

    def reading_text(self, *, trim_only: bool = True) -> str:
        """The text of every line in content-stream (= reading) order, normalised."""
        return normalise("".join(ln.text for ln in self.text_lines(trim_only=trim_only)))


def _inside(box: tuple[float, float, float, float] | None, x: float, y: float) -> bool:
    if box is None:
        return True
    x0, y0, x1, y1 = box
    return x0 - 0.01 <= x <= x1 + 0.01 and y0 - 0.01 <= y <= y1 + 0.01


@functools.cache
def _read(path: str, mtime_ns: int) -> PdfText:
    import pdfplumber

    sizes: list[tuple[float, float]] = []
    trims: list[tuple[float, float, float, float] | None] = []
    chars: list[Char] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            sizes.append((float(page.width), float(page.height)))
            trim = page.page_obj.attrs.get("TrimBox")
            box = None
            if trim is not None:
                from pdfminer.pdftypes import resolve1

                box = tuple(float(v) for v in resolve1(trim))
            trims.append(box)
            for c in page.chars:
                x, y = c["matrix"][4], c["matrix"][5]
                chars.append(
                    Char(
                        text=c["text"],
                        font=_SUBSET_PREFIX.sub("", c["fontname"]),
                        size=round(float(c["size"]), 3),
                        x0=float(c["x0"]),
                        x1=float(c["x1"]),
                        top=float(c["top"]),
                        bottom=float(c["bottom"]),
                        baseline=float(y),
                        page=number,
                        in_trim=_inside(box, x, y),
                    )
                )
    return PdfText(Path(path), sizes, trims, chars, group_lines(chars))


def read_pdf(path: Path) -> PdfText:
    """Characters and lines of a PDF (cached per file version)."""
    return _read(str(path), Path(path).stat().st_mtime_ns)


def group_lines(chars: Sequence[Char]) -> list[TextLine]:
    """Cut the content-stream sequence of characters into visual lines.

    A new line starts on a new page, when the baseline moves, when the pen goes
    back (a glyph left of the previous one's origin; two squeezed marks may share
    an origin), or when it jumps ahead by more than two ems (a separate text on the
    same baseline, like the parts of a folio).
    """
    lines: list[TextLine] = []
    for c in chars:
        if lines:
            prev = lines[-1].chars[-1]
            same = (
                c.page == prev.page
                and abs(c.baseline - prev.baseline) <= 0.05
                and c.x0 >= prev.x0 - 0.01
                and c.x0 - prev.x1 <= 2 * max(c.size, prev.size)
            )
            if same:
                lines[-1].chars.append(c)
                continue
        lines.append(TextLine(c.page, [c]))
    return lines


# ---------------------------------------------------------------------------- text


_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Compare texts as printed: no whitespace (spaces are not drawn), no ** marks."""
    return _WS.sub("", text.replace("**", ""))


_SENTENCE = re.compile(r".+?[。！？][”’）」』]*|.+$")


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph, cut after 。！？ with their closing quotes."""
    return [s for s in (m.group(0) for m in _SENTENCE.finditer(paragraph)) if s.strip()]


@dataclass(frozen=True)
class SourceSection:
    """One part of the cleaned source (a heading of content/*.cleaned.md) and its text."""

    heading: str
    paragraphs: tuple[str, ...]

    @property
    def sentences(self) -> list[str]:
        return [normalise(s) for p in self.paragraphs for s in split_sentences(p)]


def source_sections(path: Path = SOURCE_MD) -> list[SourceSection]:
    """Paragraphs of the cleaned source by section: comments and # lines are notes."""
    text = re.sub(r"<!--.*?-->", "", path.read_text("utf-8"), flags=re.S)
    sections: list[SourceSection] = []
    heading, paras = "", []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            if paras:
                sections.append(SourceSection(heading, tuple(paras)))
            heading, paras = line.lstrip("#").strip(), []
        elif line:
            paras.append(normalise(line))
    if paras:
        sections.append(SourceSection(heading, tuple(paras)))
    return sections


def count_occurrences(haystack: str, needle: str) -> int:
    """Non-overlapping occurrences."""
    return haystack.count(needle) if needle else 0


# ---------------------------------------------------------------------------- geometry


def is_body(line: TextLine) -> bool:
    font, size = line.role
    return font == BODY_FONT and abs(size - BODY_SIZE) < 0.01


def runs_by_role(lines: Iterable[TextLine]) -> list[list[TextLine]]:
    """Maximal stretches of consecutive lines of one role on one page (a block's text)."""
    runs: list[list[TextLine]] = []
    for ln in lines:
        if runs and runs[-1][-1].page == ln.page and runs[-1][-1].role == ln.role:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def column_segments(run: Sequence[TextLine]) -> list[list[TextLine]]:
    """Split a run into columns: a column ends where the next line is not below it."""
    segs: list[list[TextLine]] = []
    for ln in run:
        if segs:
            prev = segs[-1][-1]
            below = ln.baseline < prev.baseline - 0.05
            near = abs(ln.x0 - prev.x0) <= 3 * ln.em
            if below and near:
                segs[-1].append(ln)
                continue
        segs.append([ln])
    return segs


def overlaps(a: Char, b: Char, tol: float) -> bool:
    """True when the two character boxes overlap by more than ``tol`` both ways."""
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.bottom, b.bottom) - max(a.top, b.top)
    return dx > tol and dy > tol


def ink_box(c: Char) -> Char:
    """The character with its box cut to the half that holds the ink of a full-width
    mark (。，、 left half; “《（ right half; · the middle): the other half is blank
    the composer may squeeze or trim, so another glyph may stand there."""
    full = c.x1 - c.x0
    blank = full - c.size / 2
    if blank <= 0.01:
        return c
    x0, x1 = c.x0, c.x1
    if c.text in RIGHT_BLANK:
        x1 -= blank
    elif c.text in LEFT_BLANK:
        x0 += blank
    elif c.text in MIDDLE_DOTS:
        x0, x1 = x0 + blank / 2, x1 - blank / 2
    else:
        return c
    return Char(c.text, c.font, c.size, x0, x1, c.top, c.bottom, c.baseline, c.page, c.in_trim)


# ---------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class FontInfo:
    name: str  # BaseFont as written, with its subset prefix
    subtype: str
    embedded: bool  # FontFile, FontFile2 or FontFile3 present
    file_key: str | None  # which of them


def pdf_fonts(path: Path) -> list[FontInfo]:
    """Every font resource on every page (descendants of Type0 fonts included)."""
    from pypdf import PdfReader

    found: dict[int | str, FontInfo] = {}

    def visit(font, key) -> None:
        font = font.get_object()
        subtype = str(font.get("/Subtype", ""))
        if subtype == "/Type0":
            for d in font.get("/DescendantFonts", []):
                visit(d, (key, "d"))
            return
        desc = font.get("/FontDescriptor")
        file_key = None
        if desc is not None:
            desc = desc.get_object()
            file_key = next(
                (k for k in ("/FontFile2", "/FontFile", "/FontFile3") if k in desc), None
            )
        name = str(font.get("/BaseFont", "")).lstrip("/")
        found[key] = FontInfo(name, subtype, file_key is not None, file_key)

    reader = PdfReader(str(path))
    for page in reader.pages:
        res = page.get("/Resources")
        fonts = res.get_object().get("/Font") if res is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            key = getattr(ref, "idnum", None) or id(ref)
            visit(ref, key)
    return list(found.values())


def is_subset_name(name: str) -> bool:
    return bool(_SUBSET_PREFIX.match(name))


# ---------------------------------------------------------------------------- the build


@dataclass(frozen=True)
class Build:
    """One run of ``invoke build`` as a user would type it."""

    out: Path
    pdf: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def preflight_json(self) -> Path:
        return self.out / f"{self.pdf.stem}.preflight.json"


def invoke(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m invoke ARGS`` in a fresh interpreter, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_build(out: Path, *extra: str, report: Path = EDITION_REPORT) -> Build:
    t0 = time.perf_counter()
    run = invoke("build", "--report", str(report), "--out", str(out), *extra)
    seconds = time.perf_counter() - t0
    return Build(out, out / f"{EDITION_ID}.pdf", run.returncode, run.stdout, run.stderr, seconds)


_scratch: list[Path] = []


def scratch_dir(prefix: str) -> Path:
    """A folder removed when the test process ends."""
    if not _scratch:
        atexit.register(lambda: [shutil.rmtree(p, ignore_errors=True) for p in _scratch])
    path = Path(tempfile.mkdtemp(prefix=f"rb-{prefix}-"))
    _scratch.append(path)
    return path


@functools.cache
def edition_build() -> Build:
    """The default edition, built once per test process (shared by several test folders)."""
    return run_build(scratch_dir("edition"))


# ---------------------------------------------------------------------------- checks


def prohibition_violations(lines: Sequence[TextLine]) -> list[str]:
    """Lines that start with a mark that may not start a line, or end with one that
    may not end a line. —— and …… may open a paragraph: allowed on the first line of
    a block's text (a deck that starts with ——)."""
    found: list[str] = []
    prev: TextLine | None = None
    for ln in lines:
        block_start = prev is None or prev.page != ln.page or prev.role != ln.role
        if ln.first in NOT_AT_LINE_START and not (block_start and ln.first in DASH_LIKE):
            found.append(f"line starts with {ln.first}: {ln.where()}")
        if ln.last in NOT_AT_LINE_END:
            found.append(f"line ends with {ln.last}: {ln.where()}")
        prev = ln
    return found


@dataclass
class LineInPara:
    line: TextLine
    first: bool | None  # the paragraph's first line (None: text not matched to the source)
    final: bool | None  # the paragraph's last line


def paragraph_positions(lines: Sequence[TextLine], paragraphs: Iterable[str]) -> list[LineInPara]:
    """Tell first and last lines of paragraphs by the source's paragraphs.

    Lines of one role follow each other in reading order; their text is cut
    into paragraphs wherever the text so far is a whole source paragraph. The last
    line of a block's text always ends a paragraph (an overset paragraph too).
    Text that matches no source paragraph is left unclassified.
    """
    paras = {normalise(p) for p in paragraphs if normalise(p)}
    prefixes = {p[:k] for p in paras for k in range(1, len(p) + 1)}
    out: list[LineInPara] = []
    for run in runs_by_role(lines):
        buf = ""
        lost = False
        for i, ln in enumerate(run):
            text = normalise(ln.text)
            if lost and text in prefixes and any(p.startswith(text) for p in paras):
                lost, buf = False, ""
            first = None if lost else buf == ""
            buf += text
            if not lost and buf not in prefixes:
                lost = True
            end_of_run = i == len(run) - 1
            if lost:
                out.append(LineInPara(ln, None, True if end_of_run else None))
                continue
            final = buf in paras or end_of_run
            out.append(LineInPara(ln, first, final))
            if final:
                buf = ""
    return out


def _snap_up(value: float, edges: Sequence[float], tol: float) -> float:
    """The smallest known edge at or right of ``value`` (less ``tol``); else value."""
    right = [e for e in edges if e >= value - tol]
    return min(right) if right else value


def _frequent(values: Iterable[float], *, at_least: int = 2) -> list[float]:
    counts = Counter(round(v * 20) / 20 for v in values)
    return sorted(v for v, n in counts.items() if n >= at_least)


def _primary_left(ln: TextLine) -> float:
    return ln.left_edges()[-1]


def _primary_right(ln: TextLine) -> float:
    return ln.right_edges()[-1]


@dataclass(frozen=True)
class Frame:
    """A column of one block's text as the lines show it."""

    page: int
    role: tuple[str, float]
    left: float | None  # where continuation lines start (None: only first lines seen)
    right: float
    lines: tuple[LineInPara, ...]


def column_frames(positions: Sequence[LineInPara]) -> list[Frame]:
    """Group classified lines into columns and find each column's edges.

    The right edge is the smallest edge shared by at least two lines of that role on
    the page at or right of where most of the column's inner lines end (so a column
    of one short line still finds its edge, and one overlong line does not move
    it); the left edge is that of its continuation lines.
    """
    by_line = {id(p.line): p for p in positions}
    lines = [p.line for p in positions]
    frames: list[Frame] = []
    rights: dict[tuple[int, tuple[str, float]], list[float]] = {}
    for p in positions:
        if p.final is False:
            rights.setdefault((p.line.page, p.line.role), []).append(_primary_right(p.line))
    frequent = {k: _frequent(v) for k, v in rights.items()}
    for run in runs_by_role(lines):
        for seg in column_segments(run):
            key = (seg[0].page, seg[0].role)
            inner = [_primary_right(ln) for ln in seg if by_line[id(ln)].final is False]
            if inner:  # where most lines of the column end (one overlong line cannot move it)
                counts = Counter(round(r * 20) / 20 for r in inner)
                base = max(counts, key=lambda r: (counts[r], r))
            else:
                base = max(_primary_right(ln) for ln in seg)
            right = _snap_up(base, frequent.get(key, []), 0.5)
            conts = [_primary_left(ln) for ln in seg if by_line[id(ln)].first is False]
            left = min(conts) if conts else None
            frames.append(Frame(key[0], key[1], left, right, tuple(by_line[id(ln)] for ln in seg)))
    return frames


def justification_problems(
    frames: Sequence[Frame], *, indent_em: float | None, tol: float = 0.5
) -> list[str]:
    """Non-final lines not flush on both edges; first lines not indented as they should.

    ``indent_em``: the first-line indent the lines must have (None: take the most
    common one of each role, then require every first line of that role to agree).
    """
    found: list[str] = []
    indents: dict[tuple[str, float], list[tuple[float, TextLine]]] = {}
    for fr in frames:
        for p in fr.lines:
            ln = p.line
            if p.final is False and not any(abs(r - fr.right) <= tol for r in ln.right_edges()):
                gap = fr.right - _primary_right(ln)
                found.append(f"not flush right ({gap:+.2f} pt to {fr.right:.2f}): {ln.where()}")
            if _primary_right(ln) > fr.right + tol:
                found.append(f"runs past the column edge {fr.right:.2f}: {ln.where()}")
            if fr.left is None or p.first is None:
                continue
            if p.first is False and not any(abs(x - fr.left) <= tol for x in ln.left_edges()):
                gap = _primary_left(ln) - fr.left
                found.append(f"not flush left ({gap:+.2f} pt from {fr.left:.2f}): {ln.where()}")
            if p.first:
                offsets = [x - fr.left for x in ln.left_edges()]
                if indent_em is not None:
                    want = indent_em * ln.em
                    if not any(abs(o - want) <= tol for o in offsets):
                        found.append(
                            f"first line indented {offsets[-1]:.2f} pt, not {want:.2f}: "
                            f"{ln.where()}"
                        )
                else:
                    indents.setdefault(ln.role, []).append((offsets[-1] / ln.em, ln))
    for role_indents in indents.values():
        (common, _), *_ = Counter(round(e * 4) / 4 for e, _ in role_indents).most_common(1)
        for e, ln in role_indents:
            if abs(e - common) * ln.em > tol:
                found.append(
                    f"first line indented {e:.2f} em, others {common:.2f} em: {ln.where()}"
                )
    return found


def overlapping_chars(lines: Sequence[TextLine], tol: float = 0.5) -> list[str]:
    """Pairs of characters on a page whose set boxes overlap by more than ``tol`` both ways."""
    found: list[str] = []
    owner: dict[int, TextLine] = {}
    boxes: list[Char] = []
    for ln in lines:
        for c in map(ink_box, ln.chars):
            owner[id(c)] = ln
            boxes.append(c)
    cell = 24.0
    grid: dict[tuple[int, int, int], list[Char]] = {}
    for c in boxes:
        for gx in range(int(c.x0 // cell), int(c.x1 // cell) + 1):
            for gy in range(int(c.top // cell), int(c.bottom // cell) + 1):
                grid.setdefault((c.page, gx, gy), []).append(c)
    seen: set[tuple[int, int]] = set()
    for bucket in grid.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                pair = (min(id(a), id(b)), max(id(a), id(b)))
                if pair in seen:
                    continue
                seen.add(pair)
                if overlaps(a, b, tol):
                    found.append(
                        f"p{a.page}: {a.text!r} at ({a.x0:.1f}, {a.top:.1f}) overlaps "
                        f"{b.text!r} at ({b.x0:.1f}, {b.top:.1f}) — lines "
                        f"{owner[id(a)].text!r} / {owner[id(b)].text!r}"
                    )
    return found


def off_grid_baselines(
    chars: Iterable[Char], pitch: float, tol: float = 0.2
) -> dict[int, list[float]]:
    """Per page, baselines (PDF y) not a whole number of pitches below the highest one."""
    per_page: dict[int, set[float]] = {}
    for c in chars:
        per_page.setdefault(c.page, set()).add(round(c.baseline, 3))
    out: dict[int, list[float]] = {}
    for page, values in per_page.items():
        ref = max(values)
        bad = []
        for v in sorted(values, reverse=True):
            k = (ref - v) / pitch
            if abs(k - round(k)) * pitch > tol:
                bad.append(v)
        if bad:
            out[page] = bad
    return out
