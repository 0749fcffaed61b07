# tests: cli area.
