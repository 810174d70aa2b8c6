"""Artefact spaces go, real ones stay: unit tests on made-up lines."""

from __future__ import annotations

import pytest

from report_builder.importtext.spacing import clean_line, resolve_candidates, split_byline


def cleaned(raw: str) -> str:
    return resolve_candidates(clean_line(raw).text)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("累计宣传 4000 个典型人物、", "累计宣传4000个典型人物、"),
        ("2022 年 9 月 2 日，首届论坛", "2022年9月2日，首届论坛"),
        ("动 奖 状 699 个 、奖 章 4135 个 ，工 人 先 锋 号", "动奖状699个、奖章4135个，工人先锋号"),
        ("法 2 万 余 项 ，产 生“ 五 小 ”创 新 项 目", "法2万余项，产生“五小”创新项目"),
        ("首 次 为“ 工 匠 ”举 办 全 国 性 论 坛 。", "首次为“工匠”举办全国性论坛。"),
        ("务 规 模 逐 年 扩 大 。 仅 2022 年 ，全", "务规模逐年扩大。仅2022年，全"),
        ("湖 南 工 会", "湖南工会"),  # letter-spaced title: runs of one character
        ("长沙县 总工会", "长沙县总工会"),  # three characters each side: no phrase
        ("   缩进的行  ", "缩进的行"),
        ("使用 Open Source 软件", "使用Open Source软件"),
        ("版本 3.12 发布", "版本3.12发布"),
    ],
)
def test_artefact_spaces_removed(raw: str, want: str) -> None:
    assert cleaned(raw) == want


@pytest.mark.parametrize(
    "raw",
    [
        "湖南省“网聚职工正能量 争做中国好网民”主题系列",
        "口号“弘扬劳动精神 建设美好家园”深入人心",
        "全网阅读量突破 1285 万，口号“弘扬劳动精神 建设美好家园”",  # number gaps are no sign
    ],
)
def test_space_between_two_phrases_kept(raw: str) -> None:
    out = cleaned(raw)
    assert out.count(" ") == 1
    assert "精神 建设" in out or "能量 争做" in out


def test_phrase_space_dropped_on_a_letter_spaced_line() -> None:
    line = clean_line("号 召 ：劳动光荣创造伟大 奋斗书写人生 。")
    assert line.letter_spaced
    assert resolve_candidates(line.text) == "号召：劳动光荣创造伟大奋斗书写人生。"


def test_phrase_measured_across_a_line_break() -> None:
    # "争做中国" ends the line; only in the joined paragraph is the run 7 long.
    first, second = clean_line("全省“网聚职工正能量 争做中国"), clean_line("好网民”主题活动")
    assert (
        resolve_candidates(first.text + second.text)
        == "全省“网聚职工正能量 争做中国好网民”主题活动"
    )
    short = clean_line("口号“劳动光荣 创造")  # a two-character phrase after the space
    assert resolve_candidates(short.text + "”") == "口号“劳动光荣创造”"


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("彭雅惠 廖 为", "彭雅惠 廖为"),
        ("本报记者 张三 李 四", "本报记者 张三 李四"),
        ("王小明 刘 洋 陈 晨", "王小明 刘洋 陈晨"),
        ("张三 李四", "张三 李四"),
        ("湖 南 工 会", None),
        ("网聚职工正能量 争做中国好网民", None),
        ("数说", None),
        ("张三，李四", None),
        ("Zhang San", None),
    ],
)
def test_byline(raw: str, want: str | None) -> None:
    assert split_byline(raw) == want
