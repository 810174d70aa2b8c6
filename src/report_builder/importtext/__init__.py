"""importtext stage."""
