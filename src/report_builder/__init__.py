"""report_builder: Simplified-Chinese newspaper special pages to print-ready PDF.

Pipeline, one package per stage:
definition (load + validate report.yaml) → compose (text into lines) →
layout (lines and boxes onto pages) → render (ReportLab) → prepress (PDF/X) → check (preflight).
"""

__version__ = "0.1.0"
