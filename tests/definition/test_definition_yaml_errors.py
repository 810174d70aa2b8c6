"""Files that are not readable YAML, or YAML built to hurt: one clear line, no traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from definition_helpers import Edition, minimal_text

from report_builder.definition import load_report, source
from report_builder.errors import BuildError


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Syntax errors read the same whichever PyYAML parser is installed."""
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML built without libyaml")
        monkeypatch.setattr(source, "_LOADER", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(source, "_LOADER", yaml.SafeLoader)


def _file_problem(path: Path) -> tuple[int, int, str]:
    with pytest.raises(BuildError) as info:
        load_report(path)
    (d,) = info.value.diagnostics
    assert d.pos.file == str(path)
    return d.pos.line, d.pos.column, d.message


def test_tab_indentation(edition: Edition, loader: None) -> None:
    text = "edition:\n\tid: x\n"
    line, col, path, msg = edition.one(text)
    assert (line, col, path) == (2, 1, "")
    assert "tab" in msg and "spaces" in msg


def test_bad_indentation(edition: Edition, loader: None) -> None:
    text = "edition:\n  id: x\n  title: y\npages:\n  - blocks: []\n - name: z\n"
    line, col, _, msg = edition.one(text)
    assert (line, col) == (6, 2)
    assert msg.startswith("YAML syntax error: this line's indentation does not fit")


def test_unclosed_quote(edition: Edition, loader: None) -> None:
    text = 'edition:\n  id: x\n  title: "湖南工会\npages: []\n'
    line, col, _, msg = edition.one(text)
    assert (line, col) == (5, 1)  # where PyYAML gave up: the end of the file
    assert "unclosed quote" in msg and "line 3, column 10" in msg


def test_colon_inside_a_plain_value(edition: Edition, loader: None) -> None:
    line, col, _, msg = edition.one("edition: {id: x, title: a: b}\n")
    assert (line, col) == (1, 26)
    assert "YAML syntax error" in msg


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(edition: Edition, text: str) -> None:
    line, col, _, msg = edition.one(text)
    assert (line, col) == (1, 1)
    assert "empty" in msg


def test_top_level_not_a_mapping(edition: Edition) -> None:
    assert edition.one("- a\n- b\n")[:3] == (1, 1, "")
    assert "got 'just text'" in edition.one("just text\n")[3]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes(b"edition:\n  id: \x89PNG\x00\x00\x01")
    line, col, msg = _file_problem(path)
    assert (line, col) == (2, 11)
    assert "binary file" in msg and "offset 19" in msg


def test_non_utf8_names_the_byte_and_line(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes(("edition:\n  id: x\n  title: 湖南工会\n").encode("gbk"))
    line, col, msg = _file_problem(path)
    assert (line, col) == (3, 10)
    assert "not UTF-8" in msg and "offset 26" in msg and "line 3" in msg
    assert "GBK" in msg
    path.write_bytes(b"\xef\xbb\xbf" + ("edition:\n  id: x\n  title: 湖南工会\n").encode("gbk"))
    line, col, msg = _file_problem(path)
    assert (line, col) == (3, 10)
    assert "offset 29" in msg  # counted in the file as it is, BOM included


def test_utf16_is_named(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes(minimal_text().encode("utf-16"))
    assert "UTF-16" in _file_problem(path)[2]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert _file_problem(tmp_path / "nope.yaml")[2] == "file not found"
    assert "folder" in _file_problem(tmp_path)[2]


def test_control_character(edition: Edition, loader: None) -> None:
    line, col, _, msg = edition.one("edition:\n  id: a\x07b\n")
    assert (line, col) == (2, 8)
    assert "U+0007" in msg


def test_control_character_from_an_escape(edition: Edition) -> None:
    text = minimal_text().replace("title: 最小示例", 'title: "最小\\x07示例"')
    assert edition.one(text)[:3] == (5, 10, "edition.title")


def test_python_tags_are_refused(edition: Edition) -> None:
    text = "edition: !!python/object/apply:os.system ['touch /tmp/pwned']\n"
    line, col, _, msg = edition.one(text)
    assert (line, col) == (1, 10)
    assert "unsupported YAML tag !!python/object/apply:os.system" in msg


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!custom x", "!!set {a}"])
def test_other_tags_are_refused(edition: Edition, tag: str) -> None:
    assert "unsupported YAML tag" in edition.one(f"edition: {tag}\n")[3]


def test_billion_laughs_fails_fast(edition: Edition) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    t0 = time.perf_counter()
    line, col, _, msg = edition.one("\n".join(lines) + "\n")
    assert time.perf_counter() - t0 < 1.0
    assert (line, col) == (6, 4)  # the first list whose expansion passes the limit
    assert "expands to more than 200000 values" in msg


def test_too_many_aliases(edition: Edition) -> None:
    text = "x: &x 1\nl: [" + ", ".join(["*x"] * 101) + "]\n"
    line, col, _, msg = edition.one(text)
    assert (line, col) == (2, 5 + 100 * 4)  # the 101st alias
    assert "more than 100 aliases" in msg


def test_recursive_alias(edition: Edition) -> None:
    line, col, _, msg = edition.one("a: &a [1, *a]\n")
    assert (line, col) == (1, 11)
    assert "contains itself" in msg


def test_unknown_alias(edition: Edition) -> None:
    assert edition.one("a: *nothing\n")[:2] == (1, 4)


def test_anchors_and_merge_keys_work(edition: Edition) -> None:
    text = minimal_text().replace(
        "pages:",
        "styles:\n  base: &base {font: hei, size: 五号}\n  second:\n    <<: *base\n    size: 小四\n"
        "pages:",
    )
    styles = edition.load(text).styles
    assert styles["second"].font == "hei" and styles["second"].size == 12.0


def test_too_deep(edition: Edition) -> None:
    line, col, _, msg = edition.one("a: " + "[" * 200 + "]" * 200 + "\n")
    assert (line, col) == (1, 4 + 63)  # the mapping is the first level
    assert "nested more than 64 deep" in msg


def test_too_many_values(edition: Edition) -> None:
    text = "a: [" + ",".join(["1"] * 250_000) + "]\n"
    t0 = time.perf_counter()
    _, _, _, msg = edition.one(text)
    assert time.perf_counter() - t0 < 10
    assert "more than 200000 values" in msg


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes(b"a: '" + b"x" * (5 * 1024 * 1024) + b"'\n")
    assert "larger than 5 MB" in _file_problem(path)[2]


def test_second_document(edition: Edition) -> None:
    assert edition.one(minimal_text() + "---\nb: 2\n")[:2] == (16, 1)


def test_duplicate_keys_are_reported_with_the_rest(edition: Edition) -> None:
    extra = "  title: 最小示例\n  title: 又一个\n  tittle: x"
    text = minimal_text().replace("  title: 最小示例", extra)
    found = edition.problems(text)
    assert found[0][:3] == (6, 3, "edition")
    assert "'title' appears twice" in found[0][3] and "line 5" in found[0][3]
    assert found[1][:3] == (7, 3, "edition")
    assert found[1][3] == "unknown field 'tittle' (did you mean 'title'?)"


def test_non_text_key(edition: Edition) -> None:
    found = edition.problems("? [a, b]\n: 1\nedition: {id: x, title: y}\npages: []\n")
    assert found[0][:2] == (1, 3)
    assert "field name must be plain text" in found[0][3]


def test_a_pipe_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    os.mkfifo(path)  # opening it for reading would block forever
    assert _file_problem(path)[2] == "is not a regular file"
