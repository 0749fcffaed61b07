# tests: ring area.
