"""The window as a plain assembly of its rooms (workspace, analysis, exchange, team)."""
