"""Write draft blocks as a report.yaml an editor can arrange, and as plain cleaned text.

The YAML is written by hand, not dumped, so that it reads like one an editor
wrote: paragraphs as literal block scalars (``|-``, no folding, which would put
spaces into Chinese text), each block preceded by the source lines it came from,
and a TODO comment where its ``at:`` placement goes. Every block still needs
placing, so the draft is deliberately not a buildable definition.
"""

from __future__ import annotations

import json
import re

import yaml

from .paragraphs import Paragraph
from .structure import ArticleDraft, CreditDraft, Draft, FigureDraft, HeadlineDraft

_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")
_AT_TODO = "# TODO at: {column: ?, span: ?, line: ?, lines: ?}"


def scalar(text: str) -> str:
    """A YAML scalar for text: plain when it reads back unchanged, else double-quoted."""
    plain_ok = (
        text
        and not text.startswith(_INDICATORS)
        and ": " not in text
        and " #" not in text
        and text == text.strip()
    )
    if plain_ok:
        try:
            if yaml.safe_load(f"k: {text}\n") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _block_scalar(text: str, indent: str) -> str:
    return "|-\n" + "\n".join(indent + line for line in text.split("\n"))


def _lines_note(first: int, last: int) -> str:
    return f"source line {first}" if first == last else f"source lines {first}–{last}"


def edition_id(source_name: str) -> str:
    """A file-name-safe id from the source's name: "hunan-unions-2023.extracted.txt" → …-2023."""
    stem = source_name.rsplit("/", 1)[-1].split(".", 1)[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "draft"


def _paragraph_entry(p: Paragraph, pad: str) -> list[str]:
    if p.kind == "subhead":
        return [f"{pad}- subhead: {scalar(p.text)}"]
    if p.kind == "item":
        return [f"{pad}- item: " + _block_scalar(p.text, pad + "    ")]
    return [f"{pad}- " + _block_scalar(p.text, pad + "  ")]


def render_yaml(blocks: list[Draft], source_name: str, images_dir: str = "assets/images") -> str:
    """The draft report.yaml for blocks, in reading order."""
    headlines = [b for b in blocks if isinstance(b, HeadlineDraft)]
    title = headlines[0].main.text if headlines else "TODO"
    out = [
        f"# Draft report definition written by `invoke import-text` from {source_name}.",
        "# The text is cleaned and in the source's reading order; an editor still has to",
        "# choose paper, grid and styles (docs/report-format.md), put blocks on their pages",
        "# and give every block its `at:` placement (the TODO comments); lead paragraphs",
        "# may become {lead: …}, sub-articles want {subhead: …, editorial: true}.",
        "# Source line numbers in the comments point into the extract.",
        "edition:",
        f"  id: {scalar(edition_id(source_name))}",
        f"  title: {scalar(title)}",
        "pages:",
        "  - number: 1",
        "    name: TODO",
        "    blocks:",
    ]
    pad = "      "
    counters: dict[str, int] = {}

    def next_id(kind: str) -> str:
        counters[kind] = counters.get(kind, 0) + 1
        return f"{kind}-{counters[kind]}"

    for block in blocks:
        out.append("")
        if isinstance(block, HeadlineDraft):
            main = block.main
            out.append(f"{pad}# {_lines_note(main.first, main.last)}: headline candidate")
            out.append(f"{pad}- type: headline")
            out.append(f"{pad}  id: {next_id('headline')}")
            out.append(f"{pad}  {_AT_TODO}")
            if main.kind == "deck":  # a deck with no headline before it
                out.append(f"{pad}  main: TODO")
                out.append(f"{pad}  deck: {scalar(main.text)}")
                continue
            out.append(f"{pad}  # kicker: TODO")
            out.append(f"{pad}  main: {scalar(main.text)}")
            if block.deck is not None:
                note = _lines_note(block.deck.first, block.deck.last)
                out.append(f"{pad}  deck: {scalar(block.deck.text)}  # {note}")
        elif isinstance(block, ArticleDraft):
            first = block.paragraphs[0] if block.paragraphs else block.byline
            last = block.paragraphs[-1] if block.paragraphs else block.byline
            assert first is not None and last is not None
            note = _lines_note(first.first, last.last)
            if block.measure:
                note += f", lines of about {block.measure:g} characters"
            out.append(f"{pad}# {note}")
            out.append(f"{pad}- type: article")
            out.append(f"{pad}  id: {next_id('article')}")
            out.append(f"{pad}  {_AT_TODO}")
            out.append(f"{pad}  # columns: TODO (default: the span)")
            out.append(f"{pad}  # title: TODO")
            if block.byline is not None:
                out.append(f"{pad}  byline: {scalar(block.byline.text)}")
            if block.paragraphs:
                out.append(f"{pad}  paragraphs:")
                for p in block.paragraphs:
                    out.extend(_paragraph_entry(p, pad + "    "))
            else:
                out.append(f"{pad}  paragraphs: []  # TODO: a byline with no text after it")
        elif isinstance(block, FigureDraft):
            fid = next_id("figure")
            cap = block.caption
            note = _lines_note(cap.first, cap.last)
            out.append(f"{pad}# {note}: photo caption (or a short closing paragraph?)")
            out.append(f"{pad}- type: figure")
            out.append(f"{pad}  id: {fid}")
            out.append(f"{pad}  {_AT_TODO}")
            n = counters["figure"]
            out.append(f"{pad}  image: {scalar(f'{images_dir}/p{n}.jpg')}  # TODO: placeholder")
            out.append(f"{pad}  caption: " + _block_scalar(cap.text, pad + "    "))
        elif isinstance(block, CreditDraft):
            c = block.credit
            out.append(f"{pad}# {_lines_note(c.first, c.last)}: photo credit for the page")
            out.append(f"{pad}- type: article")
            out.append(f"{pad}  id: {next_id('credit')}")
            out.append(f"{pad}  {_AT_TODO}")
            out.append(f"{pad}  style: credit")
            out.append(f"{pad}  paragraphs:")
            out.append(f"{pad}    - {scalar(c.text)}")
    return "\n".join(out) + "\n"


def render_text(blocks: list[Draft]) -> str:
    """The cleaned text, one paragraph a line, blocks apart, each named in an HTML comment."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, HeadlineDraft):
            parts = [block.main] + ([block.deck] if block.deck else [])
            name = "headline"
        elif isinstance(block, ArticleDraft):
            parts = ([block.byline] if block.byline else []) + block.paragraphs
            name = "article"
        elif isinstance(block, FigureDraft):
            parts, name = [block.caption], "caption"
        else:
            parts, name = [block.credit], "credit"
        first = min(p.first for p in parts)
        last = max(p.last for p in parts)
        out.append(f"<!-- {name}, {_lines_note(first, last)} -->")
        out.extend(p.text for p in parts)
        out.append("")
    return "\n".join(out)
