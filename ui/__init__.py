"""The PySide6 desktop interface over casefile's services."""

from ui import pyside_guard

pyside_guard.install()
