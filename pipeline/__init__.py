"""Consolidate: turn survey and consultation exports into a reviewable results report."""

__version__ = "0.2.0"
