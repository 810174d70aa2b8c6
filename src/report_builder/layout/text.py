"""From report text to composed lines: emphasis spans, font fallback, style mapping.

``Typesetter.compose`` is the single door to the composer, so the composition
cache lives here. A paragraph is keyed by a hash of everything the composer sees
(the spans' text, face, size and colour, the ComposeStyle, the measures) plus the
composer's own source code, so an edited article, a changed style or a new
composer all miss, and everything else is taken as composed before:

- in memory, for a build that sets the same text twice (repeated furniture,
  copyfit trying one tracking again);
- on disk, one file per edition under ``<out>/.cache/compose/``, read when the
  Typesetter starts and written (atomically, only if something changed) when it
  is done. It holds only the paragraphs the last build used, so it never grows.

A cached paragraph is stored as plain tuples of its exact values (glyph
characters, x positions, runs of one face, size and colour; faces by name; see
``_flatten``), which marshal reads back far faster than pickle rebuilds frozen
objects; a build from the cache gives the same floats, hence the same PDF bytes,
as a cold one. Within a build, ``Typesetter.compose`` also remembers its answer
per (text, style, widths, overrides), so a page set again (40 pages repeating a
spread) costs a dictionary look-up, not spans and a hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import math
import os
import re
import weakref
from dataclasses import replace
from itertools import groupby, repeat
from pathlib import Path
from typing import TYPE_CHECKING

from ..compose import compose_paragraph
from ..compose.model import ComposedParagraph, ComposeStyle, Glyph, Line, Span
from ..definition.model import Report, Style
from ..fonts.metrics import FaceMetrics

if TYPE_CHECKING:
    from ..fonts.registry import FontRegistry

_EMPHASIS = re.compile(r"\*\*(.+?)\*\*", re.S)

#: Bump when the cache file layout or the key recipe changes.
CACHE_FORMAT = b"report_builder compose cache 2\n"
#: Counts for tests and the bench: paragraphs taken from memory, from disk, composed.
STATS = {"memory": 0, "disk": 0, "composed": 0, "written": 0}


def split_emphasis(text: str) -> list[tuple[str, bool]]:
    """``a**b**c`` → [("a", False), ("b", True), ("c", False)]."""
    if "**" not in text:  # most text has no emphasis: skip the regex scan
        return [(text, False)] if text else []
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


DISPLAY_HAN_LATIN = 0.125  # em between Han and digits/Latin in headlines and titles


class Typesetter:
    """Turns (text, style name, widths) into composed lines, with the report's styles and faces.

    ``cache_dir``: where the composition cache lives; by default the ``compose``
    folder beside the registry's font cache (``out/.cache/compose`` in a build), and
    none (memory only) when the registry has no cache folder.
    """

    def __init__(self, report: Report, registry: FontRegistry, cache_dir: Path | None = None):
        self.report = report
        self.registry = registry
        self.cache_dir = cache_dir
        folder = cache_dir
        if folder is None and getattr(registry, "cache_dir", None) is not None:
            folder = Path(registry.cache_dir).parent / "compose"
        path = folder / f"{_safe_name(report.edition.id)}.cache" if folder else None
        self._cache = _CompositionCache(path, registry)
        self._memo: dict[tuple, tuple[Style, ComposedParagraph]] = {}
        #: Answers the block layouts keep for this build (slots, flows, style variants):
        #: pages that repeat an article or a headline ask the same questions.
        self.memo: dict[tuple, object] = {}

    def save(self) -> None:
        """Write the cache file now (otherwise done when the Typesetter is dropped)."""
        self._cache.save()

    def style(self, name: str) -> Style:
        return self.report.styles[name]

    def variant(self, style: Style, **changes: object) -> Style:
        """``dataclasses.replace(style, **changes)``, made once per style and changes in a
        build, so that text composed with it is found again (the memo keys styles by id)."""
        key = ("variant", id(style), *sorted(changes.items()))
        hit = self.memo.get(key)
        if hit is not None and hit[0] is style:
            return hit[1]
        made = replace(style, **changes)
        self.memo[key] = (style, made)
        return made

    def spans(self, text: str, style: Style) -> list[Span]:
        out: list[Span] = []
        for chunk, emph in split_emphasis(text):
            st = self.style(style.emphasis) if emph and style.emphasis else style
            # emphasis takes its style's face and colour; the size is the paragraph's,
            # or larger when the emphasis style asks for it (big figures in a data box)
            size = max(style.size, st.size) if st is not style else style.size
            primary = self.registry.face(st.font, st.weight)
            lacking = set(chunk).difference(primary.advances)
            if all(ch.isspace() for ch in lacking):
                # the usual case, the face has every character: one span, no per-character work
                out.append(Span(chunk, primary, size, st.color))
                continue
            run: list[str] = []
            run_face = primary
            for ch in chunk:
                face = primary
                if ch in lacking and not ch.isspace():
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
        han_latin_space: float | None = None,
    ) -> ComposedParagraph:
        wkey = widths if isinstance(widths, int | float) else tuple(widths)
        # the style by identity (kept alive in the value, so its id stays its own)
        memo_key = (text, id(style), wkey, indent, tracking, han_latin_space)
        hit = self._memo.get(memo_key)
        if hit is not None and hit[0] is style:
            STATS["memory"] += 1
            return hit[1]
        cs = self.compose_style(style, indent=indent)
        if tracking is not None:
            cs = ComposeStyle(**{**cs.__dict__, "tracking": tracking})
        if han_latin_space is not None:
            cs = ComposeStyle(**{**cs.__dict__, "han_latin_space": han_latin_space})
        spans = self.spans(text, style)
        key = self._cache.key(spans, widths, cs)
        found = self._cache.get(key)
        if found is None:
            found = compose_paragraph(spans, widths, cs)
            STATS["composed"] += 1
            self._cache.put(key, found)
        self._memo[memo_key] = (style, found)
        return found

    def display_lines(self, text: str, style: Style, width: float) -> list[Line]:
        """Lines of display text (headlines, titles, flags): a written line break is kept.

        Display sizes take a tighter Han–digit space (⅛ em, not ¼): at 72 pt a
        quarter em would open an 18-pt hole in 湖南工会这5年.
        """
        lines: list[Line] = []
        for part in text.split("\n"):
            if part.strip():
                lines += self.compose(part, style, width, han_latin_space=DISPLAY_HAN_LATIN).lines
        return lines

    def slot_lines(self, style: Style, pitch: float) -> int:
        """Grid lines one line of ``style`` occupies: its own pitch rounded up to the grid."""
        own = style.pitch if style.pitch else max(style.size * 1.25, pitch)
        return max(1, math.ceil(own / pitch - 1e-6))


def line_chars(line: Line) -> int:
    return sum(1 for g in line.glyphs if not g.ch.isspace())


# ---------------------------------------------------------------- the composition cache


def _safe_name(edition_id: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]", "_", edition_id) or "edition"


_CODE_VERSION: bytes | None = None


def code_version() -> bytes:
    """Hash of the composer's source, this module and the metrics format.

    A composer edited since the cache was written (or a different install) misses
    everything instead of returning lines set by other rules.
    """
    global _CODE_VERSION
    if _CODE_VERSION is None:
        from .. import compose
        from ..fonts import metrics_cache

        h = hashlib.sha256(CACHE_FORMAT)
        h.update(str(metrics_cache.FORMAT).encode())
        files = sorted(Path(compose.__file__).parent.glob("*.py"))
        files += [Path(__file__), Path(metrics_cache.__file__).with_name("metrics.py")]
        for f in files:
            h.update(f.name.encode())
            h.update(f.read_bytes())
        _CODE_VERSION = h.digest()
    return _CODE_VERSION


def _face_token(face: FaceMetrics) -> str:
    """What identifies a face's metrics: its font file hash and the metrics it was read with."""
    return (
        f"{face.name}|{face.sha256}|{face.subfont_index}|{len(face.advances)}|"
        f"{face.ascent!r}|{face.descent!r}|{face.default_advance!r}"
    )


