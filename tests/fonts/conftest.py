"""Fixtures for the font tests: the shipped registry and a small fake report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from report_builder.definition.model import (
    ArticleBlock,
    Edition,
    FontDecl,
    Grid,
    HeadlineBlock,
    Page,
    Paper,
    Paragraph,
    Placement,
    Report,
    Style,
    Text,
)
from report_builder.errors import SourcePos
from report_builder.fonts.registry import FontRegistry

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets" / "fonts"
NOTO = Path("/usr/share/fonts/opentype/noto")


def pos(line: int, col: int) -> SourcePos:
    return SourcePos("report.yaml", line, col)


@pytest.fixture(scope="session")
def shipped() -> FontRegistry:
    reg = FontRegistry.shipped()
    assert not reg.diagnostics, reg.diagnostics
    return reg


STYLES = {
    "body": Style("body", font="song", emphasis="strong", pos=pos(3, 5)),
    "strong": Style("strong", font="hei", weight="bold", pos=pos(4, 5)),
    "headline": Style("headline", font="hei", weight="bold", size=36, pos=pos(5, 5)),
    "kicker": Style("kicker", font="kai", pos=pos(6, 5)),
    "deck": Style("deck", font="fangsong", pos=pos(7, 5)),
    "subhead": Style("subhead", font="hei", pos=pos(8, 5)),
    "folio": Style("folio", font="hei", pos=pos(9, 5)),
}


@pytest.fixture
def make_report(tmp_path: Path) -> Callable[..., Report]:
    """A one-page report whose article has the given paragraphs (text, line)."""

    def make(
        paragraphs: list[tuple[str, int]],
        *,
        headline: str = "奋进新征程",
        fonts: tuple[FontDecl, ...] = (),
        styles: dict[str, Style] | None = None,
    ) -> Report:
        article = ArticleBlock(
            id="a1",
            at=Placement(0, 4, 10, 20),
            pos=pos(30, 5),
            paragraphs=tuple(
                Paragraph(Text(t, pos(line, 9)), pos=pos(line, 7)) for t, line in paragraphs
            ),
        )
        head = HeadlineBlock(
            id="h1",
            at=Placement(0, 8, 0, 6),
            pos=pos(20, 5),
            main=Text(headline, pos(21, 11)),
            kicker=Text("湖南工会这五年", pos(22, 13)),
        )
        return Report(
            source=tmp_path / "report.yaml",
            base_dir=tmp_path,
            edition=Edition("test", "测试", publication="工人日报", pos=pos(1, 1)),
            paper=Paper(1000, 1400, 40, 40, 40, 40),
            grid=Grid(8, 100, 10, 12, 100),
            styles=dict(STYLES if styles is None else styles),
            pages=(Page(1, "专版", (head, article), pos=pos(15, 3)),),
            fonts=fonts,
        )

    return make
