"""Local `evaluate` module folder: load it by path (see harness/metrics/__init__.py)."""
