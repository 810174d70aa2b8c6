"""Before layout: can every character of the edition be set, and is any of it suspicious?

ReportLab draws a .notdef box for a character its face lacks and says nothing, so
every character of every text is checked against its style's fallback chain here.

Severity policy:
- ERROR: a character no face in the chain has; a control character or U+FFFD
  (never intended, prints as a box); an invisible format character (zero-width
  space, soft hyphen, BOM, …) that no face has.
- WARNING: an invisible format character the face has (it prints as nothing, but
  is almost always debris from copying out of a PDF or a web page); full-width
  Latin letters and digits (Chinese newspapers set them half-width); a character
  outside the BMP that the face has (often a rare-extension look-alike, 𠮷 for 吉);
  a private-use character the face has (it means whatever that one font draws).

Messages say what an odd character is (an emoji, a symbol, a CJK extension
character, a private-use code) and spell private-use characters as U+E000, since
printed raw they show as a box or as nothing in the terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..definition.model import (
    ArticleBlock,
    Block,
    BoxBlock,
    FigureBlock,
    FlagBlock,
    HeadlineBlock,
    Report,
    Style,
    Text,
)
from ..errors import Diagnostic, Severity, SourcePos
from ..records import record
from .registry import WEIGHTS, FontRegistry

IGNORED = frozenset(" \t\r\n")
_DEFAULT_STYLE = Style(name="<default>")


@record
class TextItem:
    """One piece of text, the style it is set in, and where it came from."""

    text: str
    style: str
    pos: SourcePos
    path: str


def iter_texts(report: Report) -> Iterator[TextItem]:
    """Every text of the edition that ends up on a page, with its style name."""
    ed = report.edition
    if ed.publication:
        yield TextItem(ed.publication, "folio", ed.pos, "edition.publication")
    for pi, page in enumerate(report.pages):
        where = f"pages[{pi}]"
        folio = page.folio
        if folio.show:
            for field_name in ("page_name", "editors"):
                value = getattr(folio, field_name)
                if value:
                    yield TextItem(value, folio.style, page.pos, f"{where}.folio.{field_name}")
        for bi, block in enumerate(page.blocks):
            yield from _block_texts(block, report, f"{where}.blocks[{bi}]")


def _item(text: Text | None, style: str, path: str) -> Iterator[TextItem]:
    if text is not None and text.text:
        yield TextItem(text.text, style, text.pos, path)


def _block_texts(block: Block, report: Report, where: str) -> Iterator[TextItem]:
    if isinstance(block, HeadlineBlock):
        yield from _item(block.kicker, block.kicker_style, f"{where}.kicker")
        yield from _item(block.main, block.main_style, f"{where}.main")
        yield from _item(block.deck, block.deck_style, f"{where}.deck")
    elif isinstance(block, ArticleBlock):
        yield from _item(block.title, block.title_style, f"{where}.title")
        yield from _item(block.byline, block.byline_style, f"{where}.byline")
        by_kind = {
            "body": block.style,
            "subhead": block.subhead_style,
            "item": block.item_style,
            "lead": "lead" if "lead" in report.styles else block.style,
        }
        for k, para in enumerate(block.paragraphs):
            style = para.style or by_kind.get(para.kind, block.style)
            yield from _item(para.text, style, f"{where}.paragraphs[{k}]")
    elif isinstance(block, FigureBlock):
        yield from _item(block.caption, block.caption_style, f"{where}.caption")
        credit_style = "credit" if "credit" in report.styles else block.caption_style
        yield from _item(block.credit, credit_style, f"{where}.credit")
    elif isinstance(block, BoxBlock):
        yield from _item(block.title, block.title_style, f"{where}.title")
        for ci, child in enumerate(block.children):
            yield from _block_texts(child, report, f"{where}.children[{ci}]")
    elif isinstance(block, FlagBlock):
        yield from _item(block.text, block.style, f"{where}.text")


def _segments(text: str, style: Style, styles: dict[str, Style]) -> Iterator[tuple[str, Style]]:
    """The text without ``**`` markers, split into (plain, style) and (emphasis, its style)."""
    emphasis = styles.get(style.emphasis or "", style)
    for i, part in enumerate(text.split("**")):
        if part:
            yield part, (emphasis if i % 2 else style)


def _visible(ch: str) -> str:
    if ch in "\n\t\r":
        return " "
    if unicodedata.category(ch) in ("Cc", "Cf", "Co"):
        return f"<U+{ord(ch):04X}>"
    return ch


def _context(text: str, ch: str) -> str:
    """A few characters either side of the first ``ch``, with invisible ones spelled out."""
    text = text.replace("**", "")
    i = text.index(ch)
    left, right = max(0, i - 8), min(len(text), i + 9)
    snippet = "".join(_visible(c) for c in text[left:right])
    return f"{'…' if left else ''}{snippet}{'…' if right < len(text) else ''}"


#: Supplementary-plane ranges whose characters get a word of explanation.
_CJK_EXTENSIONS = (
    (0x20000, 0x2A6DF, "B"),
    (0x2A700, 0x2B73F, "C"),
    (0x2B740, 0x2B81F, "D"),
    (0x2B820, 0x2CEAF, "E"),
    (0x2CEB0, 0x2EBEF, "F"),
    (0x2EBF0, 0x2EE5F, "I"),
    (0x30000, 0x3134F, "G"),
    (0x31350, 0x323AF, "H"),
)
_EMOJI = (
    (0x1F1E6, 0x1F1FF),  # regional indicators (flags)
    (0x1F300, 0x1F5FF),  # miscellaneous symbols and pictographs
    (0x1F600, 0x1F64F),  # emoticons
    (0x1F680, 0x1F6FF),  # transport and map symbols
    (0x1F900, 0x1F9FF),  # supplemental symbols and pictographs
    (0x1FA70, 0x1FAFF),  # symbols and pictographs extended-A
)


def char_kind(ch: str) -> str:
    """What an odd character is, in words ('' for an ordinary one)."""
    cp = ord(ch)
    if unicodedata.category(ch) == "Co":
        return "a private-use character"
    if cp <= 0xFFFF:
        return ""
    if any(lo <= cp <= hi for lo, hi in _EMOJI):
        return "an emoji, outside the BMP"
    for lo, hi, ext in _CJK_EXTENSIONS:
        if lo <= cp <= hi:
            return f"outside the BMP: a rare character from CJK Extension {ext}"
    if 0x2F800 <= cp <= 0x2FA1F:
        return "outside the BMP: a CJK compatibility ideograph"
    if 0x1D400 <= cp <= 0x1D7FF:
        return "outside the BMP: a mathematical letter, a look-alike of a plain one"
    if 0x1F000 <= cp <= 0x1FBFF or unicodedata.category(ch) == "So":
        return "a symbol outside the BMP"
    return "outside the BMP"


def _label(ch: str) -> str:
    """'字' (U+5B57, NAME[; kind]); a private-use character is spelled out, never printed."""
    cp = ord(ch)
    if unicodedata.category(ch) == "Co":
        return f"private-use character U+{cp:04X}"
    name = unicodedata.name(ch, "")
    kind = char_kind(ch)
    return f"'{ch}' (U+{cp:04X}{', ' + name if name else ''}{'; ' + kind if kind else ''})"


def check_char(
    ch: str, role: str, weight: str, registry: FontRegistry
) -> tuple[Severity, str] | None:
    """The problem with setting ``ch`` in role/weight, if any."""
    cat = unicodedata.category(ch)
    cp = ord(ch)
    has = registry.face_for_char(role, weight, ch) is not None
    if ch == "\ufffd":
        return Severity.ERROR, (
            "'\ufffd' (U+FFFD REPLACEMENT CHARACTER): the text was decoded wrongly here; "
            "retype the character that belongs here"
        )
    if cat == "Cc":
        return Severity.ERROR, (
            f"control character U+{cp:04X} in the text: delete it "
            "(usually debris from copying out of a PDF)"
        )
    if cat == "Cf":
        what = f"invisible character U+{cp:04X} {unicodedata.name(ch, '')}".rstrip()
        if not has:
            return Severity.ERROR, f"{what} would print as a box: delete it"
        return Severity.WARNING, f"{what} prints as nothing: delete it unless it is intended"
    kind = char_kind(ch)
    if not has:
        roles = ", ".join(dict.fromkeys(f.role for f in registry.chain(role, weight)))
        if cat == "Co":
            advice = (
                "it has no standard meaning (it shows as intended only in the font it was "
                "typed with): retype the intended character"
            )
        elif kind.startswith(("an emoji", "a symbol")):
            advice = "delete it or say it in words, or declare a face that has it under `fonts:`"
        else:
            advice = (
                "run `invoke fonts` (it adds every character of the editions that the source "
                "fonts have), declare a face that has it under `fonts:`, or use a common variant"
            )
        return Severity.ERROR, f"{_label(ch)} is not in {roles or 'any face'}: {advice}"
    if cat == "Co":
        return Severity.WARNING, (
            f"{_label(ch)} prints as whatever this font draws there: check it is intended"
        )
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        half = chr(cp - 0xFEE0)
        return Severity.WARNING, (
            f"full-width {_label(ch)}: Chinese newspapers set Latin letters and digits "
            f"half-width; write '{half}'"
        )
    if cp > 0xFFFF:
        return Severity.WARNING, (
            f"{_label(ch)}: check it is the intended character and not a look-alike of a common one"
        )
    return None


def _check_styles(report: Report, registry: FontRegistry) -> list[Diagnostic]:
    diags = []
    roles = registry.roles
    for name, style in sorted(report.styles.items()):
        if roles and style.font not in roles:
            diags.append(
                Diagnostic(
                    style.pos,
                    f"unknown font role {style.font!r}; known roles: {', '.join(sorted(roles))}",
                    path=f"styles.{name}.font",
                )
            )
        w = style.weight.strip().lower().replace("-", "").replace(" ", "")
        if not (w.isdigit() or w in WEIGHTS):
            diags.append(
                Diagnostic(
                    style.pos,
                    f"unknown weight {style.weight!r}; use one of {', '.join(WEIGHTS)} or 100-900",
                    path=f"styles.{name}.weight",
                )
            )
    return diags


def check_coverage(report: Report, registry: FontRegistry) -> list[Diagnostic]:
    """Font problems of the whole edition: registry and style problems first, then text."""
    diags = list(registry.diagnostics) + _check_styles(report, registry)
    if not registry.faces:
        return diags
    cache: dict[tuple[str, str, str], tuple[Severity, str] | None] = {}
    # characters known to be fine per (role, weight): most text is checked by one
    # set comparison instead of a Python step per character
    fine: dict[tuple[str, str], set[str]] = {}
    for item in iter_texts(report):
        style = report.styles.get(item.style, _DEFAULT_STYLE)
        seen: set[str] = set()
        for part, seg_style in _segments(item.text, style, report.styles):
            ok = fine.setdefault((seg_style.font, seg_style.weight), set(IGNORED))
            if ok.issuperset(part):
                seen.update(part)
                continue
            for ch in part:
                if ch in IGNORED or ch in seen:
                    continue
                seen.add(ch)
                key = (ch, seg_style.font, seg_style.weight)
                if key not in cache:
                    cache[key] = check_char(ch, seg_style.font, seg_style.weight, registry)
                problem = cache[key]
                if problem is None:
                    ok.add(ch)
                    continue
                severity, message = problem
                diags.append(
                    Diagnostic(
                        item.pos,
                        f"{message} — in “{_context(item.text, ch)}”",
                        path=item.path,
                        severity=severity,
                    )
                )
    return diags
