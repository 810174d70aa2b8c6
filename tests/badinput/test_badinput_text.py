"""Fonts that cannot be used, characters no face can set, text that does not fit.

The severities follow fonts/coverage.py: a character no face in the style's
chain has, a control character, or an invisible one that would print as a box is
an error; full-width Latin letters and digits, and invisible or rare characters
the face does have, are warnings. Scripts the faces cover (Latin, Greek,
Cyrillic, kana) set without comment. Overset text is a warning, an error with
``--strict``.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from badinput_files import SMALL_FONT_CHARS
from badinput_helpers import (
    EDITION_ID,
    GoodBuild,
    assert_clean_failure,
    assert_clean_success,
    diagnostic_line,
    invoke_build,
    write_edition,
)

from report_builder.fonts.registry import FontRegistry


def _article(text_lines: list[str], *, extra: str = "", at: str = "") -> str:
    """A one-article report; each entry of ``text_lines`` is a paragraph of its own."""
    body = "\n\n".join(f"          {line}" for line in text_lines)
    at = at or "{column: 1, span: 4, line: 1, lines: 60}"
    return f"""\
edition: {{id: {EDITION_ID}, title: 文字}}
{extra}pages:
  - blocks:
      - type: article
        id: story
        at: {at}
        title: 劳动
        text: |
{body}
"""


# line of paragraph k in _article: 9 + 2k (a blank line between paragraphs)
def _para_line(k: int) -> int:
    return 9 + 2 * k


def test_a_missing_font_file(good: GoodBuild, tmp_path: Path) -> None:
    extra = "fonts:\n  - {role: xiaobiaosong, path: fonts/FZXBSJW.ttf}\n"
    report = write_edition(tmp_path, _article(["劳动成就梦想。"], extra=extra))
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    diagnostic_line(run, report, 3, 32, "fonts[0].path", "font file not found: fonts/FZXBSJW.ttf")


def test_corrupt_restricted_and_short_fonts_are_reported_together(
    good: GoodBuild, tmp_path: Path, fonts: dict[str, Path]
) -> None:
    (tmp_path / "fonts").mkdir()
    for name, path in fonts.items():
        shutil.copy(path, tmp_path / "fonts" / name)
    extra = """\
fonts:
  - {role: xiaobiaosong, path: fonts/small.ttf}
  - {role: broken, path: fonts/corrupt.ttf}
  - {role: licensed, path: fonts/restricted.ttf}
styles:
  body: {font: xiaobiaosong}
