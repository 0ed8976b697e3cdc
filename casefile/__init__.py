"""Casefile core: the case database, import, analysis and exchange, free of any GUI code."""

__version__ = "0.1.0"
