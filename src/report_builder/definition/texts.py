"""Text values: paragraphs split from ``text:``, line joining, ``**`` emphasis checks.

Chinese prose written over several YAML lines must not gain spaces where the
editor broke the line, so lines of a paragraph are joined without a space —
except between two Latin letters or digits, where a word space was meant.
"""

from __future__ import annotations

import bisect
import functools
import itertools

from ..definition.model import Paragraph, Text
from ..errors import SourcePos
from ..records import record
from .reader import Invalid, Problems, check_text, describe
from .source import YNode, YScalar


@record
class SourceText:
    """The decoded report.yaml, to turn a character offset into line and column."""

    text: str
    file: str

    @functools.cached_property
    def starts(self) -> list[int]:
        """Offsets where lines begin; made when first needed (only ``text:`` blocks ask)."""
        starts = [0, *itertools.accumulate(len(line) + 1 for line in self.text.split("\n"))]
        starts.pop()  # the end of the text starts no line
        return starts

    def pos(self, index: int) -> SourcePos:
        starts = self.starts
        line = bisect.bisect_right(starts, index)
        return SourcePos(self.file, line, index - starts[line - 1] + 1)

    def find(self, needle: str, start: int, end: int) -> int:
        return self.text.find(needle, start, end) if needle else -1


def _scalar_text(node: YNode) -> YScalar:
    if not isinstance(node, YScalar) or (node.value is None and node.tag.endswith(":null")):
        raise Invalid(f"expected text, got {describe(node)}")
    check_text(node.text)
    return node


def _is_latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.,;:!?)'\"-")


def join_lines(lines: list[str]) -> str:
    """Join the source lines of one paragraph; a space only between Latin words."""
    if len(lines) == 1:  # most paragraphs are written on one line
        return lines[0].strip()
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and _is_latin(out[-1]) and _is_latin(line[0]):
            out += " "
        out += line
    return out


def check_emphasis(text: str) -> None:
    if text.count("**") % 2:
        raise Invalid(
            "unbalanced ** emphasis marker: every **bold** needs an opening and a closing **"
        )


def is_blank(text: str) -> bool:
    """True when nothing would print: only spaces and ``**`` markers (which set no ink)."""
    return not text.replace("**", "").strip()


def _check_not_blank(text: str) -> None:
    if not text:
        raise Invalid("empty text")
    if ("**" in text or text.isspace()) and is_blank(text):  # else it cannot be blank
        raise Invalid("empty text: only ** emphasis markers, nothing to print")


def display_text(node: YNode) -> Text:
    """Headlines, titles, flags: each line break written is a forced line break."""
    s = _scalar_text(node)
    lines = [ln.strip() for ln in s.text.strip().split("\n")]
    text = "\n".join(ln for ln in lines if ln)
    if text:
        check_emphasis(text)
    _check_not_blank(text)
    return Text(text, s.pos)


def running_text(node: YNode) -> Text:
    """Captions, credits, bylines, single paragraphs: lines joined into one paragraph."""
    s = _scalar_text(node)
    text = join_lines(s.text.split("\n")) if "\n" in s.text else s.text.strip()
    if text and "**" not in text:  # no marker to balance, and stripped text is not blank
        return Text(text, s.pos)
    if text:
        check_emphasis(text)
    _check_not_blank(text)
    return Text(text, s.pos)


def split_paragraphs(node: YNode, src: SourceText) -> list[tuple[str, SourcePos]]:
    """``text:`` → paragraphs (separated by blank lines), each with its place in the file."""
    s = _scalar_text(node)
    paras: list[list[str]] = [[]]
    for line in s.text.split("\n"):
        if line.strip():
            paras[-1].append(line)
        elif paras[-1]:
            paras.append([])
    out: list[tuple[str, SourcePos]] = []
    cursor = s.index
    for lines in paras:
        if not lines:
            continue
        first = lines[0].strip()
        found = src.find(first[:20], cursor, max(s.end, cursor))
        if found >= 0:
            cursor = found + len(first[:20])
            pos = src.pos(found)
        else:
            pos = s.pos
        out.append((join_lines(lines), pos))
    return out


def paragraphs_from_text(
    node: YNode, src: SourceText, problems: Problems, path: str
) -> list[Paragraph]:
    """Paragraphs of a ``text:`` block; a paragraph starting with ◆ is a list item.

    A paragraph of nothing but ``**`` markers would set an empty line: it is an error
    beside real paragraphs, and left out when it is all there is (the caller then
    reports the article as empty).
    """
    paras: list[Paragraph] = []
    blank: list[SourcePos] = []
    for text, pos in split_paragraphs(node, src):
        try:
            check_emphasis(text)
        except Invalid as exc:
            problems.error(pos, path, str(exc))
            continue
        if is_blank(text):
            blank.append(pos)
            continue
        kind = "item" if text.startswith("◆") else "body"
        paras.append(Paragraph(Text(text, pos), kind=kind, pos=pos))
    if paras:
        for pos in blank:
            problems.error(
                pos, path, "empty paragraph: only ** emphasis markers; remove it or add text"
            )
    return paras
