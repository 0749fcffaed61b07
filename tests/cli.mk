# tests: the udig command line against the real sysdig.
TESTS += tests/cli/read_vs_sysdig.sh
dist_check_SCRIPTS += tests/cli/read_vs_sysdig.sh
