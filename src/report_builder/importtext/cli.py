"""``invoke import-text SOURCE``: clean an extract and write a draft report.yaml."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .draft import render_text, render_yaml
from .lines import read_lines
from .paragraphs import assemble
from .structure import ArticleDraft, CreditDraft, Draft, FigureDraft, HeadlineDraft, build


@dataclass(frozen=True)
class ImportError_(Exception):
    """A problem the user can fix, already worded as ``file:line:col: message``."""

    message: str

    def __str__(self) -> str:
        return self.message


def read_source(path: Path) -> str:
    """The extract as text; a clear message when it is missing or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportError_(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ImportError_(
            f"{path}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "convert the extract to UTF-8 first"
        ) from None


def clean(source: str) -> list[Draft]:
    """Cleaned draft blocks of an extract, in reading order."""
    return build(assemble(read_lines(source)))


def _write(path: Path, text: str) -> None:
    """Write atomically, so a failed run never leaves half a draft."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _summary(blocks: list[Draft]) -> str:
    articles = [b for b in blocks if isinstance(b, ArticleDraft)]
    paragraphs = sum(len(a.paragraphs) for a in articles)
    counts = [
        (sum(isinstance(b, HeadlineDraft) for b in blocks), "headline candidates"),
        (len(articles), f"articles ({paragraphs} paragraphs)"),
        (sum(isinstance(b, FigureDraft) for b in blocks), "figures"),
        (sum(isinstance(b, CreditDraft) for b in blocks), "credits"),
    ]
    return ", ".join(f"{n} {what}" for n, what in counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="import-text",
        description="Clean text extracted from a printed page and write a draft report.yaml.",
    )
    parser.add_argument("source", type=Path, help="UTF-8 text extracted from the old PDF")
    parser.add_argument("--output", "-o", type=Path, default=Path("draft.yaml"))
    parser.add_argument("--text", type=Path, help="also write the cleaned text, a paragraph a line")
    parser.add_argument(
        "--images", default="assets/images", help="folder named in the placeholder image paths"
    )
    args = parser.parse_args(argv)
    try:
        source = read_source(args.source)
        blocks = clean(source)
        if not blocks:
            raise ImportError_(f"{args.source}: no text found")
        _write(args.output, render_yaml(blocks, args.source.name, args.images))
        if args.text:
            _write(args.text, render_text(blocks))
    except ImportError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc.filename or args.output}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}: {_summary(blocks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
