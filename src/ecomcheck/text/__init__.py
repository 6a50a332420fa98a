"""Offset-preserving Vietnamese text normalisation and term matching."""
