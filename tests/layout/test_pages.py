"""Small pages built through the whole pipeline and checked from the PDF (pdfplumber).

Every expectation is computed from the report.yaml numbers (margins, column
width, gutter, pitch) in ``layout_page_helpers``, never from the layout's own
grid. Text is told apart by colour: each block's styles print in a colour of
their own, so a character that strays into a neighbour's module is caught.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from layout_page_helpers import (
    BODY,
    GUTTER,
    PITCH,
    TOL,
    Char,
    PageContent,
    Rect,
    Sheet,
    build,
    columns_of,
    ink,
    off_pitch,
    read_page,
    text_lines,
    write_report,
)
from PIL import Image

from report_builder.cli import build_pdf
from report_builder.definition import load_report
from report_builder.errors import BuildError, Severity
from report_builder.fonts.registry import FontRegistry
from report_builder.layout import layout_document

SHEET = Sheet(page_number=1)
COLW = SHEET.column_width

# Made-up text for the tests (GB 2312 only).
GREEN = (
    "城市绿化是一座城市的名片。五年来，本市坚持规划引领、建管并重，新建和改造公园一百二十座，"
    "城市绿道总长度达到八百公里，市民出门五百米见绿、一公里见园。"
)
RIVER = (
    "沿江风光带全线贯通后，每天清晨都有不少市民在江边散步健身。家住江北的李师傅说，"
    "过去这里是堆放杂物的荒滩，如今变成了花木成荫的公园，孩子们最喜欢来这里放风筝。"
)
# Han characters without marks: with no break rules in play, a 1 × 13 column holds
# exactly 13 of them a line (11 on a paragraph's first line, after the 2-em indent).
PLAIN = "绿树成荫花香四溢市民休闲健身好去处公园城市建设取得新进展" * 8


def pct(*cmyk: float) -> tuple[float, ...]:
    """A CMYK colour in percent, as report.yaml writes it, as the PDF reads it."""
    return tuple(round(c / 100, 3) for c in cmyk)


def tiny_jpeg(path: Path, size: tuple[int, int] = (96, 64)) -> Path:
    """A small generated photo: a gradient (it prints at a low ppi; the build warns)."""
    img = Image.new("RGB", size)
    img.putdata(
        [
            (x * 255 // size[0], y * 255 // size[1], 120)
            for y in range(size[1])
            for x in range(size[0])
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, quality=90)
    return path


def body_chars(page: PageContent) -> list[Char]:
    """Characters of 小五 text inside the type area (the folio sits above it)."""
    return [c for c in page.chars if c.size == BODY and c.top <= SHEET.type_top + TOL]


def line_rows(chars: list[Char]) -> list[list[Char]]:
    return text_lines(chars)


# ---------------------------------------------------------------------------
# A page with every kind of block, each in its own colour.

COLORS = {
    "head": pct(0, 100, 0, 0),
    "story": pct(0, 0, 0, 90),  # not plain black: text in a default style stands out
    "photo": pct(0, 0, 100, 0),
    "side": pct(100, 0, 0, 0),
    "shushuo": pct(60, 0, 0, 0),
    "folio": pct(0, 0, 0, 50),
}

# block id → its placement (column, span, line, lines); box children are listed apart.
MODULES = {
    "head": (1, 4, 1, 9),
    "story": (1, 3, 10, 18),
    "photo": (4, 1, 10, 12),
    "side": (4, 1, 22, 19),
    "shushuo": (1, 3, 28, 13),
}
BOX_CHILD = (1, 3, 31, 10)
BOX_PADDING = 6.0

FULL_STYLES = """
head-kicker: {inherit: kicker, color: [0, 100, 0, 0]}
head-main: {inherit: headline, color: [0, 100, 0, 0]}
head-deck: {inherit: deck, color: [0, 100, 0, 0]}
story-body: {inherit: body, color: [0, 0, 0, 90], emphasis: story-strong}
story-strong: {inherit: strong, color: [0, 0, 0, 90]}
story-lead: {inherit: lead, color: [0, 0, 0, 90]}
story-title: {inherit: title, color: [0, 0, 0, 90]}
story-byline: {inherit: byline, color: [0, 0, 0, 90]}
story-subhead: {inherit: subhead, color: [0, 0, 0, 90], space_before: 1}
story-item: {inherit: item, color: [0, 0, 0, 90]}
photo-caption: {inherit: caption, color: [0, 0, 100, 0]}
photo-credit: {inherit: credit, color: [0, 0, 100, 0]}
side-body: {inherit: body, color: [100, 0, 0, 0]}
side-title: {inherit: title, size: 四号, pitch: 20pt, color: [100, 0, 0, 0]}
box-head: {inherit: box-title, color: [60, 0, 0, 0]}
box-body: {inherit: body, color: [60, 0, 0, 0], emphasis: box-figure}
box-item: {inherit: item, color: [60, 0, 0, 0], emphasis: box-figure}
box-subhead: {inherit: subhead, color: [60, 0, 0, 0]}
box-figure: {font: hei, weight: bold, color: [60, 0, 0, 0]}
folio-grey: {inherit: folio, color: [0, 0, 0, 50]}
"""

FULL_BLOCKS = f"""
- type: headline
  id: head
  at: {{column: 1, span: 4, line: 1, lines: 9}}
  kicker: 绿色发展 共建共享
  main: 城市绿化这五年
  deck: ——本市园林绿化工作综述
  kicker_style: head-kicker
  main_style: head-main
  deck_style: head-deck
