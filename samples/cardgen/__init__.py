"""Synthetic business-card generator used by samples/generate.py (see samples/README.md)."""
