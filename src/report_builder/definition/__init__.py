"""definition stage."""