- type: rule
  id: head-rule
  at: {{column: 1, span: 4, line: 10, lines: 1}}
  edge: top
  width: 1pt
- type: article
  id: story
  at: {{column: 1, span: 3, line: 10, lines: 18}}
  columns: 3
  title: 让城市在绿色中生长
  byline: 本报记者 林青
  style: story-body
  lead_style: story-lead
  title_style: story-title
  byline_style: story-byline
  subhead_style: story-subhead
  item_style: story-item
  paragraphs:
    - lead: {GREEN}
    - {RIVER}{GREEN}
    - subhead: 公园就在家门口
    - {RIVER}**一百二十座**{GREEN}
    - item: ◆新建口袋公园三十六个，见缝插绿，让老城区也有了休闲去处。
    - {GREEN}
- type: figure
  id: photo
  at: {{column: 4, span: 1, line: 10, lines: 12}}
  image: images/photo.jpg
  caption: 江边风光带上，市民在花丛间散步。
  credit: 本报记者 林青 摄
  caption_style: photo-caption
  credit_style: photo-credit
- type: article
  id: side
  at: {{column: 4, span: 1, line: 22, lines: 19}}
  title: 绿道串起好风景
  style: side-body
  title_style: side-title
  text: |
    {RIVER}{GREEN}
- type: box
  id: shushuo
  at: {{column: 1, span: 3, line: 28, lines: 13}}
  title: 数说绿化
  title_style: box-head
  fill: [0, 0, 0, 8]
  padding: {BOX_PADDING:g}pt
  children:
    - type: article
      id: shushuo-text
      at: {{column: 1, span: 3, line: 31, lines: 10}}
      columns: 2
      column_rules: false
      style: box-body
      item_style: box-item
      subhead_style: box-subhead
      paragraphs:
        - subhead: 公园绿地
        - item: ◆五年新建和改造公园 **120座**，城市绿道 **800公里**。
        - item: ◆人均公园绿地面积由十一平方米提高到十四平方米。
        - subhead: 树木花草
        - item: ◆累计植树二百四十万株，种植花卉六十万平方米。
        - {GREEN}
"""

FULL_PAGE = """\
  - number: 1
    name: 城市
    folio: {page_name: 专版, editors: 责任编辑 林青, style: folio-grey}
