"""Shared test fixtures: the repository root and helpers to run the real build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def run_invoke(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``invoke ARGS`` as a user would, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def edition():
    """The default edition, built once per test session (tests/edition and tests/foundation)."""
    from pdfcheck import edition_build

    build = edition_build()
    assert build.returncode == 0, f"invoke build failed:\n{build.stdout}\n{build.stderr}"
    return build


@pytest.fixture(scope="session")
def edition_text(edition):
    from pdfcheck import read_pdf

    return read_pdf(edition.pdf)
