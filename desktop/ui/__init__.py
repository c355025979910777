"""The window: the only part of the app that imports Qt."""
