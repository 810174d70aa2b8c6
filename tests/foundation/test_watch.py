"""``--watch``: a real watching process rebuilds on every change and survives bad input."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from report_builder.watch import folders, inputs, stamps, watch

REPORT = """\
edition:
  id: watched
  title: 盯着的版面
pages:
  - blocks:
      - type: article
        id: story
        at: {{column: 1, span: 4, line: 1, lines: 30}}
        title: 劳动成就梦想
        text: |
          {text}
      - type: figure
        id: photo
        at: {{column: 5, span: 2, line: 1, lines: 12}}
        image: photo.jpg
        caption: 职工书屋
"""


def _edition(folder: Path, text: str = "劳动成就梦想，奋斗铸就辉煌。") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 900), (200, 60, 40)).save(folder / "photo.jpg", quality=90)
    report = folder / "report.yaml"
    report.write_text(REPORT.format(text=text), encoding="utf-8")
    return report


def _text(pdf: Path) -> str:
    """The PDF's text without the spaces and breaks extraction puts between lines."""
    return "".join("".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages)


def _watching(report: Path, out: Path, cwd: Path) -> subprocess.Popen:
    """``python -m report_builder REPORT --out OUT --watch``, its output read as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "report_builder", str(report), "--out", str(out), "--watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
    )


class _Lines:
    """The watching process's output, line by line, with a timeout."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(proc,), daemon=True).start()

    def _pump(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, *needles: str, timeout: float = 60.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            if any(n in line for n in needles):
                return line
        raise AssertionError(f"no line with {needles} within {timeout} s")


def test_watch_rebuilds_on_edits_and_survives_a_broken_report(tmp_path: Path) -> None:
    report = _edition(tmp_path / "edition")
    out = tmp_path / "out"
    proc = _watching(report, out, tmp_path)
    try:
        lines = _Lines(proc)
        lines.until("built ")
        pdf = out / "watched.pdf"
        assert "奋斗铸就辉煌" in _text(pdf)

        report.write_text(REPORT.format(text="改过的一句话。"), encoding="utf-8")
        lines.until("built ")
        assert "改过的一句话" in _text(pdf)
        good = pdf.read_bytes()

        report.write_text("edition: [\n", encoding="utf-8")  # a save mid-edit
        assert "report.yaml:" in lines.until("report.yaml:")
        lines.until("build failed")
        assert pdf.read_bytes() == good and proc.poll() is None

        report.write_text(REPORT.format(text="改过的一句话。"), encoding="utf-8")
        lines.until("built ")
        assert pdf.read_bytes() == good  # the same input gives the same bytes

        time.sleep(0.05)  # a new mtime even on coarse file systems
        Image.new("RGB", (600, 900), (40, 60, 200)).save(report.parent / "photo.jpg")
        lines.until("built ")  # a changed photo is a change too
        assert pdf.read_bytes() != good

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        lines.until("stopped watching")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert [p for p in os.listdir(out) if p.endswith(".tmp")] == []


def test_inputs_are_the_report_files_and_none_for_a_broken_report(tmp_path: Path) -> None:
    report = _edition(tmp_path)
    assert inputs(report) == {tmp_path / "photo.jpg"}
    report.write_text("pages: [\n", encoding="utf-8")
    assert inputs(report) is None
    assert stamps({tmp_path / "missing.jpg"}) == {tmp_path / "missing.jpg": None}


def test_one_round_builds_once_and_reports_its_status(tmp_path: Path) -> None:
    report = _edition(tmp_path / "edition")
    seen: list[int] = []
    assert watch(report, tmp_path / "out", rounds=1, on_build=seen.append) == 0
    assert seen == [0] and (tmp_path / "out" / "watched.pdf").is_file()


@pytest.mark.parametrize("bad", ["pages: 3\n", "edition: {id: ''}\n"])
def test_a_first_build_that_fails_keeps_watching(tmp_path: Path, bad: str) -> None:
    report = tmp_path / "report.yaml"
    report.write_text(bad, encoding="utf-8")
    seen: list[int] = []
    assert watch(report, tmp_path / "out", rounds=1, on_build=seen.append) == 0
    assert seen == [1]


def test_a_photo_dropped_in_later_is_built(tmp_path: Path) -> None:
    """The report names a photo not there yet: the build fails, then runs when it arrives."""
    report = _edition(tmp_path / "edition")
    (report.parent / "photo.jpg").unlink()
    (report.parent / "assets").mkdir()  # where the editor will drop it
    report.write_text(
        report.read_text(encoding="utf-8").replace("image: photo.jpg", "image: assets/p.jpg"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = _watching(report, out, tmp_path)
    try:
        lines = _Lines(proc)
        lines.until("build failed")
        Image.new("RGB", (600, 900), (40, 160, 60)).save(report.parent / "assets" / "p.jpg")
        lines.until("built ")
        assert (out / "watched.pdf").is_file()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_watched_folders_leave_out_the_output_and_hidden_ones(tmp_path: Path) -> None:
    report = _edition(tmp_path)
    for name in ("out/.cache", ".git", "__pycache__", "assets/images", "assets/fonts"):
        (tmp_path / name).mkdir(parents=True)
    named = {tmp_path / "photo.jpg"}
    assert folders(report, named, tmp_path / "out") == {tmp_path}
    found = folders(report, named, tmp_path / "out", search=True)
    assert found == {tmp_path, tmp_path / "assets", *(tmp_path / "assets").iterdir()}
    before = stamps(set(), {tmp_path})
    (tmp_path / ".report.yaml.swp").write_text("", encoding="utf-8")  # an editor's swap file
    assert stamps(set(), {tmp_path}) == before
    (tmp_path / "new.jpg").write_bytes(b"")
    assert stamps(set(), {tmp_path}) != before


def test_the_first_build_making_the_output_folder_is_not_a_change(tmp_path: Path) -> None:
    """out/ beside report.yaml appears with the first build: that alone must not rebuild."""
    report = _edition(tmp_path)
    before = stamps({report}, {tmp_path}, tmp_path / "out")
    (tmp_path / "out").mkdir()
    assert stamps({report}, {tmp_path}, tmp_path / "out") == before
    assert stamps({report}, {tmp_path}) != before  # it would be, were out/ not named


def test_a_save_during_a_build_is_built_after_it(tmp_path: Path) -> None:
    """The files' state is taken before each build, so a save while it runs is not lost."""
    report = _edition(tmp_path / "edition")
    seen: list[int] = []

    def save_during_build(status: int) -> None:  # runs before the watcher looks again
        seen.append(status)
        if len(seen) == 1:
            report.write_text(REPORT.format(text="构建时保存的一句。"), encoding="utf-8")

    done = threading.Event()

    def run() -> None:
        watch(report, tmp_path / "out", rounds=2, interval=0.05, on_build=save_during_build)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(timeout=60), "the save made during the first build was never built"
    assert seen == [0, 0]
    assert "构建时保存的一句" in _text(tmp_path / "out" / "watched.pdf")