"""


@pytest.fixture(scope="module")
def full_page(tmp_path_factory) -> tuple[object, PageContent]:
    folder = tmp_path_factory.mktemp("full")
    tiny_jpeg(folder / "images" / "photo.jpg", (300, 420))
    return build(folder, FULL_BLOCKS, styles=FULL_STYLES, page=FULL_PAGE)


def module_rect(block: str) -> Rect:
    return SHEET.module(*MODULES[block])


def test_full_page_builds_without_overset(full_page):
    result, page = full_page
    assert not [w for w in result.warnings if "overset" in w.message], result.warnings
    assert page.chars, "no text in the PDF"


def test_body_lines_sit_on_the_line_grid_across_columns(full_page):
    _, page = full_page
    chars = body_chars(page)
    assert len({c.color for c in chars}) >= 3  # body text of several modules
    for c in chars:
        # the 9 pt em box is centred in its grid line: (pitch − size) / 2 below the line's top
        k = SHEET.line_of(c.top)
        assert abs(k - round(k)) * PITCH <= TOL, (c, k)
        assert 1 <= round(k) <= SHEET.lines
    ref = chars[0].baseline
    for c in chars:
        assert off_pitch(c.baseline, ref) <= TOL, (c, c.baseline - ref)


def _owner(c: Char) -> str:
    """The block a character belongs to: by its colour, else by where it is (a style bug)."""
    by_color = [k for k, v in COLORS.items() if v == c.color]
    if by_color:
        return by_color[0]
    x, y = (c.x0 + c.x1) / 2, (c.bottom + c.top) / 2
    here = [k for k in MODULES if module_rect(k).contains(Rect(x, y, 0, 0), tol=0)]
    return here[0] if here else "nowhere"


def test_every_block_prints_in_its_own_styles(full_page):
    """Each block names its styles; text in a style it did not name shows up here."""
    _, page = full_page
    strays = [c for c in page.chars if c.color not in COLORS.values()]
    assert not strays, f"{page.text(strays)!r} printed in {sorted({c.color for c in strays})}"


def test_text_stays_inside_its_module(full_page):
    _, page = full_page
    box = module_rect("shushuo")
    inner = SHEET.module(*BOX_CHILD)
    inner = Rect(inner.x + BOX_PADDING, inner.y, inner.w - 2 * BOX_PADDING, inner.h)
    box_inner = Rect(box.x + BOX_PADDING, box.y, box.w - 2 * BOX_PADDING, box.h)
    for c in page.chars:
        owner = _owner(c)
        if owner == "folio":
            assert c.bottom > SHEET.type_top, c  # the folio sits above the type area
            continue
        r = box_inner if owner == "shushuo" else module_rect(owner)
        assert r.contains(ink(c)), (owner, c, r)
        if owner == "shushuo" and c.size < 14:  # the child article, not the 四号 box title
            assert inner.contains(ink(c)), (c, inner)


def test_no_text_overlaps_another_block_or_text(full_page):
    _, page = full_page
    for c in page.chars:
        owner = _owner(c)
        for name in MODULES:
            if name != owner:
                assert not module_rect(name).intersects(ink(c)), (owner, name, c)
        for img in page.images:
            assert not img.intersects(ink(c)), (c, img)
    # and no two characters print over each other
    inks = sorted(((ink(c), c) for c in page.chars), key=lambda rc: rc[0].x)
    for i, (a, ca) in enumerate(inks):
        for b, cb in inks[i + 1 :]:
            if b.x > a.right:
                break
            assert not a.intersects(b), (ca, cb)


def test_photo_fills_its_frame_above_the_caption(full_page):
    _, page = full_page
    frame = module_rect("photo")
    (img,) = page.images
    assert frame.contains(img)
    assert abs(img.x - frame.x) <= TOL and abs(img.right - frame.right) <= TOL
    # its top lines up with the em-box top of body text on line 10 next to it
    assert abs(img.top - (frame.top - (PITCH - BODY) / 2)) <= TOL
    caption = [c for c in page.chars if frame.contains(ink(c))]
    assert caption and all(ink(c).top <= img.y + TOL for c in caption)
    for c in caption:  # caption and credit lines sit on the grid lines below the photo
        k = (frame.top - c.top - (PITCH - c.size) / 2) / PITCH
        assert abs(k - round(k)) * PITCH <= TOL, (c, k)
    texts = page.text(caption)
    assert "江边风光带上" in texts and "摄" in texts


def test_figure_credit_is_set_in_its_credit_style(full_page):
    """``credit_style`` names the credit's style (docs/report-format.md, figure)."""
    _, page = full_page
    credit = [c for c in page.chars if c.text == "摄"]
    assert credit and all(c.color == COLORS["photo"] for c in credit), credit


