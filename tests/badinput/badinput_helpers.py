"""Run the real ``invoke build`` on broken editions and judge what a user would see.

Every case builds into an output folder that already holds a good PDF of the same
edition id, so a build that wrongly succeeded, or failed half-way and left debris,
shows up as a changed hash or a stray temp file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
EDITION_ID = "badinput"

#: The good edition every broken one is compared with: one page, one article.
GOOD_REPORT = f"""\
edition:
  id: {EDITION_ID}
  title: 坏输入测试
pages:
  - blocks:
      - type: article
        id: story
        at: {{column: 1, span: 4, line: 1, lines: 30}}
        title: 劳动成就梦想
        text: |
          劳动成就梦想，奋斗铸就辉煌。

          五年来，湖南各级工会勇于担当作为、坚持守正创新，各项工作取得重要进展和新成效。
"""


@dataclass(frozen=True)
class GoodBuild:
    """An output folder holding a good PDF of the edition every broken case also names."""

    out: Path
    sha: str

    @property
    def pdf(self) -> Path:
        return self.out / f"{EDITION_ID}.pdf"


@dataclass
class Run:
    """One finished ``invoke build``: its status and everything it printed."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def lines(self) -> list[str]:
        return self.output.splitlines()

    def __str__(self) -> str:  # shown by pytest when an assertion fails
        return f"$ invoke {' '.join(self.args)}\n[exit {self.returncode}]\n{self.output}"


def invoke_args(report: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "invoke",
        "--search-root",
        str(ROOT),
        "build",
        "--report",
        str(report),
        "--out",
        str(out),
        *extra,
    ]


def invoke_build(report: Path, out: Path, *extra: str, timeout: float = 120) -> Run:
    """``invoke build --report REPORT --out OUT`` in a fresh interpreter, as a user runs it."""
    args = invoke_args(report, out, *extra)
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return Run(args[5:], done.returncode, done.stdout, done.stderr)


def write_edition(folder: Path, text: str | bytes) -> Path:
    """``folder/report.yaml`` holding ``text`` (bytes are written as they are)."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.yaml"
    if isinstance(text, bytes):
        report.write_bytes(text)
    else:
        report.write_text(text, encoding="utf-8")
    return report


def corpus_edition(folder: Path, name: str) -> Path:
    """An edition folder whose report.yaml is ``corpus/<name>``."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(CORPUS / name, folder / "report.yaml"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(out: Path) -> list[Path]:
    """Half-written files under ``out``: ``*.tmp`` and hidden files other than lock files."""
    found = []
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        name = path.name
        if name.endswith(".tmp") or (name.startswith(".") and not name.endswith(".lock")):
            found.append(path)
    return sorted(found)


def figure_edition(
    images: dict[str, str], *, extra: str = "", span: int = 4, lines: int = 30
) -> str:
    """A report placing each image of ``images`` (block id → path) on a page of its own."""
    pages = []
    for block_id, path in images.items():
        pages.append(
            f"""\
  - blocks:
      - type: figure
        id: {block_id}
        at: {{column: 1, span: {span}, line: 1, lines: {lines}}}
        image: {path}
"""
        )
    return f"edition: {{id: {EDITION_ID}, title: 图片}}\n{extra}pages:\n" + "".join(pages)


def diagnostic_line(
    run: Run,
    report: Path | str,
    line: int,
    column: int,
    path: str,
    fragment: str,
    *,
    warning: bool = False,
) -> str:
    """The printed line ``report:line:col: [warning: ]path: …fragment…``; fails if absent."""
    head = f"{report}:{line}:{column}: " + ("warning: " if warning else "")
    if path:
        head += f"{path}: "
    for text in run.lines:
        if text.startswith(head) and fragment in text:
            return text
    raise AssertionError(f"no line starting {head!r} containing {fragment!r} in:\n{run}")


def assert_clean_failure(run: Run, out: Path, good_sha: str, *, status: int = 1) -> None:
    """Failed as a user error: no traceback, the good PDF untouched, nothing half-written."""
    assert run.returncode == status, run
    assert "Traceback" not in run.output, run
    assert "internal error" not in run.output, run
    assert not (out / "internal-error.log").exists(), run
    assert "the previous PDF was left as it was" in run.stderr, run
    assert sha256(out / f"{EDITION_ID}.pdf") == good_sha, "the previous PDF was changed"
    assert leftovers(out) == [], leftovers(out)


def assert_clean_success(run: Run, out: Path) -> Path:
    """Built without a traceback; returns the PDF, checked to open and have pages."""
    import pikepdf

    assert run.returncode == 0, run
    assert "Traceback" not in run.output, run
    pdf = out / f"{EDITION_ID}.pdf"
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) >= 1
    assert leftovers(out) == [], leftovers(out)
    return pdf


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
