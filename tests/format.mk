# tests: format area.
