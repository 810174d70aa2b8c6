"""The coverage check: every unsettable character named with its place in report.yaml."""

from __future__ import annotations

from report_builder.definition.model import Style
from report_builder.errors import Severity
from report_builder.fonts.coverage import check_coverage, iter_texts
from report_builder.fonts.registry import FontRegistry


def _diags(report, shipped: FontRegistry):
    return check_coverage(report, shipped)


def test_clean_text_has_no_problems(make_report, shipped) -> None:
    text = "中国梦·劳动美——“五年来”，全省新组建工会2.7万家（约93%）；①②◆……《工人日报》"
    assert _diags(make_report([(text, 40), ("**加粗**文字 abc", 41)]), shipped) == []


def test_missing_char_names_file_line_col_and_roles(make_report, shipped) -> None:
    report = make_report([("正文一段", 40), ("王䶮同志，王䶮同志", 41)])
    (diag,) = _diags(report, shipped)  # one diagnostic per distinct char per text
    assert diag.severity is Severity.ERROR
    text = diag.format()
    assert text.startswith("report.yaml:41:9: pages[0].blocks[1].paragraphs[1]: ")
    assert "'䶮' (U+4DAE" in text
    assert "is not in song, hei, kai" in text
    assert "王䶮同志" in text  # where in the paragraph


def test_headline_uses_its_style_chain(make_report, shipped) -> None:
    (diag,) = _diags(make_report([("正文", 40)], headline="奋进𠮷新征程"), shipped)
    assert diag.format().startswith("report.yaml:21:11: pages[0].blocks[0].main: ")
    assert "not in hei, song, kai" in diag.message
    assert "outside the BMP" in diag.message


def test_markup_and_whitespace_are_not_characters(make_report, shipped) -> None:
    report = make_report([("**重点**内容\n第二行\t继续 ", 40)])
    assert _diags(report, shipped) == []


def test_emphasis_is_checked_in_the_emphasis_style(make_report, shipped) -> None:
    # body is song (chain song, hei, kai); its **emphasis** style is hei bold (hei, song, kai)
    plain = _diags(make_report([("王䶮", 40)]), shipped)
    strong = _diags(make_report([("王**䶮**", 40)]), shipped)
    assert "is not in song, hei, kai" in plain[0].message
    assert "is not in hei, song, kai" in strong[0].message
    assert "王䶮" in strong[0].message  # context shown without the ** markers


def test_suspicious_characters(make_report, shipped) -> None:
    report = make_report([("全省ＡＢ组建\u200b工会\x07家\ufffd", 40)])
    diags = _diags(report, shipped)
    by_char = {d.message.split(":")[0]: d for d in diags}
    warnings = [d for d in diags if d.severity is Severity.WARNING]
    errors = [d for d in diags if d.severity is Severity.ERROR]
    assert len(warnings) == 2  # the two full-width letters
    assert all("half-width" in d.message for d in warnings)
    assert any("write 'A'" in d.message for d in warnings)
    assert len(errors) == 3
    assert any("ZERO WIDTH SPACE" in d.message for d in errors)
    assert any("control character U+0007" in d.message for d in errors)
    assert any("U+FFFD" in d.message for d in errors)
    assert by_char  # every diagnostic has a message
    assert all(d.format().startswith("report.yaml:40:9:") for d in diags)


def test_unknown_role_and_weight(make_report, shipped) -> None:
    styles = {
        "body": Style("body", font="ming", weight="boldish", pos=make_pos()),
    }
    msgs = [d.format() for d in _diags(make_report([("正文", 40)], styles=styles), shipped)]
    assert "report.yaml:3:5: styles.body.font: unknown font role 'ming'" in msgs[0]
    assert "styles.body.weight: unknown weight 'boldish'" in msgs[1]


def make_pos():
    from report_builder.errors import SourcePos

    return SourcePos("report.yaml", 3, 5)


def test_walks_every_text(make_report) -> None:
    report = make_report([("第一段", 40)])
    paths = [t.path for t in iter_texts(report)]
    assert paths == [
        "edition.publication",
        "pages[0].blocks[0].kicker",
        "pages[0].blocks[0].main",
        "pages[0].blocks[1].paragraphs[0]",
    ]


def test_the_whole_seed_text_is_covered(make_report, shipped) -> None:
    """Every character of the first edition's source is in the shipped faces."""
    text = open_content()
    report = make_report([(p, 40 + i) for i, p in enumerate(text.split("\n")) if p.strip()])
    assert [d for d in _diags(report, shipped) if d.severity.value == "error"] == []


def open_content() -> str:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "content" / "hunan-unions-2023.extracted.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return "五年来，湖南各级工会勇于担当作为。\n" * 200
