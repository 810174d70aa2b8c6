"""report.yaml itself is broken: syntax, types, names, ranges, encodings, size, tags.

Each case is a real ``invoke build`` into a folder holding a good PDF of the same
edition id; the build must fail with ``file:line:col: field: message`` lines,
print no traceback, and leave that PDF byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from badinput_helpers import (
    EDITION_ID,
    GOOD_REPORT,
    ROOT,
    GoodBuild,
    assert_clean_failure,
    corpus_edition,
    diagnostic_line,
    invoke_build,
    write_edition,
)

# (line, column, field path, part of the message), in the order they are printed
MANY_PROBLEMS = [
    (3, 3, "edition", "missing required field 'title'"),
    (4, 3, "edition", "unknown field 'titel' (did you mean 'title'?)"),
    (6, 16, "styles.body.size", "must be greater than 0, got -3pt"),
    (6, 30, "styles.body.indent", "got 'lots'"),
    (7, 13, "styles.caption", "unknown field 'colour' (did you mean 'color'?)"),
    (15, 13, "pages[0].blocks[1].id", "duplicate id 'story': already used at line 11"),
    (16, 13, "pages[0].blocks[1].at", "overlaps block 'story' (columns 1–4, lines 1–30)"),
    (20, 13, "pages[0].blocks[2].at", "reaches column 10, but the grid has 8 columns"),
    (20, 13, "pages[0].blocks[2].at", "reaches line 129, but a column has 102 lines"),
    (22, 9, "pages[0].blocks[3]", "missing required field 'main'"),
    (24, 17, "pages[0].blocks[3].kicker", "control character U+0007"),
    (27, 15, "pages[0].blocks[4]", "the article is empty"),
    (30, 16, "pages[0].blocks[5].width", "must be greater than 0, got -1pt"),
    (32, 51, "pages[0].blocks[6].at.lines", "expected a number of lines, got 'ten'"),
    (33, 16, "pages[0].blocks[6].image", "image file not found: images/photo.jpg"),
    (36, 18, "pages[0].blocks[7].columns", "0 is out of range: must be between 1 and 4"),
    (38, 9, "pages[0].blocks[8]", "missing required field 'type'"),
    (38, 9, "pages[0].blocks[8]", "unknown field 'typ' (did you mean 'type'?)"),
]

GRID_AND_PAPER = [
    (4, 9, "paper.trim", "must not be less than 50mm, got -390mm"),  # mm, as written
    (7, 12, "grid.columns", "0 is out of range: must be between 1 and 64"),
    (8, 15, "grid.line_pitch", "must be greater than 0, got 0pt"),
    (10, 14, "output.ink_limit", "500% is out of range"),
    (11, 13, "output.standard", "unknown standard 'pdf/x-9' (did you mean 'pdf/x-4'?)"),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("many-problems.yaml", MANY_PROBLEMS), ("grid-and-paper.yaml", GRID_AND_PAPER)],
)
def test_every_problem_of_a_file_is_reported_together(
    good: GoodBuild, tmp_path: Path, name: str, expected: list
) -> None:
    report = corpus_edition(tmp_path, name)
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    found = [diagnostic_line(run, report, *case) for case in expected]
    printed = [line for line in run.lines if line.startswith(f"{report}:")]
    assert printed == found, "every problem once, in file order, nothing else"
    assert f"build failed: {len(expected)} problem(s)" in run.stderr


TAB = f"edition:\n  id: {EDITION_ID}\n\ttitle: 坏输入测试\npages:\n  - blocks: []\n"


@pytest.mark.parametrize(
    ("case", "line", "column", "fragment"),
    [
        ("syntax-indentation.yaml", 4, 9, "is the indentation wrong"),
        ("syntax-unclosed-quote.yaml", 10, 1, "unclosed quote (the quote opened at line 4, col"),
        (TAB, 3, 1, "tab character"),
    ],
    ids=["indentation", "unclosed-quote", "tab"],
)
def test_yaml_syntax_errors_point_at_the_place(
    good: GoodBuild, tmp_path: Path, case: str, line: int, column: int, fragment: str
) -> None:
    if case.endswith(".yaml"):
        report = corpus_edition(tmp_path, case)
    else:
        report = write_edition(tmp_path, case)
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    message = diagnostic_line(run, report, line, column, "", fragment)
    assert "YAML syntax error" in message


GBK = f"edition:\n  id: {EDITION_ID}\n  title: 坏输入测试\n".encode("gbk")


@pytest.mark.parametrize(
    ("content", "line", "column", "fragment"),
    [
        (b"", 1, 1, "the file is empty"),
        (b"\n# only a comment\n\n", 0, 0, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 0, 0, "binary file, not YAML text (NUL byte"),
        (GBK, 3, 10, "byte 0xBB at offset 33 (line 3) cannot be decoded"),
        (GOOD_REPORT.encode("utf-16"), 1, 1, "UTF-16"),
        (b"edition: " + b"x" * (5 * 1024 * 1024 + 1), 0, 0, "larger than 5 MB"),
    ],
    ids=["empty", "comment-only", "binary", "gbk", "utf-16", "over-5-mb"],
)
def test_unreadable_files_are_refused_with_the_reason(
    good: GoodBuild, tmp_path: Path, content: bytes, line: int, column: int, fragment: str
) -> None:
    report = write_edition(tmp_path, content)
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    if line:
        diagnostic_line(run, report, line, column, "", fragment)
    else:
        assert any(x.startswith(f"{report}") and fragment in x for x in run.lines), run


def test_the_gbk_message_names_the_encoding(good: GoodBuild, tmp_path: Path) -> None:
    run = invoke_build(write_edition(tmp_path, GBK), good.out)
    assert_clean_failure(run, good.out, good.sha)
    assert "GBK" in run.stderr and "UTF-8" in run.stderr, run


def test_alias_bomb_is_stopped(good: GoodBuild, tmp_path: Path) -> None:
    report = corpus_edition(tmp_path, "alias-bomb.yaml")
    run = invoke_build(report, good.out, timeout=30)
    assert_clean_failure(run, good.out, good.sha)
    diagnostic_line(run, report, 8, 4, "", "expands to more than 200000 values")


def test_a_very_large_document_is_refused_quickly(good: GoodBuild, tmp_path: Path) -> None:
    """Under the 5 MB limit but with more values than any report needs."""
    block = "      - {type: rule, at: {column: 1, span: 1, line: 1, lines: 1}}\n"
    text = f"edition: {{id: {EDITION_ID}, title: 大}}\npages:\n" + "  - blocks:\n" + block * 50_000
    report = write_edition(tmp_path, text)
    assert report.stat().st_size < 5 * 1024 * 1024
    run = invoke_build(report, good.out, timeout=60)
    assert_clean_failure(run, good.out, good.sha)
    assert "more than 200000 values" in run.stderr, run


def test_no_value_can_run_code(good: GoodBuild, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"""\
edition:
  id: {EDITION_ID}
  title: !!python/object/apply:os.system ["touch {marker}"]
  publication: !!python/name:os.system
  date: !!binary aGVsbG8=
