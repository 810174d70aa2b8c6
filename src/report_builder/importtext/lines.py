"""Source lines of an extract, with their artefact spaces removed and their width."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .chars import BULLETS, ends_sentence, has_punctuation, width
from .spacing import CANDIDATE, clean_line, split_byline

# "1.思想引领", "二、工会改革": a numbered head of at most 12 characters, no punctuation.
_NUMBERED_HEAD = re.compile(
    r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.．、]\s*(?P<title>\S{1,12})$"
)
# When at least this share of the gaps between text lines hold a blank line,
# blank lines are an extraction habit, not paragraph breaks.
BLANK_NOISE_SHARE = 0.6


@dataclass(frozen=True)
class SourceLine:
    """One non-blank line of the extract."""

    number: int  # 1-based line number in the source file
    raw: str
    text: str  # artefact spaces removed; candidate spaces as spacing.CANDIDATE
    letter_spaced: bool
    blank_before: bool  # a blank line that counts as a paragraph break precedes it
    byline: str | None = None  # the names, when the line is a byline
    indented: bool = False  # the extract kept a first-line indent (two spaces or U+3000)

    @property
    def width(self) -> float:
        return width(self.text.replace(CANDIDATE, ""))

    @property
    def final(self) -> bool:
        """The line ends a sentence."""
        return ends_sentence(self.text)

    @property
    def bullet(self) -> bool:
        return bool(self.text) and self.text[0] in BULLETS

    @property
    def heading(self) -> bool:
        """A numbered section head ("1.思想引领")."""
        m = _NUMBERED_HEAD.match(self.text)
        return bool(m) and not has_punctuation(m.group("title"))

    @property
    def deck(self) -> bool:
        """A subtitle line ("——庆祝…召开"): starts with a dash, is no sentence."""
        return self.text.startswith("—") and not self.final


def read_lines(source: str) -> list[SourceLine]:
    """Split an extract into its non-blank lines and decide what blank lines mean."""
    rows = source.lstrip("\ufeff").replace("\f", "\n").splitlines()
    numbered = [(k + 1, row) for k, row in enumerate(rows) if row.strip()]
    gaps = [b - a > 1 for (a, _), (b, _) in itertools.pairwise(numbered)]
    blanks_meaningful = not gaps or sum(gaps) / len(gaps) < BLANK_NOISE_SHARE
    lines: list[SourceLine] = []
    previous = 0
    for number, raw in numbered:
        spaced = clean_line(raw)
        lines.append(
            SourceLine(
                number=number,
                raw=raw,
                text=spaced.text,
                letter_spaced=spaced.letter_spaced,
                blank_before=blanks_meaningful and previous > 0 and number - previous > 1,
                byline=split_byline(raw.strip()),
                indented=raw.startswith(("  ", "\u3000", "\t")),
            )
        )
        previous = number
    return lines
