"""Renderers (text, JSON) and message catalogues."""
