"""The default edition, built once per test session and shared with tests/foundation."""

from __future__ import annotations

import pytest

from pdfcheck import Build, PdfText, edition_build, read_pdf


@pytest.fixture(scope="session")
def edition() -> Build:
    build = edition_build()
    assert build.returncode == 0, f"invoke build failed:\n{build.stdout}\n{build.stderr}"
    return build


@pytest.fixture(scope="session")
def edition_text(edition: Build) -> PdfText:
    return read_pdf(edition.pdf)
