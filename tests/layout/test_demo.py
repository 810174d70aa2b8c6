"""The demonstration page (examples/demo) builds cleanly and uses every block type."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from layout_page_helpers import PITCH, TOL, ink, off_pitch, read_page

from report_builder.cli import build_pdf
from report_builder.definition import load_report
from report_builder.definition.model import (
    ArticleBlock,
    BoxBlock,
    FigureBlock,
    FlagBlock,
    HeadlineBlock,
    RuleBlock,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo" / "report.yaml"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return build_pdf(DEMO, out)


def _blocks(blocks):
    for b in blocks:
        yield b
        if isinstance(b, BoxBlock):
            yield from _blocks(b.children)


def test_demo_uses_every_block_type_and_feature():
    report = load_report(DEMO)
    (page,) = report.pages
    blocks = list(_blocks(page.blocks))
    kinds = {type(b) for b in blocks}
    assert kinds == {ArticleBlock, BoxBlock, FigureBlock, FlagBlock, HeadlineBlock, RuleBlock}
    (head,) = [b for b in blocks if isinstance(b, HeadlineBlock)]
    assert head.kicker and head.main and head.deck
    articles = [b for b in blocks if isinstance(b, ArticleBlock)]
    assert any(a.title and a.byline for a in articles)
    paragraph_kinds = {p.kind for a in articles for p in a.paragraphs}
    assert {"lead", "body", "subhead", "item"} <= paragraph_kinds
    assert any(a.columns != a.at.span for a in articles)  # 破栏
    fitted = [a for a in articles if a.copyfit]
    assert fitted and all(report.styles[a.style].copyfit for a in fitted)
    figures = [b for b in blocks if isinstance(b, FigureBlock)]
    assert {f.fit for f in figures} == {"fill", "fit"}
    assert all(f.caption and f.credit for f in figures)
    (box,) = [b for b in blocks if isinstance(b, BoxBlock)]
    assert box.title and box.children
    assert page.folio.show and page.folio.editors


def test_demo_builds_without_overset(demo):
    messages = [w.format() for w in demo.warnings]
    assert not [m for m in messages if "overset" in m], messages
    assert [m for m in messages if "copyfit" in m and "pocket-parks" in m], messages
    assert demo.pages == 1 and demo.pdf.is_file()


def test_demo_text_stays_in_the_type_area_on_one_line_grid(demo):
    raw = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    margins = {k: float(v.removesuffix("mm")) * MM for k, v in raw["paper"]["margins"].items()}
    width, height = 275 * MM, 390 * MM  # 四开
    page = read_page(demo.pdf)
    # page 5 is a right-hand page: the inside margin is on the left
    left, right = margins["inside"], width - margins["outside"]
    top, bottom = height - margins["top"], margins["bottom"]
    body = [c for c in page.chars if c.size == 9.0 and c.top <= top + TOL]
    assert len(body) > 2000
    for c in body:
        r = ink(c)
        assert left - TOL <= r.x and r.right <= right + TOL and bottom - TOL <= r.y, c
        assert off_pitch(c.baseline, body[0].baseline) <= TOL, c
    assert raw["grid"]["line_pitch"] == f"{PITCH:g}pt"
