"""Render stage: draw the display list with ReportLab, one PDF text operator per run."""

from .pdf import DrawnPdf, draw_pdf, save_pdf

__all__ = ["DrawnPdf", "draw_pdf", "save_pdf"]