def test_article_lead_is_set_in_its_lead_style(full_page):
    """``lead_style`` names the style of the article's 导语 paragraphs."""
    _, page = full_page
    # the lead opens the story's first column; its first characters are GREEN's
    lead = [c for c in page.chars if c.size == 10.5 and "WenKai" in c.font]  # 楷 五号
    assert page.text(lead).startswith(GREEN[:12]), page.text(lead)
    assert all(c.color == COLORS["story"] for c in lead), {c.color for c in lead}


def test_module_rules_lie_in_the_gutters(full_page):
    _, page = full_page
    story = module_rect("story")
    vertical = [ln for ln in page.lines if ln.w < 0.01]
    for k in (1, 2):  # between the story's three columns
        x = story.x + k * (COLW + GUTTER) - GUTTER / 2
        assert any(abs(ln.x - x) <= TOL for ln in vertical), (x, vertical)
    head_rule = SHEET.module(1, 4, 10, 1)
    assert any(
        abs(ln.y - head_rule.top) <= TOL and abs(ln.x - head_rule.x) <= TOL and ln.h < 0.01
        for ln in page.lines
    ), page.lines
    for ln in page.lines:  # no rule runs through text
        for c in page.chars:
            r = ink(c)
            across = r.x + TOL < ln.x + ln.w and ln.x < r.right - TOL
            down = r.y + TOL < ln.top and ln.y < r.top - TOL
            assert not (across and down), (ln, c)


# ---------------------------------------------------------------------------
# Balanced columns


@pytest.mark.parametrize("paragraphs", [1, 2, 3, 5])
def test_balanced_columns_differ_by_at_most_one_line(tmp_path, paragraphs):
    text = "\n\n".join(([GREEN, RIVER] * 3)[:paragraphs])
    blocks = f"""
    - type: article
      id: a
      at: {{column: 1, span: 3, line: 1, lines: 30}}
      text: |
        {text.replace(chr(10), chr(10) + " " * 8)}
    """
    _, page = build(tmp_path, blocks)
    r = SHEET.module(1, 3, 1, 30)
    cols = columns_of(line_rows(body_chars(page)), [r.x + k * (COLW + GUTTER) for k in range(3)])
    heights = [len(c) for c in cols]
    assert sum(heights) >= paragraphs * 3
    assert max(heights) - min(heights) <= 1, heights
    assert heights == sorted(heights, reverse=True), heights  # the short column is the last
    # every column starts on line 1
    for col in cols:
        if col:
            assert round(SHEET.line_of(col[0][0].top)) == 1


def test_unbalanced_article_fills_columns_in_order(tmp_path):
    blocks = f"""
    - type: article
      id: a
      at: {{column: 1, span: 3, line: 1, lines: 8}}
      balance: false
      text: |
        {GREEN}{RIVER}{GREEN}
    """
    _, page = build(tmp_path, blocks)
    r = SHEET.module(1, 3, 1, 8)
    cols = columns_of(line_rows(body_chars(page)), [r.x + k * (COLW + GUTTER) for k in range(3)])
    heights = [len(c) for c in cols]
    assert heights[0] == 8 and heights[1] == 8 and 0 < heights[2] < 8, heights


