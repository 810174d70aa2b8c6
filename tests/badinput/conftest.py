"""Fixtures of the bad-input corpus: a good build to protect, and generated bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from badinput_files import make_fonts, make_images
from badinput_helpers import (
    EDITION_ID,
    GOOD_REPORT,
    GoodBuild,
    invoke_build,
    sha256,
    write_edition,
)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> GoodBuild:
    folder = tmp_path_factory.mktemp("good-edition")
    out = tmp_path_factory.mktemp("out")
    run = invoke_build(write_edition(folder, GOOD_REPORT), out)
    assert run.returncode == 0, run
    return GoodBuild(out, sha256(out / f"{EDITION_ID}.pdf"))


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Name → generated image file (good, odd and broken ones), see badinput_files."""
    return make_images(tmp_path_factory.mktemp("images"))


@pytest.fixture(scope="session")
def fonts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Name → generated font file: small, restricted (fsType 2), corrupt."""
    return make_fonts(tmp_path_factory.mktemp("fonts"))
