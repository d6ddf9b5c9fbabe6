"""The models of cross-case analysis (see the package docstring)."""
