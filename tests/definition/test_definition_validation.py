"""Validation of well-formed YAML: every problem at its line, column and field path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from definition_helpers import Edition, minimal_text

from report_builder.definition.model import ArticleBlock, FigureBlock
from report_builder.units import MM

# Line 5 is the first block; each block below is one line, so block k sits on line 5 + k.
HEAD = "edition: {id: t, title: 测试}\npages:\n  - number: 5\n    blocks:\n"


def doc(*blocks: str, head: str = HEAD, top: str = "") -> str:
    return top + head + "".join(f"      - {b}\n" for b in blocks)


def at(column: int, span: int, line: int, lines: int) -> str:
    return f"at: {{column: {column}, span: {span}, line: {line}, lines: {lines}}}"


def col(text: str, line: int, needle: str) -> int:
    """1-based column of ``needle`` on ``line`` (at its '^' if it has one)."""
    pre, post = needle.split("^") if "^" in needle else ("", needle)
    return text.splitlines()[line - 1].index(pre + post) + len(pre) + 1


def value_col(text: str, line: int, needle: str) -> int:
    """Column of the value of field ``@name`` on ``line`` (or of ``needle`` itself)."""
    if needle.startswith("@"):
        return col(text, line, needle[1:] + ": ^")
    return col(text, line, needle)


ARTICLE = "{type: article, " + at(1, 2, 1, 10) + ", text: 正文。}"


# ---- fields: unknown, missing, wrong type, out of range ---------------------------------


def test_misspelt_field_names_the_close_match(edition: Edition) -> None:
    text = minimal_text().replace("        title: 劳动成就梦想", "        colums: 3")
    assert edition.one(text) == (
        11,
        col(text, 11, "colums"),
        "pages[0].blocks[0]",
        "unknown field 'colums' (did you mean 'columns'?)",
    )


def test_unknown_field_without_close_match(edition: Edition) -> None:
    text = doc("{type: rule, " + at(1, 8, 1, 1) + ", zzz: 1}")
    assert edition.one(text) == (
        5,
        col(text, 5, "zzz"),
        "pages[0].blocks[0]",
        "unknown field 'zzz'",
    )


def test_unknown_top_level_field(edition: Edition) -> None:
    assert edition.one(doc(ARTICLE, top="pagez: 1\n")) == (
        1,
        1,
        "",
        "unknown field 'pagez' (did you mean 'pages'?)",
    )


@pytest.mark.parametrize(
    ("block", "col", "message"),
    [
        ("{type: figure, " + at(1, 2, 1, 10) + "}", 9, "missing required field 'image'"),
        ("{type: headline, " + at(1, 2, 1, 10) + "}", 9, "missing required field 'main'"),
        ("{type: flag, " + at(1, 1, 1, 10) + "}", 9, "missing required field 'text'"),
        ("{type: rule}", 9, "missing required field 'at' (where the block sits on the grid)"),
        (
            "{id: x, " + at(1, 1, 1, 1) + "}",
            9,
            "missing required field 'type' (one of headline, article, figure, box, rule, flag)",
        ),
        (
            "{type: article, " + at(1, 2, 1, 10) + "}",
            9,
            "an article needs its text: add text: or paragraphs:",
        ),
    ],
)
def test_missing_required_fields(edition: Edition, block: str, col: int, message: str) -> None:
    assert edition.one(doc(block)) == (5, col, "pages[0].blocks[0]", message)


def test_missing_placement_fields(edition: Edition) -> None:
    text = doc("{type: rule, at: {column: 1}}")
    c = value_col(text, 5, "@at")
    assert edition.problems(text) == [
        (5, c, "pages[0].blocks[0].at", "missing required field 'span'"),
        (5, c, "pages[0].blocks[0].at", "missing required field 'line'"),
        (5, c, "pages[0].blocks[0].at", "missing required field 'lines'"),
    ]


def test_missing_edition_and_pages(edition: Edition) -> None:
    found = edition.problems("styles: {}\n")
    assert found == [
        (1, 1, "", "missing required field 'edition' (id: and title:)"),
        (1, 1, "", "missing required field 'pages'"),
    ]


def test_missing_edition_title(edition: Edition) -> None:
    text = doc(ARTICLE, head=HEAD.replace(", title: 测试", ""))
    assert edition.one(text) == (
        1,
        value_col(text, 1, "@edition"),
        "edition",
        "missing required field 'title'",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bleed", "three", "expected a length such as 9pt or 3mm, got 'three'"),
        ("bleed", "[3mm]", "expected a length such as 9pt or 3mm, got a list"),
        ("bleed", "true", "expected a length such as 9pt or 3mm, got 'true'"),
        ("bleed", "-3mm", "must not be less than 0mm, got -3mm"),
        ("bleed", ".nan", "expected a length such as 9pt or 3mm, got '.nan'"),
        ("bleed", "1em", "em is not allowed here; expected a length such as 9pt or 3mm"),
        (
            "trim",
            "[390mm]",
            "expected [width, height] such as [390mm, 550mm], or one of 对开, "
            "broadsheet, 四开, tabloid",
        ),
    ],
)
def test_paper_values(edition: Edition, field: str, value: str, message: str) -> None:
    text = doc(ARTICLE, top=f"paper:\n  {field}: {value}\n")
    assert edition.one(text) == (2, col(text, 2, value), f"paper.{field}", message)


@pytest.mark.parametrize(
    ("style", "needle", "path", "message"),
    [
        (
            "{size: big}",
            "@size",
            "styles.x.size",
            "expected a type size such as 小五, 五号 or 9pt, got 'big'",
        ),
        ("{size: -9pt}", "@size", "styles.x.size", "must be greater than 0, got -9pt"),
        (
            "{size: 小五, align: centre}",
            "@align",
            "styles.x.align",
            "unknown alignment 'centre' "
            "(did you mean 'center'?); use one of justify, left, center, right",
        ),
        (
            "{font: songti}",
            "@font",
            "styles.x.font",
            "unknown font role 'songti' (did you mean "
            "'song'?); use one of fangsong, hei, kai, song (or declare it under fonts:)",
        ),
        (
            "{weight: heavy}",
            "@weight",
            "styles.x.weight",
            "unknown weight 'heavy'; use one of bold, regular",
        ),
        (
            "{color: [0, 0, 0]}",
            "@color",
            "styles.x.color",
            "expected a CMYK colour in percent such as [0, 0, 0, 100], got a list",
        ),
        (
            "{color: [0, 0, 0, 120]}",
            "@color",
            "styles.x.color",
            "colour values are percentages from 0 to 100, got '120'",
        ),
        (
            "{indent: two}",
            "@indent",
            "styles.x.indent",
            "expected a number of em such as 2 or 0.5em, got 'two'",
        ),
        (
            "{space_before: 1.5}",
            "@space_before",
            "styles.x.space_before",
            "expected a whole number of lines, got '1.5'",
        ),
        (
            "{emphasis: bold}",
            "@emphasis",
            "styles.x.emphasis",
            "unknown style 'bold' (did you mean 'body'?)",
        ),
        (
            "{inherit: bdy}",
            "@inherit",
            "styles.x.inherit",
            "unknown style 'bdy' (did you mean 'body'?)",
        ),
    ],
)
def test_style_values(edition: Edition, style: str, needle: str, path: str, message: str) -> None:
    text = doc(ARTICLE, top=f"styles:\n  x: {style}\n")
    assert edition.one(text) == (2, value_col(text, 2, needle), path, message)


def test_inheritance_loop(edition: Edition) -> None:
    top = "styles:\n  a: {inherit: b}\n  b: {inherit: c}\n  c: {inherit: a}\n"
    text = doc(ARTICLE, top=top)
    assert edition.one(text) == (
        2,
        value_col(text, 2, "@inherit"),
        "styles.a.inherit",
        "style inheritance loops: a → b → c → a",
    )


def test_inheritance_loop_through_a_builtin(edition: Edition) -> None:
    top = "styles:\n  body: {inherit: item}\n"  # the built-in item inherits body
    assert edition.one(doc(ARTICLE, top=top))[2:] == (
        "styles.body.inherit",
        "style inheritance loops: body → item → body",
    )


def test_inheritance_resolves_chains_and_builtins(edition: Edition) -> None:
    top = (
        "styles:\n"
        "  body: {size: 五号}\n"
        "  a: {inherit: lead, indent: 0}\n"
        "  b: {inherit: a, color: [0, 100, 100, 0], pitch: 1.5em}\n"
    )
    styles = edition.load(doc(ARTICLE, top=top)).styles
    assert styles["body"].size == 10.5 and styles["body"].emphasis == "strong"
    assert styles["item"].size == 10.5  # built-in item inherits the editor's body
    assert styles["lead"].font == "kai"
    assert styles["b"].font == "kai" and styles["b"].indent == 0.0
    assert styles["b"].color == (0.0, 1.0, 1.0, 0.0)
    assert styles["b"].pitch == pytest.approx(1.5 * 10.5)


# ---- edition, grid, output ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("edition_yaml", "needle", "path", "message"),
    [
        (
            "{id: t, title: x, date: 2023-8-1}",
            "@date",
            "edition.date",
            "expected an ISO date such as 2023-08-01, got '2023-8-1'",
        ),
        (
            "{id: t, title: x, date: 2023-02-30}",
            "@date",
            "edition.date",
            "expected an ISO date such as 2023-08-01, got '2023-02-30'",
        ),
        (
            "{id: t, title: x, date: 1 August}",
            "@date",
            "edition.date",
            "expected an ISO date such as 2023-08-01, got '1 August'",
        ),
        (
            "{id: 湖南/2023, title: x}",
            "@id",
            "edition.id",
            "'湖南/2023' cannot be an edition id: "
            "it names the PDF file, so use letters, digits, '-', '_' or '.' (e.g. "
            "hunan-unions-2023)",
        ),
        ("{id: t, title: '  '}", "@title", "edition.title", "must not be empty"),
        (
            "{id: t, title: x, language: chinese}",
            "@language",
            "edition.language",
            "expected a language tag such as zh-Hans, got 'chinese'",
        ),
    ],
)
def test_edition_values(
    edition: Edition, edition_yaml: str, needle: str, path: str, message: str
) -> None:
    text = doc(ARTICLE, head=HEAD.replace("{id: t, title: 测试}", edition_yaml))
    assert edition.one(text) == (1, value_col(text, 1, needle), path, message)


def test_yaml_date_and_numbers_as_text(edition: Edition) -> None:
    edition_yaml = "{id: 2023, title: 2023, publication: yes, date: 2023-08-01}"
    head = HEAD.replace("{id: t, title: 测试}", edition_yaml)
    report = edition.load(doc(ARTICLE, head=head))
    assert report.edition.id == "2023" and report.edition.title == "2023"
    assert report.edition.publication == "yes"  # not True: text is kept as written
    assert report.edition.date == "2023-08-01"


@pytest.mark.parametrize(
    ("grid", "needle", "path", "message"),
    [
        ("{columns: 0}", "@columns", "grid.columns", "0 is out of range: must be between 1 and 64"),
        (
            "{columns: eight}",
            "@columns",
            "grid.columns",
            "expected a number of columns, got 'eight'",
        ),
        ("{line_pitch: 0}", "@line_pitch", "grid.line_pitch", "must be greater than 0, got 0"),
        (
            "{body_style: bdy}",
            "@body_style",
            "grid.body_style",
            "unknown style 'bdy' (did you mean 'body'?)",
        ),
        (
            "{column_width: 13, gutter: 1em}",
            "column_width",
            "grid.column_width",
            "8 columns of 117.00pt "
            "with 9.00pt gutters need 999.00pt, but the type area is 992.13pt (350.0 mm) wide; "
            "narrow the columns or the gutter, or leave gutter: out to derive it",
        ),
        (
            "{lines: 200}",
            "@lines",
            "grid.lines",
            "200 lines of 13.5pt need 2700.0pt, but the type "
            "area is 1389.0pt high (at most 102 lines)",
        ),
    ],
)
def test_grid_values(edition: Edition, grid: str, needle: str, path: str, message: str) -> None:
    text = doc(ARTICLE, top=f"grid: {grid}\n")
    assert edition.one(text) == (1, value_col(text, 1, needle), path, message)


def test_grid_derivations(edition: Edition) -> None:
    top = (
        "paper: {trim: 四开, margins: 15mm}\n"
        "grid: {columns: 5, gutter: 1em, line_pitch: 1.5em}\n"
        "styles: {body: {size: 五号}}\n"
    )
    report = edition.load(doc(ARTICLE, top=top))
    assert (report.paper.width, report.paper.height) == pytest.approx((275 * MM, 390 * MM))
    assert report.paper.margin_inside == pytest.approx(15 * MM)
    width = 245 * MM
    assert report.grid.gutter == 10.5
    assert report.grid.column_width == pytest.approx((width - 4 * 10.5) / 5)
    assert report.grid.line_pitch == pytest.approx(15.75)
    assert report.grid.lines == int(360 * MM // 15.75)


def test_column_width_as_a_length_derives_the_gutter(edition: Edition) -> None:
    report = edition.load(doc(ARTICLE, top="grid: {columns: 8, column_width: 40mm}\n"))
    assert report.grid.column_width == pytest.approx(40 * MM)
    assert report.grid.gutter == pytest.approx(30 * MM / 7, abs=1e-5)


def test_margins_leave_no_type_area(edition: Edition) -> None:
    text = doc(ARTICLE, top="paper: {margins: {top: 300mm, bottom: 300mm}}\n")
    assert edition.one(text) == (
        1,
        9,
        "paper.margins",
        "the margins leave a type area of 350.0 × -50.0 mm; it must be at least 20 × 20 mm",
    )


@pytest.mark.parametrize(
    ("output", "needle", "path", "message"),
    [
        (
            "{standard: pdf/x-3}",
            "@standard",
            "output.standard",
            "unknown standard 'pdf/x-3' (did you "
            "mean 'pdf/x-4'?); use one of pdf/x-4, pdf/x-1a, none",
        ),
        (
            "{marks: [crop, bleed]}",
            "@marks",
            "output.marks",
            "unknown mark 'bleed'; use one of crop, registration, colour-bars, color-bars",
        ),
        (
            "{ink_limit: 500%}",
            "@ink_limit",
            "output.ink_limit",
            "500% is out of range: must be between 100% and 400%",
        ),
        (
            "{image_ppi: 150}",
            "{",
            "output.min_image_ppi",
            "min_image_ppi (200) is above image_ppi (150)",
        ),
        (
            "{icc_profile: profiles/x.icc}",
            "@icc_profile",
            "output.icc_profile",
            "ICC profile file not "
            "found: profiles/x.icc (the folder profiles does not exist either)",
        ),
    ],
)
def test_output_values(edition: Edition, output: str, needle: str, path: str, message: str) -> None:
    text = doc(ARTICLE, top=f"output: {output}\n")
    assert edition.one(text) == (1, value_col(text, 1, needle), path, message)


def test_output_values_are_converted(edition: Edition) -> None:
    top = "output: {marks: [crop, color-bars], ink_limit: 220%, min_text_size: 六号}\n"
    out = edition.load(doc(ARTICLE, top=top)).output
    assert out.marks == ("crop", "colour-bars")
    assert out.ink_limit == pytest.approx(2.2)
    assert out.min_text_size == 7.5


# ---- blocks --------------------------------------------------------------------------------


def test_unknown_block_type(edition: Edition) -> None:
    text = doc("{type: artcle, " + at(1, 1, 1, 1) + "}")
    assert edition.one(text) == (
        5,
        value_col(text, 5, "@type"),
        "pages[0].blocks[0].type",
        "unknown block type 'artcle' (did you mean 'article'?); use one of headline, article, "
        "figure, box, rule, flag",
    )


@pytest.mark.parametrize(
    ("block", "needle", "path", "message"),
    [
        (
            "{type: rule, " + at(0, 1, 1, 1) + "}",
            "@column",
            "pages[0].blocks[0].at.column",
            "0 is out of range: must be between 1 and 999",
        ),
        (
            "{type: rule, " + at(1, 0, 1, 1) + "}",
            "@span",
            "pages[0].blocks[0].at.span",
            "0 is out of range: must be between 1 and 999",
        ),
        (
            "{type: rule, " + at(1, 1, 1, 1) + ", width: -1pt}",
            "@width",
            "pages[0].blocks[0].width",
            "must be greater than 0, got -1pt",
        ),
        (
            "{type: rule, " + at(1, 1, 1, 1) + ", edge: middle}",
            "@edge",
            "pages[0].blocks[0].edge",
            "unknown edge 'middle'; use one of top, bottom, left, right",
        ),
        (
            "{type: flag, " + at(1, 1, 1, 1) + ", text: x, vertical: yes please}",
            "@vertical",
            "pages[0].blocks[0].vertical",
            "expected true or false, got 'yes please'",
        ),
        (
            "{type: article, " + at(1, 2, 1, 10) + ", text: x, columns: 0}",
            "@columns",
            "pages[0].blocks[0].columns",
            "0 is out of range: must be between 1 and 4",
        ),
        (
            "{type: article, " + at(1, 2, 1, 10) + ", text: '**2.7万'}",
            "**",
            "pages[0].blocks[0].text",
            "unbalanced ** emphasis marker: every **bold** needs an opening and a closing **",
        ),
        (
            "{type: article, " + at(1, 2, 1, 10) + ", text: x, paragraphs: [y]}",
            "paragraphs",
            "pages[0].blocks[0]",
            "use either text: or paragraphs: in one article, not both",
        ),
        (
            "{type: article, " + at(1, 2, 1, 10) + ", text: '  '}",
            "@text",
            "pages[0].blocks[0]",
            "the article is empty: give it some text or remove the block",
        ),
        (
            "{type: article, " + at(1, 2, 1, 10) + ", paragraphs: [{subhead: a, item: b}]}",
            "{subhead",
            "pages[0].blocks[0].paragraphs[0]",
            "a paragraph needs exactly one of body:, "
            "subhead:, item: or lead: (found subhead, item)",
        ),
        (
            "{type: figure, " + at(1, 2, 1, 10) + ", image: images/p5-forum.jpg, focus: [2, 0]}",
            "@focus",
            "pages[0].blocks[0].focus",
            "2 is out of range: must be between 0 and 1",
        ),
        (
            "{type: figure, " + at(1, 2, 1, 10) + ", image: images/p5-forum.jpg, fit: crop}",
            "@fit",
            "pages[0].blocks[0].fit",
            "unknown fit 'crop'; use one of fill, fit",
        ),
        (
            "{type: box, " + at(1, 2, 1, 10) + ", children: x}",
            "@children",
            "pages[0].blocks[0].children",
            "expected a list of blocks",
        ),
        (
            "{type: headline, " + at(1, 2, 1, 10) + ", main: x, align: justify}",
            "@align",
            "pages[0].blocks[0].align",
            "unknown alignment 'justify'; use one of center, left, right",
        ),
    ],
)
def test_block_values(edition: Edition, block: str, needle: str, path: str, message: str) -> None:
    text = doc(block)
    assert edition.one(text) == (5, value_col(text, 5, needle), path, message)


def test_unbalanced_emphasis_points_at_the_paragraph(edition: Edition) -> None:
    text = minimal_text().replace("奋斗铸就辉煌。", "**奋斗铸就辉煌。")
    assert edition.one(text) == (
        13,
        11,  # the paragraph inside the text: | block
        "pages[0].blocks[0].text",
        "unbalanced ** emphasis marker: every **bold** needs an opening and a closing **",
    )


def test_paragraph_kinds(edition: Edition) -> None:
    block = (
        "{type: article, " + at(1, 2, 1, 10) + ", paragraphs: [普通段落, {subhead: 思想引领, "
        "editorial: true}, {item: ◆五年来, style: lead}, {lead: 导语}, {body: 正文}]}"
    )
    (article,) = edition.load(doc(block)).pages[0].blocks
    assert isinstance(article, ArticleBlock)
    got = [(p.kind, p.text.text, p.style, p.editorial) for p in article.paragraphs]
    assert got == [
        ("body", "普通段落", None, False),
        ("subhead", "思想引领", None, True),
        ("item", "◆五年来", "lead", False),
        ("lead", "导语", None, False),
        ("body", "正文", None, False),
    ]


def test_text_items_and_line_joining(edition: Edition) -> None:
    text = minimal_text().replace(
        "          劳动成就梦想，奋斗铸就辉煌。\n",
        "          ◆全省技能人才总量达560万人，\n          其中高技能人才超 155万人。\n"
        "\n          Made in\n          Hunan 2023\n",
    )
    (article,) = edition.load(text).pages[0].blocks
    assert isinstance(article, ArticleBlock)
    assert [(p.kind, p.text.text) for p in article.paragraphs[:2]] == [
        ("item", "◆全省技能人才总量达560万人，其中高技能人才超 155万人。"),
        ("body", "Made in Hunan 2023"),
    ]
    assert article.paragraphs[1].pos.line == 16


def test_style_references_are_checked(edition: Edition) -> None:
    blocks = (
        "{type: article, " + at(1, 2, 1, 10) + ", text: x, style: bodyy}",
        "{type: article, " + at(3, 2, 1, 10) + ", paragraphs: [{body: x, style: nope}]}",
        "{type: headline, " + at(5, 2, 1, 10) + ", main: x, deck_style: dek}",
    )
    head = HEAD.replace("  - number: 5\n", "  - number: 5\n    folio: {style: folo}\n")
    text = doc(*blocks, head=head)
    assert edition.problems(text) == [
        (
            4,
            value_col(text, 4, "@style"),
            "pages[0].folio.style",
            "unknown style 'folo' (did you mean 'folio'?)",
        ),
        (
            6,
            value_col(text, 6, "@style"),
            "pages[0].blocks[0].style",
            "unknown style 'bodyy' (did you mean 'body'?)",
        ),
        (
            7,
            value_col(text, 7, "@style"),
            "pages[0].blocks[1].paragraphs[0].style",
            "unknown style 'nope'",
        ),
        (
            8,
            value_col(text, 8, "@deck_style"),
            "pages[0].blocks[2].deck_style",
            "unknown style 'dek' (did you mean 'deck'?)",
        ),
    ]


def test_duplicate_ids_across_pages_and_boxes(edition: Edition) -> None:
    text = (
        doc(
            "{type: rule, id: a, " + at(1, 8, 1, 1) + "}",
            "{type: box, id: b, "
            + at(1, 4, 2, 20)
            + ", children: [{type: rule, id: a, "
            + at(1, 1, 2, 1)
            + "}]}",
        )
        + "  - blocks:\n      - {type: rule, id: b, "
        + at(1, 1, 1, 1)
        + "}\n"
    )
    assert edition.problems(text) == [
        (
            6,
            col(text, 6, "id: ^a"),
            "pages[0].blocks[1].children[0].id",
            "duplicate id 'a': already used at line 5; block ids must be unique in the report",
        ),
        (
            8,
            col(text, 8, "id: ^b"),
            "pages[1].blocks[0].id",
            "duplicate id 'b': already used at line 6; block ids must be unique in the report",
        ),
    ]


def test_page_numbers_default_and_must_be_unique(edition: Edition) -> None:
    text = (
        "edition: {id: t, title: x}\npages:\n"
        "  - blocks: [{type: rule, " + at(1, 1, 1, 1) + "}]\n"
        "  - {number: 7, blocks: [{type: rule, " + at(1, 1, 1, 1) + "}]}\n"
        "  - blocks: [{type: rule, " + at(1, 1, 1, 1) + "}]\n"
    )
    assert [p.number for p in edition.load(text).pages] == [1, 7, 3]
    clash = text.replace("number: 7", "number: 1")
    assert edition.one(clash) == (
        4,
        value_col(clash, 4, "@number"),
        "pages[1].number",
        "page number 1 is used twice (first at line 3)",
    )
    clash = text.replace("number: 7", "number: 3")  # the third page is 3 by its place
    assert edition.one(clash) == (
        5,
        5,
        "pages[2].number",
        "this page is number 3 by its place in the list, but the page at line 4 has that "
        "number; give it a number:",
    )


# ---- geometry ------------------------------------------------------------------------------


def test_block_outside_the_type_area(edition: Edition) -> None:
    text = doc("{type: rule, " + at(6, 4, 100, 5) + "}")
    c = value_col(text, 5, "@at")
    assert edition.problems(text) == [
        (5, c, "pages[0].blocks[0].at", "the block reaches column 9, but the grid has 8 columns"),
        (5, c, "pages[0].blocks[0].at", "the block reaches line 104, but a column has 102 lines"),
    ]


def test_block_outside_an_explicit_line_count(edition: Edition) -> None:
    text = doc("{type: rule, " + at(1, 1, 40, 2) + "}", top="grid: {lines: 40}\n")
    assert edition.one(text)[2:] == (
        "pages[0].blocks[0].at",
        "the block reaches line 41, but a column has 40 lines",
    )


def test_overlapping_blocks(edition: Edition) -> None:
    text = doc(
        "{type: article, id: a, " + at(1, 3, 1, 20) + ", text: x}",
        "{type: rule, " + at(1, 8, 10, 1) + "}",  # rules may cross anything
        "{type: figure, " + at(3, 2, 15, 10) + ", image: images/p5-forum.jpg}",
        "{type: flag, " + at(5, 1, 1, 10) + ", text: 旗}",  # touches nothing: fine
    )
    assert edition.problems(text) == [
        (
            7,
            value_col(text, 7, "@at"),
            "pages[0].blocks[2].at",
            "overlaps block 'a' "
            "(columns 1–3, lines 1–20); blocks on a page must not overlap (only rules may)",
        ),
    ]


def test_box_children(edition: Edition) -> None:
    box = (
        "{type: box, id: box, " + at(1, 4, 1, 40) + ", children: ["
        "{type: article, id: c1, " + at(1, 4, 1, 20) + ", text: x}, "  # overlaps the box: fine
        "{type: article, id: c2, " + at(2, 2, 15, 10) + ", text: y}, "  # overlaps c1
        "{type: rule, " + at(1, 4, 20, 1) + "}, "  # a rule: fine
        "{type: flag, " + at(4, 2, 30, 5) + ", text: z}]}"  # sticks out of the box
    )
    text = doc(box)
    assert edition.problems(text) == [
        (
            5,
            col(text, 5, "at: ^{column: 2"),
            "pages[0].blocks[0].children[1].at",
            "overlaps block 'c1' (columns 1–4, lines 1–20); blocks in a box must not overlap "
            "(only rules may)",
        ),
        (
            5,
            col(text, 5, "at: ^{column: 4"),
            "pages[0].blocks[0].children[3].at",
            "a child of box 'box' must lie inside it (columns 1–4, lines 1–40), but this one "
            "takes columns 4–5, lines 30–34",
        ),
    ]


# ---- paths -----------------------------------------------------------------------------------


def _figure(image: str) -> str:
    return "{type: figure, " + at(1, 2, 1, 10) + f", image: '{image}'}}"


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (
            "../../etc/passwd",
            "'../../etc/passwd' leads outside the edition folder with '..'; "
            "this is refused (copy the file into the folder, or set allow_outside_paths: true)",
        ),
        (
            "images/../../x.jpg",
            "'images/../../x.jpg' leads outside the edition folder with "
            "'..'; this is refused (copy the file into the folder, or set allow_outside_paths: "
            "true)",
        ),
        (
            "~/x.jpg",
            "'~/x.jpg': paths starting with ~ are refused; put the image inside the "
            "edition folder (or set allow_outside_paths: true)",
        ),
        (
            "images/p5-forun.jpg",
            "image file not found: images/p5-forun.jpg (did you mean 'p5-forum.jpg'?)",
        ),
        ("images", "'images' is a folder, not a file"),
        ("", "expected the path of the image file, got empty text"),
    ],
)
def test_image_paths(edition: Edition, image: str, message: str) -> None:
    text = doc(_figure(image))
    assert edition.one(text) == (
        5,
        value_col(text, 5, "@image"),
        "pages[0].blocks[0].image",
        message,
    )


def test_absolute_path_is_refused(edition: Edition) -> None:
    _, _, path, msg = edition.one(doc(_figure("/etc/passwd")))
    assert path == "pages[0].blocks[0].image"
    assert msg.startswith("absolute path '/etc/passwd' is refused")


def test_symlink_out_of_the_folder_is_refused(edition: Edition, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.jpg"
    shutil.copy(edition.folder / "images" / "p5-forum.jpg", outside)
    os.symlink(outside, edition.folder / "images" / "link.jpg")
    assert edition.one(doc(_figure("images/link.jpg")))[3] == (
        "'images/link.jpg' leads outside the edition folder through a symbolic link; this is "
        "refused (copy the file into the folder, or set allow_outside_paths: true)"
    )
    # a link that stays inside the folder is fine
    os.symlink(edition.folder / "images" / "p5-forum.jpg", edition.folder / "inside.jpg")
    (figure,) = edition.load(doc(_figure("inside.jpg"))).pages[0].blocks
    assert isinstance(figure, FigureBlock)
    # and outside paths are allowed when the editor says so
    allowed = doc(_figure(str(outside)), top="allow_outside_paths: true\n")
    (figure,) = edition.load(allowed).pages[0].blocks
    assert isinstance(figure, FigureBlock) and figure.image == outside


def test_symlinks_in_folders_and_loops(edition: Edition) -> None:
    """Paths are resolved through linked folders (each folder once per load) and links."""
    images = edition.folder / "images"
    os.symlink(images, edition.folder / "pictures")  # a linked folder inside the edition
    os.symlink("p5-forum.jpg", images / "relative-link.jpg")
    paths = ("pictures/p5-forum.jpg", "images/relative-link.jpg", "pictures/../images/p5-forum.jpg")
    figures = [
        "{type: figure, " + at(1 + 2 * i, 2, 1, 10) + f", image: '{p}'}}"
        for i, p in enumerate(paths)
    ]
    report = edition.load(doc(*figures))
    assert [b.image for b in report.pages[0].blocks] == [
        edition.folder / "pictures/p5-forum.jpg",
        edition.folder / "images/relative-link.jpg",
        edition.folder / "pictures/../images/p5-forum.jpg",
    ]
    os.symlink("loop.jpg", images / "loop.jpg")
    _, _, path, msg = edition.one(doc(_figure("images/loop.jpg")))
    assert path == "pages[0].blocks[0].image"
    assert msg == (
        f"cannot follow the path 'images/loop.jpg': Symlink loop from '{images / 'loop.jpg'}'"
    )


def test_fonts_declare_new_roles(edition: Edition) -> None:
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not font.exists():
        pytest.skip("DejaVu fonts not installed")
    (edition.folder / "fonts").mkdir()
    shutil.copy(font, edition.folder / "fonts" / "serif.ttf")
    top = (
        "fonts:\n"
        "  - {role: xiaobiaosong, path: fonts/serif.ttf}\n"
        "  - {role: xiaobiaosong, weight: heavy, path: fonts/serif.ttf, index: 0}\n"
        "styles:\n"
        "  big: {font: xiaobiaosong, weight: heavy}\n"
    )
    report = edition.load(doc(ARTICLE, top=top))
    assert [(f.role, f.weight) for f in report.fonts] == [
        ("xiaobiaosong", "regular"),
        ("xiaobiaosong", "heavy"),
    ]
    assert report.styles["big"].font == "xiaobiaosong"
    bad = doc(ARTICLE, top=top.replace("serif.ttf, index: 0", "missing.ttf, index: -1"))
    assert edition.problems(bad) == [
        (
            3,
            value_col(bad, 3, "@path"),
            "fonts[1].path",
            "font file not found: fonts/missing.ttf (did you mean 'serif.ttf'?)",
        ),
        (
            3,
            value_col(bad, 3, "@index"),
            "fonts[1].index",
            "-1 is out of range: must be between 0 and 255",
        ),
        (
            5,
            value_col(bad, 5, "@weight"),
            "styles.big.weight",
            "unknown weight 'heavy'; use one of bold, regular",
        ),
    ]


# ---- all together ------------------------------------------------------------------------------


def test_all_problems_are_reported_together_in_file_order(edition: Edition) -> None:
    text = doc(
        "{type: artcle, " + at(1, 1, 1, 1) + "}",
        "{type: rule, " + at(1, 9, 1, 1) + "}",
        "{type: figure, " + at(1, 2, 1, 10) + ", image: nope.jpg}",
        top="paper: {bleed: -1mm}\nstyles: {body: {size: huge}}\n",
    )
    found = edition.problems(text)
    assert [(line, path) for line, _, path, _ in found] == [
        (1, "paper.bleed"),
        (2, "styles.body.size"),
        (7, "pages[0].blocks[0].type"),
        (8, "pages[0].blocks[1].at"),
        (9, "pages[0].blocks[2].image"),
    ]


def test_image_that_is_a_pipe(edition: Edition) -> None:
    os.mkfifo(edition.folder / "images" / "pipe.jpg")
    text = doc(_figure("images/pipe.jpg"))
    assert edition.one(text) == (
        5,
        value_col(text, 5, "@image"),
        "pages[0].blocks[0].image",
        "'images/pipe.jpg' is not a regular file",
    )


def test_copyfit_settings(edition: Edition) -> None:
    top = "styles:\n  fit: {copyfit: {tracking_min: -0.03, size_steps: [小五, 8.5pt]}}\n"
    copyfit = edition.load(doc(ARTICLE, top=top)).styles["fit"].copyfit
    assert copyfit is not None
    assert (copyfit.tracking_min, copyfit.tracking_max, copyfit.size_steps) == (
        -0.03,
        0.05,
        (9.0, 8.5),
    )
    bad = doc(ARTICLE, top=top.replace("8.5pt", "huge").replace("-0.03", "-1"))
    assert edition.problems(bad) == [
        (
            2,
            value_col(bad, 2, "@tracking_min"),
            "styles.fit.copyfit.tracking_min",
            "-1 is out of range: must be between -0.2 and 0 em",
        ),
        (
            2,
            col(bad, 2, "huge"),
            "styles.fit.copyfit.size_steps[1]",
            "expected a type size such as 小五, 五号 or 9pt, got 'huge'",
        ),
    ]


@pytest.mark.parametrize("value", ['"\\x1F1"', '"²"', '" 3"', "3.5"])
def test_numbers_written_as_odd_text(edition: Edition, value: str) -> None:
    """Found by the hypothesis test: text that Python's str methods take for digits."""
    text = doc(ARTICLE, top=f"grid: {{columns: {value}}}\n")
    line, column, path, message = edition.one(text)
    assert (line, column, path) == (1, value_col(text, 1, "@columns"), "grid.columns")
    assert message.startswith("expected a number of columns, got")
