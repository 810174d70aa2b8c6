"""Fixtures for prepress tests: a scratch report and a prepared photo."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import WENKAI, make_report, photo


@pytest.fixture(autouse=True)
def _need_font() -> None:
    if not WENKAI.is_file():
        pytest.skip("fonts-lxgw-wenkai is not installed")


@pytest.fixture
def report(tmp_path: Path):
    return make_report(tmp_path)


@pytest.fixture
def photo_jpg(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    photo((1200, 800)).save(path, quality=95)
    return path
