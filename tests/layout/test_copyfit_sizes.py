"""Copyfit steps down the type size when tracking alone cannot make an article fit (issue 5)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from report_builder.cli import build_pdf

PARA = "全省各级工会积极整合资源手段，组织召开联席会议，推动出台优惠政策，维护职工劳动经济权益。"


def _report(folder: Path, *, lines: int, size_steps: str) -> Path:
    folder.mkdir(parents=True)
    paras = f"          - {PARA * 6}"
    text = f"""edition: {{id: fit, title: 字号适配, date: 2023-08-01}}
paper: {{trim: [275mm, 390mm], margins: 20mm}}
grid: {{columns: 4, line_pitch: 13.5pt}}
output: {{standard: none, marks: []}}
styles:
  tight: {{inherit: body, copyfit: {{tracking_min: -0.02, size_steps: [{size_steps}]}}}}
pages:
  - number: 1
    name: 测试
    blocks:
      - type: article
        id: story
        at: {{column: 1, span: 1, line: 1, lines: {lines}}}
        style: tight
        copyfit: true
        paragraphs:
{paras}
"""
    path = folder / "report.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _lines_needed(tmp_path: Path) -> int:
    result = build_pdf(_report(tmp_path / "probe", lines=70, size_steps="8pt"), tmp_path / "o1")
    with pdfplumber.open(result.pdf) as pdf:
        tops = {round(c["top"], 1) for c in pdf.pages[0].chars if "Serif" in c["fontname"]}
    return len(tops)


def test_a_smaller_size_step_makes_an_overset_article_fit(tmp_path):
    need = _lines_needed(tmp_path)  # lines the text takes at 9 pt
    short = need - 2  # more than tracking −0.02 em can win back
    result = build_pdf(
        _report(tmp_path / "ed", lines=short, size_steps="8.5pt, 8pt"), tmp_path / "o2"
    )
    notes = [w.message for w in result.warnings]
    assert not [m for m in notes if "overset" in m], notes
    assert any("copyfit: size" in m for m in notes), notes
    with pdfplumber.open(result.pdf) as pdf:
        sizes = {round(c["size"], 1) for c in pdf.pages[0].chars if "Serif" in c["fontname"]}
    assert sizes in ({8.5}, {8.0}), sizes  # the whole body steps down, nothing left at 9 pt


def test_without_size_steps_the_overset_stays(tmp_path):
    need = _lines_needed(tmp_path)
    folder = tmp_path / "ed"
    path = _report(folder, lines=need - 2, size_steps="")
    result = build_pdf(path, tmp_path / "o2")
    assert any("overset" in w.message for w in result.warnings)
