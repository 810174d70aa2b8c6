"""Fixtures for the speed work: the default edition laid out once, without a disk cache."""

from __future__ import annotations

import pytest
from perf_helpers import ROOT


@pytest.fixture(scope="session")
def edition_layout():
    """(report, registry, layout) of the default edition, composed in memory only."""
    from report_builder.definition import load_report
    from report_builder.fonts.registry import FontRegistry
    from report_builder.layout import layout_document

    report = load_report(ROOT / "report.yaml")
    registry = FontRegistry.shipped()
    return report, registry, layout_document(report, registry)
