"""The characters the shipped faces are cut to.

GB 2312 alone is not enough: Python's gb2312 codec maps A1A4 to U+30FB, so the
U+00B7 of 中国梦·劳动美 would be missing; the editions also use ◆ bullets, ①
numbers and the odd rare character. So the repertoire is GB 2312 plus named
ranges plus every character that occurs in the repo's editions and source texts.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# (first, last) code points, inclusive, added on top of GB 2312.
EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (U+00B7 middle dot, ×, ÷, °)
    (0x2010, 0x206F),  # general punctuation (— … ‘ ’ “ ” ‰ ※)
    (0x2E3A, 0x2E3A),  # two-em dash
    (0x2460, 0x24FF),  # enclosed alphanumerics ① ⑴ ⒈
    (0x25A0, 0x25A0),  # ■
    (0x25B2, 0x25B2),  # ▲
    (0x25C6, 0x25C7),  # ◆ ◇
    (0x25CF, 0x25CF),  # ●
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms (vertical brackets)
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)


def gb2312_chars() -> set[str]:
    """Every character Python's gb2312 codec decodes from a two-byte code."""
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def range_chars(ranges: Iterable[tuple[int, int]] = EXTRA_RANGES) -> set[str]:
    return {chr(cp) for first, last in ranges for cp in range(first, last + 1)}


def is_printable(ch: str) -> bool:
    """False for controls, format characters, unassigned and private-use code points."""
    return unicodedata.category(ch) not in {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}


def text_sources(root: Path, extra_dirs: Iterable[Path] = ()) -> list[Path]:
    """The edition files whose characters must all be in the shipped faces.

    report.yaml files at the root, under editions/ and examples/, and the source
    texts under content/ (and ``extra_dirs``) from which editions are drafted.
    """
    files = sorted(root.glob("*.yaml"))
    for sub in ("editions", "examples"):
        if (root / sub).is_dir():
            files += sorted((root / sub).rglob("*.yaml"))
    if (root / "content").is_dir():
        files += sorted((root / "content").rglob("*.txt"))
    for d in extra_dirs:
        if d.is_dir():
            files += sorted(d.glob("*.txt"))
    return files


@dataclass(frozen=True)
class Repertoire:
    chars: frozenset[str]
    sources: tuple[str, ...]  # files whose characters were added, for the lock

    @property
    def sha256(self) -> str:
        data = "".join(sorted(self.chars)).encode("utf-8")
        return hashlib.sha256(data).hexdigest()


def build_repertoire(root: Path, extra_dirs: Iterable[Path] = ()) -> Repertoire:
    chars = gb2312_chars() | range_chars()
    used: list[str] = []
    for path in text_sources(root, extra_dirs):
        text = path.read_text(encoding="utf-8", errors="replace")
        chars |= {ch for ch in text if is_printable(ch) and ch != "\ufffd"}
        try:
            used.append(str(path.relative_to(root)))
        except ValueError:
            used.append(str(path))
    chars = {ch for ch in chars if is_printable(ch) or ch == " "}
    return Repertoire(frozenset(chars), tuple(used))
