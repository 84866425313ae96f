"""Detection: pure functions and in-memory state that turn articles into alerts.

Nothing in this package does I/O. ``Detector`` (engine.py) is the entry point.
"""