class _CompositionCache:
    """Paragraphs by key: in memory for this build, on disk between builds."""

    def __init__(self, path: Path | None, registry: FontRegistry) -> None:
        self.path = path
        self.faces = {f.name: f for f in registry.faces}
        self.memory: dict[bytes, ComposedParagraph] = {}
        self.stored: dict[bytes, tuple] = _read(path) if path is not None else {}
        self.loaded = len(self.stored)
        # written at the end: the entries this build used, stored or still to flatten
        self.used: dict[bytes, tuple | ComposedParagraph] = {}
        self.state = {"changed": False}
        self._finalizer = (
            weakref.finalize(self, _write, path, self.used, self.state, self.loaded)
            if path is not None
            else None
        )

    def key(self, spans: list[Span], widths: float | list[float], cs: ComposeStyle) -> bytes:
        h = hashlib.sha256(code_version())
        h.update(repr(cs).encode())
        h.update(repr(widths if isinstance(widths, int | float) else list(widths)).encode())
        for s in spans:
            h.update(f"\x1e{_face_token(s.face)}|{s.size!r}|{s.color!r}\x1f".encode())
            h.update(s.text.encode("utf-8", "surrogatepass"))
        return h.digest()[:20]

    def get(self, key: bytes) -> ComposedParagraph | None:
        found = self.memory.get(key)
        if found is not None:
            STATS["memory"] += 1
            return found
        data = self.stored.get(key)
        if data is None:
            return None
        try:
            found = _rebuild(data, self.faces)
        except Exception:  # an entry we cannot read (or whose face is gone) is composed again
            del self.stored[key]
            return None
        STATS["disk"] += 1
        self.memory[key] = found
        self.used[key] = data
        return found

    def put(self, key: bytes, paragraph: ComposedParagraph) -> None:
        self.memory[key] = paragraph
        if self.path is not None:
            self.used[key] = paragraph
            self.state["changed"] = True

    def save(self) -> None:
        if self._finalizer is not None:
            self._finalizer()


