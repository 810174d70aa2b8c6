"""Lines rejoined into paragraphs, on made-up extracts of made-up pages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from importtext_helpers import wrap_extract

from report_builder.importtext.doubling import undouble
from report_builder.importtext.lines import read_lines
from report_builder.importtext.paragraphs import Paragraph, assemble

LIBRARY = [
    "春风十里，社区书屋又一次迎来了读书的人群。孩子们在书架间穿行，老人们在窗边翻阅报纸，"
    "年轻的志愿者忙着登记图书。",
    "这样的场景已经持续了三年。",
    "“书屋办在家门口，读书就成了习惯。”一位老读者说，每周他都要来借两本书，"
    "有时候是历史，有时候是小说。",
    "据统计，书屋去年共接待读者2.3万人次，举办讲座48场，新增藏书6000余册。",
]


def paragraphs(text: str) -> list[Paragraph]:
    return assemble(read_lines(text))


def texts(text: str) -> list[str]:
    return [p.text for p in paragraphs(text)]


def test_column_rejoined_into_its_paragraphs() -> None:
    assert texts(wrap_extract(LIBRARY, 15)) == LIBRARY
    assert texts(wrap_extract(LIBRARY, 22, blank_noise=False)) == LIBRARY


def test_sentence_end_at_a_full_line_does_not_end_the_paragraph() -> None:
    # The first sentence fills its line exactly: the next line is full, not indented.
    para = "一二三四五六七八九十一二。四五六七八九十一二三四五六七，八九十。"
    extract = wrap_extract([para, "另起一段，说些别的事情，写满一行又一行。"], 15)
    assert extract.splitlines()[0].endswith("。")
    assert texts(extract) == [para, "另起一段，说些别的事情，写满一行又一行。"]


def test_full_last_line_then_indented_first_line() -> None:
    # The first paragraph's last line is full; only the indent shows the new paragraph.
    first = (
        "一二三四五六七八九十一二，"
        + "四五六七八九十一二三四五六七，"
        + "八九十一二三四五六七八九十一。"
    )
    second = "新段落开始时缩进两格，所以" + "这一行短一些，后面还有字，还有" + "最后一行。"
    lines = wrap_extract([first, second], 15).split()
    assert [len(line) for line in lines] == [13, 15, 15, 13, 15, 5]
    assert texts(wrap_extract([first, second], 15)) == [first, second]


def test_items_headings_and_titles() -> None:
    extract = (
        "社区这一年\n\n"
        "一、读书活动\n"
        "◆全年举办读书分享会48场，参与居民\n\n"
        "2.3万人次。\n\n"
        "◆新增藏书6000余册，其中儿童读物\n\n"
        "占三成。\n\n"
        "二、志愿服务\n"
        "◆志愿者累计服务1.2万小时。\n"
    )
    got = [(p.kind, p.text) for p in paragraphs(extract)]
    assert got == [
        ("title", "社区这一年"),
        ("subhead", "一、读书活动"),
        ("item", "◆全年举办读书分享会48场，参与居民2.3万人次。"),
        ("item", "◆新增藏书6000余册，其中儿童读物占三成。"),
        ("subhead", "二、志愿服务"),
        ("item", "◆志愿者累计服务1.2万小时。"),
    ]


def test_deck_byline_and_a_wide_lead_before_narrow_columns() -> None:
    lead = "春天的社区书屋格外热闹，读书的人从早到晚络绎不绝，志愿者们也忙得不亦乐乎，" * 2 + "好。"
    body = LIBRARY[0]
    extract = "——写在社区书屋开放三周年之际\n\n张小明 李 华\n\n"
    extract += wrap_extract([lead], 38) + "\n" + wrap_extract([body], 14)
    got = [(p.kind, p.text) for p in paragraphs(extract)]
    assert got == [
        ("deck", "——写在社区书屋开放三周年之际"),
        ("byline", "张小明 李华"),
        ("body", lead),
        ("body", body),
    ]
    lead_p, body_p = paragraphs(extract)[2:]
    assert lead_p.measure > 30 > 20 > body_p.measure


def test_wide_caption_lines_do_not_join_a_narrow_column() -> None:
    extract = wrap_extract(LIBRARY[:2], 15)
    extract += "读书月启动仪式现场，居民们踊跃报名参加活动。\n\n志愿者为老人读报。\n"
    assert texts(extract)[-2:] == [
        "读书月启动仪式现场，居民们踊跃报名参加活动。",
        "志愿者为老人读报。",
    ]


def test_meaningful_blank_lines_are_paragraph_breaks() -> None:
    # Lines of a paragraph follow each other; a blank line separates paragraphs.
    first = "第一段的第一行写满了字，\n第一段写完了，最后一行也写满了。"
    second = "第二段只有一行，也写满了字数。"
    assert texts(first + "\n\n" + second + "\n") == [
        "第一段的第一行写满了字，第一段写完了，最后一行也写满了。",
        second,
    ]


def test_latin_words_across_a_line_break_keep_a_space() -> None:
    extract = "读者可以在手机上打开 Open\nSource 图书馆的应用，查询\n书目。\n"
    assert texts(extract) == ["读者可以在手机上打开Open Source图书馆的应用，查询书目。"]


def test_slogan_broken_across_lines_keeps_its_space() -> None:
    # On its own line the phrase after the space has two characters; joined, six.
    extract = "全社区开展“弘扬劳动精神 建设\n\n美好家园”主题活动，居民踊跃参加\n\n各项活动。\n"
    assert texts(extract) == [
        "全社区开展“弘扬劳动精神 建设美好家园”主题活动，居民踊跃参加各项活动。"
    ]


def test_doubled_title_and_caption_undone() -> None:
    extract = wrap_extract(LIBRARY[:2], 15)
    extract += "书屋三年书屋三年\n\n开放仪式现场开放仪式现场。。\n"
    assert [(p.kind, p.text) for p in paragraphs(extract)][-2:] == [
        ("title", "书屋三年"),
        ("body", "开放仪式现场。"),
    ]


_HAN = st.sampled_from("社区书屋读者志愿服务活动图书馆老人孩子年轻学习分享城市乡村文化")
_clause = st.text(_HAN, min_size=2, max_size=9)
_sentence = st.lists(_clause, min_size=1, max_size=4).map(lambda cs: "，".join(cs) + "。")


@st.composite
def _column(draw: st.DrawFn) -> tuple[int, list[str]]:
    measure = draw(st.integers(10, 40))
    para = st.lists(_sentence, min_size=1, max_size=5).map("".join)
    # One long paragraph first, so the column shows its measure in full lines.
    paras = [
        "".join(LIBRARY) + LIBRARY[0] + LIBRARY[2],
        *draw(st.lists(para, min_size=1, max_size=8)),
    ]
    # A paragraph's last line must be visibly short of the measure (by two or more em),
    # as every typesetter leaves it; otherwise no reader could tell where it ends either.
    fitted = []
    for p in paras:
        lines = wrap_extract([p], measure).split()
        room = measure - 2 if len(lines) == 1 else measure
        if len(lines[-1]) > room - 2:
            body = p[:-1]  # drop the final mark, shorten, end the sentence again
            p = body[: len(body) - (len(lines[-1]) - (room - 2))].rstrip("，。") + "。"
        # Text (or a line of it) that is one text twice would rightly be taken for
        # outline doubling.
        doubled = any(undouble(t) != t for t in [p, *wrap_extract([p], measure).split()])
        if len(p) > 1 and not doubled:
            fitted.append(p)
    return measure, fitted


@settings(max_examples=150, deadline=None)
@given(_column())
def test_any_wrapped_column_is_rejoined_exactly(column: tuple[int, list[str]]) -> None:
    measure, paras = column
    assert texts(wrap_extract(paras, measure)) == paras


def test_indent_kept_by_the_extract_starts_a_paragraph() -> None:
    # Some extracts keep the indent (U+3000 or spaces): then it decides, whatever the widths.
    extract = (
        "\u3000\u3000第一段写到这里，一行写满了。\n"
        "\u3000\u3000第二段也写满了，句子完了。\n"
        "  第三段用空格缩进，也算一段。\n"
    )
    assert texts(extract) == [
        "第一段写到这里，一行写满了。",
        "第二段也写满了，句子完了。",
        "第三段用空格缩进，也算一段。",
    ]
