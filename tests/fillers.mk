# tests: fillers area.
