"""Entry points stay light (invoke --list, the CLI module) and ``invoke build --all`` works."""

from __future__ import annotations

import subprocess
import sys

import yaml
from perf_helpers import ROOT, edition_copy

HEAVY = ("reportlab", "pikepdf", "PIL", "fontTools")


def _imported(code: list[str]) -> set[str]:
    """Top-level packages a fresh interpreter imports to run ``code`` (from -X importtime)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def test_invoke_list_imports_no_stage() -> None:
    # (invoke reads its own config with yaml, so yaml is not counted here)
    names = _imported(["-m", "invoke", "--search-root", str(ROOT), "--list"])
    assert "invoke" in names
    assert not names & set(HEAVY), names & set(HEAVY)


def test_the_cli_module_imports_stages_only_when_they_run() -> None:
    names = _imported(["-c", "import report_builder.cli"])
    assert "report_builder" in names
    assert not names & {*HEAVY, "yaml"}, names & {*HEAVY, "yaml"}


def test_finishing_does_not_pull_in_the_network_stack() -> None:
    """xml.sax.saxutils and uuid brought urllib.request, http, email and ssl (~15 ms)."""
    network = {"http", "email", "ssl", "uuid"}
    names = _imported(["-c", "import report_builder.prepress.pdfx_file"])
    assert "pikepdf" in names
    assert not names & network, names & network
    # the build finishes inside ReportLab's document: no pikepdf, no Pillow plug-ins
    names = _imported(["-c", "import report_builder.prepress.pdfx, report_builder.render.pdf"])
    assert "reportlab" in names
    assert not names & {*network, "pikepdf", "PIL.ImageCms", "PIL.ImageMath"}


def _run_all(cwd, out):
    invoke = [sys.executable, "-m", "invoke", "--search-root", str(ROOT)]
    return subprocess.run(
        [*invoke, "build", "--all", "--out", out],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_build_all_builds_every_edition_with_progress(tmp_path) -> None:
    editions = tmp_path / "editions"
    editions.mkdir()
    edition_copy(editions, "first", ident="all-first", photos=False)
    edition_copy(editions, "second", pages=4, ident="all-second", photos=False)
    proc = _run_all(tmp_path, str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for ident, pages in (("all-first", 2), ("all-second", 4)):
        pdf = tmp_path / "out" / f"{ident}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert f"{ident}.pdf — {pages} page(s)" in proc.stdout
    progress = [line for line in proc.stdout.splitlines() if line.startswith("[")]
    assert len(progress) == 2
    assert " 1/2 " in progress[0] and " 2/2 " in progress[1]  # in the order they finish
    assert all(line.endswith(": ok") for line in progress)


def test_build_all_reports_a_failed_edition_and_fails(tmp_path) -> None:
    editions = tmp_path / "editions"
    editions.mkdir()
    edition_copy(editions, "good", ident="all-good", photos=False)
    bad = edition_copy(editions, "bad", ident="all-bad", photos=False)
    data = yaml.safe_load(bad.read_text(encoding="utf-8"))
    data["styles"]["body"]["size"] = "huge"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    proc = _run_all(tmp_path, str(tmp_path / "out"))
    assert proc.returncode == 1
    assert (tmp_path / "out" / "all-good.pdf").is_file()
    assert not (tmp_path / "out" / "all-bad.pdf").exists()
    assert any("bad.yaml: FAILED" in line for line in proc.stdout.splitlines())
    assert "bad.yaml" in proc.stderr  # the position of the bad size
