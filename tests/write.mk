# tests: write area.
