"""Render stage: draw the display list with ReportLab, one PDF text operator per run."""

from __future__ import annotations

from pathlib import Path

from ..definition.model import Report
from ..fonts.registry import FontRegistry
from ..layout.model import DocumentLayout
from .pdf import render_pdf

__all__ = ["render_pdf"]

_ = (Path, Report, FontRegistry, DocumentLayout)
