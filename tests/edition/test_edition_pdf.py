"""Issue 6, from the PDF: the default edition 湖南工会这5年 as printed.

Page size, every source sentence once and in order, no overset, no prohibited line
starts or ends, justified lines flush on both edges, no overlapping text, body on
one line grid — all read back from the built PDF with pdfplumber (tests/pdfcheck.py).
"""

from __future__ import annotations

import json

import pytest

from pdfcheck import (
    BODY_FONT,
    BODY_SIZE,
    MM,
    Build,
    PdfText,
    column_frames,
    is_body,
    normalise,
    off_grid_baselines,
    overlapping_chars,
    paragraph_positions,
    prohibition_violations,
    runs_by_role,
    source_sections,
)

TRIM_MM = (390, 550)
PITCH = 13.5  # the grid's line pitch, report.yaml grid.line_pitch
# Source sections whose pieces are separate blocks placed anywhere on the page.
UNORDERED = ("Photos and captions",)
# Display text this short is checked as a block of its own (the flag 这五年, the box
# title 数说) rather than counted in the running text, where it could occur by chance.
SHORT = 3


def _show(problems: list[str], limit: int = 12) -> str:
    more = f"\n… and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} problem(s):\n" + "\n".join(problems[:limit]) + more


@pytest.fixture(scope="module")
def sections():
    return source_sections()


@pytest.fixture(scope="module")
def positions(edition_text: PdfText, sections):
    paragraphs = [p for s in sections for p in s.paragraphs]
    return paragraph_positions(edition_text.text_lines(), paragraphs)


def test_two_pages_trimmed_to_390_by_550_mm(edition: Build):
    from pypdf import PdfReader

    pages = PdfReader(str(edition.pdf)).pages
    assert len(pages) == 2
    for n, page in enumerate(pages, 1):
        assert "/TrimBox" in page, f"page {n} has no TrimBox"
        trim = [float(v) for v in page["/TrimBox"]]
        media = [float(v) for v in page.mediabox]
        size = (trim[2] - trim[0], trim[3] - trim[1])
        want = (TRIM_MM[0] * MM, TRIM_MM[1] * MM)
        assert abs(size[0] - want[0]) <= 0.5 and abs(size[1] - want[1]) <= 0.5, (n, size, want)
        assert media[0] <= trim[0] and media[1] <= trim[1]
        assert trim[2] <= media[2] and trim[3] <= media[3]


def test_every_source_sentence_is_printed_exactly_once(edition_text: PdfText, sections):
    text = edition_text.reading_text()
    blocks = [
        normalise("".join(ln.text for ln in run)) for run in runs_by_role(edition_text.text_lines())
    ]
    problems = []
    total = 0
    for section in sections:
        for sentence in section.sentences:
            total += 1
            if len(sentence) <= SHORT:
                n = blocks.count(sentence)
                where = "as a block of its own"
            else:
                n = text.count(sentence)
                where = "in the text"
            if n != 1:
                problems.append(f"[{section.heading}] {n}× {where}: {sentence}")
    assert total > 100  # the whole source, not an empty parse
    assert not problems, _show(problems)


def test_sentences_of_each_part_are_in_source_order(edition_text: PdfText, sections):
    text = edition_text.reading_text()
    problems = []
    for section in sections:
        if section.heading.startswith(UNORDERED):
            continue
        at = -1
        for sentence in section.sentences:
            found = text.find(sentence, at + 1)
            if found < 0:
                earlier = text.find(sentence)
                state = "missing" if earlier < 0 else f"printed earlier, at {earlier}"
                problems.append(f"[{section.heading}] out of order ({state}): {sentence}")
                continue
            at = found
    assert not problems, _show(problems)


def test_no_overset(edition: Build):
    output = edition.stdout + edition.stderr
    assert "overset" not in output, output
    data = json.loads(edition.preflight_json.read_text("utf-8"))
    assert len(data["pages"]) == 2
    for page in data["pages"]:
        assert page["overset"] == [], page["overset"]
    assert not [w for w in data["warnings"] if "overset" in json.dumps(w, ensure_ascii=False)]


def test_no_prohibited_line_starts_or_ends(edition_text: PdfText):
    lines = edition_text.text_lines()
    assert len(lines) > 400
    problems = prohibition_violations(lines)
    assert not problems, _show(problems)


def test_body_lines_are_flush_and_first_lines_indented_two_em(positions):
    from pdfcheck import justification_problems

    frames = [f for f in column_frames(positions) if f.role == (BODY_FONT, BODY_SIZE)]
    checked = [p for f in frames for p in f.lines if p.final is False]
    assert len(checked) > 300, "too few body lines found to judge"
    assert sum(f.left is not None for f in frames) > 10
    problems = justification_problems(frames, indent_em=2.0)
    assert not problems, _show(problems)


def test_lead_captions_box_and_sidebar_lines_are_flush(positions):
    """Every other text role (up to 12 pt: lead, captions, box intro and items) —
    flush on both edges, and one first-line indent per role."""
    from pdfcheck import justification_problems

    frames = [
        f for f in column_frames(positions) if f.role != (BODY_FONT, BODY_SIZE) and f.role[1] <= 12
    ]
    checked = [p for f in frames for p in f.lines if p.final is False]
    assert len(checked) > 20, "too few lead/caption/box lines found to judge"
    problems = justification_problems(frames, indent_em=None)
    assert not problems, _show(problems)


def test_no_overlapping_text(edition_text: PdfText):
    problems = overlapping_chars(edition_text.text_lines(trim_only=False), tol=0.5)
    assert not problems, _show(problems)


def test_body_lines_share_one_baseline_grid(edition_text: PdfText):
    body = [ln for ln in edition_text.text_lines() if is_body(ln)]
    assert len(body) > 300
    chars = [c for ln in body for c in ln.chars if c.font == BODY_FONT and c.size == BODY_SIZE]
    off = off_grid_baselines(chars, PITCH, tol=0.2)
    assert not off, {p: [round(v, 2) for v in vs][:10] for p, vs in off.items()}


def test_page_one_renders_with_ink(edition: Build):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(edition.pdf))
    try:
        image = doc[0].render(scale=50 / 72).to_pil().convert("L")
    finally:
        doc.close()
    histogram = image.histogram()
    dark = sum(histogram[:128]) / (image.width * image.height)
    assert 0.01 < dark < 0.9, f"{dark:.1%} of page 1 is dark"
