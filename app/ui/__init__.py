"""The PySide6 window: the only place in Kith that imports Qt."""
