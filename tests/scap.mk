# tests: scap area.
