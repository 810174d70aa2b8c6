"""Outline doubling is undone only where a whole paragraph is one text twice."""

from __future__ import annotations

import pytest

from report_builder.importtext.doubling import undouble


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("这五年这五年", "这五年"),
        ("社区书屋开放仪式现场社区书屋开放仪式现场。。", "社区书屋开放仪式现场。"),
        ("社区书屋开放仪式现场。社区书屋开放仪式现场。", "社区书屋开放仪式现场。"),
        ("读书月启动读书月启动。", "读书月启动。"),  # the second copy's mark lost
        ("等待中等待中……", "等待中……"),  # an ellipsis is one mark of two characters
        ("等待中等待中…………", "等待中……"),
        ("谢谢谢谢", "谢谢谢谢"),  # too short to be an outline effect
        ("谢谢谢谢。。", "谢谢谢谢。。"),
        ("现场现场的人", "现场现场的人"),
        ("这五年", "这五年"),
        ("", ""),
    ],
)
def test_undouble(text: str, want: str) -> None:
    assert undouble(text) == want
