"""definition stage: report.yaml → the typed Report model, every problem reported at once."""

from .load import load_report, load_report_text

__all__ = ["load_report", "load_report_text"]
