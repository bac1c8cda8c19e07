"""Renderers of a results document (harness.results/v1): terminal, JSON, and more to come."""
