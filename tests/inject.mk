# tests: inject area.
