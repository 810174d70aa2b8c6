"""Paragraphs sorted into headlines, articles, captions and credits; the draft YAML."""

from __future__ import annotations

import yaml
from importtext_helpers import wrap_extract

from report_builder.importtext.cli import clean
from report_builder.importtext.draft import render_text, render_yaml, scalar
from report_builder.importtext.paragraphs import Paragraph
from report_builder.importtext.structure import (
    ArticleDraft,
    CreditDraft,
    FigureDraft,
    HeadlineDraft,
    is_credit,
    split_glued_captions,
)

BODY = [
    "春风十里，社区书屋又一次迎来了读书的人群。孩子们在书架间穿行，老人们在窗边翻阅报纸，"
    "年轻的志愿者忙着登记图书。2021年，书屋搬进了新址，面积扩大了一倍。",
    "据统计，书屋去年共接待读者2.3万人次，举办讲座48场，新增藏书6000余册，比前年多了一倍。",
]
PAGE = (
    "社区书屋这三年\n\n"
    + wrap_extract(["“书屋办在家门口，读书就成了习惯。”一位老读者说。每周他都要来借两本书。"], 12)
    + "——写在社区书屋开放三周年之际\n\n张小明 李 华\n\n"
    + wrap_extract(BODY, 15)
    + "书屋开放仪式现场书屋开放仪式现场。。\n"
    + "2022年，读书月启动仪式现场。2023年，志愿者为老人读报。\n"
    + "本版图片均由社区书屋提供\n"
)


def test_page_sorted_into_blocks() -> None:
    blocks = clean(PAGE)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == [
        "HeadlineDraft",
        "ArticleDraft",
        "ArticleDraft",
        "FigureDraft",
        "FigureDraft",
        "FigureDraft",
        "CreditDraft",
    ]
    head, sidebar, article = blocks[:3]
    assert isinstance(head, HeadlineDraft) and head.main.text == "社区书屋这三年"
    assert head.deck is not None and head.deck.text == "——写在社区书屋开放三周年之际"
    assert isinstance(sidebar, ArticleDraft) and sidebar.byline is None
    assert isinstance(article, ArticleDraft) and article.byline is not None
    assert article.byline.text == "张小明 李华"
    # "2021年" inside body text starts no new paragraph: glued captions are split only
    # among the captions.
    assert [p.text for p in article.paragraphs] == BODY
    captions = [b.caption.text for b in blocks if isinstance(b, FigureDraft)]
    assert captions == [
        "书屋开放仪式现场。",
        "2022年，读书月启动仪式现场。",
        "2023年，志愿者为老人读报。",
    ]
    credit = blocks[-1]
    assert isinstance(credit, CreditDraft) and credit.credit.text == "本版图片均由社区书屋提供"


def test_draft_yaml_is_valid_and_holds_every_text() -> None:
    blocks = clean(PAGE)
    text = render_yaml(blocks, "community-library.extracted.txt")
    data = yaml.safe_load(text)
    assert data["edition"]["id"] == "community-library"
    placed = data["pages"][0]["blocks"]
    assert [b["type"] for b in placed] == ["headline", "article", "article"] + ["figure"] * 3 + [
        "article"
    ]
    assert placed[0]["main"] == "社区书屋这三年"
    assert placed[2]["byline"] == "张小明 李华"
    assert placed[2]["paragraphs"] == BODY
    assert [b["image"] for b in placed if b["type"] == "figure"] == [
        "assets/images/p1.jpg",
        "assets/images/p2.jpg",
        "assets/images/p3.jpg",
    ]
    assert "at:" not in [line.strip()[:3] for line in text.splitlines()]  # placements are TODO
    assert text.count("# TODO at:") == len(placed)
    assert "- |-" in text  # paragraphs as literal block scalars


def test_draft_yaml_items_and_subheads() -> None:
    extract = "一、读书活动\n◆全年举办读书分享会48场。\n\n◆新增藏书6000余册。\n"
    data = yaml.safe_load(render_yaml(clean(extract), "x.txt"))
    assert data["pages"][0]["blocks"][0]["paragraphs"] == [
        {"subhead": "一、读书活动"},
        {"item": "◆全年举办读书分享会48场。"},
        {"item": "◆新增藏书6000余册。"},
    ]


def test_cleaned_text_has_one_paragraph_a_line() -> None:
    text = render_text(clean(PAGE))
    assert BODY[0] in text.splitlines()
    assert "<!-- caption, source line" in text


def test_scalar_quotes_only_when_needed() -> None:
    for text in [
        "湖南工会这5年",
        "5.工会改革",
        "——庆祝大会召开",
        "- 破折号",
        "a: b",
        "#标签",
        "yes",
        "1.5",
    ]:
        assert yaml.safe_load(f"k: {scalar(text)}") == {"k": text}
    assert scalar("湖南工会这5年") == "湖南工会这5年"


def _p(text: str, kind: str = "body") -> Paragraph:
    return Paragraph(kind, text, 1, 1, 0.0)


def test_credits() -> None:
    assert is_credit(_p("本版图片均由省总工会提供", "title"))
    assert is_credit(_p("张三 摄", "byline"))
    assert is_credit(_p("图/李四"))
    assert not is_credit(_p("彭雅惠 廖为", "byline"))
    assert not is_credit(_p("省总工会提供了场地和图片，供大家参观学习，活动持续了一整天。"))


def test_glued_captions() -> None:
    got = [p.text for p in split_glued_captions(_p("2022年，总展演现场。2021年，启动仪式。"))]
    assert got == ["2022年，总展演现场。", "2021年，启动仪式。"]
    got = [p.text for p in split_glued_captions(_p("首届论坛开幕现场。9月2日，嘉宾合影。"))]
    assert got == ["首届论坛开幕现场。", "9月2日，嘉宾合影。"]
    assert len(split_glued_captions(_p("现场。2021年。"))) == 1  # too short to be a caption
    assert len(split_glued_captions(_p("活动现场，人头攒动。大家合影留念。"))) == 1