# ---------------------------------------------------------------------------
# Overset and copyfit

OVERSET_BLOCK = """
- type: article
  id: short
  at: {{column: 2, span: 1, line: 3, lines: {lines}}}
  text: {text}
"""


def test_overset_is_reported_with_the_right_count(tmp_path):
    # 11 + 13 × 6 + 7 = 96 characters: exactly 8 lines in a 13-character column
    text = PLAIN[:96]
    path = write_report(tmp_path, OVERSET_BLOCK.format(lines=5, text=text))
    result = build_pdf(path, tmp_path / "out")
    oversets = [w for w in result.warnings if "overset" in w.message]
    assert len(oversets) == 1, result.warnings
    d = oversets[0]
    assert d.severity is Severity.WARNING
    assert "'short'" in d.message and "3 line(s)" in d.message, d.message
    assert "33 character(s)" in d.message, d.message  # 13 + 13 + 7
    block_line = path.read_text(encoding="utf-8").splitlines().index("      - type: article") + 1
    assert d.pos.file == str(path) and d.pos.line == block_line, (d.format(), block_line)

    report = load_report(path)
    doc = layout_document(
        report, FontRegistry.for_report(report, cache_dir=tmp_path / "out" / ".cache" / "fonts")
    )
    (over,) = doc.overset
    assert (over.block, over.page, over.lines, over.chars) == ("short", 1, 3, 33)

    page = read_page(result.pdf)
    rows = line_rows(body_chars(page))
    assert len(rows) == 5
    assert page.text(body_chars(page)) == text[:63]  # what fits is printed, in order
    module = SHEET.module(2, 1, 3, 5)
    assert all(module.contains(ink(c)) for c in body_chars(page))
    # the overset mark (a magenta box) sits at the module's foot
    marks = [r for r, stroke in page.rects if stroke == pct(0, 100, 0, 0)]
    assert marks and all(module.contains(m, tol=1.0) for m in marks), page.rects


def test_strict_build_fails_on_overset_and_writes_no_pdf(tmp_path):
    path = write_report(tmp_path, OVERSET_BLOCK.format(lines=5, text=PLAIN[:96]))
    with pytest.raises(BuildError) as err:
        build_pdf(path, tmp_path / "out", strict=True)
    assert any("overset" in d.message for d in err.value.diagnostics)
    assert not list((tmp_path / "out").glob("*.pdf"))


COPYFIT_BLOCK = """
- type: article
  id: fit
  at: {{column: 1, span: 2, line: 1, lines: 20}}
  columns: 2
  style: {style}
  copyfit: {copyfit}
  text: |
    {text}
"""
COPYFIT_STYLES = "tight: {inherit: body, copyfit: {tracking_min: -0.1, tracking_max: 0}}\n"


def _copyfit_text() -> str:
    """Four paragraphs that need 43 lines of a 13-character column: 3 more than 2 × 20."""
    para = PLAIN[: 11 + 13 * 9 + 6]  # 11 lines a paragraph, the last one short
    return "\n\n    ".join([para] * 3 + [PLAIN[: 11 + 13 * 8 + 6]])


