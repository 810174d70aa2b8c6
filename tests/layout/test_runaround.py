"""Text of an article runs around a figure placed inside its module (issue 5)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from PIL import Image

from report_builder.cli import build_pdf
from report_builder.layout.flow import Slot, flow

PARA = "湖南工会坚持围绕中心、服务大局，始终站在一线、走在前列，在全国工会系统创造了湖南特色。"


def test_flow_skips_the_lines_a_figure_blocks():
    slots = [Slot(None, 9.0, 0.88, chars=13) for _ in range(30)]
    blocked = [frozenset(), frozenset(range(0, 6))]
    result = flow(slots, 2, 20, balance=False, blocked=blocked)
    assert not result.overset
    second = sorted(p.line for p in result.placed if p.column == 1)
    assert second and min(second) == 6  # resumes below the figure
    assert all(line not in blocked[1] for line in second)


def _report(folder: Path) -> Path:
    (folder / "images").mkdir(parents=True)
    Image.new("RGB", (1200, 900), (120, 140, 160)).save(folder / "images" / "a.jpg", quality=80)
    paras = "\n".join(f"          - {PARA}" for _ in range(40))
    text = f"""edition: {{id: runaround, title: 绕排, date: 2023-08-01}}
paper: {{trim: [275mm, 390mm], margins: 20mm}}
grid: {{columns: 4, line_pitch: 13.5pt}}
output: {{standard: none, marks: []}}
pages:
  - number: 1
    name: 测试
    blocks:
      - type: article
        id: story
        at: {{column: 1, span: 4, line: 1, lines: 40}}
        balance: false
        paragraphs:
{paras}
      - type: figure
        id: photo
        at: {{column: 3, span: 2, line: 3, lines: 14}}
        image: images/a.jpg
        caption: 图片说明文字。
"""
    path = folder / "report.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_article_text_runs_around_a_figure_inside_it(tmp_path):
    result = build_pdf(_report(tmp_path / "ed"), tmp_path / "out")
    assert not [w for w in result.warnings if "overset" in w.message]
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[0]
        (image,) = page.images
        body = [c for c in page.chars if round(c["size"], 1) == 9.0 and c["text"].strip()]
        caption_top = min(c["top"] for c in page.chars if c["text"] == "图")
    ix0, ix1, itop = image["x0"], image["x1"], image["top"]
    beside = [c for c in body if c["x1"] > ix0 + 1 and c["x0"] < ix1 - 1]
    # text in the figure's columns lies above the figure or below its caption, never on it
    assert beside
    assert all(c["bottom"] <= itop or c["top"] > caption_top + 5 for c in beside)
    assert any(c["top"] > caption_top + 5 for c in beside)  # the text resumed below it
    left = [c for c in body if c["x1"] <= ix0]
    assert min(c["top"] for c in left) < itop + 20  # the other columns run alongside it
