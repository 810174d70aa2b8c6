"""Fixtures of the definition tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from definition_helpers import Edition


@pytest.fixture
def edition(tmp_path: Path) -> Edition:
    """A fresh edition folder (with the example images) to load report texts from."""
    return Edition(tmp_path)