"""
    # the small face has a few characters; the shipped faces stand in for the rest,
    # but none of them has Arabic, emoji or private-use characters
    paragraphs = [
        SMALL_FONT_CHARS.strip() + "，奋斗铸就辉煌。",
        "阿拉伯文مر。",
        "表情😀，私用\ue000。",
    ]
    report = write_edition(tmp_path, _article(paragraphs, extra=extra))
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    diagnostic_line(run, report, 4, 5, "fonts[1].path", "corrupt.ttf: not a readable font")
    diagnostic_line(
        run, report, 5, 5, "fonts[2].path", "the font's licence forbids embedding it in a PDF"
    )
    para = "pages[0].blocks[0].paragraphs"
    missing = [
        (1, "'م' (U+0645"),
        (1, "'ر' (U+0631"),
        (2, "'😀' (U+1F600, GRINNING FACE; an emoji, outside the BMP)"),
        # spelled out: printed raw it is a box, or nothing, in the terminal
        (2, "private-use character U+E000"),
    ]
    for k, label in missing:
        message = diagnostic_line(run, report, _para_line(k) + 6, 11, f"{para}[{k}]", label)
        assert "is not in xiaobiaosong, song, hei, kai" in message
        assert " — in “" in message  # the place in the paragraph
    assert "rare-character" not in run.stderr
    assert "\ue000" not in run.output and "“表情😀，私用<U+E000>。”" in run.stderr
    assert "build failed: 6 problem(s)" in run.stderr, run


def _expect(registry: FontRegistry, ch: str) -> bool:
    """True when the shipped song face chain has ``ch`` (then it is only a warning)."""
    return registry.face_for_char("song", "regular", ch) is not None


def test_odd_characters_are_errors_or_warnings_by_coverage(good: GoodBuild, tmp_path: Path) -> None:
    registry = FontRegistry.shipped()
    cases = [
        ("零宽\u200b空格", "\u200b", "U+200B ZERO WIDTH SPACE"),
        ("扩展𠮷字", "𠮷", "U+20BB7"),
        ("组合e\u0301音", "\u0301", "U+0301"),
        ("软连\u00ad字符", "\u00ad", "U+00AD"),
    ]
    report = write_edition(tmp_path, _article([text for text, _, _ in cases]))
    run = invoke_build(report, good.out)
    errors = 0
    for k, (_, ch, label) in enumerate(cases):
        has = _expect(registry, ch)
        errors += not has
        diagnostic_line(
            run,
            report,
            _para_line(k),
            11,
            f"pages[0].blocks[0].paragraphs[{k}]",
            label,
            warning=has,
        )
    if errors:
        assert_clean_failure(run, good.out, good.sha)
        assert f"build failed: {errors} problem(s)" in run.stderr
    else:
        pytest.fail("the shipped faces now have every odd character: pick others")


def test_full_width_latin_warns_and_covered_scripts_pass(tmp_path: Path) -> None:
    paragraphs = [
        "全角ＡＢ１２。",
        "Latin café, Ελληνικά ΑΒΓ αβγ, Русский язык, ひらがな カタカナ, 中文。",
    ]
    paragraphs[1] = paragraphs[1].replace("Ελληνικά ", "")  # ά (with tonos) is not in GB 2312
    report = write_edition(tmp_path / "edition", _article(paragraphs))
    out = tmp_path / "out"
    run = invoke_build(report, out)
    assert_clean_success(run, out)
    warnings = [line for line in run.lines if "warning:" in line]
    for ch, half in [("Ａ", "A"), ("Ｂ", "B"), ("１", "1"), ("２", "2")]:
        message = diagnostic_line(
            run,
            report,
            9,
            11,
            "pages[0].blocks[0].paragraphs[0]",
            f"full-width '{ch}'",
            warning=True,
        )
        assert f"write '{half}'" in message
    assert len(warnings) == 4, run  # nothing about the Latin, Greek, Cyrillic or kana


OVERSET = ["劳动成就梦想，奋斗铸就辉煌。五年来，湖南各级工会勇于担当作为、坚持守正创新。" * 12] * 60
SMALL_MODULE = "{column: 1, span: 2, line: 1, lines: 5}"


@pytest.mark.parametrize("copyfit", [False, True])
def test_overset_is_a_warning_and_does_not_hang(tmp_path: Path, copyfit: bool) -> None:
    text = _article(OVERSET, at=SMALL_MODULE)
    if copyfit:
        text = text.replace("        id: story\n", "        id: story\n        copyfit: true\n")
    report = write_edition(tmp_path / "edition", text)
    out = tmp_path / "out"
    t0 = time.monotonic()
    run = invoke_build(report, out, timeout=60)
    assert time.monotonic() - t0 < 30, "a long overset article should not take long"
    assert_clean_success(run, out)
    message = diagnostic_line(
        run, report, 4, 9, "", "article 'story' is overset on page 1", warning=True
    )
    assert "do not fit" in message


def test_overset_fails_a_strict_build(good: GoodBuild, tmp_path: Path) -> None:
    report = write_edition(tmp_path, _article(OVERSET, at=SMALL_MODULE))
    run = invoke_build(report, good.out, "--strict", timeout=60)
    assert_clean_failure(run, good.out, good.sha)
    assert "overset" in run.stderr


def test_an_article_of_only_emphasis_markers_is_empty(good: GoodBuild, tmp_path: Path) -> None:
    """``**`` markers set no ink: a text of nothing else is empty, at any place."""
    report = write_edition(tmp_path, _article(["****"]))
    text = report.read_text(encoding="utf-8").replace("title: 劳动", "title: '** **'")
    report.write_text(text, encoding="utf-8")
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    diagnostic_line(
        run, report, 7, 16, "pages[0].blocks[0].title", "empty text: only ** emphasis markers"
    )
    diagnostic_line(run, report, 8, 15, "pages[0].blocks[0]", "the article is empty")
    assert "build failed: 2 problem(s)" in run.stderr, run
