"""Rules: one module per category."""
