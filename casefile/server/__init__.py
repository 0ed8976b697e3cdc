"""The team server: a thin sync service over PostgreSQL (``casefile-server``)."""
