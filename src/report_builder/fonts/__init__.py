"""fonts stage."""