pages: !include other.yaml
"""
    report = write_edition(tmp_path / "edition", text)
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    assert not marker.exists(), "a YAML tag ran a shell command"
    diagnostic_line(run, report, 3, 10, "", "unsupported YAML tag !!python/object/apply:os.system")
    assert "plain data only" in run.stderr


def test_the_loader_uses_safe_loading_only() -> None:
    """No code path of the builder hands report text to a loader that constructs objects."""
    unsafe = ("yaml.load(", "yaml.unsafe_load", "yaml.full_load", "UnsafeLoader", "FullLoader")
    offenders = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        for needle in unsafe
        if needle in path.read_text(encoding="utf-8")
    ]
    offenders += [
        f"{path.relative_to(ROOT)}: Loader=yaml.Loader"
        for path in sorted((ROOT / "src").rglob("*.py"))
        if "yaml.Loader" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.parametrize("which", ["missing", "folder"])
def test_report_path_that_is_not_a_file(good: GoodBuild, tmp_path: Path, which: str) -> None:
    report = tmp_path / "report.yaml" if which == "missing" else tmp_path
    run = invoke_build(report, good.out)
    assert_clean_failure(run, good.out, good.sha)
    assert run.stderr.startswith(f"{report}: "), run


def test_output_folder_that_is_a_file(good: GoodBuild, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder")
    run = invoke_build(write_edition(tmp_path / "edition", GOOD_REPORT), out)
    assert run.returncode == 1, run
    assert "Traceback" not in run.output and "internal error" not in run.output, run
    assert f"{out}: --out names a file, not a folder" in run.stderr, run
    assert out.read_text() == "not a folder"