def test_copyfit_makes_a_three_line_overset_fit(tmp_path):
    text = _copyfit_text()
    # without copyfit: three lines do not fit
    path = write_report(
        tmp_path / "plain",
        COPYFIT_BLOCK.format(style="tight", copyfit="false", text=text),
        styles=COPYFIT_STYLES,
    )
    plain = build_pdf(path, tmp_path / "plain" / "out")
    (over,) = [w for w in plain.warnings if "overset" in w.message]
    assert "3 line(s)" in over.message, over.message

    path = write_report(
        tmp_path / "fit",
        COPYFIT_BLOCK.format(style="tight", copyfit="true", text=text),
        styles=COPYFIT_STYLES,
    )
    result = build_pdf(path, tmp_path / "fit" / "out")
    assert not [w for w in result.warnings if "overset" in w.message], result.warnings
    notes = [w for w in result.warnings if "copyfit" in w.message]
    assert len(notes) == 1 and "'fit'" in notes[0].message, result.warnings

    page = read_page(result.pdf)
    chars = body_chars(page)
    assert page.text(chars) == text.replace("\n\n    ", "")  # all of it printed
    module = SHEET.module(1, 2, 1, 20)
    colw = (module.w - GUTTER) / 2
    lefts = [module.x, module.x + colw + GUTTER]
    cols = columns_of(line_rows(chars), lefts)
    assert all(len(c) <= 20 for c in cols) and sum(len(c) for c in cols) <= 40
    rows = [row for col in cols for row in col]  # in reading order
    edges = [(lefts[k], lefts[k] + colw) for k, col in enumerate(cols) for _ in col]
    starts = [ink(row[0]).x - left for row, (left, _) in zip(rows, edges, strict=True)]
    ends = 0
    for i, (row, (_, right)) in enumerate(zip(rows, edges, strict=True)):
        assert module.contains(ink(row[0])) and module.contains(ink(row[-1]))
        # every line starts at its column's left edge, or 2 em in when it opens a paragraph …
        assert abs(starts[i]) <= TOL or abs(starts[i] - 2 * BODY) <= TOL, (i, page.text(row))
        # … and fills the column to its right edge, unless it ends a paragraph
        last_of_paragraph = i + 1 == len(rows) or abs(starts[i + 1] - 2 * BODY) <= TOL
        if last_of_paragraph:
            ends += 1
        else:
            assert abs(ink(row[-1]).right - right) <= TOL, (i, page.text(row))
    assert ends == 4  # the four paragraphs, each ending once
    # characters are set closer than the 9 pt body: the fit came from tracking
    assert max(len(row) for row in line_rows(chars)) > 13


def test_copyfit_without_bounds_leaves_the_overset(tmp_path):
    path = write_report(
        tmp_path, COPYFIT_BLOCK.format(style="body", copyfit="true", text=_copyfit_text())
    )
    result = build_pdf(path, tmp_path / "out")
    assert [w for w in result.warnings if "overset" in w.message and "3 line(s)" in w.message]


# ---------------------------------------------------------------------------
# Placement errors: reported with file:line:column, nothing drawn

