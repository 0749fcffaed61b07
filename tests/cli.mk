# tests: the udig command line against the real sysdig, and the live
# commands (run through every engine, attach, a killed writer).
CLI_TESTS = \
	tests/cli/read_vs_sysdig.sh \
	tests/cli/run_engines.sh \
	tests/cli/attach.sh \
	tests/cli/engines_agree.sh \
	tests/cli/killed_writer.sh \
	tests/cli/setid.sh
TESTS += $(CLI_TESTS)
dist_check_SCRIPTS += $(CLI_TESTS)
