"""The command as a user runs it: files in, a draft out, clear messages on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from importtext_helpers import ROOT, wrap_extract

from report_builder.importtext.cli import main

EXTRACT = "社区书屋这三年\n\n" + wrap_extract(
    ["春风十里，社区书屋又一次迎来了读书的人群，孩子们在书架间穿行。", "这样的场景已持续三年。"], 14
)


def test_writes_draft_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "page.txt"
    src.write_text(EXTRACT, encoding="utf-8")
    out, text = tmp_path / "drafts" / "page.yaml", tmp_path / "page.md"
    assert main([str(src), "--output", str(out), "--text", str(text)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["pages"][0]["blocks"][1]["paragraphs"][1] == "这样的场景已持续三年。"
    assert "这样的场景已持续三年。" in text.read_text(encoding="utf-8").splitlines()
    assert "1 headline candidates, 1 articles (2 paragraphs)" in capsys.readouterr().out


def test_same_input_same_bytes(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_text(EXTRACT, encoding="utf-8")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert main([str(src), "-o", str(a)]) == main([str(src), "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_missing_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.txt"), "-o", str(tmp_path / "d.yaml")]) == 1
    assert capsys.readouterr().err.strip() == f"error: {tmp_path / 'nope.txt'}: no such file"
    assert not (tmp_path / "d.yaml").exists()


def test_not_utf8_points_at_the_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "gbk.txt"
    src.write_bytes("第一行\n".encode() + "湖南".encode("gbk"))
    assert main([str(src), "-o", str(tmp_path / "d.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{src}:2:1: not UTF-8 text (byte 0xba)" in err
    assert "Traceback" not in err


def test_empty_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "empty.txt"
    src.write_text("\n\n  \n", encoding="utf-8")
    assert main([str(src), "-o", str(tmp_path / "d.yaml")]) == 1
    assert "no text found" in capsys.readouterr().err


def test_invoke_import_text(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_text(EXTRACT, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), "import-text", str(src)]
        + ["--output", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["edition"]["id"] == "page"