ERROR_CASES = {
    "outside-type-area": (
        f"""
        - type: article
          id: wide
          at: {{column: 3, span: 3, line: 1, lines: 10}}
          text: {GREEN}
        """,
        "at: {column: 3",
    ),
    "overlap": (
        f"""
        - type: article
          id: one
          at: {{column: 1, span: 2, line: 1, lines: 10}}
          text: {GREEN}
        - type: article
          id: two
          at: {{column: 2, span: 2, line: 5, lines: 10}}
          text: {RIVER}
        """,
        "at: {column: 2",
    ),
    "image-missing": (
        """
        - type: figure
          id: pic
          at: {column: 1, span: 2, line: 1, lines: 10}
          image: images/missing.jpg
          caption: 图说
        """,
        "image: images/missing.jpg",
    ),
    "below-the-last-line": (
        f"""
        - type: article
          id: deep
          at: {{column: 1, span: 1, line: 35, lines: 10}}
          text: {GREEN}
        """,
        "at: {column: 1",
    ),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_placement_errors_point_at_the_field_and_draw_nothing(tmp_path, case):
    blocks, needle = ERROR_CASES[case]
    tiny_jpeg(tmp_path / "images" / "photo.jpg")
    path = write_report(tmp_path, blocks)
    source = path.read_text(encoding="utf-8").splitlines()
    line_no = next(i for i, s in enumerate(source, 1) if needle in s)
    col_min = source[line_no - 1].index(needle.split(":")[0]) + 1
    with pytest.raises(BuildError) as err:
        build_pdf(path, tmp_path / "out")
    diags = [d for d in err.value.diagnostics if d.severity is Severity.ERROR]
    assert diags
    for d in diags:
        text = d.format()
        assert text.startswith(f"{path}:{line_no}:"), (text, line_no)
        assert d.pos.column >= col_min, text
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


# ---------------------------------------------------------------------------
# 破栏 and headline height


def test_broken_grid_gives_equal_columns_filling_the_span(tmp_path):
    blocks = f"""
    - type: article
      id: pola
      at: {{column: 2, span: 3, line: 2, lines: 12}}
      columns: 2
      text: |
        {GREEN}{RIVER}{GREEN}{RIVER}
    """
    _, page = build(tmp_path, blocks)
    span = SHEET.module(2, 3, 2, 12)
    width = (span.w - GUTTER) / 2  # two equal columns, one gutter between them
    assert width > COLW * 1.4
    lefts = [span.x, span.x + width + GUTTER]
    chars = body_chars(page)
    cols = columns_of(line_rows(chars), lefts)
    assert all(len(c) >= 3 for c in cols), [len(c) for c in cols]
    for k, col in enumerate(cols):
        for row in col[:-1]:  # full lines, justified: edge to edge of the module's column
            assert abs(ink(row[-1]).right - (lefts[k] + width)) <= TOL, (k, page.text(row))
            assert ink(row[0]).x >= lefts[k] - TOL
    assert abs(max(ink(c).right for c in chars) - span.right) <= TOL
    assert abs(min(ink(c).x for c in chars) - span.x) <= TOL
    rule_x = span.x + width + GUTTER / 2  # the column rule between the two
    assert any(abs(ln.x - rule_x) <= TOL and ln.w < 0.01 for ln in page.lines), page.lines


def test_text_below_a_headline_stays_on_the_grid(tmp_path):
    # kicker 24 + main 48 + deck 22 + gaps: 108.5 pt, not a whole number of 13.5-pt lines
    blocks = f"""
    - type: headline
      id: head
      at: {{column: 1, span: 3, line: 1, lines: 9}}
      kicker: 绿色发展 共建共享
      main: 城市绿化这五年
      deck: ——本市园林绿化工作综述
    - type: article
      id: below
      at: {{column: 1, span: 3, line: 10, lines: 10}}
      columns: 3
      text: |
        {GREEN}{RIVER}
    - type: article
      id: beside
      at: {{column: 4, span: 1, line: 1, lines: 19}}
      text: |
        {RIVER}{GREEN}
    """
    _, page = build(tmp_path, blocks)
    head = SHEET.module(1, 3, 1, 9)
    big = [c for c in page.chars if c.size > BODY]
    assert {c.size for c in big} >= {18.0, 42.0, 16.0}
    assert all(head.contains(ink(c)) for c in big)
    below = SHEET.module(1, 3, 10, 10)
    beside = SHEET.module(4, 1, 1, 19)
    under = [c for c in body_chars(page) if below.contains(ink(c))]
    side = [c for c in body_chars(page) if beside.contains(ink(c))]
    assert under and side and len(under) + len(side) == len(body_chars(page))
    assert max(c.top for c in under) == pytest.approx(
        SHEET.type_top - 9 * PITCH - (PITCH - BODY) / 2, abs=TOL
    )
    for c in under:
        assert off_pitch(c.baseline, side[0].baseline) <= TOL, c


def test_a_headline_too_tall_for_its_module_is_reported(tmp_path):
    """初号 on a 48-pt pitch does not fit a 2-line (27 pt) module: it must not spill silently."""
    blocks = f"""
    - type: headline
      id: tall
      at: {{column: 1, span: 4, line: 1, lines: 2}}
      main: 城市绿化这五年
    - type: article
      id: under
      at: {{column: 1, span: 4, line: 3, lines: 10}}
      columns: 4
      text: {GREEN}
    """
    path = write_report(tmp_path, blocks)
    try:
        result = build_pdf(path, tmp_path / "out")
    except BuildError as err:  # refusing the page is as good as warning about it
        assert any("tall" in d.format() for d in err.diagnostics), err
        return
    reported = [w for w in result.warnings if "'tall'" in w.message or "tall" in w.path]
    page = read_page(result.pdf)
    head = SHEET.module(1, 4, 1, 2)
    spilled = [c for c in page.chars if c.size == 42.0 and not head.contains(ink(c))]
    assert reported or not spilled, (
        f"headline 'tall' prints {len(spilled)} characters outside its module "
        f"({head}) and the build says nothing: {[w.format() for w in result.warnings]}"
    )


def test_left_hand_page_flag_and_folio(tmp_path):
    """An even page has its outside margin on the left; the flag and folio keep to their places."""
    blocks = f"""
    - type: flag
      id: flag
      at: {{column: 1, span: 1, line: 1, lines: 12}}
      text: 这五年
      vertical: true
      fill: [0, 100, 100, 0]
    - type: article
      id: a
      at: {{column: 2, span: 3, line: 1, lines: 12}}
      columns: 3
      text: |
        {GREEN}{RIVER}
    """
    page_yaml = (
        "  - number: 2\n    name: 绿化\n    folio: {page_name: 专版, editors: 责任编辑 林青}\n"
    )
    _, page = build(tmp_path, blocks, page=page_yaml)
    sheet = Sheet(page_number=2)
    flag = sheet.module(1, 1, 1, 12)
    big = [c for c in page.chars if c.size > 30]
    assert page.text(big) == "这五年"
    assert all(flag.contains(ink(c)) for c in big)
    # the tint fills the flag's module exactly
    assert any(
        abs(r.x - flag.x) <= TOL and abs(r.w - flag.w) <= TOL and abs(r.top - flag.top) <= TOL
        for r, _ in page.rects
    ), page.rects
    article = sheet.module(2, 3, 1, 12)
    body = body_chars(page)
    assert body and all(article.contains(ink(c)) for c in body)
    assert abs(min(ink(c).x for c in body) - article.x) <= TOL
    folio = [c for c in page.chars if c.bottom > sheet.type_top]
    text = page.text(sorted(folio, key=lambda c: c.x0))
    assert text.startswith("第2版") and text.endswith("林青"), text  # page number outside
    assert abs(min(c.x0 for c in folio) - sheet.type_left) <= TOL


def test_a_caption_longer_than_its_reserved_lines_is_reported(tmp_path):
    """A caption that needs more than ``caption_lines`` must not print over the block below."""
    tiny_jpeg(tmp_path / "images" / "photo.jpg", (600, 400))
    blocks = f"""
    - type: figure
      id: pic
      at: {{column: 1, span: 1, line: 1, lines: 8}}
      image: images/photo.jpg
      caption_lines: 1
      caption: {GREEN}
    - type: article
      id: under
      at: {{column: 1, span: 1, line: 9, lines: 10}}
      text: {RIVER}
    """
    path = write_report(tmp_path, blocks)
    try:
        result = build_pdf(path, tmp_path / "out")
    except BuildError as err:
        assert any("pic" in d.format() for d in err.diagnostics), err
        return
    reported = [w for w in result.warnings if "pic" in w.format() and "caption" in w.message]
    page = read_page(result.pdf)
    frame = SHEET.module(1, 1, 1, 8)
    spilled = [c for c in page.chars if "WenKai" in c.font and not frame.contains(ink(c))]
    assert reported or not spilled, (
        f"the caption of 'pic' prints {len(spilled)} characters below its frame, over "
        f"article 'under', and the build says nothing: {[w.format() for w in result.warnings]}"
    )
