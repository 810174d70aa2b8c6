"""prepress stage."""
