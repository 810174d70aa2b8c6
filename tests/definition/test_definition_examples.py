"""The two example reports load, and load into the values the format promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from definition_helpers import COMPLETE, MINIMAL, complete_text, minimal_text

from report_builder.definition import load_report, load_report_text
from report_builder.definition.model import (
    ArticleBlock,
    BoxBlock,
    FigureBlock,
    FlagBlock,
    HeadlineBlock,
    RuleBlock,
)
from report_builder.definition.styles import DEFAULT_STYLES
from report_builder.units import MM

ROOT = Path(__file__).resolve().parents[2]


def test_minimal_example_uses_newspaper_defaults() -> None:
    report = load_report(MINIMAL)
    assert report.edition.id == "minimal"
    assert report.edition.language == "zh-Hans"
    assert report.paper.width == pytest.approx(390 * MM)
    assert report.paper.height == pytest.approx(550 * MM)
    assert report.type_area_width == pytest.approx(350 * MM)
    assert report.type_area_height == pytest.approx(490 * MM)
    # 8 columns of 13 小五 characters; the gutter takes the rest of the 350 mm
    assert report.grid.columns == 8
    assert report.grid.column_width == pytest.approx(117.0)
    assert report.grid.gutter == pytest.approx((350 * MM - 8 * 117) / 7, abs=1e-4)
    assert report.grid.line_pitch == pytest.approx(13.5)
    assert report.grid.lines == 102  # floor(490 mm / 13.5 pt)
    page = report.pages[0]
    assert page.number == 1  # number defaults to index + 1
    (article,) = page.blocks
    assert isinstance(article, ArticleBlock)
    assert article.id == "pages[0].blocks[0]"  # a block without id: is named by its place
    assert (article.at.column, article.at.span, article.at.line, article.at.lines) == (0, 4, 0, 30)
    assert article.columns == 4  # defaults to the span
    assert [p.text.text for p in article.paragraphs] == [
        "劳动成就梦想，奋斗铸就辉煌。",
        "五年来，湖南各级工会勇于担当作为、坚持守正创新，各项工作取得重要进展和新成效。",
    ]
    # every built-in style is there although the file defines none
    assert set(DEFAULT_STYLES) <= set(report.styles)
    assert report.styles["body"].size == 9.0 and report.styles["body"].font == "song"
    assert report.styles["headline"].font == "hei" and report.styles["headline"].weight == "bold"


def test_complete_example_loads_every_block_type() -> None:
    report = load_report(COMPLETE)
    assert report.edition.date == "2023-08-01"
    assert report.output.marks == ("crop", "registration")
    assert report.output.ink_limit == pytest.approx(2.4)
    page = report.pages[0]
    assert page.number == 5 and page.name == "这五年"
    assert page.folio.page_name == "专版"
    kinds = [type(b) for b in page.blocks]
    assert kinds == [
        FlagBlock,
        HeadlineBlock,
        RuleBlock,
        ArticleBlock,
        FigureBlock,
        BoxBlock,
        RuleBlock,
        ArticleBlock,
    ]
    flag, head, rule, lead, photo, box, _, sixiang = page.blocks
    assert flag.vertical and flag.fill == (0.0, 1.0, 1.0, 0.0)
    assert head.main.text == "湖南工会这5年"
    assert head.deck is not None and head.deck.text.startswith("——庆祝")
    assert rule.width == 1.0 and rule.color == (0.0, 1.0, 1.0, 0.0)
    assert lead.columns == 4 and lead.at.span == 5
    assert [p.kind for p in lead.paragraphs] == ["lead", "body", "subhead", "body", "body"]
    assert lead.paragraphs[2].editorial
    assert photo.image == COMPLETE.parent / "images" / "p5-forum.jpg"
    assert photo.focus == (0.5, 0.4) and photo.caption_lines == 3
    assert box.fill == (0.0, 0.0, 0.0, 0.08)
    (inner,) = box.children
    assert isinstance(inner, ArticleBlock) and inner.columns == 2
    assert "**2.7万家**" in inner.paragraphs[-1].text.text  # emphasis left for layout
    assert sixiang.title is not None
    assert sixiang.title.text == "以宣传“赋能”\n让职工思想政治引领更“鲜活”"
    assert [p.kind for p in sixiang.paragraphs] == ["body", "body", "item"]
    # lines of a paragraph are joined without a space in Chinese…
    assert "守正创新，着力打造" in sixiang.paragraphs[0].text.text
    # …and with one between Latin words or digits
    assert "顶天立地。”2023 年" in sixiang.paragraphs[1].text.text


def test_style_overrides_and_inheritance_in_complete_example() -> None:
    styles = load_report(COMPLETE).styles
    assert styles["lead"].font == "kai" and styles["lead"].size == 10.5
    assert styles["lead"].indent == 2.0  # inherited from body
    assert styles["headline"].size == 42.0 and styles["headline"].pitch == 48.0
    assert styles["headline"].font == "hei"  # built-in value kept under the override
    assert styles["flag"].color == (0.0, 0.0, 0.0, 0.0)
    assert styles["number-item"].hanging == 1.0 and styles["number-item"].font == "hei"
    assert styles["red-subhead"].color == (0.0, 1.0, 1.0, 0.0)


def test_paragraph_positions_point_into_the_block_scalar() -> None:
    report = load_report(COMPLETE)
    sixiang = report.pages[0].blocks[-1]
    lines = COMPLETE.read_text(encoding="utf-8").splitlines()
    for para in sixiang.paragraphs:
        pos = para.text.pos
        src_line = lines[pos.line - 1]
        assert src_line[pos.column - 1 :].startswith(para.text.text[:8])


def test_documentation_shows_the_complete_example_verbatim() -> None:
    doc = (ROOT / "docs" / "report-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    assert complete_text() in blocks
    assert minimal_text() in blocks


def test_documented_defaults_match_the_code() -> None:
    doc = (ROOT / "docs" / "report-format.md").read_text(encoding="utf-8")
    for name in DEFAULT_STYLES:
        assert f"`{name}`" in doc, name


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert load_report(path).edition.id == "minimal"
    assert load_report_text("\ufeff" + MINIMAL.read_text("utf-8"), path).edition.id == "minimal"
