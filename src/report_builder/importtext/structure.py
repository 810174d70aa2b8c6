"""Sort cleaned paragraphs into the blocks of a draft: headlines, articles, figures, credits.

What can be told from text alone, and how:

* titles (short lines without punctuation) are headline candidates; the first
  one is taken as the page headline, and the first deck ("——…") joins it;
* a byline belongs to the article that follows it;
* an article ends at a title, a deck, a byline, or where the measure changes
  by more than a quarter (a lead across the page, a narrow sidebar, a box);
* photo captions are the trailing run of paragraphs of one or two lines (an
  extract puts them after the text, and a caption is rarely longer), from
  the first display line among them on: a title, a credit, or a line printed
  twice over. Without such a line nothing tells captions from short closing
  paragraphs, so they stay body text for the editor to move. A short line
  naming a photo source ("本版图片均由…提供", "…摄") is a credit;
* two captions glued on one line ("…现场。2021年，…") are split where a sentence
  ends and the next starts with a year or a date, as each caption there does.
  Inside body text such a split is never made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .paragraphs import Paragraph

MEASURE_CHANGE = 1.25  # ratio of measures that starts a new article
CAPTION_MAX_CHARS = 100
CAPTION_MAX_LINES = 2
CREDIT_MAX_CHARS = 30
_CREDIT = re.compile(r"(图片|照片|供图|摄影|[^。]摄$|^图[/／:：]|提供$)")
_GLUED = re.compile(r"(?<=[。！？])(?=(?:19|20)\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日)")
_MIN_CAPTION = 6


@dataclass
class HeadlineDraft:
    main: Paragraph
    deck: Paragraph | None = None


@dataclass
class ArticleDraft:
    paragraphs: list[Paragraph] = field(default_factory=list)
    byline: Paragraph | None = None

    @property
    def measure(self) -> float:
        widths = [p.measure for p in self.paragraphs if p.measure]
        return sorted(widths)[len(widths) // 2] if widths else 0.0


@dataclass
class FigureDraft:
    caption: Paragraph


@dataclass
class CreditDraft:
    credit: Paragraph


Draft = HeadlineDraft | ArticleDraft | FigureDraft | CreditDraft


def is_credit(p: Paragraph) -> bool:
    return (
        p.kind in ("title", "body", "byline")
        and len(p.text) <= CREDIT_MAX_CHARS
        and not p.text.endswith("。")
        and bool(_CREDIT.search(p.text))
    )


def split_glued_captions(p: Paragraph) -> list[Paragraph]:
    """Split "…现场。2021年，…行动。" into two captions (see the module docstring)."""
    parts = [s for s in _GLUED.split(p.text) if s]
    if len(parts) < 2 or any(len(s) < _MIN_CAPTION for s in parts):
        parts = [p.text]
    return [Paragraph("caption", s, p.first, p.last, p.measure, p.lines) for s in parts]


def caption_zone_start(paragraphs: list[Paragraph]) -> int:
    """Index of the first paragraph of the captions after the text (len() when none).

    The zone is the trailing run of titles, credits and paragraphs of at most
    two lines; it starts at the first of them that is display text (a title, a
    credit, a line printed twice over), so a short closing paragraph of the
    last article is not taken for a caption when nothing sets it apart.
    """
    start = len(paragraphs)
    for k in range(len(paragraphs) - 1, -1, -1):
        p = paragraphs[k]
        short = p.kind == "body" and len(p.text) <= CAPTION_MAX_CHARS
        if p.kind == "title" or is_credit(p) or (short and p.lines <= CAPTION_MAX_LINES):
            start = k
            continue
        break
    while start < len(paragraphs):
        p = paragraphs[start]
        if p.kind == "title" or is_credit(p) or p.doubled:
            break
        start += 1
    return start


def build(paragraphs: list[Paragraph]) -> list[Draft]:
    """Group paragraphs into draft blocks, in reading order."""
    zone = caption_zone_start(paragraphs)
    blocks: list[Draft] = []
    page_headline: HeadlineDraft | None = None
    article: ArticleDraft | None = None
    pending_byline: Paragraph | None = None

    def close() -> None:
        nonlocal article, pending_byline
        if article is not None and article.paragraphs:
            blocks.append(article)
        article = None
        if pending_byline is not None:  # a byline with no text after it still goes out
            blocks.append(ArticleDraft(byline=pending_byline))
            pending_byline = None

    for k, p in enumerate(paragraphs):
        if is_credit(p):
            close()
            blocks.append(CreditDraft(Paragraph("credit", p.text, p.first, p.last, 0.0, p.lines)))
        elif p.kind == "title":
            close()
            headline = HeadlineDraft(p)
            page_headline = page_headline or headline
            blocks.append(headline)
        elif p.kind == "deck":
            close()
            if page_headline is not None and page_headline.deck is None:
                page_headline.deck = p
            else:
                blocks.append(HeadlineDraft(p))
        elif p.kind == "byline":
            close()
            pending_byline = p
        elif k >= zone and p.kind == "body":
            close()
            blocks.extend(FigureDraft(c) for c in split_glued_captions(p))
        else:
            if article is not None and p.measure and article.measure:
                ratio = max(p.measure, article.measure) / min(p.measure, article.measure)
                if ratio > MEASURE_CHANGE:
                    close()
            if article is None:
                article = ArticleDraft(byline=pending_byline)
                pending_byline = None
            article.paragraphs.append(p)
    close()
    return blocks
