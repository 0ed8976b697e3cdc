"""The PySide6 desktop interface over casefile's services."""
