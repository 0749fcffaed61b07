# tests: preload area.