def _flatten(paragraph: ComposedParagraph) -> tuple:
    """A paragraph as values marshal stores exactly: per line its numbers, then its
    glyphs' characters, x and set widths, and runs of glyphs of one face, size and colour.
    """
    names: dict[str, int] = {}
    lines = []
    for ln in paragraph.lines:
        chars, xs, faces, sizes, colors, widths = (
            zip(*ln.glyphs, strict=True) if ln.glyphs else ((),) * 6
        )
        looks = []
        k = 0
        for (_, size, color), run in groupby(zip(map(id, faces), sizes, colors, strict=True)):
            count = len(list(run))
            looks.append((count, names.setdefault(faces[k].name, len(names)), size, color))
            k += count
        text = "".join(chars)
        lines.append(
            (
                (ln.width, ln.natural, ln.ratio, ln.offset, ln.last, ln.start, ln.end),
                text if len(text) == len(chars) else chars,
                xs,
                widths,
                tuple(looks),
            )
        )
    return (paragraph.badness, tuple(names), tuple(lines))


def _rebuild(data: tuple, faces: dict[str, FaceMetrics]) -> ComposedParagraph:
    """The paragraph ``_flatten`` stored, holding the registry's own faces."""
    badness, names, stored_lines = data
    face_of = [faces[name] for name in names]
    new = tuple.__new__  # Glyph(...) in C, see compose.model.Glyph
    lines = []
    for numbers, chars, xs, widths, looks in stored_lines:
        glyph_faces: list[FaceMetrics] = []
        sizes: list[float] = []
        colors: list[tuple] = []
        for count, face, size, color in looks:
            glyph_faces += [face_of[face]] * count
            sizes += [size] * count
            colors += [color] * count
        fields = zip(chars, xs, glyph_faces, sizes, colors, widths, strict=True)
        lines.append(Line(tuple(map(new, repeat(Glyph), fields)), *numbers))
    return ComposedParagraph(tuple(lines), badness)


def _read(path: Path) -> dict[bytes, tuple]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(CACHE_FORMAT):
        return {}
    try:
        entries = marshal.loads(data[len(CACHE_FORMAT) :])
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _write(path: Path, used: dict, state: dict, loaded: int) -> None:
    """Store the entries this build used; skipped when nothing was added or dropped."""
    if not state["changed"] and len(used) == loaded:
        return
    entries: dict[bytes, tuple] = {}
    for key, value in sorted(used.items(), key=lambda kv: kv[0]):
        try:
            entries[key] = value if isinstance(value, tuple) else _flatten(value)
        except Exception:  # an entry that cannot be stored is composed next time
            continue
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(CACHE_FORMAT + marshal.dumps(entries))
            os.replace(tmp, path)
            STATS["written"] += 1
        finally:
            tmp.unlink(missing_ok=True)
