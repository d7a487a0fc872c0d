"""Thin edges: the Flask webhook and the command line."""
